"""Display of exact values: LaTeX for math, localized plain text for prose.

Values stay exact sympy numbers until here. A rational shows as a decimal
when its decimal expansion ends within a few digits (``1/100`` -> ``0.01``),
otherwise as a fraction; a number too long to read (more than ``MAX_DIGITS``
digits) shows rounded in scientific notation, and ``eq`` then writes ``≈``
instead of ``=``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

import sympy as sp

MAX_DIGITS = 12  # longest integer part / numerator shown in full
MAX_DECIMALS = 8
MAX_FRAC_DIGITS = 10  # numerator and denominator digits together  # longest terminating decimal shown as a decimal
SIG = 4  # significant digits in scientific notation

BANGLA_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
MINUS = "\u2212"


def localize(text: str, digits: str) -> str:
    return text.translate(BANGLA_DIGITS) if digits == "bangla" else text


def _terminating_decimal(q: sp.Rational) -> str | None:
    den = int(q.q)
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    if places > MAX_DECIMALS:
        return None
    scaled = abs(int(q.p)) * (10**places) // int(q.q)
    whole, frac = divmod(scaled, 10**places)
    s = f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".")
    return ("-" if q < 0 else "") + s


def parts(value) -> tuple[str, tuple]:
    """Classify a number for display.

    Returns (form, data): ("int", (s,)), ("dec", (s,)), ("frac", (sign, p, q))
    or ("sci", (sign, mantissa, exponent)); every string uses Latin digits.
    """
    v = sp.nsimplify(value) if not isinstance(value, sp.Basic) else value
    if v.is_Integer:
        s = str(int(v))
        if len(s.lstrip("-")) <= MAX_DIGITS:
            return "int", (s,)
    elif v.is_Rational:
        dec = _terminating_decimal(v)
        if dec is not None and len(dec.replace("-", "").replace(".", "").lstrip("0")) <= MAX_DIGITS:
            return "dec", (dec,)
        p, q = abs(int(v.p)), int(v.q)
        if len(str(p)) + len(str(q)) <= MAX_FRAC_DIGITS:
            return "frac", ("-" if v < 0 else "", str(p), str(q))
    if v == 0:
        return "int", ("0",)
    mant, exp = f"{float(sp.Abs(v).evalf(30)):.{SIG - 1}e}".split("e")
    mant = mant.rstrip("0").rstrip(".")
    return "sci", ("-" if v < 0 else "", mant, str(int(exp)))


def is_approx(value) -> bool:
    return parts(value)[0] == "sci"


def tex(value) -> Markup:
    """LaTeX for a number; a negative one is braced so its minus is unary."""
    form, d = parts(value)
    if form in ("int", "dec"):
        s = d[0]
    elif form == "frac":
        s = f"{d[0]}\\frac{{{d[1]}}}{{{d[2]}}}"
    else:
        s = f"{d[0]}{d[1]} \\times 10^{{{d[2]}}}"
    return Markup("{" + s + "}" if s.startswith("-") else s)


def texp(value) -> Markup:
    """tex() in parentheses when needed as a factor or a power's base."""
    form, d = parts(value)
    s = tex(value)
    needs = form in ("frac", "sci") or str(s).startswith("{-")
    return Markup(f"\\left({s}\\right)") if needs else s


def eq(value) -> Markup:
    """'= v' for exact display, '\\approx v' when rounded."""
    return Markup(("\\approx " if is_approx(value) else "= ") + tex(value))


def text(value, digits: str = "latin") -> Markup:
    """Plain-text (HTML) form with localized digits and a true minus sign."""
    form, d = parts(value)
    if form in ("int", "dec"):
        s = escape(d[0].replace("-", MINUS))
    elif form == "frac":
        s = escape(f"{d[0].replace('-', MINUS)}{d[1]}/{d[2]}")
    else:
        s = Markup("{}{} × 10<sup>{}</sup>").format(
            d[0].replace("-", MINUS), d[1], d[2].replace("-", MINUS)
        )
    return Markup(localize(str(s), digits))


def tex_sum(terms) -> Markup:
    """'a + b - c' with each term shown as tex(), signs folded into the operator."""
    out = []
    for i, t in enumerate(terms):
        neg = t < 0
        body = texp(-t) if (neg and i) else (texp(t) if i else tex(t))
        out.append(body if i == 0 else ("- " if neg else "+ ") + body)
    return Markup(" ".join(out))


# --- rounded display and matrices (families with irrational values) ---------


def is_matrix(value) -> bool:
    return isinstance(value, sp.MatrixBase)


def exact_at(value, precision: int) -> bool:
    """True when ``value`` is a rational whose decimal ends within ``precision`` places."""
    v = sp.sympify(value)
    if not v.is_Rational:
        return False
    dec = _terminating_decimal(v)
    return dec is not None and len(dec.partition(".")[2]) <= precision


def rounded(value, precision: int) -> str:
    """``value`` rounded half away from zero to ``precision`` decimal places
    (Latin digits, ASCII minus; never ``-0.00``). Exact values that end within
    ``precision`` places are shown without trailing zeros."""
    from decimal import ROUND_HALF_UP, Decimal

    v = sp.sympify(value)
    if exact_at(v, precision):
        return _terminating_decimal(v) if not v.is_Integer else str(int(v))
    d = Decimal(str(sp.N(v, precision + 30)))
    q = d.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:f}"


def tex_round(value, precision: int) -> Markup:
    """LaTeX of ``value`` rounded to ``precision`` places (braced if negative)."""
    s = rounded(value, precision)
    return Markup("{" + s + "}" if s.startswith("-") else s)


def eq_round(value, precision: int) -> Markup:
    """'= v' when exact at this precision, else '\\approx v' (v rounded)."""
    return Markup(("= " if exact_at(value, precision) else "\\approx ") + tex_round(value, precision))


def text_round(value, precision: int, digits: str = "latin") -> Markup:
    return Markup(localize(str(escape(rounded(value, precision).replace("-", MINUS))), digits))


def _closed_form_ok(v) -> bool:
    """A short closed form worth showing (surds, fractions), not a tanh tower."""
    return not v.atoms(sp.Function) and len(sp.latex(v)) <= 40


def tex_exact(value) -> Markup:
    """LaTeX of an exact value: numbers as tex(), surds via sympy's latex()."""
    v = sp.sympify(value)
    if v.is_Rational:
        return tex(v)
    s = sp.latex(v)
    return Markup("{" + s + "}" if s.startswith("-") else s)


def bmatrix(value, precision: int | None = None) -> Markup:
    """A sympy Matrix as a LaTeX bmatrix; entries rounded when ``precision`` is given."""
    cell = (lambda x: tex_round(x, precision)) if precision is not None else tex
    rows = [" & ".join(str(cell(x)) for x in value.row(i)) for i in range(value.rows)]
    return Markup("\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}")


def answer_tex(value, precision: int | None = None) -> Markup:
    """Right-hand side of an answer line: '= exact', '= exact \\approx rounded'
    or '\\approx rounded'; matrices as bmatrix."""
    if is_matrix(value):
        if precision is None:
            return Markup("= ") + bmatrix(value)
        exact = all(exact_at(x, precision) for x in value)
        return Markup("= " if exact else "\\approx ") + bmatrix(value, precision)
    v = sp.sympify(value)
    if precision is None:
        return eq(v)
    if exact_at(v, precision):
        return Markup("= ") + tex_round(v, precision)
    if v.is_Rational or _closed_form_ok(v):
        return Markup("= ") + tex_exact(v) + Markup(" \\approx ") + tex_round(v, precision)
    return Markup("\\approx ") + tex_round(v, precision)
