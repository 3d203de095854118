"""vector-clipping: a gradient vector g (2 to 4 components), its L2 norm,
clipping by norm (g * c/||g|| when ||g|| > c: direction kept) against clipping
by value (each component clamped to [-c, c]: direction may change), and the
SGD change of the parameters, -eta * g_clip. Norms stay exact (sympy sqrt).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.errors import ParameterError
from generator.model import Distractor, Part
from generator.steps import Step

MAX_M = 4
# vectors with a whole or simple-surd norm, by dimension
VECTORS = {
    2: [(3, 4), (6, 8), (5, 12), (1, 1), (2, 2), (1, 3), (8, 6), (4, 2)],
    3: [(1, 2, 2), (2, 3, 6), (1, 1, 1), (2, 1, 2), (4, 4, 2), (2, 6, 9), (1, 1, 2)],
    4: [(1, 1, 1, 1), (2, 2, 1, 4), (1, 1, 1, 3), (4, 2, 2, 1), (3, 1, 1, 1), (2, 4, 4, 1)],
}
SCALE = ["1", "1", "1", "1/2"]
ETA = ["1/10", "1/2", "1/100", "1/5"]
PLACES = 4


def draw(rng) -> dict[str, Fraction]:
    m = rng.randint(2, MAX_M)
    base = list(rng.choice(VECTORS[m]))
    rng.shuffle(base)
    scale = Fraction(rng.choice(SCALE))
    g = [Fraction(x) * scale * rng.choice([1, -1]) for x in base]
    norm2 = sum(x * x for x in g)
    biggest = max(abs(x) for x in g)
    if rng.random() < 0.65:  # clipping triggers: c below the norm, often below some components
        c = Fraction(rng.choice([x for x in (1, 2, 3, 5) if x * x < norm2] or [Fraction(1, 2)]))
        if c >= biggest and rng.random() < 0.5:
            c = biggest / 2
    else:  # below threshold: c at least the norm
        c = Fraction(int(norm2**0.5) + rng.choice([1, 2, 5]))
    out = {"m": Fraction(m), "c": c, "eta": Fraction(rng.choice(ETA))}
    padded = g + [Fraction(rng.choice([1, 2, -1])) for _ in range(MAX_M - m)]
    out.update({f"g{i}": x for i, x in enumerate(padded, start=1)})
    return out


def vec(xs) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([sp.nsimplify(x) for x in xs])


@dataclass(frozen=True)
class VectorNorm(Step):
    """||g|| = sqrt(g_1^2 + ... + g_m^2); ``squares`` lists the g_i^2"""

    g: Any
    squares: tuple
    result: Any

    def eval(self):
        return sp.sqrt(sp.Add(*[x**2 for x in self.g]))

    def check(self) -> bool:
        return super().check() and all(s == x**2 for s, x in zip(self.squares, self.g))


@dataclass(frozen=True)
class VectorClipByNorm(Step):
    """g_clip = g * c/||g|| if ||g|| > c, else g unchanged"""

    g: Any
    c: Any
    norm: Any
    triggered: bool
    result: Any

    def eval(self):
        norm = sp.sqrt(sp.Add(*[x**2 for x in self.g]))
        return self.g * (self.c / norm) if norm > self.c else self.g

    def check(self) -> bool:
        norm = sp.sqrt(sp.Add(*[x**2 for x in self.g]))
        return super().check() and self.triggered == bool(norm > self.c) and sp.simplify(norm - self.norm) == 0


@dataclass(frozen=True)
class ClipByValue(Step):
    """v_i = min(max(g_i, -c), c); ``clamped`` marks the changed components"""

    g: Any
    c: Any
    clamped: tuple
    result: Any

    def eval(self):
        return vec([min(max(x, -self.c), self.c) for x in self.g])

    def check(self) -> bool:
        return super().check() and self.clamped == tuple(bool(abs(x) > self.c) for x in self.g)


@dataclass(frozen=True)
class DirectionCheck(Step):
    """cos(theta) = g.v / (||g|| ||v||); result True when v points along g
    (cos = 1); ``angle`` is theta in degrees rounded to 2 decimals"""

    g: Any
    v: Any
    cos: Any
    angle: Any
    result: bool

    def eval(self):
        cos = (self.g.dot(self.v)) / (sp.sqrt(self.g.dot(self.g)) * sp.sqrt(self.v.dot(self.v)))
        return bool(sp.simplify(cos - 1) == 0)

    def check(self) -> bool:
        import mpmath

        cos = (self.g.dot(self.v)) / (sp.sqrt(self.g.dot(self.g)) * sp.sqrt(self.v.dot(self.v)))
        with mpmath.workdps(30):
            deg = mpmath.degrees(mpmath.acos(mpmath.mpf(str(sp.N(cos, 30)))))
        return super().check() and sp.simplify(cos - self.cos) == 0 and abs(deg - mpmath.mpf(str(float(self.angle)))) <= 0.006


@dataclass(frozen=True)
class VectorSgdStep(Step):
    """delta_theta = -eta * g_clip"""

    eta: Any
    g: Any
    result: Any

    def eval(self):
        return -self.eta * self.g


def angle_deg(cos) -> sp.Rational:
    import mpmath

    with mpmath.workdps(30):
        deg = mpmath.degrees(mpmath.acos(mpmath.mpf(str(sp.N(cos, 30)))))
        return sp.Rational(int(mpmath.floor(deg * 100 + mpmath.mpf(1) / 2)), 100)


def _eq(a, b) -> bool:
    """Exact equality of numbers/vectors built from rationals and square roots
    (sympy keeps these canonical, so expand() of a difference is 0 iff equal)."""
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return (
            isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)
            and a.shape == b.shape and all(_eq(x, y) for x, y in zip(a, b))
        )
    return sp.expand(sp.radsimp(a - b)) == 0


def distinct(answer, candidates) -> list[Distractor]:
    out, seen = [], [answer]
    for value, why in candidates:
        if value is None or any(_eq(value, s) for s in seen):
            continue
        seen.append(value)
        out.append(Distractor(value, why))
    return out


def solve(p: dict[str, Any]) -> list[Part]:
    m = int(p["m"])
    for i in range(m + 1, MAX_M + 1):  # components beyond m are not part of this variant
        p.pop(f"g{i}", None)
    g = vec([p[f"g{i}"] for i in range(1, m + 1)])
    c, eta = p["c"], p["eta"]
    if all(x == 0 for x in g):
        raise ParameterError("vector-clipping: the gradient vector must not be all zeros")

    squares = tuple(x**2 for x in g)
    norm = sp.sqrt(sp.Add(*squares))
    triggered = bool(norm > c)
    g_norm = (g * (c / norm)).applyfunc(sp.radsimp) if triggered else g
    clamped = tuple(bool(abs(x) > c) for x in g)
    g_value = vec([min(max(x, -c), c) for x in g])
    cos = sp.radsimp(g.dot(g_value) / (norm * sp.sqrt(g_value.dot(g_value))))
    same_dir = _eq(cos, 1)
    delta = (-eta * g_norm).applyfunc(sp.radsimp)

    norm_part = Part(
        "norm",
        norm,
        [VectorNorm(g=g, squares=squares, result=norm)],
        distractors=distinct(
            norm,
            [(sp.Add(*squares), "no-square-root"), (sp.Add(*[abs(x) for x in g]), "sum-of-sizes"), (max(abs(x) for x in g), "largest-component")],
        ),
    )
    clip_norm = Part(
        "clip_norm",
        g_norm,
        [VectorClipByNorm(g=g, c=c, norm=norm, triggered=triggered, result=g_norm)],
        distractors=distinct(
            g_norm,
            [
                (g_value, "value-for-norm"),
                (None if triggered else (g * (c / norm)).applyfunc(sp.radsimp), "clip-below-threshold"),
                ((g / norm).applyfunc(sp.radsimp), "unit-vector"),
                (g if triggered else None, "no-clipping"),
            ],
        ),
    )
    clip_value = Part(
        "clip_value",
        g_value,
        [
            ClipByValue(g=g, c=c, clamped=clamped, result=g_value),
            DirectionCheck(g=g, v=g_value, cos=cos, angle=angle_deg(cos), result=same_dir),
        ],
        distractors=distinct(g_value, [(g_norm, "norm-for-value"), (vec([c if x > 0 else -c for x in g]), "every-component-to-c")]),
    )
    update = Part(
        "update",
        delta,
        [VectorSgdStep(eta=eta, g=g_norm, result=delta)],
        distractors=distinct(
            delta,
            [
                ((eta * g_norm).applyfunc(sp.radsimp), "sign-of-step"),
                ((-g_norm).applyfunc(sp.radsimp), "forgets-eta"),
                ((-eta * g) if triggered else None, "unclipped-step"),
            ],
        ),
    )
    return [norm_part, clip_norm, clip_value, update]
