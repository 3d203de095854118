"""A class set: every student's papers, spread over the CPU cores.

Each worker process (and the parent, which is one of the workers) builds
and writes whole papers (HTML and/or PDF, each file atomically) and returns
only their paths, so no document is held in memory longer than it takes to
write it. The parent takes results in student order and appends each PDF, read back from disk, to ``class-sheets.pdf`` and
``class-keys.pdf``. Papers are rendered separately, so every paper's page
numbers start at 1 in the class files too. The class files appear (by
rename) only when they are complete.

Library code: no printing; ``on_paper(k)`` reports progress.
"""

from __future__ import annotations

import gc
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


def _preload(formats, spec=None) -> None:
    """Import the heavy modules once in the parent, before forking workers:
    the children share those pages (copy-on-write) instead of each importing
    them again. Nothing is initialised here (no fonts, no pango). matplotlib
    (~40 MB) is loaded only if the first student's paper has a plot."""
    import sympy  # noqa: F401
    import ziamath  # noqa: F401

    if "pdf" in formats:
        import weasyprint  # noqa: F401

    from . import render  # noqa: F401

    if spec is not None:
        from .paper import paper

        first = paper(spec, 1)
        if any(part.extra and part.extra.get("plot") for q in first.questions for part in q.variant.parts):
            from .plots import _matplotlib

            _matplotlib()


def _warm(formats) -> None:
    """Pool initializer: set up fonts once per worker, up front."""
    if "pdf" in formats:
        from . import pdf

        pdf.font_config()


def _work(job) -> tuple[int, list[str]]:
    from .build import write_paper
    from .paper import paper

    spec, student, stem, out, formats = job
    paths = write_paper(paper(spec, student), Path(out), stem, formats)
    return student, [str(p) for p in paths]


class ClassPdf:
    """Concatenates whole PDFs into one file, streaming.

    Each added PDF is read (pypdf), its pages and every object they reach
    are renumbered and written out at once, and nothing of it is kept but
    the byte offsets; the page tree, catalog and cross-reference table are
    written at :meth:`close`, then the temporary file is renamed into place.
    Memory stays flat however many papers a class has, and the output is
    byte-identical for identical inputs (no dates, no random /ID).
    """

    INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")

    def __init__(self, path: Path):
        self.path = Path(path)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._fh = os.fdopen(fd, "wb")
        self._offsets: dict[int, int] = {}  # object number -> byte offset (1: catalog, 2: page tree)
        self._next = 3
        self._kids: list[int] = []
        self.pages = 0
        self._fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def add(self, pdf_path: Path) -> int:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf_path))
        mapping: dict[int, int] = {}
        queue: list = []

        def new_id(ref) -> int:
            if ref.idnum not in mapping:
                mapping[ref.idnum] = self._next
                self._next += 1
                queue.append(ref)
            return mapping[ref.idnum]

        pages = set()
        for page in reader.pages:
            pages.add(page.indirect_reference.idnum)
            self._kids.append(new_id(page.indirect_reference))
        written = 0
        while written < len(queue):
            ref = queue[written]
            written += 1
            obj = ref.get_object()
            if ref.idnum in pages:
                obj = self._page(obj)
            body = self._ser(obj, new_id)
            self._offsets[mapping[ref.idnum]] = self._fh.tell()
            self._fh.write(b"%d 0 obj\n%s\nendobj\n" % (mapping[ref.idnum], body))
        n = len(reader.pages)
        self.pages += n
        return n

    def _page(self, page):
        out = {k: v for k, v in page.items() if k != "/Parent"}
        parent = page.get("/Parent")
        while parent is not None:
            parent = parent.get_object()
            for key in self.INHERITED:
                if key not in out and key in parent:
                    out[key] = parent[key]
            parent = parent.get("/Parent")
        out["/Parent"] = _Raw(b"2 0 R")
        return out

    def _ser(self, obj, new_id) -> bytes:
        from io import BytesIO

        from pypdf.generic import ArrayObject, IndirectObject, StreamObject

        if isinstance(obj, _Raw):
            return obj.data
        if isinstance(obj, IndirectObject):
            return b"%d 0 R" % new_id(obj)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self._ser(v, new_id) for v in obj) + b"]"
        if isinstance(obj, dict):
            items = dict(obj)
            data = None
            if isinstance(obj, StreamObject):
                data = obj._data  # still encoded: copied as it is
                items["/Length"] = len(data)
            body = b"<<" + b"".join(
                self._ser(_name(k), new_id) + b" " + (b"%d" % v if k == "/Length" and data is not None else self._ser(v, new_id))
                for k, v in items.items()
            ) + b">>"
            return body if data is None else body + b"\nstream\n" + data + b"\nendstream"
        buf = BytesIO()
        obj.write_to_stream(buf)
        return buf.getvalue()

    def close(self) -> Path:
        fh = self._fh
        try:
            kids = b" ".join(b"%d 0 R" % k for k in self._kids)
            self._offsets[1] = fh.tell()
            fh.write(b"1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n")
            self._offsets[2] = fh.tell()
            fh.write(b"2 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n" % (kids, len(self._kids)))
            xref = fh.tell()
            offsets = [self._offsets[i] for i in range(1, self._next)]
            fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
            fh.write(b"".join(b"%010d 00000 n \n" % off for off in offsets))
            fh.write(b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, self.path)
        except OSError as exc:
            raise OutputError(f"cannot write '{self.path}': {exc.strerror or exc}") from None
        finally:
            self.discard()
        return self.path

    def discard(self) -> None:
        if not self._fh.closed:
            self._fh.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)


