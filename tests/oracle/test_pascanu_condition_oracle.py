"""pascanu-condition: lambda_1 via jnp.linalg.svd / norm(ord=2), rho via eigvals (x64)."""

import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from generator import bank  # noqa: E402

FAM = bank.get("pascanu-condition")


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_singular_value_and_radius_match_jax(seed):
    check_variant(FAM.variant(seed))


FAMILY = "pascanu-condition"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    p = {k: float(x) for k, x in v.params.items()}
    W = jnp.array([[p["w11"], p["w12"]], [p["w21"], p["w22"]]])
    lam1 = float(jnp.linalg.svd(W, compute_uv=False)[0])
    assert abs(lam1 - float(jnp.linalg.norm(W, ord=2))) < 1e-12
    rho = float(jnp.max(jnp.abs(jnp.linalg.eigvals(W))))
    assert float(v.part("lambda1").answer) == pytest.approx(lam1, rel=1e-12)
    assert float(v.part("radius").answer) == pytest.approx(rho, rel=1e-7)  # Jordan blocks: ~sqrt(eps)
    verdict = "vanishing" if lam1 * p["gamma"] < 1 else "exploding-possible"
    assert v.part("verdict").answer == verdict
    return 4
