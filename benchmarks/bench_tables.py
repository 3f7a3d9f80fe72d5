"""Table extraction benchmark: curate against camelot (lattice, stream) and pdfplumber.

Run as ``python benchmarks/bench_tables.py`` from anywhere. For every paper PDF in
``../shared/papers`` each tool runs in a fresh child process (this script with ``--child``):
the child times its imports and, separately, the extraction (opening the PDF included), and
prints the tables it found as JSON; the parent takes the child's peak RSS from ``os.wait4``.
Each expected table ``tests/expected/<paper_id>/table_<n>.csv`` is scored against the tool's
best-matching table: the fraction of expected cells (header row included) found with the same
text at the same row and column, allowing one row offset and one column offset per candidate.
Cell text is compared after collapsing whitespace only, so ``10^6`` and ``106`` differ.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ROOT.parent / "shared" / "papers"
EXPECTED = ROOT / "tests" / "expected"
TOOLS = ("curate", "camelot-lattice", "camelot-stream", "pdfplumber")
#: At most this many differing cells are listed per table.
MAX_CELLS_SHOWN = 12

Grid = list[list[str]]
Found = dict[str, Any]  # {"pages": list[int], "cells": Grid}, header row first


# --- child side ---------------------------------------------------------------------------


def _runner(tool: str) -> Callable[[str], list[Found]]:
    """Import ``tool`` and return its extraction call (PDF path -> tables)."""
    if tool == "curate":
        import tempfile
        from pathlib import Path

        from extract.output import discard
        from extract.paper import stage

        def run_curate(path: str) -> list[Found]:
            """The whole of `curate extract` (ids, tables, references, files), not just tables."""
            with tempfile.TemporaryDirectory() as out:
                staged = stage(Path(path), Path(out))
                discard(staged.staged)
            return [{"pages": [p.page for p in t.parts], "cells": [t.header, *t.rows]} for t in staged.tables]

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
    start = time.perf_counter()
    tables = run(path)
    extract_s = time.perf_counter() - start
    json.dump({"import_s": import_s, "import_mb": import_mb, "extract_s": extract_s, "tables": tables}, sys.stdout)


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
    peak_mb: float
    tables: list[Found]


@dataclass(slots=True)
class Match:
    """A tool's best-matching table for one expected table."""

    accuracy: float
    rows: int
    cols: int
    pages: list[int]
    wrong: dict[tuple[int, int], str | None]  # expected (row, col) -> the tool's cell, None if absent


