"""Scoring and reporting shared by the table benchmarks (bench_tables.py, bench_zoo.py).

A tool's table is scored against an expected CSV as in ``tests/expected``: the expected cells
(header row and empty cells included) found with the same text at the same row and column,
under the one row/column offset that matches most cells, over the expected cells plus the
tool's non-empty cells that lie outside the expected grid (an extra row of footnote marks or
a paragraph read into the table costs; empty padding does not). Cell text is compared after
collapsing whitespace only, so ``10^6`` and ``106`` differ.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Grid = list[list[str]]
Found = dict[str, Any]  # {"pages": list[int], "cells": Grid, ...}, header row first


@dataclass(slots=True)
class Match:
    """A tool's best-matching table for one expected table."""

    accuracy: float
    rows: int
    cols: int
    pages: list[int]
    wrong: dict[tuple[int, int], str | None]  # expected (row, col) -> the tool's cell, None if absent
    score: float | None = None  # the tool's own quality score of that table, if it gives one


def norm(grid: Grid) -> Grid:
    """Collapse runs of whitespace (newlines included) to one space and strip every cell."""
    return [[" ".join(str(cell).split()) for cell in row] for row in grid]


def read_csv(path: Path) -> Grid:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def align(expected: Grid, got: Grid) -> tuple[int, int, int]:
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


def cell_at(grid: Grid, r: int, c: int) -> str | None:
    return grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else None


def best_match(expected: Grid, found: Sequence[Found]) -> Match:
    """The candidate table with the highest accuracy (the first one on ties)."""
    total = sum(len(row) for row in expected)
    best = Match(0.0, 0, 0, [], {})
    best_accuracy = -1.0
    for table in found:
        got = norm(table["cells"])
        n, dr, dc = align(expected, got)
        extra = sum(1 for r, row in enumerate(got) for c, cell in enumerate(row) if cell and cell_at(expected, r - dr, c - dc) is None)
        accuracy = n / (total + extra)
        if accuracy > best_accuracy:
            wrong = {
                (r, c): cell_at(got, r + dr, c + dc)
                for r, row in enumerate(expected)
                for c, cell in enumerate(row)
                if cell_at(got, r + dr, c + dc) != cell
            }
            cols = max((len(row) for row in got), default=0)
            best, best_accuracy = Match(accuracy, len(got), cols, table["pages"], wrong, table.get("score")), accuracy
    return best


def pages_label(pages: list[int]) -> str:
    if not pages:
        return ""
    return f"p{pages[0]}" if len(pages) == 1 else f"p{pages[0]}-{pages[-1]}"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Plain fixed-width table."""
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


def print_cells(label: str, expected: Grid, cells: dict[tuple[int, int], str | None], limit: int = 12) -> None:
    """The differing cells of a match (at most ``limit`` of them), expected beside got."""
    print(f"  {label}:")
    for (r, c), got in sorted(cells.items())[:limit]:
        shown = "<no cell>" if got is None else repr(got)
        print(f"    row {r} col {c}: expected {expected[r][c]!r}, got {shown}")
    if len(cells) > limit:
        print(f"    ... and {len(cells) - limit} more")


def curate_extract() -> Callable[[Path], tuple[list[Any], dict[int, int]]]:
    """The whole of ``curate extract`` (ids, tables, references, files) as every table benchmark
    times it, in a child process: camelot's import (curate's peers) done and the imports frozen
    out of the garbage collector first, as curate's own workers do; each call stages one PDF
    into a folder that is removed again and returns its tables and its turned pages."""
    import gc

    from curate.extract.output import discard
    from curate.extract.paper import stage
    from curate.extract.peers import preload

    preload()  # camelot's import is start-up, timed apart for curate as for camelot itself
    gc.freeze()  # as curate extract's workers do: the imports are no garbage to walk

    def run(path: Path) -> tuple[list[Any], dict[int, int]]:
        with tempfile.TemporaryDirectory() as out:
            staged = stage(path, Path(out))
            turned = {int(k): v for k, v in json.loads((staged.staged / "manifest.json").read_text(encoding="utf-8"))["turned"].items()}
            discard(staged.staged)
        return staged.tables, turned

    return run


def run_child(script: Path, args: Sequence[str], cwd: Path) -> tuple[Any, float]:
    """Run ``script --child *args`` in a fresh interpreter: (the JSON it prints, its peak RSS in
    MB from ``os.wait4``); exits with the child's stderr if it fails."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, str(script), "--child", *args], stdout=subprocess.PIPE, stderr=err, cwd=cwd)
        assert proc.stdout is not None
        with proc.stdout:
            out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-3000:]
            sys.exit(f"{' '.join(args)} failed (exit {code}):\n{tail}")
    return json.loads(out), usage.ru_maxrss / 1024
