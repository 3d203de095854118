"""LaTeX to inline SVG with ziamath (no JavaScript, no network, no MathML).

WeasyPrint does not render MathML, so math is drawn as SVG paths (STIX Two
Math, shipped inside ziamath). Results are cached by LaTeX string. The SVG is
sized in ``em`` so that it follows the surrounding font size, and lowered so
that its baseline sits on the text baseline. The LaTeX source is kept in
``aria-label`` for screen readers and for tests.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

SIZE = 20.0  # ziamath font size in px; the SVG is then scaled to 1em = SIZE
_VIEWBOX = re.compile(r'width="([\d.]+)" height="([\d.]+)" viewBox="([-\d. ]+)"')


class MathError(ValueError):
    pass


@lru_cache(maxsize=8192)
def svg(latex: str, display: bool = False) -> Markup:
    return _typeset(latex, display, glyph_symbols=False)


@lru_cache(maxsize=8192)
def svg_symbols(latex: str, display: bool = False) -> Markup:
    """Like :func:`svg`, but each glyph is a ``<symbol>`` (id = font + glyph)
    drawn with ``<use>``: a page holding many formulas can keep one copy of
    each glyph (the practice page does). Not for WeasyPrint."""
    return _typeset(latex, display, glyph_symbols=True)


def _typeset(latex: str, display: bool, glyph_symbols: bool) -> Markup:
    import ziamath

    from . import speedups

    speedups.ziamath()
    # svg2=False for papers: no <use>/ids, so no "Anchor defined twice"
    ziamath.config.svg2 = glyph_symbols
    try:
        raw = ziamath.Latex(latex, size=SIZE).svg()
    except Exception as exc:  # ziamath raises many kinds on bad input
        raise MathError(f"cannot typeset LaTeX {latex!r}: {exc}") from None
    finally:
        ziamath.config.svg2 = False
    m = _VIEWBOX.search(raw)
    if not m:
        raise MathError(f"unexpected SVG from ziamath for {latex!r}")
    width, height = float(m.group(1)), float(m.group(2))
    min_y = float(m.group(3).split()[1])
    descent = height + min_y  # below the baseline (y = 0)
    style = (
        f"width:{width / SIZE:.3f}em;height:{height / SIZE:.3f}em;"
        f"vertical-align:{-descent / SIZE:.3f}em"
    )
    head = (
        f'<svg class="{"math display" if display else "math"}" role="img" '
        f'aria-label="{escape(latex)}" style="{style}" '
    )
    body = raw[len("<svg ") :]
    # drop the pixel width/height; keep the viewBox
    body = body.replace(f'width="{m.group(1)}" height="{m.group(2)}" ', "", 1)
    return Markup(head + body)
