"""scalar-rnn against an independent computation with Fractions and loops."""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator import bank
from generator.steps import walk

from .conftest import frac

FAM = "scalar-rnn"


def oracle(h0: Fraction, w: Fraction, T: int, eta: Fraction, c: Fraction) -> dict:
    """The whole question worked with plain Fractions, not the solver."""
    h = [h0]
    for _ in range(T):
        h.append(h[-1] * w)
    # dL/dw for L = h_T: chain rule through the unrolled graph; term t is the
    # derivative through the w used at step t: h_{t-1} * prod_{s>t} w.
    terms = []
    for t in range(1, T + 1):
        downstream = Fraction(1)
        for _ in range(t + 1, T + 1):
            downstream *= w
        terms.append(h[t - 1] * downstream)
    g = sum(terms, Fraction(0))
    # numerical cross-check of the derivative itself (exact for a polynomial):
    # central difference of h0*w^T is exact up to the w^(T-3) term, so compare
    # with the closed form instead.
    assert g == T * h0 * w ** (T - 1)
    regime = "exploding" if abs(w) > 1 else "vanishing" if abs(w) < 1 else "neither"
    g_clip = g if abs(g) <= c else g / abs(g) * c
    return {
        "h": h,
        "terms": terms,
        "forward": h[T],
        "gradient": g,
        "regime": regime,
        "sgd": w - eta * g,
        "g_clip": g_clip,
        "clip": w - eta * g_clip,
    }


def check_variant(variant):
    p = {k: frac(v) for k, v in variant.params.items()}
    o = oracle(p["h0"], p["w"], int(p["T"]), p["eta"], p["c"])
    for part in ("forward", "gradient", "sgd", "clip"):
        assert frac(variant.part(part).answer) == o[part], part
    assert variant.part("regime").answer == o["regime"]
    fwd = variant.part("forward")
    assert [frac(x) for x in fwd.extra["h"]] == o["h"]
    assert [frac(s.result) for s in fwd.steps] == o["h"][1:]
    bptt = [s for s in variant.part("gradient").steps if s.kind == "bptt_term"]
    assert [frac(s.result) for s in bptt] == o["terms"]
    table = variant.part("regime").steps[-1]
    for T, value in zip(table.Ts, table.result):
        assert frac(value) == oracle(p["h0"], p["w"], T, p["eta"], p["c"])["gradient"]
    clip_step = variant.part("clip").steps[0]
    assert frac(clip_step.result) == o["g_clip"]
    assert clip_step.triggered == (abs(o["gradient"]) > p["c"])
    return o


@pytest.mark.parametrize("seed", range(0, 300))
def test_drawn_variants_match_oracle(seed):
    check_variant(bank.get(FAM).variant(seed))


@pytest.mark.parametrize(
    "fixed",
    [
        {"h0": "1", "w": "2", "T": "5"},
        {"w": "1", "T": "4"},
        {"w": "-1", "T": "3"},
        {"h0": "0"},
        {"T": "1"},
        {"w": "0"},
        {"w": "-3/2", "h0": "-2", "T": "6", "eta": "0.05"},
        {"w": "2", "T": "60", "h0": "10"},
        {"h0": "1", "w": "2", "T": "2", "c": "4"},  # |g| == c exactly: unchanged
    ],
)
def test_fixed_variants_match_oracle(fixed):
    fam = bank.get(FAM)
    v = fam.variant(11, fam.parse_fixed(fixed))
    for name, raw in fixed.items():
        assert frac(v.params[name]) == Fraction(raw)
    check_variant(v)


def test_every_step_rederives_its_result():
    fam = bank.get(FAM)
    count = 0
    for seed in range(120):
        for part in fam.variant(seed).parts:
            for step in walk(part.steps):
                assert step.check(), (seed, part.id, step)
                count += 1
    assert count > 120 * 10


def test_a_wrong_step_is_caught():
    v = bank.get(FAM).variant(5)
    step = v.part("forward").steps[0]
    import dataclasses

    bad = dataclasses.replace(step, result=step.result + 1)
    assert not bad.check()
    sgd = v.part("sgd").steps[0]
    assert not dataclasses.replace(sgd, result=sgd.result * 2 + 1).check()


def test_draws_cover_both_regimes_and_both_clipping_cases():
    fam = bank.get(FAM)
    regimes, clipped = set(), set()
    for seed in range(200):
        v = fam.variant(seed)
        regimes.add(v.part("regime").answer)
        clipped.add(v.part("clip").extra["triggered"])
        assert 3 <= int(v.params["T"]) <= 6  # small enough to work by hand
    assert regimes == {"exploding", "vanishing"}
    assert clipped == {True, False}


def test_same_seed_same_variant_different_seed_differs():
    fam = bank.get(FAM)
    a, b = fam.variant(42).to_data(), fam.variant(42).to_data()
    assert a == b
    assert any(fam.variant(s).to_data()["params"] != a["params"] for s in range(43, 50))
