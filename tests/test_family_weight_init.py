"""weight-init against plain-Python arithmetic (Fractions and math.sqrt)."""

import math
from fractions import Fraction

import pytest

from generator import bank
from generator.errors import ParameterError
from .familykit import check_distractors, check_html, check_steps

FAM = "weight-init"


def expected(fi, fo, act):
    return {
        "xavier_var": Fraction(2, fi + fo),
        "xavier_limit": math.sqrt(6 / (fi + fo)),
        "he_var": Fraction(2, fi),
        "he_limit": math.sqrt(6 / fi),
        "choice": "he" if act == 1 else "xavier",
    }


def test_parts_against_independent_computation():
    fam = bank.get(FAM)
    for seed in range(100):
        v = fam.variant(seed)
        fi, fo, act = (int(v.params[k]) for k in ("fan_in", "fan_out", "act"))
        exp = expected(fi, fo, act)
        for part in v.parts:
            want = exp[part.id]
            if isinstance(want, str):
                assert part.answer == want
            elif isinstance(want, Fraction):
                assert Fraction(str(part.answer)) == want  # exact rational
            else:
                assert float(part.answer) == pytest.approx(want, rel=1e-14)
                assert part.answer.is_algebraic  # an exact surd, not a float
        # the uniform limit gives the variance back: a^2/3 = Var
        assert Fraction(str(v.part("xavier_limit").answer ** 2 / 3)) == exp["xavier_var"]


def test_every_step_checks():
    check_steps(FAM, range(40))


def test_fixed_parameters():
    fam = bank.get(FAM)
    v = fam.variant(1, fam.parse_fixed({"fan_in": "256", "fan_out": "512", "act": "1"}))
    assert Fraction(str(v.part("xavier_var").answer)) == Fraction(1, 384)
    assert float(v.part("xavier_limit").answer) == pytest.approx(math.sqrt(6 / 768))
    assert v.part("choice").answer == "he"
    with pytest.raises(ParameterError):
        fam.parse_fixed({"act": "2"})


def test_both_choices_occur():
    fam = bank.get(FAM)
    seen = {fam.variant(s).part("choice").answer for s in range(40)}
    assert seen == {"he", "xavier"}


def test_precision_declared_once():
    fam = bank.get(FAM)
    v = fam.variant(0)
    for part in v.parts:
        if part.spec.answer_type == "numeric":
            assert part.spec.precision == fam.solver.PRECISION == part.extra["precision"]


def test_distractors_1000_seeds():
    check_distractors(FAM, range(1000))


def test_html_both_languages():
    out = check_html(FAM)
    assert "He (Kaiming)" in out["key"]
