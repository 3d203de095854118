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
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from jinja2 import DictLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import numfmt
from .bank import Family, bank_dir, templates_dir
from .mathsvg import svg
from .validate import fast_load

_TAG = re.compile(r"({{.*?}}|{%.*?%})", re.S)
LANG_NAMES = {"bn": "বাংলা", "en": "English"}


# How LaTeX becomes SVG; the practice page swaps in glyph-symbol SVG
# (mathsvg.svg_symbols) while it renders, through ``math_typesetter``.
_TYPESET: ContextVar = ContextVar("gradex_typeset", default=None)
# How a version ID becomes a QR code (generator.qr, or a PDF overlay), and
# how a plot's SVG is placed (an <img>, or a PDF overlay's box).
_QR: ContextVar = ContextVar("gradex_qr", default=None)
_PLOT: ContextVar = ContextVar("gradex_plot", default=None)


@contextmanager
def math_typesetter(fn):
    token = _TYPESET.set(fn)
    try:
        yield
    finally:
        _TYPESET.reset(token)


@contextmanager
def vector_overlay(overlay):
    """Math and QR codes as placeholders that ``overlay`` draws into the PDF
    (generator.pdfvector) instead of inline SVG."""
    tokens = _TYPESET.set(overlay.math), _QR.set(overlay.qr), _PLOT.set(overlay.plot)
    try:
        yield overlay
    finally:
        _PLOT.reset(tokens[2])
        _QR.reset(tokens[1])
        _TYPESET.reset(tokens[0])


def _math_filter(value: Any) -> Markup:
    # Step macros build LaTeX in autoescaping templates, so '>' may arrive as
    # '&gt;'; LaTeX itself never contains HTML entities.
    latex = " ".join(html.unescape(str(value)).split())
    return (_TYPESET.get() or svg)(latex) if latex else Markup("")


@pass_context
def _math_template_filter(_ctx, value: Any) -> Markup:
    """``|math`` in templates. Marked context-dependent so that Jinja's
    compiler does not fold ``{{ "h_0"|math }}`` into a constant at compile
    time: the typesetter is chosen per render (papers vs practice page)."""
    return _math_filter(value)


