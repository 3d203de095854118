"""HTML sheets and keys: reproducible, both languages, digits, fonts, math."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator import bank, numfmt
from generator.paper import QuizSpec, paper
from generator.render import renderer

from .conftest import run_process

BANGLA_DIGIT = re.compile("[০-৯]")
LATIN_DIGIT = re.compile("[0-9]")


def text_outside_svg(html: str) -> str:
    """Visible text of the body, with math SVG, tags and CSS removed."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    body = re.sub(r"<code>.*?</code>", " ", body, flags=re.S)  # the regenerate command
    body = re.sub(r'class="vid">[^<]*<', ">", body)  # the version ID is an identifier
    body = re.sub(r"<[^>]+>", " ", body)
    return body


def doc(seed=5, lang="both", digits=None, kind="key", families=("scalar-rnn",)):
    spec = QuizSpec.build(list(families), {}, seed, lang, digits)
    return renderer().document(paper(spec, 1), kind, "fonts/")


def test_same_seed_byte_identical_in_process(tmp_path, gradex):
    for run in ("a", "b"):
        assert gradex("generate", "--seed", "31", "--students", "2", "--out", str(tmp_path / run)).code == 0
    for name in ("student-01-sheet.html", "student-01-key.html", "student-02-key.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_same_seed_byte_identical_from_fresh_processes(tmp_path):
    digests = []
    for run, hashseed in (("a", "1"), ("b", "999")):
        r = run_process("generate", "--seed", "31", "--lang", "bn", "--out", str(tmp_path / run),
                        env={"PYTHONHASHSEED": hashseed})
        assert r.code == 0, r.err
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted((tmp_path / run).glob("*.html"))})
    assert digests[0] == digests[1] and len(digests[0]) == 2


@pytest.mark.parametrize("lang", ["bn", "en", "both"])
def test_languages(lang):
    fam = bank.get("scalar-rnn")
    html = doc(lang=lang)
    for code in ("bn", "en"):
        present = fam.text[code]["verdict"]["exploding"] in html or fam.text[code]["verdict"]["vanishing"] in html
        assert present == (lang in (code, "both")), code
    assert bool(re.search(r'<(p|div|span)[^>]* lang="bn"', html)) == (lang in ("bn", "both"))


def test_bangla_digits_in_text_latin_in_math():
    html = doc(lang="bn", digits="bangla")
    text = text_outside_svg(html)
    assert BANGLA_DIGIT.search(text)
    assert not LATIN_DIGIT.search(text), LATIN_DIGIT.findall(text)[:5]
    labels = re.findall(r'aria-label="([^"]*)"', html)
    assert labels and not any(BANGLA_DIGIT.search(l) for l in labels)
    assert any(LATIN_DIGIT.search(l) for l in labels)


def test_latin_digits_in_bangla_text_when_asked():
    text = text_outside_svg(doc(lang="bn", digits="latin"))
    assert not BANGLA_DIGIT.search(text)
    assert LATIN_DIGIT.search(text)


def test_default_digits_follow_the_language():
    assert BANGLA_DIGIT.search(text_outside_svg(doc(lang="bn")))
    assert not BANGLA_DIGIT.search(text_outside_svg(doc(lang="en")))


def test_answers_in_the_key_are_the_solvers():
    spec = QuizSpec.build(["scalar-rnn"], {}, 8, "en", None)
    p = paper(spec, 1)
    html = renderer().document(p, "key", "fonts/")
    variant = p.questions[0].variant
    for part in variant.parts:
        if part.spec.answer_type == "numeric":
            assert f"= {numfmt.text(part.answer, 'latin')}</p>" in html.replace("\n", "").replace("  ", "")
    sheet = renderer().document(p, "sheet", "fonts/")
    assert 'class="answer' not in sheet and 'class="working' not in sheet
    assert 'class="space"' in sheet


def test_sheet_and_key_carry_the_version_id():
    spec = QuizSpec.build(["scalar-rnn"], {}, 8, "both", None)
    p = paper(spec, 1)
    for kind in ("sheet", "key"):
        html = renderer().document(p, kind, "fonts/")
        assert p.version_id in html
        assert f'content: "সংস্করণ {p.version_id}"' in html  # printed on every page


def test_fonts_are_bundled_and_loaded_relatively(tmp_path, gradex):
    out = tmp_path / "o"
    assert gradex("generate", "--seed", "2", "--out", str(out)).code == 0
    html = (out / "student-01-sheet.html").read_text()
    urls = re.findall(r'url\("([^"]+)"\)', html)
    assert urls and all(u.startswith("fonts/") for u in urls)
    for u in urls:
        assert (out / u).stat().st_size > 100_000
    assert (out / "fonts" / "OFL.txt").is_file()
    no_ns = html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "http://" not in no_ns and "https://" not in no_ns  # nothing is fetched
    assert "<script" not in html


def test_math_is_svg_without_javascript_or_mathml():
    html = doc()
    assert html.count("<svg") > 20
    assert "<math" not in html and "<script" not in html


def test_huge_values_are_shown_in_scientific_notation():
    spec = QuizSpec.build(["scalar-rnn"], {"scalar-rnn": {"w": "10", "T": "60", "h0": "10"}}, 1, "en", None)
    html = renderer().document(paper(spec, 1), "key", "fonts/")
    assert not re.search(r"\d{15,}", html)
    assert "× 10<sup>" in html
