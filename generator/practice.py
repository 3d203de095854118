"""The practice page: one self-contained HTML file for students.

A student sees a variant of each family, types an answer for every part, has
it checked with the part's declared tolerance, reveals the worked steps one
at a time, and asks for a new variant. There is no server and no client-side
mathematics: the Python solver solves a pool of seeds, the renderer renders
every variant's question, steps and answers in each language, and the page's
small script (``templates/practice/practice.js``) only switches between the
pre-rendered variants and compares numbers with the solver's answers.

Math is typeset as SVG whose glyphs are ``<symbol>`` elements; the page keeps
one copy of each glyph in a hidden sprite, so a pool of many variants stays
small. Fonts are written beside the page (``fonts/``), as for papers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import bank
from .errors import UsageError
from .validate import fast_load

PAGE_NAME = "practice.html"
DEFAULT_POOL = 20
MAX_POOL = 200
LANG_CHOICES = ("bn", "en", "both")


@dataclass
class FamilyPool:
    family: bank.Family
    variants: list  # [generator.model.Variant], distinct parameters


def pool_seeds(family_id: str, seed: int, k: int) -> int:
    """Seed of the k-th candidate variant of ``family_id`` in a practice pool."""
    return bank.derive_seed("practice", int(seed), family_id, k)


def build_pool(family_id: str, size: int, seed: int) -> FamilyPool:
    """Solve ``size`` variants with distinct parameters (fewer only when the
    family cannot draw that many different ones)."""
    fam = bank.get(family_id)
    variants, seen = [], set()
    for k in range(size * 20):
        if len(variants) == size:
            break
        v = fam.variant(pool_seeds(fam.id, seed, k))
        key = tuple(sorted((name, str(value)) for name, value in v.params.items()))
        if key in seen:
            continue
        seen.add(key)
        variants.append(v)
    return FamilyPool(family=fam, variants=variants)


def practice_strings(lang: str) -> dict:
    path = bank.templates_dir() / "practice" / f"{lang}.yaml"
    return fast_load(path.read_text(encoding="utf-8"))


def check_args(family_ids, lang: str, pool: int, seed: int) -> list[str]:
    if lang not in LANG_CHOICES:
        raise UsageError(f"unknown language '{lang}' (choose bn, en or both)")
    if not 1 <= int(pool) <= MAX_POOL:
        raise UsageError(f"pool size {pool} is out of range (1 to {MAX_POOL})")
    if not 0 <= int(seed) < 2**63:
        raise UsageError(f"seed {seed} is out of range (0 to 2^63-1)")
    ids = list(dict.fromkeys(family_ids or ["scalar-rnn"]))
    for fid in ids:
        fam = bank.get(fid)
        if all(s.answer_type in ("choice", "text") for s in fam.part_specs):
            raise UsageError(f"{fid} has bank items, not worked numbers: set it on paper (gradex generate)")
    return ids


def render_page(family_ids=None, lang: str = "both", pool: int = DEFAULT_POOL, seed: int = 0, fonts_url: str = "fonts/") -> str:
    """The whole practice page as an HTML string."""
    from .mathsvg import svg_symbols
    from .render import LANG_NAMES, math_typesetter, renderer, ui_strings

    ids = check_args(family_ids, lang, pool, seed)
    langs = ["bn", "en"] if lang == "both" else [lang]
    pools = [build_pool(fid, pool, seed) for fid in ids]
    r = renderer()
    script = (bank.templates_dir() / "practice" / "practice.js").read_text(encoding="utf-8")
    with math_typesetter(svg_symbols):
        page = r.env.get_template("practice.html.j2").render(
            pools=pools,
            langs=langs,
            r=r,
            ui={lg: ui_strings(lg) for lg in langs},
            pui={lg: practice_strings(lg) for lg in langs},
            lang_names=LANG_NAMES,
            fonts_url=fonts_url,
            seed=int(seed),
            script=script,
            answer_value=answer_value,
            checkable=checkable,
        )
    return share_glyphs(page)


def checkable(part) -> bool:
    """Parts the page can check: a verdict, or one scalar number. Vector and
    matrix answers are worked step by step for the student to compare."""
    import sympy as sp

    if part.spec.answer_type == "verdict":
        return len(part.spec.choices) >= 2
    return part.spec.answer_type == "numeric" and not isinstance(part.answer, (sp.MatrixBase, tuple, list, str))


def answer_value(part) -> str:
    """What the page compares a typed answer with: the solver's exact answer
    as a float (``repr``, so JavaScript reads the same double), the verdict's
    key, or nothing for a part the student compares by eye."""
    if not checkable(part):
        return ""
    if part.spec.answer_type == "verdict":
        return str(part.answer)
    return repr(float(part.answer))


_MATH = re.compile(r'<svg class="math[^"]*"[^>]*>.*?</svg>', re.S)
_SPLIT = re.compile(r"(<svg [^>]*>)(.*)(</svg>)", re.S)
_SYMBOL = re.compile(r'<symbol id="([^"]+)"(.*?)</symbol>', re.S)
_XMLNS = re.compile(r'\s+xmlns(?::xlink)?="[^"]*"')
SPRITE_MARK = "<!--gradex:glyphs-->"


def share_glyphs(page: str) -> str:
    """Keep one copy of each glyph and of each repeated formula.

    ziamath (in ``svg_symbols`` mode) defines each glyph as a ``<symbol>``
    inside the formula that first uses it. Here every glyph moves to one
    hidden sprite at ``SPRITE_MARK``; a formula drawn more than once (the same
    math appears in both languages and in every variant's question) moves
    there as a ``<g>`` and each occurrence keeps only its own ``<svg>`` (size,
    baseline, LaTeX label) with a ``<use>``. Inline SVG in HTML needs no
    ``xmlns``; dropping it also keeps the page free of any URL.
    """
    symbols: dict[str, str] = {}

    def glyphs_out(m: re.Match) -> str:
        # black is SVG's default fill; said 10,000 times it is 100 KB
        formula = _XMLNS.sub("", m.group(0)).replace(' fill="black" />', "/>")
        renames = {}

        def keep(s: re.Match) -> str:
            sid, body = s.group(1), s.group(2)
            name, k = sid, 1
            while name in symbols and symbols[name] != body:
                name = f"{sid}-{k}"  # same id, other outline: never seen, but safe
                k += 1
            symbols.setdefault(name, body)
            if name != sid:
                renames[sid] = name
            return ""

        formula = _SYMBOL.sub(keep, formula)
        for old, new in renames.items():
            formula = formula.replace(f'href="#{old}"', f'href="#{new}"')
        return formula

    page = _MATH.sub(glyphs_out, page)

    counts = Counter(_SPLIT.match(f).group(2) for f in _MATH.findall(page))
    shared = {body: f"f{k}" for k, body in enumerate(b for b, n in counts.items() if n > 1)}

    def formula_out(m: re.Match) -> str:
        head, body, tail = _SPLIT.match(m.group(0)).groups()
        if body in shared:
            return f'{head}<use href="#{shared[body]}"/>{tail}'
        return m.group(0)

    page = _MATH.sub(formula_out, page)
    sprite = "".join(f'<symbol id="{sid}"{body}</symbol>' for sid, body in symbols.items())
    sprite += "<defs>" + "".join(f'<g id="{fid}">{body}</g>' for body, fid in shared.items()) + "</defs>"
    if SPRITE_MARK not in page:
        raise AssertionError("practice template lost its glyph sprite mark")
    return page.replace(SPRITE_MARK, sprite, 1)


def write_practice(out, family_ids=None, lang: str = "both", pool: int = DEFAULT_POOL, seed: int = 0, force: bool = False) -> Path:
    """Write ``out/practice.html`` and the fonts beside it; return the page's path."""
    from .output import atomic_write, copy_tree_files, prepare_dir

    ids = check_args(family_ids, lang, pool, seed)
    out = prepare_dir(Path(out), force)  # refuse a full folder before the slow part
    page = render_page(ids, lang, pool, seed)
    copy_tree_files(bank.fonts_dir(), out / "fonts", "*.ttf")
    copy_tree_files(bank.fonts_dir(), out / "fonts", "OFL.txt")
    return atomic_write(out / PAGE_NAME, page)
