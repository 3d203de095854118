"""Moodle XML, QTI 2.1 package and JSON export of a whole quiz.

The quiz covers every family in the bank plus scalar-rnn three times with
fixed settings that force each regime. Every exported answer is compared with
the family's solver re-run from the variant's seed, and scalar-rnn's answers
also with plain Fraction arithmetic.
"""

from __future__ import annotations

import html

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction as F

import pytest

from generator.export.common import exportable

from generator import bank
from generator.export import export
from generator.export.moodle import GRADE_LIST
from generator.paper import QuizSpec

STUDENTS = 2
SEED = 424242
SETTINGS = [  # scalar-rnn, fixed: exploding / vanishing (non-terminating) / neither
    {"w": F(3, 2), "T": F(4)},
    {"w": F(-1, 3), "h0": F(3), "eta": F(1, 7)},
    {"w": F(1), "T": F(3), "c": F(1000)},
]
QTI_NS = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP_NS = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def _spec():
    fams = [(fid, ()) for fid in bank.families()]
    fams += [("scalar-rnn", tuple(sorted(s.items()))) for s in SETTINGS]
    return QuizSpec(families=tuple(fams), seed=SEED, lang="both", digits=None)


@pytest.fixture(scope="module")
def spec():
    return _spec()


@pytest.fixture(scope="module")
def solved(spec):
    """seed -> (family id, variant re-solved from the seed), independent of the exporter."""
    out = {}
    for k in range(1, STUDENTS + 1):
        for j, (fid, fixed) in enumerate(spec.families, start=1):
            seed = bank.derive_seed(spec.seed, k, j, fid)
            out[seed] = (fid, bank.get(fid).variant(seed, dict(fixed)))
    return out


@pytest.fixture(scope="module")
def exports(spec):
    return {fmt: export(spec, STUDENTS, fmt) for fmt in ("moodle", "qti", "json")}


def scalar_rnn_by_hand(params):
    """Independent answers of scalar-rnn with Fractions and loops."""
    h0, w, T, eta, c = (F(str(params[k])) for k in ("h0", "w", "T", "eta", "c"))
    T = int(T)
    h = [h0]
    for _ in range(T):
        h.append(w * h[-1])
    g = sum(h[t - 1] * w ** (T - t) for t in range(1, T + 1))
    g_clip = g if abs(g) <= c else g * c / abs(g)
    regime = "exploding" if abs(w) > 1 else "vanishing" if abs(w) < 1 else "neither"
    return {"forward": h[T], "gradient": g, "regime": regime, "sgd": w - eta * g, "clip": w - eta * g_clip}


def _close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(abs(b), 1e-300) or a == b


def _seed_of(idnumber: str) -> int:
    return int(idnumber.rsplit("-", 1)[1])


# --- Moodle -------------------------------------------------------------------


def _check_files(area: ET.Element):
    text = area.find("text").text or ""
    names = {f.get("name") for f in area.findall("file")}
    for f in area.findall("file"):
        assert f.get("encoding") == "base64" and f.get("path") == "/"
        ET.fromstring(base64.b64decode(f.text))  # a whole SVG document
    refs = set(re.findall(r"@@PLUGINFILE@@/([^\"']+)", text))
    assert refs <= names, f"unresolved files {refs - names}"
    assert "<svg" not in text


