"""Parsing the text of a printed table cell into values, keeping what was printed.

Every parser takes the cell text exactly as extracted and returns plain values (numbers,
units, qualifiers) together with the printed form, so that a reported ``7.50`` keeps its two
decimals and a ``<6 m`` keeps its ``<``. Missing-value markers (empty, NA, NR, -) give None.
Parsers are named in the curated mappings (``curated/mappings/*.toml``) by their key in
:data:`PARSERS`.

:func:`read_cell` is the one grammar of a printed cell: it tells the forms a table uses
("76/357 (21)", "12 (3.1%)", "54.5 ± 3.0", "2.1 (1.5 to 3.0)", "<0.001", "NR") apart and
keeps each number as printed; :func:`form_of` reads what a header or row label says its cells
hold ("n (%)", "mean (SD)", "median [IQR]", "OR (95% CI)") and :func:`header_n` the column's
denominator ("Intervention (n=384)"). The mapping parsers and the table checks
(:mod:`curate.tablechecks`) both read cells through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MISSING = {"", "na", "n/a", "nr", "nd", "n.a.", "-", "--", "—", "–", "not available", "not reported"}

#: A printed number: thousands grouped by commas ("1,015") or a decimal point or comma ("7.5", "7,5").
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:[.,·]\d+)?|[.·]\d+"
_NUMBER = re.compile(rf"(?P<qual><=|>=|[<>≤≥~])?\s*(?P<num>[-+−–]?(?:{_DIGITS}))")
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
    return _token(m, text[m.end() :].strip())


def _token(m: re.Match[str], unit: str = "") -> Number:
    """The Number a match of :data:`_NUMBER` stands for."""
    printed = m.group("num")
    digits = printed.replace("−", "-").replace("–", "-").replace("·", ".")
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    digits = digits.replace(",", ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return Number(float(digits), printed, decimals, m.group("qual") or "", unit)


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
    """'8/10(A)' -> n per arm [8, 10] and the group in brackets; '65(A)' -> [65, None]."""
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
    values: list[dict[str, object] | None] = []
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


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell read by :func:`read_cell`: its form and its numbers (``parts``) as printed.

    ``kind`` is what the printing alone shows: ``missing``, ``text``, ``number``, ``percent``,
    ``p``, ``count_pct`` ("12 (3.1%)"), ``paren`` ("12 (3.1)": n (%) or mean (SD), the header
    says which), ``fraction`` ("76/357"), ``fraction_pct`` ("76/357 (21)"), ``mean_sd``
    ("54.5 ± 3.0", with ``lo``/``hi`` when a range follows), ``interval`` ("2.1 (1.5 to 3.0)":
    median [IQR], estimate (CI), mean (range)) and ``range`` ("42-89"). ``label`` keeps the
    words printed inside the brackets ("95% CI", "IQR").
    """

    kind: str
    printed: str
    parts: dict[str, Number] = field(default_factory=dict)
    label: str = ""

    def get(self, key: str) -> Number | None:
        """The part named ``key`` (mapping paths such as ``parts.n.value`` reach it too)."""
        return self.parts.get(key)


_N = rf"(?:<=|>=|[<>≤≥~])?\s*[-+−–]?(?:{_DIGITS})"
#: A number whose thousands are grouped by spaces ('60 826') or set with a space after its
#: decimal point ('21. 03'), read only beside a '±' ('60 826 ± 9 175'), where two numbers of
#: merged columns cannot stand.
_SPACED = r"[-+−–]?(?:\d{1,3}(?: \d{3})+(?![\d,])(?:\.\d+)?|\d+\. \d+)"
_NS = rf"(?:{_SPACED}|{_N})"
#: Between the two ends of an interval: "to", a dash, a comma or a semicolon.
_SEP = r"\s*(?:to|–|—|-|−|,|;|‒)\s*"
_OPEN, _CLOSE = r"[(\[]", r"[)\]]"
#: Words that may precede the numbers inside brackets: "95% CI", "IQR", "range", "SD".
_INNER = r"(?P<label>(?:\d+\s*%\s*)?(?:CI|C\.I\.|confidence interval|IQR|interquartile range|range|min(?:imum)?\s*[-–,]\s*max(?:imum)?|SD|SE|s\.d\.)\s*[:=,]?\s*)?"
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("fraction_pct", re.compile(rf"(?P<n>{_N})\s*/\s*(?P<d>{_N})\s*{_OPEN}\s*(?P<pct>{_N})\s*%?\s*{_CLOSE}")),
    ("count_pct", re.compile(rf"(?P<n>{_N})\s*{_OPEN}\s*(?P<pct>{_N})\s*%\s*{_CLOSE}")),
    ("count_pct", re.compile(rf"(?P<pct>{_N})\s*%\s*{_OPEN}\s*(?:n\s*=\s*)?(?P<n>{_N})\s*{_CLOSE}")),
    ("mean_sd", re.compile(rf"(?P<x>{_NS})\s*(?:±|\+/-|\+-|\+/−|\+−)\s*(?P<s>{_NS})(?:\s*{_OPEN}\s*{_INNER}(?P<lo>{_N}){_SEP}(?P<hi>{_N})\s*{_CLOSE})?")),
    ("interval", re.compile(rf"(?P<x>{_N})\s*{_OPEN}\s*{_INNER}(?P<lo>{_N}){_SEP}(?P<hi>{_N})\s*{_CLOSE}")),
    ("paren", re.compile(rf"(?P<x>{_N})\s*{_OPEN}\s*{_INNER}(?P<y>{_N})\s*{_CLOSE}")),
    ("fraction", re.compile(r"(?P<n>\d[\d,]*)\s*/\s*(?P<d>\d[\d,]*)")),
    ("p", re.compile(rf"[Pp]\s*(?:-?value)?\s*(?P<q><=|>=|[<>≤≥=])\s*(?P<p>{_N})")),
    ("percent", re.compile(rf"(?P<pct>{_N})\s*%")),
    ("number", re.compile(rf"(?P<x>{_N})")),
    ("range", re.compile(rf"(?P<lo>{_N}){_SEP}(?P<hi>{_N})")),
]


