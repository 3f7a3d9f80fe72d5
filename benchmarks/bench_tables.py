"""Table extraction benchmark: curate against camelot (lattice, stream) and pdfplumber.

Run as ``python benchmarks/bench_tables.py`` from anywhere. For every paper PDF in
``../shared/papers`` each tool runs in a fresh child process (this script with ``--child``):
the child times its imports (curate's include camelot, for its peers) and, separately, the
extraction (opening the PDF included), and
prints the tables it found as JSON; the parent takes the child's peak RSS from ``os.wait4``.
Each expected table ``tests/expected/<paper_id>/table_<n>.csv`` is scored against the tool's
best-matching table: the fraction of expected cells (header row included) found with the same
text at the same row and column, allowing one row offset and one column offset per candidate.
Cell text is compared after collapsing whitespace only, so ``10^6`` and ``106`` differ.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT.parent / "shared" / "papers"
EXPECTED = ROOT / "tests" / "expected"
TOOLS = ("curate", "camelot-lattice", "camelot-stream", "pdfplumber")

sys.path.insert(0, str(ROOT))
from benchmarks.tablescore import Found, Match, best_match, curate_extract, norm, pages_label, print_cells, print_table, read_csv, run_child  # noqa: E402

# --- child side ---------------------------------------------------------------------------


def _runner(tool: str) -> Callable[[str], list[Found]]:
    """Import ``tool`` and return its extraction call (PDF path -> tables)."""
    if tool == "curate":
        extract = curate_extract()

        def run_curate(path: str) -> list[Found]:
            """The whole of `curate extract` (ids, tables, references, files), not just tables."""
            return [{"pages": [p.page for p in t.parts], "cells": [t.header, *t.rows]} for t in extract(Path(path))[0]]

        return run_curate
    if tool == "pdfplumber":
        import pdfplumber

        def run_pdfplumber(path: str) -> list[Found]:
            with pdfplumber.open(path) as pdf:
                return [
                    {"pages": [page.page_number], "cells": [[cell or "" for cell in row] for row in table]}
                    for page in pdf.pages
                    for table in page.extract_tables()
                ]

        return run_pdfplumber
    import camelot

    flavor = tool.removeprefix("camelot-")

    def run_camelot(path: str) -> list[Found]:
        tables = camelot.read_pdf(path, pages="all", flavor=flavor)
        return [{"pages": [int(t.page)], "cells": t.df.astype(str).values.tolist()} for t in tables]

    return run_camelot


def _child(tool: str, path: str) -> None:
    """Extract with one tool in this (fresh) process and print timings and tables as JSON."""
    warnings.simplefilter("ignore")
    start = time.perf_counter()
    run = _runner(tool)
    import_s = time.perf_counter() - start
    import_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    start, cpu = time.perf_counter(), time.process_time()
    tables = run(path)
    extract_s, extract_cpu = time.perf_counter() - start, time.process_time() - cpu
    json.dump({"import_s": import_s, "import_mb": import_mb, "extract_s": extract_s, "extract_cpu": extract_cpu, "tables": tables}, sys.stdout)


# --- parent side --------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    """One tool on one paper, as measured in its child process."""

    tool: str
    paper: str
    pages: int
    import_s: float
    import_mb: float
    extract_s: float
    extract_cpu: float  # CPU seconds of the extraction: what survives the machine's load
    peak_mb: float
    tables: list[Found]


def _run_child(tool: str, pdf: Path, pages: int) -> Run:
    """Run ``tool`` on ``pdf`` in a fresh interpreter; exit with its stderr if it fails."""
    data, peak_mb = run_child(Path(__file__).resolve(), [tool, str(pdf)], ROOT)
    return Run(tool, pdf.stem, pages, data["import_s"], data["import_mb"], data["extract_s"], data["extract_cpu"], peak_mb, data["tables"])


def main() -> None:
    """Run every tool on every paper, score the expected tables and print the comparison."""
    pdfs = sorted(PAPERS.glob("*.pdf")) if PAPERS.is_dir() else []
    if not pdfs:
        sys.exit(f"no paper PDFs found in {PAPERS} (the shared folder must sit beside the repository)")
    expected_paths = sorted(EXPECTED.glob("*/table_*.csv"), key=lambda p: (p.parent.name, int(p.stem.split("_")[1])))
    if not expected_paths:
        sys.exit(f"no expected tables found in {EXPECTED}")

    import pdfplumber

    runs: dict[tuple[str, str], Run] = {}
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            pages = len(doc.pages)
        for tool in TOOLS:
            run = _run_child(tool, pdf, pages)
            runs[(tool, pdf.stem)] = run
            print(f"  {tool:<16} {pdf.name:<20} {run.extract_s:6.2f} s  {len(run.tables):3d} tables", file=sys.stderr)

    scores: dict[tuple[str, str], Match] = {}
    acc_rows = []
    for path in expected_paths:
        paper, name = path.parent.name, f"{path.parent.name}/{path.stem}"
        expected = norm(read_csv(path))
        line = [name, f"{len(expected)}x{max(len(r) for r in expected)}"]
        for tool in TOOLS:
            run = runs.get((tool, paper))
            match = best_match(expected, run.tables if run else [])
            scores[(tool, name)] = match
            shape = f"{match.rows}x{match.cols} {pages_label(match.pages)}" if match.pages else "none"
            line.append(f"{match.accuracy:6.1%}  {shape}")
        acc_rows.append(line)
    print_table(
        "Cell accuracy per expected table (accuracy, rows x cols of the best-matching table, its pages)",
        ["table", "expected", *TOOLS],
        acc_rows,
    )

    speed_rows = []
    for pdf in pdfs:
        line = [f"{pdf.stem} ({runs[(TOOLS[0], pdf.stem)].pages} p)"]
        for tool in TOOLS:
            run = runs[(tool, pdf.stem)]
            line.append(f"{run.extract_s / run.pages:.3f} s/p ({run.extract_cpu / run.pages:.3f} CPU)  {run.peak_mb:5.0f} MB")
        speed_rows.append(line)
    print_table("Speed (extraction s/page wall, and CPU) and peak RSS per paper", ["paper", *TOOLS], speed_rows)

    names = [f"{p.parent.name}/{p.stem}" for p in expected_paths]
    total_pages = sum(runs[(TOOLS[0], pdf.stem)].pages for pdf in pdfs)
    summary: dict[str, tuple[float, float, float]] = {}
    summary_rows = []
    for tool in TOOLS:
        tool_runs = [runs[(tool, pdf.stem)] for pdf in pdfs]
        acc = mean(scores[(tool, n)].accuracy for n in names)
        s_per_page = sum(r.extract_s for r in tool_runs) / total_pages
        cpu_per_page = sum(r.extract_cpu for r in tool_runs) / total_pages
        peak = max(r.peak_mb for r in tool_runs)
        summary[tool] = (acc, s_per_page, peak)
        summary_rows.append([
            tool,
            f"{acc:.1%}",
            f"{s_per_page:.3f}",
            f"{cpu_per_page:.3f}",
            f"{peak:.0f}",
            f"{mean(r.import_s for r in tool_runs):.2f}",
            f"{max(r.import_mb for r in tool_runs):.0f}",
        ])
    print_table(
        f"Per tool ({len(pdfs)} papers, {total_pages} pages, {len(names)} expected tables)",
        ["tool", "mean accuracy", "s/page", "CPU s/page", "peak MB", "import s (mean)", "MB after import"],
        summary_rows,
    )

    print()
    not_best = []
    for name in names:
        mine = scores[("curate", name)].accuracy
        better = [t for t in TOOLS[1:] if scores[(t, name)].accuracy > mine]
        if better:
            not_best.append(f"{name} ({', '.join(better)})")
    if not_best:
        print(f"curate has the best accuracy on every table: NO; beaten on {'; '.join(not_best)}")
    else:
        print("curate has the best accuracy on every table: yes (ties count as best)")
    fastest = min(TOOLS, key=lambda t: summary[t][1])
    if fastest == "curate":
        print("curate is the fastest tool")
    else:
        print(f"curate time relative to the fastest ({fastest}): {summary['curate'][1] / summary[fastest][1]:.2f}x")

    for path, name in zip(expected_paths, names):
        mine = scores[("curate", name)]
        if mine.accuracy == 1:
            continue
        expected = norm(read_csv(path))
        print(f"\n{name}: curate {mine.accuracy:.1%}")
        print_cells("cells curate gets wrong", expected, mine.wrong)
        for tool in TOOLS[1:]:
            peer = scores[(tool, name)]
            only_peer = {rc: mine.wrong[rc] for rc in mine.wrong if rc not in peer.wrong}
            if only_peer:
                print_cells(f"of those, right in {tool}", expected, only_peer)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
