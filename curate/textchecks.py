"""The text against its own tables and against itself: no mapping needed.

======================= =====================================================================
check                   rule
======================= =====================================================================
text.repeated_effect    the same effect reported twice (abstract, results, discussion, a
                        table's estimate (95% CI) cell): two of estimate, lower and upper limit
                        agree and the third differs
text.group_order        "29% in the intervention group v 21% in the control group" against the
                        table row printing both percentages: each under the column of the group
                        the sentence names (a swapped order is found)
text.parts              a count split into two named parts in brackets ("seven doctors (four
                        expatriates and three nationals)"): the parts add up to the count
text.percent_sum        percentages listed in one sentence ("59% ..., 40% ... and 1% ...") add
                        up to 100% to rounding; more is a warning, less may leave a category out
======================= =====================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from curate.cells import Number, read_cell
from curate.extract.output import paper_folders
from curate.findings import Finding, Location, claim_location
from curate.schemas.io import ReadError, read_frame
from curate.tablechecks import Table, read_tables, typed

#: Names of one effect measure, abbreviated or written out, to the one name they share.
_MEASURES = {
    "OR": r"\ba?ORs?\b|odds ratios?",
    "RR": r"\ba?RRs?\b|risk ratios?|relative risks?",
    "HR": r"\ba?HRs?\b|hazard ratios?",
    "IRR": r"\bIRRs?\b|rate ratios?",
    "MD": r"\b(?:W?MD|SMD)s?\b|mean differences?",
    "RD": r"\bRDs?\b|risk differences?",
}


def measure(text: str) -> str | None:
    """The effect measure a label names ('Adjusted odds ratio (95% CI)' -> 'OR'), else None."""
    for name, pattern in _MEASURES.items():
        if re.search(pattern, text, re.I):
            return name
    return None


@dataclass(frozen=True, slots=True)
class Effect:
    """An estimate with its CI, where it is printed (a claim of the text or a table cell)."""

    measure: str | None
    est: str
    lo: str
    hi: str
    location: Location
    where: str  # 'page 3' or 'Table 2, row 4'

    def numbers(self) -> tuple[float, float, float]:
        return tuple(_value(v) for v in (self.est, self.lo, self.hi))  # type: ignore[return-value]


def _value(printed: str) -> float:
    return float(printed.replace("−", "-").replace("–", "-").replace(",", "."))


def _text_effects(claims: pd.DataFrame) -> Iterator[Effect]:
    for _, row in claims[claims["kind"] == "effect"].iterrows():
        v = json.loads(row["values"])
        yield Effect(measure(v["measure"]), v["est"], v["lo"], v["hi"], claim_location(row), f"page {row['page']}")


def _table_effects(table: Table) -> Iterator[Effect]:
    for (number, row), cells in zip(table.rows, typed(table)):
        for t in cells:
            if t is None or t.form != "estimate_ci":
                continue
            parts: list[Number] = [t.cell.parts[k] for k in ("x", "lo", "hi")]
            name = measure(table.header[t.col]) or measure(row[0])
            caption = re.match(r"\s*(table\s*\S+)", table.caption, re.I)
            loc = Location(table.file, number, table.header[t.col], table.page)
            est, lo, hi = (p.printed for p in parts)
            yield Effect(name, est, lo, hi, loc, f"{caption.group(1) if caption else table.file}, row {number}")


def repeated_effects(paper: str, effects: list[Effect]) -> Iterable[Finding]:
    """text.repeated_effect: pairs of the same measure agreeing on two of three numbers."""
    for i, a in enumerate(effects):
        for b in effects[i + 1 :]:
            if a.measure and b.measure and a.measure != b.measure:
                continue
            same = [x == y for x, y in zip(a.numbers(), b.numbers())]
            if sum(same) == 3 and a.location.file != b.location.file:
                yield Finding("text.repeated_effect", "info", f"verified: {a.est} ({a.lo} to {a.hi}) on {a.where} is printed the same on {b.where}", a.location, paper, a.est, b.est, _key(b), (b.location,))
            elif sum(same) == 2:
                yield Finding(
                    "text.repeated_effect", "warning",
                    f"{a.measure or 'the effect'} {a.est} ({a.lo} to {a.hi}) on {a.where} is printed as {b.est} ({b.lo} to {b.hi}) on {b.where}",
                    a.location, paper, f"{a.est} ({a.lo} to {a.hi})", f"{b.est} ({b.lo} to {b.hi})", _key(b), (b.location,),
                )


def _key(effect: Effect) -> str:
    loc = effect.location
    return f"{loc.file}|{loc.row}|{loc.column}"


def _group_word(name: str) -> str | None:
    """The word that names a group, without 'group', 'arm' or 'patients' ('intervention group' -> 'intervention')."""
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", name) if w.lower() not in {"group", "groups", "arm", "arms", "patients", "participants", "the"}]
    return words[-1].lower() if words else None


def group_order(paper: str, claims: pd.DataFrame, tables: list[Table]) -> Iterable[Finding]:
    """text.group_order: a comparison's two groups against the columns of the row that prints both numbers."""
    for _, row in claims[claims["kind"] == "comparison"].iterrows():
        v = json.loads(row["values"])
        ga, gb = _group_word(v.get("ga", "")), _group_word(v.get("gb", ""))
        if not ga or not gb or ga == gb:
            continue
        for table in tables:
            cols = {g: [c for c, h in enumerate(table.header) if re.search(rf"\b{re.escape(g)}", h, re.I)] for g in (ga, gb)}
            if len(cols[ga]) != 1 or len(cols[gb]) != 1:
                continue
            ca, cb = cols[ga][0], cols[gb][0]
            for number, cells in table.rows:
                pa, pb = _pct(cells[ca]), _pct(cells[cb])
                if pa is None or pb is None or pa == pb:
                    continue
                where = Location(table.file, number, None, table.page)
                text = f"{v['a']}% ({v['ga']}) v {v['b']}% ({v['gb']})"
                if (pa, pb) == (v["a"], v["b"]):
                    yield Finding("text.group_order", "info", f"verified: {text} as in {table.file} row {number}", claim_location(row), paper, text, f"{pa}% v {pb}%", f"{table.file}|{number}", (where,))
                elif (pa, pb) == (v["b"], v["a"]):
                    yield Finding(
                        "text.group_order", "warning",
                        f"{text}, but {table.file} row {number} prints {pa}% under {table.header[ca]!r} and {pb}% under {table.header[cb]!r}: the groups are swapped",
                        claim_location(row), paper, text, f"{pa}% v {pb}%", f"{table.file}|{number}", (where,),
                    )


