"""The registry of works: every reference entry of every paper, clustered into works.

Records come from ``raw/<paper>/references.csv`` (key ``<paper>#<index>``) and are matched by
:mod:`curate.matching`. Outputs, all in ``curated/``:

* ``works.csv``: one row per work: ``work_id`` (stable: it does not change when an unrelated
  paper is added), the canonical first author, year, title, venue, volume, pages and DOI (from
  the work's most complete entry), ``n_papers`` and ``n_entries`` citing it, and ``variants``
  (JSON: the years, venues and first-author spellings seen).
* ``references.csv``: every entry with its ``work_id``, the best ``match_score`` that put it
  there and ``matched_by`` (``alone``, ``automatic``, ``steward``).
* ``match_review.csv``: pairs the matcher is unsure of, both records side by side, with the
  ``finding_id`` under which the steward decides them: ``curate decide ID --accept`` (the same
  work) or ``--reject`` (different works). Later runs honour the decision.

Studies in an included-studies table get the work of the entry their label cites.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from curate.extract.output import paper_folders
from curate.findings import Finding, Location
from curate.matching import MatchResult, Record, ScoredPair, match
from curate.schemas.io import read_frame

ENTRY_COLUMNS = ["paper_id", "index", "label", "first_author", "authors", "year", "title", "venue", "volume", "issue", "pages", "doi"]
WORK_COLUMNS = ["work_id", "first_author", "year", "title", "venue", "volume", "pages", "doi", "n_papers", "n_entries", "variants"]
REVIEW_COLUMNS = ["finding_id", "score", "key_a", "key_b", "entry_a", "entry_b", "reasons"]


@dataclass(slots=True)
class Registry:
    works: pd.DataFrame
    entries: pd.DataFrame
    review: pd.DataFrame
    result: MatchResult


def load_entries(raw: Path) -> pd.DataFrame:
    """Every reference entry of every paper in ``raw/``, with its paper id."""
    frames = []
    for path in (f / "references.csv" for f in paper_folders(raw) if (f / "references.csv").exists()):
        frame = read_frame(path, [c for c in ENTRY_COLUMNS if c != "paper_id"])
        frame.insert(0, "paper_id", path.parent.name)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=ENTRY_COLUMNS)
    return pd.concat(frames, ignore_index=True)[ENTRY_COLUMNS]


def review_finding(pair: ScoredPair) -> Finding:
    """The finding a steward decides an unsure pair under (accept: same work, reject: different)."""
    a, b = sorted((pair.key_a, pair.key_b))
    return Finding("works.unsure_match", "warning", f"{a} and {b} may be the same work (score {pair.score:.2f}); decide: --accept = same, --reject = different", Location(file="match_review.csv"), a.split("#")[0], a, b, f"{a}|{b}")


def build_registry(raw: Path, verdicts: dict[tuple[str, str], bool], cluster: str | None = None, workdir: Path | None = None) -> Registry:
    """Cluster every entry into works, honouring the steward's pair verdicts; ``cluster``
    (``local:N`` or a scheduler address) runs the matcher on Dask workers, with its work
    files in ``workdir`` (see :func:`curate.matching.match`)."""
    entries = load_entries(raw)
    records = [
        Record(key=f"{r.paper_id}#{r.index}", first_author=r.first_author, authors=r.authors, year=int(r.year) if r.year.isdigit() else None,
               title=r.title, venue=r.venue, volume=r.volume, issue=r.issue, pages=r.pages, doi=r.doi)
        for r in entries.itertuples()
    ]
    keys = {r.key for r in records}
    decided = {k: v for k, v in verdicts.items() if k[0] in keys and k[1] in keys}
    if cluster is None:
        result = match(records, decisions=decided)
    else:
        from curate.extract.cluster import connect

        with connect(cluster) as client:
            result = match(records, decisions=decided, client=client, workdir=workdir)
    entries["key"] = [r.key for r in records]
    entries["work_id"] = entries["key"].map(result.work_of)
    best: dict[str, float] = {}
    for pair in result.pairs:
        if pair.decision == "same":
            for key in (pair.key_a, pair.key_b):
                best[key] = max(best.get(key, 0.0), pair.score)
    steward_keys = {k for pair in verdicts for k in pair}
    entries["match_score"] = [round(best.get(k, 1.0), 3) for k in entries["key"]]
    sizes = entries["work_id"].map(entries["work_id"].value_counts())
    entries["matched_by"] = ["steward" if k in steward_keys else "alone" if size == 1 else "automatic" for k, size in zip(entries["key"], sizes)]
    works = pd.DataFrame([_work_row(work, group) for work, group in entries.groupby("work_id", sort=True)], columns=WORK_COLUMNS)
    review = pd.DataFrame([_review_row(p, entries.set_index("key")) for p in result.unsure], columns=REVIEW_COLUMNS)
    return Registry(works, entries.drop(columns=["key"]), review, result)


def _work_row(work: str, group: pd.DataFrame) -> dict[str, Any]:
    filled = group.assign(_n=(group[["title", "venue", "volume", "pages", "doi"]] != "").sum(axis=1)).sort_values(["_n", "paper_id", "index"], ascending=[False, True, True])
    top = filled.iloc[0]
    return {
        "work_id": work, "first_author": top["first_author"], "year": top["year"], "title": top["title"], "venue": top["venue"],
        "volume": top["volume"], "pages": top["pages"], "doi": top["doi"], "n_papers": group["paper_id"].nunique(), "n_entries": len(group),
        "variants": json.dumps({c: sorted({v for v in group[c] if v}) for c in ("first_author", "year", "venue") if group[c].nunique() > 1}, ensure_ascii=False),
    }


def _review_row(pair: ScoredPair, by_key: pd.DataFrame) -> dict[str, Any]:
    def show(key: str) -> str:
        e = by_key.loc[key]
        return f"{e['first_author']} {e['year']}. {e['title']}. {e['venue']} {e['volume']}:{e['pages']}"

    return {"finding_id": review_finding(pair).id, "score": round(pair.score, 3), "key_a": pair.key_a, "key_b": pair.key_b, "entry_a": show(pair.key_a), "entry_b": show(pair.key_b), "reasons": "; ".join(pair.reasons)}


def conflicts(entries: pd.DataFrame) -> Iterable[Finding]:
    """works.conflict: one work described differently by two papers (year, volume, pages)."""
    for work, group in entries.groupby("work_id"):
        if group["paper_id"].nunique() < 2:
            continue
        for field in ("year", "volume", "pages"):
            seen = {v for v in group[field] if v}
            if len(seen) > 1:
                where = ", ".join(f"{r.paper_id} #{r.index}: {getattr(r, field)}" for r in group.itertuples() if getattr(r, field))
                yield Finding("works.conflict", "warning", f"work {work} ({group.iloc[0]['first_author']}) has {len(seen)} different values of {field}: {where}", Location(file="works.csv", column=field), None, sorted(seen)[0], sorted(seen)[-1], f"{work}|{field}")


def duplicates_in_lists(entries: pd.DataFrame) -> Iterable[Finding]:
    """works.duplicate_in_list: the same work twice in one paper's reference list."""
    for (paper, work), group in entries.groupby(["paper_id", "work_id"]):
        if len(group) > 1:
            labels = ", ".join(str(r.label or r.index) for r in group.itertuples())
            yield Finding("works.duplicate_in_list", "warning", f"entries {labels} of {paper}'s reference list are the same work {work} ({group.iloc[0]['first_author']} {group.iloc[0]['year']})", Location(file="references.csv"), str(paper), labels, work, str(work),
                          tuple(Location("references.csv", int(r.index)) for r in group.itertuples()))


