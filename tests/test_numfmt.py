"""Exact display: decimals only when exact, fractions otherwise, Bangla digits."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from generator import numfmt
from generator.numbers import parse_exact


def R(text):
    f = Fraction(text)
    return sp.Rational(f.numerator, f.denominator)


@pytest.mark.parametrize("q", ["1/100", "6/5", "-47/25", "3/8", "12345/16", "-7", "0"])
def test_terminating_decimals_are_exact(q):
    shown = str(numfmt.tex(R(q))).strip("{}")
    assert Fraction(shown) == Fraction(q)


@pytest.mark.parametrize("q", ["1/3", "-2/7", "80/81"])
def test_non_terminating_stay_fractions(q):
    f = Fraction(q)
    assert str(numfmt.tex(R(q))) .replace("{", "").replace("}", "") == \
        ("-" if f < 0 else "") + f"\\frac{abs(f.numerator)}{f.denominator}"
    assert str(numfmt.text(R(q))) == f"{f}".replace("-", "\u2212")


def test_huge_is_scientific_and_marked_approximate():
    v = sp.Integer(3) ** 100
    assert numfmt.is_approx(v)
    m, e = str(numfmt.tex(v)).split(" \\times 10^")
    assert abs(float(m) * 10 ** int(e.strip("{}")) / float(v) - 1) < 1e-3
    assert str(numfmt.eq(v)).startswith("\\approx")
    assert str(numfmt.eq(sp.Integer(80))) == "= 80"


def test_bangla_digits():
    assert str(numfmt.text(R("-2/3"), "bangla")) == "\u2212২/৩"
    assert str(numfmt.text(R("-3/2"), "bangla")) == "\u2212১.৫"
    assert str(numfmt.text(R("1.25"), "bangla")) == "১.২৫"
    assert str(numfmt.text(R("1.25"), "latin")) == "1.25"


def test_sum_folds_signs():
    assert str(numfmt.tex_sum([R("16"), R("-4"), R("1/3"), R("-1/2")])) == "16 - 4 + \\frac{1}{3} - 0.5"


@pytest.mark.parametrize("text,value", [("3", "3"), ("-0.25", "-1/4"), (" 1/2 ", "1/2"), ("+.5", "1/2"), ("-3/-4", "3/4")])
def test_parse_exact(text, value):
    assert parse_exact(text) == Fraction(value)


@pytest.mark.parametrize("text", ["abc", "1/0", "", "1e5", "2/", "nan", "inf", "0x10"])
def test_parse_exact_rejects(text):
    with pytest.raises(ValueError):
        parse_exact(text)
