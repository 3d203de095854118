"""Whole jobs: papers for a class, written to a folder.

Library functions, no printing: ``on_paper`` is called after each paper so
that the CLI can drive a progress bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .bank import fonts_dir
from .output import atomic_write, copy_tree_files, prepare_dir
from .paper import QuizSpec, paper

FORMATS = ("html", "pdf")  # a sheet and a key per student
LMS_FORMATS = ("moodle", "qti", "json")  # one file per quiz: generator/export


def expand_formats(fmt: str) -> tuple[str, ...]:
    """CLI ``--format`` value -> formats to write (``all`` = HTML and PDF)."""
    return FORMATS if fmt == "all" else (fmt,)


def render_html(p, kind: str, fonts_url: str = "fonts/") -> str:
    from .render import renderer

    return renderer().document(p, kind, fonts_url)


def write_paper(p, out: Path, stem: str, formats=("html",)) -> list[Path]:
    written = []
    if "html" in formats:
        copy_tree_files(fonts_dir(), out / "fonts", "*.ttf")
        copy_tree_files(fonts_dir(), out / "fonts", "OFL.txt")
        for kind in ("sheet", "key"):
            written.append(atomic_write(out / f"{stem}-{kind}.html", render_html(p, kind)))
    if "pdf" in formats:
        from .pdf import render_pdf

        for kind in ("sheet", "key"):
            data, _pages = render_pdf(p, kind)
            written.append(atomic_write(out / f"{stem}-{kind}.pdf", data))
    return written


def student_stem(student: int, count: int) -> str:
    return f"student-{student:0{max(2, len(str(count)))}d}"


def generate(
    spec: QuizSpec,
    students: int,
    out: Path,
    formats=("html",),
    force: bool = False,
    on_paper: Callable[[int], None] | None = None,
) -> list[Path]:
    """Every student's sheet and key; with PDF and several students also
    ``class-sheets.pdf`` and ``class-keys.pdf`` (see ``generator.batch``);
    Moodle/QTI/JSON write one file holding every student's variants."""
    from .batch import run
    from .errors import UsageError
    from .limits import MAX_STUDENTS

    if not 1 <= students <= MAX_STUDENTS:
        raise UsageError(f"students must be 1 to {MAX_STUDENTS}, not {students}")
    out = prepare_dir(Path(out), force)
    written = []
    lms = [f for f in formats if f in LMS_FORMATS]
    if lms:
        from .export import FILENAMES, export

        for fmt in lms:
            written.append(atomic_write(out / FILENAMES[fmt], export(spec, students, fmt, on_paper)))
            on_paper = None  # report progress once
    formats = [f for f in formats if f in FORMATS]
    if formats:
        written += run(spec, students, out, formats, on_paper)
    return written
