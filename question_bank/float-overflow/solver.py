"""float-overflow: the scalar RNN's gradient g(T) = T*h0*w^(T-1) grows with
the sequence length T when |w| > 1. The smallest T at which |g(T)| exceeds the
largest finite float16 (65504) and float32 ((2 - 2^-23) * 2^127) is found with
logs and verified with exact integer arithmetic; the overflowed gradient is
inf, and the next update brings inf - inf or 0*inf: NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.errors import ParameterError
from generator.plots import GrowthPlot, HLine, growth_series
from generator.model import Distractor, Part
from generator.steps import Step

FORMATS = {
    # largest finite value, and the value from which round-to-nearest gives inf
    "float16": (sp.Integer(65504), sp.Integer(65520)),
    "float32": ((2 - sp.Rational(1, 2**23)) * sp.Integer(2) ** 127, (2 - sp.Rational(1, 2**24)) * sp.Integer(2) ** 127),
}
W = ["2", "3", "3/2", "4", "5", "-2", "5/2", "10", "-3"]
H0 = ["1", "2", "1/2", "3", "-1", "1/4", "5"]
ETA = ["1/10", "1/100", "1/1000"]
PLACES = 4


def g_of(T: int, h0, w):
    return T * h0 * w ** (T - 1)


def first_over(h0, w, bound) -> int:
    """Smallest T >= 1 with |T*h0*w^(T-1)| > bound (exact Fraction arithmetic)."""
    h0, w, bound = (Fraction(str(x)) for x in (h0, w, bound))
    T, power = 1, Fraction(1)  # power = w^(T-1)
    while not abs(T * h0 * power) > bound:
        T += 1
        power *= w
    return T


def draw(rng) -> dict[str, Fraction]:
    while True:
        h0, w = Fraction(rng.choice(H0)), Fraction(rng.choice(W))
        ok = all(
            abs(g_of(first_over(h0, w, mx), h0, w)) >= Fraction(str(inf_from)) for mx, inf_from in FORMATS.values()
        )
        if ok:  # the exact value also rounds to inf (not into the last half-ulp)
            return {"h0": h0, "w": w, "eta": Fraction(rng.choice(ETA))}


def _mp(x):
    import mpmath

    q = sp.Rational(x)
    return mpmath.mpf(int(q.p)) / int(q.q)


def _round(v) -> sp.Rational:
    import mpmath

    return sp.Rational(int(mpmath.floor(v * 10**PLACES + mpmath.mpf(1) / 2)), 10**PLACES)


def log10_approx(x) -> sp.Rational:
    """log10|x| rounded to PLACES decimals (40-digit mpmath, no floats)."""
    import mpmath

    with mpmath.workdps(40):
        return _round(mpmath.log10(abs(_mp(x))))


def estimate_approx(bound, h0, w) -> sp.Rational:
    """1 + (log10 M - log10|h0|) / log10|w|, rounded to PLACES decimals."""
    import mpmath

    with mpmath.workdps(40):
        return _round(1 + (mpmath.log10(_mp(bound)) - mpmath.log10(abs(_mp(h0)))) / mpmath.log10(abs(_mp(w))))


@dataclass(frozen=True)
class OverflowEstimate(Step):
    """Ignoring the factor T: |h0| |w|^(T-1) > M  <=>  T > x = 1 + (log10 M - log10|h0|) / log10|w|.
    result = floor(x) + 1, an upper bound for the first overflowing T (the
    factor T >= 1 only makes |g| larger)."""

    fmt: str
    bound: Any
    h0: Any
    w: Any
    log_bound: Any
    log_h0: Any
    log_w: Any
    x_approx: Any
    result: int

    def eval(self):
        n, p = 1, sp.Abs(self.h0)
        while not p > self.bound:
            p *= sp.Abs(self.w)
            n += 1
        return n

    def check(self) -> bool:
        tol = sp.Rational(1, 10**PLACES)
        x = 1 + (sp.log(self.bound, 10) - sp.log(sp.Abs(self.h0), 10)) / sp.log(sp.Abs(self.w), 10)
        return (
            super().check()
            and abs(sp.N(x - self.x_approx, 30)) <= tol
            and self.log_bound == log10_approx(self.bound)
            and self.log_h0 == log10_approx(self.h0)
            and self.log_w == log10_approx(self.w)
        )


@dataclass(frozen=True)
class OverflowCheck(Step):
    """|g(T)| = |T h0 w^(T-1)| compared exactly with the format's max: result True if it exceeds."""

    T: int
    h0: Any
    w: Any
    bound: Any
    g: Any
    log_g: Any
    result: bool

    def eval(self):
        return bool(abs(g_of(self.T, self.h0, self.w)) > self.bound)

    def check(self) -> bool:
        return super().check() and self.g == g_of(self.T, self.h0, self.w) and self.log_g == log10_approx(self.g)


