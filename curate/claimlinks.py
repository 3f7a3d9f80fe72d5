"""``curated/claims.csv``: which computation over the curated tables each reported number is.

A link says, for one claim of ``raw/<paper>/claims.csv``, what to compute and over which
curated table: ``computation`` is ``rows``, ``count``, ``mean``, ``median``, ``min``, ``max``,
``q1``, ``q3``, ``sum``, ``std`` (the sample standard deviation) or ``corr`` (Pearson's r); ``expression`` is a column or an arithmetic expression
of columns (``before - after``), for ``corr`` two of them separated by ``;``; ``filter`` a pandas query (``sex == 'M'``,
``before > 8``); ``value`` names which printed number of the claim it is compared with
(``n``, ``value``, ``lo``, ``hi``...). The toolkit pre-fills the links it can infer
(``status = auto``); a steward edits them or adds more (``status = steward``), and those rows
are kept, never regenerated, on every later run.

What a claim is about comes from the review (:mod:`curate.review`): its measures say which
columns hold a measure's baseline, follow-up and change, and its patient-level tables which
rows are patients. Nothing here names a measure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from curate.extract.claims import WORDS, subject_of
from curate.extract.output import paper_folders, write_csv
from curate.review import Review, snapshot
from curate.schemas.io import read_frame, read_typed

COLUMNS = ["claim_id", "paper_id", "kind", "subject", "value", "reported", "table", "computation", "expression", "filter", "status", "note"]
COMPUTATIONS = ("rows", "count", "sum", "mean", "std", "median", "min", "max", "q1", "q3", "corr")


class LinkError(ValueError):
    """A link that cannot be computed (unknown table, column or expression)."""


@dataclass(frozen=True, slots=True)
class Link:
    claim_id: str
    paper_id: str
    kind: str
    subject: str
    value: str
    reported: str
    table: str
    computation: str
    expression: str = ""
    filter: str = ""
    status: str = "auto"
    note: str = ""


def _patient_table(curated: Path, paper: str, tables: dict[str, str | None]) -> str | None:
    for name in tables:
        path = curated / f"{name}.csv"
        if path.exists() and paper in set(read_typed(path, ("paper_id",))["paper_id"]):
            return name
    return None


def ungrouped(printed: str) -> str:
    """A printed number without the spaces that group its thousands ('10 395' -> '10395')."""
    return re.sub(r"(?<=\d)[ \u2009\u202f](?=\d{3}(?!\d))", "", printed)


def number(text: str) -> float | None:
    """A printed number or number word ('61', '1,234', '10 395', 'Four') as a float; None if it is neither."""
    text = ungrouped(text.strip().lower()).replace(",", "")
    if text in WORDS:
        return float(WORDS[text])
    try:
        return float(text.replace("−", "-").replace("–", "-"))
    except ValueError:
        return None


def group_filter(definition: dict[str, str], column: str) -> str:
    """A pandas query for a group definition ('X 6.2-8%' -> 6.2 <= x <= 8; '>8' -> x > 8)."""
    op = definition.get("op") or ""
    if definition.get("hi"):
        return f"{column} >= {definition['lo']} and {column} <= {definition['hi']}"
    return f"{column} {op.replace('≥', '>=').replace('≤', '<=') or '=='} {definition['lo']}"


def infer_links(raw: Path, curated: Path, review: Review) -> list[Link]:
    """Links the toolkit can infer from a claim's kind, subject and words, for papers whose
    data are in a patient-level curated table of the review. Nothing here names a paper or a number."""
    links: list[Link] = []
    patient_tables = review.patient_tables()
    vocabulary = review.vocabulary()
    for claims_path in (f / "claims.csv" for f in paper_folders(raw) if (f / "claims.csv").is_file()):
        paper = claims_path.parent.name
        table = _patient_table(curated, paper, patient_tables)
        if table is None:
            continue
        frame = read_typed(curated / f"{table}.csv", ("paper_id",))
        key = patient_tables[table]
        claims = read_frame(claims_path, ("span", "values", "kind"))
        definitions = {row.span: json.loads(row.values) for row in claims.itertuples() if row.kind == "group"}
        n_rows = frame[frame["paper_id"] == paper][key].nunique() if key else int((frame["paper_id"] == paper).sum())
        for claim in claims.itertuples():
            values = json.loads(claim.values)
            base = dict(claim_id=claim.claim_id, paper_id=paper, kind=claim.kind, subject=claim.subject, table=table)
            tags = set(claim.context.split(";")) if claim.context else set()
            group = next((t.split("=", 1)[1] for t in tags if t.startswith("group=")), None)
            where = _group_where(group, definitions, frame, review) if group else ""
            if group and not where:
                continue  # a subgroup figure whose group the paper does not define: not checkable here
            if claim.kind == "count" and claim.subject == "patients":
                n = number(values["n"])
                # A count of this paper's own cohort, not of another study it discusses: the
                # words say "total", or the number is near the table's (a mismatch is what we seek).
                if not group and n is not None and (re.search(r"\btotal\b", claim.span, re.I) or abs(n - n_rows) <= 0.2 * max(n_rows, 1)):
                    links.append(Link(**base, value="n", reported=values["n"], computation="rows"))
            elif claim.kind == "split" and "sex" in frame.columns and not group:
                for side in ("a", "b"):
                    sex = "M" if values[f"g{side}"].lower().startswith(("m", "boy")) else "F"
                    links.append(Link(**base, value=side, reported=values[side], computation="count", filter=f"sex == '{sex}'"))
            elif claim.kind in ("mean", "median"):
                expression = _expression(review, claim.subject, tags, frame)
                if expression:
                    links.append(Link(**base, value="value", reported=values["value"], computation=claim.kind, expression=expression, filter=where))
                    if "sd" in values:  # "54.5 ± 3.03": the sample standard deviation
                        links.append(Link(**base, value="sd", reported=values["sd"], computation="std", expression=expression, filter=where))
            elif claim.kind == "correlation" and {"x", "y"} <= set(values):
                pair = [_expression(review, *subject_of(values[axis], vocabulary), frame) for axis in ("x", "y")]
                if all(pair):
                    links.append(Link(**base, value="value", reported=values["value"], computation="corr", expression="; ".join(pair), filter=where))
            elif claim.kind in ("range", "iqr") and "change" not in tags:
                expression = _expression(review, claim.subject, tags, frame)
                if expression:
                    low, high = ("min", "max") if claim.kind == "range" else ("q1", "q3")
                    links.append(Link(**base, value="lo", reported=values["lo"], computation=low, expression=expression, filter=where))
                    links.append(Link(**base, value="hi", reported=values["hi"], computation=high, expression=expression, filter=where))
    return links


def _group_where(group: str, definitions: dict[str, dict[str, str]], frame: pd.DataFrame, review: Review) -> str:
    """The filter of the group a claim is about, from the paper's own definition of it (a
    group is defined by its measure at baseline)."""
    for definition in definitions.values():
        name = definition.get("name", "")
        if group.lower() in name.lower() or name.lower() in group.lower():
            measure = review.measure_named(definition.get("measure", ""))
            column = next((c for c in (measure.expression(set()) if measure else []) if c in frame.columns), "")
            if column:
                return group_filter(definition, column)
    return ""


def _expression(review: Review, subject: str, tags: set[str], frame: pd.DataFrame) -> str:
    """The column or expression a claim about ``subject`` is computed on (the review's measure
    of that name, at the timing the sentence says); '' when the table lacks it."""
    measure = review.measures.get(subject)
    for expression in measure.expression(tags) if measure else []:
        names = re.findall(r"[a-z_][a-z0-9_]*", expression)
        if names and all(c in frame.columns for c in names):
            return expression
    return ""


def load_table(curated: Path, table: str, cache: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """A curated table by name, read once per ``cache``."""
    if cache is not None and table in cache:
        return cache[table]
    path = curated / f"{table}.csv"
    if not path.exists():
        raise LinkError(f"table {table!r} is not a curated table (tables: {', '.join(sorted(p.stem for p in curated.glob('*.csv')))})")
    frame = read_typed(path)
    if cache is not None:
        cache[table] = frame
    return frame


def evaluate(link: Link, curated: Path, cache: dict[str, pd.DataFrame] | None = None, patients: dict[str, str | None] | None = None) -> tuple[float, int]:
    """The computed value of a link and the number of rows it was computed over.

    ``cache`` keeps the curated tables read by earlier calls (many links read one table);
    ``patients`` names the column that says which patient a row is, for tables where a
    patient has several rows (:meth:`curate.review.Review.patient_tables`)."""
    if link.computation not in COMPUTATIONS:
        raise LinkError(f"{link.claim_id}: unknown computation {link.computation!r} (one of {', '.join(COMPUTATIONS)})")
    try:
        frame = load_table(curated, link.table, cache)
    except LinkError as exc:
        raise LinkError(f"{link.claim_id}: {exc}") from exc
    for part, text in (("expression", link.expression), ("filter", link.filter)):
        unknown = [n for n in _names(text) if n not in frame.columns]
        if unknown:
            raise LinkError(f"{link.claim_id}: {part} names {unknown[0]!r}, not a column of {link.table}.csv (columns: {', '.join(frame.columns)})")
    frame = frame[frame["paper_id"] == link.paper_id]
    key = (patients or {}).get(link.table)
    try:
        if link.filter:
            frame = frame.query(link.filter, engine="python")
        if link.computation in ("rows", "count"):
            n = frame[key].nunique() if key else len(frame)
            return float(n), int(n)
        if key:  # one value per patient (a patient's first visit for per-patient columns)
            frame = frame.drop_duplicates(subset=[key])
        if link.computation == "corr":
            x, y = (_series(frame, part.strip()) for part in link.expression.split(";"))
            pairs = pd.concat([x, y], axis=1).dropna()
            if len(pairs) < 3:
                raise LinkError(f"{link.claim_id}: fewer than 3 rows with both {link.expression}")
            return float(pairs.iloc[:, 0].corr(pairs.iloc[:, 1])), len(pairs)
        series = _series(frame, link.expression)
    except LinkError:
        raise
    except Exception as exc:  # pandas raises many kinds on a bad expression or filter
        raise LinkError(f"{link.claim_id}: cannot compute {link.computation}({link.expression}) where {link.filter or 'all'}: {exc}") from exc
    series = series.dropna()
    if series.empty:
        raise LinkError(f"{link.claim_id}: no values for {link.expression}")
    value = {
        "sum": series.sum, "mean": series.mean, "std": series.std, "median": series.median, "min": series.min, "max": series.max,
        "q1": lambda: series.quantile(0.25), "q3": lambda: series.quantile(0.75),
    }[link.computation]()
    return float(value), int(series.size)


def _names(text: str) -> list[str]:
    """The column names an expression or a filter uses (not its quoted values or keywords)."""
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", text)
    names = re.findall(r"(?<![.\w])[A-Za-z_][A-Za-z0-9_]*\b(?!\s*\()", bare)  # not a method (.fillna) or a function (abs(...))
    return [n for n in names if n not in ("and", "or", "not", "in", "True", "False", "None")]


def _series(frame: pd.DataFrame, expression: str) -> pd.Series:
    """A column, or an arithmetic expression of columns, as numbers."""
    values = frame[expression] if expression in frame.columns else frame.eval(expression, engine="python")
    return pd.to_numeric(values, errors="coerce")


def load_links(curated: Path) -> list[Link]:
    path = curated / "claims.csv"
    if not path.exists():
        return []
    frame = read_frame(path)
    return [Link(**{c: row.get(c, "") for c in COLUMNS}) for row in frame.to_dict("records")]


def refresh_links(raw: Path, curated: Path, review: Review | None = None) -> list[Link]:
    """Write ``curated/claims.csv``: the steward's rows kept as they are, auto rows re-inferred
    (for ``review``, default the copy in ``curated``)."""
    review = review if review is not None else snapshot(curated) or Review(None)
    kept = [link for link in load_links(curated) if link.status != "auto"]
    mine = {(link.claim_id, link.value) for link in kept}
    links = kept + [link for link in infer_links(raw, curated, review) if (link.claim_id, link.value) not in mine]
    write_csv(curated / "claims.csv", [COLUMNS, *[[getattr(link, c) for c in COLUMNS] for link in links]])
    return links
