"""The ``curate`` command line: parses arguments, calls the library, renders with rich.

Every command is a thin wrapper: the work is done by functions importable from Python
(``curate.extract.batch.extract_batch`` for ``curate extract``), and their exceptions become
one-line messages and exit codes here.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from curate import __version__
from curate.cli_common import curated_option, fail, load, mappings_option, out_console, project_option, raw_option, review_option
from curate.cli_format import FORMAT_HELP, Format, emit, format_option, print_records, reset_format
from curate.cli_report import decide, report
from curate.review import Project, Review, ReviewError
from curate.tidy import MAPPING_HELP

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
err_console = Console(stderr=True)
#: click's base error class, wherever this typer keeps click (recent ones vendor it)
_CLICK_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _version(value: bool) -> None:
    if value:
        out_console.print(f"curate {__version__}")
        raise typer.Exit()


def run(argv: list[str] | None = None) -> None:
    """The ``curate`` command: the app, with ``-v``/``--verbose`` accepted anywhere on the line.

    A command line that does not parse is typer's usage error on stderr, and with
    ``--format json|nl`` also a JSON error object on stdout (a program reading it gets JSON).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    end = args.index("--") if "--" in args else len(args)
    verbose = [a for a in args[:end] if a in ("-v", "--verbose")]
    rest = [a for a in args[:end] if a not in ("-v", "--verbose")] + args[end:]
    try:
        code = app(args=verbose[:1] + rest, prog_name="curate", standalone_mode=False)
    except _CLICK_ERROR as exc:
        from typer import rich_utils

        if type(exc).__name__ != "NoArgsIsHelpError" and _asks_json(args[:end]):
            sys.stdout.write(json.dumps({"error": exc.format_message(), "file": None}, ensure_ascii=False) + "\n")  # type: ignore[attr-defined]
        rich_utils.rich_format_error(exc)  # type: ignore[arg-type]
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except typer.Abort:
        err_console.print("Aborted!")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _asks_json(args: list[str]) -> bool:
    """``--format json|nl`` (any spelling) on a command line that may not parse."""
    pairs = zip(args, [*args[1:], ""])
    return any((a in ("--format", "-f") and b.lower() in ("json", "nl")) or a.lower() in ("--format=json", "--format=nl", "-fjson", "-fnl") for a, b in pairs)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the extractors try (to stderr)."),
) -> None:
    """curate: extract, reconcile, validate and report on the data of systematic-review papers."""
    reset_format()
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pdfminer", "camelot", "PIL"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


