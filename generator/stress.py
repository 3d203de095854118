"""Stress report: draw many variants of one family and judge the draws.

``stress(family, n, seed)`` solves the variants with seeds ``seed .. seed+n-1``
(what ``gradex generate`` would hand out) and returns a :class:`StressReport`:

- how often each case occurs: every verdict answer (exploding / vanishing /
  neither, Pascanu verdicts, ...), every boolean ``Part.extra`` (clipping
  ``triggered``...), and any other extras the family names as cases;
- the spread of each numeric answer (min / median / max of ``|value|``, share
  of non-integers);
- answers too large or too fiddly to work by hand (:data:`HAND_RULES`);
- duplicate variants (identical parameters);
- MCQ options (``Part.distractors``) equal to the answer or to each other;
- steps whose ``check()`` fails, solve errors, solve time per variant.

:meth:`StressReport.failures` lists the hard rules that fail, one line each
(``gradex stress`` exits 1 when there is any). A family tunes the report with
an optional ``STRESS`` dict in its ``solver.py``::

    STRESS = {
        "cases": ["clip.case"],       # more "part.extra" values to count
        "balanced": ["regime"],       # counts that must be balanced
                                      #   (default: every verdict part)
        "big_ok": ["table"],          # part ids (or True) where |x| > 1e6 is expected
        "max_denominator": 1000, "max_digits": 8, "max_magnitude": 1e6,
    }

The library never prints; ``gradex stress`` prints :meth:`StressReport.table`.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# Hard rules.
MAX_P95_SECONDS = 0.5
BALANCE_FACTOR = 0.4  # with k outcomes, each needs a share >= 0.4 / k (20/80 for two)

# Hand-workability rules (reported, not hard): defaults a family may override.
HAND_RULES = {
    "max_digits": 8,  # significant digits of a terminating decimal
    "max_denominator": 1000,  # of an exact fraction in lowest terms
    "max_magnitude": 1e6,  # |x| above this is too large (unless big_ok)
    "min_magnitude": 1e-6,  # 0 < |x| below this is too small (unless big_ok)
}

MAX_EXAMPLES = 3  # examples kept per finding


@dataclass
class Spread:
    """Spread of one numeric answer over the variants."""

    part: str
    count: int
    min_abs: float
    median_abs: float
    max_abs: float
    non_integer: float  # share of values that are not integers


@dataclass
class Finding:
    """A rule that some variants break: how many, and the first few."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, example: str) -> None:
        self.count += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example)


