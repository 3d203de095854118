"""The solved variants of a quiz as one JSON document, for other tools.

Each entry is ``Variant.to_data()`` (params, parts with exact answers and
steps as data) plus the paper it belongs to (student, question number,
version ID) and, per part, the declaration from family.yaml (marks, answer
type, tolerance, choices), the distractors and any plot data.
"""

from __future__ import annotations

import json

from .. import __version__
from ..steps import to_data
from .common import Item

FORMAT = "gradex-variants/1"


def _float(value):
    """A number's float, a vector's or matrix's floats, or None (an option id)."""
    import sympy as sp

    if isinstance(value, str):
        return None
    if isinstance(value, sp.MatrixBase):
        return [[float(x) for x in value.row(i)] for i in range(value.rows)]
    if isinstance(value, (tuple, list)):
        return [float(x) for x in value]
    return float(value)


def part_meta(part) -> dict:
    s = part.spec
    meta = {"marks": s.marks, "answer_type": s.answer_type, "symbol": s.symbol, "tolerance": s.tolerance,
            "tolerance_mode": "relative"}
    if s.choices:
        meta["choices"] = list(s.choices)
    if part.distractors:
        meta["distractors"] = [{"value": to_data(d.value), "float": _float(d.value), "misconception": d.misconception}
                               for d in part.distractors]
    plot = (part.extra or {}).get("plot")
    if plot is not None:
        meta["plot"] = plot.to_data()
    return meta


def variant_entry(item: Item) -> dict:
    data = item.variant.to_data()
    for pd, part in zip(data["parts"], item.variant.parts):
        pd.update(part_meta(part))
    return {
        "student": item.student,
        "question": item.number,
        "version_id": item.version_id,
        "family_code": item.family.code,
        "fixed": {k: str(v) for k, v in item.fixed.items()},
        **data,
    }


def variants_json(items: list[Item], spec) -> bytes:
    doc = {
        "format": FORMAT,
        "generator": f"gradex {__version__}",
        "seed": spec.seed,
        "lang": spec.lang,
        "digits": spec.digits,
        "families": [fid for fid, _ in spec.families],
        "variants": [variant_entry(i) for i in items],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
