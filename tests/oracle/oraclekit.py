"""Shared helpers for the autograd oracle (see README.md in this folder).

An oracle module ``test_<family>_oracle.py`` rebuilds a family's computation
in JAX (CPU, float64) and compares every value the answer key shows with the
solver's exact value. This module gives it:

- :func:`jax` — JAX on CPU with float64 switched on;
- :func:`close` / :class:`Checker` — exact value vs. float within a stated
  tolerance: ``|got - exact| <= RTOL * max(|exact|, scale) + ABS_FLOOR``;
- :func:`params_strategy` (hypothesis) and :func:`random_params` (plain
  ``random``) — parameters drawn from the family's *declared* ranges in
  ``family.yaml`` (not only the solver's draw sets), validated by
  ``Family.parse_fixed``; :func:`variant_for` solves them;
- :func:`examples` — hypothesis ``max_examples``, scaled by the environment
  variable ``GRADEX_ORACLE_EXAMPLES``.

It is a plain module (not only conftest.py) so that ``tools/oracle_long.py``
can use it outside pytest.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction
from typing import Any

RTOL = 1e-9  # relative tolerance for every compared value
ABS_FLOOR = 1e-290  # absolute floor: float64 loses relative precision near 1e-308
MAX_DEN = 12  # rationals are drawn with denominators 1..MAX_DEN


def jax():
    """JAX on CPU in float64."""
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax as _jax

    _jax.config.update("jax_enable_x64", True)
    return _jax


def examples(default: int) -> int:
    """hypothesis ``max_examples``: ``default``, or GRADEX_ORACLE_EXAMPLES when set."""
    raw = os.environ.get("GRADEX_ORACLE_EXAMPLES", "").strip()
    return int(raw) if raw else default


# --- exact vs float -------------------------------------------------------------


def exact_fraction(value: Any) -> Fraction:
    """A sympy / Python number as an exact Fraction (irrationals to 40 digits)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, float):
        return Fraction(value)
    import sympy as sp

    return Fraction(str(sp.N(value, 40)))


def close(exact: Any, got: Any, rtol: float = RTOL, scale: Any = 0, atol: float = ABS_FLOOR) -> bool:
    """True when the float ``got`` is within tolerance of the exact value.

    ``|got - exact| <= rtol * max(|exact|, |scale|) + atol``, computed exactly
    (no overflow for huge values). ``scale`` is the size of the operands when
    the value comes from a difference that may cancel (``w - eta*g``).
    """
    g = float(got)
    if not math.isfinite(g):
        return False
    fast = _as_float(exact), _as_float(scale)
    if None not in fast and (fast[0] == 0 or abs(fast[0]) > 1e-280):
        # float64 holds the exact value to 1e-16 relative, far inside rtol
        x, s = fast
        return abs(g - x) <= rtol * max(abs(x), abs(s)) + atol
    q = exact_fraction(exact)
    err = abs(Fraction(g) - q)
    bound = Fraction(rtol) * max(abs(q), abs(exact_fraction(scale))) + Fraction(atol)
    return err <= bound


def _as_float(value: Any) -> float | None:
    """The value as a correctly rounded float, or None (overflow, not rational)."""
    try:
        if getattr(value, "is_Rational", False):
            return int(value.p) / int(value.q)
        if isinstance(value, Fraction):
            return value.numerator / value.denominator
        if isinstance(value, (int, float)):
            return float(value)
    except OverflowError:
        return None
    return None


class Disagreement(AssertionError):
    """The oracle and the solver disagree on one value."""


# worst relative error seen in this process by Checker.close (oracle_long prints it)
STATS = {"worst_rel": 0.0, "worst_what": ""}


