"""Shared checks for family tests (fam-b): distractors, step walks, HTML."""

from __future__ import annotations

import re

import sympy as sp

from generator import bank, numfmt
from generator.steps import walk


def display_key(value, precision):
    """What a student sees of an option: verdict text, or entries rounded."""
    if isinstance(value, str):
        return value
    entries = list(value) if isinstance(value, sp.MatrixBase) else [value]
    return tuple(numfmt.rounded(x, precision) for x in entries)


def check_distractors(fid, seeds, min_numeric=2):
    fam = bank.get(fid)
    texts = {lang: fam.text[lang].get("misconceptions", {}) for lang in ("en", "bn")}
    for seed in seeds:
        v = fam.variant(seed)
        for part in v.parts:
            prec = part.spec.precision if part.spec.precision is not None else 6
            keys = [display_key(part.answer, prec)] + [display_key(d.value, prec) for d in part.distractors]
            assert len(set(keys)) == len(keys), (fid, seed, part.id, keys)
            if part.spec.answer_type != "verdict":
                assert len(part.distractors) >= min_numeric, (fid, seed, part.id)
            else:
                assert part.distractors and all(d.value in part.spec.choices for d in part.distractors)
            for d in part.distractors:
                for lang in ("en", "bn"):
                    assert texts[lang].get(d.misconception), (fid, lang, d.misconception)


def check_steps(fid, seeds):
    fam = bank.get(fid)
    n = 0
    for seed in seeds:
        for part in fam.variant(seed).parts:
            for step in walk(part.steps):
                assert step.check(), (fid, seed, part.id, step.kind)
                n += 1
    assert n > 0


def check_html(fid, seed=7):
    """Sheet and key render in both languages: math typeset, Bangla present,
    no template residue; returns the Bangla key's HTML."""
    from generator import build, paper

    spec = paper.QuizSpec.build([fid], {}, seed, "both", None)
    p = paper.paper(spec, 1)
    out = {}
    for kind in ("sheet", "key"):
        html = build.render_html(p, kind)
        assert "<svg" in html and "{{" not in html and "{%" not in html
        assert re.search("[\u0980-\u09ff]", html)  # Bangla text
        out[kind] = html
    for lang in ("bn", "en"):
        spec = paper.QuizSpec.build([fid], {}, seed, lang, None)
        html = build.render_html(paper.paper(spec, 1), "key")
        assert "<svg" in html
        out[lang] = html
    return out