@dataclass
class StressReport:
    family: str
    n: int
    seed: int
    counts: dict[str, Counter] = field(default_factory=dict)
    balanced: list[str] = field(default_factory=list)  # count keys under the balance rule
    spreads: list[Spread] = field(default_factory=list)
    unworkable: dict[str, Finding] = field(default_factory=dict)  # rule -> answers breaking it
    unworkable_variants: int = 0  # variants with at least one such answer
    duplicates: Finding = field(default_factory=Finding)  # variants repeating earlier params
    options: Finding = field(default_factory=Finding)  # duplicate / answer-equal MCQ options
    option_parts: int = 0  # parts with distractors seen
    steps_checked: int = 0
    step_failures: Finding = field(default_factory=Finding)
    solve_errors: Finding = field(default_factory=Finding)
    times: list[float] = field(default_factory=list)  # seconds per solved variant

    # --- derived figures -------------------------------------------------

    @property
    def solved(self) -> int:
        return len(self.times)

    @property
    def mean_time(self) -> float:
        return statistics.fmean(self.times) if self.times else 0.0

    @property
    def p95_time(self) -> float:
        if not self.times:
            return 0.0
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def imbalance(self, key: str) -> str | None:
        """Why the counts under ``key`` are unbalanced, or None."""
        counts = self.counts.get(key, Counter())
        total = sum(counts.values())
        if total == 0:
            return None
        if len(counts) == 1:
            (value,) = counts
            return f"{key}: all {total} variants give {_show(value)}"
        need = BALANCE_FACTOR / len(counts)
        rare = [(v, c) for v, c in counts.items() if c / total < need]
        if not rare:
            return None
        v, c = min(rare, key=lambda vc: vc[1])
        return (
            f"{key}: {_show(v)} in only {c} of {total} variants ({c / total:.0%}; "
            f"each of {len(counts)} outcomes needs at least {need:.0%})"
        )

    def failures(self) -> list[str]:
        """The hard rules that fail, one line each (empty when all pass)."""
        out = []
        fam = self.family
        if self.solve_errors.count:
            out.append(f"{fam}: solve failed for {self.solve_errors.count} variant(s) ({self.solve_errors.examples[0]})")
        if self.step_failures.count:
            out.append(f"{fam}: {self.step_failures.count} step(s) fail check() ({self.step_failures.examples[0]})")
        if self.options.count:
            out.append(f"{fam}: {self.options.count} duplicate or answer-equal MCQ option(s) ({self.options.examples[0]})")
        for key in self.balanced:
            why = self.imbalance(key)
            if why:
                out.append(f"{fam}: unbalanced {why}")
        if self.p95_time > MAX_P95_SECONDS:
            out.append(f"{fam}: solve time p95 {self.p95_time:.3f} s is over {MAX_P95_SECONDS} s")
        return out

    @property
    def ok(self) -> bool:
        return not self.failures()

    # --- the printed table ----------------------------------------------

    def table(self) -> str:
        n = self.n
        last = self.seed + n - 1
        lines = [f"gradex stress {self.family}: {n} variants (seeds {self.seed}..{last})", ""]

        lines.append("cases")
        if not self.counts:
            lines.append("  (no verdicts or boolean extras)")
        width = max((len(k) for k in self.counts), default=0)
        for key, counts in self.counts.items():
            total = sum(counts.values()) or 1
            cells = "   ".join(
                f"{_show(v)} {c} ({c / total:.1%})" for v, c in sorted(counts.items(), key=lambda vc: (-vc[1], str(vc[0])))
            )
            mark = ""
            if key in self.balanced:
                mark = "   [balance rule: " + ("FAIL" if self.imbalance(key) else "ok") + "]"
            lines.append(f"  {key:<{width}}  {cells}{mark}")

        lines += ["", "numeric answers (|x|)"]
        if self.spreads:
            pw = max(len(s.part) for s in self.spreads)
            lines.append(f"  {'part':<{pw}}  {'n':>6}  {'min':>10}  {'median':>10}  {'max':>10}  non-integer")
            for s in self.spreads:
                lines.append(
                    f"  {s.part:<{pw}}  {s.count:>6}  {_g(s.min_abs):>10}  {_g(s.median_abs):>10}  "
                    f"{_g(s.max_abs):>10}  {s.non_integer:>10.1%}"
                )
        else:
            lines.append("  (none)")

        rules = HAND_RULES
        lines += [
            "",
            f"hard to work by hand (> {rules['max_digits']} significant digits, denominator > "
            f"{rules['max_denominator']}, |x| > {rules['max_magnitude']:g}, 0 < |x| < {rules['min_magnitude']:g};"
            " family overrides apply)",
            f"  variants with such an answer: {self.unworkable_variants} of {self.solved} ({_share(self.unworkable_variants, self.solved)})",
        ]
        for rule, finding in self.unworkable.items():
            lines.append(f"  {rule}: {finding.count} answer(s), e.g. " + "; ".join(finding.examples))

        lines += [
            "",
            f"duplicate variants (identical params): {self.duplicates.count} of {n} ({_share(self.duplicates.count, n)})"
            + (", e.g. " + "; ".join(self.duplicates.examples) if self.duplicates.count else ""),
            f"MCQ options: {self.option_parts} part(s) with distractors, {self.options.count} duplicate or answer-equal"
            + (", e.g. " + "; ".join(self.options.examples) if self.options.count else ""),
            f"step checks: {self.steps_checked} steps, {self.step_failures.count} failed"
            + (", e.g. " + "; ".join(self.step_failures.examples) if self.step_failures.count else ""),
            f"solve errors: {self.solve_errors.count}"
            + (", e.g. " + "; ".join(self.solve_errors.examples) if self.solve_errors.count else ""),
            f"solve time per variant: mean {self.mean_time * 1000:.1f} ms, p95 {self.p95_time * 1000:.1f} ms"
            f" (limit {MAX_P95_SECONDS * 1000:.0f} ms)",
            "",
        ]
        fails = self.failures()
        lines.append("hard rules: " + ("all pass" if not fails else f"{len(fails)} FAIL"))
        lines += [f"  FAIL {f}" for f in fails]
        return "\n".join(lines)


