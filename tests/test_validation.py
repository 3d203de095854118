"""Validation and limits: bank files, CLI values, sizes, huge numbers (issue 5, item 3)."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
import sympy as sp

from generator import bank, limits, numfmt, validate
from generator.model import Part
from .guard_util import one_line_error, run, temp_bank  # noqa: F401


# --- bank files: schema + semantic checks, each with file:line: field ------------

BROKEN = [
    # (old, new, line of, field, words in the message)
    ("T:   {type: integer,  min: 1,   max: 60", "T:   {type: integer,  min: 70,   max: 60", "T:   {type", "params.T", "empty range"),
    ("    symbol: dL_dw\n", "    symbol: dLdw\n", "symbol: dLdw", "parts[1].symbol", "not declared under symbols"),
    ("      $L = h_T$.\n", "      $L = h_T$ with {{ p.q }}.\n", "    stem: >-", "text.en.stem", "p.q }} names no declared parameter"),
    ('      forward: "ফরওয়ার্ড', '      forwrd: "ফরওয়ার্ড', "    parts:", "text.bn.parts", "no text for part 'forward' in 'bn'"),
    ('      neither: "গ্রেডিয়েন্ট বিস্ফোরিতও হয় না, বিলীনও হয় না"\n', "", "    verdict:", "text.bn.verdict", "no words for verdict 'neither'"),
    ("code: 1 ", "code: 0 ", "code: 0", "code", "less than the minimum of 1"),
    ('  en: "Scalar RNN', '  fr: "Scalar RNN', "title:", "title", "'en' is a required property"),
]


@pytest.mark.parametrize("old,new,needle,field,words", BROKEN, ids=[b[3] + ":" + b[4][:12] for b in BROKEN])
def test_broken_family_is_refused_with_file_line_field(temp_bank, capsys, old, new, needle, field, words):
    temp_bank.replace(old, new)
    line = temp_bank.line_of(needle, nth=-1 if field.startswith("text.bn") else 0)
    code, out, err = run(capsys, "families")
    msg = one_line_error(err)
    assert code == 1 and out == ""
    assert f"{temp_bank.family}:{line}: {field}: " in msg, msg
    assert words in msg


def test_real_bank_passes_semantic_checks():
    from generator.checks import compose, family_problems

    for fam in bank.families().values():
        text = (fam.folder / "family.yaml").read_text(encoding="utf-8")
        assert family_problems(fam.meta, compose(text)) == []


# --- CLI values against the family's declared ranges ----------------------------

@pytest.mark.parametrize(
    "value,words",
    [
        ("T=61", "T=61: must be an integer from 1 to 60"),
        ("T=0", "T=0: must be an integer from 1 to 60"),
        ("T=2.5", "T=2.5: must be an integer"),
        ("w=10.01", "w=10.01: must be a number from -10 to 10"),
        ("eta=0", "eta=0: must be a number greater than 0 to 1"),
        ("c=abc", "c=abc: not a number"),
        ("h0=1/0", "h0=1/0: division by zero"),
        ("h0=1e5", "h0=1e5: not a number"),
        ("zz=1", "scalar-rnn has no parameter 'zz'"),
        ("h0=" + "1" * 41, "h0: value is 41 characters long (at most 40)"),
    ],
)
def test_set_values_checked_against_declared_ranges(capsys, value, words):
    code, out, err = run(capsys, "solve", "scalar-rnn", "--seed", "1", "--set", value)
    msg = one_line_error(err)
    assert code == 2 and out == ""
    assert words in msg, msg


def test_declared_range_edges_are_accepted():
    fam = bank.get("scalar-rnn")
    spec = fam.params
    assert spec["T"].coerce("60") == 60 and spec["T"].coerce("1") == 1
    assert spec["eta"].coerce("1/1000000") == Fraction(1, 1000000)
    assert spec["w"].coerce("-10") == -10 and spec["c"].coerce("1000") == 1000


# --- limits ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "args,words",
    [
        (["generate", "--students", "0"], "--students"),
        (["generate", "--students", str(limits.MAX_STUDENTS + 1)], "--students"),
        (["generate", "--seed", "-1"], "--seed"),
        (["generate", "--seed", str(limits.MAX_SEED + 1)], "--seed"),
        (["solve", "scalar-rnn", "--seed", str(2**64)], "--seed"),
        (["generate", "--seed", "1"] + ["--family", "scalar-rnn"] * (limits.MAX_FAMILIES + 1),
         f"a paper holds 1 to {limits.MAX_FAMILIES} questions, not {limits.MAX_FAMILIES + 1}"),
        (["generate", "--family", "x" * 100_000], "unknown family"),
        (["generate", "--seed", "1", "--set", "T=" + "9" * 100_000], "T: value is 100000 characters long"),
    ],
    ids=["students0", "students501", "seed-1", "seed2^63", "solve-seed", "families", "long-family", "long-set"],
)
def test_limits_give_one_short_line(capsys, tmp_path, args, words):
    code, out, err = run(capsys, *args, *(["--out", tmp_path / "o"] if args[0] == "generate" else []))
    msg = one_line_error(err)
    assert code == 2
    assert words in msg, msg
    assert len(msg) <= 320  # a huge input is never echoed back whole
    assert not (tmp_path / "o").exists()


def test_library_refuses_too_many_students(tmp_path):
    from generator.build import generate
    from generator.errors import UsageError
    from generator.paper import QuizSpec

    spec = QuizSpec.build(["scalar-rnn"], {}, 1, "en", None)
    with pytest.raises(UsageError, match="students must be 1 to 500"):
        generate(spec, limits.MAX_STUDENTS + 1, tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_oversized_bank_file_is_refused(temp_bank, capsys):
    with open(temp_bank.family, "a", encoding="utf-8") as fh:
        fh.write("# padding\n" * (validate.MAX_FILE_BYTES // 10 + 1))
    code, _, err = run(capsys, "families")
    msg = one_line_error(err)
    assert code == 1 and f"{temp_bank.family}: file is larger than 1000 kB" in msg


# --- huge values: scientific notation, never a 60-digit number; float overflow ----

def _sci_expected(x: Fraction) -> str:
    """Independent: Decimal with 60 digits, rounded to 4 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = abs(Decimal(x.numerator) / Decimal(x.denominator))
        mant, exp = f"{d:.3e}".split("e")
    mant = mant.rstrip("0").rstrip(".")
    sign = "\u2212" if x < 0 else ""
    return f"{sign}{mant} × 10<sup>{int(exp)}</sup>".replace("-", "\u2212")


