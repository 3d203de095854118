"""Math and QR codes drawn into the PDF by generator.pdfvector.

The overlay must look like what WeasyPrint draws from the same inline SVG
(page images compared pixel by pixel), fall back to inline SVG for what it
cannot draw, and never let a system font into a PDF.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from generator import mathsvg, pdf, pdfvector
from generator.paper import QuizSpec, paper
from generator.pdfvector import Overlay, Unsupported, path_ops, svg_ops

from .test_pdf import fonts_of

BUNDLED = {"Gradex-Bengali", "Gradex-Bengali-Bold", "Gradex-Latin", "Gradex-Latin-Bold", "Gradex-Symbols"}
ALL_FAMILIES = ["scalar-rnn", "layer-product", "vector-clipping", "truncated-bptt", "lstm-cell-gradient",
                "float-overflow", "rnn-bptt-matrix", "pascanu-condition", "weight-init", "concepts"]


def _floats(op: str) -> list[float]:
    return [float(t) for t in op.split()[:-1]]


def test_path_ops_lines_and_cubics_pass_through():
    assert path_ops("M 1 2 L 3.5 -4 H 7 V 8 C 1 2 3 4 5 6 Z") == [
        "1 2 m", "3.5 -4 l", "7 -4 l", "7 8 l", "1 2 3 4 5 6 c", "h"]


def test_quadratic_becomes_the_same_cubic():
    m, c = path_ops("M 0 0 Q 3 6 9 0")
    assert m == "0 0 m"
    # control points 2/3 of the way from each end to the quadratic's control point
    assert _floats(c) == [2, 4, 5, 4, 9, 0]
    # the cubic passes through the quadratic's midpoint B(1/2) = (3.75, 3)
    x0, y0, x1, y1, x2, y2, x3, y3 = 0, 0, *_floats(c)
    mid = [(a + 3 * b + 3 * cc + d) / 8 for a, b, cc, d in ((x0, x1, x2, x3), (y0, y1, y2, y3))]
    assert mid == pytest.approx([3.75, 3])


@pytest.mark.parametrize("d", ["M 0 0 A 1 1 0 0 1 2 2", "M 0 0 l 1 1", "M 0 0 L 1"])
def test_unsupported_path_data_is_refused(d):
    with pytest.raises(Unsupported):
        path_ops(d)


@pytest.mark.parametrize("latex", [r"\boxed{x}", r"\cancel{x}", r"\color{red}{x}"])
def test_formula_the_overlay_cannot_draw_stays_inline_svg(latex):
    with pytest.raises(Unsupported):
        svg_ops(ET.fromstring(str(mathsvg.svg(latex))))
    overlay = Overlay()
    assert str(overlay.math(latex)) == str(mathsvg.svg(latex))
    assert overlay.items == []


def test_placeholder_has_the_svg_box():
    latex = r"\frac{\partial L}{\partial w} = \sum_{t=1}^{T} h_{t-1}\, w^{T-t}"
    overlay = Overlay()
    hole = str(overlay.math(latex))
    style = re.search(r'style="([^"]*)"', str(mathsvg.svg(latex))).group(1)
    assert f'style="{style}"' in hole and 'data-v="0"' in hole and "<svg" not in hole
    assert overlay.items[0].ops.count(b" c\n") > 20  # the glyph outlines are there


def test_qr_rectangles_are_the_segno_matrix():
    import segno

    vid = "2080-0W0G-2080-B"
    vec = pdfvector.qr(vid)
    drawn = set()
    for a, b, w, h in re.findall(rb"^(\d+) (\d+) (\d+) (\d+) re$", vec.ops, re.M):
        if int(w) == vec.viewbox[2]:
            continue  # the white quiet zone
        assert int(h) == 1
        drawn |= {(int(b), int(a) + k) for k in range(int(w))}
    want = {(r, c) for r, row in enumerate(segno.make_qr(vid.upper(), error="m").matrix_iter(border=2))
            for c, v in enumerate(row) if v}
    assert want and drawn == want


@pytest.fixture(scope="module")
def every_family_paper():
    spec = QuizSpec.build(ALL_FAMILIES, None, 5, "both", None)
    return paper(spec, 1)


def _pages_png(data: bytes, folder, name) -> list:
    from PIL import Image

    src = folder / f"{name}.pdf"
    src.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "72", str(src), str(folder / name)], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob(f"{name}-*.png"))]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_overlay_pages_look_like_weasyprint_svg(every_family_paper, tmp_path):
    """Every family's key, drawn by the overlay and by WeasyPrint from inline
    SVG: same pages, and the same pixels up to anti-aliasing."""
    from PIL import ImageChops, ImageStat

    p = every_family_paper
    fast, _ = pdf.render_pdf(p, "key")
    slow, _ = pdf.html_to_pdf(pdf.html_for_pdf(p, "key"))
    a, b = _pages_png(fast, tmp_path, "overlay"), _pages_png(slow, tmp_path, "svg")
    assert len(a) == len(b) >= 5
    for k, (x, y) in enumerate(zip(a, b), 1):
        diff = ImageChops.difference(x, y)
        mean = ImageStat.Stat(diff).mean[0]
        strong = diff.point(lambda v: 255 if v > 96 else 0).histogram()[255]
        assert mean < 0.3 and strong < 150, f"page {k}: mean {mean:.3f}, {strong:.0f} pixels differ strongly"


def test_every_family_pdf_uses_only_bundled_fonts(every_family_paper):
    for kind in ("sheet", "key"):
        data, _ = pdf.render_pdf(every_family_paper, kind)
        fonts = fonts_of(PdfReader(io.BytesIO(data)))
        assert {"Gradex-Bengali", "Gradex-Latin"} <= fonts <= BUNDLED, fonts


def test_mcq_key_uses_only_bundled_fonts():
    spec = QuizSpec.build(["scalar-rnn", "concepts"], None, 3, "bn", None, ["mcq", "numeric"])
    data, _ = pdf.render_pdf(paper(spec, 1), "key")
    assert fonts_of(PdfReader(io.BytesIO(data))) <= BUNDLED


def test_transform_lists_compose_left_to_right():
    from generator.pdfvector import _matrix

    assert _matrix("translate(10 20) scale(2)") == pytest.approx((2, 0, 0, 2, 10, 20))
    assert _matrix("scale(2) translate(10,20)") == pytest.approx((2, 0, 0, 2, 20, 40))
    assert _matrix("rotate(90)") == pytest.approx((0, 1, -1, 0, 0, 0))
    assert _matrix("matrix(1 2 3 4 5 6)") == pytest.approx((1, 2, 3, 4, 5, 6))
    with pytest.raises(Unsupported):
        _matrix("skewX(30)")


def test_svg_document_draws_what_it_knows_and_refuses_the_rest():
    from generator.pdfvector import svg_document

    doc = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
           '<defs><path id="m" d="M 0 0 L 0 3" style="stroke: #000000"/>'
           '<clipPath id="c"><rect x="1" y="1" width="8" height="8"/></clipPath></defs>'
           '<g clip-path="url(#c)" style="opacity: 0.5"><path d="M 1 1 L 9 9" style="fill: none; stroke: #ff0000; '
           'stroke-width: 2; stroke-dasharray: 3,1; stroke-linecap: square"/></g>'
           '<use xlink:href="#m" x="4" y="5" transform="scale(2)"/></svg>')
    d = svg_document(doc)
    ops = d.ops.decode()
    assert d.viewbox == (0, 0, 10, 10) and d.alphas == (("GradexA1", 0.5),)
    assert "1 1 8 8 re W n" in ops and "1 0 0 RG 2 w" in ops and "[3 1] 0 d" in ops and "2 J" in ops
    assert "2 0 0 2 8 10 cm" in ops  # scale(2), then the use's own translate(4 5)
    for bad in ('<circle cx="1" cy="1" r="1"/>', '<path d="M 0 0 l 1 1" style="fill: #000000"/>',
                '<path d="M 0 0 L 1 1" style="fill: url(#gradient)"/>'):
        with pytest.raises(Unsupported):
            svg_document(doc.replace("</svg>", bad + "</svg>"))


def test_plot_the_overlay_cannot_draw_stays_an_img(monkeypatch):
    from generator import pdfvector
    from generator.render import renderer, vector_overlay

    spec = QuizSpec.build(["scalar-rnn"], None, 5, "bn", None)
    p = paper(spec, 1)
    with vector_overlay(Overlay()):
        drawn = renderer().document(p, "key", "fonts/")
    assert 'class="plot-box pdfv"' in drawn and "data:image/svg+xml" not in drawn
    monkeypatch.setattr(pdfvector, "plot", lambda text: None)
    with vector_overlay(Overlay()):
        kept = renderer().document(p, "key", "fonts/")
    assert 'class="plot-box' not in kept and "data:image/svg+xml" in kept
