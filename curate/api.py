"""curate from Python: what each command does, as one function (the command line calls these).

A project is one folder holding ``review.toml``, ``mappings/``, ``raw/`` and ``curated/``;
every function takes it as ``project`` (default: the nearest folder upward holding a
review.toml, else the current one) and each part can be moved on its own (``raw``,
``curated``, ``mappings``, ``review``), exactly as the command line's options do::

    from curate import api

    api.extract(["papers/smith2021.pdf"], project="my-review")
    api.reconcile(project="my-review")
    findings = api.validate(project="my-review")          # [Finding], see curate.findings
    api.report(project="my-review", out="report", pdfs="papers")
    api.decide([("schema.range-08d6623029", "fix", "7.5", "misprint")], project="my-review")
    api.export("works.bib", project="my-review")

Errors are exceptions with one-line messages (:class:`curate.review.ReviewError`,
:class:`curate.decisions.DecisionError`, :class:`curate.export.ExportError`, ``OSError``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from curate.decisions import Decision, Request
from curate.findings import Finding
from curate.review import Project, Review

PathLike = str | Path


def _path(value: PathLike | None) -> Path | None:
    return Path(value) if value is not None else None


def project(
    project: PathLike | None = None, *, raw: PathLike | None = None, curated: PathLike | None = None, mappings: PathLike | None = None, review: PathLike | None = None
) -> Project:
    """Where the project's parts are (the same defaults as the command line)."""
    return Project.of(_path(project), raw=_path(raw), curated=_path(curated), mappings=_path(mappings), review=_path(review))


def extract(pdfs: Sequence[PathLike], project_dir: PathLike | None = None, *, out: PathLike | None = None, **options: Any) -> list[Any]:
    """Extract each PDF into ``out`` (default PROJECT/raw); one outcome per PDF (``curate.extract.batch``'s
    ``Extracted`` or ``Failure``), in the order given. ``options``: ``paper_id``, ``jobs``,
    ``timeout``, ``cluster``, ``settings`` as :func:`curate.extract.batch.extract_batch` takes them."""
    from curate.extract.batch import extract_batch

    where = project(project_dir, raw=out)
    return list(extract_batch([Path(p) for p in pdfs], where.raw, **options))


def reconcile(project_dir: PathLike | None = None, *, raw: PathLike | None = None, curated: PathLike | None = None, mappings: PathLike | None = None,
              review: PathLike | None = None, force: bool = False, cluster: str | None = None) -> Any:
    """Build the curated dataset (:func:`curate.reconcile.reconcile`); returns its result."""
    from curate.reconcile import find_review
    from curate.reconcile import reconcile as run

    where = project(project_dir, raw=raw, curated=curated, mappings=mappings, review=review)
    found = where.load(curated_fallback=False) or find_review(where.mappings)
    return run(where.raw, where.curated, where.mappings, force, cluster, found or Review(None))


def load_review(where: Project) -> Review | None:
    """The project's review (or the curated folder's copy of it), None when there is neither."""
    return where.load()


def validate(project_dir: PathLike | None = None, *, raw: PathLike | None = None, curated: PathLike | None = None, review: PathLike | None = None) -> list[Finding]:
    """Every current finding: schemas, consistency checks, table and text checks (as ``curate validate``)."""
    from curate.decisions import collect_findings

    where = project(project_dir, raw=raw, curated=curated, review=review)
    return collect_findings(where.curated, where.raw, load_review(where))


def report(project_dir: PathLike | None = None, *, raw: PathLike | None = None, curated: PathLike | None = None, review: PathLike | None = None,
           out: PathLike = "report", pdfs: PathLike | None = None, findings: Sequence[Finding] | None = None) -> tuple[Path, Path]:
    """Write ``out/report.html`` and ``out/report.md`` (the findings: ``findings``, else :func:`validate`'s)."""
    from curate.decisions import collect_findings
    from curate.report import build_report, declared_plots

    where = project(project_dir, raw=raw, curated=curated, review=review)
    found = load_review(where)
    shown = list(findings) if findings is not None else collect_findings(where.curated, where.raw, found)
    plots = declared_plots(found.plots) if found is not None and found.plots else None
    return build_report(where.curated, where.raw, shown, Path(out), _path(pdfs), plots)


def decide(decisions: Iterable[Request | tuple[str, ...]] | PathLike, project_dir: PathLike | None = None, *, raw: PathLike | None = None,
           curated: PathLike | None = None, who: str | None = None, force: bool = False) -> list[Decision]:
    """Record decisions (``Request``\\s, ``(finding_id, decision[, value[, note]])`` tuples, or a
    decisions CSV file) in CURATED/decisions.csv, in one atomic write; returns the rows written."""
    from curate.decisions import current_facts, read_requests, record_decisions

    where = project(project_dir, raw=raw, curated=curated)
    if isinstance(decisions, (str, Path)):
        requests = read_requests(Path(decisions))
    else:
        requests = [d if isinstance(d, Request) else Request(*d) for d in decisions]
    known, facts = (None, None) if force or not where.curated.is_dir() else current_facts(where.curated, where.raw)
    return record_decisions(where.curated, requests, who, known=known, facts=facts, force=force)


def export(out: PathLike, fmt: str | None = None, project_dir: PathLike | None = None, *, raw: PathLike | None = None, curated: PathLike | None = None,
           excel: bool = False) -> int:
    """Write ``out`` as ``fmt`` (bibtex, ris, csljson, effects, xlsx; default from its extension); returns how many records."""
    from curate.export import EXTENSIONS, ExportError
    from curate.export import export as run

    out = Path(out)
    chosen = fmt or EXTENSIONS.get(out.suffix.lower())
    if chosen is None:
        raise ExportError(f"{out}: say which format (bibtex, ris, csljson, effects or xlsx): unknown extension")
    where = project(project_dir, raw=raw, curated=curated)
    findings = validate(project_dir, raw=raw, curated=curated) if chosen == "xlsx" and where.curated.is_dir() else None
    return run(where.curated, out, chosen, raw=where.raw, excel=excel, findings=findings)