def study_works(raw: Path, studies: pd.DataFrame, entries: pd.DataFrame) -> list[str]:
    """The work each included-study row cites, through the table-cell citation of its label."""
    by_entry = {(r.paper_id, str(r.index)): r.work_id for r in entries.itertuples()}
    cited: dict[tuple[str, str, str], str] = {}  # (paper, "table N", label) -> entry index
    for paper in {str(p) for p in studies["paper_id"]}:
        path = raw / paper / "citations.csv"
        if path.exists():
            cites = read_frame(path, ("status", "where", "text", "reference"))
            for c in cites[cites["status"] == "resolved"].itertuples():
                cited.setdefault((paper, c.where, c.text), c.reference)
    return [by_entry.get((str(r.paper_id), cited.get((str(r.paper_id), f"table {r.table}", r.label), "")), "") for r in studies.itertuples()]


def verdicts_from(decisions: dict[str, Any], review: pd.DataFrame | None) -> dict[tuple[str, str], bool]:
    """Pair verdicts from the steward's decisions on the ``works.unsure_match`` findings of a
    match review (a decided pair stays in the review file so that its verdict keeps applying)."""
    if review is None or review.empty:
        return {}
    out = {}
    for row in review.itertuples():
        decision = decisions.get(row.finding_id)
        if decision is not None and decision.decision in ("accept", "reject"):
            out[tuple(sorted((row.key_a, row.key_b)))] = decision.decision == "accept"
    return out
