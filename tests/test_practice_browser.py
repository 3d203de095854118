"""The practice page end to end in real headless Chromium (Debian's, driven by
Playwright): load offline from file://, answer right and wrong (the right
answer is taken from the Python solver's Variant of the variant shown), Bangla
digits accepted, steps revealed one at a time, a new variant, the language
switch. Screenshots go to $GRADEX_SCREENSHOTS (or a temporary folder)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sympy as sp

from generator import bank
from generator.practice import write_practice

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SEED = 20261121
POOL = 4
BANGLA = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("practice")
    return write_practice(out, ["scalar-rnn"], "both", POOL, SEED)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file() or shutil.which("chromium") is None:
        pytest.fail("chromium is missing: run bash tools/setup.sh (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    """A fresh tab on the page, recording console errors and every request."""
    context = browser.new_context(viewport={"width": 900, "height": 1400})
    pg = context.new_page()
    pg.errors, pg.requests, pg.failed = [], [], []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("requestfailed", lambda r: pg.failed.append(r.url))
    pg.goto(site.as_uri())
    pg.wait_for_load_state("load")
    pg.evaluate("document.fonts.ready.then(() => true)")
    yield pg
    context.close()


def shots_dir(tmp_path) -> Path:
    d = Path(os.environ.get("GRADEX_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def shown(pg):
    """The section, the visible variant's seed, and the solver's Variant for it."""
    section = pg.locator('section.family[data-family="scalar-rnn"]')
    seed = int(section.get_attribute("data-current-seed"))
    article = section.locator("article.variant:visible")
    assert article.count() == 1 and int(article.get_attribute("data-seed")) == seed
    return article, bank.get("scalar-rnn").variant(seed)


def exact_text(value) -> str:
    q = sp.Rational(value)
    return str(q.p) if q.q == 1 else f"{q.p}/{q.q}"


def test_loads_offline_without_errors(page):
    assert page.errors == [] and page.failed == []
    assert page.requests and all(u.startswith("file://") for u in page.requests), page.requests
    assert any(u.endswith("fonts/NotoSansBengali-Regular.ttf") for u in page.requests)
    assert page.evaluate("document.fonts.check('16px \"Gradex Bengali\"', 'প্রতিটি')")
    # the glyph sprite is used: every formula has a box with a size
    box = page.locator("article.variant:visible svg.math").first.bounding_box()
    assert box and box["width"] > 3 and box["height"] > 3


def test_answers_right_wrong_and_bangla_digits(page, tmp_path):
    article, variant = shown(page)
    feedback = lambda part: part.get_attribute("data-verdict")  # noqa: E731
    for p in variant.parts:
        part = article.locator(f'li.part[data-part="{p.id}"]')
        if p.spec.answer_type == "verdict":
            wrong = next(ch for ch in p.spec.choices if ch != p.answer)
            part.locator(f'button.choice[data-choice="{wrong}"]').click()
            assert feedback(part) == "wrong"
            part.locator(f'button.choice[data-choice="{p.answer}"]').click()
            assert feedback(part) == "right"
            assert "সঠিক" in part.locator(".feedback").inner_text()
            continue
        box = part.locator("input.answer-input")
        box.fill(exact_text(p.answer + 1))
        part.locator("button.check").click()
        assert feedback(part) == "wrong"
        box.fill(exact_text(p.answer))
        box.press("Enter")
        assert feedback(part) == "right", (p.id, exact_text(p.answer))
        # Bangla digits with a true minus sign, as a student types them
        bangla = exact_text(p.answer).replace("-", "\u2212").translate(BANGLA)
        box.fill(bangla)
        part.locator("button.check").click()
        assert feedback(part) == "right", (p.id, bangla)
        box.fill("abc")
        part.locator("button.check").click()
        assert feedback(part) == "unreadable"
        if p.id == "forward":  # leave one part answered right, in Bangla digits
            box.fill(bangla)
            box.press("Enter")
        elif p.id == "gradient":  # and one wrong
            box.fill(exact_text(p.answer * 2 + 1))
            box.press("Enter")
    article.locator('li.part[data-part="forward"]').scroll_into_view_if_needed()
    page.screenshot(path=str(shots_dir(tmp_path) / "practice-bn-checked.png"))
    assert page.errors == []


def test_decimal_forms_accepted(page):
    parse = "s => window.gradexPractice.parseAnswer(s)"
    for text, value in [("3/2", 1.5), ("-0.25", -0.25), ("−০.২৫", -0.25), ("৩/২", 1.5), ("১২৮", 128), (".5", 0.5), ("1e-3", 0.001)]:
        assert page.evaluate(parse, text) == value, text
    for text in ["", "1/0", "2/3/4", "x", "1..2"]:
        assert page.evaluate(parse, text) is None, text


def test_steps_revealed_one_by_one(page, tmp_path):
    article, variant = shown(page)
    part = article.locator('li.part[data-part="gradient"]')
    steps = part.locator("ol.steplist.lang-bn > li.step")
    total = len(variant.part("gradient").steps) + 1  # + the answer line
    assert steps.count() == total
    visible = lambda: part.locator("li.step:visible").count()  # noqa: E731
    assert visible() == 0
    for k in range(1, 3):
        part.locator("button.next-step").click()
        assert visible() == k
    part.locator("button.show-all").click()
    assert visible() == total
    assert part.locator("button.next-step").is_disabled()
    # the hidden English list keeps pace with the Bangla one
    assert part.locator("ol.steplist.lang-en > li.step:not([hidden])").count() == total
    for p in ("forward", "clip"):
        article.locator(f'li.part[data-part="{p}"] button.show-all').click()
    page.screenshot(path=str(shots_dir(tmp_path) / "practice-bn-steps.png"), full_page=True)
    page.locator('button[data-set-lang="en"]').click()
    page.screenshot(path=str(shots_dir(tmp_path) / "practice-en-steps.png"), full_page=True)
    assert page.errors == []


def test_new_variant_changes_the_variant(page):
    article, variant = shown(page)
    given = article.locator("p.given:visible").inner_text()
    article.locator('li.part[data-part="forward"] button.next-step').click()
    seen = [variant.seed]
    for _ in range(POOL):
        page.locator('section.family[data-family="scalar-rnn"] button.new-variant').click()
        new_article, new_variant = shown(page)
        assert new_variant.seed != seen[-1]
        assert new_article.locator("p.given:visible").inner_text() != given
        # the new variant starts clean: no step shown, no verdict
        assert new_article.locator("li.step:visible").count() == 0
        seen.append(new_variant.seed)
        given = new_article.locator("p.given:visible").inner_text()
    # every variant of the pool comes once before the first comes back
    assert len(set(seen[:POOL])) == POOL and seen[POOL] == seen[0]
    assert page.errors == []


def test_language_switch(page, tmp_path):
    article, variant = shown(page)
    stem = lambda: article.locator("p.stem:visible").inner_text()  # noqa: E731
    bn = stem()
    assert "স্কেলার" in bn and "প্রতিটি" in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.lang") == "bn"
    page.screenshot(path=str(shots_dir(tmp_path) / "practice-bn.png"))
    page.locator('button[data-set-lang="en"]').click()
    en = stem()
    assert en != bn and "scalar recurrent network" in en
    body = page.locator("body").inner_text()
    assert "Next step" in body and "পরের ধাপ" not in body
    assert not any("\u0980" <= ch <= "\u09ff" for ch in body.replace("বাংলা", ""))
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title().startswith("Practice")
    # same variant in both languages
    assert int(page.locator("section.family").get_attribute("data-current-seed")) == variant.seed
    page.screenshot(path=str(shots_dir(tmp_path) / "practice-en.png"))
    page.locator('button[data-set-lang="bn"]').click()
    assert stem() == bn
    assert page.errors == []
