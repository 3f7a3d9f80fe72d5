"""Parsing the text of a printed table cell into values, keeping what was printed.

Every parser takes the cell text exactly as extracted and returns plain values (numbers,
units, qualifiers) together with the printed form, so that a reported ``7.50`` keeps its two
decimals and a ``<6 m`` keeps its ``<``. Missing-value markers (empty, NA, NR, -) give None.
Parsers are named in the curated mappings (``curated/mappings/*.toml``) by their key in
:data:`PARSERS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

MISSING = {"", "na", "n/a", "nr", "nd", "n.a.", "-", "--", "—", "–", "not available", "not reported"}

_NUMBER = re.compile(r"(?P<qual>[<>≤≥~]|<=|>=)?\s*(?P<num>[-+]?\d+(?:[.,]\d+)?)")
_POWER = re.compile(r"(?P<mant>\d+(?:\.\d+)?)\s*[×xX*]\s*10\^(?P<exp>[-+]?\d+)")
_UNITS_MONTHS = {
    "y": 12.0, "yr": 12.0, "yrs": 12.0, "year": 12.0, "years": 12.0,
    "m": 1.0, "mo": 1.0, "mos": 1.0, "month": 1.0, "months": 1.0,
    "w": 12 / 52.1775, "wk": 12 / 52.1775, "wks": 12 / 52.1775, "week": 12 / 52.1775, "weeks": 12 / 52.1775,
    "d": 12 / 365.25, "day": 12 / 365.25, "days": 12 / 365.25,
}


class CellError(ValueError):
    """A cell that does not read as the mapping says it should."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number as printed: its value, the digits as printed, decimals, qualifier and unit."""

    value: float
    printed: str
    decimals: int
    qualifier: str = ""
    unit: str = ""


def is_missing(text: str) -> bool:
    return text.strip().lower() in MISSING


def number(text: str) -> Number | None:
    """'63%' -> 63 (unit %); '<12 m' -> 12 (qualifier <, unit m); '7.50' keeps 2 decimals."""
    text = text.strip()
    if is_missing(text):
        return None
    m = _NUMBER.search(text)
    if m is None:
        raise CellError(f"no number in {text!r}")
    digits = m.group("num").replace(",", ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    unit = text[m.end() :].strip()
    return Number(float(digits), m.group("num"), decimals, m.group("qual") or "", unit)


def pair(text: str) -> tuple[Number | None, Number | None]:
    """'37.5% /40%' -> (37.5, 40); a single value -> (value, None). A unit after the second
    value applies to both ('8.95 /8.3 y')."""
    if is_missing(text):
        return None, None
    parts = [p.strip() for p in text.split("/")]
    if len(parts) == 1:
        return number(parts[0]), None
    if len(parts) != 2:
        raise CellError(f"expected 'a / b' in {text!r}")
    first, second = number(parts[0]), number(parts[1])
    if first is not None and second is not None and not first.unit and second.unit:
        first = Number(first.value, first.printed, first.decimals, first.qualifier, second.unit)
    return first, second


def count_group(text: str) -> dict[str, Any]:
    """'8/10(T1DM)' -> n per arm [8, 10] and the group in brackets; '65(T1DM)' -> [65, None]."""
    m = re.fullmatch(r"\s*(?P<counts>[^()]*?)\s*(?:\((?P<group>[^)]*)\))?\s*", text)
    if m is None or is_missing(m.group("counts") or ""):
        raise CellError(f"expected 'n/n(group)' in {text!r}")
    first, second = pair(m.group("counts"))
    counts = [int(v.value) if v is not None else None for v in (first, second)]
    return {"n": counts, "group": (m.group("group") or "").strip() or None}


def duration_months(text: str) -> dict[str, Any] | None:
    """'<6 m', '14.5 y', '42.7 w', '10.1y' -> months (weeks and years converted), with the printed
    value and unit; a pair ('8.95 /8.3 y') gives one value per arm."""
    if is_missing(text):
        return None
    values = []
    for n in pair(text):
        if n is None:
            values.append(None)
            continue
        unit = n.unit.lower().rstrip(".")
        if unit not in _UNITS_MONTHS:
            raise CellError(f"unknown time unit {n.unit!r} in {text!r}")
        values.append({"months": round(n.value * _UNITS_MONTHS[unit], 4), "printed": n.printed, "unit": unit, "qualifier": n.qualifier})
    return {"arms": values}


def dose(text: str) -> dict[str, Any] | None:
    """'5.8 × 10^6 /kg' -> 5.8e6 per_kg; '6.1 × 10^7' -> 6.1e7 absolute; '1000' -> 1000 absolute."""
    if is_missing(text):
        return None
    m = _POWER.search(text)
    if m:
        value = float(m.group("mant")) * 10 ** int(m.group("exp"))
        rest = text[m.end() :]
        printed = m.group(0)
    else:
        n = number(text)
        if n is None:
            return None
        value, rest, printed = n.value, n.unit, n.printed
    basis = "per_kg" if re.search(r"/\s*kg|\bkg\b|per\s*kg", rest, re.I) else "absolute"
    return {"value": value, "basis": basis, "printed": printed}


def sex(text: str) -> str | None:
    """'Male'/'M'/'man' -> 'M'; 'Female'/'F'/'woman' -> 'F'."""
    t = text.strip().lower()
    if is_missing(t):
        return None
    if t in {"m", "male", "man", "men"}:
        return "M"
    if t in {"f", "female", "woman", "women"}:
        return "F"
    raise CellError(f"unknown sex {text!r}")


def text(value: str) -> str | None:
    """The cell as printed; None for a missing-value marker."""
    return None if is_missing(value) else value.strip()


PARSERS: dict[str, Callable[[str], Any]] = {
    "text": text,
    "number": number,
    "pair": pair,
    "count_group": count_group,
    "duration_months": duration_months,
    "dose": dose,
    "sex": sex,
}
