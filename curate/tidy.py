"""Raw extracted tables -> tidy curated tables, through declarative mappings.

A mapping (``curated/mappings/<target>.toml``) names, for one curated file, the raw tables it
reads (paper id and printed table number) and, per curated column, the printed header it
comes from, the cell parser (:mod:`curate.cells`) and the part of the parsed value to keep
(``get``: a dotted path such as ``n.0`` or ``arms.1.months``). Wide tables are melted
(``[sources.melt]``: one row per listed column, empty cells dropped, never zero) and sources
are merged on key columns. Every row keeps its provenance: paper id, table, page and row of
the printed table. Nothing is edited by hand: re-running gives the same files.

A cell that does not parse is not fatal: its value stays empty and a :class:`TidyIssue`
records the file, row, column and printed text. A source whose paper, table or column is
not in raw/ is not fatal either: it is a :class:`Problem` (``mapping.missing_paper``,
``mapping.missing_table``, ``mapping.missing_column``) and the mapping's other sources
still give their rows. A table printed in parts ("Table 2 (continued)" extracted as a second
table) is addressed by its printed number and read as one.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from curate.cells import PARSERS, CellError
from curate.schemas.io import read_table

PROVENANCE = ["paper_id", "table", "page", "row"]

#: The mapping format, as `curate map --help` and the README show it.
MAPPING_HELP = """Write and check the mappings that turn raw tables into the review's curated tables.

A mapping is a TOML file in the project's `mappings/` folder; it builds one curated table
(`target`, a table of `review.toml`) from one or more printed tables:

    target = "patients.csv"           # the curated file (a table of review.toml)
    key = ["paper_id", "table", "row"] # sort order (and the key the review declares)
    merge_on = []                     # sources merged on these columns (else stacked)

    [[sources]]                       # one per printed table
    paper = "smith2021"               # its paper id (folder in raw/)
    table = 2                         # its printed number; "Table 2 (continued)" is part of it

    [sources.columns]                 # curated column = where it comes from
    sex = { from = "Sex", parse = "sex" }
    age = { from = "Age (years)", parse = "number", get = "value" }
    arm = { from = "Study", derive = "occurrence" }   # 1, 2... among rows with the same value

    [sources.melt]                    # optional: a wide table, one row per listed column
    into = "visit"                    # column receiving the label
    value = "x"                       # column receiving the cell
    parse = "number"
    get = "value"
    columns = { "X week 0" = 0, "X week 12" = 12 }

`from` is the printed header (as in raw/PAPER/tables/table_N.csv). `parse` is one of text
(default), number, pair ("37.5 / 40"), count_group ("8/10(A)"), duration_months, dose,
sex, cell (any typed table cell: "76/357 (21)", "12 (4.5%)", "54.5 ± 3.03", "4 (2-6)");
`get` picks a part of what it reads: number -> value, printed, decimals, qualifier, unit;
pair -> 0.value, 1.value, 0.printed...; count_group -> n.0, n.1, group; duration_months ->
arms.0.months, arms.0.qualifier...; dose -> value, basis, printed; cell -> parts.n.value
(count), parts.d.value (denominator), parts.pct.value, parts.x.value (mean, median or
estimate), parts.s.value (SD), parts.lo.value, parts.hi.value, kind, printed.

Every row keeps paper_id, table, page and row. A cell that does not parse is left empty and
listed; a paper, table or column not found is a `mapping.*` finding and the rest is built;
a mistake in the file is a one-line error naming the file, the key and what is allowed.