# --- helpers ----------------------------------------------------------------


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _g(x: float) -> str:
    return f"{x:.4g}"


def _share(k: int, n: int) -> str:
    return f"{k / n:.1%}" if n else "-"


def _exact(value: Any) -> Fraction | None:
    """A sympy/Python rational as a Fraction; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    return None


def _numbers(value: Any) -> list[Any]:
    """The numbers in an answer: itself, or the entries of a matrix/vector/tuple."""
    if isinstance(value, str) or value is None:
        return []
    if isinstance(value, (tuple, list)):
        return [x for v in value for x in _numbers(v)]
    if hasattr(value, "is_Matrix") and value.is_Matrix:
        return list(value)
    return [value]


def _float_abs(value: Any) -> float:
    q = _exact(value)
    try:
        return abs(float(q if q is not None else value))
    except OverflowError:
        return math.inf
    except (TypeError, ValueError):
        return math.nan


def sig_digits(q: Fraction) -> int | None:
    """Significant digits of q written as a decimal; None when it does not terminate."""
    from .numfmt import decimal_places

    k = decimal_places(q.denominator)
    if k is None:
        return None
    digits = str(abs(q.numerator) * 10**k // q.denominator).rstrip("0")
    return len(digits) or 1


def hand_problems(value: Any, rules: dict, big_ok: bool = False) -> list[str]:
    """Which hand-workability rules one number breaks (names of the rules)."""
    q = _exact(value)
    out = []
    if q is not None:
        if q.denominator > rules["max_denominator"]:
            out.append(f"denominator > {rules['max_denominator']}")
        d = sig_digits(q)
        if d is not None and d > rules["max_digits"]:
            out.append(f"> {rules['max_digits']} significant digits")
        too_big = abs(q) > Fraction(rules["max_magnitude"])
        too_small = 0 < abs(q) < Fraction(rules["min_magnitude"])
    else:
        f = _float_abs(value)
        too_big = not f <= rules["max_magnitude"]  # also inf and nan
        too_small = 0 < f < rules["min_magnitude"]
    if not big_ok:
        if too_big:
            out.append(f"|x| > {rules['max_magnitude']:g}")
        elif too_small:
            out.append(f"0 < |x| < {rules['min_magnitude']:g}")
    return out


def _equal_options(a: Any, b: Any, rtol: float) -> bool:
    """Two MCQ option values a student could not tell apart: exactly equal, or
    equal within the part's grading tolerance."""
    from .steps import same

    try:
        if same(a, b):
            return True
    except Exception:  # noqa: BLE001 - incomparable kinds are different options
        pass
    na, nb = _numbers(a), _numbers(b)
    if len(na) != len(nb) or not na:
        return False
    for x, y in zip(na, nb):
        fx, fy = _float_abs(x), _float_abs(y)
        try:
            dx, dy = float(x), float(y)
        except (TypeError, ValueError, OverflowError):
            return False
        if abs(dx - dy) > rtol * max(fx, fy):
            return False
    return True


def settings(family) -> dict:
    """The family's ``STRESS`` declarations merged over the defaults."""
    declared = dict(getattr(family.solver, "STRESS", {}) or {})
    # a verdict with one declared outcome (float-overflow: always NaN) is a worked remark, not a regime
    verdict_parts = [s.id for s in family.part_specs if s.answer_type == "verdict" and len(s.choices) > 1]
    rules = dict(HAND_RULES)
    for key in HAND_RULES:
        if key in declared:
            rules[key] = declared[key]
    return {
        "cases": list(declared.get("cases", [])),
        "balanced": list(declared.get("balanced", verdict_parts)),
        "big_ok": declared.get("big_ok", []),
        "rules": rules,
    }


