"""Multiple choice: distractors, options, shuffling, the key; version IDs."""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator import bank, mcq, versionid
from generator.paper import QuizSpec, from_version_id, paper
from generator.render import renderer

SEEDS = range(1000)


def F(v) -> Fraction:
    return Fraction(str(v))


def expected_scalar_rnn(p) -> dict:
    """Each misconception's value, recomputed with plain Fractions (not the solver)."""
    h0, w, T, eta, c = F(p["h0"]), F(p["w"]), int(p["T"]), F(p["eta"]), F(p["c"])
    h = [h0]
    for _ in range(T):
        h.append(h[-1] * w)
    g = sum(h[t - 1] * w ** (T - t) for t in range(1, T + 1))
    g_clip = g * c / abs(g) if abs(g) > c else g
    return {
        "forward": (h[T], {"off-by-one-step": h[T - 1], "linear-not-power": h0 * w * T, "forgot-h0": w**T}),
        "gradient": (g, {"loss-as-gradient": h0 * w**T, "last-term-only": h[T - 1], "power-off-by-one": T * h0 * w**T}),
        "sgd": (w - eta * g, {"sgd-sign": w + eta * g, "sgd-no-eta": w - g}),
        "clip": (
            w - eta * g_clip,
            {"clip-always": w - eta * g * c / abs(g), "clip-unclipped-step": w - eta * g, "sgd-sign": w + eta * g_clip},
        ),
    }


def test_scalar_rnn_distractors_1000_seeds():
    fam = bank.get("scalar-rnn")
    seen = {"exploding": 0, "vanishing": 0, "clip-triggered": 0, "clip-below": 0, "numeric-fallback": 0}
    for seed in SEEDS:
        v = fam.variant(seed)
        exp = expected_scalar_rnn(v.params)
        for part in v.parts:
            if part.id not in exp:
                assert not part.distractors
                continue
            answer, wrong = exp[part.id]
            assert F(part.answer) == answer
            values = [F(d.value) for d in part.distractors]
            assert answer not in values, (seed, part.id)
            assert len(set(values)) == len(values), (seed, part.id)
            for d in part.distractors:
                assert F(d.value) == wrong[d.misconception], (seed, part.id, d.misconception)
            # every misconception that differs from the answer and the earlier ones is kept
            kept = []
            for name, val in wrong.items():
                if val != answer and val not in [wrong[k] for k in kept]:
                    kept.append(name)
            assert [d.misconception for d in part.distractors] == kept
            opts = mcq.asked_options(part, v.seed, "mcq")
            if opts is None:
                seen["numeric-fallback"] += 1
                assert len(kept) < mcq.MIN_DISTRACTORS
                continue
            assert sum(o.correct for o in opts) == 1
            assert len({F(o.value) for o in opts}) == len(opts)
            if part.id == "gradient":
                seen["exploding" if abs(F(v.params["w"])) > 1 else "vanishing"] += 1
            if part.id == "clip":
                seen["clip-triggered" if part.extra["triggered"] else "clip-below"] += 1
    assert all(n > 0 for k, n in seen.items() if k != "numeric-fallback"), seen


def test_numeric_format_asks_no_mcq():
    v = bank.get("scalar-rnn").variant(11)
    assert all(mcq.asked_options(p, v.seed, "numeric") is None for p in v.parts)


def test_options_deterministic_and_shuffled_across_students():
    spec = QuizSpec.build(["scalar-rnn"], None, 42, "en", None, ["mcq"])
    a, b = paper(spec, 3), paper(spec, 3)
    assert [[(str(o.value), o.correct) for o in opts] for opts in a.questions[0].options.values()] == [
        [(str(o.value), o.correct) for o in opts] for opts in b.questions[0].options.values()
    ]
    positions = set()
    for student in range(1, 31):
        q = paper(spec, student).questions[0]
        if "gradient" in q.options:
            positions.add(mcq.correct_index(q.options["gradient"]))
    assert len(positions) >= 3


def test_shuffle_depends_on_seed_not_only_values():
    v = bank.get("concepts").variant(5)
    part = v.parts[0]
    orders = {tuple(o.value for o in mcq.options(part, s)) for s in range(40)}
    assert len(orders) > 5


def _options_in(html: str):
    from .helpers_html import parse

    root = parse(html)
    return [ol for ol in root.find_all("ol", "options")]


def test_key_marks_correct_option_and_names_misconceptions():
    spec = QuizSpec.build(["scalar-rnn"], None, 9, "en", None, ["mcq"])
    p = paper(spec, 1)
    q = p.questions[0]
    assert q.options, "some part should be multiple choice"
    key = renderer().document(p, "key", "fonts/")
    sheet = renderer().document(p, "sheet", "fonts/")
    lists = _options_in(key)
    assert len(lists) == len(q.options)
    misc = bank.get("scalar-rnn").text["en"]["misconceptions"]
    for ol, (pid, opts) in zip(lists, q.options.items()):
        items = list(ol.find_all("li", "option"))
        assert len(items) == len(opts)
        correct = [i for i, li in enumerate(items) if "correct" in li.classes]
        assert correct == [mcq.correct_index(opts)]
        for li, opt in zip(items, opts):
            if opt.correct:
                assert not list(li.find_all("div", "why"))
                continue
            (why,) = li.find_all("div", "why")
            assert why.attrs["data-misconception"] == opt.misconception
            # the words of the misconception (prose before any formula) are there
            assert misc[opt.misconception].split("$")[0].split()[0] in why.text()
    # the sheet shows the options but neither the mark nor the reasons
    assert len(_options_in(sheet)) == len(q.options)
    from .helpers_html import parse

    assert not list(parse(sheet).find_all("div", "why"))
    assert not [li for ol in _options_in(sheet) for li in ol.find_all("li", "correct")]


def test_version_id_format_1_kept_and_format_2_roundtrip():
    plain = QuizSpec.build(["scalar-rnn"], None, 5, "both", None)
    vid = paper(plain, 2).version_id
    assert versionid._unb32(versionid.normalize(vid)[:-1])[0] == 1  # old format, old IDs unchanged
    spec = QuizSpec.build(["scalar-rnn", "concepts"], {"scalar-rnn": {"T": "4"}}, 5, "bn", "latin", ["mcq", "numeric"])
    vid2 = paper(spec, 2).version_id
    assert versionid._unb32(versionid.normalize(vid2)[:-1])[0] == 2
    back, student = from_version_id(vid2)
    assert (back, student) == (spec, 2)
    d = versionid.decode(vid2)
    assert d["families"] == [(1, "T=4"), (11, "")] and d["family_flags"] == [1, 0]


def test_cli_regenerate_mcq_paper(tmp_path):
    from generator.cli import main

    assert main(["generate", "--family", "scalar-rnn", "--mcq", "--seed", "77", "--lang", "bn", "--out", str(tmp_path / "a")]) == 0
    sheet = (tmp_path / "a" / "student-01-sheet.html").read_text(encoding="utf-8")
    from .helpers_html import parse

    vid = next(parse(sheet).find_all("span", "vid")).text()
    assert main(["regenerate", vid, "--out", str(tmp_path / "b")]) == 0
    for kind in ("sheet", "key"):
        assert (tmp_path / "b" / f"{vid}-{kind}.html").read_bytes() == (tmp_path / "a" / f"student-01-{kind}.html").read_bytes()
    assert _options_in(sheet)
