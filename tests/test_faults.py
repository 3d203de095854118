"""Faults (issue 5, item 6): disk full, unwritable output, Ctrl-C in a batch.

Each goes through the real CLI and must end with one clear line on stderr, a
non-zero exit, no temporary or half-written file, and every paper written
before the fault complete.

How the faults are made: the tests run as root, where ``chmod 500`` does not
stop writes, so an unwritable folder is (a) a file standing where the folder
should be, (b) a path below a file, (c) ``os.access`` reporting "not
writable", and (d) EACCES raised by the write itself. Disk full and Ctrl-C are
raised from ``os.fsync`` inside ``generator.output.atomic_write`` for a chosen
file, i.e. after its bytes went to the temporary file and before the rename:
the worst moment.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from generator import bank, output
from .guard_util import one_line_error, run

ARGS = ["generate", "--seed", "11", "--lang", "en", "--students", "3"]


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    """Faults are injected by monkeypatching this process, so papers are
    written here rather than in worker processes (the batch's pool is
    tested in tests/test_cli_pdf.py)."""
    monkeypatch.setenv("GRADEX_WORKERS", "1")


def fail_on(monkeypatch, target: str, exc: BaseException):
    """Make atomic_write of the file named ``target`` raise ``exc`` at fsync."""
    real = os.fsync

    def fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if Path(name).name.startswith(f".{target}."):
            raise exc
        return real(fd)

    monkeypatch.setattr(output.os, "fsync", fsync)


def leftovers(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def assert_earlier_complete(out: Path, names):
    for name in names:
        text = (out / name).read_text(encoding="utf-8")
        assert text.lstrip().lower().startswith("<!doctype html>") and text.rstrip().endswith("</html>"), name


def test_disk_full_mid_batch(capsys, tmp_path, monkeypatch):
    out = tmp_path / "o"
    fail_on(monkeypatch, "student-02-key.html", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    code, _, err = run(capsys, *ARGS, "--out", out)
    msg = one_line_error(err)
    assert code == 1
    assert msg == f"gradex: error: cannot write '{out / 'student-02-key.html'}': disk full"
    assert leftovers(out) == []
    assert not (out / "student-02-key.html").exists() and not (out / "student-03-sheet.html").exists()
    assert_earlier_complete(out, ["student-01-sheet.html", "student-01-key.html", "student-02-sheet.html"])
    # intact: byte for byte what a clean run writes for student 1
    monkeypatch.undo()
    ref = tmp_path / "ref"
    assert run(capsys, "generate", "--seed", "11", "--lang", "en", "--students", "3", "--out", ref)[0] == 0
    for name in ("student-01-sheet.html", "student-01-key.html", "student-02-sheet.html"):
        assert (out / name).read_bytes() == (ref / name).read_bytes()


def test_interrupted_batch(capsys, tmp_path, monkeypatch):
    """Ctrl-C while the third paper's sheet is being written."""
    out = tmp_path / "o"
    fail_on(monkeypatch, "student-03-sheet.html", KeyboardInterrupt())
    code, _, err = run(capsys, *ARGS, "--out", out)
    msg = one_line_error(err)
    assert code == 130
    assert msg == "gradex: error: interrupted after 2 of 3 paper(s); the files written are complete, none is half-written"
    assert leftovers(out) == []
    assert not (out / "student-03-sheet.html").exists()
    assert_earlier_complete(out, [f"student-0{k}-{kind}.html" for k in (1, 2) for kind in ("sheet", "key")])
    fonts = sorted(p.name for p in bank.fonts_dir().iterdir() if p.suffix in (".ttf", ".txt"))
    assert sorted(p.name for p in (out / "fonts").iterdir()) == fonts
    for name in fonts:
        assert (out / "fonts" / name).read_bytes() == (bank.fonts_dir() / name).read_bytes()


def test_interrupt_between_papers(capsys, tmp_path, monkeypatch):
    """Ctrl-C while the second paper is being solved (nothing of it written yet)."""
    from generator import paper as paper_module

    out = tmp_path / "o"
    real = paper_module.paper

    def paper(spec, student):
        if student == 2:
            raise KeyboardInterrupt
        return real(spec, student)

    monkeypatch.setattr(paper_module, "paper", paper)
    code, _, err = run(capsys, *ARGS, "--out", out)
    assert code == 130 and "interrupted after 1 of 3 paper(s)" in one_line_error(err)
    assert sorted(p.name for p in out.glob("*.html")) == ["student-01-key.html", "student-01-sheet.html"]
    assert leftovers(out) == []


@pytest.mark.parametrize("case", ["file-in-place", "below-a-file", "access-denied", "eacces-on-write"])
def test_unwritable_output(capsys, tmp_path, monkeypatch, case):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n")
    out = {"file-in-place": blocker, "below-a-file": blocker / "sub"}.get(case, tmp_path / "o")
    if case == "access-denied":
        real = os.access
        monkeypatch.setattr(output.os, "access", lambda p, mode: False if Path(p) == out else real(p, mode))
    if case == "eacces-on-write":
        fail_on(monkeypatch, "student-01-sheet.html", PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
    code, _, err = run(capsys, *ARGS, "--out", out)
    msg = one_line_error(err)
    assert code in (1, 2)
    expected = {
        "file-in-place": "is a file",  # click's own check of --out (usage error, exit 2)
        "below-a-file": f"cannot create output directory '{out}': Not a directory",
        "access-denied": f"output directory '{out}' is not writable",
        "eacces-on-write": f"cannot write '{out / 'student-01-sheet.html'}': Permission denied",
    }[case]
    assert expected in msg, msg
    assert blocker.read_text() == "not a folder\n"
    if out.is_dir():
        assert leftovers(out) == [] and not list(out.glob("*.html"))


def test_atomic_write_never_leaves_a_partial_file(tmp_path, monkeypatch):
    """Library level: an existing file survives a failed rewrite unchanged."""
    from generator.errors import OutputError

    target = tmp_path / "student-01-key.html"
    output.atomic_write(target, "<html>old</html>")
    fail_on(monkeypatch, target.name, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(OutputError, match="disk full"):
        output.atomic_write(target, "<html>new</html>" * 1000)
    assert target.read_text() == "<html>old</html>"
    assert leftovers(tmp_path) == []
