"""Exact numbers from user text, without importing sympy.

Values typed by a teacher (``--set w=0.5``, ``w=1/2``, ``T=5``) are parsed
into :class:`fractions.Fraction` here so that validation is cheap; solvers turn
them into sympy ``Rational`` values.
"""

from __future__ import annotations

import re
from fractions import Fraction

_NUMBER = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)(\s*/\s*[-+]?\d+)?\s*$")


def parse_exact(text: str) -> Fraction:
    """Parse ``3``, ``-0.25``, ``1/2``, ``-3/4`` into an exact Fraction.

    Raises ValueError with a short reason when the text is not such a number.
    """
    if not isinstance(text, str):
        return Fraction(text)
    if not _NUMBER.match(text):
        raise ValueError("not a number (use an integer, a decimal like 0.5 or a fraction like 1/2)")
    if "/" in text:
        num, den = text.split("/", 1)
        num_f, den_f = Fraction(num.strip()), Fraction(den.strip())
        if den_f == 0:
            raise ValueError("division by zero")
        return num_f / den_f
    return Fraction(text.strip())