@lru_cache(maxsize=None)
def ui_strings(lang: str) -> dict:
    path = templates_dir() / "lang" / f"{lang}.yaml"
    return fast_load(path.read_text(encoding="utf-8"))


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

    def option_label(self, i: int) -> str:
        return self.ui["option_labels"][i]

    def answer(self, part) -> Markup:
        """'symbol = value' on a key's answer line. Matrices show as bmatrix and
        values with a declared ``precision`` as 'exact ≈ rounded' (math)."""
        prec = getattr(part.spec, "precision", None)
        sym = self.sym[part.spec.symbol]
        if prec is None and (not numfmt.is_matrix(part.answer) or numfmt.is_vector(part.answer)):
            approx = "≈" if numfmt.is_approx(part.answer) else "="
            return _math_filter(sym) + Markup(f" {approx} ") + self.num(part.answer)
        return _math_filter(f"{sym} {numfmt.answer_tex(part.answer, prec)}")

    def rnd(self, value, precision: int) -> Markup:
        """Plain-text ``value`` rounded to ``precision`` places, localized digits."""
        return numfmt.text_round(value, precision, self.digits)


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
            tex=numfmt.tex, texp=numfmt.texp, eq=numfmt.eq, tex_sum=numfmt.tex_sum, math=_math_template_filter,
            approx=numfmt.is_approx, dec=numfmt.dec, localize=numfmt.localize, zip=lambda a, b: list(zip(a, b)),
        )
        env.filters.update(  # rounded values and matrices (families with tanh, surds, 2x2 weights)
            rnd=numfmt.tex_round, eq_rnd=numfmt.eq_round, bmatrix=numfmt.bmatrix, texact=numfmt.tex_exact,
            answer_tex=numfmt.answer_tex, exact_at=numfmt.exact_at,
        )
        self.env = env
        # No loader: bank texts cannot include or import any file.
        self.text_env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=DictLoader({}))
        self.math_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, loader=DictLoader({}))

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
        """:meth:`_rich`, with a template problem reported as a one-line BankError."""
        from jinja2 import TemplateError

        from .errors import BankError

        try:
            return self._rich(text, c, variant, extra)
        except (TemplateError, ValueError) as exc:
            where = c.family.folder / "family.yaml"
            raise BankError(f"{where}: text.{c.lang}: cannot render {text[:60]!r}: {exc}") from None

    def _rich(self, text: str, c: Ctx, variant, extra: dict | None = None) -> Markup:
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
                latex = self._compiled("math", piece).render(ctx)
                out.append(str(_math_filter(latex)))
            else:
                ctx = {"p": _Lazy(params, c.num), "x": _Lazy(extra, lambda v: _text_list(v, c))}
                source = "".join(
                    part if j % 2 else str(escape(part))
                    for j, part in enumerate(_TAG.split(piece.replace("\\$", "$")))
                )
                out.append(self._compiled("text", source).render(ctx))
        return Markup(_glue(out))

    @lru_cache(maxsize=4096)
    def _compiled(self, kind: str, source: str):
        """A bank text compiled once (the same stems and options recur on
        every paper); ``kind`` picks the sandbox: "text" autoescapes, "math"
        does not."""
        return (self.text_env if kind == "text" else self.math_env).from_string(source)

    # --- parts: prompts, multiple-choice options, bank items --------------
    def _item(self, q, part, lang: str) -> dict:
        return q.family.items[part.extra["item"]]["text"][lang]

    def prompt(self, q, part, c: Ctx) -> Markup:
        """A part's question: the family's words, or its bank item's stem."""
        if "item" in part.extra:
            return self.rich(self._item(q, part, c.lang)["stem"], c, q.variant)
        return self.rich(q.family.text[c.lang]["parts"][part.id], c, q.variant, part.extra)

    def option_text(self, q, part, opt, c: Ctx) -> Markup:
        if part.spec.answer_type == "choice":
            return self.rich(self._item(q, part, c.lang)["options"][opt.value], c, q.variant)
        return c.num(opt.value)

    def option_reason(self, q, part, opt, c: Ctx) -> Markup:
        """Why a wrong option is wrong: the item's words, or the family's misconception."""
        if part.spec.answer_type == "choice":
            return self.rich(self._item(q, part, c.lang)["why"][opt.value], c, q.variant)
        return self.rich(q.family.text[c.lang]["misconceptions"][opt.misconception], c, q.variant)

    def item_answer(self, q, part, c: Ctx) -> Markup:
        item = self._item(q, part, c.lang)
        if part.spec.answer_type == "choice":
            return self.rich(item["options"][part.answer], c, q.variant)
        return self.rich(item["model"], c, q.variant)

    @staticmethod
    def correct_index(opts) -> int:
        from .mcq import correct_index

        return correct_index(opts)

    # --- whole documents --------------------------------------------------
    def ctx(self, family: Family, lang: str, digits: str | None) -> Ctx:
        return Ctx(
            family=family,
            lang=lang,
            digits=block_digits(lang, digits),
            ui=ui_strings(lang),
            sym=family.meta.get("symbols", {}),
        )

    def document(self, paper, kind: str, fonts_url: str, inline_css: bool = True) -> str:
        """``kind`` is "sheet" or "key"; returns the whole HTML page. Without
        ``inline_css`` the shared style (:meth:`static_css`) is left out, for
        a caller that supplies it already parsed."""
        langs = ["bn", "en"] if paper.lang == "both" else [paper.lang]
        template = self.env.get_template("paper.html.j2")
        return template.render(
            paper=paper,
            langs=langs,
            kind=kind,
            r=self,
            chrome=self.ctx_chrome(langs, paper.digits),
            fonts_url=fonts_url,
            inline_css=inline_css,
            lang_names=LANG_NAMES,
        )

    def static_css(self, fonts_url: str) -> str:
        """The style every paper shares: bundled fonts and ``paper.css``."""
        return self.env.get_template("static.css.j2").render(fonts_url=fonts_url)

    # --- plots and QR (generator/plots.py, generator/qr.py) ---------------
    def plot(self, part, c: Ctx) -> Markup:
        """The part's plot (``extra["plot"]``) as an <img> with SVG inside,
        or nothing. An <img> keeps the plot's ids out of the page."""
        data = part.extra.get("plot") if part.extra else None
        if data is None:
            return Markup("")
        from .plots import data_uri, svg as plot_svg

        text = plot_svg(data, c.lang, c.digits, c.family)
        drawn = _PLOT.get()(text) if _PLOT.get() else None
        if drawn is not None:
            return Markup('<figure class="plot">{}</figure>').format(drawn)
        return Markup('<figure class="plot"><img alt="" src="{}"></figure>').format(data_uri(text))

    def qr(self, version_id: str) -> Markup:
        from .qr import qr_svg

        return (_QR.get() or qr_svg)(version_id)

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
