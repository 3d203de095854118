"""Plots in answer keys, as data.

A solver puts a :class:`GrowthPlot` into a part's ``extra["plot"]``: exact
series of (x, y) points, horizontal reference lines, and *keys* for the words
(axis names, series roles). It never holds sentences or styles. ``svg()``
draws it with matplotlib (imported only here, only when a plot is drawn) in
the paper's language: the words come from ``templates/plot/<lang>.yaml``, then
from the family's ``text.<lang>.plot`` (which may add or override keys).

The SVG is deterministic (fixed hash salt, no date) and carries its text as
paths (``svg.fonttype = 'path'``), so it needs no fonts wherever it is shown:
Chromium, WeasyPrint PDFs, Moodle, a QTI package.

Any family adds a plot by returning the same data; nothing here knows about a
family.
"""

from __future__ import annotations

import base64
import io
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .bank import fonts_dir, templates_dir
from .validate import fast_load

ROLES = ("variant", "exploding", "vanishing")
_STYLE = {  # role -> matplotlib style; the variant is the strong line
    "variant": {"color": "#1f4e9c", "linewidth": 2.2, "marker": "o", "markersize": 2.4, "zorder": 3},
    "exploding": {"color": "#c0392b", "linewidth": 1.2, "linestyle": "--"},
    "vanishing": {"color": "#2e8b57", "linewidth": 1.2, "linestyle": "-."},
}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Series:
    """One curve. ``role`` picks words and style; ``note`` is a short Latin,
    language-neutral annotation such as ``"w = 3/2"``."""

    role: str
    xs: tuple
    ys: tuple  # exact values
    note: str = ""


@dataclass(frozen=True)
class HLine:
    """A horizontal reference line (e.g. the clipping threshold c)."""

    role: str  # e.g. "threshold"
    y: Any
    note: str = ""


@dataclass(frozen=True)
class GrowthPlot:
    """Magnitude of a quantity against a length, on a log scale.

    ``x`` and ``y`` are word keys of the axes (``T``, ``n`` / ``grad_abs``).
    """

    x: str
    y: str
    series: tuple  # (Series, ...)
    lines: tuple = ()  # (HLine, ...)
    logy: bool = True
    kind: str = "growth"

    def to_data(self) -> dict:
        from .steps import to_data

        return {
            "kind": self.kind,
            "x": self.x,
            "y": self.y,
            "logy": self.logy,
            "series": [
                {"role": s.role, "note": s.note, "x": [int(x) for x in s.xs], "y": [to_data(y) for y in s.ys]}
                for s in self.series
            ],
            "lines": [{"role": ln.role, "note": ln.note, "y": to_data(ln.y)} for ln in self.lines],
        }


def growth_series(role: str, xs, f, note: str = "") -> Series:
    """A series y = |f(x)| for every x in ``xs`` (exact)."""
    return Series(role=role, xs=tuple(int(x) for x in xs), ys=tuple(abs(f(x)) for x in xs), note=note)


@lru_cache(maxsize=None)
def words(lang: str) -> dict:
    path = templates_dir() / "plot" / f"{lang}.yaml"
    return fast_load(path.read_text(encoding="utf-8"))


def _family_words(family, lang: str) -> dict:
    out = dict(words(lang))
    if family is not None:
        own = family.text.get(lang, {}).get("plot", {})
        out.update(own)
    return out


@lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib import font_manager

    for name in ("NotoSans-Regular.ttf", "NotoSansBengali-Regular.ttf"):
        font_manager.fontManager.addfont(str(fonts_dir() / name))
    return matplotlib


def _bangla(text: str, digits: str) -> str:
    from .numfmt import localize

    return localize(text, digits)


def svg(plot: GrowthPlot, lang: str, digits: str, family=None) -> str:
    """The plot as a standalone SVG document (text as paths)."""
    return _svg(plot, lang, digits, family.id if family is not None else None)


@lru_cache(maxsize=8)  # a plot is used by one paper (its HTML and PDF key), then never again
def _svg(plot: GrowthPlot, lang: str, digits: str, family_id: str | None) -> str:
    from . import bank

    family = bank.get(family_id) if family_id else None
    mpl = _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    w = _family_words(family, lang)
    rc = {
        "svg.fonttype": "path",
        "svg.hashsalt": "gradex",
        "font.family": ["DejaVu Sans", "Noto Sans Bengali"],
        "font.size": 9,
        "axes.unicode_minus": True,
        "path.simplify": False,
    }
    with _LOCK, mpl.rc_context(rc):
        fig = Figure(figsize=(6.0, 3.4))
        ax = fig.add_subplot()
        for s in plot.series:
            pts = [(float(x), float(y)) for x, y in zip(s.xs, s.ys) if y > 0]
            if not pts:
                continue
            label = w["roles"][s.role] + (f" ({s.note})" if s.note else "")
            ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label, **_STYLE.get(s.role, {}))
        for ln in plot.lines:
            if ln.y > 0 or not plot.logy:
                label = w["roles"][ln.role] + (f" ({ln.note})" if ln.note else "")
                ax.axhline(float(ln.y), color="#7f7f7f", linewidth=1.1, linestyle=":", label=label)
        if plot.logy:
            ax.set_yscale("log")
        ax.set_xlabel(w["axes"][plot.x])
        ax.set_ylabel(w["axes"][plot.y])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _bangla(f"{v:g}", digits)))
        ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
        ax.legend(loc="best", fontsize=8, framealpha=0.9)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buf.getvalue()


def data_uri(svg_text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode("ascii")
