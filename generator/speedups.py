"""Measured hot spots in third-party code, patched without changing output.

ziamath 0.13 ``styles.parse_style`` builds a lookup for every MathML node
with ``dataclasses.asdict(parent_style)``, a recursive deep copy; profiling a
class batch showed it taking ~45% of the time spent typesetting math. The
lookup only reads the style's top-level fields (colour, background, size,
script level, display style), so the instance's own attribute dict gives
the same answers.

ziamath 0.13 ``Mrow._get_height_nostretch`` builds every child of every row a
second time, only to measure the row's height for stretchy operators; nested
rows double again at each level, so a formula's nodes are built up to
2^depth times. The measurement is read by nothing but stretchy ``<mo>``
(``rowymin``/``rowymax``/``nostretch`` appear nowhere else in ziamath), so for
a row with no operator in its subtree that could stretch, the second pass is
skipped and the row is built once.

``Mnode.size_px`` rebuilds a 14-entry dict of f-strings on every call (tens of
thousands of calls per class); it is a pure function of its two arguments
(``self`` only supplies the default font size), so its results are cached.

``SimpleGlyph.place`` records glyphs while ``generator.mathsvg.typeset``
runs (see there), so a formula is typeset once for both HTML and PDF.

``tests/test_speedups.py`` checks that the SVG of every formula the bank
produces is byte-identical with and without these patches.
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
    try:
        from ziamath.nodes.mrow import Mrow
    except ImportError:  # pragma: no cover
        return
    from ziamath.nodes.mnode import Mnode

    size_px = getattr(Mnode, "size_px", None)
    if size_px is not None and not getattr(size_px, "_gradex", False):
        Mnode.size_px = _cached_size_px(size_px)
    original = getattr(Mrow, "_get_height_nostretch", None)
    if original is not None and not getattr(original, "_gradex", False):
        Mrow._get_height_nostretch = _measure_only_if_stretchy(original)
    from ziafont.glyph import SimpleGlyph

    from .mathsvg import record_place

    if not getattr(SimpleGlyph.place, "_gradex", False):
        SimpleGlyph.place = record_place(SimpleGlyph.place)


def _cached_size_px(original):
    from functools import lru_cache

    class _Sized:  # what original reads of self when fontsize is given: nothing
        glyphsize = None

    @lru_cache(maxsize=4096)
    def cached(size, fontsize):
        return original(_Sized, size, fontsize)

    def size_px(self, size, fontsize=None):
        if fontsize is None:
            fontsize = self.glyphsize
        try:
            return cached(size, fontsize)
        except TypeError:  # unhashable argument: never in ziamath, but keep it exact
            return original(self, size, fontsize)

    size_px._gradex = True
    size_px._original = original
    return size_px


def _may_stretch(element) -> bool:
    """Could any operator in ``element``'s subtree stretch? Errs on yes."""
    from ziamath import operators

    for el in element.iter():
        tag = el.tag
        if tag in ("mfenced", "mtable", "mtr", "mtd"):
            return True
        text = "".join(el.itertext()).strip()
        if tag == "mo" or (tag == "mi" and text in operators.names):
            if any(k in el.attrib for k in ("stretchy", "minsize", "maxsize")):
                return True
            for form in ("prefix", "infix", "postfix"):
                if operators.get_params(text, form).get("stretchy", "false") != "false":
                    return True
    return False


def _measure_only_if_stretchy(original):
    def measure(self, line, **kwargs):
        if any(_may_stretch(child) for child in line):
            return original(self, line, **kwargs)
        return 9999, -9999  # what an empty row measures; no one reads it here

    measure._gradex = True
    measure._original = original
    return measure
