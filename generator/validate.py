"""YAML files checked against JSON Schemas, with errors that name file, line and field.

Bank files and exam specs are validated by ``jsonschema`` (a maintained
validator, not hand-written checks) before anything uses them. The YAML is
parsed once into plain data and once into nodes, so that an error can point at
the line of the offending field: ``exam.yaml:12: sections[0].families[1].marks:
-3 is less than the minimum of 0``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import BankError

MAX_FILE_BYTES = 1_000_000


@lru_cache(maxsize=None)
def schema(name: str) -> dict:
    text = resources.files("generator.schema").joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def _line_of(node: yaml.Node | None, path) -> int | None:
    """1-based line of the node at ``path`` (keys and indexes), or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == key:
                    nxt, line = v, k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
        if node is None:
            break
    return line


def field_path(path) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


def fast_load(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when PyYAML has it (same data, ~10x faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=None)
def _validator(schema_name: str):
    import jsonschema

    return jsonschema.Draft202012Validator(schema(schema_name))


def load_text(text: str, source: str, schema_name: str) -> Any:
    """Parse YAML text and validate it; raise BankError naming source:line: field."""
    try:
        data = fast_load(text)
    except yaml.YAMLError:
        try:  # the pure-Python parser words its errors as the messages below expect
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line, problem = yaml_error(exc, text)
            where = f"{source}:{line}" if line else source
            raise BankError(f"{where}: not valid YAML: {problem}") from None
    validator = _validator(schema_name)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        line = _line_of(yaml.compose(text, Loader=yaml.SafeLoader), path)
        where = f"{source}:{line}" if line else source
        raise BankError(f"{where}: {field_path(path)}: {short_message(err)}")
    return data


def short_message(err) -> str:
    """jsonschema's message, without echoing a huge offending value."""
    if len(err.message) <= 200:
        return err.message
    size = len(err.instance) if hasattr(err.instance, "__len__") else None
    limits = {"maxLength": "characters", "maxItems": "items", "maxProperties": "entries"}
    if err.validator in limits and size is not None:
        return f"too long: {size} {limits[err.validator]} (at most {err.validator_value})"
    return f"value ({type(err.instance).__name__}) fails '{err.validator}: {str(err.validator_value)[:80]}'"


def yaml_error(exc, text: str) -> tuple[int | None, str]:
    """(1-based line, one-line reason) of a YAML error."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        line = mark.line + 1
    elif isinstance(getattr(exc, "position", None), int):  # ReaderError: a bad character
        line = text[: exc.position].count("\n") + 1
    else:
        line = None
    if isinstance(exc, yaml.reader.ReaderError):
        problem = f"unacceptable character #x{exc.character:04x} ({exc.reason})" if isinstance(exc.character, int) else exc.reason
    else:
        problem = getattr(exc, "problem", None) or str(exc)
    return line, " ".join(str(problem).split())


def load_file(path: Path, schema_name: str) -> Any:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BankError(f"{path}: cannot read ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise BankError(f"{path}: file is larger than {MAX_FILE_BYTES // 1000} kB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BankError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return load_text(text, str(path), schema_name)
