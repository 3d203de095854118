"""concepts: items drawn from items.yaml.

draw(rng) picks one hidden number ``pick``; solve() turns it into four
multiple-choice items and two short-answer items, all different, in a fixed
order of part ids. A choice part's answer is the correct option id and its
distractors are the other option ids (the reason each is wrong is in
items.yaml, under ``why``); a text part's answer is the item id of its model
answer. There are no steps: the words are the answer.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from generator import bank
from generator.errors import BankError
from generator.model import Distractor, Part

CHOICE_PARTS = ("mcq1", "mcq2", "mcq3", "mcq4")
TEXT_PARTS = ("short1", "short2")


def draw(rng) -> dict[str, Fraction]:
    return {"pick": Fraction(rng.randrange(1_000_000_000))}


def _option_ids(item: dict) -> list[str]:
    """Option ids, the same in every language (checked here, once per item)."""
    langs = item["text"]
    ids = sorted(langs["en"]["options"])
    for lang, words in langs.items():
        if sorted(words["options"]) != ids:
            raise BankError(f"concepts item '{item['id']}': options differ between en and {lang}")
        wrong = sorted(o for o in ids if o != item["answer"])
        if sorted(words["why"]) != wrong:
            raise BankError(f"concepts item '{item['id']}' ({lang}): 'why' must explain exactly the wrong options {wrong}")
    if item["answer"] not in ids:
        raise BankError(f"concepts item '{item['id']}': answer '{item['answer']}' is not an option")
    return ids


def solve(p: dict[str, Any]) -> list[Part]:
    items = bank.get("concepts").items
    choice = sorted(i for i, it in items.items() if it["type"] == "choice")
    text = sorted(i for i, it in items.items() if it["type"] == "text")
    rng = random.Random(f"gradex/concepts/{int(p['pick'])}")
    parts = []
    for part_id, item_id in zip(CHOICE_PARTS, rng.sample(choice, len(CHOICE_PARTS))):
        item = items[item_id]
        ids = _option_ids(item)
        wrong = [Distractor(o, o) for o in ids if o != item["answer"]]
        parts.append(Part(part_id, item["answer"], [], extra={"item": item_id}, distractors=wrong))
    for part_id, item_id in zip(TEXT_PARTS, rng.sample(text, len(TEXT_PARTS))):
        parts.append(Part(part_id, item_id, [], extra={"item": item_id}))
    return parts
