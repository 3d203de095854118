"""Papers: which variants one student gets, and the version ID printed on it.

A :class:`QuizSpec` is what the teacher asked for (families, fixed values,
class seed, language, digits). ``paper(spec, student)`` solves that student's
variants: question j of student k is drawn from a seed derived from
(class seed, k, j, family), so every paper differs and each is reproducible
from its version ID alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import bank, versionid
from .errors import UsageError

LANG_CHOICES = ("bn", "en", "both")
DIGIT_CHOICES = ("bangla", "latin")


@dataclass(frozen=True)
class QuizSpec:
    families: tuple[tuple[str, tuple[tuple[str, Fraction], ...]], ...]
    seed: int
    lang: str = "both"
    digits: str | None = None
    formats: tuple[str, ...] = ()  # per family: "numeric" (default) or "mcq"
    exam: Any = None  # generator.spec.Exam when the paper comes from an exam spec

    def format_of(self, j: int) -> str:
        """Format of the j-th question (1-based)."""
        return self.formats[j - 1] if self.formats else "numeric"

    @classmethod
    def build(cls, family_ids, fixed: dict[str, dict[str, str]] | None, seed: int, lang: str, digits, formats=None):
        """Validate ids and fixed values (raw text) into a spec."""
        if lang not in LANG_CHOICES:
            raise UsageError(f"unknown language '{lang}' (choose bn, en or both)")
        if digits not in (None, *DIGIT_CHOICES):
            raise UsageError(f"unknown digits '{digits}' (choose bangla or latin)")
        if not 0 <= int(seed) < 2**63:
            raise UsageError(f"seed {seed} is out of range (0 to 2^63-1)")
        _check_count(len(family_ids))
        fixed = fixed or {}
        fams = []
        for fid in family_ids:
            fam = bank.get(fid)
            values = fam.parse_fixed(fixed.get(fid, {}))
            fams.append((fid, tuple(sorted(values.items()))))
        formats = tuple(formats or ())
        if formats and len(formats) != len(fams):
            raise UsageError("one format per family is needed")
        for fmt in formats:
            if fmt not in ("numeric", "mcq"):
                raise UsageError(f"unknown format '{fmt}' (choose numeric or mcq)")
        if formats and all(f == "numeric" for f in formats):
            formats = ()
        return cls(families=tuple(fams), seed=int(seed), lang=lang, digits=digits, formats=formats)


@dataclass
class Question:
    number: int
    family: bank.Family
    variant: object  # generator.model.Variant
    fmt: str = "numeric"
    options: dict = field(default_factory=dict)  # part id -> [mcq.Option] when asked as MCQ
    marks_override: dict = field(default_factory=dict)  # part id -> marks (exam spec)
    section: int | None = None  # index into paper.spec.exam.sections
    section_start: bool = False  # first question of its section

    def part_marks(self, part) -> int:
        return self.marks_override.get(part.id, part.spec.marks)

    @property
    def marks(self) -> int:
        return sum(self.part_marks(p) for p in self.variant.parts)

    @property
    def shown_params(self) -> list:
        """(name, ParamSpec) pairs for the "Given" line."""
        hidden = self.family.hidden_params
        return [(n, s) for n, s in self.family.params.items()
                if n not in hidden and s.given and n in self.variant.params]


@dataclass
class Paper:
    spec: QuizSpec
    student: int
    version_id: str
    questions: list[Question]

    @property
    def lang(self) -> str:
        return self.spec.lang

    @property
    def digits(self) -> str | None:
        return self.spec.digits

    @property
    def total_marks(self) -> int:
        return sum(q.marks for q in self.questions)

    @property
    def exam(self):
        return self.spec.exam


def _check_count(n: int) -> None:
    from .limits import MAX_FAMILIES

    if not 1 <= n <= MAX_FAMILIES:
        raise UsageError(f"a paper holds 1 to {MAX_FAMILIES} questions, not {n}")


def _fixed_text(values) -> str:
    return ";".join(f"{k}={v}" for k, v in values)


def version_id(spec: QuizSpec, student: int) -> str:
    if spec.exam is not None:
        return versionid.encode_spec(spec.seed, student, spec.exam.hash, spec.lang, spec.digits)
    fams = [
        (bank.get(fid).code, _fixed_text(values), versionid.FLAG_MCQ if spec.format_of(j) == "mcq" else 0)
        for j, (fid, values) in enumerate(spec.families, start=1)
    ]
    return versionid.encode(spec.seed, student, fams, spec.lang, spec.digits)


MAX_REDRAWS = 200


def _items(variant) -> set:
    return {p.extra["item"] for p in variant.parts if "item" in p.extra}


def paper(spec: QuizSpec, student: int) -> Paper:
    from . import mcq

    questions = []
    used: set = set()
    for j, (fid, values) in enumerate(spec.families, start=1):
        fam = bank.get(fid)
        fixed = dict(values)
        entry = spec.exam.entries[j - 1] if spec.exam is not None else None
        if entry is not None:
            fixed.update(fam.parse_fixed(entry.draw_ranges(spec.seed, student, j)))
        seed = bank.derive_seed(spec.seed, student, j, fid)
        variant = fam.variant(seed, fixed)
        # Items (bank questions) never repeat within a paper: redraw deterministically.
        for attempt in range(1, MAX_REDRAWS + 1):
            if not _items(variant) & used:
                break
            seed = bank.derive_seed(spec.seed, student, j, fid, attempt)
            variant = fam.variant(seed, fixed)
        if _items(variant) & used:
            raise UsageError(
                f"question {j} ({fid}) would repeat an item already on the paper of student {student}: "
                f"the family has too few items to appear this often"
            )
        used |= _items(variant)
        q = Question(number=j, family=fam, variant=variant, fmt=spec.format_of(j))
        if entry is not None:
            entry.apply(q)
        for part in variant.parts:
            opts = mcq.asked_options(part, variant.seed, q.fmt)
            if opts is not None:
                q.options[part.id] = opts
        questions.append(q)
    return Paper(spec=spec, student=student, version_id=version_id(spec, student), questions=questions)


def from_version_id(text: str, exam=None) -> tuple[QuizSpec, int]:
    """The spec and student number that a version ID stands for.

    A paper made from an exam spec needs that spec (``exam``, a
    ``generator.spec.Exam``): the ID holds only its short hash."""
    d = versionid.decode(text)
    if d["spec_hash"] is not None:
        if exam is None:
            raise UsageError(f"{text} was made from an exam spec: pass the same spec with --spec FILE")
        if exam.hash != d["spec_hash"]:
            raise UsageError(
                f"{text} was made from a different exam spec than {exam.source} "
                f"(spec hash {d['spec_hash'].hex()} in the ID, {exam.hash.hex()} in the file)"
            )
        return exam.quiz(d["seed"]), d["student"]
    if exam is not None:
        raise UsageError(f"{text} is not a paper from an exam spec: leave out --spec")
    _check_count(len(d["families"]))
    fams = []
    for code, fixed in d["families"]:
        fam = bank.by_code(code)
        items = [item for item in fixed.split(";") if item]
        if any("=" not in item for item in items):
            raise UsageError("version ID is malformed (fixed values)")
        raw = dict(item.split("=", 1) for item in items)
        values = fam.parse_fixed(raw)
        fams.append((fam.id, tuple(sorted(values.items()))))
    formats = tuple("mcq" if f & versionid.FLAG_MCQ else "numeric" for f in d.get("family_flags", []))
    if all(f == "numeric" for f in formats):
        formats = ()
    spec = QuizSpec(families=tuple(fams), seed=d["seed"], lang=d["lang"], digits=d["digits"], formats=formats)
    return spec, d["student"]
