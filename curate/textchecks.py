"""The text against its own tables and against itself: no mapping needed.

======================= =====================================================================
check                   rule
======================= =====================================================================
text.table_value        a number the text gives with a table's row label ("remission ... 28.9%",
                        "(Table 2)" narrowing it to that table) against the row's cell of the
                        same kind (n, %, mean, SD, median), in the column of the group the
                        sentence names ("in the control group"): a number found elsewhere in
                        the row says the groups are swapped
text.repeated_value     the same quantity of any kind (n, %, mean, SD, median, "29% v 21%")
                        given in two sentences with the same words about it (and the same
                        group and unit): numbers that differ as a slip of the pen does (two
                        digits transposed, one digit changed) or a comparison's two in the
                        opposite order
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
                        (two shares of one whole, "41% of the admissions ... and 59% ...": more
                        than 100% is a warning only when the second is "the remaining")
text.product            "180 patterns in each of the 8 subjects" against the total the sentence
                        counts of the same thing ("1440 stimulation patterns")
======================= =====================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from curate.cells import CellError, Number, read_cell
from curate.cells import number as cell_number
from curate.claimlinks import ungrouped
from curate.extract.output import paper_folders
from curate.findings import Finding, Location, claim_location
from curate.rounding import tolerance
from curate.schemas.io import ReadError, read_frame
from curate.tablechecks import Table, Typed, read_tables, typed
from curate.tidy import table_number

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
    return float(ungrouped(printed).replace("−", "-").replace("–", "-").replace(",", "."))


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


#: Words of a row label or a sentence that name no quantity of their own.
_FILLER = {"the", "a", "an", "of", "in", "on", "at", "and", "or", "with", "was", "were", "is", "are", "had", "for", "to", "by", "from", "than",
           "group", "groups", "arm", "arms", "patients", "participants", "n", "no", "yes", "total", "all", "other", "none", "mean", "median", "sd", "iqr"}


def _words(text: str) -> set[str]:
    """The content words of a label or of a claim's ``about`` words, lower-cased, stems cut at 6 letters."""
    return {w[:6] for w in re.findall(r"[a-z][a-z-]{2,}", text.lower()) if w not in _FILLER}


def _tags(context: str) -> dict[str, str]:
    return dict(t.split("=", 1) for t in context.split(";") if "=" in t) if context else {}


#: What a claim reports that a table cell may print: (claim value key, cell part keys).
_ROLES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "share": [("x", ("n",)), ("pct", ("pct",))],
    "proportion": [("x", ("n",)), ("pct", ("pct",))],
    "percent": [("pct", ("pct",))],
    "mean": [("value", ("x",)), ("sd", ("s",)), ("pm", ("s",))],
    "median": [("value", ("x",))],
    "fold": [("value", ("v",))],
    "score": [("value", ("v", "x"))],
    "measure": [("value", ("v", "x"))],
}
#: The cell forms each role is read from.
_ROLE_FORMS = {"n": ("count_pct", "fraction_pct"), "pct": ("count_pct", "fraction_pct", "percent"), "x": ("mean_sd", "mean_se", "median_iqr", "median_range", "mean_range", "interval"), "s": ("mean_sd", "mean_se"), "v": ("number",)}
#: The cell part a role reads when it is not named the same ('v': the plain number's ``x``).
_PART = {"v": "x"}


def _same(printed: str, part: Number) -> bool:
    """The text's number and a cell's are the same to the coarser of their printed precisions."""
    a = _value(printed)
    return abs(a - part.value) <= max(tolerance(printed), tolerance(part.printed)) + 1e-9


def _row_for(about: set[str], table: Table, bare: bool = False) -> list[tuple[int, list[str], int]]:
    """(index, row, matched words) of the rows whose label's content words all appear in
    ``about`` (``bare``: the label's words outside brackets, 'SPECTER (Ours)' -> 'SPECTER')."""
    rows = []
    for i, (_, row) in enumerate(table.rows):
        label = _words(re.sub(r"\([^)]*\)", " ", row[0]) if bare else row[0])
        if label and label <= about:
            rows.append((i, row, len(label)))
    best = max((r[2] for r in rows), default=0)
    return [r for r in rows if r[2] == best]


