"""rnn-bptt-matrix: the solver's gradients and delta_1 against jax.grad (x64)."""

import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from generator import bank  # noqa: E402

FAM = bank.get("rnn-bptt-matrix")


def loss(Whh, Wxh, Why, b, a_shift, xs, ts):
    """a_shift: an additive perturbation of a_1 (so dL/da_1 = delta_1)."""
    h, L = jnp.zeros(2), 0.0
    for t in range(len(xs)):
        a = Wxh * xs[t] + Whh @ h + b + (a_shift if t == 0 else 0.0)
        h = jnp.tanh(a)
        L = L + 0.5 * (Why @ h - ts[t]) ** 2
    return L


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_gradients_match_jax(seed):
    check_variant(FAM.variant(seed))


FAMILY = "rnn-bptt-matrix"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    f = {k: float(x) for k, x in v.params.items()}
    T = int(f["T"])
    Whh = jnp.array([[f["whh11"], f["whh12"]], [f["whh21"], f["whh22"]]])
    Wxh = jnp.array([f["wxh1"], f["wxh2"]])
    Why = jnp.array([f["why1"], f["why2"]])
    b = jnp.array([f["b1"], f["b2"]])
    xs = [f[f"x{t}"] for t in range(1, T + 1)]
    ts = [f[f"ys{t}"] for t in range(1, T + 1)]
    g = jax.grad(loss, argnums=(0, 1, 2, 4))(Whh, Wxh, Why, b, jnp.zeros(2), xs, ts)

    def arr(m):
        return jnp.array([[float(x) for x in m.row(i)] for i in range(m.rows)])

    assert jnp.allclose(arr(v.part("grad_whh").answer), g[0], rtol=1e-10, atol=1e-12)
    assert jnp.allclose(arr(v.part("grad_wxh").answer).ravel(), g[1], rtol=1e-10, atol=1e-12)
    assert jnp.allclose(arr(v.part("grad_why").answer).ravel(), g[2], rtol=1e-10, atol=1e-12)
    assert jnp.allclose(arr(v.part("deltas").answer).ravel(), g[3], rtol=1e-10, atol=1e-12)
    L = loss(Whh, Wxh, Why, b, jnp.zeros(2), xs, ts)
    assert abs(float(v.part("forward").answer) - float(L)) < 1e-12
    return 5
