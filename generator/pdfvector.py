"""Math and QR codes in PDFs, drawn by gradex instead of WeasyPrint's SVG engine.

Profiling a class batch showed WeasyPrint spending about half of each
paper's time on the inline math SVG: parsing every glyph outline's path
string, cascading CSS over every ``<path>``, and writing the outlines again
for each formula. For the PDF, each formula (and the QR code) is therefore
laid out by WeasyPrint as an empty inline-block of exactly the SVG's size and
baseline, and drawn afterwards, in a WeasyPrint ``finisher``, into the page's
content stream at that box:

- a formula is drawn from the glyphs ziamath placed for it (recorded by
  ``generator.mathsvg``: the same glyphs, positions and sizes as the HTML's
  SVG), each glyph's outline turned into PDF operators once per process;
- a formula whose drawing holds anything but filled glyphs, paths and
  rectangles (a coloured or stroked mark) keeps its inline SVG, and
  WeasyPrint draws it as before.

The HTML files (for browsers) are untouched: they carry the inline SVG.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup

SCALE = 0.75  # PDF points per CSS pixel
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z]")
_SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Vector:
    """A drawing in its own coordinates (SVG user units, y down)."""

    viewbox: tuple[float, float, float, float]
    ops: bytes  # PDF content-stream operators, fill only


def _resolve(pdf, value):
    """A pydyf indirect reference (b"12 0 R") -> the object it names."""
    if isinstance(value, (bytes, str)):
        text = value.decode() if isinstance(value, bytes) else value
        return pdf.objects[int(text.split()[0])]
    return value


def _g(x: float) -> str:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Unsupported(ValueError):
    pass


def _f(x: float) -> str:
    s = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _quad(cx: float, cy: float, x1: float, y1: float, x: float, y: float) -> str:
    """The cubic ``c`` operator drawing the quadratic from (cx, cy) through
    control point (x1, y1) to (x, y): PDF has no quadratic curves."""
    return (f"{_f(cx + 2 / 3 * (x1 - cx))} {_f(cy + 2 / 3 * (y1 - cy))} "
            f"{_f(x + 2 / 3 * (x1 - x))} {_f(y + 2 / 3 * (y1 - y))} {_f(x)} {_f(y)} c")


def path_ops(d: str) -> list[str]:
    """SVG path data (absolute M, L, H, V, Q, C, Z) -> PDF path operators."""
    tokens = _NUM.findall(d)
    out: list[str] = []
    i, n = 0, len(tokens)
    cmd = None
    cx = cy = sx = sy = 0.0

    def num() -> str:
        nonlocal i
        if i >= n or tokens[i].isalpha():
            raise Unsupported(f"path data ends early: {d[:60]!r}")
        i += 1
        return tokens[i - 1]

    while i < n:
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                out.append("h")
                cx, cy = sx, sy
                continue
        if cmd == "M":
            x, y = num(), num()
            out.append(f"{x} {y} m")
            cx, cy = sx, sy = float(x), float(y)
            cmd = "L"  # further pairs are line-tos
        elif cmd == "L":
            x, y = num(), num()
            out.append(f"{x} {y} l")
            cx, cy = float(x), float(y)
        elif cmd == "H":
            x = num()
            out.append(f"{x} {_f(cy)} l")
            cx = float(x)
        elif cmd == "V":
            y = num()
            out.append(f"{_f(cx)} {y} l")
            cy = float(y)
        elif cmd == "C":
            p = [num() for _ in range(6)]
            out.append(" ".join(p) + " c")
            cx, cy = float(p[4]), float(p[5])
        elif cmd == "Q":
            x1, y1, x, y = (float(num()) for _ in range(4))
            out.append(_quad(cx, cy, x1, y1, x, y))
            cx, cy = x, y
        else:
            raise Unsupported(f"path command {cmd!r}")
    return out


_BLACK = {None, "black", "#000", "#000000", "currentColor"}


def svg_ops(root: ET.Element) -> bytes:
    """Filled ``path``/``rect`` elements (in ``g`` groups without attributes)
    -> PDF operators. Anything else raises :class:`Unsupported`."""
    return drawing_ops(root, [])


def drawing_ops(root: ET.Element, placed: list) -> bytes:
    """Like :func:`svg_ops`, where ``generator.mathsvg`` recorded glyphs
    (``<gradex-glyph i=k>`` for ``placed[k]`` = (glyph, x, y, scale)) are drawn
    from the glyph's outline, converted once per process."""
    from .mathsvg import _MARK

    out: list[str] = []

    def walk(el: ET.Element) -> None:
        for child in el:
            tag = child.tag.removeprefix(_SVG_NS)
            attrs = dict(child.attrib)
            if tag == "title":
                continue
            if attrs.pop("fill", None) not in _BLACK:
                raise Unsupported("coloured fill")
            if tag == _MARK and set(attrs) == {"i"}:
                glyph, x, y, scale = placed[int(attrs["i"])]
                s = scale * glyph._points_per_unit  # font units -> SVG units, as ziafont's svgpath
                out.append(f"q {_g(s)} 0 0 {_g(-s)} {_f(x)} {_f(y)} cm")
                out.append(glyph_ops(glyph))
                out.append("Q")
            elif tag == "g" and not attrs:
                walk(child)
            elif tag == "path" and set(attrs) == {"d"}:
                ops = path_ops(attrs["d"])
                if ops:
                    out.extend(ops)
                    out.append("f")
            elif tag == "rect" and set(attrs) <= {"x", "y", "width", "height"}:
                x, y = float(attrs.get("x", 0)), float(attrs.get("y", 0))
                out.append(f"{_f(x)} {_f(y)} {_f(float(attrs['width']))} {_f(float(attrs['height']))} re f")
            else:
                raise Unsupported(f"<{tag}> {sorted(attrs)}")

    walk(root)
    return ("\n".join(out)).encode("ascii")


