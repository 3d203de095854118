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
        neg = bool(t < 0)
        body = tex(-t) if (neg and i) else tex(t)
        out.append(body if i == 0 else ("- " if neg else "+ ") + body)
    return Markup(" ".join(out))