def _run_child(tool: str, pdf: Path, pages: int) -> Run:
    """Run ``tool`` on ``pdf`` in a fresh interpreter; exit with its stderr if it fails."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", tool, str(pdf)],
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        with proc.stdout:
            out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-3000:]
            sys.exit(f"{tool} failed on {pdf.name} (exit {proc.returncode}):\n{tail}")
    data = json.loads(out)
    return Run(tool, pdf.stem, pages, data["import_s"], data["import_mb"], data["extract_s"], usage.ru_maxrss / 1024, data["tables"])


def _norm(grid: Grid) -> Grid:
    """Collapse runs of whitespace (newlines included) to one space and strip every cell."""
    return [[" ".join(str(cell).split()) for cell in row] for row in grid]


def _read_csv(path: Path) -> Grid:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _align(expected: Grid, got: Grid) -> tuple[int, int, int]:
    """(matches, row offset, column offset) for the one offset pair that matches most cells.

    Expected cell (r, c) is compared with got cell (r + row offset, c + column offset); every
    pair of equal cells votes for its offset. Ties go to the smallest shift.
    """
    where: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(got):
        for c, cell in enumerate(row):
            where.setdefault(cell, []).append((r, c))
    votes: Counter[tuple[int, int]] = Counter()
    for r, row in enumerate(expected):
        for c, cell in enumerate(row):
            for gr, gc in where.get(cell, ()):
                votes[(gr - r, gc - c)] += 1
    if not votes:
        return 0, 0, 0
    (dr, dc), n = max(votes.items(), key=lambda kv: (kv[1], -abs(kv[0][0]) - abs(kv[0][1])))
    return n, dr, dc


def _cell(grid: Grid, r: int, c: int) -> str | None:
    return grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else None


def _best_match(expected: Grid, found: list[Found]) -> Match:
    """The candidate table with the highest accuracy (the first one on ties)."""
    total = sum(len(row) for row in expected)
    best = Match(0.0, 0, 0, [], {})
    best_n = -1
    for table in found:
        got = _norm(table["cells"])
        n, dr, dc = _align(expected, got)
        if n > best_n:
            wrong = {
                (r, c): _cell(got, r + dr, c + dc)
                for r, row in enumerate(expected)
                for c, cell in enumerate(row)
                if _cell(got, r + dr, c + dc) != cell
            }
            cols = max((len(row) for row in got), default=0)
            best, best_n = Match(n / total, len(got), cols, table["pages"], wrong), n
    return best


def _pages(pages: list[int]) -> str:
    if not pages:
        return ""
    return f"p{pages[0]}" if len(pages) == 1 else f"p{pages[0]}-{pages[-1]}"


def _print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Plain fixed-width table."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def _print_cells(label: str, expected: Grid, cells: dict[tuple[int, int], str | None]) -> None:
    print(f"  {label}:")
    for (r, c), got in sorted(cells.items())[:MAX_CELLS_SHOWN]:
        shown = "<no cell>" if got is None else repr(got)
        print(f"    row {r} col {c}: expected {expected[r][c]!r}, got {shown}")
    if len(cells) > MAX_CELLS_SHOWN:
        print(f"    ... and {len(cells) - MAX_CELLS_SHOWN} more")


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
        expected = _norm(_read_csv(path))
        line = [name, f"{len(expected)}x{max(len(r) for r in expected)}"]
        for tool in TOOLS:
            run = runs.get((tool, paper))
            match = _best_match(expected, run.tables if run else [])
            scores[(tool, name)] = match
            shape = f"{match.rows}x{match.cols} {_pages(match.pages)}" if match.pages else "none"
            line.append(f"{match.accuracy:6.1%}  {shape}")
        acc_rows.append(line)
    _print_table(
        "Cell accuracy per expected table (accuracy, rows x cols of the best-matching table, its pages)",
        ["table", "expected", *TOOLS],
        acc_rows,
    )

    speed_rows = []
    for pdf in pdfs:
        line = [f"{pdf.stem} ({runs[(TOOLS[0], pdf.stem)].pages} p)"]
        for tool in TOOLS:
            run = runs[(tool, pdf.stem)]
            line.append(f"{run.extract_s / run.pages:.3f} s/p  {run.peak_mb:5.0f} MB")
        speed_rows.append(line)
    _print_table("Speed (extraction s/page) and peak RSS per paper", ["paper", *TOOLS], speed_rows)

    names = [f"{p.parent.name}/{p.stem}" for p in expected_paths]
    total_pages = sum(runs[(TOOLS[0], pdf.stem)].pages for pdf in pdfs)
    summary: dict[str, tuple[float, float, float]] = {}
    summary_rows = []
    for tool in TOOLS:
        tool_runs = [runs[(tool, pdf.stem)] for pdf in pdfs]
        acc = mean(scores[(tool, n)].accuracy for n in names)
        s_per_page = sum(r.extract_s for r in tool_runs) / total_pages
        peak = max(r.peak_mb for r in tool_runs)
        summary[tool] = (acc, s_per_page, peak)
        summary_rows.append([
            tool,
            f"{acc:.1%}",
            f"{s_per_page:.3f}",
            f"{peak:.0f}",
            f"{mean(r.import_s for r in tool_runs):.2f}",
            f"{max(r.import_mb for r in tool_runs):.0f}",
        ])
    _print_table(
        f"Per tool ({len(pdfs)} papers, {total_pages} pages, {len(names)} expected tables)",
        ["tool", "mean accuracy", "s/page", "peak MB", "import s (mean)", "MB after import"],
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
        expected = _norm(_read_csv(path))
        print(f"\n{name}: curate {mine.accuracy:.1%}")
        _print_cells("cells curate gets wrong", expected, mine.wrong)
        for tool in TOOLS[1:]:
            peer = scores[(tool, name)]
            only_peer = {rc: mine.wrong[rc] for rc in mine.wrong if rc not in peer.wrong}
            if only_peer:
                _print_cells(f"of those, right in {tool}", expected, only_peer)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
