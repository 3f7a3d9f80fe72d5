"""``curate map suggest``: a first mapping for a raw table, from its headers, cells and the review.

Each printed column becomes a curated column: its parser is the one that reads the most of
its cells (``sex`` before ``number`` before ``pair``...), its name the review's column for
the measure its header names (a header naming a measure and "before"/"baseline" is the
measure's baseline column; "after"/"follow-up" its follow-up column), else the header in
snake_case. The target is the review's table sharing the most column names. The steward
edits the result: it is a start, not a guess that is trusted.
"""

from __future__ import annotations

import re
from pathlib import Path

from curate.cells import PARSERS, CellError, is_missing
from curate.review import Review
from curate.tidy import raw_table

#: Parsers tried on a column's cells, most specific first: the part kept of each, and what
#: the cells must show for it to be chosen (a plain number is not a pair or a dose).
TRIED = [
    ("sex", "", ""),
    ("duration_months", "arms.0.months", ""),
    ("count_group", "n.0", "("),
    ("dose", "value", "10^"),
    ("pair", "0.value", "/"),
    ("number", "value", ""),
]
_BEFORE = re.compile(r"\bbefore\b|baseline|\bpre\b|pre-?treatment|at entry", re.I)
_AFTER = re.compile(r"\bafter\b|follow-?up|\bpost\b|post-?treatment|at end|final", re.I)


def snake(header: str) -> str:
    """'Stem cell Dose x million cells' -> 'stem_cell_dose_x_million_cells'."""
    name = re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")
    return name if name and not name[0].isdigit() else f"col_{name}"


def _parser(cells: list[str]) -> tuple[str, str]:
    """The parser reading every non-missing cell (text when none does)."""
    present = [c for c in cells if not is_missing(c)]
    for name, get, shows in TRIED:
        if shows and not any(shows in c for c in present):
            continue
        try:
            if present and all(PARSERS[name](c) is not None for c in present) and (name != "number" or all(_plain(c) for c in present)):
                return name, get
        except (CellError, ValueError, IndexError):
            continue
    return "text", ""


def _plain(cell: str) -> bool:
    """A cell that is one number, maybe with a unit ('7.5', '63%', '<12 kg'), not two."""
    return len(re.findall(r"\d+(?:[.,]\d+)?", cell)) == 1


def _name(header: str, review: Review) -> str:
    """The review's column for the measure a header names, else the header in snake_case."""
    for measure in review.measures.values():
        if re.search(measure.pattern(), header.lower()):
            timed = measure.follow_up if _AFTER.search(header) else measure.baseline if _BEFORE.search(header) else ""
            chosen = timed or next(iter(measure.columns), "")
            if chosen:
                return chosen
    return snake(header)


def suggest(raw: Path, paper: str, table: int, review: Review) -> str:
    """The text of a mapping (TOML) for printed Table ``table`` of ``paper``."""
    header, rows, _ = raw_table(raw, paper, table)
    lines: list[str] = []
    names: list[str] = []
    for i, printed in enumerate(header):
        parse, get = _parser([r[i] if i < len(r) else "" for r in rows])
        name = _name(printed, review)
        while name in names:
            name += "_2"
        names.append(name)
        spec = [f'from = "{_quote(printed)}"'] + ([f'parse = "{parse}"'] if parse != "text" else []) + ([f'get = "{get}"'] if get else [])
        lines.append(f"{name} = {{ {', '.join(spec)} }}")
    target = max(review.tables.values(), key=lambda t: len(set(names) & set(t.columns)), default=None)
    file = target.file if target is not None and set(names) & set(target.columns) else f"{snake(paper)}_table_{table}.csv"
    key = ', '.join(f'"{k}"' for k in (target.key if target is not None and target.file == file and target.key else ["paper_id", "table", "row"]))
    return "\n".join([
        f"# Suggested by `curate map suggest {paper} {table}`: check every line, then save it in the mappings folder.",
        f"# Parsers: {', '.join(PARSERS)}; `get` picks a part of the parsed value (see `curate map --help`).",
        f'target = "{file}"',
        f"key = [{key}]",
        "",
        "[[sources]]",
        f'paper = "{paper}"',
        f"table = {table}",
        "",
        "[sources.columns]",
        *lines,
        "",
    ])


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
