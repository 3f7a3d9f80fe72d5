"""Tables read from a test PDF, and cell-for-cell comparison of an extracted table CSV with an expected one."""

from __future__ import annotations

import csv
from pathlib import Path

import pdfplumber

from curate.extract.tables import Table, extract_tables


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh)]


def pdf_tables(path: Path) -> list[Table]:
    """Every table curate extracts from the PDF at ``path``."""
    with pdfplumber.open(path) as pdf:
        return extract_tables(pdf, str(path))


def cell_mismatches(expected: list[list[str]], got: list[list[str]]) -> list[str]:
    """Human-readable list of every differing cell (and shape differences)."""
    problems = []
    if len(expected) != len(got):
        problems.append(f"rows: expected {len(expected)}, got {len(got)}")
    for r, (want, have) in enumerate(zip(expected, got)):
        if len(want) != len(have):
            problems.append(f"row {r}: expected {len(want)} cells, got {len(have)}")
        for c, (a, b) in enumerate(zip(want, have)):
            if a != b:
                problems.append(f"row {r} col {c}: expected {a!r}, got {b!r}")
    return problems
