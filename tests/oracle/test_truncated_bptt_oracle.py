"""JAX (float64) oracle for truncated-bptt: jax.grad of L = sum_t h_t with
respect to w gives the full gradient; truncation to k steps is done with
stop_gradient, so each loss term h_t only sees w at its k most recent steps.
Compares forward, full, truncated and the relative error (relative 1e-9)."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings  # noqa: E402

from oracle_draw import seeds, variant  # noqa: E402


def loss(w, h0, T, k=None):
    total = 0.0
    for t in range(1, T + 1):
        # h_t, with w live only at steps s > t - k (all steps without truncation)
        h = h0
        for s in range(1, t + 1):
            live = k is None or s > t - k
            h = (w if live else jax.lax.stop_gradient(w)) * h
        total = total + h
    return total


@settings(max_examples=25, deadline=None)
@given(seeds())
def test_truncated_bptt(seed):
    check_variant(variant("truncated-bptt", seed))


FAMILY = "truncated-bptt"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    h0, w = float(v.params["h0"]), float(v.params["w"])
    T, k = int(v.params["T"]), int(v.params["k"])
    close = lambda x, y: bool(jnp.isclose(x, float(y), rtol=1e-9, atol=1e-12))  # noqa: E731
    full = jax.grad(loss)(w, h0, T)
    trunc = jax.grad(loss)(w, h0, T, k)
    assert close(loss(w, h0, T), v.part("forward").answer)
    assert close(full, v.part("full").answer)
    assert close(trunc, v.part("truncated").answer)
    assert close(jnp.abs(full - trunc) / jnp.abs(full), v.part("rel_error").answer)
    return 4
