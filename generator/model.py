"""The data model: a solved variant of a question family.

A :class:`Variant` is what a family's solver produces for one seed: the
parameters, and for each part the exact answer and the ordered steps that
derive it. Metadata that every exporter must agree on (answer type, tolerance,
marks) is declared once per part in the family's ``family.yaml`` and joined
here as :class:`PartSpec`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from .steps import to_data


@dataclass(frozen=True)
class PartSpec:
    """Declared once in family.yaml; read by every renderer and exporter."""

    id: str
    marks: int
    answer_type: str  # "numeric" | "verdict"
    symbol: str  # key of the family's ``symbols``: what the answer is
    tolerance: float  # relative tolerance for numeric answers
    choices: tuple[str, ...] = ()  # for verdict answers
    mcq: bool = False  # may be asked as multiple choice (generator/mcq.py)
    difficulty: int | None = None  # an exam spec may keep only parts up to a difficulty
    precision: int | None = None  # decimal places shown for irrational answers


@dataclass(frozen=True)
class Distractor:
    """A wrong option for multiple choice, computed by the solver from a named
    misconception (e.g. ``last-term-only``). Its words live in the family's
    ``text.<lang>.misconceptions.<misconception>``."""

    value: Any
    misconception: str


@dataclass
class Part:
    """What a solver returns for one part."""

    id: str
    answer: Any  # sympy number, or a verdict string
    steps: list
    basis: Any = None  # for a verdict: the number it is read from
    extra: dict = field(default_factory=dict)  # more values for the templates
    distractors: list = field(default_factory=list)  # [Distractor] for multiple choice
    spec: PartSpec | None = None

    def answer_data(self) -> dict[str, Any]:
        if isinstance(self.answer, str):
            exact = self.answer
            num = self._float(self.basis) if self.basis is not None else None
        elif isinstance(self.answer, sp.MatrixBase):
            exact = str(to_data(self.answer))
            num = [[self._float(x) for x in self.answer.row(i)] for i in range(self.answer.rows)]
        else:
            exact = str(sp.sympify(self.answer))
            num = self._float(self.answer)
        data = {"exact": exact, "float": num}
        if self.spec is not None:
            data["type"] = self.spec.answer_type
            if self.spec.answer_type in ("numeric", "matrix", "vector"):
                data["tolerance"] = self.spec.tolerance
            else:
                data["basis"] = to_data(self.basis)
            if self.spec.precision is not None:
                data["precision"] = self.spec.precision
        return data

    def _float(self, value) -> float:
        """float(value), refused with a reason when it overflows a float."""
        import math

        from .errors import ValueRangeError

        try:
            num = float(value)
        except OverflowError:
            num = math.inf
        if math.isinf(num):
            raise ValueRangeError(
                f"the answer to part '{self.id}' is too large for a float (about 10^{_log10(value)}); "
                "choose smaller parameters"
            )
        return num

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "answer": self.answer_data(),
            "steps": [s.to_data() for s in self.steps],
        }


@dataclass
class Variant:
    family: str
    seed: int
    params: dict[str, Any]
    parts: list[Part]

    def part(self, part_id: str) -> Part:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def to_data(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "seed": self.seed,
            "params": {k: str(sp.sympify(v)) for k, v in self.params.items()},
            "parts": [p.to_data() for p in self.parts],
        }


def _log10(value) -> int:
    """Decimal exponent of a huge exact number (no float involved)."""
    from .numfmt import _sci

    return _sci(sp.nsimplify(value))[1]
