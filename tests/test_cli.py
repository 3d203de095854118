"""The CLI contract and its errors (one line on stderr, exit 2, nothing written)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from .conftest import frac, run_process
from .test_scalar_rnn import oracle


def test_families_lists_ids_and_titles(gradex):
    r = gradex("families")
    assert r.code == 0
    from generator import bank

    for fam in bank.families().values():
        line = next(l for l in r.out.splitlines() if l.startswith(fam.id))
        assert fam.title["en"] in line


def test_solve_json_contract_and_note_001_example(gradex):
    r = gradex("solve", "scalar-rnn", "--set", "h0=1", "--set", "w=2", "--set", "T=5", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert set(data) == {"family", "seed", "params", "parts"}
    assert data["family"] == "scalar-rnn"
    assert isinstance(data["seed"], int)
    assert all(isinstance(v, str) for v in data["params"].values())
    p = {k: Fraction(v) for k, v in data["params"].items()}
    o = oracle(p["h0"], p["w"], int(p["T"]), p["eta"], p["c"])
    parts = {part["id"]: part for part in data["parts"]}
    assert list(parts) == ["forward", "gradient", "regime", "sgd", "clip"]
    for part in data["parts"]:
        assert set(part) >= {"id", "answer", "steps"}
        assert isinstance(part["answer"]["exact"], str)
        assert isinstance(part["answer"]["float"], float)
        assert all("kind" in s for s in part["steps"])
    grad = parts["gradient"]
    assert Fraction(grad["answer"]["exact"]) == o["gradient"]
    assert grad["answer"]["float"] == float(o["gradient"])
    terms = [Fraction(s["result"]) for s in grad["steps"] if s["kind"] == "bptt_term"]
    assert terms == o["terms"] and len(terms) == 5
    assert len(set(terms)) == 1  # h_{t-1} w^{T-t} = h0 w^{T-1} for every t
    assert parts["regime"]["answer"]["exact"] == o["regime"]


def test_values_accept_integers_decimals_fractions(gradex):
    a = json.loads(gradex("solve", "scalar-rnn", "--seed", "3", "--set", "w=0.5", "--set", "eta=1/100", "--json").out)
    b = json.loads(gradex("solve", "scalar-rnn", "--seed", "3", "--set", "w=1/2", "--set", "eta=0.01", "--json").out)
    assert a == b
    assert a["params"]["w"] == "1/2"


def test_seed_is_reproducible_and_reported(gradex):
    a = gradex("solve", "scalar-rnn", "--seed", "77", "--json")
    b = gradex("solve", "scalar-rnn", "--seed", "77", "--json")
    assert a.out == b.out
    r = gradex("solve", "scalar-rnn", "--json")
    assert r.code == 0 and "seed" in r.err
    assert json.loads(r.out)["seed"] == int(r.err.split("seed")[1].split()[0])


def test_plain_solve_prints_answers(gradex):
    r = gradex("solve", "scalar-rnn", "--seed", "1")
    assert r.code == 0
    for part in ("forward", "gradient", "regime", "sgd", "clip"):
        assert f"[{part}] answer:" in r.out


BAD = [
    (["solve", "no-such-family"], "unknown family"),
    (["solve", "scalar-rnn", "--set", "T=0"], "T=0"),
    (["solve", "scalar-rnn", "--set", "T=-3"], "T=-3"),
    (["solve", "scalar-rnn", "--set", "T=2.5"], "integer"),
    (["solve", "scalar-rnn", "--set", "w=abc"], "not a number"),
    (["solve", "scalar-rnn", "--set", "c=0"], "c=0"),
    (["solve", "scalar-rnn", "--set", "w=1/0"], "division by zero"),
    (["solve", "scalar-rnn", "--set", "w=11"], "w=11"),
    (["solve", "scalar-rnn", "--set", "zeta=1"], "no parameter 'zeta'"),
    (["solve", "scalar-rnn", "--set", "w"], "NAME=VALUE"),
    (["solve", "scalar-rnn", "--bogus"], "--bogus"),
    (["solve", "scalar-rnn", "--seed", "-1"], "seed"),
    (["frobnicate"], "frobnicate"),
    (["generate", "--family", "nope"], "unknown family"),
    (["generate", "--lang", "fr"], "fr"),
    (["generate", "--digits", "roman"], "roman"),
    (["generate", "--students", "0"], "students"),
    (["generate", "--set", "T=0"], "T=0"),
    (["generate", "--set", "nothing=1"], "nothing"),
    (["regenerate", "ZZZZ-ZZZZ"], "version ID"),
]


@pytest.mark.parametrize("args,needle", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_nothing_written(gradex, tmp_path, args, needle):
    out = tmp_path / "out"
    if args[0] in ("generate", "regenerate"):
        args = args + ["--out", str(out)]
    r = gradex(*args)
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert lines[0].startswith("gradex: error:")
    assert needle.lower() in lines[0].lower()
    assert "Traceback" not in r.err
    assert r.out == ""
    assert not out.exists()


def test_errors_from_a_fresh_process_have_no_traceback():
    r = run_process("solve", "scalar-rnn", "--set", "w=abc")
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "Traceback" not in r.err


def test_generate_refuses_non_empty_output_without_force(gradex, tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "keep.txt").write_text("teacher's file")
    r = gradex("generate", "--seed", "1", "--out", str(out))
    assert r.code == 1 and "--force" in r.err and len(r.err.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    r = gradex("generate", "--seed", "1", "--out", str(out), "--force")
    assert r.code == 0
    assert (out / "keep.txt").read_text() == "teacher's file"
    assert (out / "student-01-sheet.html").is_file()


def test_generate_writes_sheet_and_key_per_student(gradex, tmp_path):
    out = tmp_path / "class"
    r = gradex("generate", "--students", "3", "--seed", "9", "--lang", "en", "--out", str(out))
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["fonts"] + [f"student-0{k}-{kind}.html" for k in (1, 2, 3) for kind in ("key", "sheet")]
    assert not [p for p in out.rglob("*.tmp")]
    sheets = [(out / f"student-0{k}-sheet.html").read_text() for k in (1, 2, 3)]
    assert len(set(sheets)) == 3  # one variant per student


def test_generate_set_fixes_a_parameter_for_every_paper(gradex, tmp_path):
    out = tmp_path / "o"
    r = gradex("generate", "--students", "2", "--seed", "4", "--set", "scalar-rnn:T=4", "--set", "w=3/2",
               "--lang", "en", "--out", str(out))
    assert r.code == 0, r.err
    from generator.paper import from_version_id, paper
    import re

    for k in (1, 2):
        html = (out / f"student-0{k}-key.html").read_text()
        vid = re.search(r'class="vid">([0-9A-Z-]+)<', html).group(1)
        spec, student = from_version_id(vid)
        v = paper(spec, student).questions[0].variant
        assert frac(v.params["T"]) == 4 and frac(v.params["w"]) == Fraction(3, 2)