def test_moodle(exports, solved, spec):
    raw = exports["moodle"]
    assert "নির্ণয় করো".encode() in raw  # Bangla kept as UTF-8
    root = ET.fromstring(raw)
    assert root.tag == "quiz"
    category = None
    per_category: dict[str, int] = {}
    for q in root.findall("question"):
        qtype = q.get("type")
        if qtype == "category":
            category = q.find("category/text").text
            assert category.startswith("$course$/gradex/")
            continue
        per_category[category] = per_category.get(category, 0) + 1
        assert qtype in ("numerical", "multichoice")
        assert q.find("name/text").text.strip()
        for area in ("questiontext", "generalfeedback"):
            el = q.find(area)
            assert el.get("format") == "html" and el.find("text").text.strip()
            _check_files(el)
        fid, part_id = category.split("/")[2:4]
        idnumber = q.find("idnumber").text
        assert idnumber.startswith(f"{fid}-{part_id}-")
        seed = _seed_of(idnumber)
        sfid, variant = solved[seed]
        assert sfid == fid
        part = variant.part(part_id)
        assert int(q.find("defaultgrade").text) == part.spec.marks
        answers = q.findall("answer")
        for a in answers:
            assert a.get("fraction") in GRADE_LIST
        if qtype == "numerical":
            assert part.spec.answer_type == "numeric" and not part.distractors
            (a,) = answers
            assert a.get("fraction") == "100"
            value, tol = float(a.find("text").text), float(a.find("tolerance").text)
            assert _close(value, float(part.answer), 1e-12)
            assert _close(tol, part.spec.tolerance * abs(float(part.answer)), 1e-9) or (part.answer == 0 and tol > 0)
            if fid == "scalar-rnn":
                assert _close(value, float(scalar_rnn_by_hand(variant.params)[part_id]), 1e-12)
        else:
            assert len(answers) >= 2
            right = [a for a in answers if a.get("fraction") == "100"]
            assert len(right) == 1
            for a in answers:
                _check_files(a)
                _check_files(a.find("feedback"))
            if part.spec.answer_type == "verdict":
                assert len(answers) == len(part.spec.choices)
                words = bank.get(fid).text["en"]["verdict"][part.answer]
                assert html.escape(words, quote=False) in right[0].find("text").text
                if fid == "scalar-rnn":
                    assert part.answer == scalar_rnn_by_hand(variant.params)["regime"]
    # one question per variant: every (family, part) category holds STUDENTS x occurrences
    # (vector/matrix answers and bank items stay on paper and in JSON: exportable())
    expected = {}
    for fid, v in solved.values():
        for p in filter(exportable, v.parts):
            key = f"$course$/gradex/{fid}/{p.id}"
            expected[key] = expected.get(key, 0) + 1
    assert per_category == expected
    assert len({k.split("/")[2] for k in expected}) >= 8  # most families reach the LMS
    verdicts = {v.part("regime").answer for f, v in solved.values() if f == "scalar-rnn"}
    assert verdicts == {"exploding", "vanishing", "neither"}


# --- QTI ----------------------------------------------------------------------


def test_qti_package(exports, solved, spec):
    z = zipfile.ZipFile(io.BytesIO(exports["qti"]))
    names = set(z.namelist())
    manifest = ET.fromstring(z.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP_NS}manifest"
    listed_items, listed_media = set(), set()
    resources = manifest.findall(f"{CP_NS}resources/{CP_NS}resource")
    expected_items = sum(len(list(filter(exportable, v.parts))) for _, v in solved.values())
    assert len(resources) == expected_items
    for res in resources:
        assert res.get("type") == "imsqti_item_xmlv2p1"
        href = res.get("href")
        files = {f.get("href") for f in res.findall(f"{CP_NS}file")}
        assert href in files and files <= names
        listed_items.add(href)
        listed_media |= files - {href}
        item = ET.fromstring(z.read(href))
        assert item.tag == f"{QTI_NS}assessmentItem"
        assert item.get("timeDependent") == "false" and item.get("identifier") and item.get("title")
        for el in item.iter():
            assert el.tag.startswith(QTI_NS), f"element {el.tag} outside the QTI namespace"
            assert "style" not in el.attrib and "lang" not in el.attrib
        body = item.find(f"{QTI_NS}itemBody")
        assert body.find(f".//{QTI_NS}svg") is None
        srcs = {img.get("src") for img in item.iter(f"{QTI_NS}img")}
        assert srcs and srcs <= files - {href}, "every image is a file listed with its item"
        for src in srcs:
            ET.fromstring(z.read(src))
        fid_part_seed = item.get("identifier").removeprefix("gradex-")
        seed = int(fid_part_seed.rsplit("-", 1)[1])
        fid, variant = solved[seed]
        part_id = fid_part_seed[len(fid) + 1 :].rsplit("-", 1)[0]
        part = variant.part(part_id)
        rd = item.find(f"{QTI_NS}responseDeclaration")
        value = rd.find(f"{QTI_NS}correctResponse/{QTI_NS}value").text
        if part.spec.answer_type == "numeric" and not part.distractors:
            assert rd.get("baseType") == "float" and rd.get("cardinality") == "single"
            assert body.find(f".//{QTI_NS}textEntryInteraction").get("responseIdentifier") == "RESPONSE"
            assert _close(float(value), float(part.answer), 1e-12)
            eq = item.find(f".//{QTI_NS}equal")
            assert eq.get("toleranceMode") == "relative"
            assert _close(float(eq.get("tolerance")), part.spec.tolerance * 100, 1e-9)  # QTI: percent
            if fid == "scalar-rnn":
                assert _close(float(value), float(scalar_rnn_by_hand(variant.params)[part_id]), 1e-12)
        else:
            assert rd.get("baseType") == "identifier"
            choices = body.findall(f".//{QTI_NS}choiceInteraction/{QTI_NS}simpleChoice")
            ids = [c.get("identifier") for c in choices]
            assert len(ids) >= 2 and value in ids
            if part.spec.answer_type == "verdict":
                assert value == f"C_{part.answer}"
    media = {n for n in names if n.startswith("media/")}
    assert media and media == listed_media
    assert {n for n in names if n.endswith(".xml")} - {"imsmanifest.xml"} == listed_items


