"""A class set: every student's papers, spread over the CPU cores.

Each worker process builds and writes whole papers (HTML and/or PDF, each
file atomically) and returns only their paths, so no document is held in
memory longer than it takes to write it. The parent takes results in student
order and appends each PDF, read back from disk, to ``class-sheets.pdf`` and
``class-keys.pdf``. Papers are rendered separately, so every paper's page
numbers start at 1 in the class files too. The class files appear (by
rename) only when they are complete.

Library code: no printing; ``on_paper(k)`` reports progress.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .errors import OutputError

CLASS_FILES = {"sheet": "class-sheets.pdf", "key": "class-keys.pdf"}


def default_workers() -> int:
    env = os.environ.get("GRADEX_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _warm() -> None:
    """Pool initializer: pay the heavy imports once per worker, up front."""
    from . import pdf

    pdf.font_config()


def _work(job) -> tuple[int, list[str]]:
    from .build import write_paper
    from .paper import paper

    spec, student, stem, out, formats = job
    paths = write_paper(paper(spec, student), Path(out), stem, formats)
    return student, [str(p) for p in paths]


class ClassPdf:
    """Appends whole PDFs to one file, written atomically at :meth:`close`."""

    def __init__(self, path: Path):
        from pypdf import PdfWriter

        self.path = Path(path)
        self.writer = PdfWriter()
        self.pages = 0

    def add(self, pdf_path: Path) -> int:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf_path))
        n = len(reader.pages)
        self.writer.append(reader, import_outline=False)
        self.pages += n
        return n

    def close(self) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                self.writer.write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise OutputError(f"cannot write '{self.path}': {exc.strerror or exc}") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
            self.writer = None
        return self.path


def run(
    spec,
    students: int,
    out: Path,
    formats,
    on_paper: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write every student's papers into ``out`` (which must exist)."""
    from .build import student_stem

    out = Path(out)
    jobs = [(spec, k, student_stem(k, students), str(out), tuple(formats)) for k in range(1, students + 1)]
    workers = min(workers or default_workers(), students)
    merge = "pdf" in formats and students > 1
    classes = {kind: ClassPdf(out / name) for kind, name in CLASS_FILES.items()} if merge else {}
    written: list[Path] = []
    pool = None
    try:
        if workers > 1:
            import multiprocessing

            pool = multiprocessing.Pool(workers, initializer=_warm)
            results = pool.imap(_work, jobs, chunksize=1)  # in student order
        else:
            results = map(_work, jobs)
        for student, paths in results:
            paths = [Path(p) for p in paths]
            written += paths
            for kind, merged in classes.items():
                merged.add(next(p for p in paths if p.name.endswith(f"-{kind}.pdf")))
            if on_paper:
                on_paper(student)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        for merged in classes.values():
            written.append(merged.close())
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    return written
