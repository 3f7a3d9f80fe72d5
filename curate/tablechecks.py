"""Table arithmetic: does every extracted table add up on its own? No mapping needed.

Each raw table (``raw/<paper>/tables/table_<n>.csv``) is read cell by cell through the one
cell grammar (:func:`curate.cells.read_cell`), with what each header and row label says its
cells hold (:func:`curate.cells.form_of`) and each column's denominator from its header
("Intervention (n=384)"). The rules recompute what the table prints:

======================= =====================================================================
check                   rule
======================= =====================================================================
table.percent           n (%) and n/N (%): the percentage is 100 n / N to its printed precision,
                        N being the cell's own, a footnote's (for a marked row; for every row
                        when the note has no mark: "n = 350 analysed"; the column's n less the
                        block's Missing row when it says "percentages are of those with
                        data"), else the column's
table.percent_possible  a percentage with a known denominator but no count (GRIM for
                        proportions): some whole count k gives 100 k / N to printed precision
table.categories        the categories of one variable add up to 100% (rounding allowed): in a
                        row when the table's rows are categories (most rows add to 100), in a
                        block of rows under a heading row (one missing category allowed), and
                        their counts never exceed the column's n
table.total             a "Total" column's n is the sum of the groups' n, row by row too; a
                        "Total" row is the sum of the rows above it
table.interval          a centre inside its interval (median in its IQR or range, estimate in
                        its CI); an estimate in the middle of its CI, on the log scale for
                        ratios (OR, RR, HR)
table.ci_p              a p in the same row agrees with the estimate's CI
table.sd_range          mean ± SD (range): the mean inside the range, the SD possible for the
                        range and n
table.grim              a mean (and SD: GRIMMER) of whole numbers ("Number of ...") possible for n
table.quotient          a column headed as a quotient ("Fold (C/N)", "Rate", "%") that is, in
                        most rows, one column over another (× 100 for a %), or a reference
                        row's cell over the row's own beside it: the rows that are not
======================= =====================================================================

Every finding points at the raw table file, its row (as in the CSV, the header being row 0),
its column (the printed header) and page; its id is stable across runs. Passing checks are
``info`` findings, so what was checked is visible.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from curate.cells import RATIO, Cell, Number, form_of, header_n, read_cell
from curate.extract.output import paper_folders
from curate.findings import Finding, Location
from curate.rounding import grim_sums, grimmer_possible, tolerance
from curate.schemas.io import read_table

#: Row labels that name the total of the rows above ("Total", "All patients", "Overall").
_TOTAL = re.compile(r"^\s*(?:total|all|overall)\b", re.I)
#: A column that holds each row's own denominator ("n", "N", "Respondents", "Total n").
_ROW_N = re.compile(r"^\s*(?:n|no\.?|number|respondents|responses|total\s+n|answered|sample size)\s*$", re.I)
#: Labels of data that are whole numbers, for GRIM ("Number of visits", "No. of children").
_INTEGER_DATA = re.compile(r"\b(?:number of|no\.\s*of|count of)\b", re.I)
#: A footnote giving a denominator: "a Percentages of the 300 with data", "* n = 300".
_NOTE_N = re.compile(r"(?:^|(?<=[\s.;]))(?P<mark>[a-h*†‡§¶#])\s+[^.;]*?(?:\b[nN]\s*=\s*|\bof\s+(?:the\s+)?|\bamong\s+(?:the\s+)?)(?P<n>\d[\d,]*)\b")
#: A note without a mark naming the denominator of every percentage: "Percentages are of the 350
#: analysed", "n = 350 analysed".
_NOTE_ALL = re.compile(r"(?:percentages?|%)\s+(?:are\s+|were\s+)?(?:of|among|over|out\s+of)\s+(?:the\s+|all\s+)?(?P<n>\d[\d,]*)\b|\b[nN]\s*=\s*(?P<n2>\d[\d,]*)\s+(?:analy[sz]ed|with\s+(?:available\s+)?data|included|responding|respondents)\b", re.I)
#: A note saying the percentages leave out the missing answers: "percentages are of those with data".
_NOTE_WITH_DATA = re.compile(
    r"(?:percentages?|%)\s+(?:are\s+|were\s+)?(?:of|among|over|based\s+on|calculated\s+(?:of|over|among|on))\s+(?:those|participants|patients|respondents|people)?\s*"
    r"(?:with\s+(?:available\s+|complete\s+|non-?missing\s+)?data|with\s+a\s+response|who\s+(?:answered|responded))|exclud\w*\s+(?:the\s+)?missing",
    re.I,
)
#: A row of a block that counts the missing answers.
_MISSING_ROW = re.compile(r"^\s*(?:missing|unknown|not\s+(?:known|reported|recorded|stated)|no\s+data|data\s+missing)\b", re.I)
_Z975 = NormalDist().inv_cdf(0.975)
#: The forms that print a percentage.
_PERCENT = ("percent", "count_pct", "fraction_pct")


@dataclass(frozen=True, slots=True)
class Table:
    """One raw table as printed: header labels per column and data rows with their CSV row number."""

    paper: str
    file: str
    caption: str
    page: int | None
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True, slots=True)
class Typed:
    """A cell with what it is: its form (the header's or row label's word, else the printing's) and parts."""

    row: int
    col: int
    form: str
    cell: Cell

    def part(self, key: str) -> Number | None:
        return self.cell.parts.get(key)


def read_tables(raw: Path) -> Iterator[Table]:
    """Every table of every paper in ``raw`` (a table whose files cannot be read is skipped)."""
    for meta_path in (f / "tables.json" for f in paper_folders(raw) if (f / "tables.json").is_file()):
        folder = meta_path.parent
        try:
            metas = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for meta in metas if isinstance(metas, list) else []:
            table = read_table(folder / str(meta.get("file", "")), rectangular=False)
            if table.fatal():
                continue  # a printed header may repeat a name or leave it empty: that is no damage here
            rows = [table.header, *table.rows]
            pages = meta.get("pages") or [None]
            header, data = _split_header(rows)
            yield Table(folder.name, str(meta["file"]), str(meta.get("caption") or ""), pages[0], header, data)


def _numeric(text: str) -> bool:
    return read_cell(text).kind not in ("text", "missing")


def _split_header(rows: list[list[str]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (leading rows without a number outside the first column, up to three,
    joined per column) and the data rows numbered as in the CSV. A row holding a label and
    nothing else ("Sex, n (%)") after the first is the heading of the body's first block, not
    a header line."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    end = 1
    for i in range(min(3, len(rows))):
        if any(_numeric(c) for c in rows[i][1:]) or (i and _heading(rows[i])):
            break
        end = i + 1
    if end == len(rows):
        end = 1
    header = [" ".join(r[c].strip() for r in rows[:end] if r[c].strip()) for c in range(width)]
    return header, [(i, rows[i]) for i in range(end, len(rows))]


def _resolve(cell: Cell, form: str | None) -> tuple[str, Cell]:
    """The cell's form: what its header or row label says when the printing allows it."""
    kind = cell.kind
    if kind == "mean_sd" and form == "mean_se":
        return "mean_se", cell
    if kind == "paren" and form == "count_pct":
        return "count_pct", Cell("count_pct", cell.printed, {"n": cell.parts["x"], "pct": cell.parts["y"]})
    if kind == "paren" and form in ("mean_sd", "mean_se"):
        return form, Cell("mean_sd", cell.printed, {"x": cell.parts["x"], "s": cell.parts["y"]})
    if kind == "number" and form in ("percent", "p"):
        key = "pct" if form == "percent" else "p"
        return form, Cell(form, cell.printed, {key: cell.parts["x"]})
    if kind == "interval":
        if re.search(r"\bCI\b|confidence", cell.label, re.I):
            return "estimate_ci", cell
        if form in ("estimate_ci", "median_iqr", "median_range", "mean_range"):
            return form, cell
        if re.search(r"IQR|interquartile", cell.label, re.I):
            return "median_iqr", cell
        return "interval", cell
    return kind, cell


def typed(table: Table) -> list[list[Typed | None]]:
    """Each data cell with its form; a heading row's form ("Sex, n (%)") carries to the rows under it."""
    grid: list[list[Typed | None]] = []
    carried: str | None = None
    default = _default_form(table)
    for number, row in table.rows:
        label = row[0]
        if _heading(row):
            carried = form_of(label)
            grid.append([None] * len(row))
            continue
        own = form_of(label) or carried
        cells: list[Typed | None] = [None]
        for c, text in enumerate(row[1:], start=1):
            form, cell = _resolve(read_cell(text), own or form_of(table.header[c]) or default)
            cells.append(Typed(number, c, form, cell) if cell.kind not in ("text", "missing") else None)
        grid.append(cells)
    return grid


def _default_form(table: Table) -> str | None:
    """n (%) for the bare "12 (3.1)" cells of a table whose caption or notes say so ("Values are
    n (%)"), or where most such cells in columns with a printed n are 100 n / N to the printed
    precision (then the others are checked as n (%) too)."""
    if form_of(re.sub(r"^\s*table\s*\S+", "", table.caption, flags=re.I)) == "count_pct":
        return "count_pct"
    fits = total = 0
    for _, row in table.rows:
        for c, text in enumerate(row[1:], start=1):
            n, cell = header_n(table.header[c]), read_cell(text)
            if not n or cell.kind != "paren" or form_of(row[0]) or not cell.parts["x"].value.is_integer():
                continue
            total += 1
            fits += _close(cell.parts["y"], 100 * cell.parts["x"].value / n)
    return "count_pct" if total >= 3 and fits >= 0.6 * total else None


def _heading(row: list[str]) -> bool:
    """A row naming a variable whose categories follow: a label and nothing else."""
    return bool(row[0].strip()) and not any(c.strip() for c in row[1:])


class _Emit:
    """Builds findings located in one table."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __call__(self, check: str, severity: str, message: str, row: int | None, col: int | None, reported: object = None, computed: object = None, subject: str = "") -> Finding:
        t = self.table
        column = (t.header[col] or f"column {col + 1}") if col is not None else None
        caption = re.match(r"\s*(table\s*\S+)", t.caption, re.I)
        where = f"{caption.group(1) if caption else t.file}, row {row}" + (f", {column!r}" if column else "")
        return Finding(check, severity, f"{where}: {message}", Location(t.file, row, column, t.page), t.paper, reported, computed, subject)


def _close(printed: Number, computed: float, slack: float = 0.0) -> bool:
    """``computed`` rounds to the printed number (half a unit in its last place, plus ``slack``)."""
    return abs(printed.value - computed) <= tolerance(printed.printed) + slack + 1e-9


def _notes(table: Table) -> dict[str, int]:
    """Footnote marks that name a denominator, from the text printed with the table."""
    return {m.group("mark"): int(m.group("n").replace(",", "")) for m in _NOTE_N.finditer(table.caption)}


def _note_all(table: Table) -> int | None:
    """The denominator a note without a mark names for every percentage ('n = 350 analysed')."""
    for m in _NOTE_ALL.finditer(table.caption):
        if _unmarked(table.caption, m.start()):
            return int((m.group("n") or m.group("n2")).replace(",", ""))
    return None


def _unmarked(text: str, start: int) -> bool:
    """A note that no footnote mark opens (a marked one is for its marked rows only)."""
    return not re.search(r"(?:^|[\s.;])[a-h*†‡§¶#]\s+$", text[:start])


def _with_data(table: Table, grid: list[list[Typed | None]]) -> dict[tuple[int, int], int]:
    """(row index, column) -> the column's n less its block's missing count, for the category rows of
    blocks with a 'Missing' row (the denominator when a note says percentages are of those with data)."""
    out: dict[tuple[int, int], int] = {}
    starts = [i for i, (_, row) in enumerate(table.rows) if _heading(row)]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(table.rows)
        missing = [i for i in range(start + 1, end) if _MISSING_ROW.match(table.rows[i][1][0])]
        for c in range(1, len(table.header)):
            n = header_n(table.header[c])
            gone = [_count(grid[i][c]) for i in missing]
            if not n or len(gone) != 1 or gone[0] is None:
                continue
            for i in range(start + 1, end):
                if i not in missing:
                    out[(i, c)] = n - int(gone[0])
    return out


def _mark(label: str, notes: dict[str, int]) -> int | None:
    """The denominator of the footnote a row label is marked with ('Smoker*', 'Smoker a')."""
    label = label.rstrip()
    for mark, n in notes.items():
        if label.endswith(mark) and (not mark.isalpha() or label.endswith(" " + mark)):
            return n
    return None


def _row_n(table: Table, row: list[str]) -> tuple[int, int] | None:
    """(column, n) of the row's own denominator column, when the table has one."""
    for c, label in enumerate(table.header):
        if c and _ROW_N.match(label):
            cell = read_cell(row[c])
            if cell.kind == "number" and cell.parts["x"].value.is_integer():
                return c, int(cell.parts["x"].value)
    return None


def percents(table: Table, grid: list[list[Typed | None]]) -> Iterable[Finding]:
    """table.percent and table.percent_possible."""
    emit, notes, everyone, with_data = _Emit(table), _notes(table), _note_all(table), _with_data(table, grid)
    said = any(_unmarked(table.caption, m.start()) for m in _NOTE_WITH_DATA.finditer(table.caption))  # the note names those with data: their n comes first
    for i, ((_, row), cells) in enumerate(zip(table.rows, grid)):
        own_n = _row_n(table, row)
        for t in cells:
            if t is None or t.form not in ("count_pct", "fraction_pct", "percent"):
                continue
            pct = t.part("pct")
            assert pct is not None
            known = with_data.get((i, t.col))
            note, column = _mark(row[0], notes) or (known if said else None) or everyone, header_n(table.header[t.col])
            candidates: list[tuple[str, int]] = []
            if t.form == "fraction_pct":
                candidates.append(("its own denominator", int(t.part("d").value)))  # type: ignore[union-attr]
            if note:
                candidates.append(("the footnote's n", note))
            if column:
                candidates.append(("the column's n", column))
            if own_n and own_n[0] != t.col:
                candidates.append((f"the row's {table.header[own_n[0]]!r}", own_n[1]))
            if known and not said:
                candidates.append(("those with data (the column's n less the missing)", known))
            if not candidates:
                continue
            if t.form == "percent":
                yield from _possible(emit, t, pct, candidates[0])
                continue
            n = t.part("n")
            assert n is not None
            label, first = candidates[0]
            if n.value > first:
                yield emit("table.percent", "error", f"count {n.printed} exceeds {label} {first}", t.row, t.col, n.printed, first)
                continue
            if _close(pct, 100 * n.value / first):
                yield emit("table.percent", "info", f"verified: {n.printed}/{first} ({label}) is {100 * n.value / first:.4g}%", t.row, t.col, pct.printed, round(100 * n.value / first, 6))
                continue
            other = [(lab, d) for lab, d in candidates[1:] if d and _close(pct, 100 * n.value / d)]
            implied = 100 * n.value / pct.value if pct.value else float("nan")
            if other and label != "the footnote's n":
                yield emit("table.percent", "info", f"verified over {other[0][0]} {other[0][1]}: {n.printed} is {pct.printed}% of it ({label} is {first})", t.row, t.col, pct.printed, round(100 * n.value / other[0][1], 6))
            elif other:
                yield emit("table.percent", "error", f"{n.printed} ({pct.printed}%) is computed over {other[0][0]} {other[0][1]}, not over the footnote's n {first} ({100 * n.value / first:.4g}%)", t.row, t.col, pct.printed, round(100 * n.value / first, 6))
            else:
                yield emit("table.percent", "error", f"{n.printed}/{first} ({label}) is {100 * n.value / first:.4g}%, not {pct.printed}% ({pct.printed}% of {n.printed} implies n ≈ {implied:.4g})", t.row, t.col, pct.printed, round(100 * n.value / first, 6))


def _possible(emit: _Emit, t: Typed, pct: Number, denominator: tuple[str, int]) -> Iterable[Finding]:
    """A percentage without its count must be 100 k / N for some whole k (when that can fail)."""
    label, n = denominator
    tol = tolerance(pct.printed)
    if n <= 0 or 100 / n <= 2 * tol or not 0 <= pct.value <= 100:
        return  # every percentage is possible at this precision
    k = round(pct.value * n / 100)
    if any(_close(pct, 100 * j / n) for j in (k - 1, k, k + 1) if 0 <= j <= n):
        yield emit("table.percent_possible", "info", f"verified: {pct.printed}% is {k}/{n} ({label})", t.row, t.col, pct.printed, n)
    else:
        near = ", ".join(f"{100 * j / n:.{max(pct.decimals, 1)}f}%" for j in (k - 1, k, k + 1) if 0 <= j <= n)
        yield emit("table.percent_possible", "warning", f"{pct.printed}% is not a whole count out of {n} ({label}): the nearest are {near}", t.row, t.col, pct.printed, n)


def _pcts(cells: list[Typed | None]) -> list[Typed]:
    return [t for t in cells if t is not None and t.form in _PERCENT]


def categories(table: Table, grid: list[list[Typed | None]]) -> Iterable[Finding]:
    """table.categories: rows of categories (when the table's rows add to 100%) and blocks of rows under a heading."""
    emit = _Emit(table)
    grouped = {c for c, h in enumerate(table.header) if header_n(h)}
    rows = [(number, pcts) for (number, _), cells in zip(table.rows, grid) if len(pcts := _pcts(cells)) >= 2 and not any(t.col in grouped for t in pcts)]
    whole = [(number, pcts, sum(p.value for p in given), sum(tolerance(p.printed) for p in given)) for number, pcts in rows if (given := [p for t in pcts if (p := t.part("pct")) is not None])]
    fits = [w for w in whole if abs(w[2] - 100) <= w[3] + 1e-9]
    if len(whole) >= 3 and len(fits) >= 2 / 3 * len(whole):
        for number, pcts, total, tol in whole:
            shown = " + ".join(t.part("pct").printed for t in pcts)  # type: ignore[union-attr]
            if abs(total - 100) <= tol + 1e-9:
                yield emit("table.categories", "info", f"verified: {shown} = {total:g}%", number, None, round(total, 6), 100, "row")
            else:
                yield emit("table.categories", "error", f"the categories add up to {total:g}%, not 100% ({shown}; {len(fits)} of the table's {len(whole)} rows add up to 100%)", number, None, round(total, 6), 100, "row")
    yield from _blocks(table, grid, emit)


def _blocks(table: Table, grid: list[list[Typed | None]], emit: _Emit) -> Iterable[Finding]:
    """Blocks of category rows under a heading row, column by column."""
    starts = [i for i, (_, row) in enumerate(table.rows) if _heading(row)]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(table.rows)
        body = [i for i in range(start + 1, end) if not _TOTAL.match(table.rows[i][1][0])]
        if len(body) < 2:
            continue
        heading_row = table.rows[start][0]
        for c in range(1, len(table.header)):
            cells = [grid[i][c] for i in body]
            if any(t is None or t.form not in _PERCENT for t in cells):
                continue
            pcts = [t.part("pct") for t in cells if t is not None]
            total = sum(p.value for p in pcts if p is not None)
            tol = sum(tolerance(p.printed) for p in pcts if p is not None)
            name = table.rows[start][1][0].strip()
            n = header_n(table.header[c])
            counts = [t.part("n") for t in cells if t is not None and t.part("n") is not None]
            if n and len(counts) == len(cells) and sum(x.value for x in counts if x) > n:
                yield emit("table.categories", "error", f"the counts of {name!r} add up to {sum(x.value for x in counts if x):g}, more than the column's n {n}", heading_row, c, sum(x.value for x in counts if x), n, "counts")
            known = [t.part("pct") for i, t in zip(body, cells) if t is not None and not _MISSING_ROW.match(table.rows[i][1][0])]
            if len(known) < len(pcts) and abs(sum(p.value for p in known if p) - 100) <= sum(tolerance(p.printed) for p in known if p) + 1e-9:
                total, tol = sum(p.value for p in known if p), sum(tolerance(p.printed) for p in known if p)  # of those with data, the missing apart
            if abs(total - 100) <= tol + 1e-9:
                yield emit("table.categories", "info", f"verified: the categories of {name!r} add up to {total:g}%", heading_row, c, round(total, 6), 100)
            elif 100 + tol < total <= 120:
                yield emit("table.categories", "warning", f"the categories of {name!r} add up to {total:g}%, more than 100%", heading_row, c, round(total, 6), 100)
            else:
                why = "one category may be unlisted" if total < 100 else "more than one answer may be allowed"
                yield emit("table.categories", "info", f"the categories of {name!r} add up to {total:g}% ({why})", heading_row, c, round(total, 6), 100)


def _count(t: Typed | None) -> float | None:
    """The whole count a cell prints (n of n (%), or a whole number), else None."""
    if t is None:
        return None
    if t.form in ("count_pct", "fraction_pct"):
        n = t.part("n")
    elif t.form == "number":
        n = t.part("x")
    else:
        return None
    return n.value if n is not None and n.value.is_integer() and not n.qualifier else None


def totals(table: Table, grid: list[list[Typed | None]]) -> Iterable[Finding]:
    """table.total: a Total column against the groups' columns, a Total row against the rows above."""
    emit = _Emit(table)
    ns = {c: n for c, h in enumerate(table.header) if c and (n := header_n(h))}
    total_cols = [c for c in ns if _TOTAL.match(table.header[c])]
    if len(total_cols) == 1 and len(ns) >= 3:
        tc = total_cols[0]
        parts = [c for c in ns if c != tc]
        if sum(ns[c] for c in parts) == ns[tc]:
            yield emit("table.total", "info", f"verified: the groups' n add up to {ns[tc]}", None, tc, ns[tc], ns[tc], "header")
            for (number, _), cells in zip(table.rows, grid):
                got = [_count(cells[c]) for c in parts]
                whole = _count(cells[tc])
                if whole is None or any(g is None for g in got):
                    continue
                total = sum(g for g in got if g is not None)
                ok = total == whole
                yield emit("table.total", "info" if ok else "error", f"{'verified: ' if ok else ''}the groups add up to {total:g}{'' if ok else f', not the total {whole:g}'}", number, tc, whole, total)
        else:
            yield emit("table.total", "error", f"the groups' n ({' + '.join(str(ns[c]) for c in parts)}) add up to {sum(ns[c] for c in parts)}, not the total's {ns[tc]}", None, tc, ns[tc], sum(ns[c] for c in parts), "header")
    for i, (number, row) in enumerate(table.rows):
        if not _TOTAL.match(row[0]) or _heading(row):
            continue
        start = max([j for j in range(i) if _heading(table.rows[j][1])], default=-1) + 1
        above = list(range(start, i))
        if len(above) < 2:
            continue
        for c in range(1, len(row)):
            whole = _count(grid[i][c])
            got = [_count(grid[j][c]) for j in above]
            if whole is None or any(g is None for g in got):
                continue
            total = sum(g for g in got if g is not None)
            ok = total == whole
            yield emit("table.total", "info" if ok else "error", f"{'verified: ' if ok else ''}the {len(above)} rows above add up to {total:g}{'' if ok else f', not {whole:g}'}", number, c, whole, total, "row")


def _is_ratio(table: Table, row: list[str], col: int) -> bool:
    return bool(RATIO.search(table.header[col]) or RATIO.search(row[0]))


def intervals(table: Table, grid: list[list[Typed | None]]) -> Iterable[Finding]:
    """table.interval, table.ci_p and table.sd_range."""
    emit = _Emit(table)
    for (number, row), cells in zip(table.rows, grid):
        p_cells = [t for t in cells if t is not None and t.form == "p"]
        for t in cells:
            if t is None:
                continue
            if t.form == "mean_sd":
                yield from _sd_range(table, emit, t)
                continue
            if t.cell.kind != "interval":
                continue
            x, lo, hi = (t.part(k) for k in ("x", "lo", "hi"))
            assert x is not None and lo is not None and hi is not None
            what = {"estimate_ci": "estimate", "median_iqr": "median", "median_range": "median", "mean_range": "mean"}.get(t.form, "value")
            if lo.value > hi.value:
                yield emit("table.interval", "error", f"the interval {lo.printed} to {hi.printed} runs backwards", number, t.col, t.cell.printed, None)
                continue
            if not lo.value <= x.value <= hi.value:
                severity = "error" if t.form != "interval" else "warning"
                yield emit("table.interval", severity, f"the {what} {x.printed} lies outside its interval {lo.printed} to {hi.printed}", number, t.col, x.printed, f"{lo.printed} to {hi.printed}")
                continue
            if t.form != "estimate_ci":
                continue
            ratio = _is_ratio(table, row, t.col)
            yield from _centre(emit, t, x, lo, hi, ratio)
            after = [c.col for c in cells if c is not None and c.col > t.col and c.form == "estimate_ci"]
            for p in p_cells:  # its p: the next p column, before the next estimate
                if t.col < p.col < min(after, default=len(row)):
                    yield from _ci_p(emit, t, x, lo, hi, ratio, p)
                    break


def _centre(emit: _Emit, t: Typed, x: Number, lo: Number, hi: Number, ratio: bool) -> Iterable[Finding]:
    """An estimate sits in the middle of its CI: arithmetic for differences, geometric for ratios."""
    tol = tolerance(x.printed) + max(tolerance(lo.printed), tolerance(hi.printed))
    linear = abs((lo.value + hi.value) / 2 - x.value) <= tol + 1e-9
    geometric = lo.value > 0 and abs(math.sqrt(lo.value * hi.value) - x.value) <= tol * max(1.0, x.value) + 1e-9
    ok = geometric if ratio else (linear or geometric)
    middle = math.sqrt(lo.value * hi.value) if ratio and lo.value > 0 else (lo.value + hi.value) / 2
    scale = "geometric" if ratio else "arithmetic"
    if ok:
        yield emit("table.interval", "info", f"verified: {x.printed} is the {scale} middle of {lo.printed} to {hi.printed}", t.row, t.col, x.printed, round(middle, 6), "centre")
    else:
        yield emit("table.interval", "warning", f"{x.printed} is not the {scale} middle of its CI {lo.printed} to {hi.printed} ({middle:.4g})", t.row, t.col, x.printed, round(middle, 6), "centre")


def implied_p(est: float, lo: float, hi: float, ratio: bool) -> float | None:
    """The two-sided p an estimate and its 95% CI imply (normal approximation; log scale for ratios)."""
    if ratio:
        if min(est, lo, hi) <= 0:
            return None
        est, lo, hi = math.log(est), math.log(lo), math.log(hi)
    se = (hi - lo) / (2 * _Z975)
    return 2 * (1 - NormalDist().cdf(abs(est) / se)) if se > 0 else None


def p_agrees(implied: float, qualifier: str, printed: float, excludes_null: bool) -> bool:
    """Whether a printed p ('<0.001', '=0.03') is what the CI implies, allowing rounding of the CI."""
    if qualifier in ("<", "≤", "<="):
        return implied < printed * 1.5 or (excludes_null and printed <= 0.05 and implied < 0.05)
    if qualifier in (">", "≥", ">="):
        return implied > printed / 1.5
    return 0.5 * printed <= implied <= 2 * printed + 0.01


def _ci_p(emit: _Emit, t: Typed, x: Number, lo: Number, hi: Number, ratio: bool, p: Typed) -> Iterable[Finding]:
    printed = p.part("p")
    assert printed is not None
    implied = implied_p(x.value, lo.value, hi.value, ratio)
    if implied is None:
        return
    null = 1.0 if ratio else 0.0
    excludes = not lo.value <= null <= hi.value
    q = printed.qualifier or "="
    shown = f"P {q} {printed.printed} printed; {x.printed} ({lo.printed} to {hi.printed}) implies P ≈ {implied:.2g}"
    if p_agrees(implied, q, printed.value, excludes):
        yield emit("table.ci_p", "info", f"verified: {shown}", t.row, p.col, f"{q} {printed.printed}", round(implied, 6), str(t.col))
        return
    significant_p = printed.value <= 0.05 if q in ("<", "≤", "<=", "=") else False
    severity = "error" if excludes != significant_p else "warning"
    why = " (the CI and the P disagree on significance)" if severity == "error" else ""
    yield emit("table.ci_p", severity, shown + why, t.row, p.col, f"{q} {printed.printed}", round(implied, 6), str(t.col))


def _sd_range(table: Table, emit: _Emit, t: Typed) -> Iterable[Finding]:
    """Mean ± SD (min-max): the mean inside the range, the SD possible for the range and n; GRIM."""
    x, s, lo, hi = (t.part(k) for k in ("x", "s", "lo", "hi"))
    assert x is not None and s is not None
    n = header_n(table.header[t.col])
    label = table.rows[[r for r, _ in table.rows].index(t.row)][1][0]
    if n and n > 1 and _INTEGER_DATA.search(label):
        yield from _grim(emit, t, x, s, n)
    if lo is None or hi is None or t.form != "mean_sd":
        return
    if not lo.value <= x.value <= hi.value:
        yield emit("table.sd_range", "error", f"the mean {x.printed} lies outside its range {lo.printed} to {hi.printed}", t.row, t.col, x.printed, f"{lo.printed} to {hi.printed}")
        return
    if not n or n < 2:
        return
    spread = hi.value - lo.value
    most = spread / 2 * math.sqrt(n / (n - 1))
    least = spread / math.sqrt(2 * (n - 1))
    tol = tolerance(s.printed)
    if s.value - tol > most + 1e-9:
        yield emit("table.sd_range", "error", f"an SD of {s.printed} is impossible for {n} values between {lo.printed} and {hi.printed} (at most {most:.3g})", t.row, t.col, s.printed, round(most, 6))
    elif s.value + tol < least - 1e-9:
        yield emit("table.sd_range", "error", f"an SD of {s.printed} is impossible for {n} values spanning {lo.printed} to {hi.printed} (at least {least:.3g})", t.row, t.col, s.printed, round(least, 6))
    else:
        yield emit("table.sd_range", "info", f"verified: an SD of {s.printed} is possible for {n} values between {lo.printed} and {hi.printed}", t.row, t.col, s.printed, round(most, 6))


def _grim(emit: _Emit, t: Typed, x: Number, s: Number, n: int) -> Iterable[Finding]:
    """GRIM (the mean of n whole numbers) and GRIMMER (their SD) for the column's n."""
    sums = grim_sums(x.printed, n)
    if not sums:
        yield emit("table.grim", "error", f"a mean of {x.printed} from {n} whole numbers is impossible (GRIM)", t.row, t.col, x.printed, n)
    elif not grimmer_possible(s.printed, sums, n):
        yield emit("table.grim", "error", f"an SD of {s.printed} with a mean of {x.printed} from {n} whole numbers is impossible (GRIMMER)", t.row, t.col, s.printed, n)
    else:
        yield emit("table.grim", "info", f"verified: a mean of {x.printed} (SD {s.printed}) from {n} whole numbers is possible", t.row, t.col, x.printed, n)


#: A column printing a quotient of other cells: "Fold selectivity (C/N)", "Ratio", "Rate per 1000", "%".
_QUOTIENT_HEAD = re.compile(r"\bfold\b|\bratios?\b|\brates?\b|\bper\b|\b\w+\s*/\s*\w+\b|%", re.I)
#: A quotient is inferred only from this many rows that fit, and most of those it could be tried on.
_QUOTIENT_ROWS, _QUOTIENT_SHARE = 3, 0.75


def _value(t: Typed | None) -> Number | None:
    """The one number a cell stands for (a plain number, a mean, a count, a percentage), else None."""
    key = {"number": "x", "mean_sd": "x", "mean_se": "x", "count_pct": "n", "percent": "pct"}.get(t.form) if t is not None else None
    n = t.part(key) if t is not None and key else None
    return n if n is not None and not n.qualifier else None


def _quotient(a: Number, b: Number, k: float) -> tuple[float, float] | None:
    """The range of k a / b over the rounding of both printed numbers (positive numbers only)."""
    ta, tb = tolerance(a.printed), tolerance(b.printed)
    if a.value - ta < 0 or b.value - tb <= 0:
        return None
    return k * (a.value - ta) / (b.value + tb), k * (a.value + ta) / (b.value - tb)


def _fits(c: Number, q: tuple[float, float]) -> bool:
    tc = tolerance(c.printed)
    return q[0] - tc - 1e-9 <= c.value <= q[1] + tc + 1e-9


@dataclass(frozen=True, slots=True)
class _Trial:
    """One row's cell of a quotient column tried against a quotient of two other cells."""

    row: int
    col: int
    cell: Number
    top: Number
    bottom: Number
    range: tuple[float, float]  # the quotient over the rounding of both


def _trial(row: int, col: int, cell: Number | None, top: Number | None, bottom: Number | None, k: float) -> _Trial | None:
    if cell is None or top is None or bottom is None:
        return None
    q = _quotient(top, bottom, k)
    return _Trial(row, col, cell, top, bottom, q) if q else None


def _inferred(trials: list[_Trial]) -> bool:
    fits = sum(_fits(t.cell, t.range) for t in trials)
    return fits >= _QUOTIENT_ROWS and fits >= _QUOTIENT_SHARE * len(trials)


def quotients(table: Table, grid: list[list[Typed | None]]) -> Iterable[Finding]:
    """table.quotient: a column headed as a quotient ("Fold (C/N)", "Rate", "%") whose cells are,
    in most rows, one column over another (times 100 for a "%") or a reference row's cell over
    the row's own in the column beside it (every column of the same header together): the rows
    that do not fit are warnings."""
    emit = _Emit(table)
    values = [[_value(t) for t in cells] for cells in grid]
    width = len(table.header)
    heads = [c for c in range(1, width) if _QUOTIENT_HEAD.search(table.header[c])]
    best: dict[int, tuple[str, list[_Trial]]] = {}
    for c in heads:  # one column over another
        per = re.search(r"\bper\s+(\d[\d, ]*\d|\d)", table.header[c], re.I)
        k = 100.0 if "%" in table.header[c] else float(re.sub(r"[, ]", "", per.group(1))) if per else 1.0
        for a in range(1, width):
            for b in range(1, width):
                if len({a, b, c}) < 3:
                    continue
                trials = [t for i, row in enumerate(values) if (t := _trial(i, c, row[c], row[a], row[b], k))]
                if _inferred(trials) and len(trials) > len(best.get(c, ("", []))[1]):
                    best[c] = (f"{table.header[a]!r} / {table.header[b]!r}{f' × {k:g}' if k != 1 else ''}", trials)
    shared: dict[str, list[int]] = {}
    for c in heads:  # a reference row over each row, in the column beside it
        if c not in best and "%" not in table.header[c] and c > 1:
            shared.setdefault(" ".join(table.header[c].lower().split()), []).append(c)
    for columns in shared.values():
        found: tuple[str, list[_Trial]] | None = None
        for r, (_, ref_row) in enumerate(table.rows):
            for upward in (True, False):
                trials = []
                for c in columns:
                    ref = values[r][c - 1]
                    for i, row in enumerate(values):
                        t = _trial(i, c, row[c], ref, row[c - 1], 1.0) if upward else _trial(i, c, row[c], row[c - 1], ref, 1.0)
                        if i != r and t:
                            trials.append(t)
                if _inferred(trials) and (found is None or len(trials) > len(found[1])):
                    name = ref_row[0].strip()
                    found = (f"row {name!r} over the row's own" if upward else f"the row's own over row {name!r}", trials)
        if found:
            for c in columns:
                best[c] = (found[0], [t for t in found[1] if t.col == c])
    for c, (how, trials) in best.items():
        times = re.search(r" × \S+", how)
        for t in trials:
            number, middle = table.rows[t.row][0], (t.range[0] + t.range[1]) / 2
            shown = f"{t.top.printed} / {t.bottom.printed}{times.group(0) if times else ''} = {middle:.4g}"
            if _fits(t.cell, t.range):
                yield emit("table.quotient", "info", f"verified: {t.cell.printed} = {shown} ({how})", number, c, t.cell.printed, round(middle, 6))
            else:
                yield emit("table.quotient", "warning", f"{t.cell.printed} is not {shown}, as the column's other rows are ({how})", number, c, t.cell.printed, round(middle, 6))


def table_checks(raw: Path) -> list[Finding]:
    """Every table-arithmetic finding for the papers in ``raw``."""
    findings: list[Finding] = []
    for table in read_tables(raw):
        grid = typed(table)
        for rule in (percents, categories, totals, intervals, quotients):
            findings.extend(rule(table, grid))
    return findings
