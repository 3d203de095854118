"""The practice page as HTML (no browser): self-contained, no URL, every
glyph and formula reference resolves, and the answers embedded for checking
agree with an independent computation of scalar-rnn in plain Fractions."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from generator import bank
from generator.errors import UsageError
from generator.practice import build_pool, render_page, write_practice

SEED = 4242
POOL = 3


@pytest.fixture(scope="module")
def page() -> str:
    return render_page(["scalar-rnn"], "both", POOL, SEED)


def test_no_http_urls(page):
    assert not re.search(r"https?:", page, re.I)
    assert "//" not in re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r"\ssrc=", page)
    # the only external files are the fonts beside the page
    urls = re.findall(r'url\("([^"]+)"\)', page)
    assert urls and all(u.startswith("fonts/") and u.endswith(".ttf") for u in urls)
    assert "<script src" not in page and "<link" not in page


def test_every_svg_reference_resolves(page):
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    refs = set(re.findall(r'href="#([^"]+)"', page))
    assert refs and refs <= ids
    # each glyph is defined once, however many formulas use it
    symbols = re.findall(r'<symbol id="([^"]+)"', page)
    assert len(symbols) == len(set(symbols))
    assert page.count('<svg class="glyphs"') == 1
    # LaTeX, size and baseline stay on every formula
    for m in re.finditer(r'<svg class="math[^"]*"([^>]*)>', page):
        assert 'aria-label="' in m.group(1) and "viewBox=" in m.group(1)


def _oracle(h0: Fraction, w: Fraction, T: int, eta: Fraction, c: Fraction) -> dict:
    """scalar-rnn by plain loops over Fractions (not the solver's code)."""
    h = h0
    hs = [h0]
    for _ in range(T):
        h = w * h
        hs.append(h)
    grad = sum(hs[t - 1] * w ** (T - t) for t in range(1, T + 1))
    clipped = grad if abs(grad) <= c else grad * c / abs(grad)
    regime = "exploding" if abs(w) > 1 else "vanishing" if abs(w) < 1 else "neither"
    return {"forward": hs[T], "gradient": grad, "regime": regime, "sgd": w - eta * grad, "clip": w - eta * clipped}


def test_embedded_answers_match_independent_computation(page):
    fam = bank.get("scalar-rnn")
    articles = re.findall(r'<article class="variant" data-seed="(\d+)"(.*?)</article>', page, re.S)
    assert len(articles) == POOL
    assert len({seed for seed, _ in articles}) == POOL
    tolerances = {s.id: s.tolerance for s in fam.part_specs}
    for seed, body in articles:
        p = {k: Fraction(str(v)) for k, v in fam.variant(int(seed)).params.items()}
        want = _oracle(p["h0"], p["w"], int(p["T"]), p["eta"], p["c"])
        parts = re.findall(r'<li class="part" data-part="([^"]+)" data-type="([^"]+)" data-answer="([^"]+)"(?: data-tol="([^"]+)")?', body)
        assert [pid for pid, *_ in parts] == list(want)
        for pid, kind, answer, tol in parts:
            if kind == "verdict":
                assert answer == want[pid]
            else:
                assert float(answer) == float(want[pid])
                assert float(tol) == tolerances[pid]


def test_pool_variants_differ_and_are_reproducible():
    a = build_pool("scalar-rnn", 5, SEED)
    b = build_pool("scalar-rnn", 5, SEED)
    assert [v.seed for v in a.variants] == [v.seed for v in b.variants]
    keys = [tuple(sorted((k, str(x)) for k, x in v.params.items())) for v in a.variants]
    assert len(set(keys)) == 5


def test_both_languages_and_one_language(page):
    # both: Bangla first, an English block for every Bangla one, and the switch
    assert '<html lang="bn" data-lang="bn">' in page
    assert 'data-set-lang="en"' in page
    assert page.count('class="steplist lang-bn') == page.count('class="steplist lang-en')
    text = html.unescape(page)
    for word in ("প্রতিটি", "স্কেলার", "গ্রেডিয়েন্ট", "Worked steps", "Next step"):
        assert word in text
    en_only = re.sub(r"<script>.*?</script>", "", render_page(["scalar-rnn"], "en", 1, SEED), flags=re.S)
    assert "class=\"lang-bn" not in en_only and "data-set-lang" not in en_only
    assert not re.search(r"[\u0980-\u09ff]", re.sub(r'aria-label="[^"]*"', "", en_only))


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(UsageError):
        render_page(["no-such-family"], "both", 2, SEED)
    with pytest.raises(UsageError):
        render_page(["scalar-rnn"], "fr", 2, SEED)
    with pytest.raises(UsageError):
        render_page(["scalar-rnn"], "both", 0, SEED)
    (tmp_path / "keep.txt").write_text("x")
    from generator.errors import OutputError

    with pytest.raises(OutputError):
        write_practice(tmp_path, ["scalar-rnn"], "both", 1, SEED)


def test_cli_writes_page_and_fonts(tmp_path):
    out = tmp_path / "p"
    run = subprocess.run(
        [sys.executable, "-m", "generator", "practice", "--lang", "en", "--pool", "1", "--seed", "5", "--out", str(out)],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "practice.html").stat().st_size > 10_000
    from generator.bank import fonts_dir

    copied = sorted(p.name for p in (out / "fonts").glob("*.ttf"))
    assert copied == sorted(p.name for p in Path(fonts_dir()).glob("*.ttf"))
    assert {"NotoSans-Regular.ttf", "NotoSansBengali-Regular.ttf", "NotoSansMath-Symbols.ttf"} <= set(copied)
    referenced = set(re.findall(r'url\("fonts/([^"]+\.ttf)"\)', (out / "practice.html").read_text(encoding="utf-8")))
    assert referenced and referenced <= set(copied)
    again = subprocess.run(
        [sys.executable, "-m", "generator", "practice", "--pool", "0", "--out", str(out)],
        capture_output=True, text=True,
    )
    assert again.returncode == 2 and "Traceback" not in again.stderr
    full = subprocess.run(
        [sys.executable, "-m", "generator", "practice", "--pool", "1", "--seed", "5", "--out", str(out)],
        capture_output=True, text=True,
    )
    assert full.returncode != 0 and "--force" in full.stderr and len(full.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("family_id", [f for f in bank.families() if f != "concepts"])
def test_every_worked_family_makes_a_practice_page(family_id):
    page = render_page([family_id], "both", 2, 5)
    fam = bank.get(family_id)
    shown = re.findall(r'data-part="([^"]+)" data-type="([^"]+)" data-answer="([^"]*)"', page)
    assert shown and {p for p, _, _ in shown} == {s.id for s in fam.part_specs}
    for pid, kind, value in shown:
        if value and kind == "numeric":
            float(value)  # a number JavaScript can compare
    assert any(value for _, _, value in shown)  # at least one part is checked by the page


def test_bank_item_families_are_refused_with_a_reason():
    from generator.practice import check_args

    with pytest.raises(UsageError, match="on paper"):
        check_args(["concepts"], "both", 3, 1)


def test_practice_rendering_does_not_leak_into_papers():
    """Jinja folds constant filter calls at compile time; the math filter is
    context-dependent so a practice page compiled first cannot bake its
    glyph-symbol SVG into the paper templates."""
    from generator import render
    from generator.paper import QuizSpec, paper

    render.renderer.cache_clear()
    try:
        render_page(["scalar-rnn"], "both", 1, 1)
        html = render.renderer().document(paper(QuizSpec.build(["scalar-rnn"], {}, 1, "bn", None), 1), "key", "fonts/")
        assert "<symbol" not in html and "<use" not in html
    finally:
        render.renderer.cache_clear()
