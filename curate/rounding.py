"""Rounding-aware comparison: is a computed value what a printed number says, to its precision?"""

from __future__ import annotations

import math
from decimal import Decimal

from curate.claimlinks import number


def tolerance(printed: str) -> float:
    """Half a unit in the last printed place: '7.49' -> 0.005, '58' -> 0.5."""
    text = printed.strip().lstrip("<>≤≥=~").replace(",", "")
    if number(text) is None or not any(ch.isdigit() for ch in text):
        return 0.5  # a number word ("four") is a whole number
    exponent = Decimal(text).as_tuple().exponent if text else 0
    return 0.5 * 10 ** int(exponent) if isinstance(exponent, int) else 0.5


def matches(printed: str, computed: float, integer: bool = False) -> bool:
    """Does ``computed`` round to the printed number (half-up, at the printed precision)?"""
    value = number(printed)
    if value is None:
        return False
    if integer:
        return round(computed) == value
    tol = tolerance(printed)
    return value - tol <= computed < value + tol or math.isclose(computed, value, abs_tol=1e-9)
