"""``curate validate``: every problem of a curated dataset, as findings.

Each file is read defensively (a missing file, an empty one, a BOM, Latin-1 bytes and ragged
rows are findings, not tracebacks), validated lazily against its pandera schema so that
every failing row is reported, and the files are then checked against each other (foreign
keys). The generic files (papers, works, references) have their schemas in code; the tables
of the review are the ones its ``review.toml`` declares (:mod:`curate.review`): a table it
does not require may be absent. Every check whose inputs exist runs; one that cannot is a
``check.skipped`` finding saying why. Findings follow the contract of :mod:`curate.findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from curate.checks import skipped
from curate.findings import Finding, Location
from curate.review import FILE, Review, ReviewError, TableSpec, snapshot
from curate.schemas.curated import SCHEMAS
from curate.schemas.io import read_cells, read_table

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


def read_csv(path: Path, findings: list[Finding], numbers: Mapping[str, Any] | None = None) -> pd.DataFrame | None:
    """The file as strings with empty cells missing (the ``numbers`` columns already as the
    schema's numbers when the file is large and clean), or None with findings saying why it
    cannot be read (:func:`curate.schemas.io.read_cells`: a damaged file is a finding, never a
    traceback)."""
    frame, damage = read_cells(path, numbers=numbers)
    for d in damage:
        findings.append(Finding(d.check, d.severity, d.message, Location(file=path.name, row=d.row), reported=d.reported, computed=d.computed))
    return frame


def _numbers(schema: type[pa.DataFrameModel] | pa.DataFrameSchema, spec: TableSpec | None) -> dict[str, Any]:
    """The numeric columns of a review table's schema and their dtypes, for :func:`read_cells`
    to parse straight into what pandera would coerce them to (columns that refer to another
    file stay text, for the foreign-key check)."""
    if spec is None or not isinstance(schema, pa.DataFrameSchema):
        return {}
    refers = {c.name for c in spec.columns.values() if c.references}
    return {name: column.dtype.type for name, column in schema.columns.items() if name not in refers and column.dtype is not None and pd.api.types.is_numeric_dtype(column.dtype.type) and not pd.api.types.is_bool_dtype(column.dtype.type)}


#: pandera checks that test one cell at a time on text: run once per distinct value.
_PER_VALUE = {"str_matches", "str_contains", "str_startswith", "str_endswith", "str_length", "isin", "notin"}


def _per_value(check: pa.Check) -> pa.Check:
    """``check`` evaluated once per distinct value of the column, its verdicts spread to the
    cells: the same failure cases (same name and error text), without a Python regex call per
    row (a million-row table repeats its paper ids, sexes and categories)."""

    def run(series: pd.Series) -> pd.Series:
        codes, uniques = pd.factorize(series)
        passed = np.asarray(check(pd.Series(uniques, dtype=series.dtype)).check_output, dtype=bool)
        return pd.Series(np.append(passed, True)[codes], index=series.index)  # missing cells (-1): ignore_na decides

    return pa.Check(run, name=check.name, error=check.error, ignore_na=check.ignore_na)


def _fast(schema: type[pa.DataFrameModel] | pa.DataFrameSchema) -> type[pa.DataFrameModel] | pa.DataFrameSchema:
    """The schema with its per-cell text checks run per distinct value (:func:`_per_value`)."""
    if not isinstance(schema, pa.DataFrameSchema):
        return schema
    for name, column in schema.columns.items():
        if any(c.name in _PER_VALUE and not c.element_wise for c in column.checks):
            schema = schema.update_column(name, checks=[_per_value(c) if c.name in _PER_VALUE and not c.element_wise else c for c in column.checks])
    return schema


def _schema_findings(name: str, frame: pd.DataFrame, schema: type[pa.DataFrameModel] | pa.DataFrameSchema) -> Iterable[Finding]:
    try:
        _fast(schema).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.to_dict("records"):
            yield _finding(name, frame, case)


def _finding(name: str, frame: pd.DataFrame, case: dict[str, Any]) -> Finding:
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


def _foreign_keys(frames: dict[str, pd.DataFrame], review: Review) -> Iterable[Finding]:
    """Values that must be keys of another file: every ``work_id`` of references.csv, the
    review's columns declared ``references = "FILE.COLUMN"``, and every ``paper_id``."""
    links = [("references.csv", "work_id", "works.csv", "work_id")]
    links += [(t.file, c.name, c.references.split(".")[0] + ".csv", c.references.split(".")[1]) for t in review.tables.values() for c in t.columns.values() if c.references and c.name != "paper_id"]
    for name, column, target, key in links:
        frame, other = frames.get(name), frames.get(target)
        if frame is None or other is None or column not in frame or key not in other:
            continue
        for i, value in _unknown(frame[column], other[key]):
            paper = frame["paper_id"].iloc[i - 1] if "paper_id" in frame else None
            yield Finding("schema.foreign_key", "error", f"{name} row {i}: {column} {value!r} is not in {target}", Location(file=name, row=i, column=column), paper_id=paper, reported=value)
    papers = frames.get("papers.csv")
    if papers is None or "paper_id" not in papers:
        return
    for name, frame in frames.items():
        if name == "papers.csv" or "paper_id" not in frame:
            continue
        for i, paper in _unknown(frame["paper_id"], papers["paper_id"]):
            yield Finding("schema.foreign_key", "error", f"{name} row {i}: paper_id {paper!r} is not in papers.csv", Location(file=name, row=i, column="paper_id"), paper_id=paper, reported=paper)


def _unknown(values: pd.Series, keys: pd.Series) -> Iterable[tuple[int, Any]]:
    """(row number from 1, value) of each non-missing value that is not among ``keys``."""
    missing = values.notna().to_numpy() & ~values.isin(set(keys.dropna())).to_numpy()
    for i in np.flatnonzero(missing).tolist():
        yield i + 1, values.iloc[i]


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


def mapping_findings(folder: Path) -> Iterable[Finding]:
    """What ``curate reconcile`` could not build (``mapping_problems.csv``), as findings."""
    from curate.reconcile import PROBLEMS

    path = folder / PROBLEMS
    if not path.exists() or (path.is_file() and not path.stat().st_size):
        return
    table = read_table(path, ("check", "severity", "message"))
    for d in table.damage:
        yield Finding(d.check, d.severity, d.message, Location(file=PROBLEMS, row=d.row), reported=d.reported, computed=d.computed)
    if table.fatal():
        return
    for row in table.frame().to_dict("records"):
        mapping = Path(row.get("mapping", "")).name
        yield Finding(row["check"], row["severity"] if row.get("severity") in ("error", "warning") else "warning", row["message"], Location(file=mapping or PROBLEMS), paper_id=row.get("paper_id") or None, subject=f"{row.get('target', '')}|{row['check']}")


def _review(folder: Path, review: Review | None, findings: list[Finding]) -> Review:
    """The review to validate against: the one given, else the copy in the curated folder."""
    if review is not None:
        return review
    try:
        found = snapshot(folder)
    except ReviewError as exc:
        findings.append(Finding("review.invalid", "error", str(exc), Location(file=FILE)))
        return Review(None)
    if found is None:
        findings.append(skipped("review tables", f"no {FILE} in {folder} or the project (run `curate init`, then `curate reconcile`): only papers, works and references are checked", FILE))
        return Review(None)
    return found


def validate(folder: Path, raw: Path | None = None, review: Review | None = None) -> list[Finding]:
    """All findings about the curated files in ``folder`` (the generic files of
    :data:`SCHEMAS` and the tables of the review: ``review``, else the copy ``curate reconcile``
    keeps in ``folder``) and, when ``raw`` (the extracted papers) is given, the arithmetic of
    every raw table and the text against its tables and itself (:mod:`curate.tablechecks`,
    :mod:`curate.textchecks`: no mapping needed) and the consistency checks of :mod:`curate.checks`."""
    findings: list[Finding] = []
    frames: dict[str, pd.DataFrame] = {}
    own: list[Finding] = []  # the papers' own tables and text need no curated file
    if raw is not None and raw.is_dir():
        from curate.tablechecks import table_checks
        from curate.textchecks import text_checks

        own = _guarded("the tables' arithmetic", lambda: table_checks(raw)) + _guarded("the text against its tables", lambda: text_checks(raw))
    if not folder.is_dir():
        return [Finding("file.missing", "error", f"{folder} is not a folder", Location(file=str(folder))), *own]
    review = _review(folder, review, findings)
    schemas: dict[str, type[pa.DataFrameModel] | pa.DataFrameSchema] = {**SCHEMAS, **review.schemas()}
    for name, schema in schemas.items():
        spec = review.table_for(name) if name not in SCHEMAS else None
        if spec is not None and not spec.required and not (folder / name).exists():
            findings.append(skipped(f"schema of {name}", "the file is absent and the review does not require it", name))
            continue
        frame = read_csv(folder / name, findings, _numbers(schema, spec))
        if frame is None:
            continue
        frames[name] = frame
        findings.extend(_schema_findings(name, frame, schema))
    findings.extend(_foreign_keys(frames, review))
    findings.extend(works_findings(folder, frames))
    findings.extend(mapping_findings(folder))
    if raw is None or not raw.is_dir():
        why = f"{raw} is not a folder" if raw is not None else "no raw folder (give --raw, or keep raw/ beside the curated folder)"
        findings.append(skipped("consistency checks (claim.*, citation.*, reference.*, study.*)", why))
    else:
        from curate.checks import run_checks

        findings.extend(_guarded("the consistency checks", lambda: run_checks(raw, folder, review)))
    return findings + own


def _guarded(what: str, checks: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """The findings of ``checks``; a damaged raw or curated file they read (one the file
    checks cannot see, such as a paper's own files) is a finding too, not a traceback."""
    try:
        return list(checks())
    except (ValueError, KeyError, TypeError, OSError) as exc:  # ValueError: schemas.io.ReadError too
        reason = str(exc) if isinstance(exc, (ValueError, OSError)) else f"a damaged file ({type(exc).__name__}: {exc})"
        return [Finding("file.unreadable", "error", f"{what} could not run: {reason}", Location())]
