"""Exam specs: validation errors name file:line and field (exit 2), examples
generate, regenerate reproduces a spec paper byte for byte."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import bank
from generator.cli import main
from generator.errors import SpecError
from generator.spec import load

SPECS = Path(bank.bank_dir()) / "specs"

GOOD = """\
title: {bn: "কুইজ", en: "Quiz"}
course: "CSE 101"
duration: 20
lang: en
sections:
  - title: "Part A"
    families:
      - id: scalar-rnn
        format: mcq
        params:
          T: [3, 5]
          w: 2
        marks: {gradient: 3}
"""


def write(tmp_path, text, name="exam.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def line_of(text: str, needle: str) -> int:
    return next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)


@pytest.mark.parametrize(
    "old,new,needle,field,words",
    [
        ("duration: 20", "duration: -5", "duration", "duration", "minimum"),
        ("        format: mcq", "        format: essay", "format", "sections[0].families[0].format", "essay"),
        ("      - id: scalar-rnn", "      - id: no-such-family", "no-such-family", "sections[0].families[0].id", "unknown family"),
        ("          w: 2", "          w: 99", "w: 99", "sections[0].families[0].params.w", "range"),
        ("          T: [3, 5]", "          T: [3, 500]", "T: [3, 500]", "sections[0].families[0].params.T", "range"),
        ("          w: 2", "          v: 2", "v: 2", "sections[0].families[0].params.v", "no parameter 'v'"),
        ("        marks: {gradient: 3}", "        marks: {grad: 3}", "marks", "sections[0].families[0].marks.grad", "no part 'grad'"),
        ("        marks: {gradient: 3}", "        parts: [gradient, sgdd]", "parts", "sections[0].families[0].parts[1]", "no part 'sgdd'"),
        ("        marks: {gradient: 3}", "        parts: []", "parts", "sections[0].families[0].parts", "non-empty"),
    ],
)
def test_spec_errors_name_file_line_field(tmp_path, capsys, old, new, needle, field, words):
    assert old in GOOD
    text = GOOD.replace(old, new)
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as err:
        load(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}:{line_of(text, needle)}: {field}:"), msg
    assert words in msg
    # through the CLI: one line, exit 2, no traceback
    with pytest.raises(SystemExit) as exit_:
        main(["generate", "--spec", str(path), "--seed", "1", "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err_text = capsys.readouterr().err
    assert err_text.count("\n") == 1 and f"{path}:{line_of(text, needle)}" in err_text and "Traceback" not in err_text


def test_good_spec_draws_ranges_within_bounds(tmp_path):
    exam = load(write(tmp_path, GOOD))
    from generator.paper import paper

    quiz = exam.quiz(3)
    Ts = set()
    for student in range(1, 25):
        p = paper(quiz, student)
        q = p.questions[0]
        Ts.add(int(q.variant.params["T"]))
        assert q.variant.params["w"] == 2
        assert q.part_marks(q.variant.part("gradient")) == 3
    assert Ts == {3, 4, 5}


def test_parts_ask_only_the_chosen_parts(tmp_path):
    from generator.paper import paper

    text = GOOD.replace("        marks: {gradient: 3}", "        parts: [sgd, gradient]\n        difficulty: 2")
    quiz = load(write(tmp_path, text)).quiz(4)
    p = paper(quiz, 1)
    assert [part.id for part in p.questions[0].variant.parts] == ["gradient", "sgd"]  # the family's order
    assert p.total_marks == sum(part.spec.marks for part in p.questions[0].variant.parts)
    # a difficulty that leaves none of the chosen parts is refused
    with pytest.raises(SpecError, match="among the parts chosen"):
        load(write(tmp_path, text.replace("difficulty: 2", "difficulty: 1").replace("[sgd, gradient]", "[gradient]")))


@pytest.mark.parametrize("name", ["quiz-20min.yaml", "midterm.yaml"])
def test_example_specs_generate_and_regenerate(tmp_path, name):
    from .helpers_html import parse

    spec = SPECS / name
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--seed", "2026", "--students", "2", "--out", str(out)]) == 0
    sheet = (out / "student-02-sheet.html").read_text(encoding="utf-8")
    root = parse(sheet)
    exam = load(spec)
    h1 = next(root.find_all("h1")).text()
    assert h1 == exam.text("title", exam.lang if exam.lang != "both" else "bn")
    assert str(exam.duration) in sheet.translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789"))
    vid = next(root.find_all("span", "vid")).text()
    again = tmp_path / "again"
    assert main(["regenerate", vid, "--spec", str(spec), "--out", str(again)]) == 0
    for kind in ("sheet", "key"):
        assert (again / f"{vid}-{kind}.html").read_bytes() == (out / f"student-02-{kind}.html").read_bytes()


def test_regenerate_refuses_other_spec(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(SPECS / "quiz-20min.yaml"), "--seed", "5", "--out", str(out)]) == 0
    from .helpers_html import parse

    vid = next(parse((out / "student-01-sheet.html").read_text(encoding="utf-8")).find_all("span", "vid")).text()
    edited = write(tmp_path, (SPECS / "quiz-20min.yaml").read_text(encoding="utf-8").replace("duration: 20", "duration: 25"))
    for args in (["--spec", str(edited)], []):
        with pytest.raises(SystemExit) as exit_:
            main(["regenerate", vid, *args, "--out", str(tmp_path / "x")])
        assert exit_.value.code == 2
        assert "spec" in capsys.readouterr().err
    # layout and comments do not change the hash
    relaid = write(tmp_path, "# a comment\n" + (SPECS / "quiz-20min.yaml").read_text(encoding="utf-8"), "relaid.yaml")
    assert main(["regenerate", vid, "--spec", str(relaid), "--out", str(tmp_path / "y")]) == 0