Example:  `curate map suggest smith2021 2 --project my-review/`
"""


class MappingError(ValueError):
    """A mapping that cannot be read or applied; a one-line message naming the file, the key
    and what is allowed. ``check`` is the finding it becomes (``mapping.*``)."""

    def __init__(self, message: str, check: str = "mapping.invalid", paper_id: str | None = None) -> None:
        super().__init__(message)
        self.check = check
        self.paper_id = paper_id


@dataclass(frozen=True, slots=True)
class Problem:
    """A mapping, or one source of it, that could not be applied: becomes a ``mapping.*`` finding."""

    check: str
    file: str  # the mapping file
    target: str
    paper_id: str | None
    message: str


@dataclass(frozen=True, slots=True)
class TidyIssue:
    """A cell that did not read as its mapping says."""

    target: str
    paper_id: str
    table: int
    row: int
    column: str  # the printed header of the raw cell
    printed: str
    message: str


@dataclass(slots=True)
class Column:
    name: str
    source: str | None
    parse: str = "text"
    get: str = ""
    derive: str | None = None


@dataclass(slots=True)
class Source:
    paper: str
    table: int
    columns: list[Column]
    melt: dict[str, Any] | None = None


@dataclass(slots=True)
class Mapping:
    path: Path
    target: str
    key: list[str]
    sources: list[Source]
    merge_on: list[str] = field(default_factory=list)


COLUMN_KEYS = ("from", "parse", "get", "derive")
DERIVED = ("occurrence",)


def _column(name: str, spec: Any, where: Path) -> Column:
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: columns.{name}: must be a table such as {{ from = \"Age\", parse = \"number\", get = \"value\" }} (keys: {', '.join(COLUMN_KEYS)})")
    unknown = sorted(set(spec) - set(COLUMN_KEYS))
    if unknown:
        raise MappingError(f"{where}: columns.{name}.{unknown[0]}: unknown key (allowed: {', '.join(COLUMN_KEYS)})")
    col = Column(name, spec.get("from"), spec.get("parse", "text"), str(spec.get("get", "")), spec.get("derive"))
    if col.parse not in PARSERS:
        raise MappingError(f"{where}: columns.{name}.parse: unknown parser {col.parse!r} (allowed: {', '.join(sorted(PARSERS))})")
    if col.derive is not None and col.derive not in DERIVED:
        raise MappingError(f"{where}: columns.{name}.derive: {col.derive!r} (allowed: {', '.join(DERIVED)})")
    if col.source is None and col.derive is None:
        raise MappingError(f"{where}: columns.{name}: needs 'from' (a printed header) or 'derive'")
    return col


MAPPING_KEYS = ("target", "key", "merge_on", "sources")
SOURCE_KEYS = ("paper", "table", "columns", "melt")
MELT_KEYS = ("into", "value", "parse", "get", "columns")


def _keys(where: str, data: Any, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise MappingError(f"{where}: must be a table of keys ({', '.join(allowed)})")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise MappingError(f"{where}.{unknown[0]}: unknown key (allowed: {', '.join(allowed)})")
    missing = [k for k in required if k not in data]
    if missing:
        raise MappingError(f"{where}.{missing[0]}: missing (required: {', '.join(required)})")
    return data


def _source(path: Path, i: int, data: Any) -> Source:
    where = f"{path}: sources[{i}]"
    data = _keys(where, data, SOURCE_KEYS, ("paper", "table"))
    try:
        number = int(str(data["table"]).strip())
    except ValueError:
        raise MappingError(f"{where}.table: {data['table']!r} is not a printed table number (e.g. table = 2)") from None
    melt = data.get("melt")
    if melt is not None:
        melt = _keys(f"{where}.melt", melt, MELT_KEYS, ("into", "value", "columns"))
        if melt.get("parse", "text") not in PARSERS:
            raise MappingError(f"{where}.melt.parse: unknown parser {melt['parse']!r} (allowed: {', '.join(sorted(PARSERS))})")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{where}.columns: must be a table of curated columns")
    return Source(str(data["paper"]), number, [_column(name, spec, path) for name, spec in columns.items()], melt)


def load_mapping(path: Path) -> Mapping:
    """Read and check one mapping file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: cannot read as TOML ({exc})") from exc
    data = _keys(str(path), data, MAPPING_KEYS, ("target", "sources"))
    if not isinstance(data["sources"], list) or not data["sources"]:
        raise MappingError(f"{path}: sources: give one [[sources]] per printed table")
    target = str(data["target"])
    if not target.endswith(".csv"):
        raise MappingError(f"{path}: target: {target!r} is not a file name such as 'studies.csv'")
    return Mapping(path, target, list(data.get("key", [])), [_source(path, i, s) for i, s in enumerate(data["sources"])], list(data.get("merge_on", [])))


