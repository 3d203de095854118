"""Steps as data.

Each step is a small frozen dataclass, after SymPy's ``manualintegrate``: its
fields are the exact values the step works with, ``result`` is what the solver
says the step gives, and ``eval()`` recomputes that result from the fields
alone. ``check()`` compares the two, so a test can walk every step of every
answer key and prove that no line of working is wrong.

Steps never hold sentences. Templates (``templates/steps/<lang>.j2`` for the
generic kinds below, ``question_bank/<family>/steps.<lang>.j2`` for a family's
own kinds) turn them into words, one macro per kind and language; the macro's
name is the step's ``kind``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, ClassVar

import sympy as sp


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def same(a: Any, b: Any) -> bool:
    """Exact equality for sympy numbers, strings, booleans and tuples of them."""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (
            isinstance(a, (tuple, list))
            and isinstance(b, (tuple, list))
            and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b))
        )
    if isinstance(a, (str, bool)) or isinstance(b, (str, bool)):
        return type(a) is type(b) and a == b
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return (
            isinstance(a, sp.MatrixBase)
            and isinstance(b, sp.MatrixBase)
            and a.shape == b.shape
            and all(same(x, y) for x, y in zip(a, b))
        )
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0


def to_data(value: Any) -> Any:
    """JSON-ready form: exact values as strings (``"6/5"``), tuples as lists."""
    if isinstance(value, Step):
        return value.to_data()
    if isinstance(value, (tuple, list)):
        return [to_data(v) for v in value]
    if isinstance(value, sp.MatrixBase):
        return [[to_data(x) for x in value.row(i)] for i in range(value.rows)]
    if isinstance(value, (str, bool)) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    return str(sp.sympify(value))


@dataclass(frozen=True)
class Step:
    """Base class. Subclasses declare fields and ``result`` and define eval()."""

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "kind" not in cls.__dict__:
            cls.kind = _kebab(cls.__name__)

    def eval(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def check(self) -> bool:
        """True when ``result`` follows from the step's own inputs."""
        return same(self.eval(), self.result)  # type: ignore[attr-defined]

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def to_data(self) -> dict[str, Any]:
        data = {"kind": self.kind}
        data.update({k: to_data(v) for k, v in self.fields().items()})
        return data


# --- generic kinds, usable by every family -------------------------------


@dataclass(frozen=True)
class Sum(Step):
    """name = terms[0] + terms[1] + ... -> result"""

    name: str  # which quantity (a key of the family's ``symbols``)
    terms: tuple
    result: Any

    def eval(self):
        return sp.Add(*self.terms)


@dataclass(frozen=True)
class SgdUpdate(Step):
    """name = w - eta * g, where g is the quantity ``grad``"""

    name: str
    grad: str
    w: Any
    eta: Any
    g: Any
    result: Any

    def eval(self):
        return self.w - self.eta * self.g


@dataclass(frozen=True)
class ClipByNorm(Step):
    """name = g * min(1, c / |g|); unchanged when |g| <= c"""

    name: str
    grad: str
    g: Any
    c: Any
    norm: Any
    triggered: bool
    result: Any

    def eval(self):
        norm = sp.Abs(self.g)
        if norm <= self.c:
            return self.g
        return self.g * self.c / norm

    def check(self) -> bool:
        return (
            super().check()
            and same(self.norm, sp.Abs(self.g))
            and self.triggered == bool(sp.Abs(self.g) > self.c)
        )


@dataclass(frozen=True)
class AbsCompare(Step):
    """compare |name| = |value| with threshold -> 'greater' | 'less' | 'equal'"""

    name: str
    value: Any
    threshold: Any
    result: str

    def eval(self):
        a = sp.Abs(self.value)
        if a > self.threshold:
            return "greater"
        if a < self.threshold:
            return "less"
        return "equal"


def walk(steps):
    """Every step, depth first, including steps nested in fields."""
    for step in steps:
        yield step
        for value in step.fields().values():
            if isinstance(value, Step):
                yield from walk([value])
            elif isinstance(value, (tuple, list)):
                yield from walk([v for v in value if isinstance(v, Step)])
