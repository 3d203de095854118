"""Writing files safely: temporary file in the same folder, then rename.

A reader never sees a half-written file, and an interrupted run leaves every
earlier output intact.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError

KEEP = {".gitignore", ".gitkeep"}


def prepare_dir(out: Path, force: bool) -> Path:
    """Create ``out``; refuse one that already holds files unless ``force``."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"output path '{out}' exists and is not a directory")
    if out.is_dir() and not force and any(p.name not in KEEP for p in out.iterdir()):
        raise OutputError(f"output directory '{out}' is not empty (use --force to overwrite)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory '{out}': {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"output directory '{out}' is not writable")
    return out


def atomic_write(path: Path, data: bytes | str) -> Path:
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = "disk full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise OutputError(f"cannot write '{path}': {reason}") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


def copy_atomic(src: Path, dest: Path) -> Path:
    dest = Path(dest)
    if dest.is_file() and dest.stat().st_size == Path(src).stat().st_size and dest.read_bytes() == Path(src).read_bytes():
        return dest
    return atomic_write(dest, Path(src).read_bytes())


def copy_tree_files(src_dir: Path, dest_dir: Path, pattern: str) -> None:
    dest_dir.mkdir(parents=True, exist_ok=True)
    for f in sorted(Path(src_dir).glob(pattern)):
        copy_atomic(f, dest_dir / f.name)


