"""JAX (float64) autodiff oracle for layer-product: the gradient through n
layers y = a_n(...a_1(x)) with each layer x -> w*sigma'*x is d y/d x = a^n;
the first depth passing the bound via jnp.log10 and a float64 scan.
Tolerance: relative 1e-9."""

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
from hypothesis import given, settings  # noqa: E402

from oracle_draw import seeds, variant  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(seeds())
def test_layer_product(seed):
    check_variant(variant("layer-product", seed))


FAMILY = "layer-product"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    w, d, n, k = (float(v.params[x]) for x in ("w", "d", "n", "k"))

    def net(x):
        for _ in range(int(n)):
            x = w * d * x
        return x

    grad = jax.grad(net)(1.0)
    assert jnp.isclose(grad, float(v.part("power").answer), rtol=1e-9, atol=0)
    a = abs(w * d)
    depths = jnp.arange(1, max(400, 2 * int(v.part("depth").answer) + 2))  # search range only
    logs = depths * jnp.log10(a)
    passed = logs > k if a > 1 else logs < -k
    assert int(depths[jnp.argmax(passed)]) == int(v.part("depth").answer)
    return 2
