"""gradex stress: the report's figures against an independent count, the hard
rules on a deliberately broken family, and the CLI's exit status."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from fractions import Fraction

import pytest

from generator import bank, cli
from generator.stress import Finding, StressReport, stress

N = 200


@pytest.fixture(scope="module")
def scalar_report():
    return stress(bank.get("scalar-rnn"), n=N, seed=0)


def _independent(fam):
    """Count regimes, clipping, duplicates and big denominators from the drawn
    parameters alone, with Fractions (no solver values)."""
    regimes, triggered, seen = Counter(), Counter(), set()
    dups = 0
    big_den = 0
    for s in range(N):
        p = {k: Fraction(int(v.p), int(v.q)) for k, v in fam.variant(s).params.items()}
        h0, w, T, eta, c = p["h0"], p["w"], int(p["T"]), p["eta"], p["c"]
        key = tuple(sorted(p.items()))
        dups += key in seen
        seen.add(key)
        regimes["exploding" if abs(w) > 1 else "vanishing" if abs(w) < 1 else "neither"] += 1
        g = T * h0 * w ** (T - 1)
        trig = abs(g) > c
        triggered[trig] += 1
        g_clip = g * c / abs(g) if trig else g
        answers = [h0 * w**T, g, w - eta * g, w - eta * g_clip]
        big_den += sum(1 for x in answers if x.denominator > 1000)
    return regimes, triggered, dups, big_den


def test_scalar_rnn_passes_and_counts_match(scalar_report):
    r = scalar_report
    assert r.failures() == [], r.table()
    assert r.solved == N and r.solve_errors.count == 0
    regimes, triggered, dups, big_den = _independent(bank.get("scalar-rnn"))
    assert r.counts["regime"] == regimes
    assert r.counts["clip.triggered"] == triggered
    assert r.duplicates.count == dups
    assert r.unworkable.get("denominator > 1000", Finding()).count == big_den
    assert r.balanced == ["regime"]
    # the regime split is what the tuning promised: near 50/50
    assert min(regimes.values()) / N >= 0.4
    assert r.steps_checked > 10 * N and r.step_failures.count == 0
    table = r.table()
    assert "regime" in table and "hard rules: all pass" in table


def test_spread_matches_fractions(scalar_report):
    fam = bank.get("scalar-rnn")
    mags = []
    for s in range(N):
        p = {k: Fraction(int(v.p), int(v.q)) for k, v in fam.variant(s).params.items()}
        mags.append(abs(p["h0"] * p["w"] ** int(p["T"])))
    fwd = next(s for s in scalar_report.spreads if s.part == "forward")
    assert fwd.count == N
    assert fwd.min_abs == float(min(mags)) and fwd.max_abs == float(max(mags))
    assert fwd.non_integer == sum(1 for m in mags if m.denominator != 1) / N


BROKEN_YAML = """\
id: broken
code: 999
title: {en: "Broken", bn: "ভাঙা"}
params:
  a: {type: integer, min: 1, max: 5}
symbols: {v: "v"}
parts:
  - id: value
    symbol: v
    answer: {type: numeric, tolerance: 1.0e-9}
  - id: kind
    answer: {type: verdict, choices: [exploding, vanishing]}
text:
  en: {stem: "x", parts: {value: "x", kind: "x"}, verdict: {exploding: "x", vanishing: "x"}}
  bn: {stem: "x", parts: {value: "x", kind: "x"}, verdict: {exploding: "x", vanishing: "x"}}
"""

BROKEN_SOLVER = '''\
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from generator.model import Distractor, Part
from generator.steps import Step


def draw(rng):
    return {"a": Fraction(rng.randint(1, 5))}


@dataclass(frozen=True)
class Double(Step):
    a: Any
    result: Any

    def eval(self):
        return 2 * self.a


def solve(p):
    a = p["a"]
    if a == 5:
        raise ZeroDivisionError("boom")
    ans = 2 * a
    return [
        Part("value", ans, [Double(a=a, result=ans + 1)],
             distractors=[Distractor(ans, "same-as-answer"), Distractor(ans + 1, "x"), Distractor(ans + 1, "y")]),
        Part("kind", "exploding", [], basis=a),
    ]
'''


@pytest.fixture
def broken_family(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "family.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    (folder / "solver.py").write_text(BROKEN_SOLVER, encoding="utf-8")
    return bank._load_family(folder)


def test_broken_family_fails_every_rule(broken_family):
    r = stress(broken_family, n=30)
    fails = r.failures()
    text = "\n".join(fails)
    assert any("solve failed" in f and "ZeroDivisionError: boom" in f for f in fails), text
    assert any("fail check()" in f and "step double" in f for f in fails), text
    assert any("MCQ option" in f and "same-as-answer" in f for f in fails), text
    assert any("unbalanced kind: all" in f and "exploding" in f for f in fails), text
    assert len(fails) == 4 and all("\n" not in f for f in fails)
    # x and y are equal to each other, same-as-answer equals the answer: 2 per variant
    assert r.options.count == 2 * r.solved


def test_cli_exits_1_with_one_line_per_rule(broken_family, monkeypatch, capsys):
    monkeypatch.setattr(bank, "get", lambda fid: broken_family)
    with pytest.raises(SystemExit) as exc:
        cli.main(["stress", "broken", "--n", "20"])
    assert exc.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert sum(line.startswith("gradex: stress: FAIL broken:") for line in err) == 4
    assert err[-1] == "gradex: error: stress broken: 4 hard rule(s) failed"
    assert "Traceback" not in "\n".join(err)


def test_timing_and_split_rules():
    r = StressReport(family="f", n=20, seed=0, balanced=["regime"])
    r.times = [0.01] * 18 + [0.9, 0.9]
    r.counts = {"regime": Counter({"exploding": 17, "vanishing": 3})}
    fails = r.failures()
    assert any("p95 0.900 s is over 0.5 s" in f for f in fails)
    assert any("unbalanced regime: vanishing in only 3 of 20" in f for f in fails)
    r.times = [0.01] * 20
    r.counts = {"regime": Counter({"exploding": 16, "vanishing": 4})}  # 20/80 is the limit
    assert r.failures() == []


def test_cli_scalar_rnn_exit_0():
    out = subprocess.run(
        [sys.executable, "-m", "generator", "stress", "scalar-rnn", "--n", "30", "--seed", "100"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "30 variants (seeds 100..129)" in out.stdout
    assert "hard rules: all pass" in out.stdout
    assert out.stderr == ""
