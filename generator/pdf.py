"""Papers -> PDF through WeasyPrint, from the same templates as the HTML.

The HTML is the printable page itself (A4, ``@page`` margin boxes with the
version ID and page numbers, see ``templates/paper.css``); this module only
points its ``@font-face`` rules at the bundled fonts by absolute ``file://``
URLs, so the PDF looks the same on a machine without any Bangla font.

Per process, one WeasyPrint ``FontConfiguration`` is reused and math SVG is
cached (``generator.mathsvg``). PDFs are byte-identical for the same paper:
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
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_for_pdf(paper, kind: str) -> str:
    """The HTML page WeasyPrint lays out for ``paper`` (fonts by file URL)."""
    from .render import renderer

    return renderer().document(paper, kind, fonts_url())


def identifier(version_id: str, kind: str) -> bytes:
    """A stable PDF file identifier (PDF /ID), instead of a random one."""
    return hashlib.md5(f"gradex {version_id} {kind}".encode(), usedforsecurity=False).hexdigest().encode()


def html_to_pdf(html: str, ident: bytes | None = None) -> tuple[bytes, int]:
    """Lay out one HTML page with WeasyPrint; returns (PDF bytes, page count).

    No base URL on purpose: every resource URL in our HTML is absolute, and a
    relative one would make WeasyPrint warn, which the tests treat as an error.
    """
    from weasyprint import HTML

    document = HTML(string=html).render(font_config=font_config())
    data = document.write_pdf(pdf_identifier=ident)
    return data, len(document.pages)


def render_pdf(paper, kind: str) -> tuple[bytes, int]:
    """One paper's sheet or key as PDF bytes, with its page count."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return html_to_pdf(html_for_pdf(paper, kind), identifier(paper.version_id, kind))
