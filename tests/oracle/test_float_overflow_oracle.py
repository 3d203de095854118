"""JAX oracle for float-overflow: g(T) = T*h0*w^(T-1) evaluated in float64
and rounded once into jnp.float16 / jnp.float32 is inf at the solver's T and
finite at T-1; and in float16, inf - inf and 0*inf are NaN."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings  # noqa: E402

from oracle_draw import seeds, variant  # noqa: E402


def g(T, h0, w):
    return T * h0 * jnp.float64(w) ** (T - 1)


@settings(max_examples=25, deadline=None)
@given(seeds())
def test_float_overflow(seed):
    check_variant(variant("float-overflow", seed))


FAMILY = "float-overflow"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    h0, w = float(v.params["h0"]), float(v.params["w"])
    for part, dtype in (("float16", jnp.float16), ("float32", jnp.float32)):
        T = int(v.part(part).answer)
        assert jnp.isinf(jnp.asarray(g(T, h0, w)).astype(dtype))
        if T > 1:
            assert jnp.isfinite(jnp.asarray(g(T - 1, h0, w)).astype(dtype))
    inf16 = jnp.asarray(g(int(v.part("float16").answer), h0, w)).astype(jnp.float16)
    assert jnp.isnan(jnp.abs(inf16) - jnp.abs(inf16)) and jnp.isnan(jnp.float16(0) * inf16)
    assert v.part("symptom").answer == "nan"
    return 4
