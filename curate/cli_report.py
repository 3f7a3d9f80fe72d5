"""``curate report`` and ``curate decide``: the steward's review report and decisions, on the command line.

Thin typer commands over :mod:`curate.report` and :mod:`curate.decisions` (registered on the
app in :mod:`curate.cli`); library errors become one-line messages on stderr with exit code 1.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from curate.cli_common import curated_option, err_console, fail, load, out_console, project_option, raw_option, review_option
from curate.cli_format import FORMAT_HELP, Format, emit, format_option
from curate.findings import SEVERITIES
from curate.review import Project


def report(
    folder: Optional[Path] = typer.Argument(None, metavar="[CURATED]", help="Folder of the curated dataset (same as --curated).", show_default=False),
    project_dir: Optional[Path] = project_option(),
    raw: Optional[Path] = raw_option(),
    curated: Optional[Path] = curated_option(),
    review: Optional[Path] = review_option(),
    out: Path = typer.Option(Path("report"), "--out", "-o", help="Folder to write report.html and report.md into."),
    pdfs: Optional[Path] = typer.Option(None, "--pdfs", help="Folder holding the source PDFs (named as in each manifest) for page images."),
    fmt: Format = format_option(FORMAT_HELP + " One row per severity: severity, findings, undecided."),
) -> None:
    """Write the steward's review report: `OUT/report.html` (one self-contained page) and `OUT/report.md`.

    The report gathers every finding (`curate validate` and the consistency checks) for
    triage: errors and warnings first, checks that passed folded per check, one row per fact;
    each with the check that fired, reported vs recomputed value, where it points (file, row,
    column, page, printed table row) and, with `--pdfs`, a crop of that region of the PDF page.
    It also shows each paper's tables and quality scores, the health of its reference list,
    plots chosen by the data (per row, per visit, per arm, a forest plot of the printed effect
    estimates, reported vs recomputed), the works registry and the decisions log.

    The HTML needs no network or server: filter by paper, severity, status, check and "new
    since the last report" (multi-select, with counts; also from the address:
    `report.html#filter=severity:error|warning`), search, sort, download the rows shown as
    CSV, choose decisions and export them for `curate decide --from`.
    The Markdown twin says the same in plain text, for diffs and review.

    Example:  `curate report --project my-review/ --out report/ --pdfs papers/`
    """
    from curate import api
    from curate.decisions import DecisionError, load_decisions
    from curate.report import NO_PLOTS, plots_available

    where = Project.of(project_dir, raw=raw, curated=curated or folder, review=review)
    curated, raw = where.curated, where.raw
    if not curated.is_dir():
        fail(f"{curated}: no such folder (the curated dataset)")
    if not any((curated / name).is_file() for name in ("papers.csv", "manifest.json")):
        fail(f"{curated}: not a curated dataset (no papers.csv or manifest.json; `curate reconcile` makes one)")
    if not raw.is_dir():
        fail(f"{raw}: no such folder (the extracted papers)")
    if pdfs is not None and not pdfs.is_dir():
        fail(f"{pdfs}: no such folder (the source PDFs)")
    load(where)  # a broken review.toml: one line, before anything runs
    try:
        findings = api.validate(project_dir, raw=raw, curated=curated, review=review)
        decisions = load_decisions(curated)
        html_path, md_path = api.report(project_dir, raw=raw, curated=curated, review=review, out=out, pdfs=pdfs, findings=findings)
    except (DecisionError, OSError) as exc:
        fail(str(exc))
    by = Counter(f.severity for f in findings)
    rows = [{"severity": s, "findings": by.get(s, 0), "undecided": sum(1 for f in findings if f.severity == s and f.id not in decisions)} for s in SEVERITIES]
    emit(out_console, rows, fmt, "Findings")
    if not plots_available():
        err_console.print(f"[yellow]note:[/yellow] {escape(NO_PLOTS)}", highlight=False)
    where_to = out_console if fmt is Format.table else err_console  # machine formats: stdout holds the rows only
    where_to.print(escape(f"wrote {html_path}"), highlight=False)
    where_to.print(escape(f"wrote {md_path}"), highlight=False)


def decide(
    finding_id: Optional[str] = typer.Argument(None, help="The finding's id (the `id` column of the report or of `curate validate --format json`).", show_default=False),
    accept: bool = typer.Option(False, "--accept", help="The finding is right; the value stays flagged."),
    reject: bool = typer.Option(False, "--reject", help="The finding is a false alarm; the value stands as printed."),
    fix: Optional[str] = typer.Option(None, "--fix", help="The finding is right and this is the correct value.", show_default=False),
    note: str = typer.Option("", "--note", "-n", help="Why (a steward's decision should be explainable later)."),
    source: Optional[Path] = typer.Option(None, "--from", help="Record every decision of this CSV (finding_id, decision, value, note), e.g. the one the report exports.", show_default=False),
    project_dir: Optional[Path] = project_option(),
    curated: Optional[Path] = curated_option(("--folder",)),
    raw: Optional[Path] = raw_option(),
    force: bool = typer.Option(False, "--force", help="Record a decision about an id that is not among the current findings."),
    fmt: Format = format_option(FORMAT_HELP + " One row per decision recorded: finding_id, decision, value, note, who, when."),
) -> None:
    """Record the steward's decision about a finding (or many, `--from`) in `CURATED/decisions.csv`.

    Give exactly one of `--accept` (the finding is right; the value stays flagged), `--reject`
    (a false alarm; the value stands) or `--fix VALUE` (the correct value). Each decision is a
    new row with who (your login name) and when (UTC): earlier rows are never changed, and the
    latest decision about a finding is the one in force. Finding ids are stable across runs,
    so the decision stays with its problem. An id that is not among the current findings is
    refused (a typo would otherwise decide nothing) unless `--force` is given.

    `--from decisions.csv` records every row of that file (`finding_id, decision, value, note`;
    rows without a decision are skipped) in one atomic write, after checking all of them:
    one bad row and nothing is recorded. The report's "export decisions" button writes such a file.

    Decided findings show as accepted / rejected / fixed in `curate report`; the rest stay open.

    Example:  `curate decide schema.range-08d6623029 --fix 7.5 --note "misread decimal point, p. 3"`
    or  `curate decide --from ~/Downloads/decisions.csv`
    """
    from curate import api
    from curate.decisions import COLUMNS, DecisionError, Request, read_requests

    where = Project.of(project_dir, raw=raw, curated=curated)
    folder = where.curated
    chosen = [name for name, on in (("accept", accept), ("reject", reject), ("fix", fix is not None)) if on]
    try:
        if source is not None:
            if finding_id is not None or chosen:
                fail("--from takes its decisions from the file: give no finding id, --accept, --reject or --fix with it")
            requests = read_requests(source)
            if not requests:
                fail(f"{source}: no decisions in it")
        else:
            if finding_id is None:
                fail("give a finding id (or --from FILE)")
            if len(chosen) != 1:
                fail("give exactly one of --accept, --reject, --fix VALUE")
            requests = [Request(finding_id, chosen[0], fix or "", note)]
        made = api.decide(requests, project_dir, raw=where.raw, curated=folder, force=force)
    except (DecisionError, OSError) as exc:
        fail(str(exc))
    if fmt is not Format.table:
        emit(out_console, [{c: getattr(d, c) for c in COLUMNS} for d in made], fmt)
    elif not made:
        out_console.print(escape(f"already recorded (the decision in force is the same) in {folder / 'decisions.csv'}"), highlight=False)
    elif source is None:
        first = made[0]
        value = f" → {first.value}" if first.value else ""
        also = f" (and {len(made) - 1} finding(s) of the same fact)" if len(made) > 1 else ""
        out_console.print(escape(f"recorded: {first.decision}{value} for {first.finding_id}{also} by {first.who} at {first.when} in {folder / 'decisions.csv'}"), highlight=False)
    else:
        by = Counter(d.decision for d in made)
        out_console.print(escape(f"recorded {len(made)} decisions ({', '.join(f'{n} {k}' for k, n in sorted(by.items()))}) from {source} in {folder / 'decisions.csv'}"), highlight=False)