@app.command()
def extract(
    pdfs: list[Path] = typer.Argument(..., help="Paper PDFs to extract.", show_default=False),
    out_dir: Optional[Path] = raw_option(("--out", "-o")),
    project_dir: Optional[Path] = project_option(),
    review: Optional[Path] = review_option(),
    paper_id: Optional[str] = typer.Option(None, "--id", help="Paper id to use instead of first-author surname + year (one PDF only)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract this many PDFs in parallel processes."),
    timeout: float = typer.Option(600, "--timeout", min=1, help="Seconds one PDF may take; a PDF that takes longer is stopped and reported (the rest go on)."),
    cluster: Optional[str] = typer.Option(
        None,
        "--cluster",
        help="Run each PDF as a task on a Dask cluster: `local:N` starts N local workers, `tcp://HOST:PORT` uses a running scheduler whose workers share the file system of the PDFs and `--out`. Output is the same as a serial run's.",
    ),
    fmt: Format = format_option(FORMAT_HELP + " One row per PDF: file, paper_id, tables, references, note (and error)."),
) -> None:
    """Extract every table and the reference list of each PDF, with provenance, into `OUT/<paper_id>/`.

    Writes `tables/table_<n>.csv` (one header row, then the rows as printed), `tables.json`
    (caption, pages, bounding boxes, extractor and quality score per table), `references.csv`
    (one row per reference entry: label, full text, authors, year, title, venue, volume, issue,
    pages, DOI, pages and boxes in the PDF, parse confidence), `citations.csv` (every citation
    in the text and in table cells, resolved to its entry or marked unresolved with the closest
    candidate) and `manifest.json` (sha256, pages, tool version, settings, warnings).

    The claims (`claims.csv`: every checkable number of the text) are read in the words of the
    project's `review.toml` (its measures and categories); without one, with generic subjects only.

    The paper id is the first author's surname and the year (`matsuoka2025`); another PDF with
    the same id gets a letter (`matsuoka2025b`); re-running on the same PDF replaces its folder.

    A bad file (not a PDF, truncated, encrypted, scanned without text) gets a one-line error;
    the rest of the batch still runs, and the exit status is 1 if any file failed (with
    `--format json|nl|csv` its row has `error`, the reason).

    Example:  `curate extract papers/*.pdf --project my-review/ --jobs 2` (writes my-review/raw/)

    On a cluster:  `curate extract papers/*.pdf --out raw/ --cluster local:4`
    """
    from curate.extract.batch import Failure, extract_batch
    from curate.extract.cluster import ClusterError, ClusterSpec
    from curate.extract.errors import PaperIdError
    from curate.extract.paper import check_paper_id
    from curate.extract.settings import ExtractSettings

    if cluster is not None:
        try:
            ClusterSpec.parse(cluster)
        except ClusterError as exc:
            fail(str(exc), 2)

    where = Project.of(project_dir, raw=out_dir, review=review)
    out = where.raw
    found = load(where, curated_fallback=False)
    if found is None:
        err_console.print(f"[yellow]warning:[/yellow] no review.toml in {escape(str(where.root))} (give --project or --review): claims are read with generic subjects only (not the review's measures and categories)", highlight=False, soft_wrap=True)
    settings = ExtractSettings(vocabulary=found.vocabulary()) if found is not None else None
    if paper_id is not None and len(pdfs) > 1:
        fail("--id names one paper; give one PDF with it", 2)
    try:
        if paper_id is not None:
            check_paper_id(paper_id)
    except PaperIdError as exc:
        fail(f"--id: {exc}", 2)
    failures = 0
    rows: list[dict[str, object]] = []
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
        for outcome in extract_batch(pdfs, out, paper_id=paper_id, jobs=jobs, settings=settings, timeout=timeout, cluster=cluster, on_done=lambda _: progress.advance(task)):
            if isinstance(outcome, Failure):
                failures += 1
                err_console.print(f"[red]error:[/red] {escape(outcome.message)}", highlight=False, soft_wrap=True)
                if fmt is not Format.table:
                    rows.append({"file": str(outcome.source), "paper_id": None, "tables": None, "references": None, "note": "", "error": outcome.message})
            else:
                for w in outcome.warnings:
                    err_console.print(f"[yellow]warning:[/yellow] {escape(f'{outcome.source}: {w}')}", highlight=False, soft_wrap=True)
                rows.append({"file": str(outcome.source), "paper_id": outcome.paper_id, "tables": outcome.n_tables, "references": outcome.n_references, "note": "; ".join(outcome.warnings), "error": None})
    if rows or fmt is not Format.table:
        emit(out_console, rows, fmt, f"Extracted into {out}/", ("file", "paper_id", "tables", "references", "note"))
    if failures:
        raise typer.Exit(1)


