"""A review: the one declarative file (``review.toml``) that says what a review wants.

The engine knows no disease, measure or intervention: a review's folder says which curated
tables it wants (each column's type, unit, allowed values, plausible range; keys; foreign
keys), which of them are required, the review's **measures** (the words papers use for each,
its unit, which curated columns hold its baseline, follow-up and change), the **categories**
studies are grouped by (with the words that name each value), the **roles** some columns
play for the study checks (treated and control sizes, dose, follow-up...) and the **plots**
it wants. pandera schemas of its tables are built from it at run time; the generic files
(papers, works, references, claims, decisions) keep their schemas in code.

A project is one folder: ``review.toml``, ``mappings/``, ``raw/`` and ``curated/`` beside it
(:class:`Project`); every command finds them from that folder, and each can be moved by an
option. ``curate reconcile`` keeps a copy of the review in the curated folder, so a curated
dataset says by itself what it was built for.

Every mistake in the file is a one-line :class:`ReviewError` naming the file, the key and
what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandera.pandas as pa

from curate.extract.vocabulary import Vocabulary

FILE = "review.toml"
#: Column types of a review table, and the pandas dtype each is read as (nullable, not).
TYPES = {"text": (str, str), "integer": ("Int64", "int64"), "number": (float, float)}
#: Provenance every table built from a printed table carries (checked by the engine).
PROVENANCE = {
    "paper_id": {"type": "text", "required": True, "pattern": r"^[a-z0-9]+$", "references": "papers.paper_id"},
    "table": {"type": "text", "required": True},
    "page": {"type": "text", "required": True},
    "row": {"type": "integer", "required": True, "min": 1},
}
COLUMN_KEYS = {"type", "required", "unit", "allowed", "min", "max", "above", "pattern", "references", "description", "category"}
TABLE_KEYS = {"description", "required", "key", "provenance", "columns", "roles", "patient", "patients"}
#: Roles a column of an included-studies table can play for the study checks.
ROLES = {"label", "arm", "n_treated", "n_control", "dose", "dose_basis", "dose_printed", "follow_up", "follow_up_printed", "mean_treated", "mean_control"}
MEASURE_KEYS = {"words", "unit", "columns", "baseline", "follow_up", "change", "description"}
CATEGORY_KEYS = {"column", "values", "claims", "description"}
PLOT_KINDS = {"paired": {"table", "before", "after"}, "per_visit": {"table", "visit", "value", "patient"}, "sizes": {"table", "treated", "control"}}


class ReviewError(ValueError):
    """A review file that cannot be used; the message names the file, the key and what is allowed."""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    type: str = "text"
    required: bool = False
    unit: str = ""
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    above: float | None = None
    pattern: str = ""
    references: str = ""  # "file.column" another curated file must hold this value in
    category: bool = False  # a value a sentence may name to pick rows ("ABC (10 studies ...)")


@dataclass(slots=True)
class TableSpec:
    name: str  # the file is <name>.csv
    columns: dict[str, ColumnSpec]
    required: bool = False
    key: list[str] = field(default_factory=list)
    provenance: bool = True
    roles: dict[str, str] = field(default_factory=dict)
    patients: bool = False  # one row per patient (or per patient and visit)
    patient: str = ""  # the column naming the patient when a patient has several rows

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


@dataclass(frozen=True, slots=True)
class Measure:
    """Something the papers measure, in their words, and where the curated tables hold it."""

    name: str
    words: tuple[str, ...]
    unit: str = ""
    columns: tuple[str, ...] = ()  # a column holding it with no timing (the first a table has)
    baseline: str = ""
    follow_up: str = ""
    change: str = ""  # an expression; default baseline - follow_up

    def pattern(self) -> str:
        """A regular expression of its words (as :mod:`curate.extract.claims` matches subjects)."""
        return "|".join(_word(w) for w in self.words)

    def expression(self, tags: set[str]) -> list[str]:
        """The columns or expressions a sentence's claim about it is computed on, best first
        (tags of the claim's context: 'change', 'after'; otherwise the baseline)."""
        change = self.change or (f"{self.baseline} - {self.follow_up}" if self.baseline and self.follow_up else "")
        if "change" in tags:
            return [change] if change else []
        timed = self.follow_up if "after" in tags else self.baseline
        return [c for c in (timed, *self.columns) if c]


@dataclass(frozen=True, slots=True)
class Category:
    """A way studies are grouped: a column and, per value, the words that name it."""

    name: str
    column: str
    values: dict[str, tuple[str, ...]]
    claims: bool = False  # the text's mentions of it are claims to check against a study's rows

    def value_of(self, text: str) -> str | None:
        """The value whose words appear in ``text`` ('XY-ABCs' -> 'ABC')."""
        return next((v for v, words in self.values.items() if re.search("|".join(_word(w) for w in words), text, re.I)), None)

    def pattern(self) -> str:
        """A regular expression of every value's words."""
        return "|".join(_word(w) for words in self.values.values() for w in words)


@dataclass(frozen=True, slots=True)
class Plot:
    kind: str
    table: str
    columns: dict[str, str]
    title: str = ""


@dataclass(slots=True)
class Review:
    path: Path | None
    title: str = ""
    tables: dict[str, TableSpec] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    plots: list[Plot] = field(default_factory=list)

    def table_for(self, file: str) -> TableSpec | None:
        return self.tables.get(file.removesuffix(".csv"))

    def schemas(self) -> dict[str, pa.DataFrameSchema]:
        """The pandera schema of each table the review declares, by file name."""
        return {spec.file: build_schema(spec) for spec in self.tables.values()}

    def patient_tables(self) -> dict[str, str | None]:
        """Tables with one row per patient (or per patient and visit): name -> patient column."""
        return {t.name: (t.patient or None) for t in self.tables.values() if t.patients}

    def category_columns(self) -> set[str]:
        return {c.name for t in self.tables.values() for c in t.columns.values() if c.category}

    def measure_named(self, words: str) -> Measure | None:
        """The measure a paper's words name ('X' -> the measure whose words include it)."""
        folded = words.strip().lower()
        return next((m for m in self.measures.values() if folded == m.name or folded in (w.lower() for w in m.words)), None)

    def vocabulary(self) -> Vocabulary:
        """The review's words for claim extraction (:mod:`curate.extract.claims`)."""
        return Vocabulary(
            tuple((m.name, m.words) for m in self.measures.values()),
            tuple((c.name, tuple(w for words in c.values.values() for w in words)) for c in self.claim_categories()),
        )

    def claim_categories(self) -> list[Category]:
        return [c for c in self.categories.values() if c.claims]


def _word(word: str) -> str:
    """A word or abbreviation as a pattern, matched anywhere in any case ('ABC' in 'XY-ABCs')."""
    return re.escape(word.lower())


def _fail(path: Path | None, key: str, why: str) -> ReviewError:
    return ReviewError(f"{path or FILE}: {key}: {why}")


def _check_keys(path: Path | None, where: str, data: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _fail(path, where, "must be a table of keys")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _fail(path, f"{where}.{unknown[0]}", f"unknown key (allowed: {', '.join(sorted(allowed))})")
    return data


def _column(path: Path | None, table: str, name: str, data: Any) -> ColumnSpec:
    where = f"tables.{table}.columns.{name}"
    data = _check_keys(path, where, data, COLUMN_KEYS)
    kind = data.get("type", "text")
    if kind not in TYPES:
        raise _fail(path, f"{where}.type", f"{kind!r} is not a type (allowed: {', '.join(TYPES)})")
    for bound in ("min", "max", "above"):
        if bound in data and not isinstance(data[bound], (int, float)):
            raise _fail(path, f"{where}.{bound}", f"{data[bound]!r} is not a number")
    ref = str(data.get("references", ""))
    if ref and not re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", ref):
        raise _fail(path, f"{where}.references", f"{ref!r} is not FILE.COLUMN (e.g. works.work_id)")
    return ColumnSpec(
        name, kind, bool(data.get("required", False)), str(data.get("unit", "")), tuple(str(v) for v in data.get("allowed", ())),
        data.get("min"), data.get("max"), data.get("above"), str(data.get("pattern", "")), ref, bool(data.get("category", False)),
    )


def _table(path: Path | None, name: str, data: Any) -> TableSpec:
    where = f"tables.{name}"
    data = _check_keys(path, where, data, TABLE_KEYS)
    provenance = bool(data.get("provenance", True))
    columns = {n: _column(path, name, n, spec) for n, spec in PROVENANCE.items()} if provenance else {}
    declared = data.get("columns", {})
    if not isinstance(declared, dict) or not declared:
        raise _fail(path, f"{where}.columns", "declare at least one column (e.g. columns.age = { type = \"integer\", min = 0, max = 120 })")
    columns |= {n: _column(path, name, n, spec) for n, spec in declared.items()}
    for k in data.get("key", []):
        if k not in columns:
            raise _fail(path, f"{where}.key", f"{k!r} is not a column (columns: {', '.join(columns)})")
    roles = _check_keys(path, f"{where}.roles", data.get("roles", {}), ROLES)
    for role, column in roles.items():
        if "{measure}" not in column and column not in columns:
            raise _fail(path, f"{where}.roles.{role}", f"{column!r} is not a column (columns: {', '.join(columns)})")
    patient = str(data.get("patient", ""))
    if patient and patient not in columns:
        raise _fail(path, f"{where}.patient", f"{patient!r} is not a column (columns: {', '.join(columns)})")
    return TableSpec(name, columns, bool(data.get("required", False)), list(data.get("key", [])), provenance, dict(roles), bool(data.get("patients", False)) or bool(patient), patient)


def _strings(path: Path | None, where: str, value: Any) -> tuple[str, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise _fail(path, where, "must be a word or a list of words")
    return tuple(values)


def _measure(path: Path | None, name: str, data: Any) -> Measure:
    where = f"measures.{name}"
    data = _check_keys(path, where, data, MEASURE_KEYS)
    if not data.get("words"):
        raise _fail(path, f"{where}.words", "list the words and abbreviations papers use for it")
    return Measure(
        name, _strings(path, f"{where}.words", data["words"]), str(data.get("unit", "")),
        _strings(path, f"{where}.columns", data["columns"]) if "columns" in data else (),
        str(data.get("baseline", "")), str(data.get("follow_up", "")), str(data.get("change", "")),
    )


def _category(path: Path | None, name: str, data: Any) -> Category:
    where = f"categories.{name}"
    data = _check_keys(path, where, data, CATEGORY_KEYS)
    if "column" not in data:
        raise _fail(path, f"{where}.column", "name the curated column holding it")
    values = data.get("values", {})
    if not isinstance(values, dict) or not values:
        raise _fail(path, f"{where}.values", "give each value the words that name it (values.ABC = [\"ABC\", \"a b c\"])")
    return Category(name, str(data["column"]), {str(v): _strings(path, f"{where}.values.{v}", w) for v, w in values.items()}, bool(data.get("claims", False)))


def _plot(path: Path | None, i: int, data: Any) -> Plot:
    where = f"plots[{i}]"
    if not isinstance(data, dict) or data.get("kind") not in PLOT_KINDS:
        raise _fail(path, f"{where}.kind", f"{data.get('kind') if isinstance(data, dict) else data!r} is not a plot (allowed: {', '.join(PLOT_KINDS)})")
    wanted = PLOT_KINDS[data["kind"]]
    data = _check_keys(path, where, data, wanted | {"kind", "title"})
    missing = sorted(wanted - set(data))
    if missing:
        raise _fail(path, f"{where}.{missing[0]}", f"a {data['kind']} plot needs {', '.join(sorted(wanted))}")
    return Plot(data["kind"], str(data["table"]), {k: str(data[k]) for k in wanted - {"table"}}, str(data.get("title", "")))


def parse_review(text: str, path: Path | None = None) -> Review:
    """A review from the text of its file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReviewError(f"{path or FILE}: not TOML ({exc})") from exc
    data = _check_keys(path, "(top level)", data, {"review", "tables", "measures", "categories", "plots"})
    review = Review(path, str(data.get("review", {}).get("title", "")))
    review.tables = {n: _table(path, n, t) for n, t in data.get("tables", {}).items()}
    review.measures = {n: _measure(path, n, m) for n, m in data.get("measures", {}).items()}
    review.categories = {n: _category(path, n, c) for n, c in data.get("categories", {}).items()}
    review.plots = [_plot(path, i, p) for i, p in enumerate(data.get("plots", []))]
    for plot in review.plots:
        if plot.table not in review.tables:
            raise _fail(path, "plots.table", f"{plot.table!r} is not a table of the review (tables: {', '.join(review.tables)})")
    return review


def load_review(path: Path) -> Review:
    """The review in ``path`` (a review.toml, or a folder holding one)."""
    path = path / FILE if path.is_dir() else path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read ({exc.strerror if isinstance(exc, OSError) else exc}); `curate init` makes one") from exc
    return parse_review(text, path)


def build_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema of a review table: strict columns, types coerced, checks per column,
    the key unique together."""
    columns = {}
    for col in spec.columns.values():
        checks = []
        if col.allowed:
            checks.append(pa.Check.isin(list(col.allowed)))
        if col.pattern:
            checks.append(pa.Check.str_matches(col.pattern))
        if col.min is not None:
            checks.append(pa.Check.ge(col.min))
        if col.max is not None:
            checks.append(pa.Check.le(col.max))
        if col.above is not None:
            checks.append(pa.Check.gt(col.above))
        dtype = TYPES[col.type][1 if col.required else 0]
        columns[col.name] = pa.Column(dtype, checks=checks, nullable=not col.required)
    return pa.DataFrameSchema(columns, strict=True, coerce=True, unique=spec.key or None, name=spec.file)


def snapshot(curated: Path) -> Review | None:
    """The review a curated dataset was built for (the copy ``curate reconcile`` keeps), if any."""
    path = curated / FILE
    return load_review(path) if path.exists() else None


@dataclass(frozen=True, slots=True)
class Project:
    """Where a review's files are: one folder, each part movable by an option."""

    root: Path
    raw: Path
    curated: Path
    mappings: Path
    review: Path  # the review.toml

    @classmethod
    def of(cls, project: Path | None = None, *, raw: Path | None = None, curated: Path | None = None, mappings: Path | None = None, review: Path | None = None) -> Project:
        """The folders of a project: each given one, else ``PROJECT/raw``, ``PROJECT/curated``,
        ``PROJECT/mappings`` and ``PROJECT/review.toml`` (PROJECT: the nearest folder from the
        current one upward that holds a review.toml, else the current folder)."""
        root = project or _nearest(Path.cwd()) or Path(".")
        if project is None:  # raw/ and curated/ named alone: the other is their sibling
            if curated is not None and raw is None:
                raw = curated.parent / "raw"
            if raw is not None and curated is None:
                curated = raw.parent / "curated"
        review_file = review / FILE if review is not None and review.is_dir() else review
        return cls(root, raw or root / "raw", curated or root / "curated", mappings or root / "mappings", review_file or root / FILE)

    def describe(self) -> str:
        return f"review {self.review}, mappings {self.mappings}, raw {self.raw}, curated {self.curated}"

    def load(self, curated_fallback: bool = True) -> Review | None:
        """The project's review; else the copy in its curated folder; None when there is neither."""
        if self.review.exists():
            return load_review(self.review)
        return snapshot(self.curated) if curated_fallback else None



def _nearest(start: Path) -> Path | None:
    """The nearest folder from ``start`` upward holding a review.toml (as git finds .git); a
    curated folder's copy of the review (beside its papers.csv) is not a project."""
    for folder in (start, *start.parents):
        if (folder / FILE).is_file() and not (folder / "papers.csv").exists():
            return folder if folder != start else Path(".")
    return None


TEMPLATE = """\
# {title}: what curate should build and check for this review.
# Every key is explained in the README ("The review file"); `curate validate` says which
# line is wrong and what is allowed.

[review]
title = "{title}"

# One [tables.NAME] per curated table (curated/NAME.csv), built by mappings/*.toml.
# Each row also carries paper_id, table, page and row (where it was printed).
# Column keys: type (text, integer, number), required, unit, allowed, min, max, above,
# pattern, references ("works.work_id"), category (a value a sentence may name).
[tables.studies]
description = "One row per study arm of an included-studies table."
required = true
key = ["paper_id", "table", "row"]
# Roles for the study checks: label, arm, n_treated, n_control, dose, dose_basis,
# dose_printed, follow_up, follow_up_printed, mean_treated, mean_control.
roles = {{ label = "label", n_treated = "n_treated", n_control = "n_control" }}

[tables.studies.columns]
label = {{ type = "text", required = true }}
work_id = {{ type = "text", pattern = "^w_[0-9a-f]+$", references = "works.work_id" }}
n_treated = {{ type = "integer", min = 1, max = 100_000 }}
n_control = {{ type = "integer", min = 1, max = 100_000 }}

# The measures of the review: the words papers use, its unit, and the columns holding its
# value at baseline and at follow-up (change = baseline - follow_up unless given).
[measures.age]
words = ["age", "aged", "years old"]
unit = "years"
columns = ["age"]

# Categories studies are grouped by: a column and the words naming each value.
# [categories.arm_type]
# column = "arm_type"
# values = {{ drug = ["drug", "medication"], placebo = ["placebo"] }}

# Plots of the report: paired (before/after per row), per_visit, sizes (per arm).
[[plots]]
kind = "sizes"
title = "Sample sizes per arm"
table = "studies"
treated = "n_treated"
control = "n_control"
"""


def init_project(folder: Path, title: str) -> list[Path]:
    """Make a project folder: a review.toml to edit and an empty mappings/ folder. An
    existing review.toml is never overwritten."""
    review = folder / FILE
    if review.exists():
        raise ReviewError(f"{review}: already exists (not overwritten)")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mappings").mkdir(exist_ok=True)
    review.write_text(TEMPLATE.format(title=title.replace('"', "'")), encoding="utf-8")
    return [review, folder / "mappings"]
