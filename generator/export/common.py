"""What every exporter shares: the variants of a quiz, their HTML fragments
(rendered by the paper's own templates), and turning inline SVG into files.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache

from ..mathsvg import SIZE


@dataclass
class Item:
    """One variant of one family: question ``number`` of ``student``'s paper."""

    student: int
    number: int
    version_id: str
    family: object  # generator.bank.Family
    variant: object  # generator.model.Variant
    fixed: dict  # the teacher's fixed values for this family (exact)


def collect(spec, students: int, on_paper=None) -> list[Item]:
    """N variants per family: the questions of students 1..N's papers, so
    variant k of a family is exactly what student k's paper shows."""
    from ..paper import paper

    items = []
    for k in range(1, students + 1):
        p = paper(spec, k)
        for q, (_fid, values) in zip(p.questions, spec.families):
            items.append(Item(k, q.number, p.version_id, q.family, q.variant, dict(values)))
        if on_paper:
            on_paper(k)
    return items


def exportable(part) -> bool:
    """Parts an LMS can grade by itself: a scalar numeric answer or a verdict.

    Vector and matrix answers, and the bank items of ``concepts`` (choice and
    short-answer parts), are left to the paper and the JSON export."""
    import sympy as sp

    kind = part.spec.answer_type
    if kind == "verdict":
        return len(part.spec.choices) >= 2  # a one-choice "verdict" is a worked remark
    return kind == "numeric" and not isinstance(part.answer, (sp.MatrixBase, tuple, list, str))


def langs_of(spec) -> list[str]:
    return ["bn", "en"] if spec.lang == "both" else [spec.lang]


@lru_cache(maxsize=1)
def _macros():
    from ..render import renderer

    r = renderer()
    return r, r.env.get_template("export/part.html.j2").module


def question_html(item: Item, part, spec) -> str:
    r, m = _macros()
    i = [p.id for p in item.variant.parts].index(part.id)
    return _tidy(m.question(r, item.family, item.variant, part, i, langs_of(spec), spec.digits))


def feedback_html(item: Item, part, spec) -> str:
    r, m = _macros()
    return _tidy(m.feedback(r, item.family, item.variant, part, langs_of(spec), spec.digits))


def number_html(value) -> str:
    r, m = _macros()
    return _tidy(m.number(value))


def verdict_html(item: Item, key: str, spec) -> str:
    r, m = _macros()
    return _tidy(m.verdict(r, item.family, key, langs_of(spec), spec.digits))


def misconception_html(item: Item, misconception: str, spec) -> str:
    r, m = _macros()
    text = item.family.text
    for lang in langs_of(spec):
        if misconception not in text[lang].get("misconceptions", {}):
            from ..errors import BankError

            raise BankError(
                f"{item.family.id}: no words for misconception '{misconception}' "
                f"(text.{lang}.misconceptions.{misconception} in family.yaml)"
            )
    return _tidy(m.misconception(r, item.family, item.variant, misconception, langs_of(spec), spec.digits))


def _tidy(markup) -> str:
    return "\n".join(line.rstrip() for line in str(markup).strip().splitlines() if line.strip())


def question_name(item: Item, part) -> str:
    return f"{item.family.id} {part.id} #{item.student:02d} (seed {item.variant.seed})"


# --- inline SVG -> files ------------------------------------------------------

_MATH = re.compile(r'<svg class="math[^"]*" role="img" aria-label="([^"]*)" style="([^"]*)" (.*?)</svg>', re.S)
_DATA_IMG = re.compile(r'<img alt="([^"]*)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">')
_EM = re.compile(r"width:([\d.]+)em;height:([\d.]+)em;vertical-align:(-?[\d.]+)em")
EM_PX = 16  # px per em when a size must be absolute


@dataclass(frozen=True)
class Image:
    name: str
    data: bytes  # a standalone SVG document


def extract_svgs(fragment: str, src_prefix: str, sized: str = "style") -> tuple[str, list[Image]]:
    """Replace inline math SVG and data-URI SVG images by <img> elements that
    point at files named by content hash (``src_prefix`` + name).

    ``sized="style"`` keeps the em size and baseline in a style attribute
    (HTML, Moodle); ``sized="attrs"`` gives width/height in px (QTI, whose
    body elements have no style attribute).
    """
    files: dict[str, Image] = {}

    def add(svg_text: str) -> str:
        data = svg_text.encode("utf-8")
        name = "g" + hashlib.sha256(data).hexdigest()[:20] + ".svg"
        files.setdefault(name, Image(name, data))
        return name

    def math(m: re.Match) -> str:
        label, style, rest = m.group(1), m.group(2), m.group(3)
        em = _EM.search(style)
        w, h = float(em.group(1)), float(em.group(2))
        doc = f'<svg width="{w * SIZE:.2f}" height="{h * SIZE:.2f}" {rest}</svg>'
        if "xmlns=" not in doc:
            doc = doc.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        name = add(doc)
        alt = html.escape(html.unescape(label), quote=True)
        if sized == "style":
            size = f'style="{style}"'
        else:
            size = f'width="{round(w * EM_PX)}" height="{round(h * EM_PX)}"'
        return f'<img src="{src_prefix}{name}" alt="{alt}" {size} class="math"/>'

    def plot(m: re.Match) -> str:
        name = add(base64.b64decode(m.group(2)).decode("utf-8"))
        return f'<img src="{src_prefix}{name}" alt="{m.group(1)}" class="plot"/>'

    out = _MATH.sub(math, fragment)
    out = _DATA_IMG.sub(plot, out)
    return out, list(files.values())
