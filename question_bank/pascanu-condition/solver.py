"""pascanu-condition: Pascanu, Mikolov & Bengio (2013) for a 2x2 recurrent matrix.

For h_t = f(W h_{t-1} + ...), ||dh_t/dh_{t-1}|| <= ||W^T|| ||diag f'|| <=
lambda_1 * gamma, where lambda_1 is the largest singular value of W and gamma
bounds |f'| (1 for tanh, 1/4 for the sigmoid). lambda_1 < 1/gamma is
sufficient for vanishing gradients; lambda_1 > 1/gamma is only necessary for
exploding ones.

draw(rng) picks a non-normal W (so the spectral radius differs from lambda_1)
with rational eigenvalues and entries in halves or quarters, and a verdict
that occurs equally often for tanh and the sigmoid.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import isqrt, sqrt
from typing import Any

import sympy as sp

from generator.model import Distractor, Part
from generator.steps import Step, same

PRECISION = 4
GAMMAS = {"tanh": Fraction(1), "sigmoid": Fraction(1, 4)}
SCALES = {Fraction(1): (Fraction(1, 4), Fraction(1, 2)), Fraction(1, 4): (Fraction(1, 2), Fraction(1))}
MARGIN = 0.03  # keep lambda_1 and rho clearly away from 1/gamma (and lambda_1 from 1) in draws


@lru_cache(maxsize=1)
def _candidates() -> dict:
    """{(gamma, verdict): [(w11, w12, w21, w22)]} from integer matrices k (entries -4..4)
    scaled by s: non-normal, invertible, with rational eigenvalues."""
    out: dict = {}
    rng = range(-4, 5)
    for a in rng:
        for b in rng:
            for c in rng:
                if b == c:
                    continue  # symmetric: normal
                for d in rng:
                    det = a * d - b * c
                    if det == 0 or (b == -c and a == d):
                        continue
                    disc = (a + d) ** 2 - 4 * det
                    if disc < 0 or isqrt(disc) ** 2 != disc:
                        continue
                    t = a * a + b * b + c * c + d * d
                    sig = sqrt((t + sqrt(t * t - 4 * det * det)) / 2)
                    rad = max(abs(a + d + isqrt(disc)), abs(a + d - isqrt(disc))) / 2
                    for gamma, scales in SCALES.items():
                        for s in scales:
                            lam = float(s) * sig
                            bound = 1 / float(gamma)
                            rho = float(s) * rad
                            if abs(lam - bound) < MARGIN * bound or abs(lam - 1) < MARGIN or abs(rho - bound) < MARGIN * bound:
                                continue
                            verdict = "vanishing" if lam < bound else "exploding-possible"
                            out.setdefault((gamma, verdict), []).append(tuple(s * k for k in (a, b, c, d)))
    return out


def draw(rng) -> dict[str, Fraction]:
    gamma = GAMMAS[rng.choice(sorted(GAMMAS))]
    verdict = rng.choice(["vanishing", "exploding-possible"])
    w11, w12, w21, w22 = rng.choice(_candidates()[(gamma, verdict)])
    return {"w11": w11, "w12": w12, "w21": w21, "w22": w22, "gamma": gamma}


@dataclass(frozen=True)
class GramMatrix(Step):
    """W^T W"""

    W: Any
    result: Any

    def eval(self):
        return self.W.T * self.W


@dataclass(frozen=True)
class Eigen2(Step):
    """eigenvalues of a 2x2 matrix M: (tr ± sqrt(tr^2 - 4 det)) / 2, larger real part first"""

    name: str  # "wtw" | "w"
    M: Any
    trace: Any
    det: Any
    result: tuple

    def eval(self):
        tr, det = self.M.trace(), self.M.det()
        root = sp.sqrt(tr**2 - 4 * det)
        return ((tr + root) / 2, (tr - root) / 2)

    def check(self) -> bool:
        return super().check() and same(self.trace, self.M.trace()) and same(self.det, self.M.det())


@dataclass(frozen=True)
class SingularValue(Step):
    """lambda_1 = sqrt(mu_1), mu_1 the largest eigenvalue of W^T W"""

    mu1: Any
    result: Any

    def eval(self):
        return sp.sqrt(self.mu1)


@dataclass(frozen=True)
class SpectralRadius(Step):
    """rho(W) = max |eigenvalue of W|"""

    eigs: tuple
    lam1: Any  # for the comparison rho(W) <= lambda_1 (equal iff W is normal)
    below_lam1: bool
    result: Any

    def eval(self):
        return sp.Max(*[sp.Abs(e) for e in self.eigs])

    def check(self) -> bool:
        gap = sp.N(self.lam1 - self.result, 50)
        return super().check() and gap > -1e-40 and self.below_lam1 == bool(gap > 1e-40)


@dataclass(frozen=True)
class PascanuBound(Step):
    """compare lambda_1 with 1/gamma (equivalently lambda_1 * gamma with 1)
    -> 'less' | 'greater' | 'equal'"""

    lam1: Any
    gamma: Any
    factor: Any  # lambda_1 * gamma
    result: str

    def eval(self):
        diff = self.lam1**2 * self.gamma**2 - 1
        approx = sp.N(diff, 60)
        if abs(approx) < 1e-50 and sp.simplify(diff) == 0:  # exact test only when it matters
            return "equal"
        return "less" if approx < 0 else "greater"

    def check(self) -> bool:
        return super().check() and same(self.factor, self.lam1 * self.gamma)


def _distinct(answer, candidates):
    """Drop a distractor equal to the answer or to an earlier one (possible
    only for teacher-fixed values; never for drawn ones, see the tests)."""
    out = []
    taken = [answer if isinstance(answer, str) else float(answer)]
    for d in candidates:
        key = d.value if isinstance(d.value, str) else float(d.value)
        if isinstance(key, str):
            clash = key in taken
        else:
            clash = any(not isinstance(t, str) and abs(key - t) <= 1e-9 * max(1.0, abs(t)) for t in taken)
        if not clash:
            taken.append(key)
            out.append(d)
    return out


VERDICT = {"less": "vanishing", "greater": "exploding-possible", "equal": "bounded"}


def solve(p: dict[str, Any]) -> list[Part]:
    from generator.errors import ParameterError

    gamma = sp.Rational(p["gamma"])
    if gamma not in (1, sp.Rational(1, 4)):
        raise ParameterError(f"gamma={gamma}: must be 1 (tanh) or 1/4 (sigmoid)")
    W = sp.Matrix([[p["w11"], p["w12"]], [p["w21"], p["w22"]]])
    G = W.T * W
    mu = Eigen2(name="wtw", M=G, trace=G.trace(), det=G.det(), result=None)
    mu = Eigen2(name="wtw", M=G, trace=G.trace(), det=G.det(), result=mu.eval())
    mu1 = sp.radsimp(mu.result[0])
    lam1 = sp.sqrt(mu1)
    ev = Eigen2(name="w", M=W, trace=W.trace(), det=W.det(), result=None)
    ev = Eigen2(name="w", M=W, trace=W.trace(), det=W.det(), result=ev.eval())
    rho = sp.Max(*[sp.Abs(e) for e in ev.result])
    below = bool(sp.N(lam1 - rho, 50) > 1e-40)
    bound = PascanuBound(lam1=lam1, gamma=gamma, factor=lam1 * gamma, result="less")
    cmp = bound.eval()
    bound = PascanuBound(lam1=lam1, gamma=gamma, factor=lam1 * gamma, result=cmp)
    verdict = VERDICT[cmp]
    radius_verdict = "vanishing" if bool(rho * gamma < 1) else "exploding-possible"
    frob = sp.sqrt(G.trace())
    max_entry = max(abs(x) for x in W)
    extra = {"precision": PRECISION}

    if verdict == "vanishing":
        wrong = [Distractor("exploding-possible", "inverted"), Distractor("exploding-certain", "inverted-certain")]
    elif verdict == "exploding-possible":
        wrong = [
            Distractor("vanishing", "spectral-radius-test" if radius_verdict == "vanishing" else "inverted"),
            Distractor("exploding-certain", "necessary-as-sufficient"),
        ]
    else:
        wrong = [Distractor("vanishing", "bound-not-strict"), Distractor("exploding-certain", "necessary-as-sufficient")]

    return [
        Part(
            "lambda1",
            lam1,
            [GramMatrix(W=W, result=G), mu, SingularValue(mu1=mu.result[0], result=lam1)],
            extra=extra,
            distractors=_distinct(lam1, [
                Distractor(rho, "spectral-radius"),
                Distractor(mu1, "no-sqrt"),
                Distractor(frob, "frobenius"),
            ]),
        ),
        Part(
            "radius",
            rho,
            [ev, SpectralRadius(eigs=ev.result, lam1=lam1, below_lam1=below, result=rho)],
            extra=extra,
            distractors=_distinct(rho, [
                Distractor(lam1, "singular-for-eigen"),
                Distractor(mu1, "eig-of-wtw"),
                Distractor(max_entry, "max-entry"),
            ]),
        ),
        Part("verdict", verdict, [bound], basis=lam1 * gamma, extra={"rho_verdict": radius_verdict},
             distractors=_distinct(verdict, wrong)),
    ]
