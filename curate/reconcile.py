"""``curate reconcile``: raw/ (every paper's extraction) -> curated/ (one dataset).

It writes ``papers.csv`` (one row per extracted paper, from its manifest), the registry of
works with every reference entry linked to its work and the match review
(:mod:`curate.works`), the tidy tables
described by the mappings (:mod:`curate.tidy`) through :mod:`curate.store` (nothing a steward
edited is overwritten silently), and ``claims.csv``, the steward-editable links from reported
numbers to computations (:mod:`curate.claimlinks`), whose steward rows are always kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from curate.claimlinks import refresh_links
from curate.decisions import DecisionError, load_decisions
from curate.store import write_all
from extract.output import frame_csv, paper_folders
from schemas.io import ReadError, read_frame
from curate.tidy import MappingError, TidyIssue, apply_mapping, load_mappings
from curate.works import Registry, build_registry, study_works, verdicts_from

PAPER_COLUMNS = ["paper_id", "title", "first_author", "year", "doi", "source", "sha256", "pages"]


class ReconcileError(Exception):
    """raw/ or the mappings cannot be reconciled (names the path and the reason)."""


@dataclass(slots=True)
class ReconcileResult:
    written: list[Path]
    issues: list[TidyIssue]
    skipped: list[str]  # mappings whose papers are not in raw/


def papers_frame(raw: Path) -> pd.DataFrame:
    """One row per paper folder in raw/ (from its manifest.json)."""
    rows = []
    for folder in paper_folders(raw):
        manifest = folder / "manifest.json"
        if not manifest.exists():
            continue  # not a paper (a steward's notes folder)
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReconcileError(f"{manifest}: unreadable ({exc})") from exc
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
    registry = build_registry(raw, verdicts_from(decisions, previous), cluster)
    if previous is not None and not previous.empty:
        decided = previous[previous["finding_id"].isin(decisions)]
        kept = decided[~decided["finding_id"].isin(registry.review["finding_id"])]
        registry.review = pd.concat([registry.review, kept], ignore_index=True)
    return registry


def reconcile(raw: Path, out: Path, mappings: Path, force: bool = False, cluster: str | None = None) -> ReconcileResult:
    """Build the curated dataset in ``out`` from ``raw``; mappings whose papers are absent are skipped.
    ``cluster`` matches the reference entries on a Dask cluster (same works as a serial run).

    A damaged file it reads (raw or curated) is a :class:`ReconcileError` naming it; a write
    that fails (full disk, read-only folder) is an ``OSError`` with a one-line message and
    leaves the curated files as they were.
    """
    try:
        return _reconcile(raw, out, mappings, force, cluster)
    except (ReadError, DecisionError) as exc:
        raise ReconcileError(str(exc)) from exc


def _reconcile(raw: Path, out: Path, mappings: Path, force: bool, cluster: str | None) -> ReconcileResult:
    if not raw.is_dir():
        raise ReconcileError(f"{raw}: no such folder")
    papers = papers_frame(raw)
    present = set(papers["paper_id"])
    files = {"papers.csv": frame_csv(papers)}
    issues: list[TidyIssue] = []
    skipped: list[str] = []
    try:
        loaded = load_mappings(mappings)
    except MappingError as exc:
        raise ReconcileError(str(exc)) from exc
    registry = _registry(raw, out, cluster)
    files["works.csv"] = frame_csv(registry.works)
    files["references.csv"] = frame_csv(registry.entries)
    files["match_review.csv"] = frame_csv(registry.review)
    for mapping in loaded:
        if not {s.paper for s in mapping.sources} <= present:
            skipped.append(mapping.target)
            continue
        try:
            frame, found = apply_mapping(mapping, raw)
        except MappingError as exc:
            raise ReconcileError(str(exc)) from exc
        if {"label", "table"} <= set(frame.columns):  # an included-studies table: each row's work
            frame.insert(frame.columns.get_loc("label") + 1, "work_id", study_works(raw, frame, registry.entries))
        files[mapping.target] = frame_csv(frame)
        issues.extend(found)
    written = write_all(out, files, "reconcile", force)
    refresh_links(raw, out)  # steward-editable: their rows are kept, the toolkit's re-inferred
    return ReconcileResult([*written, out / "claims.csv"], issues, skipped)