def _dig(value: Any, path: str) -> Any:
    """Follow a dotted path (list indexes, dict keys, attributes) into a parsed value. A step
    that cannot exist in a value of this kind is a :class:`MappingError` naming what can;
    an index past the end (a second arm a cell does not have) is an IndexError."""
    for step in filter(None, path.split(".")):
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            if not step.isdigit():
                raise MappingError(f"get {path!r}: {step!r} is not a position in a list (allowed: 0 to {len(value) - 1})")
            value = value[int(step)]
        elif isinstance(value, dict):
            if step not in value:  # parts differ from cell to cell ('12 (4.5%)' has no denominator): this cell's issue
                raise CellError(f"get {path!r}: this cell has no part {step!r} (it has: {', '.join(value)})")
            value = value[step]
        elif hasattr(value, "__dataclass_fields__"):
            if step not in value.__dataclass_fields__:
                raise MappingError(f"get {path!r}: {step!r} is not a part (allowed: {', '.join(value.__dataclass_fields__)})")
            value = getattr(value, step)
        else:
            raise MappingError(f"get {path!r}: {step!r} goes past a plain value ({value!r})")
    return value


def table_number(caption: str) -> int | None:
    """The printed number of a table from its caption ('Table 2 (continued)' -> 2; none in
    'Table 2a' or 'Table S1': those are other tables)."""
    m = re.match(r"\s*table\s*(\d+)\b", caption or "", re.I)
    return int(m.group(1)) if m else None


def raw_table(raw: Path, paper: str, number: int) -> tuple[list[str], list[list[str]], list[Any]]:
    """Header, rows and each row's page of the printed 'Table <number>' of a paper in raw/,
    its parts (a continuation extracted as another table) read as one."""
    meta_path = raw / paper / "tables.json"
    if not (raw / paper).is_dir():
        raise MappingError(f"{paper}: not among the extracted papers in {raw}", "mapping.missing_paper", paper)
    try:
        tables = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"{meta_path}: cannot read ({exc}); run `curate extract` first", "mapping.missing_table", paper) from exc
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise MappingError(f"{meta_path}: not a list of tables; run `curate extract` again", "mapping.missing_table", paper)
    parts = [meta for meta in tables if table_number(meta.get("caption") or "") == number]
    if not parts:
        printed = sorted({n for n in (table_number(m.get("caption") or "") for m in tables) if n is not None})
        raise MappingError(f"{paper}: no printed 'Table {number}' among its {len(tables)} extracted tables (printed numbers found: {', '.join(map(str, printed)) or 'none'})", "mapping.missing_table", paper)
    header: list[str] = []
    rows: list[list[str]] = []
    pages: list[Any] = []
    for meta in parts:
        table = read_table(raw / paper / str(meta.get("file")), rectangular=False)
        bad = next((d for d in table.damage if d.severity == "error"), None)
        if bad is not None:
            raise MappingError(f"{raw / paper / str(meta.get('file'))}{bad.message.removeprefix(table.path.name)}; run `curate extract` again", "mapping.missing_table", paper)
        found = [table.header, *table.rows]
        boxes = meta.get("row_boxes") or []
        body = found[1:]
        if header and len(found[0]) != len(header):
            continue  # not a continuation: another table with the same number (a sub-table)
        if header and found[0] != header:
            body = found  # a continuation without its header: its first line is a row
            boxes = [None, *boxes]
        header = header or found[0]
        first_page = (meta.get("pages") or [None])[0]
        pages += [boxes[i][0] if i < len(boxes) and boxes[i] else first_page for i in range(len(body))]
        rows += body
    return header, rows, pages


def _source_frame(mapping: Mapping, source: Source, raw: Path, issues: list[TidyIssue]) -> pd.DataFrame:
    header, rows, pages = raw_table(raw, source.paper, source.table)
    index = {h: i for i, h in enumerate(header)}
    wanted = [c.source for c in source.columns if c.source] + list((source.melt or {}).get("columns", {}))
    for h in wanted:
        if h not in index:
            raise MappingError(f"{mapping.path}: {source.paper} Table {source.table} has no column {h!r} (its columns: {', '.join(map(repr, header))})", "mapping.missing_column", source.paper)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r, cells in enumerate(rows, start=1):
        base: dict[str, Any] = {
            "paper_id": source.paper,
            "table": source.table,
            "page": pages[r - 1],
            "row": r,
        }
        for col in source.columns:
            if col.derive == "occurrence":  # 1, 2, ... among rows with the same value of `from`
                key = cells[index[col.source]] if col.source else ""
                seen[key] = seen.get(key, 0) + 1
                base[col.name] = seen[key]
                continue
            printed = cells[index[col.source]] if col.source else ""
            base[col.name] = _parse(mapping, source, r, col.source or col.name, col.parse, col.get, printed, issues)
        melt = source.melt
        if not melt:
            records.append(base)
            continue
        for printed_header, label in melt["columns"].items():
            printed = cells[index[printed_header]]
            value = _parse(mapping, source, r, printed_header, melt.get("parse", "text"), str(melt.get("get", "")), printed, issues)
            if value is None:
                continue  # an empty visit is absent, not zero
            records.append({**base, melt["into"]: label, melt["value"]: value, f"{melt['value']}_printed": printed})
    return pd.DataFrame.from_records(records)


