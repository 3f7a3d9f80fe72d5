"""Claims: the numbers a paper's text reports, each with where it is and what it is about.

Every sentence of the body (before the reference list) is scanned for checkable numbers:

========== ===========================================================================
kind       example of what is matched
========== ===========================================================================
count      "A total of 61 patients", "21 included studies", "Four patients"
split      "42 male and 16 female", "two were women and two were men"
mean       "mean age of 63.3 years", "The mean HbA1c level was 7.49%"
median     "median follow-up duration ... was 35 months"
range      "(range: 42 to 89 years)", "ranging from 6.3% to 12.4%"
iqr        "Interquartile range: 15.25 - 45.75 months"
proportion "20 of 64 (31.25%)"
effect     "MD, -35.76; 95% CI, -40.47 to -31.04; P = 0.13"
p_value    "p < 0.0001", "p = 0.0122" (not part of an effect)
correlation "correlation ... 0.041", "r = 0.32"
group      "moderate (HbA1c 6.2-8%)", "severe (HbA1c >8%)"
========== ===========================================================================

Numbers are kept exactly as printed (strings: trailing zeros and ``<`` survive). The claim
records the matched words (``span``), not the sentence: the sentence is the paper's prose and
is found again from ``page`` and ``bbox`` when a person needs it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from extract.bodytext import BodyText
from extract.output import write_csv
from extract.references import Piece

NUM = r"[-−–]?\d+(?:[.,]\d+)?"
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20,
}
COUNT_WORD = r"(?:\d[\d,]*|" + "|".join(WORDS) + r")"
UNITS = r"(?:%|years?|months?|weeks?|days?|mg/dL|mmol/L|kg|cells|million cells|billion cells)"
#: Measures a claim can be about, in the words papers use (the first found near the number wins).
SUBJECTS = {
    "hba1c": r"hba1c|glycated haemoglobin|glycosylated hemoglobin",
    "age": r"\bage\b|aged|years old",
    "follow_up": r"follow-?up|observ\w+ (?:period|duration|month)|duration",
    "dose": r"\bdose|billion cells|million cells",
    "glucose": r"glucose|fpg|fbg",
    "c_peptide": r"c-peptide",
    "insulin": r"insulin",
    "patients": r"patients|participants|subjects|cases|individuals",
    "studies": r"studies|trials",
}
COUNTED = r"(?:patients|participants|subjects|cases|individuals|people|studies|trials|women|men|arms|eyes)"

#: A group definition: a name, then the measure and its bounds in brackets ("severe (HbA1c >8%)").
GROUP = re.compile(
    rf"\b(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){{0,2}})\s*\(\s*(?P<measure>HbA1c|age|BMI|glucose)\s*(?P<op>[<>≤≥]=?)?\s*"
    rf"(?P<lo>{NUM})\s*(?:(?:-|–|to)\s*(?P<hi>{NUM}))?\s*(?P<unit>%|years|kg/m2|mg/dL)?\s*\)",
    re.I,
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("effect", re.compile(
        rf"(?P<measure>\b(?:MD|SMD|OR|RR|HR|WMD|mean difference|odds ratio|risk ratio|hazard ratio))\)?,?\s*(?:=|:)?\s*(?P<est>{NUM})\s*[;,]\s*95\s*%\s*CI[,:]?\s*(?P<lo>{NUM})\s*(?:to|–|-|,)\s*(?P<hi>{NUM})"
        rf"(?:\s*[;,]\s*[Pp]\s*(?P<pq>[<=>≤≥])\s*(?P<p>\d*\.\d+|\d+))?", re.I)),
    ("proportion", re.compile(rf"(?<![\d.,])(?P<x>\d[\d,]*)\s+(?:of|out of)\s+(?P<y>\d[\d,]*)\s*(?:\w+\s+){{0,3}}?\((?P<pct>\d+(?:\.\d+)?)\s*%\)")),
    ("proportion", re.compile(rf"(?<![\d.,])(?P<x>{COUNT_WORD})\s+(?:of|out of)\s+(?:the\s+)?(?P<y>\d[\d,]*)\s+(?P<what>(?:[a-zA-Z0-9-]+\s+){{0,2}}?{COUNTED})\b", re.I)),
    ("split", re.compile(
        rf"(?P<a>{COUNT_WORD})\s+(?:were\s+)?(?P<ga>male|female|men|women|boys|girls|males|females)\s*(?:patients\s*)?(?:,|and|;)\s*(?:of\s+which\s+)?(?P<b>{COUNT_WORD})\s+(?:were\s+)?(?P<gb>male|female|men|women|boys|girls|males|females)", re.I)),
    ("iqr", re.compile(rf"(?:interquartile range|IQR)\s*[:(,]?\s*(?P<lo>{NUM})\s*(?:-|–|to)\s*(?P<hi>{NUM})\s*(?P<unit>{UNITS})?", re.I)),
    ("range", re.compile(rf"(?:range[sd]?(?:\s+of)?|ranging|ranged)\s*(?:from|:|between)?\s*(?P<lo>{NUM})\s*(?P<u1>{UNITS})?\s*(?:to|-|–|and)\s*(?P<hi>{NUM})\s*(?P<unit>{UNITS})?", re.I)),
    ("median", re.compile(rf"\bmedian\b(?P<subject>[^.;:()]{{0,60}}?)(?:was|of|=|:|is)\s*(?P<value>{NUM})\s*(?P<unit>{UNITS})?", re.I)),
    ("mean", re.compile(rf"\b(?:mean|average)\b(?P<subject>[^.;:()]{{0,60}}?)(?:was|of|=|:|is|decreased to|increased to|reduced to)\s*(?P<value>{NUM})\s*(?P<unit>{UNITS})?", re.I)),
    ("correlation", re.compile(rf"(?:\bcorrelation\b[^.;:]{{0,80}}?(?::|=|was|of)\s*|\br\s*=\s*)(?P<value>{NUM})", re.I)),
    ("p_value", re.compile(r"\b[Pp]\s*(?:-value\s*)?(?P<pq>[<=>≤≥])\s*(?P<p>\d*\.\d+)")),
    ("group", GROUP),
    ("count", re.compile(rf"(?:(?:a\s+)?total\s+of\s+)?(?<![\d.,])(?<!type )(?<!Type )(?P<n>{COUNT_WORD})\s+(?P<what>(?!million|billion)(?:[a-zA-Z0-9-]+\s+){{0,3}}?{COUNTED})\b", re.I)),
]

COLUMNS = ["claim_id", "index", "page", "bbox", "kind", "subject", "values", "span", "context"]
_CHANGE = re.compile(r"reduction|decrease of|decreased by|change|difference|fell by|dropped by|improvement of", re.I)
_BEFORE = re.compile(r"\bbefore\b|baseline|pre-?treatment|at entry|at enrol", re.I)
_AFTER = re.compile(r"\bafter\b|post-?treatment|following|decreased to|fell to|reduced to|at follow-?up", re.I)


def _named_group(text: str, groups: Iterable[str]) -> str | None:
    """The group named last in ``text`` (the longest name where two start at the same place)."""
    found = [(m.start(), len(g), g) for g in groups for m in re.finditer(rf"\b{re.escape(g)}\b", text, re.I)]
    return max(found)[2] if found else None


def _context(sentence: str, end: int, groups: Iterable[str], inherited: str | None) -> str:
    head = sentence[:end]
    tags = []
    if _CHANGE.search(head):
        tags.append("change")
    timing = [(m.start(), "before") for m in _BEFORE.finditer(head)] + [(m.start(), "after") for m in _AFTER.finditer(head)]
    if timing:
        tags.append(max(timing)[1])
    group = _named_group(head, groups) or inherited
    if group:
        tags.append(f"group={group}")
    return ";".join(tags)


@dataclass(slots=True)
class Claim:
    """A number (or set of numbers) the text reports."""

    index: int
    page: int
    bbox: list[float]
    kind: str
    subject: str
    values: dict[str, str] = field(default_factory=dict)  # named numbers exactly as printed
    span: str = ""  # the matched words
    #: What the sentence says about the number, as tags: 'change' (a reduction, a difference),
    #: 'before' or 'after' (the timing named last before it), 'group=<name>' (a group the paper
    #: defines elsewhere, named in the same sentence).
    context: str = ""
    #: Stable across runs while the text does not change: page, kind, a hash of the words, and
    #: which occurrence of the same words on that page it is.
    claim_id: str = ""


def sentences(text: BodyText) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences: split after . ! ? before a capital (not after 'et al.',
    'e.g.', an initial or an abbreviation) and where a line starts with a bullet."""
    cuts = {s for s in text.line_starts if re.match(r"[•▪◦●–-]\s", text.text[s : s + 2])}
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(\[])", text.text):
        before = text.text[max(0, m.start() - 6) : m.start()]
        if not re.search(r"(?:\bet al\.|\be\.g\.|\bi\.e\.|\b[A-Z]\.|\bvs\.|\bFig\.|\bNo\.)$", before):
            cuts.add(m.end())
    edges = [0, *sorted(c for c in cuts if 0 < c < len(text.text)), len(text.text)]
    return list(zip(edges, edges[1:]))


