"""The concepts family: item bank, draws, options, both languages."""

from __future__ import annotations

from generator import bank, mcq
from generator.paper import QuizSpec, paper
from generator.render import renderer


def test_item_bank_size_and_languages():
    items = bank.get("concepts").items
    choice = [i for i in items.values() if i["type"] == "choice"]
    text = [i for i in items.values() if i["type"] == "text"]
    assert len(choice) >= 15 and len(text) >= 6
    for it in choice:
        ids = set(it["text"]["en"]["options"])
        assert it["answer"] in ids
        for lang in ("en", "bn"):
            words = it["text"][lang]
            assert set(words["options"]) == ids
            assert set(words["why"]) == ids - {it["answer"]}
            assert len(set(words["options"].values())) == len(ids)
    # Bangla is Bangla: every bn text has Bengali letters
    for it in items.values():
        for key, val in it["text"]["bn"].items():
            vals = val.values() if isinstance(val, dict) else [val]
            assert all(any("\u0980" <= ch <= "\u09ff" for ch in v) for v in vals), (it["id"], key)


def test_concepts_1000_seeds():
    fam = bank.get("concepts")
    items = fam.items
    for seed in range(1000):
        v = fam.variant(seed)
        used = [p.extra["item"] for p in v.parts]
        assert len(set(used)) == len(used)
        for part in v.parts:
            item = items[part.extra["item"]]
            assert item["type"] == part.spec.answer_type
            if part.spec.answer_type != "choice":
                continue
            opts = mcq.asked_options(part, v.seed, "numeric")  # choice parts are always MCQ
            ids = [o.value for o in opts]
            assert sorted(ids) == sorted(item["text"]["en"]["options"])
            assert [o.value for o in opts if o.correct] == [item["answer"]]
            assert all(o.misconception == o.value for o in opts if not o.correct)


def test_no_repeated_items_when_family_repeats_in_a_paper():
    spec = QuizSpec.build(["concepts"] * 2, None, 1, "en", None)
    for student in range(1, 40):
        p = paper(spec, student)
        used = [part.extra["item"] for q in p.questions for part in q.variant.parts]
        assert len(used) == len(set(used))


def test_concepts_renders_in_both_languages():
    from .helpers_html import parse

    spec = QuizSpec.build(["concepts"], None, 3, "both", None)
    p = paper(spec, 1)
    q = p.questions[0]
    items = bank.get("concepts").items
    for kind in ("sheet", "key"):
        html = renderer().document(p, kind, "fonts/")
        root = parse(html)
        text = root.text()
        for part in q.variant.parts:
            words = items[part.extra["item"]]["text"]
            for lang in ("bn", "en"):
                assert words[lang]["stem"].split("$")[0][:25] in text
        if kind == "key":
            for part in q.variant.parts:
                if part.spec.answer_type == "text":
                    for lang in ("bn", "en"):
                        assert items[part.extra["item"]]["text"][lang]["model"].split("$")[0][:30] in text
        assert "দেওয়া আছে" not in text  # hidden parameter: no "Given" line
