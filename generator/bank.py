"""The question bank: one folder per family under ``question_bank/``.

A family folder holds everything about one question (PrairieLearn style):

- ``family.yaml``: id, stable numeric code, titles, topic, difficulty, the
  parameters with their ranges, the parts with answer type, tolerance and
  marks, and the words of the question in every language;
- ``solver.py``: ``draw(rng)`` picks parameters, ``solve(params)`` returns the
  parts with exact answers and steps (data, never sentences);
- ``steps.<lang>.j2``: one macro per step kind that the family defines itself.

Loading the bank reads YAML only; a solver module (and so sympy) is imported
the first time a variant is solved.
"""

from __future__ import annotations

import hashlib
import importlib.util
import random
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import BankError, ParameterError, UnknownFamily
from .numbers import parse_exact

LANGS = ("bn", "en")


def bank_dir() -> Path:
    return Path(str(resources.files("generator.question_bank")))


def templates_dir() -> Path:
    return Path(str(resources.files("generator.templates")))


def fonts_dir() -> Path:
    return Path(str(resources.files("generator.fonts")))


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str  # "integer" | "rational"
    min: Fraction
    max: Fraction
    min_exclusive: bool = False
    symbol: str = ""  # LaTeX
    given: bool = True  # listed under "Given" (False: the stem shows it, e.g. inside a matrix)

    def describe(self) -> str:
        lo = "greater than" if self.min_exclusive else "from"
        kind = "an integer" if self.type == "integer" else "a number"
        return f"{kind} {lo} {_plain(self.min)} to {_plain(self.max)}"

    def coerce(self, raw: Any) -> Fraction:
        """Parse and range-check one value; raise ParameterError with a reason."""
        from .limits import MAX_VALUE_CHARS

        if isinstance(raw, str) and len(raw) > MAX_VALUE_CHARS:
            raise ParameterError(f"{self.name}: value is {len(raw)} characters long (at most {MAX_VALUE_CHARS})")
        try:
            value = parse_exact(raw) if isinstance(raw, str) else Fraction(raw)
        except (ValueError, ZeroDivisionError) as exc:
            raise ParameterError(f"{self.name}={raw}: {exc}") from None
        if self.type == "integer" and value.denominator != 1:
            raise ParameterError(f"{self.name}={raw}: must be {self.describe()}")
        too_low = value <= self.min if self.min_exclusive else value < self.min
        if too_low or value > self.max:
            raise ParameterError(f"{self.name}={raw}: must be {self.describe()}")
        return value


