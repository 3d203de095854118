"""Exporters of a whole quiz for other tools: Moodle XML (``moodle``), a QTI
2.1 content package (``qti``) and the solved variants as JSON (``json``).

Every exporter reads the same declaration (``family.yaml`` parts: answer type,
tolerance, marks; ``Part.distractors`` for multiple choice), so a family added
later is exported without touching this package.
"""

from __future__ import annotations

EXPORT_FORMATS = ("moodle", "qti", "json")
FILENAMES = {"moodle": "gradex-moodle.xml", "qti": "gradex-qti.zip", "json": "gradex-variants.json"}


def export(spec, students: int, fmt: str, on_paper=None) -> bytes:
    """The whole export of ``fmt`` as bytes (one file)."""
    from .common import collect

    items = collect(spec, students, on_paper)
    if fmt == "moodle":
        from .moodle import moodle_xml

        return moodle_xml(items, spec)
    if fmt == "qti":
        from .qti import qti_package

        return qti_package(items, spec)
    if fmt == "json":
        from .jsonout import variants_json

        return variants_json(items, spec)
    raise ValueError(f"unknown export format {fmt!r}")
