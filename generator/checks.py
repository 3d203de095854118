"""Checks on a family.yaml that a JSON Schema cannot express.

Run after schema validation (``generator.validate``) by the bank loader, which
refuses a family on the first problem, and by ``gradex lint``, which reports
them all. Each problem names the line and the field:
``family.yaml:31: parts[2].symbol: 'dLdw' is not declared under symbols``.

Question texts may hold only two kinds of placeholder, ``{{ p.NAME }}`` (a
declared parameter) and ``{{ x.NAME }}`` (a value the solver gives the part);
anything else Jinja2 could evaluate (filters, calls, attribute chains,
``{% include %}`` ...) is refused here, before a text ever reaches the
sandboxed renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator

import yaml

from .numbers import parse_exact

PLACEHOLDER_ROOTS = ("p", "x")
_DOLLAR = re.compile(r"(?<!\\)\$")


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.field}: {self.message}"


def compose(text: str):
    """The YAML node tree (for line numbers), or None if it does not parse."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def line_of(node, path) -> int | None:
    from .validate import _line_of

    return _line_of(node, path)


def field_path(path) -> str:
    from .validate import field_path as fp

    return fp(path)


def iter_texts(data: dict) -> Iterator[tuple[list, str]]:
    """(path, string) for every question text of a family: title and text.<lang>.*."""
    for lang, value in (data.get("title") or {}).items():
        if isinstance(value, str):
            yield ["title", lang], value
    for lang, block in (data.get("text") or {}).items():
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            if isinstance(value, str):
                yield ["text", lang, key], value
            elif isinstance(value, dict):
                for sub, text in value.items():
                    if isinstance(text, str):
                        yield ["text", lang, key, sub], text


IF_ONLY = (
    "only {{ p.NAME }} and {{ x.NAME }} placeholders are allowed, and {% if p.NAME == VALUE %}"
    " conditions (no other {% ... %} tags)"
)


def placeholders(text: str) -> tuple[list[tuple[str, str]], str | None]:
    """The ``(root, name)`` placeholders of a text, or an error for anything else.

    Parsing uses Jinja2's own parser (nothing is rendered), so whatever the
    renderer would see is what is checked.
    """
    from jinja2 import nodes
    from jinja2.exceptions import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    if "{" not in text:
        return [], None
    try:
        tree = SandboxedEnvironment().parse(text)
    except TemplateSyntaxError as exc:
        return [], f"not a valid template: {exc.message} (line {exc.lineno} of the text)"
    found: list[tuple[str, str]] = []

    def placeholder(item) -> bool:
        if (
            isinstance(item, nodes.Getattr)
            and isinstance(item.node, nodes.Name)
            and item.node.name in PLACEHOLDER_ROOTS
            and not item.attr.startswith("_")
        ):
            found.append((item.node.name, item.attr))
            return True
        return False

    def constant(item) -> bool:
        if isinstance(item, nodes.Const):
            return isinstance(item.value, (str, int))
        if isinstance(item, (nodes.List, nodes.Tuple)):
            return all(isinstance(x, nodes.Const) and isinstance(x.value, (str, int)) for x in item.items)
        return False

    def condition(test) -> bool:
        # {% if p.NAME == "1" %}, !=, in [...], not in [...]: nothing else
        return (
            isinstance(test, nodes.Compare)
            and placeholder(test.expr)
            and len(test.ops) == 1
            and test.ops[0].op in ("eq", "ne", "in", "notin")
            and constant(test.ops[0].expr)
        )

    def walk(body) -> str | None:
        for out in body:
            if isinstance(out, nodes.Output):
                for item in out.nodes:
                    if not (isinstance(item, nodes.TemplateData) or placeholder(item)):
                        return "only {{ p.NAME }} and {{ x.NAME }} placeholders are allowed"
            elif isinstance(out, nodes.If):
                if not condition(out.test):
                    return IF_ONLY
                for branch in (out.body, *[[e] for e in out.elif_], out.else_):
                    err = walk(branch)
                    if err:
                        return err
            else:
                return IF_ONLY
        return None

    err = walk(tree.body)
    return (found, None) if err is None else ([], err)


def _num(raw) -> Fraction | None:
    try:
        return parse_exact(str(raw))
    except (ValueError, ZeroDivisionError):
        return None


