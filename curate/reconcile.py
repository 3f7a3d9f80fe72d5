"""``curate reconcile``: raw/ (every paper's extraction) -> curated/ (one dataset).

It writes ``papers.csv`` (one row per extracted paper, from its manifest), the registry of
works with every reference entry linked to its work and the match review
(:mod:`curate.works`), the tidy tables of the review described by the mappings
(:mod:`curate.tidy`) through :mod:`curate.store` (nothing a steward edited is overwritten
silently), ``claims.csv``, the steward-editable links from reported numbers to computations
(:mod:`curate.claimlinks`), whose steward rows are always kept, ``mapping_problems.csv``,
and copies of the review (``review.toml``) and of the mappings applied (``mappings/``): what
the dataset was built with (the project's own files are the ones to edit).

Nothing is all-or-nothing: a paper whose manifest is unreadable, a mapping that cannot be
read, a table, column or paper a mapping names that is not in raw/ is a problem
(``mapping.*``, a finding of ``curate validate``) and everything else is still written. The
run fails (:attr:`ReconcileResult.failed`) only when a table the review requires could not
be built.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from curate.claimlinks import refresh_links
from curate.decisions import DecisionError, load_decisions
from curate.extract.cluster import ClusterSpec
from curate.extract.output import frame_csv, paper_folders
from curate.review import FILE, Review, load_review
from curate.schemas.io import ReadError, read_frame
from curate.store import write_all
from curate.tidy import Problem, TidyIssue, apply_mapping, load_mappings
from curate.works import Registry, build_registry, study_works, verdicts_from

PAPER_COLUMNS = ["paper_id", "title", "first_author", "year", "doi", "source", "sha256", "pages"]
PROBLEMS = "mapping_problems.csv"
PROBLEM_COLUMNS = ["check", "severity", "mapping", "target", "paper_id", "message"]


class ReconcileError(Exception):
    """raw/ or the mappings cannot be reconciled (names the path and the reason)."""


@dataclass(slots=True)
class ReconcileResult:
    written: list[Path]
    issues: list[TidyIssue]
    problems: list[Problem]  # mappings or sources that could not be applied
    failed: list[str]  # tables the review requires that could not be built (exit 1)


def papers_frame(raw: Path, problems: list[Problem] | None = None) -> pd.DataFrame:
    """One row per paper folder in raw/ (from its manifest.json); an unreadable manifest is
    recorded in ``problems`` (raised when ``problems`` is None) and its paper left out."""
    rows = []
    for folder in paper_folders(raw):
        manifest = folder / "manifest.json"
        if not manifest.exists():
            continue  # not a paper (a steward's notes folder)
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            if problems is None:
                raise ReconcileError(f"{manifest}: unreadable ({exc})") from exc
            problems.append(Problem("mapping.missing_paper", str(manifest), "papers.csv", manifest.parent.name, f"{manifest}: unreadable ({exc}); the paper is left out"))
            continue
        if not isinstance(data, dict) or data.get("paper_id") != folder.name:
            raise ReconcileError(f"{manifest}: not the manifest of paper {folder.name!r} (its paper_id differs); run `curate extract` again")
        rows.append({col: data.get(col) for col in PAPER_COLUMNS})
    if not rows:
        raise ReconcileError(f"{raw}: no extracted papers (run `curate extract PAPER.pdf --out {raw}` first)")
    frame = pd.DataFrame(rows, columns=PAPER_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _registry(raw: Path, out: Path, cluster: str | None) -> Registry:
    """Works from every reference list, honouring the steward's verdicts on earlier reviews;
    pairs already decided stay in the review so that their verdicts keep applying."""
    decisions = load_decisions(out) if (out / "decisions.csv").exists() else {}
    previous = read_frame(out / "match_review.csv", ("finding_id",)) if (out / "match_review.csv").exists() else None
    workdir = None
    if cluster is not None and ClusterSpec.parse(cluster).address:  # remote workers share the output folder's file system
        out.mkdir(parents=True, exist_ok=True)
        workdir = out
    registry = build_registry(raw, verdicts_from(decisions, previous), cluster, workdir)
    if previous is not None and not previous.empty:
        decided = previous[previous["finding_id"].isin(decisions)]
        kept = decided[~decided["finding_id"].isin(registry.review["finding_id"])]
        registry.review = pd.concat([registry.review, kept], ignore_index=True)
    return registry


def find_review(mappings: Path) -> Review | None:
    """The review beside a mappings folder (``PROJECT/mappings`` -> ``PROJECT/review.toml``)."""
    path = mappings.parent / FILE
    return load_review(path) if path.exists() else None


def reconcile(raw: Path, out: Path, mappings: Path, force: bool = False, cluster: str | None = None, review: Review | None = None) -> ReconcileResult:
    """Build the curated dataset in ``out`` from ``raw`` for ``review`` (default: the
    review.toml beside ``mappings``): everything that can be built is written; what cannot
    is in :attr:`ReconcileResult.problems` and ``mapping_problems.csv``. ``cluster`` matches
    the reference entries on a Dask cluster (same works as a serial run).

    A damaged file it reads (raw or curated) is a :class:`ReconcileError` naming it; a write
    that fails (full disk, read-only folder) is an ``OSError`` with a one-line message and
    leaves the curated files as they were.
    """
    try:
        return _reconcile(raw, out, mappings, force, cluster, review)
    except (ReadError, DecisionError) as exc:
        raise ReconcileError(str(exc)) from exc


def _reconcile(raw: Path, out: Path, mappings: Path, force: bool, cluster: str | None, review: Review | None) -> ReconcileResult:
    if not raw.is_dir():
        raise ReconcileError(f"{raw}: no such folder")
    review = review if review is not None else find_review(mappings) or Review(None)
    problems: list[Problem] = []
    papers = papers_frame(raw, problems)
    present = set(papers["paper_id"])
    files = {"papers.csv": frame_csv(papers)}
    issues: list[TidyIssue] = []
    loaded = load_mappings(mappings, problems) if mappings.is_dir() else []
    registry = _registry(raw, out, cluster)
    files["works.csv"] = frame_csv(registry.works)
    files["references.csv"] = frame_csv(registry.entries)
    files["match_review.csv"] = frame_csv(registry.review)
    built: dict[str, bool] = {}
    for mapping in loaded:
        spec = review.table_for(mapping.target)
        if review.tables and spec is None:
            problems.append(Problem("mapping.undeclared", str(mapping.path), mapping.target, None, f"{mapping.path}: target: {mapping.target!r} is not a table of the review (its tables: {', '.join(t.file for t in review.tables.values())})"))
            continue
        for source in [s for s in mapping.sources if s.paper not in present]:
            problems.append(Problem("mapping.missing_paper", str(mapping.path), mapping.target, source.paper, f"{mapping.path}: {source.paper} (Table {source.table}) is not among the extracted papers in {raw}"))
        mapping.sources = [s for s in mapping.sources if s.paper in present]
        if not mapping.sources:
            continue
        before = len(problems)
        frame, found = apply_mapping(mapping, raw, problems)
        built[mapping.target] = built.get(mapping.target, True) and len(problems) == before
        label = spec.roles.get("label") if spec is not None else None
        if label and label in frame.columns and "table" in frame.columns:  # an included-studies table: each row's work
            frame.insert(frame.columns.get_loc(label) + 1, "work_id", study_works(raw, frame.rename(columns={label: "label"}), registry.entries))
        files[mapping.target] = frame_csv(frame)
        issues.extend(found)
    for spec in review.tables.values():
        if spec.required and spec.file not in built and not any(p.target == spec.file for p in problems):
            problems.append(Problem("mapping.none", str(mappings), spec.file, None, f"{mappings}: no mapping builds {spec.file}, which the review requires (`curate map suggest PAPER_ID TABLE` proposes one)"))
    failed = sorted({p.target for p in problems if _required(review, p)})
    files[PROBLEMS] = frame_csv(pd.DataFrame([[p.check, "error" if _required(review, p) else "warning", p.file, p.target, p.paper_id or "", p.message] for p in problems], columns=PROBLEM_COLUMNS))
    if review.path is not None:
        files[FILE] = review.path.read_text(encoding="utf-8")
    for mapping in loaded:  # what the dataset was built with, for the report's evidence
        files[f"mappings/{mapping.path.name}"] = mapping.path.read_text(encoding="utf-8")
    written = write_all(out, files, "reconcile", force)
    refresh_links(raw, out, review)  # steward-editable: their rows are kept, the toolkit's re-inferred
    return ReconcileResult([*written, out / "claims.csv"], issues, problems, failed)


def _required(review: Review, problem: Problem) -> bool:
    """A problem that leaves a table the review requires unbuilt or partly built."""
    spec = review.table_for(problem.target)
    return spec is not None and spec.required and problem.check != "mapping.missing_paper"
