"""truncated-bptt: the scalar RNN h_t = w*h_{t-1} with a loss at every step,
L = h_1 + ... + h_T. dh_t/dw is a sum of t path terms (one per time step s
where w acts, each h_{s-1}*w^(t-s) = h0*w^(t-1)), so dL/dw = sum_t t*h0*w^(t-1).
Truncated BPTT to k steps keeps, for each loss term h_t, only the k most
recent steps s = t-k+1..t: min(t, k) of its t terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.errors import ParameterError
from generator.model import Distractor, Part
from generator.steps import Step, Sum

W = ["2", "3/2", "1/2", "2/3", "3", "1/3", "-2", "-1/2", "4/3", "3/4"]
H0 = ["1", "2", "-1", "1/2", "3", "-2"]


def full_grad(h0, w, T):
    return sum(t * h0 * w ** (t - 1) for t in range(1, T + 1))


def draw(rng) -> dict[str, Fraction]:
    while True:
        T = rng.randint(4, 7)
        k = rng.randint(1, min(3, T - 1))
        h0, w = Fraction(rng.choice(H0)), Fraction(rng.choice(W))
        if full_grad(h0, w, T) != 0:
            return {"h0": h0, "w": w, "T": Fraction(T), "k": Fraction(k)}


@dataclass(frozen=True)
class StateStep(Step):
    """h_t = w * h_{t-1}"""

    t: int
    w: Any
    prev: Any
    result: Any

    def eval(self):
        return self.w * self.prev


@dataclass(frozen=True)
class StateGradient(Step):
    """dh_t/dw = sum over s=1..t of h_{s-1} w^(t-s) = t * h0 * w^(t-1)"""

    t: int
    h0: Any
    w: Any
    result: Any

    def eval(self):
        return self.t * self.h0 * self.w ** (self.t - 1)


@dataclass(frozen=True)
class KeptTerms(Step):
    """loss term h_t keeps the steps s = max(1, t-k+1) .. t: min(t, k) terms"""

    t: int
    k: int
    first: int  # first kept step s
    result: int  # how many kept

    def eval(self):
        return min(self.t, self.k)

    def check(self) -> bool:
        return super().check() and self.first == max(1, self.t - self.k + 1)


@dataclass(frozen=True)
class TruncatedStateGradient(Step):
    """truncated dh_t/dw = kept * h0 * w^(t-1)"""

    t: int
    kept: int
    h0: Any
    w: Any
    result: Any

    def eval(self):
        return self.kept * self.h0 * self.w ** (self.t - 1)


@dataclass(frozen=True)
class RelativeError(Step):
    """eps = |full - truncated| / |full|; ``percent`` is 100*eps rounded to 2 decimals"""

    full: Any
    truncated: Any
    percent: Any
    result: Any

    def eval(self):
        return sp.Abs(self.full - self.truncated) / sp.Abs(self.full)

    def check(self) -> bool:
        return super().check() and abs(100 * self.result - self.percent) <= sp.Rational(1, 200)


def percent2(x) -> sp.Rational:
    return sp.Rational(int(sp.floor(100 * x * 100 + sp.Rational(1, 2))), 100)


def distinct(answer, candidates) -> list[Distractor]:
    out, seen = [], [answer]
    for value, why in candidates:
        if value is None or any(value == s for s in seen):
            continue
        seen.append(value)
        out.append(Distractor(value, why))
    return out


def solve(p: dict[str, Any]) -> list[Part]:
    h0, w, T, k = p["h0"], p["w"], int(p["T"]), int(p["k"])
    h = [h0]
    forward = []
    for t in range(1, T + 1):
        h.append(w * h[t - 1])
        forward.append(StateStep(t=t, w=w, prev=h[t - 1], result=h[t]))
    L = sp.Add(*h[1:])
    forward.append(Sum(name="L", terms=tuple(h[1:]), result=L))

    per_t = [StateGradient(t=t, h0=h0, w=w, result=t * h0 * w ** (t - 1)) for t in range(1, T + 1)]
    full = sp.Add(*[s.result for s in per_t])
    if full == 0:
        raise ParameterError("truncated-bptt: the full gradient is 0 for these values, so the relative error is undefined")

    kept_steps = [KeptTerms(t=t, k=k, first=max(1, t - k + 1), result=min(t, k)) for t in range(1, T + 1)]
    n_kept = sum(s.result for s in kept_steps)
    n_all = T * (T + 1) // 2

    trunc_steps = [
        TruncatedStateGradient(t=t, kept=min(t, k), h0=h0, w=w, result=min(t, k) * h0 * w ** (t - 1))
        for t in range(1, T + 1)
    ]
    trunc = sp.Add(*[s.result for s in trunc_steps])
    eps = sp.Abs(full - trunc) / sp.Abs(full)

    return [
        Part("forward", L, forward, extra={"h": h}),
        Part("full", full, per_t + [Sum(name="dL_dw", terms=tuple(s.result for s in per_t), result=full)]),
        Part(
            "kept",
            sp.Integer(n_kept),
            kept_steps + [Sum(name="n_kept", terms=tuple(sp.Integer(s.result) for s in kept_steps), result=sp.Integer(n_kept))],
            extra={"n_all": n_all},
            distractors=distinct(
                sp.Integer(n_kept),
                [(sp.Integer(k), "k-terms-in-all"), (sp.Integer(T * k), "k-terms-every-loss"), (sp.Integer(n_all), "no-truncation")],
            ),
        ),
        Part(
            "truncated",
            trunc,
            trunc_steps + [Sum(name="dL_dw_k", terms=tuple(s.result for s in trunc_steps), result=trunc)],
            distractors=distinct(
                trunc,
                [
                    (min(T, k) * h0 * w ** (T - 1), "last-loss-only"),
                    (sp.Add(*[h0 * w ** (t - 1) for t in range(1, T + 1)]), "most-recent-only"),
                    (sp.Add(*[t * h0 * w ** (t - 1) for t in range(max(1, T - k + 1), T + 1)]), "truncate-losses"),
                    (full, "no-truncation"),
                ],
            ),
        ),
        Part(
            "rel_error",
            eps,
            [RelativeError(full=full, truncated=trunc, percent=percent2(eps), result=eps)],
            distractors=distinct(
                eps,
                [
                    (sp.Abs(full - trunc) / sp.Abs(trunc) if trunc != 0 else None, "relative-to-truncated"),
                    (trunc / full, "ratio-not-error"),
                ],
            ),
        ),
    ]