_GLYPH_OPS: dict[tuple, str] = {}


def glyph_ops(glyph) -> str:
    """A glyph's outline in font units (y up) as PDF operators, filled."""
    key = (glyph.font.info.filename, glyph.index)
    ops = _GLYPH_OPS.get(key)
    if ops is None:
        ops = _GLYPH_OPS[key] = _outline(glyph.operators)
    return ops


def _outline(operators) -> str:
    from ziafont.svgpath import Cubic, Lineto, Moveto, Quad

    out: list[str] = []
    cx = cy = 0.0
    for op in operators:
        if isinstance(op, Moveto):
            if out:
                out.append("h")
            cx, cy = op.p.x, op.p.y
            out.append(f"{_f(cx)} {_f(cy)} m")
        elif isinstance(op, Lineto):
            cx, cy = op.p.x, op.p.y
            out.append(f"{_f(cx)} {_f(cy)} l")
        elif isinstance(op, Quad):
            out.append(_quad(cx, cy, op.p1.x, op.p1.y, op.p2.x, op.p2.y))
            cx, cy = op.p2.x, op.p2.y
        elif isinstance(op, Cubic):
            out.append(f"{_f(op.p1.x)} {_f(op.p1.y)} {_f(op.p2.x)} {_f(op.p2.y)} {_f(op.p3.x)} {_f(op.p3.y)} c")
            cx, cy = op.p3.x, op.p3.y
        else:
            raise Unsupported(f"glyph operator {type(op).__name__}")
    out += ["h", "f"]
    return "\n".join(out)


def formula(latex: str) -> tuple[Vector, str] | None:
    """(drawing, CSS box style) of a formula, or None if it must stay SVG."""
    from .mathsvg import typeset

    found = typeset(latex).pdf
    if found is None:
        return None
    viewbox, style, ops = found
    return Vector(viewbox, ops), style


