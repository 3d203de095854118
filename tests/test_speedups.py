"""The ziamath speed-ups and the glyph recording (generator.mathsvg) must not
change a single byte of the math SVG: every formula that papers of every
family produce (numeric and multiple choice, both languages) is typeset with
and without them."""

import dataclasses

import pytest
from markupsafe import Markup

from generator import bank, mathsvg, speedups

EXTRA = [
    r"\frac{\partial L}{\partial w} = \sum_{t=1}^{T} h_{t-1}\, w^{T-t}",
    r"g_{\mathrm{clip}} = g \cdot \min\left(1, \frac{c}{|g|}\right)",
    r"\text{\textbf{bold}} \mathbf{W}^{\top} \odot \tilde{x}_{1}^{2}",
    r"\begin{cases} a & x > 0 \\ b & \text{else} \end{cases} \approx -2.125\times 10^{10}",
    r"\left[\begin{matrix} 1 & \frac{1}{2} \\ -3 & 4 \end{matrix}\right] \left\| x \right\|_2",
]


def bank_formulas(papers: int = 2) -> list[str]:
    from generator.paper import QuizSpec, paper
    from generator.render import math_typesetter, renderer

    seen: set[str] = set()

    def collect(latex: str) -> Markup:
        seen.add(latex)
        return Markup("")

    ids = sorted(bank.families())
    for fmt in ("numeric", "mcq"):
        fams = [f for f in ids if fmt == "numeric" or "mcq" in bank.get(f).formats]
        quiz = QuizSpec.build(fams, None, 11, "both", None, [fmt] * len(fams))
        for student in range(1, papers + 1):
            p = paper(quiz, student)
            with math_typesetter(collect):
                for kind in ("sheet", "key"):
                    renderer().document(p, kind, "fonts/")
    return sorted(seen)


@pytest.fixture(scope="module")
def formulas():
    found = bank_formulas()
    assert len(found) > 150  # the collection itself works
    return found + EXTRA


def test_patches_and_recording_keep_svg_identical(formulas):
    """mathsvg.svg (patched ziamath, glyphs recorded then expanded) against
    ziamath's own SVG with every patch taken out."""
    from ziafont.glyph import SimpleGlyph
    from ziamath import styles
    from ziamath.nodes.mnode import Mnode
    from ziamath.nodes.mrow import Mrow

    speedups.ziamath()
    assert styles.asdict is speedups._fields
    assert Mrow._get_height_nostretch._gradex and Mnode.size_px._gradex and SimpleGlyph.place._gradex
    fast = [str(mathsvg.typeset.__wrapped__(f).markup) for f in formulas]
    patched = (styles.asdict, Mrow._get_height_nostretch, Mnode.size_px, SimpleGlyph.place)
    styles.asdict = dataclasses.asdict
    Mrow._get_height_nostretch = patched[1]._original
    Mnode.size_px = patched[2]._original
    SimpleGlyph.place = patched[3]._original
    try:
        slow = [str(mathsvg._typeset(f, False, False)) for f in formulas]
    finally:
        styles.asdict, Mrow._get_height_nostretch, Mnode.size_px, SimpleGlyph.place = patched
    different = [f for f, a, b in zip(formulas, fast, slow) if a != b]
    assert not different, different[:3]


def test_patching_twice_is_harmless():
    from ziamath.nodes.mrow import Mrow

    speedups.ziamath()
    first = Mrow._get_height_nostretch
    speedups._done = False
    speedups.ziamath()
    assert Mrow._get_height_nostretch is first


def test_stretch_detection():
    import xml.etree.ElementTree as ET

    assert speedups._may_stretch(ET.fromstring("<mrow><mo>(</mo><mn>1</mn><mo>)</mo></mrow>"))
    assert speedups._may_stretch(ET.fromstring('<mrow><mo stretchy="true">x</mo></mrow>'))
    assert not speedups._may_stretch(ET.fromstring("<mrow><mi>h</mi><mo>=</mo><mn>2</mn></mrow>"))
