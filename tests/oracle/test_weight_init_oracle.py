"""weight-init: no autodiff needed; numpy against the solver, and the variance
of samples from the solver's uniform limit (a^2/3) against its variance."""

import numpy as np
from hypothesis import given, settings, strategies as st

from generator import bank

FAM = bank.get("weight-init")


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_against_numpy(seed):
    check_variant(FAM.variant(seed))


FAMILY = "weight-init"  # tools/oracle_long.py runs check_variant over many variants


def check_variant(v) -> int:
    """Raise AssertionError where the oracle disagrees with the key; return the checks made."""
    fi, fo = int(v.params["fan_in"]), int(v.params["fan_out"])
    assert np.isclose(float(v.part("xavier_var").answer), 2 / (fi + fo), rtol=1e-14)
    assert np.isclose(float(v.part("he_var").answer), 2 / fi, rtol=1e-14)
    for part, var in (("xavier_limit", 2 / (fi + fo)), ("he_limit", 2 / fi)):
        a = float(v.part(part).answer)
        assert np.isclose(a, np.sqrt(3 * var), rtol=1e-14)
        rng = np.random.default_rng(v.seed % 2**32)
        sample = rng.uniform(-a, a, size=(fi, 200))
        assert abs(sample.var() / var - 1) < 0.05  # the limit really gives that variance
    return 4