# --- the run ------------------------------------------------------------------


def stress(family, n: int = 1000, seed: int = 0) -> StressReport:
    """Solve ``n`` variants of ``family`` (seeds ``seed``..``seed+n-1``) and judge them."""
    import sympy  # noqa: F401 - imported before timing starts

    from .steps import walk

    cfg = settings(family)  # imports the solver (not timed)
    rules = cfg["rules"]
    big_ok = cfg["big_ok"]
    report = StressReport(family=family.id, n=int(n), seed=int(seed), balanced=list(cfg["balanced"]))
    counts: dict[str, Counter] = {}
    values: dict[str, list[Any]] = {}
    seen: dict[tuple, int] = {}

    for s in range(int(seed), int(seed) + int(n)):
        t0 = time.perf_counter()
        try:
            variant = family.variant(s)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            report.solve_errors.add(f"seed {s}: {type(exc).__name__}: {exc}")
            continue
        report.times.append(time.perf_counter() - t0)

        key = tuple(sorted((k, str(v)) for k, v in variant.params.items()))
        if key in seen:
            report.duplicates.add(f"seed {s} = seed {seen[key]}")
        else:
            seen[key] = s

        bad_here = False
        for part in variant.parts:
            spec = part.spec
            # cases
            if isinstance(part.answer, str):
                counts.setdefault(part.id, Counter())[part.answer] += 1
            for name, val in part.extra.items():
                ck = f"{part.id}.{name}"
                if isinstance(val, bool) or ck in cfg["cases"]:
                    counts.setdefault(ck, Counter())[val if isinstance(val, (bool, str, int)) else str(val)] += 1
            # numeric answers
            nums = _numbers(part.answer)
            if nums:
                values.setdefault(part.id, []).extend(nums)
                ok_big = big_ok is True or part.id in (big_ok or [])
                for x in nums:
                    for rule in hand_problems(x, rules, ok_big):
                        report.unworkable.setdefault(rule, Finding()).add(f"seed {s} {part.id} = {x}")
                        bad_here = True
            # MCQ options
            if part.distractors:
                report.option_parts += 1
                rtol = spec.tolerance if spec is not None else 1e-9
                options = [("answer", part.answer)] + [(d.misconception, d.value) for d in part.distractors]
                for i in range(len(options)):
                    for j in range(i + 1, len(options)):
                        (na, va), (nb, vb) = options[i], options[j]
                        if _equal_options(va, vb, rtol):
                            report.options.add(f"seed {s} part {part.id}: {na} and {nb} are both {va}")
            # steps
            for step in walk(part.steps):
                report.steps_checked += 1
                try:
                    good = step.check()
                except Exception as exc:  # noqa: BLE001
                    report.step_failures.add(f"seed {s} part {part.id} step {step.kind}: {type(exc).__name__}: {exc}")
                    continue
                if not good:
                    report.step_failures.add(f"seed {s} part {part.id} step {step.kind}: result {getattr(step, 'result', '?')} != eval()")
        if bad_here:
            report.unworkable_variants += 1

    # verdict parts first, then the other cases, in part order
    order = {spec.id: i for i, spec in enumerate(family.part_specs)}
    report.counts = dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0].split(".")[0], 99), "." in kv[0], kv[0])))
    for spec in family.part_specs:
        xs = values.get(spec.id)
        if not xs:
            continue
        mags = [_float_abs(x) for x in xs]
        ints = sum(1 for x in xs if (q := _exact(x)) is not None and q.denominator == 1)
        report.spreads.append(
            Spread(
                part=spec.id,
                count=len(xs),
                min_abs=min(mags),
                median_abs=statistics.median(mags),
                max_abs=max(mags),
                non_integer=1 - ints / len(xs),
            )
        )
    return report
