"""JAX (float64) oracle for lstm-cell-gradient: the cell recurrence with the
gates as constants, jax.grad of C_T with respect to C_0 (the forget-gate
product), of a vanilla linear RNN's h_T with respect to h_0 (w^T), and the
forward C_T. Tolerance: relative 1e-12."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings  # noqa: E402

from oracle_draw import seeds, variant  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(seeds())
def test_lstm_cell(seed):
    check_variant(variant("lstm-cell-gradient", seed))


FAMILY = "lstm-cell-gradient"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    p = {k: float(x) for k, x in v.params.items()}
    T = int(p["T"])
    f = jnp.array([p[f"f{t}"] for t in range(1, T + 1)])

    def cell(c0):
        c = c0
        for t in range(T):
            c = f[t] * c + p["i"] * p["u"]
        return c

    def rnn(h0):
        h = h0
        for _ in range(T):
            h = p["w"] * h
        return h

    close = lambda x, y: bool(jnp.isclose(x, float(y), rtol=1e-12, atol=1e-15))  # noqa: E731
    assert close(cell(p["C0"]), v.part("forward").answer)
    assert close(jax.grad(cell)(p["C0"]), v.part("cell_grad").answer)
    assert close(jax.grad(rnn)(1.0), v.part("rnn_grad").answer)
    assert close(jax.grad(cell)(p["C0"]) / jax.grad(rnn)(1.0), v.part("ratio").answer)
    return 4
