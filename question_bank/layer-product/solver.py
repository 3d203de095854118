"""layer-product: a gradient passing back through n layers is multiplied by
the per-layer factor a = w * d (weight times activation derivative) at each
layer, so it scales as a^n. |a| > 1 explodes, |a| < 1 vanishes; the smallest
depth at which |a|^n passes 10^k (or falls below 10^-k) comes from logs and is
verified exactly with rational arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.errors import ParameterError
from generator.plots import GrowthPlot, HLine, growth_series
from generator.model import Distractor, Part
from generator.steps import AbsCompare, Step

# (weight, activation derivative): exploding pairs have |w*d| > 1, vanishing < 1
EXPLODING = [("2", "1"), ("3", "1"), ("-2", "1"), ("4", "1/2"), ("6", "1/2"), ("3", "1/2"), ("5", "1/2"), ("-3", "1"), ("8", "1/4")]
VANISHING = [("1/2", "1"), ("1", "1/4"), ("2", "1/4"), ("-1", "1/4"), ("1/2", "1/2"), ("3", "1/4"), ("-1/2", "1"), ("4/5", "1"), ("2/3", "1")]
LOG_PLACES = 4


def draw(rng) -> dict[str, Fraction]:
    regime = rng.choice(["exploding", "vanishing"])
    w, d = rng.choice(EXPLODING if regime == "exploding" else VANISHING)
    return {
        "w": Fraction(w),
        "d": Fraction(d),
        "n": Fraction(rng.randint(4, 10)),
        "k": Fraction(rng.choice([3, 4, 6, 6, 8, 9])),
    }


@dataclass(frozen=True)
class LayerFactor(Step):
    """a = w * d"""

    w: Any
    d: Any
    result: Any

    def eval(self):
        return self.w * self.d


@dataclass(frozen=True)
class LayerPower(Step):
    """a^n: the factor multiplied in once per layer"""

    a: Any
    n: int
    result: Any

    def eval(self):
        return self.a**self.n


@dataclass(frozen=True)
class LogDepth(Step):
    """x = k / log10(r) with r = |a| (exploding) or 1/|a| (vanishing), so that
    r^n > 10^k  <=>  n > x; result = smallest integer n > x.
    ``x_approx`` is x rounded to LOG_PLACES decimals (shown in the key)."""

    k: int
    r: Any  # > 1
    log_r: Any  # log10(r), rounded for display
    x_approx: Any
    result: int

    def eval(self):
        x = sp.Integer(self.k) / sp.log(self.r, 10)
        return int(sp.floor(x)) + 1

    def check(self) -> bool:
        x = sp.Integer(self.k) / sp.log(self.r, 10)
        ok_x = abs(sp.N(x - self.x_approx, 30)) <= sp.Rational(1, 2 * 10**LOG_PLACES)
        ok_log = abs(sp.N(sp.log(self.r, 10) - self.log_r, 30)) <= sp.Rational(1, 2 * 10**LOG_PLACES)
        return super().check() and bool(ok_x) and bool(ok_log)


@dataclass(frozen=True)
class DepthBracket(Step):
    """Exact check: |a|^(n-1) has not passed the bound, |a|^n has.
    exploding: |a|^(n-1) <= 10^k < |a|^n; vanishing: |a|^(n-1) >= 10^-k > |a|^n."""

    a_abs: Any
    n: int
    bound: Any
    exploding: bool
    before: Any  # |a|^(n-1)
    at: Any  # |a|^n
    result: bool

    def eval(self):
        if not (same_num(self.before, self.a_abs ** (self.n - 1)) and same_num(self.at, self.a_abs**self.n)):
            return not self.result
        if self.exploding:
            return bool(self.before <= self.bound < self.at)
        return bool(self.before >= self.bound > self.at)


def same_num(x, y) -> bool:
    return sp.sympify(x - y) == 0


def rounded(value, places: int = LOG_PLACES) -> sp.Rational:
    q = sp.Rational(str(sp.N(value, 40)))
    return sp.Rational(int(sp.floor(q * 10**places + sp.Rational(1, 2))), 10**places)


def smallest_depth(r, k: int) -> int:
    """Smallest integer n with r^n > 10^k (r > 1), by exact integer arithmetic."""
    bound, n, p = sp.Integer(10) ** k, 0, sp.Integer(1)
    while p <= bound:
        p *= r
        n += 1
    return n


def distinct(answer, candidates) -> list[Distractor]:
    """Drop candidates equal to the answer, to an earlier one, or non-positive."""
    out, seen = [], [answer]
    for value, why in candidates:
        if value is None or value <= 0 or any(same_num(value, s) for s in seen):
            continue
        seen.append(value)
        out.append(Distractor(value, why))
    return out


def solve(p: dict[str, Any]) -> list[Part]:
    w, d, n, k = p["w"], p["d"], int(p["n"]), int(p["k"])
    a = w * d
    if a == 0 or abs(a) == 1:
        raise ParameterError(f"layer-product: the factor a = w·d = {a} must be neither 0 nor ±1")
    a_abs = abs(a)
    exploding = a_abs > 1
    r = a_abs if exploding else 1 / a_abs

    # (a) the factor, (b) a^n
    an = a**n
    power_distractors = distinct(
        an,
        [
            (n * a, "sum-instead-of-product"),
            (a ** (n - 1), "one-layer-short"),
            (a_abs**n if a < 0 else -(a**n), "sign-of-power"),
        ],
    )
    # (c) regime
    verdict = "exploding" if exploding else "vanishing"
    cmp_result = "greater" if exploding else "less"

    # (d) depth
    N = smallest_depth(r, k)
    x = sp.Integer(k) / sp.log(r, 10)
    x_approx = rounded(x)
    log_r = rounded(sp.log(r, 10))
    bound = sp.Integer(10) ** k if exploding else sp.Rational(1, 10**k)
    bracket = DepthBracket(
        a_abs=a_abs, n=N, bound=bound, exploding=exploding,
        before=a_abs ** (N - 1), at=a_abs**N, result=True,
    )
    depth_distractors = distinct(
        N,
        [
            (N - 1, "rounds-down"),  # floor(x) is always N - 1
            (int(sp.floor(sp.N(sp.Integer(k) / sp.log(r), 50))) + 1, "log-base-mix"),
            (N + 1, "one-extra-layer"),
        ],
    )
    return [
        Part("factor", a, [LayerFactor(w=w, d=d, result=a)]),
        Part("power", an, [LayerPower(a=a, n=n, result=an)], distractors=power_distractors),
        Part(
            "regime",
            verdict,
            [AbsCompare(name="a", value=a, threshold=sp.Integer(1), result=cmp_result)],
            basis=a_abs,
        ),
        Part(
            "depth",
            sp.Integer(N),
            [LogDepth(k=k, r=r, log_r=log_r, x_approx=x_approx, result=N), bracket],
            distractors=depth_distractors,
            extra={"plot": depth_plot(a, bound, N, f"10^{k}" if exploding else f"10^-{k}")},
        ),
    ]


def depth_plot(a, bound, N: int, bound_note: str) -> GrowthPlot:
    """|a|^n against n, with a reference on the other side of 1 and the bound."""
    xs = range(0, max(N + 2, 8))
    other = sp.Rational(1, 2) if abs(a) > 1 else sp.Integer(2)
    return GrowthPlot(
        x="n",
        y="product_abs",
        series=(
            growth_series("variant", xs, lambda n: a**n, f"a = {a}"),
            growth_series("vanishing" if abs(a) > 1 else "exploding", xs, lambda n: other**n, f"|a| = {other}"),
        ),
        lines=(HLine("bound", bound, bound_note),),
    )