@pytest.mark.parametrize(
    "x",
    [Fraction(10) ** 400, Fraction(-3, 7) * Fraction(10) ** 500, Fraction(1, 10**400), Fraction(2, 3) ** 2000,
     Fraction(123456789012345), Fraction(99995, 10**9), Fraction(-7) ** 61],
)
def test_scientific_notation_is_exact_beyond_float_range(x):
    got = str(numfmt.text(sp.Rational(x.numerator, x.denominator)))
    assert got == _sci_expected(x)
    assert numfmt.is_approx(sp.Rational(x.numerator, x.denominator))


@pytest.fixture(scope="module")
def huge_paper(tmp_path_factory):
    out = tmp_path_factory.mktemp("huge") / "o"
    code = main_quiet(["generate", "--students", "1", "--seed", "7", "--lang", "en", "--set", "T=60",
                       "--set", "w=10", "--set", "h0=3", "--out", str(out)])
    assert code == 0
    return out


def main_quiet(argv):
    from generator.cli import main

    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_t60_w10_key_shows_scientific_notation_not_60_digits(huge_paper):
    html = (huge_paper / "student-01-key.html").read_text(encoding="utf-8")
    # no run of more than numfmt.MAX_DIGITS digits anywhere (text, SVG, attributes)
    longest = max(map(len, re.findall(r"\d+", html)))
    assert longest <= numfmt.MAX_DIGITS, longest
    # independent values: L = h0 w^T, dL/dw = T h0 w^(T-1)
    h0, w, T = Fraction(3), Fraction(10), 60
    assert _sci_expected(h0 * w**T) in html
    assert _sci_expected(T * h0 * w ** (T - 1)) in html


def test_declared_ranges_keep_every_answer_inside_float_range():
    """|every answer| grows with |h0|, |w|, T, eta and c, so the corners of the
    declared box bound it; at every corner each float is finite and equals the
    independently computed value."""
    fam = bank.get("scalar-rnn")
    p = fam.params
    for w in (p["w"].min, p["w"].max):
        for h0 in (p["h0"].min, p["h0"].max):
            fixed = {"T": p["T"].max, "w": w, "h0": h0, "eta": p["eta"].max, "c": p["c"].max}
            data = fam.variant(0, fixed).to_data()
            answers = {part["id"]: part["answer"]["float"] for part in data["parts"]}
            assert all(math.isfinite(v) for v in answers.values())
            T = int(p["T"].max)
            assert answers["forward"] == pytest.approx(float(h0 * w**T), rel=1e-12)
            assert answers["gradient"] == pytest.approx(float(T * h0 * w ** (T - 1)), rel=1e-12)
            assert json.dumps(data)  # JSON has no inf/nan


def test_float_overflow_is_refused_with_a_reason():
    from generator.errors import ValueRangeError

    part = Part(id="gradient", answer=sp.Integer(10) ** 400, steps=[])
    with pytest.raises(ValueRangeError, match=r"too large for a float \(about 10\^400\)"):
        part.answer_data()
    part = Part(id="forward", answer=sp.Rational(10**400, 3), steps=[])
    with pytest.raises(ValueRangeError, match=r"about 10\^399"):
        part.answer_data()


def test_float_overflow_through_the_cli(temp_bank, capsys):
    """A family that declares a range too wide: solve --json refuses in one line."""
    temp_bank.replace("max: 60, symbol", "max: 400, symbol")
    code, out, err = run(capsys, "solve", "scalar-rnn", "--seed", "1", "--json",
                         "--set", "T=320", "--set", "w=10", "--set", "h0=1")
    msg = one_line_error(err)
    assert code == 2 and out == ""
    assert "the answer to part 'forward' is too large for a float (about 10^320)" in msg
