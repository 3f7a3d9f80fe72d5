"""Raw extracted tables -> tidy curated tables, through declarative mappings.

A mapping (``curated/mappings/<target>.toml``) names, for one curated file, the raw tables it
reads (paper id and printed table number) and, per curated column, the printed header it
comes from, the cell parser (:mod:`curate.cells`) and the part of the parsed value to keep
(``get``: a dotted path such as ``n.0`` or ``arms.1.months``). Wide tables are melted
(``[sources.melt]``: one row per listed column, empty cells dropped, never zero) and sources
are merged on key columns. Every row keeps its provenance: paper id, table, page and row of
the printed table. Nothing is edited by hand: re-running gives the same files.

A cell that does not parse is not fatal: its value stays empty and a :class:`TidyIssue`
records the file, row, column and printed text.
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
from schemas.io import read_table

PROVENANCE = ["paper_id", "table", "page", "row"]


class MappingError(ValueError):
    """A mapping that cannot be applied (unknown parser, header or table); names the file."""


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


def _column(name: str, spec: dict[str, Any], where: Path) -> Column:
    col = Column(name, spec.get("from"), spec.get("parse", "text"), str(spec.get("get", "")), spec.get("derive"))
    if col.parse not in PARSERS:
        raise MappingError(f"{where}: column {name!r}: unknown parser {col.parse!r} (known: {', '.join(sorted(PARSERS))})")
    if col.source is None and col.derive is None:
        raise MappingError(f"{where}: column {name!r} needs 'from' (a printed header) or 'derive'")
    return col


def load_mapping(path: Path) -> Mapping:
    """Read and check one mapping file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path}: {exc}") from exc
    try:
        sources = [
            Source(
                str(s["paper"]),
                int(s["table"]),
                [_column(name, spec, path) for name, spec in s.get("columns", {}).items()],
                s.get("melt"),
            )
            for s in data["sources"]
        ]
        return Mapping(path, str(data["target"]), list(data.get("key", [])), sources, list(data.get("merge_on", [])))
    except KeyError as exc:
        raise MappingError(f"{path}: missing {exc.args[0]!r}") from exc


def _dig(value: Any, path: str) -> Any:
    """Follow a dotted path (list indexes, dict keys, attributes) into a parsed value."""
    for step in filter(None, path.split(".")):
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            value = value[int(step)]
        elif isinstance(value, dict):
            value = value.get(step)
        else:
            value = getattr(value, step)
    return value


def _raw_table(raw: Path, paper: str, number: int) -> tuple[list[str], list[list[str]], dict[str, Any]]:
    """Header, rows and metadata of the printed 'Table <number>' of a paper in raw/."""
    meta_path = raw / paper / "tables.json"
    try:
        tables = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingError(f"{meta_path}: cannot read ({exc}); run `curate extract` first") from exc
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise MappingError(f"{meta_path}: not a list of tables; run `curate extract` again")
    for meta in tables:
        m = re.match(r"\s*table\s*(\d+)", meta.get("caption") or "", re.I)
        if m and int(m.group(1)) == number:
            break
    else:
        raise MappingError(f"{meta_path}: no 'Table {number}' among {len(tables)} extracted tables")
    table = read_table(raw / paper / str(meta.get("file")))
    bad = next((d for d in table.damage if d.severity == "error"), None)
    if bad is not None:
        raise MappingError(f"{raw / paper / str(meta.get('file'))}{bad.message.removeprefix(table.path.name)}; run `curate extract` again")
    return table.header, table.rows, meta


def _source_frame(mapping: Mapping, source: Source, raw: Path, issues: list[TidyIssue]) -> pd.DataFrame:
    header, rows, meta = _raw_table(raw, source.paper, source.table)
    index = {h: i for i, h in enumerate(header)}
    wanted = [c.source for c in source.columns if c.source] + list((source.melt or {}).get("columns", {}))
    for h in wanted:
        if h not in index:
            raise MappingError(f"{mapping.path}: {source.paper} Table {source.table} has no column {h!r} (it has {header})")
    boxes = meta.get("row_boxes") or []
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r, cells in enumerate(rows, start=1):
        base: dict[str, Any] = {
            "paper_id": source.paper,
            "table": source.table,
            "page": boxes[r - 1][0] if r - 1 < len(boxes) else (meta.get("pages") or [None])[0],
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
    except (CellError, IndexError, AttributeError) as exc:
        issue = TidyIssue(mapping.target, source.paper, source.table, row, header, printed, str(exc))
        if issue not in issues:  # one cell read by several columns is one issue
            issues.append(issue)
        return None


def apply_mapping(mapping: Mapping, raw: Path) -> tuple[pd.DataFrame, list[TidyIssue]]:
    """The curated table a mapping describes, built from ``raw/``, and the cells that did not parse."""
    issues: list[TidyIssue] = []
    frames = [_source_frame(mapping, s, raw, issues) for s in mapping.sources]
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
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    ordered = [c for c in PROVENANCE if c in frame.columns] + [c for c in frame.columns if c not in PROVENANCE]
    frame = frame[ordered]
    for col in frame.columns:  # whole numbers stay whole: an age of 66 is not 66.0
        values = frame[col].dropna()
        if pd.api.types.is_float_dtype(frame[col]) and len(values) and (values == values.round()).all():
            frame[col] = frame[col].astype("Int64")
    if mapping.key:
        frame = frame.sort_values(mapping.key, kind="stable").reset_index(drop=True)
    return frame, issues


def _join_prov(a: Any, b: Any) -> Any:
    if pd.isna(a):
        return b
    if pd.isna(b) or str(a) == str(b):
        return a
    return f"{a};{b}"


def load_mappings(folder: Path) -> list[Mapping]:
    """Every mapping in a folder, by file name."""
    return [load_mapping(p) for p in sorted(folder.glob("*.toml"))]
