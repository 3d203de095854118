"""rnn-bptt-matrix: BPTT by hand for a vanilla RNN with hidden size 2.

    a_t = W_xh x_t + W_hh h_{t-1} + b,   h_t = tanh(a_t),   y_t = W_hy h_t,
    L = 1/2 sum_t (y_t - y*_t)^2,  h_0 = 0,  t = 1..T (T = 2 or 3),

with scalar inputs and outputs (W_xh is 2x1, W_hy is 1x2). Backward pass:
dy_t = y_t - y*_t,  delta_t = dL/da_t = (W_hy^T dy_t + W_hh^T delta_{t+1}) ⊙ (1 - h_t^2),
delta_{T+1} = 0, and the weight gradients are sums over t.

tanh of a rational is transcendental. Kept as exact sympy expressions
(tanh of rationals, nested three deep) one variant took about 20 s, nearly
all of it in evalf re-walking the shared subtrees of the delta expressions,
against a budget of well under 0.5 s. So inputs and weights stay exact
rationals (and so does a_1, since h_0 = 0), and every tanh is evaluated to
DIGITS = 50 significant digits (sympy Float); each step's eval() recomputes
its result from its own fields at that precision and check() compares to
1e-40. The key shows the values rounded to PRECISION decimal places.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.model import Distractor, Part
from generator.steps import Step

PRECISION = 4
DIGITS = 50  # working precision of the numeric checks
TOL = sp.Float("1e-40")

WHH = ["-1", "-1/2", "-3/10", "0", "1/2", "1", "3/10", "1/5"]
WXH = ["-1", "-1/2", "1/2", "1", "3/10"]
WHY = ["-1", "-1/2", "1/2", "1", "2"]
BIAS = ["0", "0", "1/10", "-1/10", "1/2"]
XS = ["1", "-1", "1/2", "2", "0"]
TARGETS = ["0", "1", "-1", "1/2"]
NAMES = {
    "W_hh": ["whh11", "whh12", "whh21", "whh22"],
    "W_xh": ["wxh1", "wxh2"],
    "W_hy": ["why1", "why2"],
    "b": ["b1", "b2"],
}


def _workable(p) -> bool:
    """Pre-activations away from 0 and from saturation, hidden units that differ."""
    from math import tanh

    if sum(p[f"x{t}"] == 0 for t in range(1, int(p["T"]) + 1)) > 1:
        return False  # dW_xh would have a single term
    h = [0.0, 0.0]
    for t in range(1, int(p["T"]) + 1):
        x = float(p[f"x{t}"])
        a = [
            float(p[f"wxh{i + 1}"]) * x + float(p[f"whh{i + 1}1"]) * h[0] + float(p[f"whh{i + 1}2"]) * h[1] + float(p[f"b{i + 1}"])
            for i in range(2)
        ]
        if any(abs(v) < 0.1 or abs(v) > 2.5 for v in a):
            return False
        h = [tanh(v) for v in a]
        if abs(h[0] - h[1]) < 0.1:
            return False
    return True


def draw(rng) -> dict[str, Fraction]:
    while True:
        p: dict[str, Fraction] = {"T": Fraction(rng.choice([2, 3]))}
        whh = [Fraction(rng.choice(WHH)) for _ in range(4)]
        p.update(zip(NAMES["W_hh"], whh))
        p.update(zip(NAMES["W_xh"], (Fraction(rng.choice(WXH)) for _ in range(2))))
        p.update(zip(NAMES["W_hy"], (Fraction(rng.choice(WHY)) for _ in range(2))))
        p.update(zip(NAMES["b"], (Fraction(rng.choice(BIAS)) for _ in range(2))))
        for t in (1, 2, 3):
            p[f"x{t}"] = Fraction(rng.choice(XS))
            p[f"ys{t}"] = Fraction(rng.choice(TARGETS))
        # W_hh not symmetric, so W_hh^T and W_hh give different deltas
        if whh[1] != whh[2] and _workable(p):
            return p


# --- numeric comparison of exact expressions ---------------------------------


def tanh(v):
    """tanh to DIGITS significant digits (exact 0 stays 0)."""
    return sp.tanh(v).evalf(DIGITS)


def _entries(v):
    return list(v) if isinstance(v, sp.MatrixBase) else [v]


def close(a, b) -> bool:
    """Equal to 40 digits (entrywise for matrices)."""
    if isinstance(a, sp.MatrixBase) != isinstance(b, sp.MatrixBase):
        return False
    if isinstance(a, sp.MatrixBase) and a.shape != b.shape:
        return False
    return all(abs(sp.N(x - y, DIGITS)) < TOL for x, y in zip(_entries(a), _entries(b)))


class NumericStep(Step):
    def check(self) -> bool:
        return close(self.eval(), self.result)


# --- steps -------------------------------------------------------------------


@dataclass(frozen=True)
class PreActivation(NumericStep):
    """a_t = W_xh x_t + W_hh h_{t-1} + b"""

    t: int
    W_xh: Any
    x: Any
    W_hh: Any
    h_prev: Any
    b: Any
    result: Any

    def eval(self):
        return self.W_xh * self.x + self.W_hh * self.h_prev + self.b


@dataclass(frozen=True)
class TanhStep(NumericStep):
    """h_t = tanh(a_t), entrywise"""

    t: int
    a: Any
    result: Any

    def eval(self):
        return self.a.applyfunc(tanh)


@dataclass(frozen=True)
class OutputStep(NumericStep):
    """y_t = W_hy h_t"""

    t: int
    W_hy: Any
    h: Any
    result: Any

    def eval(self):
        return (self.W_hy * self.h)[0, 0]


@dataclass(frozen=True)
class SquaredLoss(NumericStep):
    """L = 1/2 sum_t (y_t - y*_t)^2"""

    ys: tuple
    targets: tuple
    result: Any

    def eval(self):
        return sp.Rational(1, 2) * sp.Add(*[(y - s) ** 2 for y, s in zip(self.ys, self.targets)])


@dataclass(frozen=True)
class OutputError(NumericStep):
    """dy_t = dL/dy_t = y_t - y*_t"""

    t: int
    y: Any
    target: Any
    result: Any

    def eval(self):
        return self.y - self.target


@dataclass(frozen=True)
class HiddenError(NumericStep):
    """delta_t = (W_hy^T dy_t + W_hh^T delta_{t+1}) ⊙ (1 - h_t^2); delta_{T+1} = 0"""

    t: int
    T: int
    W_hy: Any
    dy: Any
    W_hh: Any
    delta_next: Any
    h: Any
    back: Any  # W_hy^T dy_t + W_hh^T delta_{t+1}
    deriv: Any  # 1 - h_t^2
    result: Any

    def eval(self):
        back = self.W_hy.T * self.dy + self.W_hh.T * self.delta_next
        return back.multiply_elementwise(self.h.applyfunc(lambda v: 1 - v**2))

    def check(self) -> bool:
        back = self.W_hy.T * self.dy + self.W_hh.T * self.delta_next
        return (
            super().check()
            and close(back, self.back)
            and close(self.h.applyfunc(lambda v: 1 - v**2), self.deriv)
        )


@dataclass(frozen=True)
class OuterTerm(NumericStep):
    """term_t = u_t v_t^T (u, v column vectors or scalars)"""

    name: str  # "whh" | "wxh" | "why": which gradient
    t: int
    u: Any
    v: Any
    result: Any

    def eval(self):
        u = self.u if isinstance(self.u, sp.MatrixBase) else sp.Matrix([[self.u]])
        v = self.v if isinstance(self.v, sp.MatrixBase) else sp.Matrix([[self.v]])
        return u * v.T


@dataclass(frozen=True)
class MatrixSum(NumericStep):
    """name = terms[0] + terms[1] + ..."""

    name: str
    terms: tuple
    result: Any

    def eval(self):
        out = self.terms[0]
        for term in self.terms[1:]:
            out = out + term
        return out


# --- the solver --------------------------------------------------------------


def _rounded(value, precision):
    from generator.numfmt import rounded

    return tuple(rounded(x, precision) for x in _entries(value))


def _distinct(answer, candidates, precision=PRECISION, rtol=1e-3):
    """Keep distractors that look different from the answer and from every
    earlier distractor: a different rounded display, and not within the part's
    grading tolerance (``rtol``, family.yaml) of any of them."""

    def floats(v):
        return [float(sp.N(x, 30)) for x in _entries(v)]

    def near(a, b):
        return all(abs(x - y) <= rtol * max(abs(x), abs(y)) for x, y in zip(floats(a), floats(b)))

    out, seen, kept = [], {_rounded(answer, precision)}, [answer]
    for d in candidates:
        key = _rounded(d.value, precision)
        if key not in seen and not any(near(d.value, k) for k in kept):
            seen.add(key)
            kept.append(d.value)
            out.append(d)
    return out


def _matrices(p):
    W_hh = sp.Matrix(2, 2, [p[n] for n in NAMES["W_hh"]])
    W_xh = sp.Matrix(2, 1, [p[n] for n in NAMES["W_xh"]])
    W_hy = sp.Matrix(1, 2, [p[n] for n in NAMES["W_hy"]])
    b = sp.Matrix(2, 1, [p[n] for n in NAMES["b"]])
    return W_hh, W_xh, W_hy, b


def forward(p, act=tanh):
    """h_0..h_T, y_1..y_T (lists; index 0 of ys unused) with activation ``act``."""
    W_hh, W_xh, W_hy, b = _matrices(p)
    T = int(p["T"])
    hs, As, ys = [sp.zeros(2, 1)], [None], [None]
    for t in range(1, T + 1):
        a = W_xh * p[f"x{t}"] + W_hh * hs[-1] + b
        h = a.applyfunc(act)
        As.append(a)
        hs.append(h)
        ys.append((W_hy * h)[0, 0])
    return As, hs, ys


def backward(p, hs, ys, deriv=True, future=True, transpose=True):
    """delta_1..delta_T (index 0 unused); switches turn off parts of the rule
    to compute the misconceptions."""
    W_hh, _, W_hy, _ = _matrices(p)
    T = int(p["T"])
    R = W_hh.T if transpose else W_hh
    deltas = [None] * (T + 2)
    deltas[T + 1] = sp.zeros(2, 1)
    for t in range(T, 0, -1):
        back = W_hy.T * (ys[t] - p[f"ys{t}"])
        if future:
            back = back + R * deltas[t + 1]
        deltas[t] = back.multiply_elementwise(hs[t].applyfunc(lambda v: 1 - v**2)) if deriv else back
    return deltas


def grads(p, hs, ys, deltas, ts=None, shift=0):
    """(dW_hh, dW_xh, dW_hy) summed over ``ts`` (default all t); ``shift=1``
    pairs delta_t with h_t instead of h_{t-1} (and dy_t with h_{t-1})."""
    T = int(p["T"])
    ts = ts or range(1, T + 1)
    dWhh = sum((deltas[t] * hs[t - 1 + shift].T for t in ts), sp.zeros(2, 2))
    dWxh = sum((deltas[t] * p[f"x{t}"] for t in ts), sp.zeros(2, 1))
    dWhy = sum(((ys[t] - p[f"ys{t}"]) * hs[t - shift].T for t in ts), sp.zeros(1, 2))
    return dWhh, dWxh, dWhy


def solve(p: dict[str, Any]) -> list[Part]:
    from generator.errors import ParameterError

    T = int(p["T"])
    if T not in (2, 3):
        raise ParameterError(f"T={T}: must be 2 or 3")
    W_hh, W_xh, W_hy, b = _matrices(p)
    As, hs, ys = forward(p)
    targets = tuple(p[f"ys{t}"] for t in range(1, T + 1))
    L = sp.Rational(1, 2) * sp.Add(*[(ys[t] - targets[t - 1]) ** 2 for t in range(1, T + 1)])

    fwd_steps = []
    for t in range(1, T + 1):
        fwd_steps += [
            PreActivation(t=t, W_xh=W_xh, x=p[f"x{t}"], W_hh=W_hh, h_prev=hs[t - 1], b=b, result=As[t]),
            TanhStep(t=t, a=As[t], result=hs[t]),
            OutputStep(t=t, W_hy=W_hy, h=hs[t], result=ys[t]),
        ]
    fwd_steps.append(SquaredLoss(ys=tuple(ys[1:]), targets=targets, result=L))

    deltas = backward(p, hs, ys)
    dys = [None] + [ys[t] - targets[t - 1] for t in range(1, T + 1)]
    back_steps = [OutputError(t=t, y=ys[t], target=targets[t - 1], result=dys[t]) for t in range(T, 0, -1)]
    for t in range(T, 0, -1):
        back = W_hy.T * dys[t] + W_hh.T * deltas[t + 1]
        back_steps.append(HiddenError(
            t=t, T=T, W_hy=W_hy, dy=dys[t], W_hh=W_hh, delta_next=deltas[t + 1], h=hs[t],
            back=back, deriv=hs[t].applyfunc(lambda v: 1 - v**2), result=deltas[t],
        ))

    dWhh, dWxh, dWhy = grads(p, hs, ys, deltas)

    # misconceptions
    d_noderiv = backward(p, hs, ys, deriv=False)
    d_nofuture = backward(p, hs, ys, future=False)
    d_notrans = backward(p, hs, ys, transpose=False)
    g_noderiv = grads(p, hs, ys, d_noderiv)
    g_nofuture = grads(p, hs, ys, d_nofuture)
    g_last = grads(p, hs, ys, deltas, ts=[T])
    g_shift = grads(p, hs, ys, deltas, shift=1)
    _, hs_lin, ys_lin = forward(p, act=lambda v: v)
    L_lin = sp.Rational(1, 2) * sp.Add(*[(ys_lin[t] - targets[t - 1]) ** 2 for t in range(1, T + 1)])

    def sum_steps(name, terms_uv, total):
        terms = [OuterTerm(name=name, t=t, u=u, v=v, result=OuterTerm(name=name, t=t, u=u, v=v, result=None).eval())
                 for t, u, v in terms_uv]
        return terms + [MatrixSum(name=name, terms=tuple(s.result for s in terms), result=total)]

    extra = {"precision": PRECISION}
    return [
        Part(
            "forward", L, fwd_steps, extra={**extra, "h": hs, "y": ys},
            distractors=_distinct(L, [
                Distractor(2 * L, "no-half"),
                Distractor(sp.Rational(1, 2) * (ys[T] - targets[T - 1]) ** 2, "last-step-only"),
                Distractor(L_lin, "no-tanh"),
            ]),
        ),
        Part(
            "deltas", deltas[1], back_steps, extra=extra,
            distractors=_distinct(deltas[1], [
                Distractor(d_noderiv[1], "no-tanh-derivative"),
                Distractor(d_nofuture[1], "no-future-term"),
                Distractor(d_notrans[1], "no-transpose"),
            ]),
        ),
        Part(
            "grad_whh", dWhh, sum_steps("whh", [(t, deltas[t], hs[t - 1]) for t in range(1, T + 1)], dWhh),
            extra=extra,
            distractors=_distinct(dWhh, [
                Distractor(g_noderiv[0], "no-tanh-derivative"),
                Distractor(g_nofuture[0], "no-future-term"),
                Distractor(g_last[0], "last-step-only"),
                Distractor(g_shift[0], "wrong-time-index"),
            ]),
        ),
        Part(
            "grad_wxh", dWxh, sum_steps("wxh", [(t, deltas[t], p[f"x{t}"]) for t in range(1, T + 1)], dWxh),
            extra=extra,
            distractors=_distinct(dWxh, [
                Distractor(g_noderiv[1], "no-tanh-derivative"),
                Distractor(g_nofuture[1], "no-future-term"),
                Distractor(g_last[1], "last-step-only"),
                Distractor(-dWxh, "sign-flip"),
            ]),
        ),
        Part(
            "grad_why", dWhy, sum_steps("why", [(t, dys[t], hs[t]) for t in range(1, T + 1)], dWhy),
            extra=extra,
            distractors=_distinct(dWhy, [
                Distractor(g_last[2], "last-step-only"),
                Distractor(g_shift[2], "wrong-time-index"),
                Distractor(-dWhy, "sign-flip"),
            ]),
        ),
    ]
