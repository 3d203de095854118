"""truncated-bptt against an explicit sum over paths (t, s) with Fractions:
every path term h_{s-1} w^(t-s) is formed on its own, and truncation keeps
s > t - k (not the solver's closed form)."""

from fractions import Fraction

import pytest

from .famcheck import check_distractors, check_render, check_steps, variants
from generator import bank
from generator.errors import ParameterError

FID = "truncated-bptt"


def F(x) -> Fraction:
    return Fraction(str(x))


def independent(h0: Fraction, w: Fraction, T: int, k: int) -> dict:
    h = [h0]
    for _ in range(T):
        h.append(w * h[-1])
    full = trunc = Fraction(0)
    kept = 0
    for t in range(1, T + 1):
        for s in range(1, t + 1):
            term = h[s - 1] * w ** (t - s)
            full += term
            if s > t - k:
                trunc += term
                kept += 1
    return {
        "forward": sum(h[1:]),
        "full": full,
        "kept": kept,
        "truncated": trunc,
        "rel_error": abs(full - trunc) / abs(full),
    }


def test_answers_match_independent_computation():
    cases = set()
    for v in variants(FID, range(200)):
        p = {k: F(x) for k, x in v.params.items()}
        want = independent(p["h0"], p["w"], int(p["T"]), int(p["k"]))
        for part in v.parts:
            assert F(part.answer) == want[part.id], (v.seed, part.id)
        pct = v.part("rel_error").steps[0].percent
        assert abs(F(pct) - 100 * want["rel_error"]) <= Fraction(1, 200)
        cases.add(("k=1" if p["k"] == 1 else "k>1", want["rel_error"] > 0))
    assert {("k=1", True), ("k>1", True)} <= cases


def test_steps_check():
    assert check_steps(FID, range(200)) > 3000


def test_fixed_params_and_no_truncation():
    fam = bank.get(FID)
    v = fam.variant(1, fam.parse_fixed({"h0": "1", "w": "2", "T": "3", "k": "5"}))
    assert F(v.part("rel_error").answer) == 0  # k >= T keeps everything
    assert F(v.part("truncated").answer) == F(v.part("full").answer) == 1 + 4 + 12
    with pytest.raises(ParameterError):
        fam.variant(1, fam.parse_fixed({"h0": "1", "w": "-1/2", "T": "2", "k": "1"}))  # full gradient 0


def test_distractors_distinct_over_1000_seeds():
    seen = check_distractors(FID, range(1000))
    assert {"last-loss-only", "most-recent-only", "relative-to-truncated", "k-terms-in-all"} <= set(seen)


def test_renders_both_languages():
    check_render(FID, 4)
