"""A QTI 2.1 content package (zip): ``imsmanifest.xml``, one
``assessmentItem`` per part and variant, and the SVG files they show.

Numeric parts: ``textEntryInteraction`` on a float response, scored with
``<equal toleranceMode="relative">`` (QTI's relative tolerance is in percent).
Verdict parts and parts with distractors: ``choiceInteraction`` with one
correct choice and per-choice modal feedback (the misconception's words).
The worked steps are modal feedback shown after answering. Inline SVG is not
valid in a QTI 2.1 itemBody, so math and plots are <img> elements pointing at
SVG files that the manifest lists with the item that uses them.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from .common import (
    Item,
    exportable,
    extract_svgs,
    feedback_html,
    misconception_html,
    number_html,
    question_html,
    verdict_html,
)
from .moodle import fnum

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
MEDIA = "media/"
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed: the same quiz gives the same bytes

# XHTML allowed in a QTI 2.1 body (subset used by the templates), and the
# attributes each may carry (bodyElement: id, class, xml:lang, label).
_COMMON = {"id", "class", XML_LANG, "label"}
_ALLOWED = {
    "div": set(), "p": set(), "span": set(), "b": set(), "i": set(), "sup": set(), "sub": set(),
    "ol": set(), "ul": set(), "li": set(), "table": {"summary"}, "tbody": set(), "tr": set(),
    "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}, "img": {"src", "alt", "width", "height"},
    "br": set(), "em": set(), "strong": set(),
}
_RENAME = {"figure": "div"}


def _clean(el: ET.Element) -> None:
    """Make rendered HTML valid QTI body content, in place."""
    for child in list(el):
        tag = _RENAME.get(child.tag, child.tag)
        if tag not in _ALLOWED:
            raise ValueError(f"HTML element <{child.tag}> has no place in a QTI 2.1 body")
        child.tag = f"{{{QTI}}}{tag}"
        attrs = dict(child.attrib)
        child.attrib.clear()
        for k, v in attrs.items():
            k = XML_LANG if k == "lang" else k
            if k in _COMMON or k in _ALLOWED[tag]:
                child.set(k, v)
        if tag == "img" and "alt" not in child.attrib:
            child.set("alt", "")
        _clean(child)


def _fragment(parent: ET.Element, html_text: str, images: dict) -> None:
    body, files = extract_svgs(html_text, MEDIA, sized="attrs")
    for f in files:
        images[f.name] = f
    wrapper = ET.fromstring(f"<div>{body}</div>")
    _clean(wrapper)
    if wrapper.text and wrapper.text.strip():
        raise ValueError("loose text in a QTI fragment")
    for child in wrapper:
        parent.append(child)


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _sub(parent, tag, attrib=None, text=None):
    el = ET.SubElement(parent, _q(tag), attrib or {})
    if text is not None:
        el.text = text
    return el


def item_identifier(item: Item, part) -> str:
    return f"gradex-{item.family.id}-{part.id}-{item.variant.seed}"


def assessment_item(item: Item, part, spec) -> tuple[bytes, list]:
    images: dict = {}
    ident = item_identifier(item, part)
    root = ET.Element(
        _q("assessmentItem"),
        {
            "identifier": ident,
            "title": f"{item.family.id} {part.id} #{item.student:02d} (seed {item.variant.seed})",
            "adaptive": "false",
            "timeDependent": "false",
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        },
    )
    choice = part.spec.answer_type == "verdict" or bool(part.distractors)
    if choice:
        options = _options(item, part, spec)
        correct = next(cid for cid, _html, _fb, ok in options if ok)
        rd = _sub(root, "responseDeclaration", {"identifier": "RESPONSE", "cardinality": "single", "baseType": "identifier"})
    else:
        rd = _sub(root, "responseDeclaration", {"identifier": "RESPONSE", "cardinality": "single", "baseType": "float"})
        correct = fnum(part.answer)
    _sub(_sub(rd, "correctResponse"), "value", text=correct)
    od = _sub(root, "outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"})
    _sub(_sub(od, "defaultValue"), "value", text="0")
    _sub(root, "outcomeDeclaration", {"identifier": "MAXSCORE", "cardinality": "single", "baseType": "float"})
    _sub(root, "outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"})

    body = _sub(root, "itemBody")
    _fragment(body, question_html(item, part, spec), images)
    if choice:
        ci = _sub(body, "choiceInteraction", {"responseIdentifier": "RESPONSE", "shuffle": "true", "maxChoices": "1"})
        for cid, html_text, _fb, _ok in options:
            sc = _sub(ci, "simpleChoice", {"identifier": cid})
            _fragment_inline(sc, html_text, images)
    else:
        p = _sub(body, "p")
        _sub(p, "textEntryInteraction", {"responseIdentifier": "RESPONSE", "expectedLength": "20"})

    rp = _sub(root, "responseProcessing")
    cond = _sub(rp, "responseCondition")
    rif = _sub(cond, "responseIf")
    if choice:
        test = _sub(rif, "match")
    else:
        test = _sub(rif, "equal", {"toleranceMode": "relative", "tolerance": _percent(part.spec.tolerance)})
    _sub(test, "variable", {"identifier": "RESPONSE"})
    _sub(test, "correct", {"identifier": "RESPONSE"})
    _sub(_sub(rif, "setOutcomeValue", {"identifier": "SCORE"}), "baseValue", {"baseType": "float"}, str(part.spec.marks))
    rel = _sub(cond, "responseElse")
    _sub(_sub(rel, "setOutcomeValue", {"identifier": "SCORE"}), "baseValue", {"baseType": "float"}, "0")
    _sub(_sub(rp, "setOutcomeValue", {"identifier": "MAXSCORE"}), "baseValue", {"baseType": "float"}, str(part.spec.marks))
    fb = _sub(_sub(rp, "setOutcomeValue", {"identifier": "FEEDBACK"}), "multiple")
    if choice:
        _sub(fb, "variable", {"identifier": "RESPONSE"})
    _sub(fb, "baseValue", {"baseType": "identifier"}, "SOLUTION")

    if choice:
        for cid, _html, fb_html, _ok in options:
            if fb_html:
                mf = _sub(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "showHide": "show", "identifier": cid})
                _fragment(mf, fb_html, images)
    mf = _sub(root, "modalFeedback", {"outcomeIdentifier": "FEEDBACK", "showHide": "show", "identifier": "SOLUTION"})
    _fragment(mf, feedback_html(item, part, spec), images)
    # no ET.indent here: it would put whitespace into mixed (inline) content
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    return data, sorted(images.values(), key=lambda f: f.name)


def _percent(rel: float) -> str:
    return fnum(rel * 100)


def _fragment_inline(parent, html_text: str, images: dict) -> None:
    """Inline content (text + img/span) straight into ``parent``."""
    body, files = extract_svgs(html_text, MEDIA, sized="attrs")
    for f in files:
        images[f.name] = f
    wrapper = ET.fromstring(f"<span>{body}</span>")
    _clean(wrapper)
    parent.text = wrapper.text
    for child in wrapper:
        parent.append(child)


def _options(item: Item, part, spec) -> list[tuple[str, str, str, bool]]:
    """[(choice id, option html, feedback html, correct)]"""
    if part.spec.answer_type == "verdict":
        return [(f"C_{_ncname(k)}", verdict_html(item, k, spec), "", k == part.answer) for k in part.spec.choices]
    out = [("C_0", number_html(part.answer), "", True)]
    for n, d in enumerate(part.distractors, start=1):
        out.append((f"C_{n}", number_html(d.value), misconception_html(item, d.misconception, spec), False))
    return out


def _ncname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def manifest(entries: list[tuple[str, str, list[str]]]) -> bytes:
    """entries: [(identifier, item href, [media hrefs])]"""
    ET.register_namespace("", CP)
    m = ET.Element(f"{{{CP}}}manifest", {"identifier": "gradex-quiz", f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}"})
    md = ET.SubElement(m, f"{{{CP}}}metadata")
    ET.SubElement(md, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    ET.SubElement(md, f"{{{CP}}}schemaversion").text = "1.0.0"
    ET.SubElement(m, f"{{{CP}}}organizations")
    res = ET.SubElement(m, f"{{{CP}}}resources")
    for ident, href, media in entries:
        r = ET.SubElement(res, f"{{{CP}}}resource", {"identifier": f"R-{ident}", "type": "imsqti_item_xmlv2p1", "href": href})
        ET.SubElement(r, f"{{{CP}}}file", {"href": href})
        for mh in media:
            ET.SubElement(r, f"{{{CP}}}file", {"href": mh})
    ET.indent(m, space=" ")
    return ET.tostring(m, encoding="utf-8", xml_declaration=True) + b"\n"


def qti_package(items: list[Item], spec) -> bytes:
    ET.register_namespace("", QTI)
    ET.register_namespace("xsi", XSI)
    files: dict[str, bytes] = {}
    entries = []
    for item in items:
        for part in filter(exportable, item.variant.parts):
            data, images = assessment_item(item, part, spec)
            ident = item_identifier(item, part)
            href = f"{ident}.xml"
            files[href] = data
            for img in images:
                files[MEDIA + img.name] = img.data
            entries.append((ident, href, [MEDIA + img.name for img in images]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("imsmanifest.xml", manifest(entries))] + sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()
