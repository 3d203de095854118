"""LaTeX to inline SVG with ziamath (no JavaScript, no network, no MathML).

WeasyPrint does not render MathML, so math is drawn as SVG paths (STIX Two
Math, shipped inside ziamath). Results are cached by LaTeX string. The SVG is
sized in ``em`` so that it follows the surrounding font size, and lowered so
that its baseline sits on the text baseline. The LaTeX source is kept in
``aria-label`` for screen readers and for tests.

One typesetting serves both outputs (:func:`typeset`): while ziamath lays a
formula out, each glyph it places is recorded (glyph, position, size) instead
of being written out as a path string. From that record come

- ``markup``: the inline SVG for HTML, byte for byte what ziamath itself
  writes (each record becomes ziafont's own ``<path>``), and
- ``pdf``: PDF path operators for ``generator.pdfvector``, built from each
  glyph's outline once per process rather than from formatted path strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cached_property, lru_cache

from markupsafe import Markup, escape

SIZE = 20.0  # ziamath font size in px; the SVG is then scaled to 1em = SIZE
_VIEWBOX = re.compile(r'width="([\d.]+)" height="([\d.]+)" viewBox="([-\d. ]+)"')
_MARK = "gradex-glyph"  # stands for a placed glyph while a formula is recorded
_CAPTURE: list | None = None  # the placements of the formula being recorded


class MathError(ValueError):
    pass


def svg(latex: str, display: bool = False) -> Markup:
    return typeset(latex, display).markup


@lru_cache(maxsize=8192)
def svg_symbols(latex: str, display: bool = False) -> Markup:
    """Like :func:`svg`, but each glyph is a ``<symbol>`` (id = font + glyph)
    drawn with ``<use>``: a page holding many formulas can keep one copy of
    each glyph (the practice page does). Not for WeasyPrint."""
    return _typeset(latex, display, glyph_symbols=True)


@lru_cache(maxsize=1024)  # recent formulas: the stems every paper repeats stay
def typeset(latex: str, display: bool = False) -> "Formula":
    global _CAPTURE
    import ziamath

    from . import speedups

    speedups.ziamath()
    ziamath.config.svg2 = False  # paths, no <use>/ids ("Anchor defined twice" in WeasyPrint)
    _CAPTURE = placed = []
    try:
        root = ziamath.Latex(latex, size=SIZE).svgxml()
    except Exception as exc:  # ziamath raises many kinds on bad input
        raise MathError(f"cannot typeset LaTeX {latex!r}: {exc}") from None
    finally:
        _CAPTURE = None
    return Formula(latex, display, root, placed)


class Formula:
    """One typeset formula: the recorded drawing, then its two renderings."""

    def __init__(self, latex: str, display: bool, root: ET.Element, placed: list):
        self.latex = latex
        self.display = display
        self._root = root
        self._placed = placed
        self._svg_wanted = False

    @cached_property
    def pdf(self):
        """(viewBox, CSS box style, PDF operators), or None if the drawing
        holds something generator.pdfvector does not draw."""
        from .pdfvector import Unsupported, drawing_ops

        try:
            ops = drawing_ops(self._root, self._placed)
            found = self._box()[0], self._box()[1], ops
        except (Unsupported, ValueError):
            found = None
        if not self._svg_wanted:
            # A PDF-only run never asks for the SVG: the record (an element
            # tree per formula) is dropped rather than cached; should the SVG
            # be wanted after all, the formula is typeset again.
            self._root = self._placed = None
        return found

    @cached_property
    def markup(self) -> Markup:
        if self._root is None:
            return typeset.__wrapped__(self.latex, self.display).markup
        self._svg_wanted = True
        self.pdf  # noqa: B018 - from the record, before the record is spent
        _expand(self._root, self._placed)
        raw = ET.tostring(self._root, encoding="unicode")
        self._root = self._placed = None
        return _wrap(self.latex, self.display, raw)

    def _box(self) -> tuple[tuple[float, ...], str]:
        width, height = float(self._root.get("width")), float(self._root.get("height"))
        viewbox = tuple(float(v) for v in self._root.get("viewBox").split())
        return viewbox, _box_style(width, height, viewbox[1])


def _box_style(width: float, height: float, min_y: float) -> str:
    descent = height + min_y  # below the baseline (y = 0)
    return (
        f"width:{width / SIZE:.3f}em;height:{height / SIZE:.3f}em;"
        f"vertical-align:{-descent / SIZE:.3f}em"
    )


def _expand(el: ET.Element, placed: list) -> None:
    """Put ziafont's own ``<path>`` where each recorded glyph stands."""
    for i, child in enumerate(el):
        if child.tag == _MARK:
            glyph, x, y, scale = placed[int(child.get("i"))]
            path = glyph.svgpath(x0=x, y0=y, scale_factor=scale)
            for key, value in child.attrib.items():
                if key != "i":
                    path.set(key, value)  # e.g. a fill set after placing
            el[i] = path
        else:
            _expand(child, placed)


def _wrap(latex: str, display: bool, raw: str) -> Markup:
    m = _VIEWBOX.search(raw)
    if not m:
        raise MathError(f"unexpected SVG from ziamath for {latex!r}")
    width, height = float(m.group(1)), float(m.group(2))
    style = _box_style(width, height, float(m.group(3).split()[1]))
    head = (
        f'<svg class="{"math display" if display else "math"}" role="img" '
        f'aria-label="{escape(latex)}" style="{style}" '
    )
    body = raw[len("<svg ") :]
    # drop the pixel width/height; keep the viewBox
    body = body.replace(f'width="{m.group(1)}" height="{m.group(2)}" ', "", 1)
    return Markup(head + body)


def record_place(original):
    """``SimpleGlyph.place`` that records the glyph while :func:`typeset`
    runs (installed by generator.speedups); ziafont's own otherwise."""
    from ziafont.glyph import SimpleGlyph

    own_path = SimpleGlyph.svgpath

    def place(self, x, y, point_size):
        if _CAPTURE is None or type(self).svgpath is not own_path:
            return original(self, x, y, point_size)  # e.g. assembled stretchy glyphs
        import ziamath

        if ziamath.config.svg2:
            return original(self, x, y, point_size)
        if not self.operators:
            return None  # what svgpath gives an empty glyph
        _CAPTURE.append((self, x, y, point_size / self.DFLT_SIZE_PT))
        return ET.Element(_MARK, {"i": str(len(_CAPTURE) - 1)})

    place._gradex = True
    place._original = original
    return place


def _typeset(latex: str, display: bool, glyph_symbols: bool) -> Markup:
    """ziamath's SVG as it writes it (no recording): the practice page's
    glyph symbols, and the reference the tests compare :func:`typeset` with."""
    import ziamath

    from . import speedups

    speedups.ziamath()
    ziamath.config.svg2 = glyph_symbols
    try:
        raw = ziamath.Latex(latex, size=SIZE).svg()
    except Exception as exc:  # ziamath raises many kinds on bad input
        raise MathError(f"cannot typeset LaTeX {latex!r}: {exc}") from None
    finally:
        ziamath.config.svg2 = False
    return _wrap(latex, display, raw)
