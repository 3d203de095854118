"""weight-init: Xavier/Glorot and He initialisation for one dense layer.

draw(rng) picks fan-in/fan-out so that the variances are simple fractions and
the uniform limits simple surds (fans that are powers of two or 6k^2);
solve(params) returns the variances, the uniform limits and which scheme suits
the layer's activation (act = 0: tanh, act = 1: ReLU), with steps as data and
distractors from named misconceptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.model import Distractor, Part
from generator.steps import Step

FAN_IN = [64, 96, 128, 150, 256, 384, 512, 600, 864, 1024]
FAN_OUT = [64, 100, 128, 200, 256, 300, 512, 1024]
ACTIVATIONS = {0: "tanh", 1: "relu"}
PRECISION = 4


def draw(rng) -> dict[str, Fraction]:
    return {
        "fan_in": Fraction(rng.choice(FAN_IN)),
        "fan_out": Fraction(rng.choice(FAN_OUT)),
        "act": Fraction(rng.randint(0, 1)),
    }


@dataclass(frozen=True)
class FanSum(Step):
    """n = fan_in + fan_out"""

    fan_in: Any
    fan_out: Any
    result: Any

    def eval(self):
        return self.fan_in + self.fan_out


@dataclass(frozen=True)
class XavierVariance(Step):
    """Var(W) = 2 / (fan_in + fan_out)   (Glorot & Bengio 2010)"""

    fan_in: Any
    fan_out: Any
    result: Any

    def eval(self):
        return sp.Integer(2) / (self.fan_in + self.fan_out)


@dataclass(frozen=True)
class HeVariance(Step):
    """Var(W) = 2 / fan_in   (He et al. 2015)"""

    fan_in: Any
    result: Any

    def eval(self):
        return sp.Integer(2) / self.fan_in


@dataclass(frozen=True)
class StdDev(Step):
    """sigma = sqrt(Var(W)): the standard deviation of the normal version"""

    name: str  # "xavier" | "he"
    var: Any
    result: Any

    def eval(self):
        return sp.sqrt(self.var)


@dataclass(frozen=True)
class UniformLimit(Step):
    """U(-a, a) has variance a^2/3, so a = sqrt(3 Var(W))"""

    name: str  # "xavier" | "he"
    var: Any
    result: Any

    def eval(self):
        return sp.sqrt(3 * self.var)

    def check(self) -> bool:
        # and the limit really gives the variance back
        return super().check() and sp.simplify(self.result**2 / 3 - self.var) == 0


@dataclass(frozen=True)
class ActivationChoice(Step):
    """ReLU (act = 1) -> He; tanh (act = 0) -> Xavier"""

    act: int
    result: str

    def eval(self):
        return "he" if self.act == 1 else "xavier"


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


def solve(p: dict[str, Any]) -> list[Part]:
    from generator.errors import ParameterError

    fi, fo, act = sp.Integer(p["fan_in"]), sp.Integer(p["fan_out"]), int(p["act"])
    if act not in ACTIVATIONS:
        raise ParameterError(f"act={act}: must be 0 (tanh) or 1 (ReLU)")
    n = fi + fo
    xv = sp.Integer(2) / n
    hv = sp.Integer(2) / fi
    xs, hs = sp.sqrt(xv), sp.sqrt(hv)
    xa, ha = sp.sqrt(3 * xv), sp.sqrt(3 * hv)
    choice = "he" if act == 1 else "xavier"
    extra = {"precision": PRECISION}

    return [
        Part(
            "xavier_var",
            xv,
            [FanSum(fan_in=fi, fan_out=fo, result=n), XavierVariance(fan_in=fi, fan_out=fo, result=xv),
             StdDev(name="xavier", var=xv, result=xs)],
            extra=extra,
            distractors=_distinct(xv, [
                Distractor(hv, "fan-in-only"),
                Distractor(xs, "std-for-variance"),
                Distractor(xa, "limit-for-variance"),
            ]),
        ),
        Part(
            "xavier_limit",
            xa,
            [UniformLimit(name="xavier", var=xv, result=xa)],
            extra=extra,
            distractors=_distinct(xa, [
                Distractor(xs, "std-for-limit"),
                Distractor(ha, "fan-in-only"),
                Distractor(6 / n, "no-sqrt"),
            ]),
        ),
        Part(
            "he_var",
            hv,
            [HeVariance(fan_in=fi, result=hv), StdDev(name="he", var=hv, result=hs)],
            extra=extra,
            distractors=_distinct(hv, [
                Distractor(xv, "fan-sum"),
                Distractor(hs, "std-for-variance"),
                Distractor(ha, "limit-for-variance"),
            ]),
        ),
        Part(
            "he_limit",
            ha,
            [UniformLimit(name="he", var=hv, result=ha)],
            extra=extra,
            distractors=_distinct(ha, [
                Distractor(hs, "std-for-limit"),
                Distractor(xa, "fan-sum"),
                Distractor(6 / fi, "no-sqrt"),
            ]),
        ),
        Part(
            "choice",
            choice,
            [ActivationChoice(act=act, result=choice)],
            basis=sp.Integer(act),
            distractors=[
                Distractor("xavier" if act == 1 else "he", "xavier-for-relu" if act == 1 else "he-for-tanh"),
                Distractor("zeros", "zero-init"),
                Distractor("unit-normal", "unit-normal"),
            ],
        ),
    ]