class Checker:
    """Compares values of one variant and counts them; the first disagreement
    raises :class:`Disagreement` naming the family, seed, params and value."""

    def __init__(self, variant):
        self.variant = variant
        self.compared = 0

    def where(self) -> str:
        v = self.variant
        params = ", ".join(f"{k}={x}" for k, x in v.params.items())
        return f"{v.family} seed {v.seed} ({params})"

    def close(self, what: str, exact: Any, got: Any, rtol: float = RTOL, scale: Any = 0, atol: float = ABS_FLOOR):
        self.compared += 1
        x, g = _as_float(exact), float(got)
        if x is not None and math.isfinite(g):
            den = max(abs(x), abs(_as_float(scale) or 0.0))
            rel = abs(g - x) / den if den else abs(g)
            if rel > STATS["worst_rel"]:
                STATS.update(worst_rel=rel, worst_what=f"{self.where()}: {what}")
        if not close(exact, got, rtol, scale, atol):
            q = exact_fraction(exact)
            g = float(got)
            rel = abs(g - float(q)) / abs(float(q)) if q else abs(g)
            raise Disagreement(f"{self.where()}: {what}: solver {exact} (= {float(q):.17g}) vs jax {g:.17g} (rel. error {rel:.2e})")

    def equal(self, what: str, exact: Any, got: Any):
        self.compared += 1
        if exact != got:
            raise Disagreement(f"{self.where()}: {what}: solver {exact!r} vs jax {got!r}")


# --- parameters from the declared ranges ----------------------------------------


def _bounds(spec, narrow=None):
    lo, hi = spec.min, spec.max
    if narrow is not None:
        lo, hi = max(lo, Fraction(narrow[0])), min(hi, Fraction(narrow[1]))
    return lo, hi


def _ok(spec, value: Fraction) -> bool:
    return (value > spec.min if spec.min_exclusive else value >= spec.min) and value <= spec.max


def params_strategy(family, narrow: dict | None = None, max_den: int = MAX_DEN):
    """hypothesis strategy: a dict of every parameter of ``family`` drawn from its
    declared range (integers: any integer; rationals: any fraction with
    denominator 1..max_den, endpoints and 0 included), validated by
    ``family.parse_fixed``. ``narrow`` = {name: (lo, hi)} narrows a range."""
    from hypothesis import strategies as st

    narrow = narrow or {}
    parts = {}
    for name, spec in family.params.items():
        lo, hi = _bounds(spec, narrow.get(name))
        if spec.type == "integer":
            parts[name] = st.integers(math.ceil(lo), math.floor(hi)).map(Fraction).filter(lambda v, s=spec: _ok(s, v))
        else:

            def by_den(den, lo=lo, hi=hi):
                return st.integers(math.ceil(lo * den), math.floor(hi * den)).map(lambda k, d=den: Fraction(k, d))

            parts[name] = st.integers(1, max_den).flatmap(by_den).filter(lambda v, s=spec: _ok(s, v))
    return st.fixed_dictionaries(parts).map(lambda d: family.parse_fixed({k: str(v) for k, v in d.items()}))


def random_params(family, rng, narrow: dict | None = None, max_den: int = MAX_DEN) -> dict[str, Fraction]:
    """The same distribution as :func:`params_strategy` with a ``random.Random``
    (for the long run); one draw in ten per parameter is an endpoint or 0."""
    narrow = narrow or {}
    out = {}
    for name, spec in family.params.items():
        lo, hi = _bounds(spec, narrow.get(name))
        while True:
            if rng.random() < 0.1:
                v = Fraction(rng.choice([lo, hi, Fraction(0)]))
                if spec.type == "integer":
                    v = Fraction(math.ceil(v))
            elif spec.type == "integer":
                v = Fraction(rng.randint(math.ceil(lo), math.floor(hi)))
            else:
                den = rng.randint(1, max_den)
                v = Fraction(rng.randint(math.ceil(lo * den), math.floor(hi * den)), den)
            if _ok(spec, v) and lo <= v <= hi:
                out[name] = v
                break
    return family.parse_fixed({k: str(v) for k, v in out.items()})


def variant_for(family, params: dict, seed: int = 0):
    """Solve ``family`` with every parameter fixed to ``params``."""
    return family.variant(seed, params)
