"""PDF export: real PDFs written by WeasyPrint, read back with pypdf and
rendered to PNG with pdftoppm.

Lean on purpose (a PDF page costs ~0.3 s): one class of two one-question
papers (written by the worker pool, as the CLI does) and two papers rendered
in this process.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pdf
from generator.build import generate
from generator.paper import QuizSpec, paper

DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "bn-key-page1.png"
# Fixed values, so the reference image does not move with the solver's draws.
FIXED = {"scalar-rnn": {"h0": "1", "w": "3/2", "T": "4", "eta": "1/50", "c": "5"}}
BAD_WARNINGS = re.compile(r"relative uri reference without a base uri|\.notdef|ignored|font", re.I)


def spec(lang: str, seed: int = 11) -> QuizSpec:
    return QuizSpec.build(["scalar-rnn"], FIXED, seed, lang, None)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_checked(p, kind) -> tuple[bytes, int]:
    """Render in this process; WeasyPrint warnings about fonts/URLs fail the test."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        data, pages = pdf.render_pdf(p, kind)
    finally:
        logger.removeHandler(handler)
    bad = [m for m in handler.messages if BAD_WARNINGS.search(m)]
    assert not bad, f"WeasyPrint warned: {bad}"
    return data, pages


def fonts_of(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


def page_numbers(reader: PdfReader, version_id: str) -> list[int]:
    """The page number printed after the version ID in each page's footer."""
    bangla = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
    out = []
    for page in reader.pages:
        m = re.search(re.escape(version_id) + r"\s*([0-9০-৯]+)", page.extract_text())
        assert m, f"no version ID + page number on a page of {version_id}"
        out.append(int(m.group(1).translate(bangla)))
    return out


@pytest.fixture(scope="module")
def bn_key():
    return render_checked(paper(spec("bn"), 1), "key")


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("class")
    seen = []
    generate(spec("bn"), 2, out, ("pdf",), on_paper=seen.append)
    assert seen == [1, 2]
    return out


def test_english_sheet_text_fonts_and_version_id():
    p = paper(spec("en"), 1)
    data, pages = render_checked(p, "sheet")
    reader = PdfReader(__import__("io").BytesIO(data))
    assert len(reader.pages) == pages >= 1
    text = "\n".join(pg.extract_text() for pg in reader.pages)
    assert "Question 1" in text and "Name" in text and "Roll" in text
    assert page_numbers(reader, p.version_id) == list(range(1, pages + 1))
    assert "Gradex-Latin" in fonts_of(reader)


def test_bangla_key_embeds_bundled_fonts(bn_key):
    reader = PdfReader(__import__("io").BytesIO(bn_key[0]))
    assert {"Gradex-Bengali", "Gradex-Latin"} <= fonts_of(reader)
    vid = paper(spec("bn"), 1).version_id
    assert page_numbers(reader, vid) == list(range(1, len(reader.pages) + 1))  # Bangla digits


def test_class_files_and_per_paper_numbering(class_dir):
    for kind, name in (("sheet", "class-sheets.pdf"), ("key", "class-keys.pdf")):
        merged = PdfReader(str(class_dir / name), strict=True)
        expected = []
        for k in (1, 2):
            single = PdfReader(str(class_dir / f"student-{k:02d}-{kind}.pdf"))
            nums = page_numbers(single, paper(spec("bn"), k).version_id)
            assert nums == list(range(1, len(single.pages) + 1))
            expected += [(paper(spec("bn"), k).version_id, n) for n in nums]
        assert len(merged.pages) == len(expected)
        for page, (vid, n) in zip(merged.pages, expected):
            assert re.search(re.escape(vid) + r"\s*" + "০১২৩৪৫৬৭৮৯"[n], page.extract_text())
    assert not [p for p in class_dir.iterdir() if p.name.startswith(".")]  # no temp files left


def test_class_file_is_reproducible(class_dir, tmp_path):
    from generator.batch import ClassPdf

    again = ClassPdf(tmp_path / "again.pdf")
    for k in (1, 2):
        again.add(class_dir / f"student-{k:02d}-key.pdf")
    assert again.close().read_bytes() == (class_dir / "class-keys.pdf").read_bytes()


def test_same_seed_gives_identical_bytes_across_processes(class_dir, bn_key):
    # The class was rendered in worker processes; bn_key here. Same paper -> same bytes.
    assert (class_dir / "student-01-key.pdf").read_bytes() == bn_key[0]


def test_renders_identically_without_system_fonts(tmp_path, bn_key):
    """A fontconfig that knows no font directory: the bundled fonts must suffice."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n")
    out = tmp_path / "key.pdf"
    code = (
        "import sys; from generator import pdf; from generator.paper import paper; "
        "from tests.test_pdf import spec; "
        "open(sys.argv[1], 'wb').write(pdf.render_pdf(paper(spec('bn'), 1), 'key')[0])"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    res = subprocess.run([sys.executable, "-c", code, str(out)], env=env, capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert res.returncode == 0, res.stderr
    assert ".notdef" not in res.stderr
    assert out.read_bytes() == bn_key[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_bangla_page_matches_reference_image(tmp_path, bn_key):
    from PIL import Image, ImageChops, ImageStat

    src = tmp_path / "key.pdf"
    src.write_bytes(bn_key[0])
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(src), str(tmp_path / "page")], check=True)
    got = Image.open(tmp_path / "page.png").convert("L")
    if os.environ.get("GRADEX_UPDATE_REFERENCE"):
        DATA.mkdir(exist_ok=True)
        got.save(REFERENCE, optimize=True)
    ref = Image.open(REFERENCE).convert("L")
    assert got.size == ref.size
    diff = ImageStat.Stat(ImageChops.difference(got, ref)).mean[0]
    assert diff < 1.5, f"page 1 differs from {REFERENCE.name}: mean abs difference {diff:.2f}/255"
