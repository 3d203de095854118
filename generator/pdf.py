"""Papers -> PDF through WeasyPrint, from the same templates as the HTML.

The HTML is the printable page itself (A4, ``@page`` margin boxes with the
version ID and page numbers, see ``templates/paper.css``); this module only
points its ``@font-face`` rules at the bundled fonts by absolute ``file://``
URLs, so the PDF looks the same on a machine without any Bangla font.

Per process, one WeasyPrint ``FontConfiguration`` and one parsed copy of the
shared style are reused, and math is cached (``generator.mathsvg``). Math and
the QR code are laid out as empty boxes and drawn into the PDF by
``generator.pdfvector``: WeasyPrint's SVG engine took half of each paper's
time. PDFs are byte-identical for the same paper:
WeasyPrint writes no dates unless the HTML asks for them, and the PDF file
identifier is derived from the version ID and the kind of page.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .bank import fonts_dir

KINDS = ("sheet", "key")


@lru_cache(maxsize=1)
def fonts_url() -> str:
    """``file:///.../generator/fonts/``: absolute, so no base URL is needed."""
    return Path(fonts_dir()).resolve().as_uri() + "/"


@lru_cache(maxsize=1)
def font_config():
    import atexit

    from weasyprint.text.fonts import FontConfiguration

    # Dropped before the interpreter tears modules down, so that WeasyPrint's
    # own clean-up (FontConfiguration.__del__) still finds what it needs.
    atexit.register(_forget_fonts)
    return FontConfiguration()


def _forget_fonts() -> None:
    static_stylesheet.cache_clear()
    font_config.cache_clear()


@lru_cache(maxsize=4)
def static_stylesheet(url: str):
    """``templates/static.css.j2`` parsed once per process (WeasyPrint ``CSS``,
    its ``@font-face`` rules registered in :func:`font_config` once)."""
    from weasyprint import CSS

    from .render import renderer

    return CSS(string=renderer().static_css(url), font_config=font_config())


def html_for_pdf(paper, kind: str, overlay=None, inline_css: bool = True) -> str:
    """The HTML page WeasyPrint lays out for ``paper`` (fonts by file URL).

    With an ``overlay`` (generator.pdfvector.Overlay), math and the QR code
    are placeholders that the overlay draws into the PDF afterwards. Without
    ``inline_css`` the shared style is left out: pass
    ``static_stylesheet(fonts_url())`` to WeasyPrint instead."""
    from contextlib import nullcontext

    from .render import renderer, vector_overlay

    with vector_overlay(overlay) if overlay is not None else nullcontext():
        return renderer().document(paper, kind, fonts_url(), inline_css)


def identifier(version_id: str, kind: str) -> bytes:
    """A stable PDF file identifier (PDF /ID), instead of a random one."""
    return hashlib.md5(f"gradex {version_id} {kind}".encode(), usedforsecurity=False).hexdigest().encode()


def html_to_pdf(html: str, ident: bytes | None = None, overlay=None, stylesheets=()) -> tuple[bytes, int]:
    """Lay out one HTML page with WeasyPrint; returns (PDF bytes, page count).

    No base URL on purpose: every resource URL in our HTML is absolute, and a
    relative one would make WeasyPrint warn, which the tests treat as an error.
    """
    from weasyprint import HTML

    document = HTML(string=html).render(font_config=font_config(), stylesheets=list(stylesheets))
    finisher = overlay.finisher(overlay.placements(document)) if overlay is not None else None
    data = document.write_pdf(pdf_identifier=ident, finisher=finisher)
    return data, len(document.pages)


def render_pdf(paper, kind: str) -> tuple[bytes, int]:
    """One paper's sheet or key as PDF bytes, with its page count: the same
    page as the HTML file, with math and QR drawn by generator.pdfvector and
    the shared style parsed once per process."""
    from .pdfvector import Overlay

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    overlay = Overlay()
    html = html_for_pdf(paper, kind, overlay, inline_css=False)
    return html_to_pdf(html, identifier(paper.version_id, kind), overlay, [static_stylesheet(fonts_url())])
