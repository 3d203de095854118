"""vector-clipping against numpy (floats) and Fractions (exact squares), not the solver."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from .famcheck import check_distractors, check_render, check_steps, variants
from generator import bank
from generator.errors import ParameterError

FID = "vector-clipping"


def F(x) -> Fraction:
    return Fraction(str(x))


def floats(v) -> np.ndarray:
    return np.array([float(x) for x in v])


def test_answers_match_numpy():
    cases = set()
    for v in variants(FID, range(200)):
        p = {k: F(x) for k, x in v.params.items()}
        m = int(p["m"])
        assert all(f"g{i}" not in p for i in range(m + 1, 5))
        g_exact = [p[f"g{i}"] for i in range(1, m + 1)]
        g, c, eta = floats(g_exact), float(p["c"]), float(p["eta"])
        norm = np.linalg.norm(g)
        # exact: the norm squared is the sum of squares
        assert sp.nsimplify(v.part("norm").answer ** 2) == sp.Rational(str(sum(x * x for x in g_exact)))
        by_norm = g * (c / norm) if norm > c else g
        by_value = np.clip(g, -c, c)
        np.testing.assert_allclose(floats(v.part("clip_norm").answer), by_norm, rtol=1e-12)
        np.testing.assert_allclose(floats(v.part("clip_value").answer), by_value, rtol=1e-12)
        np.testing.assert_allclose(floats(v.part("update").answer), -eta * by_norm, rtol=1e-12)
        cos = g @ by_value / (norm * np.linalg.norm(by_value))
        step = v.part("clip_value").steps[1]
        assert abs(float(step.angle) - np.degrees(np.arccos(min(1.0, cos)))) < 0.01
        cases.add(("triggered" if norm > c else "unchanged", "turned" if float(step.angle) > 0 else "kept"))
    assert {("triggered", "turned"), ("triggered", "kept"), ("unchanged", "kept")} <= cases


def test_steps_check():
    assert check_steps(FID, range(200)) > 800


def test_fixed_params():
    fam = bank.get(FID)
    v = fam.variant(1, fam.parse_fixed({"m": "3", "g1": "1", "g2": "1", "g3": "1", "c": "1", "eta": "0.5"}))
    assert v.part("norm").answer == sp.sqrt(3)
    assert list(v.part("clip_norm").answer) == [1 / sp.sqrt(3)] * 3
    assert "g4" not in v.params
    with pytest.raises(ParameterError):
        fam.variant(1, fam.parse_fixed({"m": "2", "g1": "0", "g2": "0"}))


def test_distractors_distinct_over_1000_seeds():
    seen = check_distractors(FID, range(1000))
    assert {"value-for-norm", "clip-below-threshold", "sign-of-step", "forgets-eta", "no-square-root"} <= set(seen)


def test_renders_both_languages():
    check_render(FID, 2)  # a surd norm
    check_render(FID, 1)
