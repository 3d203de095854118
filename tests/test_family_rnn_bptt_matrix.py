"""rnn-bptt-matrix against an independent numpy forward/backward pass.

Solving takes ~40 ms a variant (tanh at 50 digits), so the distractor sweep
uses 200 seeds here; tools can run more."""

import numpy as np
import pytest
import sympy as sp

from generator import bank
from generator.errors import ParameterError
from .familykit import check_distractors, check_html, check_steps

FAM = "rnn-bptt-matrix"


def numpy_bptt(p):
    f = {k: float(v) for k, v in p.items()}
    T = int(f["T"])
    Whh = np.array([[f["whh11"], f["whh12"]], [f["whh21"], f["whh22"]]])
    Wxh = np.array([f["wxh1"], f["wxh2"]])
    Why = np.array([f["why1"], f["why2"]])
    b = np.array([f["b1"], f["b2"]])
    xs = [f[f"x{t}"] for t in range(1, T + 1)]
    ts = [f[f"ys{t}"] for t in range(1, T + 1)]
    hs, ys = [np.zeros(2)], []
    for t in range(T):
        hs.append(np.tanh(Wxh * xs[t] + Whh @ hs[-1] + b))
        ys.append(Why @ hs[-1])
    L = 0.5 * sum((y - s) ** 2 for y, s in zip(ys, ts))
    dWhh, dWxh, dWhy = np.zeros((2, 2)), np.zeros(2), np.zeros(2)
    nxt = np.zeros(2)
    deltas = {}
    for t in range(T, 0, -1):
        dy = ys[t - 1] - ts[t - 1]
        d = (Why * dy + Whh.T @ nxt) * (1 - hs[t] ** 2)
        deltas[t] = d
        dWhh += np.outer(d, hs[t - 1])
        dWxh += d * xs[t - 1]
        dWhy += dy * hs[t]
        nxt = d
    return L, deltas[1], dWhh, dWxh, dWhy


def as_array(m):
    return np.array([[float(x) for x in m.row(i)] for i in range(m.rows)])


def test_parts_against_numpy():
    fam = bank.get(FAM)
    for seed in range(40):
        v = fam.variant(seed)
        L, d1, gWhh, gWxh, gWhy = numpy_bptt(v.params)
        assert float(v.part("forward").answer) == pytest.approx(L, rel=1e-12)
        np.testing.assert_allclose(as_array(v.part("deltas").answer).ravel(), d1, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(as_array(v.part("grad_whh").answer), gWhh, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(as_array(v.part("grad_wxh").answer).ravel(), gWxh, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(as_array(v.part("grad_why").answer).ravel(), gWhy, rtol=1e-12, atol=1e-14)


def test_every_step_checks():
    check_steps(FAM, range(15))


def test_a_wrong_step_fails_its_check():
    fam = bank.get(FAM)
    step = fam.variant(0).part("deltas").steps[-1]
    import dataclasses

    bad = dataclasses.replace(step, result=step.result * 1.0001)
    assert step.check() and not bad.check()


def test_fixed_parameters():
    fam = bank.get(FAM)
    fixed = fam.parse_fixed({"T": "2", "whh11": "1/2", "whh12": "-1/2", "whh21": "0", "whh22": "1"})
    v = fam.variant(5, fixed)
    assert v.params["T"] == 2 and v.params["whh12"] == sp.Rational(-1, 2)
    L, *_ = numpy_bptt(v.params)
    assert float(v.part("forward").answer) == pytest.approx(L, rel=1e-12)
    with pytest.raises(ParameterError):
        fam.parse_fixed({"T": "4"})


def test_both_lengths_occur():
    fam = bank.get(FAM)
    assert {int(fam.variant(s).params["T"]) for s in range(30)} == {2, 3}


def test_distractors_200_seeds():
    check_distractors(FAM, range(200))


def test_html_both_languages():
    out = check_html(FAM)
    assert "bmatrix" in out["key"] and "\\odot" in out["key"]