def _parse(mapping: Mapping, source: Source, row: int, header: str, parser: str, get: str, printed: str, issues: list[TidyIssue]) -> Any:
    try:
        return _dig(PARSERS[parser](printed), get)
    except MappingError as exc:
        raise MappingError(f"{mapping.path}: {source.paper} Table {source.table}, column {header!r}: {exc}", "mapping.invalid", source.paper) from None
    except (CellError, IndexError) as exc:
        issue = TidyIssue(mapping.target, source.paper, source.table, row, header, printed, str(exc))
        if issue not in issues:  # one cell read by several columns is one issue
            issues.append(issue)
        return None


def apply_mapping(mapping: Mapping, raw: Path, problems: list[Problem] | None = None) -> tuple[pd.DataFrame, list[TidyIssue]]:
    """The curated table a mapping describes, built from ``raw/``, and the cells that did not parse.

    A source that cannot be read is left out and recorded in ``problems`` (raised when
    ``problems`` is None); the table is built from the others."""
    issues: list[TidyIssue] = []
    frames = []
    for source in mapping.sources:
        try:
            frames.append(_source_frame(mapping, source, raw, issues))
        except MappingError as exc:
            if problems is None:
                raise
            problems.append(Problem(exc.check, str(mapping.path), mapping.target, exc.paper_id, str(exc)))
    frames = [f for f in frames if not f.empty]
    if mapping.merge_on and len(frames) > 1:
        merged = frames[0]
        for frame in frames[1:]:
            merged = merged.merge(frame, on=mapping.merge_on, how="outer", suffixes=("", "__other"))
            for col in [c for c in merged.columns if c.endswith("__other")]:
                base = col[: -len("__other")]
                if base in PROVENANCE:  # both tables' provenance kept: "1;2"
                    merged[base] = [_join_prov(a, b) for a, b in zip(merged[base], merged[col])]
                else:
                    merged[base] = merged[base].combine_first(merged[col])
                merged = merged.drop(columns=col)
        frame = merged
    else:
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_declared(mapping))
    frame = frame.reindex(columns=list(dict.fromkeys([*frame.columns, *_declared(mapping)])))  # a source not found leaves its columns empty
    ordered = [c for c in PROVENANCE if c in frame.columns] + [c for c in frame.columns if c not in PROVENANCE]
    frame = frame[ordered]
    for col in frame.columns:  # whole numbers stay whole: an age of 66 is not 66.0
        values = frame[col].dropna()
        if pd.api.types.is_float_dtype(frame[col]) and len(values) and (values == values.round()).all():
            frame[col] = frame[col].astype("Int64")
    if mapping.key:
        frame = frame.sort_values(mapping.key, kind="stable").reset_index(drop=True)
    return frame, issues


def _declared(mapping: Mapping) -> list[str]:
    """The columns a mapping would give, for the header of a table none of whose sources was found."""
    names = list(PROVENANCE)
    for source in mapping.sources:
        names += [c.name for c in source.columns]
        if source.melt:
            names += [source.melt["into"], source.melt["value"], f"{source.melt['value']}_printed"]
    return list(dict.fromkeys(names))


def _join_prov(a: Any, b: Any) -> Any:
    if pd.isna(a):
        return b
    if pd.isna(b) or str(a) == str(b):
        return a
    return f"{a};{b}"


def load_mappings(folder: Path, problems: list[Problem] | None = None) -> list[Mapping]:
    """Every mapping in a folder, by file name; one that cannot be read is recorded in
    ``problems`` (raised when ``problems`` is None) and the others are still loaded."""
    mappings = []
    for path in sorted(folder.glob("*.toml")):
        try:
            mappings.append(load_mapping(path))
        except MappingError as exc:
            if problems is None:
                raise
            problems.append(Problem(exc.check, str(path), "", None, str(exc)))
    return mappings
