"""The ``curate`` command line: parses arguments, calls the library, renders with rich.

Every command is a thin wrapper: the work is done by functions importable from Python
(``extract.batch.extract_batch`` for ``curate extract``), and their exceptions become
one-line messages and exit codes here.
"""

from __future__ import annotations

import json
import logging
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from curate import __version__
from curate.cli_report import decide, report

app = typer.Typer(
    help=(
        "curate: turn clinical paper PDFs into a clean, checked dataset.\n\n"
        "A data steward runs `curate extract` on each paper; every number keeps its provenance "
        "(file, page, bounding box).\n\n"
        "Example:  `curate extract papers/*.pdf --out raw/`"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
out_console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"curate {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the extractors try (to stderr)."),
) -> None:
    """curate: extract, reconcile, validate and report on the data of systematic-review papers."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pdfminer", "camelot", "PIL"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@app.command()
def extract(
    pdfs: list[Path] = typer.Argument(..., help="Paper PDFs to extract.", show_default=False),
    out: Path = typer.Option(Path("raw"), "--out", "-o", help="Folder to write raw/<paper_id>/ into."),
    paper_id: Optional[str] = typer.Option(None, "--id", help="Paper id to use instead of first-author surname + year (one PDF only)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract this many PDFs in parallel processes."),
    timeout: float = typer.Option(600, "--timeout", min=1, help="Seconds one PDF may take; a PDF that takes longer is stopped and reported (the rest go on)."),
    cluster: Optional[str] = typer.Option(
        None,
        "--cluster",
        help="Run each PDF as a task on a Dask cluster: `local:N` starts N local workers, `tcp://HOST:PORT` uses a running scheduler whose workers share the file system of the PDFs and `--out`. Output is the same as a serial run's.",
    ),
) -> None:
    """Extract every table and the reference list of each PDF, with provenance, into `OUT/<paper_id>/`.

    Writes `tables/table_<n>.csv` (one header row, then the rows as printed), `tables.json`
    (caption, pages, bounding boxes, extractor and quality score per table), `references.csv`
    (one row per reference entry: label, full text, authors, year, title, venue, volume, issue,
    pages, DOI, pages and boxes in the PDF, parse confidence), `citations.csv` (every citation
    in the text and in table cells, resolved to its entry or marked unresolved with the closest
    candidate) and `manifest.json` (sha256, pages, tool version, settings, warnings).

    The paper id is the first author's surname and the year (`matsuoka2025`); another PDF with
    the same id gets a letter (`matsuoka2025b`); re-running on the same PDF replaces its folder.

    A bad file (not a PDF, truncated, encrypted, scanned without text) gets a one-line error;
    the rest of the batch still runs, and the exit status is 1 if any file failed.

    Example:  `curate extract papers/*.pdf --out raw/ --jobs 2`

    On a cluster:  `curate extract papers/*.pdf --out raw/ --cluster local:4`
    """
    from extract.batch import Failure, extract_batch
    from extract.cluster import ClusterError, ClusterSpec
    from extract.errors import PaperIdError
    from extract.paper import check_paper_id

    if cluster is not None:
        try:
            ClusterSpec.parse(cluster)
        except ClusterError as exc:
            err_console.print(f"error: {exc}", highlight=False, markup=False)
            raise typer.Exit(2)

    if paper_id is not None and len(pdfs) > 1:
        err_console.print("error: --id names one paper; give one PDF with it")
        raise typer.Exit(2)
    try:
        if paper_id is not None:
            check_paper_id(paper_id)
    except PaperIdError as exc:
        err_console.print(f"[red]error:[/red] --id: {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    failures = 0
    summary = RichTable(title=escape(f"Extracted into {out}/"), show_lines=False)
    for col in ("PDF", "paper id", "tables", "references", "note"):
        summary.add_column(col)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=len(pdfs) < 2,
    ) as progress:
        task = progress.add_task("Extracting", total=len(pdfs))
        for outcome in extract_batch(pdfs, out, paper_id=paper_id, jobs=jobs, timeout=timeout, cluster=cluster, on_done=lambda _: progress.advance(task)):
            if isinstance(outcome, Failure):
                failures += 1
                err_console.print(f"[red]error:[/red] {escape(outcome.message)}", highlight=False, soft_wrap=True)
            else:
                for w in outcome.warnings:
                    err_console.print(f"[yellow]warning:[/yellow] {escape(f'{outcome.source}: {w}')}", highlight=False, soft_wrap=True)
                summary.add_row(escape(str(outcome.source)), escape(outcome.paper_id), str(outcome.n_tables), str(outcome.n_references), escape("; ".join(outcome.warnings)))
    if summary.row_count:
        out_console.print(summary)
    if failures:
        raise typer.Exit(1)


@app.command()
def reconcile(
    raw: Path = typer.Argument(Path("raw"), help="Folder of extracted papers (what `curate extract` wrote)."),
    out: Path = typer.Option(Path("curated"), "--out", "-o", help="Folder of the curated dataset."),
    mappings: Path = typer.Option(Path("curated/mappings"), "--mappings", help="Folder of table mappings (*.toml)."),
    force: bool = typer.Option(False, "--force", help="Replace curated files even if they were edited by hand."),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Score reference pairs on a Dask cluster: `local:N` or `tcp://HOST:PORT`. The works are the same as a serial run's."
    ),
) -> None:
    """Merge what the papers say into one curated dataset in `OUT/`.

    Writes `papers.csv` (one row per paper) and the tidy tables the mappings describe
    (`studies.csv`, `patients.csv`, `case_series.csv`...), each row with its provenance
    (paper, table, page, printed row). Cells that do not parse are listed, not guessed.

    A curated file that was edited since curate wrote it is never overwritten (exit 1)
    unless `--force` is given.

    Example:  `curate reconcile raw/ --out curated/`
    """
    from curate.reconcile import ReconcileError, reconcile as run
    from curate.store import OverwriteError
    from extract.cluster import ClusterError

    try:
        result = run(raw, out, mappings, force, cluster)
    except (ReconcileError, OverwriteError, ClusterError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    for path in result.written:
        out_console.print(f"wrote {escape(str(path))}", highlight=False)
    for name in result.skipped:
        err_console.print(f"[yellow]skipped:[/yellow] {escape(f'{name} (its papers are not in {raw})')}", highlight=False)
    if result.issues:
        table = RichTable(title="Cells that did not parse (left empty)")
        for col in ("file", "paper", "table", "row", "column", "printed", "reason"):
            table.add_column(col)
        for i in result.issues:
            table.add_row(*(escape(str(v)) for v in (i.target, i.paper_id, i.table, i.row, i.column, i.printed, i.message)))
        out_console.print(table)


class Format(str, Enum):
    table = "table"
    json = "json"


@app.command()
def validate(
    folder: Path = typer.Argument(Path("curated"), help="Folder of the curated dataset."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="Extracted papers, for the consistency checks (default: the raw/ folder beside FOLDER; skipped if absent)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 only for error findings the steward has not decided (see `curate decide`)."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table: a readable table; json: the findings contract."),
    show_info: bool = typer.Option(False, "--info", help="Also list the checks that passed (info findings) in the table."),
) -> None:
    """Check every curated file against its schema and the files against each other.

    Reports every failure (not just the first), each with file, row, column, check and the
    offending value: wrong types, values outside what is allowed (sex M/F, diabetes type
    T1DM/T2DM) or plausible (HbA1c 3-20 %, age 0-120), duplicate keys, unknown paper ids,
    and files that are missing, empty, ragged, not UTF-8 or with unknown or missing columns.
    Then it recomputes what each paper reports from its own data (with `--raw`, default
    `raw/`): counts against rows, parts against wholes ("10 patients (5.9%)" too), means,
    standard deviations, medians, ranges, IQRs and correlations (rounding-aware), subgroup boundaries, GRIM, effect estimates against their
    CI and p, totals over an included-studies table ("10 studies, 226 patients"), what one
    paper says of a study another paper's table lists (size, cell type, dose unit,
    follow-up), and the reference list against the citations. Checks that pass are `info`
    findings.
    Exit status 1 if any finding is an error (with `--strict`: any error not yet decided).

    `--format json` prints the findings in the contract the report reads:
    `[{"id", "check", "severity", "paper_id", "message", "reported", "computed", "location": {"file", "row", "column", "page"}, "related": [locations]}]`
    (`related`: other places the evidence is in, such as another paper's table row).

    Example:  `curate validate curated/ --format json`
    """
    from curate.decisions import DecisionError, collect_findings, load_decisions, status_of, strict_exit
    from curate.findings import Finding, Location

    findings = collect_findings(folder, raw)
    try:
        decisions = load_decisions(folder)
    except DecisionError as exc:  # a damaged log is a finding like any damaged file (JSON stays JSON)
        decisions = {}
        findings.append(Finding("file.decisions", "error", str(exc), Location(file="decisions.csv")))
    if format is Format.json:
        out_console.print_json(json.dumps([f.as_dict() for f in findings]))
    else:
        table = RichTable(title=escape(f"Findings in {folder}/" if findings else f"{folder}/: no findings"))
        for col in ("severity", "status", "paper", "file", "row", "column", "check", "value"):
            table.add_column(col, overflow="fold")
        table.add_column("message", overflow="fold", ratio=3)
        shown = [f for f in findings if show_info or f.severity != "info"]
        passed = len(findings) - len(shown)
        if passed:
            table.caption = f"{passed} checks passed (info); --info lists them"
        for f in shown:
            loc = f.location
            cells = (f.severity, status_of(f, decisions), f.paper_id or "", loc.file or "", loc.row or "", loc.column or "", f.check, f.reported if f.reported is not None else "", f.message)
            table.add_row(*(escape(str(c)) for c in cells))
        out_console.print(table)
    if strict:
        raise typer.Exit(strict_exit(findings, decisions))
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@app.command()
def export(
    out: Path = typer.Argument(..., help="File to write (works.bib, works.ris, works.json, effects.csv, dataset.xlsx)."),
    curated: Path = typer.Option(Path("curated"), "--curated", help="Folder of the curated dataset."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="bibtex, ris, csljson, effects or xlsx (default: from OUT's extension)."),
    raw: Optional[Path] = typer.Option(None, "--raw", help="Extracted papers, for effects and the findings sheet of xlsx (default: raw/ beside the curated folder)."),
    excel: bool = typer.Option(False, "--excel", help="Start the CSV with a byte-order mark, so Excel on Windows reads it as UTF-8."),
) -> None:
    """Export the dataset for the tools that come next.

    `bibtex`, `ris`, `csljson` (Zotero, Mendeley, pandoc): the registry of works
    (`curated/works.csv`), one record per work keyed by its stable work id, with every author
    of its fullest reference entry, year, title, journal, volume, issue, pages and DOI.
    `effects`: every effect estimate the papers print, one CSV row each (paper, study, outcome,
    measure, estimate, CI, p, n per arm, page), for R's metafor or RevMan.
    `xlsx`: every curated table and the current findings, one sheet each, numbers as numbers.

    Example:  `curate export works.bib` or `curate export effects.csv --excel`
    """
    from curate.export import EXTENSIONS, ExportError, export as run

    chosen = fmt or EXTENSIONS.get(out.suffix.lower())
    if chosen is None:
        err_console.print(f"[red]error:[/red] {escape(str(out))}: say --format (bibtex, ris, csljson, effects or xlsx): unknown extension", highlight=False)
        raise typer.Exit(2)
    try:
        findings = None
        if chosen == "xlsx" and curated.is_dir():
            from curate.decisions import collect_findings

            findings = collect_findings(curated, raw)
        n = run(curated, out, chosen, raw=raw, excel=excel, findings=findings)
    except (ExportError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    what = {"effects": "effect estimates", "xlsx": "rows"}.get(chosen, "works")
    out_console.print(f"wrote {n} {what} to {escape(str(out))}", highlight=False)


app.command()(report)
app.command()(decide)
