"""QR code of a paper's version ID, as inline SVG (segno).

The ID is written in upper case with its dashes, so it fits QR's compact
alphanumeric mode; scanning it gives exactly the text that
``gradex regenerate`` accepts. Output is deterministic (segno picks the mask
from the content alone).
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup


@lru_cache(maxsize=64)
def qr_svg(version_id: str, size_mm: float = 20.0) -> Markup:
    import segno

    code = segno.make_qr(version_id.upper(), error="m")
    raw = code.svg_inline(scale=1, border=2, dark="#000", light="#fff", omitsize=True,
                          svgclass="qr-code", lineclass=None, title=None)
    xmlns = "" if "xmlns=" in raw else 'xmlns="http://www.w3.org/2000/svg" '
    style = xmlns + f'style="width:{size_mm}mm;height:{size_mm}mm" role="img" aria-label="QR {version_id}"'
    return Markup(raw.replace("<svg ", f"<svg {style} ", 1))