def _plain(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else str(float(q))


@dataclass(frozen=True)
class Family:
    id: str
    code: int
    folder: Path
    meta: dict

    @property
    def title(self) -> dict:
        return self.meta["title"]

    @property
    def topic(self) -> str:
        return self.meta.get("topic", "")

    @property
    def difficulty(self) -> int:
        return int(self.meta.get("difficulty", 1))

    @property
    def formats(self) -> list[str]:
        """Declared formats, plus "mcq" when a part can be asked as multiple choice."""
        out = list(self.meta.get("formats", ["numeric"]))
        if "mcq" not in out and any(p.get("mcq") or p.get("answer", {}).get("type") == "choice" for p in self.meta["parts"]):
            out.append("mcq")
        return out

    @property
    def hidden_params(self) -> set[str]:
        """Parameters not shown in a question's "Given" line (e.g. an item draw)."""
        return {n for n, s in self.meta.get("params", {}).items() if s.get("hidden")}

    @cached_property
    def items(self) -> dict[str, dict]:
        """The family's item bank (``items.yaml``), by item id; {} if it has none."""
        path = self.folder / "items.yaml"
        if not path.is_file():
            return {}
        from .validate import load_file

        data = load_file(path, "items")
        out = {}
        for item in data["items"]:
            if item["id"] in out:
                raise BankError(f"{path}: item id '{item['id']}' is used twice")
            out[item["id"]] = item
        return out

    @property
    def text(self) -> dict:
        return self.meta["text"]

    @cached_property
    def params(self) -> dict[str, ParamSpec]:
        out = {}
        for name, spec in self.meta.get("params", {}).items():
            out[name] = ParamSpec(
                name=name,
                type=spec["type"],
                min=parse_exact(str(spec["min"])),
                max=parse_exact(str(spec["max"])),
                min_exclusive=bool(spec.get("min_exclusive", False)),
                symbol=spec.get("symbol", name),
                given=bool(spec.get("given", True)),
            )
        return out

    @cached_property
    def part_specs(self):
        from .model import PartSpec

        specs = []
        for p in self.meta["parts"]:
            ans = p.get("answer", {})
            specs.append(
                PartSpec(
                    id=p["id"],
                    marks=int(p.get("marks", 1)),
                    answer_type=ans.get("type", "numeric"),
                    symbol=p.get("symbol", ""),
                    tolerance=float(ans.get("tolerance", 1e-9)),
                    choices=tuple(ans.get("choices", ())),
                    mcq=bool(p.get("mcq", False)),
                    difficulty=p.get("difficulty"),
                    precision=ans.get("precision"),
                )
            )
        return specs

    def parse_fixed(self, assignments: dict[str, Any]) -> dict[str, Fraction]:
        """Validate teacher-fixed parameters against the declared ranges."""
        fixed = {}
        for name, raw in assignments.items():
            if name not in self.params:
                known = ", ".join(self.params) or "none"
                raise ParameterError(
                    f"{self.id} has no parameter '{name}' (its parameters: {known})"
                )
            fixed[name] = self.params[name].coerce(raw)
        return fixed

    @cached_property
    def solver(self):
        path = self.folder / "solver.py"
        name = "gradex_family_" + self.id.replace("-", "_")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
        return module

    def variant(self, seed: int, fixed: dict[str, Fraction] | None = None):
        """Solve the variant drawn from ``seed`` (fixed values override draws)."""
        import sympy as sp

        from .model import Variant

        rng = random.Random(f"gradex/{self.id}/{int(seed)}")
        drawn = dict(self.solver.draw(rng))
        for name, value in drawn.items():
            # A draw outside the declared range is a bug in the family.
            self.params[name].coerce(value)
        drawn.update(fixed or {})
        params = {
            k: sp.Integer(int(v)) if self.params[k].type == "integer" else sp.Rational(v.numerator, v.denominator)
            for k, v in ((k, Fraction(v)) for k, v in drawn.items())
        }
        parts = self.solver.solve(params)
        specs = {s.id: s for s in self.part_specs}
        for part in parts:
            part.spec = specs[part.id]
        return Variant(family=self.id, seed=int(seed), params=params, parts=parts)


def _load_family(folder: Path) -> Family:
    from .validate import load_file

    path = folder / "family.yaml"
    meta = load_file(path, "family")
    from .checks import raise_first

    raise_first(path, meta)  # ranges, symbols, placeholders: file:line: field
    if meta["id"] != folder.name:
        raise BankError(f"{path}: id '{meta['id']}' differs from its folder name '{folder.name}'")
    return Family(id=meta["id"], code=int(meta["code"]), folder=folder, meta=meta)


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    """All families in the bank, by id, in id order."""
    out = {}
    codes = {}
    for folder in sorted(p for p in bank_dir().iterdir() if (p / "family.yaml").is_file()):
        fam = _load_family(folder)
        if fam.code in codes:
            raise BankError(f"{folder}: code {fam.code} is already used by {codes[fam.code]}")
        codes[fam.code] = fam.id
        out[fam.id] = fam
    return out


def get(family_id: str) -> Family:
    fams = families()
    if family_id not in fams:
        known = ", ".join(fams)
        raise UnknownFamily(f"unknown family '{family_id}' (known: {known})")
    return fams[family_id]


def by_code(code: int) -> Family:
    for fam in families().values():
        if fam.code == code:
            return fam
    raise UnknownFamily(f"no family has code {code}")


def derive_seed(*parts: Any) -> int:
    """A stable 9-digit seed from a tuple (same on every machine and run)."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") % 1_000_000_000
