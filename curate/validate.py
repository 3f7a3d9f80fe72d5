"""``curate validate``: every problem of a curated dataset, as findings.

Each file is read defensively (a missing file, an empty one, a BOM, Latin-1 bytes and ragged
rows are findings, not tracebacks), validated lazily against its pandera schema so that
every failing row is reported, and the files are then checked against each other (foreign
keys). Findings follow the contract of :mod:`curate.findings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pandas as pd
import pandera.pandas as pa

from curate.findings import Finding, Location
from schemas.curated import SCHEMAS
from schemas.io import read_table

#: pandera check names -> our stable check names.
_CHECK_NAMES = {
    "column_in_schema": "schema.unknown_column",
    "column_in_dataframe": "schema.missing_column",
    "not_nullable": "schema.missing_value",
    "field_uniqueness": "schema.duplicate_key",
    "multiple_fields_uniqueness": "schema.duplicate_key",
}


def _check_name(check: str) -> str:
    if check in _CHECK_NAMES:
        return _CHECK_NAMES[check]
    if check.startswith(("coerce_dtype", "dtype")):
        return "schema.type"
    if check.startswith(("isin", "str_matches")):
        return "schema.allowed_values"
    if check.startswith(("greater_than", "less_than", "in_range")):
        return "schema.range"
    return "schema." + check.split("(")[0]


def read_csv(path: Path, findings: list[Finding]) -> pd.DataFrame | None:
    """The file as strings (no type guessing), or None with findings saying why it cannot be read
    (:func:`schemas.io.read_table`: a damaged file is a finding, never a traceback)."""
    table = read_table(path)
    for d in table.damage:
        findings.append(Finding(d.check, d.severity, d.message, Location(file=path.name, row=d.row), reported=d.reported, computed=d.computed))
    if table.fatal():
        return None
    return table.frame().replace("", pd.NA)


def _schema_findings(name: str, frame: pd.DataFrame, schema: type[pa.DataFrameModel]) -> Iterable[Finding]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.to_dict("records"):
            yield _finding(name, frame, case)


def _finding(name: str, frame: pd.DataFrame, case: dict) -> Finding:
    check = _check_name(str(case.get("check")))
    column = case.get("column")
    index = case.get("index")
    row = int(index) + 1 if index is not None and index == index else None
    paper = page = None
    if row is not None and 0 <= row - 1 < len(frame):
        record = frame.iloc[row - 1]
        paper = record.get("paper_id")
        page = record.get("page")
    value = case.get("failure_case")
    if check in ("schema.unknown_column", "schema.missing_column"):
        column, value = str(value if check == "schema.unknown_column" else column), None
        message = f"{name}: column {column!r} is {'not in the schema' if check == 'schema.unknown_column' else 'missing'}"
    else:
        message = f"{name} row {row}, {column}: {value!r} fails {case.get('check')}"
    return Finding(check, "error", message, Location(file=name, row=row, column=column, page=page), paper_id=paper, reported=value, subject=str(case.get("check")))


def _foreign_keys(frames: dict[str, pd.DataFrame]) -> Iterable[Finding]:
    works = frames.get("works.csv")
    if works is not None and "work_id" in works:
        known_works = set(works["work_id"].dropna())
        for name in ("studies.csv", "references.csv"):
            frame = frames.get(name)
            if frame is None or "work_id" not in frame:
                continue
            for i, work in enumerate(frame["work_id"], start=1):
                if pd.notna(work) and work not in known_works:
                    yield Finding("schema.foreign_key", "error", f"{name} row {i}: work_id {work!r} is not in works.csv", Location(file=name, row=i, column="work_id"), paper_id=frame["paper_id"].iloc[i - 1], reported=work)
    papers = frames.get("papers.csv")
    if papers is None or "paper_id" not in papers:
        return
    known = set(papers["paper_id"].dropna())
    for name, frame in frames.items():
        if name == "papers.csv" or "paper_id" not in frame:
            continue
        for i, paper in enumerate(frame["paper_id"], start=1):
            if pd.notna(paper) and paper not in known:
                yield Finding("schema.foreign_key", "error", f"{name} row {i}: paper_id {paper!r} is not in papers.csv", Location(file=name, row=i, column="paper_id"), paper_id=paper, reported=paper)


def works_findings(folder: Path, frames: dict[str, pd.DataFrame]) -> Iterable[Finding]:
    """The registry's conflicts and the match review's pairs, as findings to decide."""
    from curate.matching import ScoredPair
    from curate.works import conflicts, duplicates_in_lists, review_finding

    entries = frames.get("references.csv")
    if entries is not None and {"work_id", "paper_id", "index"} <= set(entries.columns):
        yield from conflicts(entries.fillna(""))
        yield from duplicates_in_lists(entries.fillna(""))
    review = folder / "match_review.csv"
    if not review.exists() or (review.is_file() and not review.stat().st_size):
        return
    table = read_table(review, ("key_a", "key_b", "score"))
    for d in table.damage:
        yield Finding(d.check, d.severity, d.message, Location(file=review.name, row=d.row), reported=d.reported, computed=d.computed)
    if table.fatal():
        return
    for number, row in enumerate(table.frame().itertuples(), start=1):
        try:
            score = float(row.score)
        except ValueError:
            yield Finding("schema.type", "error", f"{review.name} row {number}, score: {row.score!r} is not a number", Location(file=review.name, row=number, column="score"), reported=row.score)
            continue
        yield review_finding(ScoredPair(row.key_a, row.key_b, score, "unsure", ()))


def validate(folder: Path, raw: Path | None = None) -> list[Finding]:
    """All findings about the curated files in ``folder`` (the files named in :data:`SCHEMAS`),
    and, when ``raw`` (the extracted papers) is given, the arithmetic of every raw table
    (:mod:`curate.tablechecks`, no mapping needed) and the consistency checks of :mod:`curate.checks`."""
    findings: list[Finding] = []
    frames: dict[str, pd.DataFrame] = {}
    own: list[Finding] = []  # the papers' own tables and text need no curated file
    if raw is not None and raw.is_dir():
        from curate.tablechecks import table_checks

        own = table_checks(raw)
    if not folder.is_dir():
        return [Finding("file.missing", "error", f"{folder} is not a folder", Location(file=str(folder))), *own]
    for name, schema in SCHEMAS.items():
        frame = read_csv(folder / name, findings)
        if frame is None:
            continue
        frames[name] = frame
        findings.extend(_schema_findings(name, frame, schema))
    findings.extend(_foreign_keys(frames))
    findings.extend(works_findings(folder, frames))
    if raw is not None and raw.is_dir() and not any(f.severity == "error" and f.check.startswith("file.") for f in findings):
        from curate.checks import run_checks

        findings.extend(run_checks(raw, folder))
    return findings + own
