"""lstm-cell-gradient against plain Fraction loops (not the solver)."""

from fractions import Fraction

import pytest

from .famcheck import check_distractors, check_render, check_steps, variants
from generator import bank
from generator.errors import ParameterError

FID = "lstm-cell-gradient"


def F(x) -> Fraction:
    return Fraction(str(x))


def independent(p: dict) -> dict:
    T = int(p["T"])
    C = p["C0"]
    prod = Fraction(1)
    for t in range(1, T + 1):
        f = p[f"f{t}"]
        C = f * C + p["i"] * p["u"]
        prod *= f
    rnn = p["w"] ** T
    return {"forward": C, "cell_grad": prod, "rnn_grad": rnn, "ratio": prod / rnn}


def test_answers_match_independent_computation():
    Ts = set()
    for v in variants(FID, range(200)):
        p = {k: F(x) for k, x in v.params.items()}
        T = int(p["T"])
        # gates beyond T are not part of the variant
        assert all(f"f{t}" not in p for t in range(T + 1, 7))
        want = independent(p)
        for part in v.parts:
            assert F(part.answer) == want[part.id], (v.seed, part.id)
        Ts.add(T)
        # the LSTM path beats the vanilla RNN in every drawn variant
        assert want["ratio"] > 1
    assert Ts == {3, 4, 5, 6}


def test_steps_check():
    assert check_steps(FID, range(200)) > 1000


def test_fixed_params():
    fam = bank.get(FID)
    v = fam.variant(5, fam.parse_fixed({"T": "3", "f1": "0.9", "f2": "0.8", "f3": "0.95", "w": "0.5", "C0": "1", "i": "0.5", "u": "1"}))
    assert F(v.part("cell_grad").answer) == F("0.9") * F("0.8") * F("0.95")
    assert F(v.part("rnn_grad").answer) == F("0.125")
    with pytest.raises(ParameterError):
        fam.variant(5, fam.parse_fixed({"w": "0"}))
    with pytest.raises(ParameterError):
        fam.parse_fixed({"f1": "1.5"})


def test_distractors_distinct_over_1000_seeds():
    seen = check_distractors(FID, range(1000))
    assert {"sum-not-product", "last-gate-only", "ratio-inverted"} <= set(seen)


def test_renders_both_languages():
    check_render(FID, 11)
