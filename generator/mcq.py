"""Multiple choice: which parts are asked as MCQ, and their options.

Generic over families. A numeric part may be asked as multiple choice when its
family declares ``mcq: true`` for it in ``family.yaml`` and the solver gave it
``distractors`` (each a wrong value from a named misconception, see
``generator.model.Distractor``). A ``choice`` part (an item whose answer is an
option id) is always multiple choice.

Options are the answer plus the distractors that survive :func:`clean`
(distractors equal to the answer or to an earlier distractor are dropped, in
the solver's order, so the result is deterministic); with fewer than
``MIN_DISTRACTORS`` left the part is asked as a numeric question instead. The
options are shuffled with ``random.Random`` seeded by a string made of the
variant seed and the part id: the same paper always shows the same order, and
different students (different variant seeds) see different orders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

MIN_DISTRACTORS = 2
FORMATS = ("numeric", "mcq")


@dataclass(frozen=True)
class Option:
    value: Any  # a number, or an option id for a choice part
    correct: bool
    misconception: str | None = None  # for a wrong option: why it is wrong


def clean(answer, distractors) -> list:
    """The distractors that differ from the answer and from each other."""
    from .steps import same

    kept: list = []
    for d in distractors:
        if same(d.value, answer) or any(same(d.value, k.value) for k in kept):
            continue
        kept.append(d)
    return kept


def shuffle_seed(variant_seed: int, part_id: str) -> str:
    return f"gradex/mcq/{int(variant_seed)}/{part_id}"


def options(part, variant_seed: int) -> list[Option] | None:
    """The shuffled options of ``part``, or None when it cannot be asked as MCQ."""
    kept = clean(part.answer, part.distractors)
    if len(kept) < MIN_DISTRACTORS:
        return None
    opts = [Option(part.answer, True)] + [Option(d.value, False, d.misconception) for d in kept]
    random.Random(shuffle_seed(variant_seed, part.id)).shuffle(opts)
    return opts


def asked_options(part, variant_seed: int, fmt: str) -> list[Option] | None:
    """Options if ``part`` is asked as multiple choice in a paper of format ``fmt``."""
    spec = part.spec
    if spec is not None and spec.answer_type == "choice":
        return options(part, variant_seed)
    if fmt == "mcq" and spec is not None and spec.mcq and spec.answer_type == "numeric":
        return options(part, variant_seed)
    return None


def correct_index(opts: list[Option]) -> int:
    return next(i for i, o in enumerate(opts) if o.correct)
