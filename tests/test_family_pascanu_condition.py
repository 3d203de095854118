"""pascanu-condition against numpy (SVD and eigenvalues)."""

import numpy as np
import pytest

from generator import bank
from generator.errors import ParameterError
from .familykit import check_distractors, check_html, check_steps

FAM = "pascanu-condition"


def matrix(params):
    return np.array([[float(params["w11"]), float(params["w12"])], [float(params["w21"]), float(params["w22"])]])


def test_parts_against_numpy():
    fam = bank.get(FAM)
    for seed in range(100):
        v = fam.variant(seed)
        W = matrix(v.params)
        gamma = float(v.params["gamma"])
        lam1 = np.linalg.svd(W, compute_uv=False)[0]
        rho = max(abs(np.linalg.eigvals(W)))
        assert float(v.part("lambda1").answer) == pytest.approx(lam1, rel=1e-12)
        # a repeated eigenvalue (Jordan block) is only accurate to ~sqrt(eps) in LAPACK
        assert float(v.part("radius").answer) == pytest.approx(rho, rel=1e-7)
        assert rho < lam1  # non-normal W: the two differ
        want = "vanishing" if lam1 * gamma < 1 else "exploding-possible"
        assert v.part("verdict").answer == want


def test_every_step_checks():
    check_steps(FAM, range(40))


def test_fixed_parameters_and_boundary():
    fam = bank.get(FAM)
    v = fam.variant(3, fam.parse_fixed({"w11": "1", "w12": "0", "w21": "0", "w22": "1/2", "gamma": "1"}))
    assert v.part("verdict").answer == "bounded"  # lambda_1 = 1 = 1/gamma
    assert float(v.part("lambda1").answer) == 1.0
    with pytest.raises(ParameterError):
        fam.variant(3, fam.parse_fixed({"gamma": "1/2"}))


def test_both_verdicts_for_both_activations():
    fam = bank.get(FAM)
    seen = set()
    for seed in range(200):
        v = fam.variant(seed)
        seen.add((v.params["gamma"], v.part("verdict").answer))
    assert {(g, verdict) for g in (1, 0.25) for verdict in ("vanishing", "exploding-possible")} <= {
        (float(g), a) for g, a in seen
    }


def test_distractors_1000_seeds():
    check_distractors(FAM, range(1000))


def test_html_both_languages():
    out = check_html(FAM)
    assert "bmatrix" in out["key"]  # W and W^T W typeset as matrices (aria-label keeps the LaTeX)
