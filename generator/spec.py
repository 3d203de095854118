"""Exam specs: a YAML file that sets a whole paper.

``load(path)`` validates the file against ``generator/schema/spec.schema.json``
(through ``generator.validate``), then checks it against the bank: every
family exists, every parameter is one the family has, every fixed value and
every range end lies in the family's declared range, ``format: mcq`` is asked
only of a family that supports it, ``parts`` and ``marks`` name only the
family's parts (``parts: [gradient]`` asks only those parts).
Each error names file, line and field, and is a ``SpecError`` (exit 2).

A parameter in ``params`` is fixed (``w: 2``), drawn uniformly per student
from an inclusive range (``T: [3, 5]``: integers for an integer parameter,
eleven evenly spaced values from ``lo`` to ``hi`` for a rational one), or drawn
from a list (``eta: {one_of: [1/10, 1/100]}``).

A paper from a spec carries a version ID made of the seed, the student and a
short hash of the spec's content (``Exam.hash``): ``gradex regenerate ID --spec
exam.yaml`` reproduces it, and refuses a spec whose content differs.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import BankError, ParameterError, SpecError, UnknownFamily
from .versionid import SPEC_HASH_BYTES

RATIONAL_GRID = 10  # a rational range [lo, hi] is drawn from lo + k (hi - lo) / 10


@dataclass
class Entry:
    """One question of the spec: a family with its settings."""

    family: str
    fixed: dict[str, str]
    ranges: dict[str, tuple]  # name -> ("range", lo, hi, integer) | ("one_of", [raw...])
    fmt: str
    marks: Any
    difficulty: int | None
    section: int
    section_start: bool
    parts: tuple[str, ...] | None = None  # only these parts (ids), in the family's order

    def draw_ranges(self, seed: int, student: int, j: int) -> dict[str, str]:
        out = {}
        for name, r in sorted(self.ranges.items()):
            rng = random.Random(f"gradex/spec/{int(seed)}/{int(student)}/{j}/{name}")
            if r[0] == "one_of":
                out[name] = str(rng.choice(r[1]))
            else:
                _, lo, hi, integer = r
                if integer:
                    out[name] = str(rng.randint(int(lo), int(hi)))
                else:
                    v = lo + (hi - lo) * Fraction(rng.randint(0, RATIONAL_GRID), RATIONAL_GRID)
                    out[name] = f"{v.numerator}/{v.denominator}"
        return out

    def apply(self, q) -> None:
        """Part selection, difficulty filter, marks override and section of one question."""
        if self.parts is not None:
            q.variant.parts = [p for p in q.variant.parts if p.id in self.parts]
        if self.difficulty is not None:
            default = q.family.difficulty
            q.variant.parts = [
                p for p in q.variant.parts if (p.spec.difficulty or default) <= self.difficulty
            ]
        if isinstance(self.marks, int):
            q.marks_override = {p.id: self.marks for p in q.variant.parts}
        elif isinstance(self.marks, dict):
            q.marks_override = dict(self.marks)
        q.section = self.section
        q.section_start = self.section_start


@dataclass(eq=False)
class Exam:
    source: str
    data: dict
    hash: bytes
    entries: list[Entry] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.data.get("lang", "both")

    @property
    def digits(self) -> str | None:
        return self.data.get("digits")

    @property
    def duration(self) -> int:
        return int(self.data["duration"])

    @staticmethod
    def _words(value, lang: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return value.get(lang) or next(iter(value.values()))

    def text(self, name: str, lang: str) -> str:
        """``title`` or ``course`` in ``lang`` (a plain string serves every language)."""
        return self._words(self.data.get(name), lang)

    def section_title(self, i: int, lang: str) -> str:
        return self._words(self.data["sections"][i].get("title"), lang)

    @property
    def has_section_titles(self) -> bool:
        return any(s.get("title") for s in self.data["sections"])

    def quiz(self, seed: int):
        """The QuizSpec of this exam for a class seed."""
        from . import bank
        from .errors import UsageError
        from .paper import QuizSpec

        if not 0 <= int(seed) < 2**63:
            raise UsageError(f"seed {seed} is out of range (0 to 2^63-1)")
        fams = tuple(
            (e.family, tuple(sorted(bank.get(e.family).parse_fixed(e.fixed).items()))) for e in self.entries
        )
        formats = tuple(e.fmt for e in self.entries)
        if all(f == "numeric" for f in formats):
            formats = ()
        return QuizSpec(families=fams, seed=int(seed), lang=self.lang, digits=self.digits, formats=formats, exam=self)


def spec_hash(data: dict) -> bytes:
    """Short hash of a spec's content (comments and layout do not count)."""
    canon = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8")).digest()[:SPEC_HASH_BYTES]


