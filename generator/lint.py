"""``gradex lint``: check question-bank files (and exam specs) before use.

For every file under the given paths:

- YAML files are validated against the JSON Schema chosen by their name or
  location (:func:`schema_for`): ``family.yaml`` -> ``family``; files under a
  ``specs/`` folder or named ``*.spec.yaml`` -> ``spec``; ``NAME.<schema>.yaml``
  -> ``<schema>``; each only when ``generator/schema/<schema>.schema.json``
  exists, so a new kind of file is checked as soon as its schema lands.
  Family files then get the semantic checks of :mod:`generator.checks` (both
  languages for every text, every part, verdict and misconception; ranges;
  symbols; placeholders) and: Bangla texts contain Bangla, English texts none.
- Every text file (``.yaml``, ``.yml``, ``.j2``) is checked line by line:
  Unicode NFC; no mojibake (UTF-8 Bangla decoded as Windows-1252 or CP866 and
  saved again); no number mixing Latin and Bangla digits (``১2``).
- A family folder with a ``solver.py``: every step kind the solver defines
  (``Step`` subclasses) has a macro in ``steps.<lang>.j2`` or in the generic
  ``templates/steps/<lang>.j2``, for every language; every ``{{ x.NAME }}``
  in a part's text is a value the solver gives that part (one variant is
  solved to see).

``lint(paths, fix=False)`` returns :class:`Finding` objects; with ``fix``,
mojibake and non-NFC lines are repaired (ftfy, then a CP866 round trip that
ftfy does not cover), the file is rewritten atomically, and each repair is
reported as a finding with ``fixed=True``. The CLI prints one line per
finding, ``file:line: field: message``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .bank import LANGS, bank_dir, templates_dir

TEXT_SUFFIXES = (".yaml", ".yml", ".j2")
SKIP_DIRS = {"__pycache__", ".git", ".venv", "node_modules"}

BANGLA = re.compile(r"[\u0980-\u09ff]")
# UTF-8 Bangla is E0 A6 xx / E0 A7 xx. Read as Windows-1252 that is "à¦"/"à§";
# read as CP866 it is "рж"/"рз" followed by a Cyrillic letter or a box-drawing
# character (bytes 80..BF).
MOJIBAKE_1252 = re.compile(r"à[¦§]")
MOJIBAKE_866 = re.compile(r"р[жз][\u0410-\u044f\u2500-\u25a0]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_NUMBER = re.compile(r"[0-9\u09e6-\u09ef]+(?:[.,/][0-9\u09e6-\u09ef]+)*")
_LATIN_DIGIT = re.compile(r"[0-9]")
_BANGLA_DIGIT = re.compile(r"[\u09e6-\u09ef]")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    field: str
    message: str
    fixed: bool = False

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {'fixed: ' if self.fixed else ''}{self.message}"


# --- which schema --------------------------------------------------------


def schema_exists(name: str) -> bool:
    return resources.files("generator.schema").joinpath(f"{name}.schema.json").is_file()


def schema_for(path: Path) -> str | None:
    """The schema a YAML file is checked against, by its name or location."""
    path = Path(path)
    if path.suffix not in (".yaml", ".yml"):
        return None
    stem = path.name[: -len(path.suffix)]
    if path.name in ("family.yaml", "family.yml"):
        name = "family"
    elif stem.endswith(".spec") or "specs" in path.parent.parts:
        name = "spec"
    elif "." in stem:
        name = stem.rsplit(".", 1)[1]
    else:
        return None
    return name if re.fullmatch(r"[a-z][a-z0-9_-]*", name) and schema_exists(name) else None


# --- text-level checks ---------------------------------------------------


def mojibake_kind(line: str) -> str | None:
    """'cp1252' or 'cp866' when the line holds Bangla mis-decoded that way."""
    if MOJIBAKE_1252.search(line):
        return "cp1252"
    if MOJIBAKE_866.search(line):
        return "cp866"
    import ftfy

    if ftfy.fix_encoding(line) != line:
        return "mis-decoded UTF-8"
    return None


def _round_trip(run: str, codec: str) -> str:
    try:
        out = run.encode(codec).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    return out if BANGLA.search(out) else run


def repair(line: str) -> str:
    """The line with mojibake undone (ftfy, then a CP866 round trip) and NFC."""
    import ftfy
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    fixed = ftfy.fix_encoding(line)
    if MOJIBAKE_1252.search(fixed):  # runs ftfy left alone
        fixed = _NON_ASCII_RUN.sub(lambda m: _round_trip(m.group(0), "sloppy-windows-1252"), fixed)
    if MOJIBAKE_866.search(fixed):  # ftfy has no CP866 decoder
        fixed = _NON_ASCII_RUN.sub(lambda m: _round_trip(m.group(0), "cp866"), fixed)
    return unicodedata.normalize("NFC", fixed)


def line_findings(source: str, text: str) -> list[Finding]:
    out = []
    for i, line in enumerate(text.splitlines(), start=1):
        kind = mojibake_kind(line)
        if kind:
            sample = line.strip()[:40]
            out.append(Finding(source, i, "text", f"mojibake: Bangla read as {kind} ({sample!r}); run with --fix"))
        if not unicodedata.is_normalized("NFC", line):
            out.append(Finding(source, i, "text", "not in Unicode NFC; run with --fix"))
        for m in _NUMBER.finditer(line):
            if _LATIN_DIGIT.search(m.group()) and _BANGLA_DIGIT.search(m.group()):
                out.append(Finding(source, i, "text", f"number '{m.group()}' mixes Latin and Bangla digits"))
    return out


def fix_text(source: str, text: str) -> tuple[str, list[Finding]]:
    lines = text.splitlines(keepends=True)
    done = []
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if not (mojibake_kind(body) or not unicodedata.is_normalized("NFC", body)):
            continue
        new = repair(body)
        if new != body:
            what = "mojibake repaired" if mojibake_kind(body) else "normalized to NFC"
            done.append(Finding(source, i + 1, "text", f"{what}: now {new.strip()[:40]!r}", fixed=True))
            lines[i] = new + line[len(body):]
    return "".join(lines), done


# --- YAML files -------------------------------------------------------------


def yaml_findings(path: Path, text: str, schema_name: str) -> list[Finding]:
    import jsonschema
    import yaml

    from .checks import compose, family_problems, field_path, iter_texts, line_of
    from .validate import schema, short_message, yaml_error

    source = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line, problem = yaml_error(exc, text)
        return [Finding(source, line, "", f"not valid YAML: {problem}")]
    node = compose(text)
    out = []
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        p = list(err.absolute_path)
        out.append(Finding(source, line_of(node, p), field_path(p), short_message(err)))
    if schema_name != "family" or out:
        return out
    out += [Finding(source, p.line, p.field, p.message) for p in family_problems(data, node)]
    for p, value in iter_texts(data):
        lang = p[1]
        prose = re.sub(r"(?<!\\)\$.*?(?<!\\)\$|{{.*?}}", "", value, flags=re.S)
        if lang == "bn" and not BANGLA.search(prose):
            out.append(Finding(source, line_of(node, p), field_path(p), "Bangla text has no Bangla words"))
        if lang != "bn" and BANGLA.search(re.sub(r"{%.*?%}", "", value, flags=re.S)):
            out.append(Finding(source, line_of(node, p), field_path(p), f"'{lang}' text contains Bangla"))
    return out


# --- family folders -----------------------------------------------------------


def macros(path: Path) -> set[str]:
    from jinja2 import Environment, nodes

    if not path.is_file():
        return set()
    tree = Environment().parse(path.read_text(encoding="utf-8"))
    return {m.name for m in tree.find_all(nodes.Macro)}


def family_folder_findings(folder: Path) -> list[Finding]:
    """Step templates for every step kind, and {{ x.NAME }} the solver gives."""
    import inspect

    from . import bank
    from .errors import GradexError
    from .steps import Step

    out: list[Finding] = []
    solver_py = folder / "solver.py"
    try:
        fam = bank._load_family(folder)
        module = fam.solver
    except GradexError:
        return out  # family.yaml's own problems are reported with that file
    except Exception as exc:  # a solver that does not import
        return [Finding(str(solver_py), None, "solver", f"cannot import: {type(exc).__name__}: {exc}")]
    kinds = {}
    for obj in vars(module).values():
        concrete = dataclasses.is_dataclass(obj) and "result" in getattr(obj, "__dataclass_fields__", {})
        if isinstance(obj, type) and issubclass(obj, Step) and obj is not Step and obj.kind and concrete:
            try:
                line = None
                if obj.__module__ == module.__name__:  # the "class" line, after decorators
                    src, start = inspect.getsourcelines(obj)
                    line = start + next(i for i, s in enumerate(src) if s.lstrip().startswith("class "))
            except (OSError, TypeError):
                line = None
            kinds[obj.kind] = (obj.__name__, line)
    for lang in LANGS:
        have = macros(folder / f"steps.{lang}.j2") | macros(templates_dir() / "steps" / f"{lang}.j2")
        for kind, (cls, line) in sorted(kinds.items()):
            if kind.replace("-", "_") not in have:
                out.append(Finding(
                    str(solver_py), line, cls,
                    f"step kind '{kind}' has no macro in steps.{lang}.j2 or templates/steps/{lang}.j2",
                ))
    out += _extras_findings(fam)
    return out


def _extras_findings(fam) -> list[Finding]:
    from .checks import compose, field_path, line_of, placeholders

    source = str(fam.folder / "family.yaml")
    try:
        variant = fam.variant(0)
    except Exception as exc:
        return [Finding(str(fam.folder / "solver.py"), None, "solver", f"solving seed 0 failed: {type(exc).__name__}: {exc}")]
    node = compose((fam.folder / "family.yaml").read_text(encoding="utf-8"))
    out = []
    for part in variant.parts:
        for lang in LANGS:
            text = fam.text.get(lang, {}).get("parts", {}).get(part.id, "")
            found, _ = placeholders(text)
            for root, name in found:
                if root == "x" and name not in part.extra:
                    p = ["text", lang, "parts", part.id]
                    have = ", ".join(part.extra) or "none"
                    out.append(Finding(source, line_of(node, p), field_path(p),
                                       f"placeholder {{{{ x.{name} }}}} is not a value the solver gives part '{part.id}' (it gives: {have})"))
    return out


# --- driver ---------------------------------------------------------------------


def iter_files(paths) -> list[Path]:
    files = []
    for p in map(Path, paths):
        if p.is_file():
            files.append(p)
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not SKIP_DIRS & set(f.relative_to(p).parts) and (
                    f.suffix in TEXT_SUFFIXES or f.name == "solver.py"
                ):
                    files.append(f)
    return files


def lint(paths=None, fix: bool = False) -> list[Finding]:
    """Findings for every file under ``paths`` (default: the question bank)."""
    from .output import atomic_write
    from .validate import MAX_FILE_BYTES

    paths = list(paths) if paths else [bank_dir()]
    out: list[Finding] = []
    for p in map(Path, paths):
        if not p.exists():
            out.append(Finding(str(p), None, "", "no such file or directory"))
    folders = []
    for f in iter_files(paths):
        source = str(f)
        if f.name == "solver.py":
            if (f.parent / "family.yaml").is_file():
                folders.append(f.parent)
            continue
        size = f.stat().st_size
        if size > MAX_FILE_BYTES:
            out.append(Finding(source, None, "", f"file is larger than {MAX_FILE_BYTES // 1000} kB"))
            continue
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append(Finding(source, None, "", f"not UTF-8 text (byte {exc.start})"))
            continue
        if fix:
            new, done = fix_text(source, text)
            if done:
                atomic_write(f, new)
                out += done
                text = new
        out += line_findings(source, text)
        name = schema_for(f)
        if name:
            out += yaml_findings(f, text, name)
    for folder in folders:
        out += family_folder_findings(folder)
    return out
