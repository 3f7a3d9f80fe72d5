"""Rounding-aware comparison: is a computed value what a printed number says, to its precision?"""

from __future__ import annotations

import math
from decimal import Decimal

from curate.claimlinks import number, ungrouped


def tolerance(printed: str) -> float:
    """Half a unit in the last printed place: '7.49' -> 0.005, '58' -> 0.5."""
    text = ungrouped(printed.strip().lstrip("<>≤≥=~")).replace(",", "")
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


def grim_sums(printed_mean: str, n: int) -> list[int]:
    """GRIM: the whole-number totals of n whole numbers whose mean rounds to the printed one
    (none means the mean is impossible)."""
    value, tol = number(printed_mean), tolerance(printed_mean)
    if value is None or n <= 0:
        return []
    low, high = math.ceil((value - tol) * n - 1e-9), math.floor((value + tol) * n + 1e-9)
    return [s for s in range(low, high + 1) if matches(printed_mean, s / n)]


def grimmer_possible(printed_sd: str, sums: list[int], n: int) -> bool:
    """GRIMMER: some sum of squares (a whole number of the same parity as the total) gives an
    SD that rounds to the printed one, for one of the GRIM totals."""
    sd, tol = number(printed_sd), tolerance(printed_sd)
    if sd is None or n < 2:
        return True
    for s in sums:
        low = max(sd - tol, 0.0) ** 2 * (n - 1) + s * s / n
        high = (sd + tol) ** 2 * (n - 1) + s * s / n
        q = math.ceil(low - 1e-9)
        q += (q - s) % 2
        if q <= high + 1e-9:
            return True
    return False