@app.command()
def reconcile(
    raw_arg: Optional[Path] = typer.Argument(None, metavar="[RAW]", help="Folder of extracted papers (same as --raw).", show_default=False),
    project_dir: Optional[Path] = project_option(),
    raw: Optional[Path] = raw_option(),
    curated: Optional[Path] = curated_option(("--out", "-o")),
    mappings: Optional[Path] = mappings_option(),
    review: Optional[Path] = review_option(),
    force: bool = typer.Option(False, "--force", help="Replace curated files even if they were edited by hand."),
    cluster: Optional[str] = typer.Option(
        None, "--cluster", help="Score reference pairs on a Dask cluster: `local:N` or `tcp://HOST:PORT`. The works are the same as a serial run's."
    ),
    fmt: Format = format_option(FORMAT_HELP + " One row per file written (kind wrote), mapping problem (problem) and cell that did not parse (cell)."),
) -> None:
    """Merge what the papers say into one curated dataset in `CURATED/`.

    Writes `papers.csv` (one row per paper), the registry of works (`works.csv`,
    `references.csv`, `match_review.csv`), the tables of the review (`review.toml`) that the
    mappings (`MAPPINGS/*.toml`, see `curate map --help`) describe, each row with its
    provenance (paper, table, page, printed row), `claims.csv` and a copy of the review.
    Cells that do not parse are listed, not guessed.

    Nothing is all-or-nothing: a mapping, paper, table or column that cannot be found is a
    one-line problem (`mapping.*`, also in `mapping_problems.csv` and in `curate validate`)
    and everything else is still written. Exit status 1 when a table the review declares
    `required` could not be built, or a curated file was edited by hand (it is never
    overwritten unless `--force` is given).

    Example:  `curate reconcile --project my-review/` or `curate reconcile raw/ --curated curated/ --mappings my-review/mappings`
    """
    from curate.extract.cluster import ClusterError
    from curate.reconcile import ReconcileError, find_review
    from curate.reconcile import reconcile as run
    from curate.store import OverwriteError

    where = Project.of(project_dir, raw=raw or raw_arg, curated=curated, mappings=mappings, review=review)
    found = load(where, curated_fallback=False)
    try:
        found = found or find_review(where.mappings)
    except ReviewError as exc:
        fail(str(exc))
    if found is None:
        err_console.print(f"[yellow]warning:[/yellow] no review.toml in {escape(str(where.root))} (give --project or --review; `curate init` makes one): only papers, works and references are written", highlight=False, soft_wrap=True)
    try:
        result = run(where.raw, where.curated, where.mappings, force, cluster, found or Review(None))
    except (ReconcileError, OverwriteError, ClusterError, OSError) as exc:
        fail(str(exc))
    for p in result.problems:
        err_console.print(f"[{'red' if p.target in result.failed else 'yellow'}]{p.check}:[/] {escape(p.message)}", highlight=False, soft_wrap=True)
    failed = f"required table{'s' if len(result.failed) > 1 else ''} not (fully) built: {', '.join(result.failed)}; everything else was written" if result.failed else ""
    issues = [{"kind": "cell", "file": i.target, "paper_id": i.paper_id, "table": i.table, "row": i.row, "column": i.column, "printed": i.printed, "message": i.message} for i in result.issues]
    if fmt is Format.table:
        _wrote(result.written, fmt)
        emit(out_console, issues, fmt, "Cells that did not parse (left empty)", ("file", "paper_id", "table", "row", "column", "printed", "message"))
    else:
        rows: list[dict[str, object]] = [{"kind": "wrote", "file": str(path)} for path in result.written]
        rows += [{"kind": "problem", "file": p.file, "paper_id": p.paper_id, "check": p.check, "message": p.message, "error": p.target in result.failed} for p in result.problems]
        rows += issues
        rows += [{"kind": "error", "error": failed, "file": None}] if failed else []
        emit(out_console, rows, fmt)
    if failed:
        err_console.print(f"[red]error:[/red] {escape(failed)}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


@app.command()
def validate(
    folder: Optional[Path] = typer.Argument(None, metavar="[CURATED]", help="Folder of the curated dataset (same as --curated).", show_default=False),
    project_dir: Optional[Path] = project_option(),
    raw: Optional[Path] = raw_option(),
    curated: Optional[Path] = curated_option(),
    review: Optional[Path] = review_option(),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 only for error findings the steward has not decided (see `curate decide`)."),
    format: Format = format_option(FORMAT_HELP + " json and nl hold the findings contract."),
    show_info: bool = typer.Option(False, "--info", help="Also list the checks that passed (info findings) in the table."),
) -> None:
    """Check every curated file against its schema and the files against each other.

    The schemas of the review's tables come from its `review.toml` (types, allowed values,
    plausible ranges, keys, foreign keys); papers, works and references have fixed schemas.
    Reports every failure (not just the first), each with file, row, column, check and the
    offending value, and files that are missing (only those the review requires), empty,
    ragged, not UTF-8 or with unknown or missing columns. Then it recomputes what each
    paper reports from its own data (with the raw folder): counts against rows, parts
    against wholes ("10 patients (5.9%)" too), means, standard deviations, medians, ranges,
    IQRs and correlations (rounding-aware), subgroup boundaries, GRIM, effect estimates
    against their CI and p, totals over an included-studies table ("10 studies, 226
    patients"), what one paper says of a study another paper's table lists (size, category,
    dose unit, follow-up), and the reference list against the citations. Checks that pass
    are `info` findings; a check whose inputs are missing is skipped with an `info` finding
    (`check.skipped`) saying why, and listed under the table.
    Exit status 1 if any finding is an error (with `--strict`: any error not yet decided).

    `--format json` prints the findings in the contract the report reads:
    `[{"id", "check", "severity", "paper_id", "message", "reported", "computed", "location": {"file", "row", "column", "page"}, "related": [locations]}]`
    (`related`: other places the evidence is in, such as another paper's table row).

    Example:  `curate validate --project my-review/ --format json`
    """
    from curate.api import validate as run
    from curate.decisions import DecisionError, load_decisions, status_of, strict_exit
    from curate.findings import Finding, Location

    where = Project.of(project_dir, raw=raw, curated=curated or folder, review=review)
    load(where)  # a broken review.toml: one line, before anything runs
    findings = run(project_dir, raw=where.raw, curated=where.curated, review=review)
    try:
        decisions = load_decisions(where.curated)
    except DecisionError as exc:  # a damaged log is a finding like any damaged file (JSON stays JSON)
        decisions = {}
        findings.append(Finding("file.decisions", "error", str(exc), Location(file="decisions.csv")))
    skipped = [f for f in findings if f.check == "check.skipped"]
    if format in (Format.json, Format.nl):
        print_records(out_console, [f.as_dict() for f in findings], format)
    elif format is Format.csv:
        from curate.export import findings_frame

        statuses = {f.id: status_of(f, decisions) for f in findings}
        print_records(out_console, findings_frame(findings, statuses).to_dict("records"), format)
    else:
        table = RichTable(title=escape(f"Findings in {where.curated}/" if findings else f"{where.curated}/: no findings"))
        for col in ("severity", "status", "paper", "file", "row", "column", "check", "value"):
            table.add_column(col, overflow="fold")
        table.add_column("message", overflow="fold", ratio=3)
        shown = [f for f in findings if show_info or f.severity != "info"]
        passed = len(findings) - len(shown) - (0 if show_info else len(skipped))
        caption = [f"{passed} checks passed (info); --info lists them"] if passed else []
        caption += [f"skipped: {f.message}" for f in skipped]
        table.caption = escape("\n".join(caption)) or None
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
def init(
    folder: Path = typer.Argument(Path("."), help="The project folder to make (it may exist; its review.toml must not)."),
    title: str = typer.Option("My systematic review", "--title", help="The review's title."),
    fmt: Format = format_option(FORMAT_HELP + " One row per file written."),
) -> None:
    """Start a review: write `FOLDER/review.toml` (a commented template to edit) and `FOLDER/mappings/`.

    `review.toml` declares the curated tables the review wants (each column's type, unit,
    allowed values and plausible range; keys; foreign keys; which tables are required), the
    measures (the words papers use for each, unit, the columns holding its baseline,
    follow-up and change), the categories studies are grouped by, the roles columns play for
    the study checks, and the plots of the report. Then: `curate extract papers/*.pdf --project FOLDER`,
    `curate map suggest PAPER_ID TABLE --project FOLDER` for each table you want, `curate reconcile`,
    `curate validate` and `curate report` with the same `--project`.

    Example:  `curate init my-review --title "Blood-pressure lowering trials"`
    """
    from curate.review import init_project

    try:
        made = init_project(folder, title)
    except (ReviewError, OSError) as exc:
        fail(str(exc))
    _wrote(made, fmt)


def _wrote(paths: list[Path], fmt: Format) -> None:
    """The files a command wrote: ``wrote PATH`` lines for people, rows (``kind``, ``file``) otherwise."""
    if fmt is Format.table:
        for path in paths:
            out_console.print(f"wrote {escape(str(path))}", highlight=False)
    else:
        print_records(out_console, [{"kind": "wrote", "file": str(p)} for p in paths], fmt)


map_app = typer.Typer(
    help=MAPPING_HELP,
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(map_app, name="map")


@map_app.command("suggest")
def map_suggest(
    paper: str = typer.Argument(..., help="The paper id (its folder in raw/).", show_default=False),
    table: int = typer.Argument(..., help="The table's printed number (a table continued over pages is one).", show_default=False),
    project_dir: Optional[Path] = project_option(),
    raw: Optional[Path] = raw_option(),
    review: Optional[Path] = review_option(),
) -> None:
    """Print a mapping for printed Table TABLE of PAPER_ID, from its headers, its cells and the review's measures.

    Each printed column gets the parser that reads all its cells and the review's column
    name for the measure its header names (baseline / follow-up from "before" / "after"),
    else its header in snake_case; the target is the review's table sharing the most
    columns. Check it, then save it as `MAPPINGS/<target>.toml`.

    Example:  `curate map suggest smith2021 2 --project my-review/ > my-review/mappings/baseline.toml`
    """
    from curate.suggest import suggest
    from curate.tidy import MappingError

    where = Project.of(project_dir, raw=raw, review=review)
    found = load(where) or Review(None)
    try:
        out_console.print(suggest(where.raw, paper, table, found), highlight=False, markup=False, soft_wrap=True)
    except MappingError as exc:
        fail(str(exc))


@map_app.command("check")
def map_check(
    project_dir: Optional[Path] = project_option(),
    mappings: Optional[Path] = mappings_option(),
    fmt: Format = format_option(FORMAT_HELP + " One row per problem: file, check, target, paper_id, message."),
) -> None:
    """Read every mapping and say, in one line each, what is wrong with it (exit 1 if any).

    Example:  `curate map check --project my-review/`
    """
    from curate.tidy import Problem, load_mappings

    where = Project.of(project_dir, mappings=mappings)
    if not where.mappings.is_dir():
        fail(f"{where.mappings}: no such folder (the mappings)")
    problems: list[Problem] = []
    loaded = load_mappings(where.mappings, problems)
    for p in problems:
        err_console.print(f"[red]error:[/red] {escape(p.message)}", highlight=False, soft_wrap=True)
    if fmt is Format.table:
        out_console.print(f"{len(loaded)} mapping(s) read, {len(problems)} with errors", highlight=False)
    else:
        print_records(out_console, [{"file": p.file, "check": p.check, "target": p.target, "paper_id": p.paper_id, "message": p.message} for p in problems], fmt)
    if problems:
        raise typer.Exit(1)


@app.command()
def export(
    out: Path = typer.Argument(..., help="File to write (works.bib, works.ris, works.json, effects.csv, dataset.xlsx).", show_default=False),
    project_dir: Optional[Path] = project_option(),
    curated_dir: Optional[Path] = curated_option(),
    raw: Optional[Path] = raw_option(),
    to: Optional[str] = typer.Option(None, "--to", "-t", help="The file's format: bibtex, ris, csljson, effects or xlsx (default: from OUT's extension)."),
    excel: bool = typer.Option(False, "--excel", help="Start the CSV with a byte-order mark, so Excel on Windows reads it as UTF-8."),
    fmt: Format = format_option(FORMAT_HELP + " One row: kind (wrote), file, to, records."),
) -> None:
    """Export the dataset for the tools that come next.

    `bibtex`, `ris`, `csljson` (Zotero, Mendeley, pandoc): the registry of works
    (`curated/works.csv`), one record per work keyed by its stable work id, with every author
    of its fullest reference entry, year, title, journal, volume, issue, pages and DOI.
    `effects`: every effect estimate the papers print, one CSV row each (paper, study, outcome,
    measure, estimate, CI, p, n per arm, page), for R's metafor or RevMan.
    `xlsx`: every curated table and the current findings, one sheet each, numbers as numbers.

    Example:  `curate export works.bib` or `curate export effects.csv --excel` or `curate export refs.txt --to ris`
    """
    from curate.api import export as run
    from curate.export import EXTENSIONS, ExportError

    where = Project.of(project_dir, curated=curated_dir, raw=raw)
    curated = where.curated
    chosen = to or EXTENSIONS.get(out.suffix.lower())
    if chosen is None:
        fail(f"{out}: say --to (bibtex, ris, csljson, effects or xlsx): unknown extension", 2, out)
    try:
        n = run(out, chosen, project_dir, raw=where.raw, curated=curated, excel=excel)
    except (ExportError, ReviewError, OSError) as exc:
        fail(str(exc), 1, out)
    what = {"effects": "effect estimates", "xlsx": "rows"}.get(chosen, "works")
    if fmt is Format.table:
        out_console.print(f"wrote {n} {what} to {escape(str(out))}", highlight=False)
    else:
        print_records(out_console, [{"kind": "wrote", "file": str(out), "to": chosen, "records": n}], fmt)


app.command()(report)
app.command()(decide)
