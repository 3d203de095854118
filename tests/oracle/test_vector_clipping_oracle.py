"""JAX (float64) oracle for vector-clipping: the norm (jnp.linalg.norm),
clip by norm as optax does it (g * min(1, c/||g||)), clip by value
(jnp.clip), the angle between g and the value-clipped g, and the SGD change
of a parameter vector, taken as the difference of one real update step.
Tolerance: relative 1e-12 (angle: 0.01 degree, the key rounds to 2 decimals)."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings  # noqa: E402

from oracle_draw import seeds, variant  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(seeds())
def test_vector_clipping(seed):
    check_variant(variant("vector-clipping", seed))


FAMILY = "vector-clipping"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    m = int(v.params["m"])
    g = jnp.array([float(v.params[f"g{i}"]) for i in range(1, m + 1)])
    c, eta = float(v.params["c"]), float(v.params["eta"])
    arr = lambda x: jnp.array([float(e) for e in x])  # noqa: E731
    norm = jnp.linalg.norm(g)
    assert jnp.isclose(norm, float(v.part("norm").answer), rtol=1e-12)
    by_norm = g * jnp.minimum(1.0, c / norm)
    assert jnp.allclose(by_norm, arr(v.part("clip_norm").answer), rtol=1e-12)
    by_value = jnp.clip(g, -c, c)
    assert jnp.allclose(by_value, arr(v.part("clip_value").answer), rtol=1e-12)
    angle = jnp.degrees(jnp.arccos(jnp.minimum(1.0, g @ by_value / (norm * jnp.linalg.norm(by_value)))))
    assert abs(float(angle) - float(v.part("clip_value").steps[1].angle)) < 0.01
    theta = jnp.arange(1.0, m + 1.0)
    assert jnp.allclose((theta - eta * by_norm) - theta, arr(v.part("update").answer), rtol=1e-9, atol=1e-15)
    return 5
