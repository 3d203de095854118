"""Papers: which variants one student gets, and the version ID printed on it.

A :class:`QuizSpec` is what the teacher asked for (families, fixed values,
class seed, language, digits). ``paper(spec, student)`` solves that student's
variants: question j of student k is drawn from a seed derived from
(class seed, k, j, family), so every paper differs and each is reproducible
from its version ID alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

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

    @classmethod
    def build(cls, family_ids, fixed: dict[str, dict[str, str]] | None, seed: int, lang: str, digits):
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
        return cls(families=tuple(fams), seed=int(seed), lang=lang, digits=digits)


@dataclass
class Question:
    number: int
    family: bank.Family
    variant: object  # generator.model.Variant

    @property
    def marks(self) -> int:
        return sum(p.spec.marks for p in self.variant.parts)


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


def _check_count(n: int) -> None:
    from .limits import MAX_FAMILIES

    if not 1 <= n <= MAX_FAMILIES:
        raise UsageError(f"a paper holds 1 to {MAX_FAMILIES} questions, not {n}")


def _fixed_text(values) -> str:
    return ";".join(f"{k}={v}" for k, v in values)


def version_id(spec: QuizSpec, student: int) -> str:
    fams = [(bank.get(fid).code, _fixed_text(values)) for fid, values in spec.families]
    return versionid.encode(spec.seed, student, fams, spec.lang, spec.digits)


def paper(spec: QuizSpec, student: int) -> Paper:
    questions = []
    for j, (fid, values) in enumerate(spec.families, start=1):
        fam = bank.get(fid)
        seed = bank.derive_seed(spec.seed, student, j, fid)
        questions.append(Question(number=j, family=fam, variant=fam.variant(seed, dict(values))))
    return Paper(spec=spec, student=student, version_id=version_id(spec, student), questions=questions)


def from_version_id(text: str) -> tuple[QuizSpec, int]:
    """The spec and student number that a version ID stands for."""
    d = versionid.decode(text)
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
    spec = QuizSpec(families=tuple(fams), seed=d["seed"], lang=d["lang"], digits=d["digits"])
    return spec, d["student"]
