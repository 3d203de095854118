"""Variants -> HTML, through Jinja2 templates.

The renderer knows nothing about any family: a step is rendered by the macro
named after its ``kind``, looked up first in the family's
``steps.<lang>.j2`` and then in the generic ``templates/steps/<lang>.j2``.
Question words come from the family's ``family.yaml``; they are rendered in a
sandboxed environment, with ``$...$`` segments typeset as math (LaTeX -> SVG)
and everything else escaped, so bank files and specs can neither run code nor
inject HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import numfmt
from .bank import Family, bank_dir, templates_dir
from .mathsvg import svg

_TAG = re.compile(r"({{.*?}}|{%.*?%})", re.S)
LANG_NAMES = {"bn": "বাংলা", "en": "English"}


def _math_filter(value: Any) -> Markup:
    # Step macros build LaTeX in autoescaping templates, so '>' may arrive as
    # '&gt;'; LaTeX itself never contains HTML entities.
    latex = " ".join(html.unescape(str(value)).split())
    return svg(latex) if latex else Markup("")


@lru_cache(maxsize=None)
def ui_strings(lang: str) -> dict:
    path = templates_dir() / "lang" / f"{lang}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def block_digits(lang: str, digits: str | None) -> str:
    """Digits for text in ``lang``: the explicit choice, else the language's own."""
    if digits in ("bangla", "latin"):
        return digits
    return "bangla" if lang == "bn" else "latin"


@dataclass
class Ctx:
    """What step macros and templates need about one language block."""

    family: Family
    lang: str
    digits: str
    ui: dict
    sym: dict = field(default_factory=dict)

    def num(self, value) -> Markup:
        return numfmt.text(value, self.digits)

    def n(self, value) -> str:
        """Localize the digits of a plain int/str (question numbers, marks)."""
        return numfmt.localize(str(value), self.digits)

    def label(self, i: int) -> str:
        return self.ui["part_labels"][i]

    def verdict(self, key: str) -> str:
        return self.family.text[self.lang]["verdict"][key]