def _groups(table: Table) -> dict[int, set[str]]:
    """The content words of each data column's header that may name a group ('Intervention (n=384)' -> {'interv'})."""
    return {c: _words(re.sub(r"\b[nN]\s*=\s*[\d,]+|\(.*?%.*?\)|95\s*%\s*CI", " ", h)) for c, h in enumerate(table.header) if c}


def _order(about: str, groups: dict[int, set[str]], named: set[int]) -> list[int]:
    """Named columns in the order the sentence names their groups ('in the intervention and control groups')."""
    words = [w[:6] for w in re.findall(r"[a-z][a-z-]{2,}", about.lower())]
    return sorted(named, key=lambda c: min(i for i, w in enumerate(words) if w in groups[c]))


def table_values(paper: str, claims: pd.DataFrame, tables: list[Table]) -> Iterable[Finding]:
    """text.table_value: a number the text gives with a table's row label (or with a pointer to
    the table) against that row's cell, in the column of the group the sentence names; two
    percentages given for two groups named in order ('in the intervention and control groups
    were 29% and 21%, respectively') each against its group's column."""
    grids = {id(t): typed(t) for t in tables}
    numbers = {id(t): table_number(t.caption) for t in tables}
    column_words = {id(t): _groups(t) for t in tables}
    for _, claim in claims[claims["kind"].isin([*_ROLES, "comparison"])].iterrows():
        tags = _tags(claim["context"])
        about = _words(tags.get("about", ""))
        values = json.loads(claim["values"])
        if not about or (claim["kind"] == "comparison" and "ga" in values and "gb" in values):
            continue  # a comparison naming its groups next to its numbers is text.group_order's
        pointer = tags.get("table")
        for table in tables:
            number = numbers[id(table)]
            if pointer and number != int(pointer):
                continue
            matched = _row_for(about, table, bare=claim["kind"] == "score")
            if len(matched) != 1:
                continue  # no row, or several rows named as well
            i, row, _ = matched[0]
            groups = column_words[id(table)]
            named = {c for c, words in groups.items() if words & about}
            wanted: list[tuple[str, tuple[str, ...], list[int]]]
            if claim["kind"] == "score":  # the one column whose header the words name most of ('on the co-view task', 'MAP')
                overlap = {c: len(words & about) for c, words in groups.items()}
                top = max(overlap.values(), default=0)
                named = {c for c, k in overlap.items() if k == top} if top >= 2 else set()
                if len(named) != 1:
                    break
                wanted = [(key, parts, sorted(named)) for key, parts in _ROLES["score"]]
            elif claim["kind"] == "comparison":
                if len(named) != 2:
                    break
                first, second = _order(tags["about"], groups, named)
                wanted = [("a", ("pct",), [first]), ("b", ("pct",), [second])]
            elif len(named) > 1:
                break  # several groups named: which number is whose is not said
            else:
                wanted = [(key, parts, sorted(named) or list(range(1, len(row)))) for key, parts in _ROLES[claim["kind"]]]
            caption = f"Table {number}" if number is not None else table.file
            for key, part_keys, cols in wanted:
                yield from _cell_value(paper, claim, values.get(key), key, part_keys, cols, table, grids[id(table)][i], i, caption, bool(named or pointer))
            break


def _cell_value(paper: str, claim: pd.Series, printed: str | None, key: str, part_keys: tuple[str, ...], cols: list[int], table: Table,
                cells: list[Typed | None], i: int, caption: str, alarm: bool) -> Iterable[Finding]:
    """One number of the text against the cells of its row in ``cols`` (found in another column: swapped)."""
    number, label = table.rows[i][0], table.rows[i][1][0].strip()
    where = Location(table.file, number, table.header[cols[0]] if len(cols) == 1 else None, table.page)
    parts = [(t, p) for t in cells if t is not None and t.col in cols for k in part_keys if t.form in _ROLE_FORMS[k] and (p := t.part(_PART.get(k, k))) is not None]
    if printed is None or not parts or _printed_number(printed) is None:
        return
    shown = f"{printed}{'%' if part_keys == ('pct',) else ''}"
    same = [(t, p) for t, p in parts if _same(printed, p)]
    subject = f"{claim['claim_id']}|{key}"
    if same:
        yield Finding("text.table_value", "info", f"verified: {shown} for {label!r} on page {claim['page']} is printed in {caption}, row {number}, {table.header[same[0][0].col]!r}",
                      claim_location(claim), paper, printed, same[0][1].printed, subject, (where,))
    elif alarm and key != "pm":  # a ± term may be an SE where the table prints an SD: only its agreement is told
        cell_text = "; ".join(f"{p.printed} under {table.header[t.col]!r}" for t, p in parts)
        other = [table.header[t.col] for t in cells if t is not None and t.col not in cols and any(_same(printed, p) for k in part_keys if (p := t.part(_PART.get(k, k))) is not None)]
        why = f" (it is the {other[0]!r} column's: the groups may be swapped)" if other else ""
        yield Finding("text.table_value", "warning", f"page {claim['page']} prints {shown} for {label!r}, but {caption}, row {number} prints {cell_text}{why}",
                      claim_location(claim), paper, printed, parts[0][1].printed, subject, (where,))


