"""float-overflow against plain integer/Fraction search and numpy's float16 /
float32 (not the solver)."""

import math
from fractions import Fraction

import numpy as np
import pytest

from .famcheck import check_distractors, check_render, check_steps, variants
from generator import bank
from generator.errors import ParameterError

FID = "float-overflow"
MAX16 = Fraction(65504)
MAX32 = (2 - Fraction(1, 2**23)) * 2**127


def F(x) -> Fraction:
    return Fraction(str(x))


def first(h0, w, mx) -> int:
    T = 1
    while abs(T * h0 * w ** (T - 1)) <= mx:
        T += 1
    return T


def test_answers_match_independent_computation():
    assert MAX16 == float(np.finfo(np.float16).max) and MAX32 == float(np.finfo(np.float32).max)
    for v in variants(FID, range(200)):
        p = {k: F(x) for k, x in v.params.items()}
        h0, w = p["h0"], p["w"]
        T16, T32 = first(h0, w, MAX16), first(h0, w, MAX32)
        assert F(v.part("float16").answer) == T16 and F(v.part("float32").answer) == T32
        assert v.part("symptom").answer == "nan"
        with np.errstate(over="ignore", invalid="ignore"):
            for T, dt in ((T16, np.float16), (T32, np.float32)):
                # the exact value, rounded once into the format
                assert np.isinf(dt(float(T * h0 * w ** (T - 1))))
                if T > 1:
                    assert np.isfinite(dt(float((T - 1) * h0 * w ** (T - 2))))
            inf = np.float16(np.inf)
            assert np.isnan(inf - inf) and np.isnan(np.float16(0) * inf)
        # the log estimate shown is an upper bound for the answer
        est = v.part("float16").steps[0]
        assert est.result >= T16
        assert est.result == math.floor(1 + (math.log10(65504) - math.log10(abs(h0))) / math.log10(abs(w))) + 1


def test_steps_check():
    assert check_steps(FID, range(100)) > 700


def test_fixed_params():
    fam = bank.get(FID)
    v = fam.variant(1, fam.parse_fixed({"h0": "1", "w": "2", "eta": "0.1"}))
    assert F(v.part("float16").answer) == first(Fraction(1), Fraction(2), MAX16)
    with pytest.raises(ParameterError):
        fam.variant(1, fam.parse_fixed({"w": "1/2"}))


def test_distractors_distinct_over_1000_seeds():
    seen = check_distractors(FID, range(1000))
    assert {"off-by-one", "power-only", "one-too-many"} <= set(seen)


def test_renders_both_languages():
    check_render(FID, 2)