@lru_cache(maxsize=64)
def qr(version_id: str, size_mm: float = 20.0) -> Vector:
    """The same QR code as ``generator.qr.qr_svg``: white quiet zone of two
    modules, one rectangle per run of dark modules in a row."""
    import segno

    code = segno.make_qr(version_id.upper(), error="m")
    rows = list(code.matrix)
    border = 2
    n = len(rows) + 2 * border
    ops = ["1 g", f"0 0 {n} {n} re f", "0 g"]
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                ops.append(f"{start + border} {y + border} {x - start} 1 re")
            else:
                x += 1
    ops.append("f")
    return Vector((0.0, 0.0, float(n), float(n)), "\n".join(ops).encode("ascii"))


@dataclass
class Overlay:
    """One document's vector drawings: placeholders while the HTML is
    rendered, then a WeasyPrint finisher that draws them."""

    items: list[Vector] = field(default_factory=list)

    def _hole(self, vec: Vector, cls: str, label: str, style: str) -> Markup:
        self.items.append(vec)
        return Markup(
            '<span class="{} pdfv" data-v="{}" role="img" aria-label="{}" style="{}"></span>'
        ).format(cls, len(self.items) - 1, label, style)

    def math(self, latex: str) -> Markup:
        found = formula(latex)
        if found is None:
            from .mathsvg import svg

            return svg(latex)
        vec, style = found
        return self._hole(vec, "math", latex, style)

    def plot(self, svg_text: str) -> Markup | None:
        """A plot as a box as wide as its <img> would be (up to 150 mm) and
        as tall as its aspect ratio makes it, or None if the overlay cannot
        draw it."""
        drawing = plot(svg_text)
        if drawing is None:
            return None
        self.items.append(drawing)
        _, _, w, h = drawing.viewbox
        return Markup(
            '<span class="plot-box pdfv" data-v="{}" role="img">'
            '<span style="display:block;padding-top:{}%"></span></span>'
        ).format(len(self.items) - 1, _f(100 * h / w))

    def qr(self, version_id: str, size_mm: float = 20.0) -> Markup:
        vec = qr(version_id, size_mm)
        return self._hole(vec, "qr-code", f"QR {version_id}", f"width:{size_mm}mm;height:{size_mm}mm")

    # --- after layout -----------------------------------------------------
    def placements(self, document) -> list[list[tuple[Vector, float, float, float, float]]]:
        """Per page: (drawing, x, y, width, height) of each placeholder's
        content box, in CSS px from the page's top-left corner."""
        pages = []
        for page in document.pages:
            found = []
            for box in page._page_box.descendants():
                element = getattr(box, "element", None)
                if element is None or box.element_tag != "span":
                    continue
                index = element.get("data-v")
                if index is None or not hasattr(box, "content_box_x") or box.element_tag != "span":
                    continue
                found.append(
                    (self.items[int(index)], box.content_box_x(), box.content_box_y(), box.width, box.height)
                )
            pages.append(found)
        return pages

    def finisher(self, placements):
        """A WeasyPrint ``finisher`` drawing ``placements`` on the pages.

        WeasyPrint's page stream leaves a y-flip in force, so it is wrapped in
        ``q``/``Q`` and the drawings follow from the default coordinates:
        CSS px, y down, like the layout. Each drawing's operators are written
        in place (``q cm ... Q``); one compressed page stream is smaller and
        cheaper than a Form XObject per formula."""

        def finish(document, pdf) -> None:
            import pydyf

            page_objects = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
            for page, placed, wpage in zip(page_objects, placements, document.pages):
                if not placed:
                    continue
                for vec, *_ in placed:
                    for name, alpha in getattr(vec, "alphas", ()):
                        states = _resolve(pdf, page["Resources"])["ExtGState"]
                        states[name] = pydyf.Dictionary({"Type": "/ExtGState", "ca": alpha, "CA": alpha})
                ops = [b"Q", b"q", f"{SCALE} 0 0 {-SCALE} 0 {_f(wpage.height * SCALE)} cm 0 g".encode()]
                for vec, x, y, w, h in placed:
                    vx, vy, vw, vh = vec.viewbox
                    sx, sy = w / vw, h / vh
                    ops.append(f"q {_g(sx)} 0 0 {_g(sy)} {_f(x - vx * sx)} {_f(y - vy * sy)} cm".encode())
                    ops.append(vec.ops)
                    ops.append(b"Q")
                ops.append(b"Q")
                content = _resolve(pdf, page["Contents"])
                content.stream.insert(0, b"q")
                content.stream.extend(ops)

        return finish


