"""A non-editable install carries the templates, the bank, the fonts and the schemas."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_contents_and_install_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=240,
    )
    (wheel,) = wheels.glob("gradex-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/cli.py",
        "generator/templates/paper.html.j2",
        "generator/templates/lang/bn.yaml",
        "generator/templates/steps/bn.j2",
        "generator/question_bank/scalar-rnn/family.yaml",
        "generator/question_bank/scalar-rnn/solver.py",
        "generator/question_bank/scalar-rnn/steps.bn.j2",
        "generator/fonts/NotoSansBengali-Regular.ttf",
        "generator/fonts/NotoSans-Regular.ttf",
        "generator/fonts/NotoSansMath-Symbols.ttf",
        "generator/fonts/OFL.txt",
        "generator/templates/static.css.j2",
        "generator/schema/family.schema.json",
    ):
        assert needed in names, needed
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=240,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), PYTHONNOUSERSITE="1")
    code = (
        "import generator, generator.bank as b; print(generator.__file__); "
        "print(b.bank_dir()); print(sorted(b.families()))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(str(target)) and lines[1].startswith(str(target))
    assert "scalar-rnn" in lines[2]
    out = elsewhere / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--seed", "3", "--format", "all", "--out", str(out)],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "student-01-key.html").is_file() and (out / "fonts" / "NotoSansBengali-Bold.ttf").is_file()
    assert (out / "student-01-key.pdf").read_bytes().startswith(b"%PDF")  # fonts found inside the install