@dataclass(frozen=True)
class FloatOp(Step):
    """IEEE-754 arithmetic on special values: a op b with op in + - * ; values
    as strings ('inf', '-inf', 'nan' or a number)."""

    op: str
    a: str
    b: str
    result: str

    def eval(self):
        a, b = float(self.a), float(self.b)
        r = {"+": a + b, "-": a - b, "*": a * b}[self.op]
        return fstr(r)


def fstr(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def distinct(answer, candidates) -> list[Distractor]:
    out, seen = [], [answer]
    for value, why in candidates:
        if value is None or value < 1 or value in seen:
            continue
        seen.append(value)
        out.append(Distractor(sp.Integer(value), why))
    return out


def format_part(fmt: str, h0, w) -> Part:
    mx, inf_from = FORMATS[fmt]
    T = first_over(h0, w, mx)
    if abs(g_of(T, h0, w)) < Fraction(str(inf_from)):
        # Above the largest finite value but below half an ulp more, the
        # gradient still rounds to that largest value, not to inf: "the first
        # T that exceeds it" and "the first T that gives inf" differ here.
        raise ParameterError(
            f"float-overflow: with these values |g(T)| at T = {T} lands between the largest {fmt} "
            f"and the point where it rounds to inf; choose other h0 or w"
        )
    U = OverflowEstimate(
        fmt=fmt, bound=mx, h0=h0, w=w,
        log_bound=log10_approx(mx), log_h0=log10_approx(h0), log_w=log10_approx(w),
        x_approx=estimate_approx(mx, h0, w),
        result=0,
    )
    U = OverflowEstimate(**{**U.fields(), "result": U.eval()})
    checks = [
        OverflowCheck(T=t, h0=h0, w=w, bound=mx, g=g_of(t, h0, w), log_g=log10_approx(g_of(t, h0, w)), result=bool(abs(g_of(t, h0, w)) > mx))
        for t in sorted({T - 1, T} - {0})
    ]
    power_only, power, bound = 1, abs(Fraction(str(w))), Fraction(str(mx))
    while not power > bound:
        power *= abs(Fraction(str(w)))
        power_only += 1
    return Part(
        fmt,
        sp.Integer(T),
        [U] + checks,
        extra={"estimate": U.result},
        distractors=distinct(
            T,
            [(T - 1, "off-by-one"), (power_only, "power-only"), (U.result, "ignores-factor-T"), (T + 1, "one-too-many")],
        ),
    )


def solve(p: dict[str, Any]) -> list[Part]:
    h0, w, eta = p["h0"], p["w"], p["eta"]
    if h0 == 0 or abs(w) <= 1:
        raise ParameterError("float-overflow: needs h0 ≠ 0 and |w| > 1 (otherwise the gradient never overflows)")
    t16 = format_part("float16", h0, w)
    t32 = format_part("float32", h0, w)

    # what float16 does with the overflowed gradient
    g = g_of(int(t16.answer), h0, w)
    g16 = "inf" if g > 0 else "-inf"
    step_g = fstr(float(eta) * float(g16))
    w_new = fstr(float(w) - float(step_g))
    symptom_steps = [
        FloatOp(op="*", a=str(float(eta)), b=g16, result=step_g),
        FloatOp(op="-", a=str(float(w)), b=step_g, result=w_new),
        FloatOp(op="-", a="inf", b="inf", result="nan"),
        FloatOp(op="*", a="0.0", b=w_new, result="nan"),
        FloatOp(op="+", a="nan", b="1.0", result="nan"),
    ]
    t32.extra["plot"] = overflow_plot(h0, w, int(t16.answer), int(t32.answer))
    return [t16, t32, Part("symptom", "nan", symptom_steps)]


def overflow_plot(h0, w, t16: int, t32: int) -> GrowthPlot:
    """|g(T)| = T·|h0|·|w|^(T-1) against T, with the float16 and float32 maxima."""
    xs = range(1, t32 + 3)
    return GrowthPlot(
        x="T",
        y="grad_abs",
        series=(growth_series("variant", xs, lambda n: n * h0 * w ** (n - 1), f"w = {w}"),),
        lines=(
            HLine("float16", sp.Integer(65504), "65504"),
            HLine("float32", (2 - sp.Rational(1, 2**23)) * sp.Integer(2) ** 127, "3.4e38"),
        ),
    )