class _Raw:
    def __init__(self, data: bytes):
        self.data = data


def _name(key):
    from pypdf.generic import NameObject

    return key if isinstance(key, NameObject) else NameObject(key)


def _context():
    """Fork (cheap: workers share the preloaded modules) from a single-threaded
    process; spawn from one that already runs threads (an embedding program,
    JAX in the tests), where a forked child can deadlock on a lock held by a
    thread that does not exist in the child."""
    import multiprocessing
    import os

    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        threads = 1
    if threads == 1 and multiprocessing.get_start_method() == "fork":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _shared(pool, jobs, pool_size: int, formats):
    """Yield (student, paths) in student order, the work shared between the
    pool and this process: the pool is kept two papers ahead per worker, and
    whenever it is, this process writes the next paper itself. With two
    cores that is one worker process plus the parent, instead of two workers
    beside an idle parent: the same speed, one copy of everything less."""
    from collections import deque

    ahead = 2 * pool_size
    waiting: deque = deque()  # (student, AsyncResult), oldest first
    done: dict[int, list[str]] = {}
    issued, turn = 0, 1
    warmed = False
    while turn <= len(jobs):
        while issued < len(jobs) and len(waiting) < ahead:
            waiting.append((issued + 1, pool.apply_async(_work, (jobs[issued],))))
            issued += 1
        while waiting and waiting[0][1].ready():
            student, result = waiting.popleft()
            done[student] = result.get()[1]
        if turn in done:
            yield turn, done.pop(turn)
            turn += 1
        elif issued < len(jobs):
            if not warmed:
                _warm(tuple(formats))
                warmed = True
            student, paths = _work(jobs[issued])
            issued += 1
            done[student] = paths
        else:
            student, result = waiting.popleft()
            done[student] = result.get()[1]


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
            ctx = _context()
            if ctx.get_start_method() == "fork":
                _preload(formats, spec)
                # Keep the preloaded objects out of every later garbage
                # collection: a collection writes to each object it visits,
                # which would copy the shared pages into every process.
                gc.collect()
                gc.freeze()
            # The parent is one of the workers (see _shared): one process
            # fewer holds a copy of everything. Workers are never replaced:
            # once the parent has set up fonts and pango for its own papers,
            # a process forked from it can deadlock on a lock that another
            # thread held at the moment of the fork (a replaced worker did, on
            # 200 students). The caches are bounded instead.
            pool = ctx.Pool(workers - 1, initializer=_warm, initargs=(tuple(formats),))
            results = _shared(pool, jobs, workers - 1, formats)
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
        for merged in classes.values():
            merged.discard()  # no-op after close(); removes the temp file after a failure
    return written