def _part(printed: str) -> Number:
    if re.fullmatch(_SPACED, printed.strip()):  # printed with its digit groups, without a stray space after the point
        n = _part(printed.replace(" ", ""))
        return Number(n.value, printed.strip().replace(". ", "."), n.decimals, n.qualifier, n.unit)
    m = _NUMBER.fullmatch(printed.strip())
    if m is None:
        raise CellError(f"no number in {printed!r}")
    return _token(m)


def read_cell(printed: str) -> Cell:
    """The one grammar of a printed table cell: '76/357 (21)' -> fraction_pct n=76 d=357
    pct=21; 'NR' or '–' -> missing; words -> text. A unit or footnote mark after the numbers
    is allowed ('12.5 mg', '45 (12)a'); anything else makes the cell text."""
    text = " ".join(printed.replace("\u2009", " ").replace("\u00a0", " ").split())
    if is_missing(text):
        return Cell("missing", printed)
    for kind, pattern in _FORMS:
        m = pattern.match(text)
        if m is None or not _tail_ok(text[m.end() :], kind):
            continue
        parts = {k: _part(v) for k, v in m.groupdict().items() if v is not None and k not in ("label", "q")}
        if kind == "p":
            parts["p"] = Number(parts["p"].value, parts["p"].printed, parts["p"].decimals, m.group("q"), "")
        if kind == "fraction" and not all(float(p.value).is_integer() for p in parts.values()):
            continue
        label = (m.groupdict().get("label") or "").strip(" :=,")
        return Cell(kind, printed, parts, label)
    return Cell("text", printed)


def _tail_ok(tail: str, kind: str) -> bool:
    """What may follow the numbers: nothing, a unit ('mg', 'years', '%'), or a footnote mark."""
    tail = tail.strip()
    if not tail:
        return True
    if kind in ("number", "range") and re.fullmatch(r"%|[a-zA-Zµμ/°²³]{1,12}(?:/[a-zA-Z0-9²]+)?\.?", tail):
        return True
    return bool(re.fullmatch(r"[*†‡§¶#]+|[a-f]", tail))


#: What a header or row label says its cells hold, by the words it prints.
_LABEL_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("estimate_ci", re.compile(r"\b(?:CI|confidence interval|C\.I\.)\b", re.I)),
    ("median_iqr", re.compile(r"\bmedian\b.*\b(?:IQR|interquartile|Q1|quartiles?)\b|\bIQR\b", re.I)),
    ("median_range", re.compile(r"\bmedian\b.*\b(?:range|min)", re.I)),
    ("mean_range", re.compile(r"\bmean\b.*\brange\b", re.I)),
    ("mean_se", re.compile(r"\bmean\b.*\b(?:SE|SEM|s\.e\.m?\.|standard error)\b|±\s*SEM?\b", re.I)),
    ("mean_sd", re.compile(r"\bmean\b.*\b(?:SD|s\.d\.|standard deviation)\b|\bmean\s*±|±\s*SD\b", re.I)),
    ("count_pct", re.compile(r"\b[nN]\s*[(\[]\s*%\s*[)\]]|\bno\.\s*[(\[]\s*%\s*[)\]]|\bnumber\s*[(\[]\s*%\s*[)\]]|\b[nN]\s*/\s*[nN]\s*[(\[]\s*%\s*[)\]]", re.I)),
    ("p", re.compile(r"^\s*p(?:[- ]?values?)?\s*[a-f*†‡§¶]?\s*$|\bp[- ]value\b", re.I)),
    ("percent", re.compile(r"[(\[]\s*%\s*[)\]]|%\s*$|\bpercent(?:age)?\b", re.I)),
]
#: Effect measures on the ratio scale (their CI is symmetric around the log of the estimate).
RATIO = re.compile(r"\b(?:OR|aOR|RR|aRR|HR|aHR|IRR|PR|odds ratio|risk ratio|hazard ratio|rate ratio|relative risk|ratio)s?\b", re.I)


def form_of(label: str) -> str | None:
    """What a header or row label says its cells hold: 'Age, mean (SD)' -> 'mean_sd',
    'Intervention n (%)' -> 'count_pct', 'OR (95% CI)' -> 'estimate_ci', 'P value' -> 'p'."""
    for form, pattern in _LABEL_FORMS:
        if pattern.search(label):
            return form
    return None


_HEADER_N = re.compile(r"(?<![A-Za-z])[nN]\s*=\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?![\d.])")


def header_n(label: str) -> int | None:
    """The denominator a header prints: 'Intervention (n=384)' -> 384, 'N = 1,012' -> 1012."""
    m = _HEADER_N.search(label)
    return int(m.group("n").replace(",", "")) if m else None


def cell(value: str) -> Cell | None:
    """Mapping parser ``cell``: the cell by :func:`read_cell` (``get = "parts.n.value"``); None when missing."""
    parsed = read_cell(value)
    if parsed.kind == "text":
        raise CellError(f"no table value in {value!r}")
    return None if parsed.kind == "missing" else parsed


PARSERS: dict[str, Callable[[str], Any]] = {
    "text": text,
    "number": number,
    "pair": pair,
    "count_group": count_group,
    "duration_months": duration_months,
    "dose": dose,
    "sex": sex,
    "cell": cell,
}