# --- JSON ---------------------------------------------------------------------


def test_json(exports, solved, spec):
    doc = json.loads(exports["json"])
    assert doc["format"] == "gradex-variants/1"
    assert len(doc["variants"]) == STUDENTS * len(spec.families)
    for entry in doc["variants"]:
        fid, variant = solved[entry["seed"]]
        assert entry["family"] == fid
        assert entry["params"] == {k: str(v) for k, v in variant.params.items()}
        for pd, part in zip(entry["parts"], variant.parts, strict=True):
            assert pd["id"] == part.id and pd["marks"] == part.spec.marks
            assert pd["answer_type"] == part.spec.answer_type and pd["tolerance"] == part.spec.tolerance
            assert all("kind" in s for s in pd["steps"])
            assert pd["steps"] or part.spec.answer_type in ("choice", "text")  # bank items have no working
            if fid == "scalar-rnn":
                want = scalar_rnn_by_hand(variant.params)[part.id]
                got = pd["answer"]["exact"]
                assert got == want if isinstance(want, str) else F(got) == want
        if fid == "scalar-rnn":
            plot = next(p for p in entry["parts"] if p["id"] == "regime")["plot"]
            mine = next(s for s in plot["series"] if s["role"] == "variant")
            h0, w = F(entry["params"]["h0"]), F(entry["params"]["w"])
            assert [F(y) for y in mine["y"]] == [abs(n * h0 * w ** (n - 1)) for n in mine["x"]]
            assert F(plot["lines"][0]["y"]) == F(entry["params"]["c"])


# --- multiple choice with distractors (the contract; no family here has them yet)


def test_distractors_become_multichoice_with_feedback(spec):
    import copy

    from generator.bank import Family
    from generator.export.common import Item
    from generator.export.moodle import question
    from generator.export.qti import assessment_item
    from generator.model import Distractor

    base = bank.get("scalar-rnn")
    meta = copy.deepcopy(base.meta)
    meta["text"]["en"]["misconceptions"] = {"last-term-only": "Kept only the last BPTT term $h_{T-1}$."}
    meta["text"]["bn"]["misconceptions"] = {"last-term-only": "শুধু শেষ পদটি নেওয়া হয়েছে।"}
    fam = Family(id=base.id, code=base.code, folder=base.folder, meta=meta)
    variant = base.variant(5)
    part = variant.part("gradient")
    h = variant.part("forward").extra["h"]
    part.distractors = [Distractor(h[-2], "last-term-only")]
    assert part.distractors[0].value != part.answer
    item = Item(1, 1, "X", fam, variant, {})
    q = question(item, part, spec)
    assert q.get("type") == "multichoice"
    answers = q.findall("answer")
    assert sorted(a.get("fraction") for a in answers) == ["0", "100"]
    wrong = next(a for a in answers if a.get("fraction") == "0")
    fb = wrong.find("feedback")
    assert "Kept only the last BPTT term" in fb.find("text").text and "শুধু শেষ পদটি" in fb.find("text").text
    _check_files(fb)
    _check_files(wrong)
    data, _images = assessment_item(item, part, spec)
    root = ET.fromstring(data)
    assert root.find(f"{QTI_NS}responseDeclaration/{QTI_NS}correctResponse/{QTI_NS}value").text == "C_0"
    feedback_ids = {m.get("identifier") for m in root.findall(f"{QTI_NS}modalFeedback")}
    assert feedback_ids == {"C_1", "SOLUTION"}
