"""CLI side of PDF export: --format, refusing a non-empty folder, a light --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main

HEAVY = ("sympy", "weasyprint", "ziamath", "numpy", "matplotlib", "jax", "pypdf")


def test_help_imports_no_heavy_module():
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "for cmd in (['generate', '--help'], ['regenerate', '--help']):\n    main(cmd)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip().splitlines()[-1] == "[]", res.stdout
    assert "--format [html|pdf|all]" in res.stdout


def test_regenerate_pdf_and_html(tmp_path, capsys):
    from generator.paper import QuizSpec, version_id

    vid = version_id(QuizSpec.build(["scalar-rnn"], {}, 3, "en", None), 1)
    out = tmp_path / "reprint"
    assert main(["regenerate", vid, "--format", "all", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert [n for n in names if n != "fonts"] == sorted(f"{vid}-{k}.{e}" for k in ("sheet", "key") for e in ("html", "pdf"))
    text = PdfReader(str(out / f"{vid}-key.pdf")).pages[0].extract_text()
    assert vid in text and "Question 1" in text
    with pytest.raises(SystemExit) as exc:  # not empty now: refused without --force
        main(["regenerate", vid, "--format", "pdf", "--out", str(out)])
    assert exc.value.code == 1
    assert "not empty" in capsys.readouterr().err


def test_generate_html_batch_keeps_contract(tmp_path):
    out = tmp_path / "class"
    assert main(["generate", "--students", "2", "--seed", "4", "--lang", "en", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["fonts", "student-01-key.html", "student-01-sheet.html", "student-02-key.html", "student-02-sheet.html"]
    assert "Question 1" in (out / "student-02-sheet.html").read_text(encoding="utf-8")


def test_long_pdf_batch_completes_with_the_parent_working(tmp_path):
    """40 students on two processes, the parent writing papers too: the run
    ends, and every page of every key reaches the class file."""
    from pypdf import PdfReader

    out = tmp_path / "class"
    env = dict(os.environ, GRADEX_WORKERS="2")
    spec = Path(__file__).resolve().parent.parent / "bench" / "quiz-b.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--spec", str(spec), "--students", "40", "--seed", "3",
         "--format", "pdf", "--out", str(out)],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert run.returncode == 0, run.stderr
    singles = sum(len(PdfReader(str(out / f"student-{k:02d}-key.pdf")).pages) for k in range(1, 41))
    assert len(PdfReader(str(out / "class-keys.pdf")).pages) == singles >= 40