GENERIC = {"follow_up", "patients", "studies"}


def _subject(sentence: str, at: int) -> str:
    """The measure named nearest before ``at`` (else after it) in the sentence; a specific
    measure (HbA1c, age...) wins over a generic one (patients, follow-up)."""
    best: tuple[bool, int, str] | None = None
    lower = sentence.lower()
    for name, pattern in SUBJECTS.items():
        for m in re.finditer(pattern, lower):
            distance = at - m.end() if m.end() <= at else (m.start() - at) + 1000
            key = (name in GENERIC, distance, name)
            if best is None or key < best:
                best = key
    return best[2] if best else ""


def _values(kind: str, m: re.Match[str]) -> dict[str, str]:
    values = {k: v.strip() for k, v in m.groupdict().items() if v is not None and k not in ("subject",)}
    if kind == "group":  # 'categorized into moderate' -> 'moderate'; 'Severe Diabetes Group' stays
        words = values["name"].split()
        values["name"] = values["name"] if all(w[0].isupper() for w in words) else words[-1]
    return values


def extract_claims(body: Sequence[Piece]) -> list[Claim]:
    """Every checkable number in the body text, in reading order."""
    text = BodyText(body)
    groups = sorted({m.group("name").split()[-1] if not all(w[0].isupper() for w in m.group("name").split()) else m.group("name") for m in GROUP.finditer(text.text)}, key=str.lower)
    groups = [g for g in groups if not re.fullmatch(r"[A-Z0-9]{2,}", g)]  # 'T2DM (HbA1c >= 6.2%)' is an inclusion criterion, not a group
    claims: list[Claim] = []
    heading_group: str | None = None  # a group named by a list header ("... Group (HbA1c >8%):")
    for start, end in sentences(text):
        sentence = text.text[start:end]
        bullet = bool(re.match(r"\s*[•▪◦●–-]\s", sentence))
        inherited = None
        if sentence.rstrip().endswith(":"):  # a list header: its group holds for the items under it
            heading_group = _named_group(sentence, groups)
        elif bullet:
            inherited = heading_group
        else:
            heading_group = None
        taken: list[tuple[int, int]] = []
        for kind, pattern in _PATTERNS:
            for m in pattern.finditer(sentence):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue  # a p inside an effect, a count inside a split: counted once
                if kind == "count" and not re.search(r"\d", m.group("n")) and m.group("n").lower() not in WORDS:
                    continue
                taken.append((m.start(), m.end()))
                page, box = text.where(start + m.start(), start + m.end())
                subject = _subject(sentence, m.start()) if kind not in ("count", "split") else (m.groupdict().get("what") or "patients").split()[-1].lower()
                unit = (m.groupdict().get("unit") or "").lower()
                if unit.startswith(("month", "week", "day")):
                    subject = "follow_up"  # a duration in months is a follow-up, whatever measure the sentence names
                named = groups if kind != "group" else []
                context = _context(sentence, m.end(), named, inherited if kind != "group" else None)
                claims.append(Claim(0, page, [round(v, 2) for v in box], kind, subject, _values(kind, m), m.group(0).strip(), context))
    seen: dict[tuple[int, str, str], int] = {}
    for index, claim in enumerate(claims, start=1):
        claim.index = index
        key = (claim.page, claim.kind, claim.span)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha1(claim.span.encode("utf-8")).hexdigest()[:6]
        claim.claim_id = f"c{claim.page:02d}-{claim.kind}-{digest}-{seen[key]}"
    return claims


def write_claims_csv(claims: Iterable[Claim], path: Path) -> None:
    """``claims.csv``: one row per claim, ``values`` as JSON of strings, written atomically."""
    rows = [
        [c.claim_id, c.index, c.page, json.dumps(c.bbox), c.kind, c.subject, json.dumps(c.values, ensure_ascii=False), c.span, c.context]
        for c in claims
    ]
    write_csv(path, [COLUMNS, *rows])
