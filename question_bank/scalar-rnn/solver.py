"""scalar-rnn: h_t = w*h_{t-1}, L = h_T.

draw(rng) picks exam-friendly numbers (both regimes equally often, T small
enough to work by hand); solve(params) returns every part with exact answers
and steps as data. Wording lives in steps.<lang>.j2 and family.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.mcq import clean
from generator.model import Distractor, Part
from generator.plots import GrowthPlot, HLine, growth_series
from generator.steps import AbsCompare, ClipByNorm, SgdUpdate, Step, Sum

EXPLODING_W = ["2", "3", "-2", "3/2", "-3/2"]
VANISHING_W = ["1/2", "-1/2", "1/3", "2/3", "-1/3"]
H0 = ["1", "2", "3", "-1", "-2", "1/2"]
ETA = ["1/10", "1/100", "1/20", "1/50", "1/5"]  # no 1/1000: w - eta*g got 5-digit denominators
CLIP = ["1", "2", "5", "10"]


def draw(rng) -> dict[str, Fraction]:
    regime = rng.choice(["exploding", "vanishing"])
    w = Fraction(rng.choice(EXPLODING_W if regime == "exploding" else VANISHING_W))
    h0 = Fraction(rng.choice(H0))
    # thirds stop at T = 5: with T = 6, 3^5 = 243 puts denominators over 1000 into w'
    T = rng.randint(3, 5 if w.denominator == 3 else 6)
    return {
        "h0": h0,
        "w": w,
        "T": Fraction(T),
        "eta": Fraction(rng.choice(ETA)),
        "c": Fraction(rng.choice(CLIP)),
    }


@dataclass(frozen=True)
class Recurrence(Step):
    """h_t = w * h_{t-1}"""

    t: int
    w: Any
    prev: Any
    result: Any

    def eval(self):
        return self.w * self.prev


@dataclass(frozen=True)
class BpttTerm(Step):
    """term_t = h_{t-1} * w^(T-t)"""

    t: int
    T: int
    h_prev: Any
    w: Any
    result: Any

    def eval(self):
        return self.h_prev * self.w ** (self.T - self.t)


@dataclass(frozen=True)
class ClosedForm(Step):
    """dL/dw = T * h0 * w^(T-1) (every BPTT term equals h0 * w^(T-1))"""

    T: int
    h0: Any
    w: Any
    result: Any

    def eval(self):
        return self.T * self.h0 * self.w ** (self.T - 1)


@dataclass(frozen=True)
class GrowthTable(Step):
    """[T * h0 * w^(T-1) for T in Ts]"""

    h0: Any
    w: Any
    Ts: tuple
    result: tuple

    def eval(self):
        return tuple(T * self.h0 * self.w ** (T - 1) for T in self.Ts)


def larger_ts(T: int) -> tuple[int, ...]:
    """A few larger sequence lengths for the regime table."""
    ts = [n for n in (10, 20, 50) if n > T]
    return tuple(ts) if ts else (2 * T, 4 * T)


def growth_plot(h0, w, c, t_max: int) -> GrowthPlot:
    """|dL/dw| = T |h0| |w|^(T-1) for T = 1..t_max, beside an exploding and a
    vanishing reference (same |h0|) and the clipping threshold c."""
    base = abs(h0) if h0 != 0 else sp.Integer(1)
    up = sp.Integer(2) if abs(w) != 2 else sp.Rational(3, 2)
    down = sp.Rational(1, 2) if abs(w) != sp.Rational(1, 2) else sp.Rational(2, 3)
    xs = range(1, t_max + 1)
    return GrowthPlot(
        x="T",
        y="grad_abs",
        series=(
            growth_series("variant", xs, lambda n: n * h0 * w ** (n - 1), f"w = {w}"),
            growth_series("exploding", xs, lambda n: n * base * up ** (n - 1), f"|w| = {up}"),
            growth_series("vanishing", xs, lambda n: n * base * down ** (n - 1), f"|w| = {down}"),
        ),
        lines=(HLine("threshold", c, f"c = {c}"),),
    )


def verdict(w) -> str:
    a = abs(w)
    return "exploding" if a > 1 else "vanishing" if a < 1 else "neither"


def solve(p: dict[str, Any]) -> list[Part]:
    h0, w, T, eta, c = p["h0"], p["w"], int(p["T"]), p["eta"], p["c"]

    # forward
    h = [h0]
    forward_steps = []
    for t in range(1, T + 1):
        h.append(w * h[t - 1])
        forward_steps.append(Recurrence(t=t, w=w, prev=h[t - 1], result=h[t]))
    L = h[T]

    # gradient: one BPTT term per time step
    terms = [BpttTerm(t=t, T=T, h_prev=h[t - 1], w=w, result=h[t - 1] * w ** (T - t)) for t in range(1, T + 1)]
    g = sp.Add(*[s.result for s in terms])
    gradient_steps = terms + [
        Sum(name="dL_dw", terms=tuple(s.result for s in terms), result=g),
        ClosedForm(T=T, h0=h0, w=w, result=T * h0 * w ** (T - 1)),
    ]

    # regime
    cmp_result = "greater" if abs(w) > 1 else "less" if abs(w) < 1 else "equal"
    ts = (T,) + larger_ts(T)
    table = GrowthTable(h0=h0, w=w, Ts=ts, result=tuple(n * h0 * w ** (n - 1) for n in ts))
    v = verdict(w)

    # SGD step and clipped step
    w_new = w - eta * g
    norm = sp.Abs(g)
    triggered = bool(norm > c)
    g_clip = g * c / norm if triggered else g
    w_clip = w - eta * g_clip

    # Multiple-choice distractors, each from a named misconception; collisions
    # with the answer or an earlier distractor are dropped (generator.mcq.clean).
    # (Every BPTT term equals h0*w^(T-1), so "only the first term" would always
    # coincide with "only the last term"; the power off by one is used instead.)
    forward_wrong = clean(L, [
        Distractor(h[T - 1], "off-by-one-step"),
        Distractor(h0 * w * T, "linear-not-power"),
        Distractor(w**T, "forgot-h0"),
    ])
    gradient_wrong = clean(g, [
        Distractor(h0 * w**T, "loss-as-gradient"),
        Distractor(h[T - 1], "last-term-only"),
        Distractor(T * h0 * w**T, "power-off-by-one"),
    ])
    sgd_wrong = clean(w_new, [
        Distractor(w + eta * g, "sgd-sign"),
        Distractor(w - g, "sgd-no-eta"),
    ])
    clip_wrong = clean(w_clip, [
        Distractor(w - eta * g * c / norm if norm != 0 else w, "clip-always"),
        Distractor(w - eta * g, "clip-unclipped-step"),
        Distractor(w + eta * g_clip, "sgd-sign"),
    ])

    return [
        Part("forward", L, forward_steps, extra={"h": h}, distractors=forward_wrong),
        Part("gradient", g, gradient_steps, distractors=gradient_wrong),
        Part(
            "regime",
            v,
            [AbsCompare(name="w", value=w, threshold=sp.Integer(1), result=cmp_result), table],
            basis=abs(w),
            extra={"Ts": larger_ts(T), "plot": growth_plot(h0, w, c, max(ts))},
        ),
        Part("sgd", w_new, [SgdUpdate(name="w_new", grad="dL_dw", w=w, eta=eta, g=g, result=w_new)], distractors=sgd_wrong),
        Part(
            "clip",
            w_clip,
            [
                ClipByNorm(name="g_clip", grad="g", g=g, c=c, norm=norm, triggered=triggered, result=g_clip),
                SgdUpdate(name="w_clip", grad="g_clip", w=w, eta=eta, g=g_clip, result=w_clip),
            ],
            extra={"triggered": triggered},
            distractors=clip_wrong,
        ),
    ]
