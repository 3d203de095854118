"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def gradex(capsys):
    """Run the real CLI entry point in-process: gradex("solve", ...) -> Result."""
    from generator.cli import main

    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: str, cwd=None, env=None) -> Result:
    """Run ``python -m generator ARGS`` as a fresh process."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def frac(value) -> Fraction:
    """A sympy Rational/Integer (or str like '3/2') as a Fraction, exactly."""
    return Fraction(str(value))