class Renderer:
    def __init__(self):
        env = Environment(
            loader=FileSystemLoader([str(templates_dir()), str(bank_dir())]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            tex=numfmt.tex, texp=numfmt.texp, eq=numfmt.eq, tex_sum=numfmt.tex_sum, math=_math_filter,
            approx=numfmt.is_approx, localize=numfmt.localize, zip=lambda a, b: list(zip(a, b)),
        )
        self.env = env
        self.text_env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
        self.math_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)

    # --- steps ------------------------------------------------------------
    @lru_cache(maxsize=None)
    def _module(self, name: str):
        return self.env.get_template(name).module

    def step(self, step, c: Ctx) -> Markup:
        own = f"{c.family.id}/steps.{c.lang}.j2"
        for name in (own, f"steps/{c.lang}.j2"):
            if (bank_dir() / name).is_file() or (templates_dir() / name).is_file():
                macro = getattr(self._module(name), step.kind.replace("-", "_"), None)
                if macro is not None:
                    return Markup(macro(step, c)).strip()
        raise LookupError(f"no template for step kind '{step.kind}' in language '{c.lang}'")

    # --- question words ---------------------------------------------------
    def rich(self, text: str, c: Ctx, variant, extra: dict | None = None) -> Markup:
        """Render bank text: ``$..$`` is math (LaTeX -> SVG), the rest is prose.

        Placeholders (``{{ p.w }}``, ``{{ x.Ts }}``) show parameter values and a
        part's public extras: as LaTeX inside math, as localized text outside.
        Literal prose is escaped before the sandbox compiles it, so bank text
        cannot inject HTML; values are escaped by autoescaping.
        """
        pieces = re.split(r"(?<!\\)\$", text)
        if len(pieces) % 2 == 0:
            raise ValueError(f"unbalanced $ in text: {text[:60]!r}")
        extra = extra or {}
        params = variant.params
        out: list[str] = []
        for i, piece in enumerate(pieces):
            if i % 2:  # math
                ctx = {"p": _Lazy(params, lambda v: str(numfmt.tex(v))), "x": _Lazy(extra, _tex_list)}
                latex = self.math_env.from_string(piece).render(ctx)
                out.append(str(_math_filter(latex)))
            else:
                ctx = {"p": _Lazy(params, c.num), "x": _Lazy(extra, lambda v: _text_list(v, c))}
                source = "".join(
                    part if j % 2 else str(escape(part))
                    for j, part in enumerate(_TAG.split(piece.replace("\\$", "$")))
                )
                out.append(self.text_env.from_string(source).render(ctx))
        return Markup(_glue(out))

    # --- whole documents --------------------------------------------------
    def ctx(self, family: Family, lang: str, digits: str | None) -> Ctx:
        return Ctx(
            family=family,
            lang=lang,
            digits=block_digits(lang, digits),
            ui=ui_strings(lang),
            sym=family.meta.get("symbols", {}),
        )

    def document(self, paper, kind: str, fonts_url: str) -> str:
        """``kind`` is "sheet" or "key"; returns the whole HTML page."""
        langs = ["bn", "en"] if paper.lang == "both" else [paper.lang]
        template = self.env.get_template("paper.html.j2")
        return template.render(
            paper=paper,
            langs=langs,
            kind=kind,
            r=self,
            chrome=self.ctx_chrome(langs, paper.digits),
            fonts_url=fonts_url,
            lang_names=LANG_NAMES,
        )

    # --- plots and QR (generator/plots.py, generator/qr.py) ---------------
    def plot(self, part, c: Ctx) -> Markup:
        """The part's plot (``extra["plot"]``) as an <img> with SVG inside,
        or nothing. An <img> keeps the plot's ids out of the page."""
        data = part.extra.get("plot") if part.extra else None
        if data is None:
            return Markup("")
        from .plots import data_uri, svg as plot_svg

        uri = data_uri(plot_svg(data, c.lang, c.digits, c.family))
        return Markup('<figure class="plot"><img alt="" src="{}"></figure>').format(uri)

    def qr(self, version_id: str) -> Markup:
        from .qr import qr_svg

        return qr_svg(version_id)

    def ctx_chrome(self, langs, digits):
        return {lang: {"ui": ui_strings(lang), "d": block_digits(lang, digits)} for lang in langs}


_OPEN = re.compile(r"(\S*[(\[])$")
_CLOSE = re.compile(r"^((?:-[^\s,.;:?!।)\]]+)?[)\],.;:?!।]*)")


def _glue(pieces: list[str]) -> str:
    """Join prose and math, keeping an opening bracket before a formula and
    punctuation after it on the formula's line."""
    out = list(pieces)
    for i in range(1, len(out), 2):
        before = _OPEN.search(out[i - 1])
        after = _CLOSE.match(out[i + 1]) if i + 1 < len(out) else None
        after = after if after and after.group(1) else None
        if before or after:
            lead = before.group(1) if before else ""
            tail = after.group(1) if after else ""
            if before:
                out[i - 1] = out[i - 1][: before.start()]
            if after:
                out[i + 1] = out[i + 1][after.end():]
            out[i] = f'<span class="nobr">{lead}{out[i]}{tail}</span>'
    return "".join(out)


class _Lazy(Mapping):
    """Values formatted only when a text refers to them."""

    def __init__(self, data: dict, fmt):
        self._data, self._fmt = data, fmt

    def __getitem__(self, key):
        return self._fmt(self._data[key])

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def _tex_list(value) -> str:
    if isinstance(value, (tuple, list)):
        return ", ".join(str(numfmt.tex(v)) for v in value)
    return str(numfmt.tex(value))


def _text_list(value, c: Ctx) -> Markup:
    if isinstance(value, (tuple, list)):
        items = [c.num(v) for v in value]
        if len(items) > 1:
            return Markup(", ").join(items[:-1]) + Markup(f" {escape(c.ui['and'])} ") + items[-1]
        return items[0] if items else Markup("")
    return c.num(value)


@lru_cache(maxsize=1)
def renderer() -> Renderer:
    return Renderer()