def family_problems(data: Any, node=None, langs=("bn", "en")) -> list[Problem]:
    """Semantic problems of a schema-valid family.yaml (empty list: none)."""
    out: list[Problem] = []

    def add(path, message):
        out.append(Problem(line_of(node, path), field_path(path), message))

    if not isinstance(data, dict):
        return out
    params = data.get("params") or {}
    for name, spec in params.items():
        lo, hi = _num(spec.get("min")), _num(spec.get("max"))
        for key, val in (("min", lo), ("max", hi)):
            if val is None:
                add(["params", name, key], f"{spec.get(key)!r} is not a number (integer, decimal or fraction)")
        if lo is not None and hi is not None:
            if lo > hi or (lo == hi and spec.get("min_exclusive")):
                add(["params", name], f"empty range: min {spec.get('min')} is not below max {spec.get('max')}")
            elif spec.get("type") == "integer" and (lo.denominator != 1 or hi.denominator != 1):
                add(["params", name], "an integer parameter needs integer min and max")

    symbols = data.get("symbols") or {}
    part_ids = []
    for i, part in enumerate(data.get("parts") or []):
        pid = part.get("id")
        if pid in part_ids:
            add(["parts", i, "id"], f"part '{pid}' is listed twice")
        part_ids.append(pid)
        sym = part.get("symbol")
        if sym and sym not in symbols:
            add(["parts", i, "symbol"], f"'{sym}' is not declared under symbols")
        ans = part.get("answer") or {}
        if ans.get("type", "numeric") in ("numeric", "matrix", "vector") and not sym:
            add(["parts", i], f"numeric part '{pid}' needs a symbol (what its answer is)")
        if ans.get("type") == "verdict" and not ans.get("choices"):
            add(["parts", i, "answer"], f"verdict part '{pid}' needs choices")

    text = data.get("text") or {}
    verdicts = sorted({c for p in data.get("parts") or [] for c in (p.get("answer") or {}).get("choices", ())})
    item_parts = {p.get("id") for p in data.get("parts") or [] if (p.get("answer") or {}).get("type") in ("choice", "text")}
    for lang in langs:
        if lang not in text:
            continue  # the schema reports a missing language
        block = text[lang] or {}
        ptexts = block.get("parts") or {}
        for pid in part_ids:
            # choice/text parts take their words from the family's items.yaml
            if pid not in ptexts and pid not in item_parts:
                add(["text", lang, "parts"], f"no text for part '{pid}' in '{lang}'")
        for pid in ptexts:
            if pid not in part_ids:
                add(["text", lang, "parts", pid], f"text for a part '{pid}' that parts does not list")
        have = block.get("verdict") or {}
        for choice in verdicts:
            if choice not in have:
                add(["text", lang, "verdict"] if "verdict" in block else ["text", lang],
                    f"no words for verdict '{choice}' in '{lang}'")
    # keys that must match across languages
    for key in ("verdict", "misconceptions"):
        sets = {lang: set((text.get(lang) or {}).get(key) or {}) for lang in langs if lang in text}
        union = set().union(*sets.values()) if sets else set()
        for lang, have in sets.items():
            for missing in sorted(union - have):
                path = ["text", lang, key] if key in (text.get(lang) or {}) else ["text", lang]
                add(path, f"'{key}.{missing}' is missing in '{lang}' (the other language has it)")

    for path, value in iter_texts(data):
        if len(_DOLLAR.findall(value)) % 2:
            add(path, "unbalanced $ (math must open and close)")
        found, err = placeholders(value)
        if err:
            add(path, err)
            continue
        for root, name in found:
            if root == "p" and name not in params:
                known = ", ".join(params) or "none"
                add(path, f"placeholder {{{{ p.{name} }}}} names no declared parameter (declared: {known})")
            if root == "x" and path[:3] != ["text", path[1], "parts"]:
                add(path, f"placeholder {{{{ x.{name} }}}} is only available in a part's text")
    return out


def raise_first(path, data, schema_name: str = "family") -> None:
    """Raise BankError for the first semantic problem of a loaded bank file."""
    from .errors import BankError

    if schema_name != "family":
        return
    if not family_problems(data, None):
        return  # the common case: no need to parse the file again for line numbers
    try:
        node = compose(open(path, encoding="utf-8").read())
    except OSError:
        node = None
    problems = family_problems(data, node)
    if problems:
        raise BankError(problems[0].format(str(path)))
