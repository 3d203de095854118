"""Plots in answer keys, QR codes of version IDs, and regenerate reproducing a
paper byte for byte (in a fresh process)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import warnings
from fractions import Fraction as F
from pathlib import Path

import pytest

from generator import bank, plots
from generator.build import generate
from generator.paper import QuizSpec


def _regime_plot(**fixed):
    fam = bank.get("scalar-rnn")
    v = fam.variant(11, {k: F(x) for k, x in fixed.items()})
    return fam, v, v.part("regime").extra["plot"]


def test_plot_data_matches_fractions():
    fam, v, plot = _regime_plot(h0="-2", w="3/2", c="5")
    h0, w = F(str(v.params["h0"])), F(str(v.params["w"]))
    roles = {s.role: s for s in plot.series}
    assert set(roles) == {"variant", "exploding", "vanishing"}
    mine = roles["variant"]
    assert list(mine.xs) == list(range(1, max(mine.xs) + 1)) and max(mine.xs) >= 10
    assert [F(str(y)) for y in mine.ys] == [abs(n * h0 * w ** (n - 1)) for n in mine.xs]
    up, down = (F(s.note.split("= ")[1]) for s in (roles["exploding"], roles["vanishing"]))
    assert abs(up) > 1 > abs(down) and abs(w) not in (up, down)
    assert [F(str(y)) for y in roles["exploding"].ys] == [n * 2 * up ** (n - 1) for n in mine.xs]
    assert [F(str(y)) for y in roles["vanishing"].ys] == [n * 2 * down ** (n - 1) for n in mine.xs]
    (line,) = plot.lines
    assert line.role == "threshold" and F(str(line.y)) == 5


def test_plot_svg_deterministic_fontless_bangla(caplog):
    fam, v, plot = _regime_plot(w="-1/3")
    out = {}
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("error")  # e.g. "Glyph ... missing from font(s)"
        for lang, digits in (("bn", "bangla"), ("en", "latin")):
            plots._svg.cache_clear()
            first = plots.svg(plot, lang, digits, fam)
            plots._svg.cache_clear()
            assert plots.svg(plot, lang, digits, fam) == first
            out[lang] = first
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    for lang, svg in out.items():
        assert "<text" not in svg and "<dc:date>" not in svg  # text as paths, no date
    # glyphs of the Bengali font are drawn in the Bangla plot only
    assert re.search(r'id="[^"]*NotoSansBengali', out["bn"])
    assert not re.search(r'id="[^"]*NotoSansBengali', out["en"])


def _qr_matrix_from_svg(svg: str):
    """Dark modules of segno's inline SVG path (relative h-runs on rows)."""
    d = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for cmd, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", d):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            for i in range(int(float(a))):
                dark.add((int(y - 0.5), int(x) + i))
            x += float(a)
    return dark


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    out = tmp_path_factory.mktemp("papers")
    spec = QuizSpec.build(["scalar-rnn"], {}, 31337, "both", None)
    generate(spec, 2, out)
    return out


def test_qr_on_sheet_and_key_encodes_version_id(papers):
    import segno

    for kind in ("sheet", "key"):
        page = (papers / f"student-02-{kind}.html").read_text(encoding="utf-8")
        vid = re.search(r'<span class="vid">([^<]+)</span>', page).group(1)
        svg = re.search(r'<div class="qr">(<svg.*?</svg>)</div>', page, re.S).group(1)
        qr = segno.make_qr(vid, error="m")
        want = {(r, c) for r, row in enumerate(qr.matrix_iter(border=2)) for c, v in enumerate(row) if v}
        assert want and _qr_matrix_from_svg(svg) == want
    assert "data:image/svg+xml;base64," in (papers / "student-02-key.html").read_text(encoding="utf-8")
    assert "figure class=\"plot\"" not in (papers / "student-02-sheet.html").read_text(encoding="utf-8")


def test_regenerate_is_byte_identical(papers, tmp_path):
    key = (papers / "student-02-key.html").read_text(encoding="utf-8")
    vid = re.search(r'<span class="vid">([^<]+)</span>', key).group(1)
    run = subprocess.run(
        [sys.executable, "-m", "generator", "regenerate", vid.lower(), "--out", str(tmp_path / "again")],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    for kind in ("sheet", "key"):
        again = (tmp_path / "again" / f"{vid}-{kind}.html").read_bytes()
        assert again == (papers / f"student-02-{kind}.html").read_bytes()
    assert (papers / "student-01-key.html").read_bytes() != (papers / "student-02-key.html").read_bytes()


def test_layer_product_and_float_overflow_keys_carry_their_plot():
    """The growth families' keys plot exactly the solver's values."""
    from fractions import Fraction

    from generator import bank

    lp = bank.get("layer-product").variant(4)
    plot = lp.part("depth").extra["plot"]
    a = Fraction(str(lp.params["w"])) * Fraction(str(lp.params["d"]))
    mine = next(s for s in plot.series if s.role == "variant")
    assert [Fraction(str(y)) for y in mine.ys] == [abs(a) ** n for n in mine.xs]
    assert max(mine.xs) >= int(lp.part("depth").answer)
    fo = bank.get("float-overflow").variant(4)
    plot = fo.part("float32").extra["plot"]
    h0, w = Fraction(str(fo.params["h0"])), Fraction(str(fo.params["w"]))
    mine = next(s for s in plot.series if s.role == "variant")
    assert [Fraction(str(y)) for y in mine.ys] == [abs(T * h0 * w ** (T - 1)) for T in mine.xs]
    assert {ln.role for ln in plot.lines} == {"float16", "float32"}
    assert max(mine.xs) > int(fo.part("float32").answer)