# --- whole SVG documents (matplotlib plots) -----------------------------------

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate)\s*\(([^)]*)\)")
_CAPS = {"butt": 0, "round": 1, "square": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}
_NAMED = {"black": "#000000", "white": "#ffffff"}
_SKIP = {"metadata", "defs", "title", "style", "clipPath", "desc"}


@dataclass(frozen=True)
class Drawing(Vector):
    """A Vector that also needs graphics states for opacity (name -> alpha)."""

    alphas: tuple[tuple[str, float], ...] = ()


def _matrix(text: str | None) -> tuple[float, ...] | None:
    """An SVG ``transform`` list as one matrix (a, b, c, d, e, f)."""
    if not text:
        return None
    import math

    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in _TRANSFORM.findall(text):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip()) if x]
        if name == "matrix" and len(v) == 6:
            t = tuple(v)
        elif name == "translate" and len(v) in (1, 2):
            t = (1, 0, 0, 1, v[0], v[1] if len(v) == 2 else 0)
        elif name == "scale" and len(v) in (1, 2):
            t = (v[0], 0, 0, v[1] if len(v) == 2 else v[0], 0, 0)
        elif name == "rotate" and len(v) == 1:
            r = math.radians(v[0])
            t = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0, 0)
        else:
            raise Unsupported(f"transform {name}({args})")
        a, b, c, d, e, f = m
        ta, tb, tc, td, te, tf = t
        m = (a * ta + c * tb, b * ta + d * tb, a * tc + c * td, b * tc + d * td,
             a * te + c * tf + e, b * te + d * tf + f)
    if _TRANSFORM.sub("", text).strip(" ,"):
        raise Unsupported(f"transform {text!r}")
    return m


def _declarations(text: str | None) -> dict:
    out = {}
    for item in (text or "").split(";"):
        if ":" in item:
            key, value = item.split(":", 1)
            out[key.strip()] = value.strip()
    return out


def _rgb(color: str) -> str:
    color = _NAMED.get(color, color)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}", color):
        raise Unsupported(f"colour {color!r}")
    if len(color) == 4:
        color = "#" + "".join(ch * 2 for ch in color[1:])
    return " ".join(_f(int(color[i:i + 2], 16) / 255) for i in (1, 3, 5))


