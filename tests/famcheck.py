"""Shared checks for the fam-a families (layer-product, vector-clipping,
truncated-bptt, lstm-cell-gradient, float-overflow): every step re-derives its
result, distractors are distinct and wrong, and the key renders in both
languages showing every answer."""

from __future__ import annotations

import sympy as sp

from markupsafe import escape

from generator import bank, numfmt
from generator.paper import QuizSpec, paper
from generator.render import renderer
from generator.steps import walk


def variants(fid: str, seeds):
    fam = bank.get(fid)
    return [fam.variant(s) for s in seeds]


def check_steps(fid: str, seeds) -> int:
    n = 0
    for v in variants(fid, seeds):
        for part in v.parts:
            for step in walk(part.steps):
                assert step.check(), (fid, v.seed, part.id, step)
                n += 1
    return n


def _equal(a, b) -> bool:
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return sp.Matrix(a).shape == sp.Matrix(b).shape and all(
            _equal(x, y) for x, y in zip(sp.Matrix(a), sp.Matrix(b))
        )
    diff = sp.sympify(a) - sp.sympify(b)
    return diff == 0 or (not diff.is_Rational and abs(sp.N(diff, 60)) < sp.Float("1e-45"))


def check_distractors(fid: str, seeds) -> dict[str, int]:
    """Distractors differ from the answer and each other; returns counts of
    misconceptions seen (each must have words in both languages)."""
    fam = bank.get(fid)
    seen: dict[str, int] = {}
    for v in variants(fid, seeds):
        for part in v.parts:
            values = [part.answer]
            for d in part.distractors:
                assert not any(_equal(d.value, x) for x in values), (fid, v.seed, part.id, d)
                values.append(d.value)
                seen[d.misconception] = seen.get(d.misconception, 0) + 1
                for lang in ("bn", "en"):
                    assert d.misconception in fam.text[lang]["misconceptions"], (lang, d.misconception)
    return seen


def answer_texts(part, fam, lang: str) -> str:
    digits = "bangla" if lang == "bn" else "latin"
    if isinstance(part.answer, str):
        return str(escape(fam.text[lang]["verdict"][part.answer]))
    return str(numfmt.text(part.answer, digits))


def render_key(fid: str, seed: int, lang: str, fixed=None) -> tuple[str, object]:
    spec = QuizSpec.build([fid], {fid: fixed or {}}, seed, lang, None)
    p = paper(spec, 1)
    doc = renderer().document(p, "key", "fonts/")
    sheet = renderer().document(p, "sheet", "fonts/")
    assert "<html" in sheet.lower()
    return doc, p


def check_render(fid: str, seed: int, fixed=None) -> None:
    fam = bank.get(fid)
    for lang in ("bn", "en"):
        doc, p = render_key(fid, seed, lang, fixed)
        for part in p.questions[0].variant.parts:
            text = answer_texts(part, fam, lang)
            assert text in doc, (fid, lang, part.id, text)
