"""Measured hot spots in third-party code, patched without changing output.

ziamath 0.13 ``styles.parse_style`` builds a lookup for every MathML node
with ``dataclasses.asdict(parent_style)``, a recursive deep copy; profiling a
class batch showed it taking ~45% of the time spent typesetting math. The
lookup only reads the style's top-level fields (colour, background, size,
script level, display style), so the instance's own attribute dict gives
the same answers. ``tests/test_speedups.py`` checks that SVG output is
unchanged.
"""

from __future__ import annotations

_done = False


def _fields(obj) -> dict:
    return vars(obj)  # read-only use inside a ChainMap


def ziamath() -> None:
    global _done
    if _done:
        return
    _done = True
    try:
        from ziamath import styles
    except ImportError:  # pragma: no cover
        return
    if getattr(styles, "asdict", None) is not None and hasattr(styles, "parse_style"):
        styles.asdict = _fields
