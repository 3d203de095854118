"""Hostile inputs (issue 5, item 4): bank texts, output paths, version IDs.

Each one must end as one clear line on stderr (no traceback) or as harmless,
escaped output: no template code runs, no file outside the bank is read,
nothing is written where it should not be.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from generator import bank, paper, versionid
from generator.errors import BankError, GradexError
from .guard_util import one_line_error, run, temp_bank  # noqa: F401

STEM_EN = "      $L = h_T$.\n"

# Template code in a question text: refused when the bank is loaded.
CODE = [
    "{{ ''.__class__.__mro__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}",
    "{% import '../../../etc/passwd' as x %}",
    "{{ p.__class__ }}",
    "{{ p.w.__class__.__base__ }}",
    "{{ p.w|attr('__class__') }}",
    "{{ lipsum() }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ p.w",
]


@pytest.mark.parametrize("payload", CODE)
def test_template_code_in_bank_text_is_refused(temp_bank, capsys, tmp_path, payload):
    temp_bank.replace(STEM_EN, f"      $L = h_T$. {payload}\n")
    code, out, err = run(capsys, "generate", "--seed", "1", "--lang", "en", "--out", tmp_path / "o")
    msg = one_line_error(err)
    assert code == 1 and out == ""
    line = temp_bank.line_of("    stem: >-")
    assert f"family.yaml:{line}: text.en.stem: " in msg
    assert "placeholders are allowed" in msg or "not a valid template" in msg
    assert "root:" not in msg  # nothing of /etc/passwd
    assert not (tmp_path / "o").exists()


def test_a_100000_character_text_is_refused_in_one_short_line(temp_bank, capsys):
    temp_bank.replace(STEM_EN, "      $L = h_T$. " + "ক" * 100_000 + "\n")
    code, _, err = run(capsys, "families")
    msg = one_line_error(err)
    assert code == 1 and re.search(r"family.yaml:\d+: text.en.stem: too long: 1001\d\d characters \(at most 5000\)", msg)
    assert len(msg) < 300


def test_html_in_bank_texts_is_escaped(temp_bank, capsys, tmp_path):
    """Markup in prose, in a part, in a verdict and in a symbol: shown as text."""
    script = "<script>alert(1)</script>"
    img = "<img src=x onerror='alert(2)'>"
    temp_bank.replace(STEM_EN, f"      $L = h_T$. {script} &amp; {img}\n")
    temp_bank.replace('forward: "Run the forward pass:', f'forward: "{script.replace("1", "3")} Run the forward pass:')
    temp_bank.replace('exploding: "the gradient explodes"', f'exploding: "the gradient explodes {img.replace("2", "4")}"')
    temp_bank.replace('      neither: "the gradient neither', f'      neither: "{script} the gradient neither')
    temp_bank.replace('  L: "L"', '  L: "L <script>alert(5)</script>"')
    out_dir = tmp_path / "o"
    # seed 3: the regime part's answer is "exploding", so its words are printed
    code, _, err = run(capsys, "generate", "--seed", "3", "--set", "w=2", "--lang", "en", "--out", out_dir)
    assert code == 0, err
    sheet = (out_dir / "student-01-sheet.html").read_text(encoding="utf-8")
    key = (out_dir / "student-01-key.html").read_text(encoding="utf-8")
    for html in (sheet, key):
        assert "<script" not in html.lower()
        # the only images are gradex's own plots, as data: URIs
        for tag in re.findall(r"<img\b[^>]*>", html, flags=re.I):
            assert re.fullmatch(r'<img alt="" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+">', tag), tag[:80]
        assert not re.search(r"<[^>]*onerror", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &lt;img src=x onerror=" in sheet
    assert "&lt;script&gt;alert(3)&lt;/script&gt; Run the forward pass" in sheet
    assert "the gradient explodes &lt;img src=x onerror=" in key


def test_renderer_sandbox_is_the_second_wall():
    """Texts that bypass the load-time check (as a future spec text could) are
    still rendered in the sandbox: attribute tricks and includes fail with a
    one-line BankError, never run, never read a file."""
    from generator.render import renderer

    fam = bank.get("scalar-rnn")
    r = renderer()
    c = r.ctx(fam, "en", None)
    variant = fam.variant(1)
    for text in ("{{ ''.__class__.__mro__ }}", "{{ p.__class__.__init__.__globals__ }}",
                 "{% include '/etc/passwd' %}", "{% from '/etc/passwd' import x %}", "$x = {{ p.q }}$", "$open"):
        with pytest.raises(BankError) as info:
            r.rich(text, c, variant)
        assert "family.yaml: text.en: cannot render" in str(info.value)
        assert "root:x:" not in str(info.value)
    assert str(r.rich("<b>{{ p.w }}</b>", c, variant)).startswith("&lt;b&gt;")


# --- output paths ------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["relative", "absolute", "below-a-file"])
def test_etc_passwd_as_output_is_refused(capsys, tmp_path, monkeypatch, kind):
    before = _digest(Path("/etc/passwd"))
    monkeypatch.chdir(tmp_path)
    out = {
        "relative": "../" * len(tmp_path.parts) + "etc/passwd",
        "absolute": "/etc/passwd",
        "below-a-file": "../" * len(tmp_path.parts) + "etc/passwd/../../x",
    }[kind]
    code, _, err = run(capsys, "generate", "--seed", "1", "--lang", "en", "--out", out)
    msg = one_line_error(err)
    assert code in (1, 2)  # click refuses a file as --out (2); a path below a file fails to mkdir (1)
    assert re.search(r"is a file|is not a directory|cannot create output directory", msg), msg
    assert _digest(Path("/etc/passwd")) == before
    assert not list(Path("/etc").glob(".passwd*.tmp"))


# --- version IDs -----------------------------------------------------------------

GARBAGE_IDS = [
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "{{ ''.__class__.__mro__ }}",
    "0000-0000-0000",
    "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
    "x" * 100_000,
    "",
    "\x00\x01",
]


@pytest.mark.parametrize("text", GARBAGE_IDS, ids=range(len(GARBAGE_IDS)))
def test_garbage_version_id_is_one_line(capsys, tmp_path, text):
    code, _, err = run(capsys, "regenerate", text, "--out", tmp_path / "o")
    msg = one_line_error(err)
    assert code == 2 and len(msg) <= 320
    assert "version ID" in msg
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "families,words",
    [
        ([(1, "T=999")], "T=999: must be an integer from 1 to 60"),
        ([(1, "w")], "version ID is malformed"),
        ([(9999, "")], "no family has code 9999"),
        ([(1, "")] * 25, "a paper holds 1 to 20 questions, not 25"),
        ([(1, "h0=" + "9" * 60)], "h0: value is 60 characters long (at most 40)"),
        ([], "a paper holds 1 to 20 questions, not 0"),
    ],
)
def test_well_formed_id_with_hostile_content(capsys, tmp_path, families, words):
    vid = versionid.encode(5, 1, families, "en", None)
    code, _, err = run(capsys, "regenerate", vid, "--out", tmp_path / "o")
    msg = one_line_error(err)
    assert code == 2 and words in msg, msg


def test_random_version_ids_never_crash():
    """3000 random strings over the ID alphabet (1 in 32 passes the check
    character): decoding raises only gradex errors, never anything else."""
    rng = random.Random(2026)
    passed_check = 0
    for _ in range(3000):
        text = "".join(rng.choice(versionid.ALPHABET) for _ in range(rng.randint(4, 30)))
        try:
            paper.from_version_id(text)
        except GradexError as exc:
            passed_check += "check character" not in str(exc)
    assert passed_check > 50  # the fuzz reached the decoder behind the check
