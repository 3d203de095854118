"""lstm-cell-gradient: the LSTM cell state C_t = f_t*C_{t-1} + i*C~ (input
gate i and candidate C~ held the same at every step). Along the direct cell
path, with the gates treated as constants, dC_T/dC_0 = f_1*f_2*...*f_T; a
vanilla linear RNN h_t = w*h_{t-1} over the same T steps has dh_T/dh_0 = w^T.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.errors import ParameterError
from generator.model import Distractor, Part
from generator.steps import Step

MAX_T = 6
GATES = ["9/10", "4/5", "7/10", "3/5", "1/2", "1", "9/10", "4/5"]
FINE_GATES = ["19/20", "17/20"]  # at most one of these per variant (keeps decimals short)
INPUT = ["1/2", "3/10", "1/5", "2/5", "1/10"]
CAND = ["1/2", "-1/2", "1", "-1", "4/5", "2/5"]
C0 = ["1", "2", "-1", "1/2", "3", "-2"]
W = ["1/2", "1/4", "1/5", "1/2"]


def draw(rng) -> dict[str, Fraction]:
    T = rng.randint(3, MAX_T)
    gates = [rng.choice(GATES) for _ in range(MAX_T)]
    if rng.random() < 0.5:
        gates[rng.randrange(T)] = rng.choice(FINE_GATES)
    out = {"T": Fraction(T), "C0": Fraction(rng.choice(C0))}
    out.update({f"f{t}": Fraction(g) for t, g in enumerate(gates, start=1)})
    out.update({"i": Fraction(rng.choice(INPUT)), "u": Fraction(rng.choice(CAND)), "w": Fraction(rng.choice(W))})
    return out


@dataclass(frozen=True)
class CellUpdate(Step):
    """C_t = f_t * C_{t-1} + i * u"""

    t: int
    f: Any
    prev: Any
    i: Any
    u: Any
    result: Any

    def eval(self):
        return self.f * self.prev + self.i * self.u


@dataclass(frozen=True)
class CellPathProduct(Step):
    """dC_T/dC_0 = prod_t dC_t/dC_{t-1} = prod_t f_t (gates held constant)"""

    factors: tuple
    result: Any

    def eval(self):
        return sp.Mul(*self.factors)


@dataclass(frozen=True)
class RnnPower(Step):
    """dh_T/dh_0 = w^T for h_t = w*h_{t-1}"""

    w: Any
    T: int
    result: Any

    def eval(self):
        return self.w**self.T


@dataclass(frozen=True)
class PathRatio(Step):
    """ratio = lstm / rnn"""

    lstm: Any
    rnn: Any
    result: Any

    def eval(self):
        return self.lstm / self.rnn


def distinct(answer, candidates) -> list[Distractor]:
    out, seen = [], [answer]
    for value, why in candidates:
        if any(value == s for s in seen):
            continue
        seen.append(value)
        out.append(Distractor(value, why))
    return out


def solve(p: dict[str, Any]) -> list[Part]:
    T = int(p["T"])
    # gates beyond T are not part of this variant (not shown as given)
    for t in range(T + 1, MAX_T + 1):
        p.pop(f"f{t}", None)
    f = [p[f"f{t}"] for t in range(1, T + 1)]
    C0, i, u, w = p["C0"], p["i"], p["u"], p["w"]
    if w == 0:
        raise ParameterError("lstm-cell-gradient: w must not be 0 (the comparison divides by w^T)")
    if any(g == 0 for g in f):
        raise ParameterError("lstm-cell-gradient: a forget gate of 0 cuts the cell path; choose f_t > 0")

    C = [C0]
    forward = []
    for t in range(1, T + 1):
        C.append(f[t - 1] * C[t - 1] + i * u)
        forward.append(CellUpdate(t=t, f=f[t - 1], prev=C[t - 1], i=i, u=u, result=C[t]))

    prod = sp.Mul(*f)
    rnn = w**T
    ratio = prod / rnn
    return [
        Part("forward", C[T], forward, extra={"C": C}),
        Part(
            "cell_grad",
            prod,
            [CellPathProduct(factors=tuple(f), result=prod)],
            distractors=distinct(
                prod,
                [
                    (sp.Add(*f), "sum-not-product"),
                    (f[-1], "last-gate-only"),
                    (sp.Mul(*f[1:]), "one-gate-short"),
                ],
            ),
        ),
        Part(
            "rnn_grad",
            rnn,
            [RnnPower(w=w, T=T, result=rnn)],
            distractors=distinct(rnn, [(T * w, "sum-not-product"), (w ** (T - 1), "one-step-short")]),
        ),
        Part(
            "ratio",
            ratio,
            [PathRatio(lstm=prod, rnn=rnn, result=ratio)],
            distractors=distinct(ratio, [(rnn / prod, "ratio-inverted"), (prod - rnn, "difference-not-ratio")]),
        ),
    ]
