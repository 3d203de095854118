"""Version IDs: round trip, typo detection, and regenerate reproduces the paper."""

from __future__ import annotations

import re

import pytest

from generator import versionid
from generator.errors import VersionIdError
from generator.paper import QuizSpec, from_version_id, paper, version_id


@pytest.mark.parametrize("seed", [0, 1, 2026, 999_999, 2**40 + 7])
@pytest.mark.parametrize("lang,digits", [("bn", None), ("en", "latin"), ("both", "bangla")])
def test_round_trip(seed, lang, digits):
    fams = [(1, ""), (1, "T=4;w=3/2")]
    vid = versionid.encode(seed, 17, fams, lang, digits)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{1,4}(-[0-9A-HJKMNP-TV-Z]{1,4})*", vid)
    decoded = versionid.decode(vid)
    assert {k: decoded[k] for k in ("seed", "student", "families", "lang", "digits")} == \
        {"seed": seed, "student": 17, "families": fams, "lang": lang, "digits": digits}
    assert versionid.decode(vid.lower().replace("-", "")) == versionid.decode(vid)


def test_short_for_a_plain_quiz():
    vid = version_id(QuizSpec.build(["scalar-rnn"], {}, 2026, "both", None), 12)
    assert len(vid.replace("-", "")) <= 14


def test_single_typos_are_caught():
    vid = versionid.encode(2026, 3, [(1, "")], "bn", None)
    body = vid.replace("-", "")
    caught = 0
    for i in range(len(body)):
        for ch in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if ch == body[i]:
                continue
            typo = body[:i] + ch + body[i + 1 :]
            try:
                versionid.decode(typo)
            except VersionIdError:
                caught += 1
    total = len(body) * 31
    assert caught / total > 0.95


@pytest.mark.parametrize("bad", ["", "!!!!", "ABCD-EFGH", "0000-0000-0000", "U" * 10])
def test_garbage_is_a_clear_error(bad):
    with pytest.raises(VersionIdError):
        versionid.decode(bad)


def test_regenerate_writes_the_same_paper_and_key(gradex, tmp_path):
    assert gradex("generate", "--students", "3", "--seed", "55", "--set", "T=4", "--lang", "bn",
                  "--digits", "latin", "--out", str(tmp_path / "class")).code == 0
    html = (tmp_path / "class" / "student-02-key.html").read_text()
    vid = re.search(r'class="vid">([0-9A-Z-]+)<', html).group(1)
    r = gradex("regenerate", vid.lower(), "--out", str(tmp_path / "again"))
    assert r.code == 0, r.err
    for kind in ("sheet", "key"):
        assert (tmp_path / "again" / f"{vid}-{kind}.html").read_bytes() == \
            (tmp_path / "class" / f"student-02-{kind}.html").read_bytes()


def test_from_version_id_restores_spec():
    spec = QuizSpec.build(["scalar-rnn"], {"scalar-rnn": {"w": "0.5"}}, 8, "en", "latin")
    vid = paper(spec, 4).version_id
    assert from_version_id(vid) == (spec, 4)
