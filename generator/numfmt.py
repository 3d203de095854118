"""Display of exact values: LaTeX for math, localized plain text for prose.

Values stay exact sympy numbers until here. A rational shows as a decimal
when its decimal expansion ends within a few digits (``1/100`` -> ``0.01``),
otherwise as a fraction; a number too long to read (more than ``MAX_DIGITS``
digits) shows rounded in scientific notation, and ``eq`` then writes ``≈``
instead of ``=``.
"""

from __future__ import annotations

import re

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


def decimal_places(den: int) -> int | None:
    """Places after the point of p/den (in lowest terms) written as a decimal,
    or None when the decimal does not terminate (den has a prime other than 2, 5)."""
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    return max(twos, fives) if den == 1 else None


def _terminating_decimal(q: sp.Rational) -> str | None:
    places = decimal_places(int(q.q))
    if places is None or places > MAX_DECIMALS:
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
    small = v.is_Rational and abs(int(v.p)) < 10**MAX_DIGITS * int(v.q)  # before any str() of a huge int
    if v.is_Integer and small:
        return "int", (str(int(v)),)
    elif v.is_Rational and small:
        dec = _terminating_decimal(v)
        if dec is not None and len(dec.replace("-", "").replace(".", "").lstrip("0")) <= MAX_DIGITS:
            return "dec", (dec,)
        p, q = abs(int(v.p)), int(v.q)
        if q < 10**MAX_FRAC_DIGITS and len(str(p)) + len(str(q)) <= MAX_FRAC_DIGITS:
            return "frac", ("-" if v < 0 else "", str(p), str(q))
    if v == 0:
        return "int", ("0",)
    alg = _algebraic(v)
    if alg is not None:
        return "alg", alg
    mant, exp = _sci(v)
    return "sci", ("-" if v < 0 else "", mant, str(exp))


def _sci(v) -> tuple[str, int]:
    """|v| as (mantissa with SIG significant digits, exponent), exactly.

    No float is involved, so 10^400 or 10^-400 show as they are instead of
    overflowing to inf or underflowing to 0.
    """
    from fractions import Fraction

    x = sp.Abs(v)
    if not x.is_Rational:
        x = sp.Rational(x.evalf(SIG + 15))  # the exact value of a 19-digit float
    f = Fraction(int(x.p), int(x.q))
    e = (f.numerator.bit_length() - f.denominator.bit_length()) * 30103 // 100000
    while f >= Fraction(10) ** (e + 1):
        e += 1
    while f < Fraction(10) ** e:
        e -= 1
    scaled = int(f / Fraction(10) ** e * 10 ** (SIG - 1) + Fraction(1, 2))  # round half up
    if scaled >= 10**SIG:
        scaled //= 10
        e += 1
    whole, frac = divmod(scaled, 10 ** (SIG - 1))
    mant = f"{whole}.{frac:0{SIG - 1}d}".rstrip("0").rstrip(".")
    return mant, e


def is_approx(value) -> bool:
    if is_vector(value):
        return any(is_approx(x) for x in value)
    return parts(value)[0] == "sci"


def tex(value) -> Markup:
    """LaTeX for a number; a negative one is braced so its minus is unary."""
    if is_vector(value):
        return _vector_tex(value)
    form, d = parts(value)
    if form in ("int", "dec"):
        s = d[0]
    elif form == "alg":
        s = d[0]
    elif form == "frac":
        s = f"{d[0]}\\frac{{{d[1]}}}{{{d[2]}}}"
    else:
        s = f"{d[0]}{d[1]} \\times 10^{{{d[2]}}}"
    return Markup("{" + s + "}" if s.startswith("-") else s)


def texp(value) -> Markup:
    """tex() in parentheses when needed as a factor or a power's base."""
    if is_vector(value):
        return tex(value)
    form, d = parts(value)
    s = tex(value)
    needs = form in ("frac", "sci") or str(s).startswith("{-") or (form == "alg" and d[2])
    return Markup(f"\\left({s}\\right)") if needs else s


def eq(value) -> Markup:
    """'= v' for exact display, '\\approx v' when rounded."""
    return Markup(("\\approx " if is_approx(value) else "= ") + tex(value))


def text(value, digits: str = "latin") -> Markup:
    """Plain-text (HTML) form with localized digits and a true minus sign."""
    if is_vector(value):
        inner = Markup(", ").join(text(x, digits) for x in value)
        return Markup("(") + inner + Markup(")")
    form, d = parts(value)
    if form in ("int", "dec"):
        s = escape(d[0].replace("-", MINUS))
    elif form == "alg":
        s = escape(f"{d[1]} ≈ {d[3]}".replace("-", MINUS))
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
        neg = bool(t < 0)
        body = tex(-t) if (neg and i) else tex(t)
        out.append(body if i == 0 else ("- " if neg else "+ ") + body)
    return Markup(" ".join(out))


# --- vectors and surds (exact irrational values such as 2*sqrt(3)) -----------

ALG_MAX_CHARS = 40  # longer algebraic expressions show in scientific notation


def is_vector(value) -> bool:
    """A tuple/list of numbers or a one-row/one-column sympy matrix."""
    if isinstance(value, (tuple, list)):
        return True
    return isinstance(value, sp.MatrixBase) and 1 in value.shape


def _vector_tex(value) -> Markup:
    inner = ",\\ ".join(str(tex(x)) for x in value)
    return Markup("\\left(" + inner + "\\right)")


def _algebraic(v) -> tuple | None:
    """(latex, text, compound, decimal) for a short exact irrational real
    algebraic number (``2*sqrt(3)``, ``1/2 - sqrt(3)/15``), else None."""
    if not (v.is_real and v.is_algebraic and not v.is_Rational):
        return None
    plain = str(v)
    if len(plain) > ALG_MAX_CHARS:
        return None
    latex = sp.latex(v)
    shown = re.sub(r"sqrt\((\d+)\)", "\u221a\\1", plain)
    shown = re.sub(r"(\d)\*\u221a", "\\1\u221a", shown).replace("*", "\u00b7").replace(" ", "")
    shown = shown.replace("+", " + ").replace("-", " - ").strip()
    if shown.startswith("- "):
        shown = "-" + shown[2:]
    compound = any(op in plain.lstrip("-") for op in ("+", "-", "/"))
    return latex, shown, compound, dec_text(v)


def dec_text(value, places: int = 4) -> str:
    """Rounded decimal string (Latin digits) of an exact real value."""
    q = sp.Rational(sp.Float(sp.N(value, 30), 30)).limit_denominator(10**20)
    scaled = sp.floor(abs(q) * 10**places + sp.Rational(1, 2))
    whole, frac = divmod(int(scaled), 10**places)
    s = f"{whole}.{frac:0{places}d}".rstrip("0").rstrip(".") if places else str(whole)
    return ("-" if q < 0 and s.strip("0.") else "") + s


def dec(value, places: int = 4) -> Markup:
    """LaTeX of a rounded decimal: the '3.4641' in '2\\sqrt{3} \\approx 3.4641'."""
    s = dec_text(value, places)
    return Markup("{" + s + "}" if s.startswith("-") else s)


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