def load(path) -> Exam:
    import yaml

    from . import bank
    from .validate import _line_of, field_path, load_file

    path = Path(path)
    source = str(path)
    try:
        data = load_file(path, "spec")
    except BankError as exc:
        raise SpecError(str(exc)) from None
    def fail(where: list, message: str):
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        line = _line_of(node, where)
        raise SpecError(f"{source}:{line}: {field_path(where)}: {message}")

    entries = []
    for si, section in enumerate(data["sections"]):
        for fi, item in enumerate(section["families"]):
            at = ["sections", si, "families", fi]
            try:
                fam = bank.get(item["id"])
            except UnknownFamily as exc:
                fail(at + ["id"], str(exc))
            fixed, ranges = {}, {}
            for name, value in (item.get("params") or {}).items():
                here = at + ["params", name]
                if name not in fam.params:
                    known = ", ".join(fam.params) or "none"
                    fail(here, f"{fam.id} has no parameter '{name}' (its parameters: {known})")
                pspec = fam.params[name]
                try:
                    if isinstance(value, list):
                        lo, hi = (pspec.coerce(str(v)) for v in value)
                        if lo > hi:
                            fail(here, f"range [{value[0]}, {value[1]}] is empty (low end above high end)")
                        ranges[name] = ("range", lo, hi, pspec.type == "integer")
                    elif isinstance(value, dict):
                        for v in value["one_of"]:
                            pspec.coerce(str(v))
                        ranges[name] = ("one_of", [str(v) for v in value["one_of"]])
                    else:
                        pspec.coerce(str(value))
                        fixed[name] = str(value)
                except ParameterError as exc:
                    fail(here, f"out of {fam.id}'s declared range: {exc}")
            fmt = item.get("format", "numeric")
            if fmt == "mcq" and "mcq" not in fam.formats:
                fail(at + ["format"], f"{fam.id} cannot be asked as multiple choice (its formats: {', '.join(fam.formats)})")
            part_ids = [p.id for p in fam.part_specs]
            marks = item.get("marks")
            if isinstance(marks, dict):
                for pid in marks:
                    if pid not in part_ids:
                        fail(at + ["marks", pid], f"{fam.id} has no part '{pid}' (its parts: {', '.join(part_ids)})")
            chosen = item.get("parts")
            for k, pid in enumerate(chosen or ()):
                if pid not in part_ids:
                    fail(at + ["parts", k], f"{fam.id} has no part '{pid}' (its parts: {', '.join(part_ids)})")
            kept = [p for p in fam.part_specs if chosen is None or p.id in chosen]
            difficulty = item.get("difficulty")
            if difficulty is not None and not any((p.difficulty or fam.difficulty) <= difficulty for p in kept):
                fail(at + ["difficulty"], f"{fam.id} has no part of difficulty {difficulty} or less"
                     + (" among the parts chosen" if chosen else ""))
            entries.append(
                Entry(
                    family=fam.id,
                    fixed=fixed,
                    ranges=ranges,
                    fmt=fmt,
                    marks=marks,
                    difficulty=difficulty,
                    section=si,
                    section_start=fi == 0,
                    parts=tuple(chosen) if chosen is not None else None,
                )
            )
    return Exam(source=source, data=data, hash=spec_hash(data), entries=entries)
