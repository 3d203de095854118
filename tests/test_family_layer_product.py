"""layer-product against plain Fractions and math.log (not the solver)."""

import math
from fractions import Fraction

import pytest

from .famcheck import check_distractors, check_render, check_steps, variants
from generator import bank
from generator.errors import ParameterError

FID = "layer-product"


def F(x) -> Fraction:
    return Fraction(str(x))


def independent(w: Fraction, d: Fraction, n: int, k: int) -> dict:
    a = w * d
    r = abs(a) if abs(a) > 1 else 1 / abs(a)
    N = 1
    while not r**N > 10**k:
        N += 1
    # the same depth from logs (x is never an integer for these draws)
    assert N == math.floor(k / math.log10(r)) + 1
    return {"factor": a, "power": a**n, "regime": "exploding" if abs(a) > 1 else "vanishing", "depth": N}


def test_answers_match_independent_computation():
    regimes = set()
    for v in variants(FID, range(200)):
        p = {k: F(x) for k, x in v.params.items()}
        want = independent(p["w"], p["d"], int(p["n"]), int(p["k"]))
        for part in v.parts:
            got = part.answer if isinstance(part.answer, str) else F(part.answer)
            assert got == want[part.id], (v.seed, part.id)
        regimes.add(want["regime"])
        # the exact bracket the key shows
        bracket = v.part("depth").steps[-1]
        assert F(bracket.before) == abs(want["factor"]) ** (want["depth"] - 1)
    assert regimes == {"exploding", "vanishing"}


def test_steps_check():
    assert check_steps(FID, range(200)) > 600


def test_fixed_params_and_bad_factor():
    fam = bank.get(FID)
    fixed = fam.parse_fixed({"w": "4", "d": "0.25", "n": "6", "k": "6"})
    with pytest.raises(ParameterError):
        fam.variant(1, fixed)  # a = 1: neither regime
    v = fam.variant(1, fam.parse_fixed({"w": "3", "d": "1/2", "n": "6", "k": "6"}))
    assert F(v.part("power").answer) == Fraction(3, 2) ** 6
    assert F(v.part("depth").answer) == independent(F(3), F("0.5"), 6, 6)["depth"]
    with pytest.raises(ParameterError):
        fam.parse_fixed({"d": "2"})


def test_distractors_distinct_over_1000_seeds():
    seen = check_distractors(FID, range(1000))
    assert {"sum-instead-of-product", "rounds-down", "log-base-mix"} <= set(seen)


def test_renders_both_languages():
    check_render(FID, 7)
    check_render(FID, 8, {"w": "1/2", "d": "1/2", "n": "5", "k": "6"})