def svg_document(text: str) -> Drawing:
    """A whole SVG document (what matplotlib writes for our plots: paths,
    ``use`` of paths defined once, groups with transforms and a rectangular
    clip, solid colours, dashes, opacity) -> PDF operators in its viewBox
    coordinates (y down). Anything else raises :class:`Unsupported`."""
    root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    if root.tag.removeprefix(_SVG_NS) != "svg" or not root.get("viewBox"):
        raise Unsupported("not an SVG document with a viewBox")
    viewbox = tuple(float(v) for v in root.get("viewBox").split())
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}
    base = {"fill": "#000000", "stroke": "none"}
    for style in root.iter(_SVG_NS + "style"):
        for rule in re.findall(r"\*\s*\{([^}]*)\}", style.text or ""):
            base.update(_declarations(rule))
    alphas: dict[float, str] = {}
    defined: dict[str, list[str]] = {}  # path data of a referenced path, converted once
    out: list[str] = []

    def paint(ops: list[str], st: dict) -> None:
        fill, stroke = st.get("fill", "#000000"), st.get("stroke", "none")
        if fill == "none" and stroke == "none":
            return
        out.append("q")
        alpha = float(st.get("opacity", 1)) * float(st.get("fill-opacity", 1))
        if alpha < 1:
            name = alphas.setdefault(round(alpha, 3), f"GradexA{len(alphas) + 1}")
            out.append(f"/{name} gs")
        if fill != "none":
            out.append(f"{_rgb(fill)} rg")
        if stroke != "none":
            out.append(f"{_rgb(stroke)} RG {_f(float(st.get('stroke-width', 1)))} w")
            out.append(f"{_CAPS[st.get('stroke-linecap', 'butt')]} J {_JOINS[st.get('stroke-linejoin', 'miter')]} j")
            dashes = st.get("stroke-dasharray", "none")
            if dashes != "none":
                values = " ".join(_f(float(x)) for x in re.split(r"[\s,]+", dashes.strip()) if x)
                out.append(f"[{values}] {_f(float(st.get('stroke-dashoffset', 0)))} d")
        out.extend(ops)
        out.append({(True, True): "B", (True, False): "f", (False, True): "S"}[(fill != "none", stroke != "none")])
        out.append("Q")

    def draw(el: ET.Element, inherited: dict) -> None:
        tag = el.tag.removeprefix(_SVG_NS)
        if tag in _SKIP:
            return
        st = dict(inherited)
        for key in ("fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "opacity"):
            if el.get(key) is not None:
                st[key] = el.get(key)
        st.update(_declarations(el.get("style")))
        known = {"id", "style", "transform", "clip-path", "d", "x", "y", "width", "height", _XLINK_HREF, "href",
                 "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "opacity"}
        if set(el.attrib) - known:
            raise Unsupported(f"<{tag}> {sorted(set(el.attrib) - known)}")
        matrix = _matrix(el.get("transform"))
        clip = el.get("clip-path")
        if tag == "use":
            x, y = float(el.get("x", 0)), float(el.get("y", 0))
            if x or y:  # SVG: translate(x, y) comes after the use's own transform
                matrix = _matrix((el.get("transform") or "") + f" translate({x} {y})")
        framed = matrix is not None or clip is not None
        if framed:
            out.append("q")
        if matrix is not None:
            out.append(" ".join(_g(v) for v in matrix) + " cm")
        if clip is not None:
            m = re.fullmatch(r"url\(#([^)]+)\)", clip)
            shape = ids.get(m.group(1)) if m else None
            rects = list(shape) if shape is not None else []
            if len(rects) != 1 or rects[0].tag.removeprefix(_SVG_NS) != "rect" or rects[0].get("transform"):
                raise Unsupported(f"clip {clip}")
            r = rects[0]
            out.append(f"{_f(float(r.get('x', 0)))} {_f(float(r.get('y', 0)))} "
                       f"{_f(float(r.get('width')))} {_f(float(r.get('height')))} re W n")
        if tag in ("g", "svg"):
            for child in el:
                draw(child, st)
        elif tag == "path":
            key = el.get("id")
            ops = defined.get(key) if key else None
            if ops is None:
                ops = path_ops(el.get("d", ""))
                if key:
                    defined[key] = ops
            paint(ops, st)
        elif tag == "rect":
            x, y = float(el.get("x", 0)), float(el.get("y", 0))
            paint([f"{_f(x)} {_f(y)} {_f(float(el.get('width')))} {_f(float(el.get('height')))} re"], st)
        elif tag == "use":
            href = el.get(_XLINK_HREF) or el.get("href") or ""
            target = ids.get(href.removeprefix("#"))
            if target is None or target is el:
                raise Unsupported(f"use of {href!r}")
            draw(target, st)
        else:
            raise Unsupported(f"<{tag}>")
        if framed:
            out.append("Q")

    for child in root:
        draw(child, base)
    ops = "\n".join(out).encode("ascii")
    return Drawing(viewbox, ops, tuple((name, alpha) for alpha, name in alphas.items()))


@lru_cache(maxsize=8)
def plot(svg_text: str) -> Drawing | None:
    """A plot's drawing, or None (it then stays an <img> that WeasyPrint draws)."""
    try:
        return svg_document(svg_text)
    except (Unsupported, ET.ParseError, ValueError, KeyError):
        return None