def _pct(text: str) -> str | None:
    """The percentage a cell prints, as printed ('76 (21.3)' in an n (%) table gives '21.3')."""
    cell = read_cell(text)
    part = cell.parts.get("pct") or (cell.parts.get("y") if cell.kind == "paren" else None)
    return part.printed if part is not None else None


def percent_sums(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.percent_sum: the shares one sentence lists add up to 100% (each rounded to its precision)."""
    from curate.rounding import tolerance

    for _, row in claims[claims["kind"] == "percents"].iterrows():
        printed = list(json.loads(row["values"]).values())
        total = sum(_value(p) for p in printed)
        tol = sum(tolerance(p) for p in printed)
        shown = " + ".join(printed)
        if abs(total - 100) <= tol + 1e-9:
            yield Finding("text.percent_sum", "info", f"verified: {shown} = {total:g}%", claim_location(row), paper, round(total, 6), 100)
        elif total > 100:
            yield Finding("text.percent_sum", "warning", f"the shares listed add up to {total:g}%, more than 100% ({shown})", claim_location(row), paper, round(total, 6), 100)
        else:
            yield Finding("text.percent_sum", "info", f"the shares listed add up to {total:g}% ({shown}): a category may be left out", claim_location(row), paper, round(total, 6), 100)


def parts(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.parts: the two parts a count is split into in brackets add up to it."""
    from curate.extract.claims import WORDS

    def whole(printed: str) -> int | None:
        text = printed.replace(",", "").lower()
        return int(text) if text.isdigit() else WORDS.get(text)

    for _, row in claims[claims["kind"] == "parts"].iterrows():
        v = json.loads(row["values"])
        n, a, b = whole(v["n"]), whole(v["a"]), whole(v["b"])
        if n is None or a is None or b is None:
            continue
        text = f"{v['a']} {v['ga']} + {v['b']} {v['gb']} = {a + b}"
        if a + b == n:
            yield Finding("text.parts", "info", f"verified: {text} = {v['n']}", claim_location(row), paper, v["n"], a + b)
        else:
            yield Finding("text.parts", "error", f"{text}, not the {v['n']} they are parts of", claim_location(row), paper, v["n"], a + b)


def text_checks(raw: Path) -> list[Finding]:
    """Every text-against-itself and text-against-table finding for the papers in ``raw``."""
    findings: list[Finding] = []
    tables_by_paper: dict[str, list[Table]] = {}
    for table in read_tables(raw):
        tables_by_paper.setdefault(table.paper, []).append(table)
    for path in (f / "claims.csv" for f in paper_folders(raw) if (f / "claims.csv").is_file()):
        paper = path.parent.name
        try:
            claims = read_frame(path)
        except ReadError:
            continue
        if not {"kind", "values", "page", "index"} <= set(claims.columns):
            continue
        tables = tables_by_paper.get(paper, [])
        effects = list(_text_effects(claims)) + [e for t in tables for e in _table_effects(t)]
        findings.extend(repeated_effects(paper, effects))
        findings.extend(group_order(paper, claims, tables))
        findings.extend(percent_sums(paper, claims))
        findings.extend(parts(paper, claims))
    return findings
