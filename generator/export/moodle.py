"""Moodle XML (``qformat_xml``) for a whole quiz.

For each family and part a category ``$course$/gradex/<family>/<part>`` holds
one question per variant, so a quiz's "random question" from that category
gives each student one variant. Numeric parts become ``numerical`` questions
(the declared relative tolerance turned into Moodle's absolute tolerance for
that question's answer), parts with distractors and verdict parts become
``multichoice`` (one 100% option, the others 0, per-option feedback naming the
misconception). Math and plots are SVG files attached to the text they appear
in and referenced as ``@@PLUGINFILE@@/name``: they survive every Moodle
setting, including "forceclean". General feedback holds the worked steps.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

from .common import (
    Item,
    exportable,
    extract_svgs,
    feedback_html,
    misconception_html,
    number_html,
    question_html,
    question_name,
    verdict_html,
)

PLUGINFILE = "@@PLUGINFILE@@/"
# Moodle's grade list (question_bank::fraction_options_full), as percentages.
GRADES = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40",
    "33.33333", "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111",
    "10", "5", "0",
)
GRADE_LIST = frozenset(GRADES) | frozenset("-" + g for g in GRADES if g != "0")


def fnum(x) -> str:
    """A float as Moodle reads it (PHP is_numeric): shortest round-trip repr."""
    return repr(float(x))


def abs_tolerance(value, relative: float) -> float:
    """Moodle's numerical tolerance is absolute (nominal): |answer| * rel.
    For an answer of 0 the relative tolerance is used as an absolute one."""
    v = abs(float(value))
    return relative * v if v else relative


def _text_el(parent, tag: str, html_text: str, fmt: str = "html", files=()) -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt})
    ET.SubElement(el, "text").text = html_text
    for f in files:
        fe = ET.SubElement(el, "file", {"name": f.name, "path": "/", "encoding": "base64"})
        fe.text = base64.b64encode(f.data).decode("ascii")
    return el


def _html(fragment: str) -> tuple[str, list]:
    return extract_svgs(fragment, PLUGINFILE, sized="style")


def _answer(parent, fraction: str, text: str, feedback: str = "", fmt: str = "html") -> ET.Element:
    if fraction not in GRADE_LIST:  # a bug, never bad input
        raise ValueError(f"fraction {fraction} is not in Moodle's grade list")
    a = ET.SubElement(parent, "answer", {"fraction": fraction, "format": fmt})
    body, files = _html(text) if fmt == "html" else (text, [])
    ET.SubElement(a, "text").text = body
    for f in files:
        fe = ET.SubElement(a, "file", {"name": f.name, "path": "/", "encoding": "base64"})
        fe.text = base64.b64encode(f.data).decode("ascii")
    fb_body, fb_files = _html(feedback)
    _text_el(a, "feedback", fb_body, files=fb_files)
    return a


def question(item: Item, part, spec) -> ET.Element:
    multichoice = part.spec.answer_type == "verdict" or bool(part.distractors)
    q = ET.Element("question", {"type": "multichoice" if multichoice else "numerical"})
    name = ET.SubElement(q, "name")
    ET.SubElement(name, "text").text = question_name(item, part)
    body, files = _html(question_html(item, part, spec))
    _text_el(q, "questiontext", body, files=files)
    fb, fb_files = _html(feedback_html(item, part, spec))
    _text_el(q, "generalfeedback", fb, files=fb_files)
    ET.SubElement(q, "defaultgrade").text = str(part.spec.marks)
    ET.SubElement(q, "penalty").text = "0.3333333"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = f"{item.family.id}-{part.id}-{item.variant.seed}"
    if multichoice:
        ET.SubElement(q, "single").text = "true"
        ET.SubElement(q, "shuffleanswers").text = "true"
        ET.SubElement(q, "answernumbering").text = "abc"
        ET.SubElement(q, "showstandardinstruction").text = "0"
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text_el(q, tag, "")
        if part.spec.answer_type == "verdict":
            for key in part.spec.choices:
                _answer(q, "100" if key == part.answer else "0", verdict_html(item, key, spec))
        else:
            _answer(q, "100", number_html(part.answer))
            for d in part.distractors:
                _answer(q, "0", number_html(d.value), misconception_html(item, d.misconception, spec))
    else:
        a = _answer(q, "100", fnum(part.answer), fmt="moodle_auto_format")
        ET.SubElement(a, "tolerance").text = fnum(abs_tolerance(part.answer, part.spec.tolerance))
        ET.SubElement(q, "unitgradingtype").text = "0"
        ET.SubElement(q, "unitpenalty").text = "0.1000000"
        ET.SubElement(q, "showunits").text = "3"
        ET.SubElement(q, "unitsleft").text = "0"
    return q


def category_path(family_id: str, part_id: str) -> str:
    return f"$course$/gradex/{family_id}/{part_id}"


def moodle_xml(items: list[Item], spec) -> bytes:
    quiz = ET.Element("quiz")
    order: dict[tuple[str, str], list] = {}
    for item in items:
        for part in filter(exportable, item.variant.parts):
            order.setdefault((item.family.id, part.id), []).append((item, part))
    for (fid, pid), members in order.items():
        cat = ET.SubElement(quiz, "question", {"type": "category"})
        c = ET.SubElement(cat, "category")
        ET.SubElement(c, "text").text = category_path(fid, pid)
        info = ET.SubElement(cat, "info", {"format": "html"})
        ET.SubElement(info, "text").text = f"gradex: {fid}, part {pid}; one question per variant"
        for item, part in members:
            quiz.append(question(item, part, spec))
    ET.indent(quiz, space=" ")
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"
