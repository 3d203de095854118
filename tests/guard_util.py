"""Helpers for the hardening tests: run the real CLI, build a throw-away bank."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import bank, render
from generator.cli import main

REAL_BANK = bank.bank_dir()


def run(capsys, *args) -> tuple[int, str, str]:
    """Run ``gradex ARGS`` in-process through generator.cli.main: (code, stdout, stderr)."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    """The single stderr line of a failed run (asserts there is exactly one)."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err[:2000]
    assert lines[0].startswith("gradex: error: "), lines[0][:300]
    return lines[0]


class TempBank:
    """A copy of the real bank in a temporary folder, for breaking on purpose."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REAL_BANK / "scalar-rnn", root / "scalar-rnn", ignore=shutil.ignore_patterns("__pycache__"))
        self.family = root / "scalar-rnn" / "family.yaml"

    def path(self, name: str) -> Path:
        return self.root / "scalar-rnn" / name

    def replace(self, old: str, new: str, name: str = "family.yaml") -> None:
        f = self.path(name)
        text = f.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} not found once in {name}"
        f.write_text(text.replace(old, new), encoding="utf-8")

    def line_of(self, needle: str, name: str = "family.yaml", nth: int = 0) -> int:
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        """First line equal to ``needle`` (ignoring trailing blanks), else first containing it."""
        exact = [i for i, line in enumerate(lines, start=1) if line.rstrip() == needle]
        hits = exact or [i for i, line in enumerate(lines, start=1) if needle in line]
        assert hits, needle
        return hits[nth]


def _clear():
    bank.families.cache_clear()
    render.renderer.cache_clear()


@pytest.fixture
def temp_bank(tmp_path, monkeypatch):
    tb = TempBank(tmp_path / "bank")
    monkeypatch.setattr(bank, "bank_dir", lambda: tb.root)
    monkeypatch.setattr(render, "bank_dir", lambda: tb.root)
    monkeypatch.delenv("GRADEX_DEBUG", raising=False)
    _clear()
    yield tb
    _clear()