#: The numbers of a claim that say what it reports, by kind (a comparison's two as a pair).
_REPORTED = {"share": ("x", "pct"), "proportion": ("x", "y", "pct"), "percent": ("pct",), "mean": ("value", "sd", "pm"), "median": ("value",), "comparison": ("a", "b")}


def _printed_number(printed: str) -> Number | None:
    """A claim's number in digits as a :class:`Number` ('four' and other words: None)."""
    try:
        text = ungrouped(printed.strip())
        return cell_number(text) if re.fullmatch(r"[<>≤≥~]?\s*[-−–]?[\d.,]+", text) else None
    except CellError:
        return None


def _slip(a: str, b: str) -> bool:
    """Two printings of what should be one number that differ as a slip of the pen does: two
    digits transposed ('28.9', '29.8') or one digit changed ('12', '13')."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and sorted(a) == sorted(b))


def _same_words(a: set[str], b: set[str]) -> bool:
    """Two numbers' words name the same thing: the fewer are all among the more, and most of them."""
    few, many = sorted((a, b), key=len)
    return few <= many and len(few) >= max(2, 0.6 * len(many))


def repeated_values(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.repeated_value: the same quantity (same kind, the same words about it, the same
    group) given in two sentences (abstract, results, discussion) with numbers that differ as a
    slip does, or a comparison's two numbers in the opposite order."""
    rows = [(c, _words(_tags(c["context"]).get("about", "")), json.loads(c["values"])) for _, c in claims[claims["kind"].isin(list(_REPORTED))].iterrows()]
    rows = [(c, about, v) for c, about, v in rows if len(about) >= 2]
    for i, (a, about_a, va) in enumerate(rows):
        for b, about_b, vb in rows[i + 1 :]:
            if a["kind"] != b["kind"] or a["sentence"] == b["sentence"] or not _same_words(about_a, about_b):
                continue
            if _tags(a["context"]).get("group") != _tags(b["context"]).get("group") or va.get("unit") != vb.get("unit"):
                continue  # another group's figure, or another unit
            pairs = [(k, n) for k in _REPORTED[a["kind"]] if k in va and k in vb and _printed_number(va[k]) and (n := _printed_number(vb[k]))]
            keys = [k for k, _ in pairs]
            if not keys:
                continue
            shown_a, shown_b = (" / ".join(v[k] for k in keys) for v in (va, vb))
            where = f"page {a['page']} and page {b['page']}"
            subject = f"{a['claim_id']}|{b['claim_id']}"
            if all(_same(va[k], n) for k, n in pairs):
                yield Finding("text.repeated_value", "info", f"verified: {shown_a} printed the same on {where}", claim_location(a), paper, shown_a, shown_b, subject, (claim_location(b),))
            elif a["kind"] == "comparison" and (va["a"], va["b"]) == (vb["b"], vb["a"]):
                yield Finding("text.repeated_value", "warning", f"{va['a']}% v {va['b']}% on page {a['page']} is {vb['a']}% v {vb['b']}% on page {b['page']}: the order is swapped", claim_location(a), paper, shown_a, shown_b, subject, (claim_location(b),))
            elif all(_same(va[k], n) or _slip(va[k], vb[k]) for k, n in pairs):
                yield Finding("text.repeated_value", "warning", f"the same {a['kind']} is printed {shown_a} on page {a['page']} and {shown_b} on page {b['page']}", claim_location(a), paper, shown_a, shown_b, subject, (claim_location(b),))


def _pct(text: str) -> str | None:
    """The percentage a cell prints, as printed ('76 (21.3)' in an n (%) table gives '21.3')."""
    cell = read_cell(text)
    part = cell.parts.get("pct") or (cell.parts.get("y") if cell.kind == "paren" else None)
    return part.printed if part is not None else None


def percent_sums(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.percent_sum: the shares one sentence lists add up to 100% (each rounded to its precision)."""
    for _, row in claims[claims["kind"] == "percents"].iterrows():
        values = json.loads(row["values"])
        printed = [v for k, v in values.items() if k.startswith("p")]
        total = sum(_value(p) for p in printed)
        tol = sum(tolerance(p) for p in printed)
        shown = " + ".join(printed)
        if abs(total - 100) <= tol + 1e-9:
            yield Finding("text.percent_sum", "info", f"verified: {shown} = {total:g}%", claim_location(row), paper, round(total, 6), 100)
        elif total > 100 and (len(printed) > 2 or "rest" in values):
            yield Finding("text.percent_sum", "warning", f"the shares listed add up to {total:g}%, more than 100% ({shown})", claim_location(row), paper, round(total, 6), 100)
        elif total > 100:  # two shares may be of two wholes ('45% of the patients were women and 60% smoked')
            yield Finding("text.percent_sum", "info", f"the two shares add up to {total:g}% ({shown}): of two wholes?", claim_location(row), paper, round(total, 6), 100)
        else:
            yield Finding("text.percent_sum", "info", f"the shares listed add up to {total:g}% ({shown}): a category may be left out", claim_location(row), paper, round(total, 6), 100)


def parts(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.parts: the two parts a count is split into in brackets add up to it."""
    for _, row in claims[claims["kind"] == "parts"].iterrows():
        v = json.loads(row["values"])
        n, a, b = _whole(v["n"]), _whole(v["a"]), _whole(v["b"])
        if n is None or a is None or b is None:
            continue
        text = f"{v['a']} {v['ga']} + {v['b']} {v['gb']} = {a + b}"
        if a + b == n:
            yield Finding("text.parts", "info", f"verified: {text} = {v['n']}", claim_location(row), paper, v["n"], a + b)
        else:
            yield Finding("text.parts", "error", f"{text}, not the {v['n']} they are parts of", claim_location(row), paper, v["n"], a + b)


def _whole(printed: str) -> int | None:
    """A whole number printed in digits or words ('1,440', 'eight'), else None."""
    from curate.extract.claims import WORDS

    text = printed.replace(",", "").strip().lower()
    return int(text) if text.isdigit() else WORDS.get(text)


def products(paper: str, claims: pd.DataFrame) -> Iterable[Finding]:
    """text.product: so many of a thing for each of so many ('180 patterns in each of the 8
    subjects') against the total its sentence counts of the same thing ('1440 stimulation patterns')."""
    counts = claims[claims["kind"] == "count"]
    for _, row in claims[claims["kind"] == "per"].iterrows():
        v = json.loads(row["values"])
        x, n = _whole(v["x"]), _whole(v.get("n", ""))
        if x is None or n is None:
            continue
        noun = v["what"].split()[-1].lower()
        for _, c in counts[counts["sentence"] == row["sentence"]].iterrows():
            cv = json.loads(c["values"])
            total = _whole(cv["n"])
            if total is None or cv.get("what", "").split()[-1:] != [noun]:
                continue
            text = f"{v['x']} {v['what']} × {v['n']} {v['of']} = {x * n}"
            if total == x * n:
                yield Finding("text.product", "info", f"verified: {text} = {cv['n']}", claim_location(row), paper, cv["n"], x * n, c["claim_id"], (claim_location(c),))
            else:
                yield Finding("text.product", "warning", f"{text}, but the same sentence counts {cv['n']} {cv['what']}", claim_location(row), paper, cv["n"], x * n, c["claim_id"], (claim_location(c),))


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
        findings.extend(table_values(paper, claims, tables))
        findings.extend(repeated_values(paper, claims))
        findings.extend(percent_sums(paper, claims))
        findings.extend(parts(paper, claims))
        findings.extend(products(paper, claims))
    return findings
