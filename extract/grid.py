"""curate's own table extractor: columns from vertical alignment, rows from line spacing.

Given the lines inside a table's box (and where its header ends), columns are the runs of
x not covered by any body word (gutters at least ``min_gutter_em`` wide), and lines are
grouped into rows: a line continues the row above when it fills few columns and either
sits closer than the table's row pitch (padded rows) or leaves the first column empty
(wrapped cells). Header lines are joined per column into one header.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from extract.layout import Line, Word


@dataclass(slots=True)
class Grid:
    """Header (one string per column, may be empty) and body rows of one table part."""

    header: list[str]
    rows: list[list[str]]
    columns: list[tuple[float, float]]
    row_tops: list[float]


def _phrases(line: Line, max_gap_em: float) -> list[list[Word]]:
    """Words of a line merged across ordinary spaces."""
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 <= max_gap_em * w.size:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def find_columns(body: list[Line], verticals: list[float], min_gutter_em: float) -> list[tuple[float, float]]:
    """Column intervals: vertical rules when the table is a grid, else gutters between words."""
    if not body:
        return []
    x0 = min(ln.x0 for ln in body)
    x1 = max(ln.x1 for ln in body)
    inner = sorted(v for v in verticals if x0 + 2 < v < x1 - 2)
    if inner:
        edges = [x0 - 1, *inner, x1 + 1]
        return [(a, b) for a, b in zip(edges, edges[1:]) if any(a <= (w.x0 + w.x1) / 2 <= b for ln in body for w in ln.words)]
    size = median(w.size for ln in body for w in ln.words)
    spans = sorted((w.x0, w.x1) for ln in body for w in ln.words)
    covered: list[list[float]] = []
    for a, b in spans:
        if covered and a - covered[-1][1] < min_gutter_em * size:
            covered[-1][1] = max(covered[-1][1], b)
        else:
            covered.append([a, b])
    return [(a, b) for a, b in covered]


def _boundaries(columns: list[tuple[float, float]]) -> list[float]:
    return [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])]


def _column_of(x: float, bounds: list[float]) -> int:
    for i, b in enumerate(bounds):
        if x < b:
            return i
    return len(bounds)


def _cells(line: Line, bounds: list[float], ncols: int, by_phrase: bool) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(ncols)]
    groups = _phrases(line, 0.5) if by_phrase else [[w] for w in line.words]
    for group in groups:
        centre = (group[0].x0 + group[-1].x1) / 2
        cells[_column_of(centre, bounds)].extend(group)
    return cells


def join_lines(parts: list[str]) -> str:
    """Join the lines of a cell; a line broken after '/' or a hyphenated compound keeps no space."""
    text = ""
    for part in parts:
        if not part:
            continue
        if not text:
            text = part
        elif text.endswith("/") or (text.endswith("-") and len(text) > 1 and text[-2].isalpha()):
            text += part
        else:
            text += " " + part
    return text


def _continues(pitches: list[float]) -> float | None:
    """The pitch separating wrapped lines from new rows, when rows are visibly padded."""
    if len(pitches) < 2:
        return None
    lo, hi = min(pitches), max(pitches)
    if hi < 1.1 * lo:
        return None
    ordered = sorted(pitches)
    split = max(range(1, len(ordered)), key=lambda i: ordered[i] - ordered[i - 1])
    return (ordered[split - 1] + ordered[split]) / 2


def build_grid(header_lines: list[Line], body_lines: list[Line], verticals: list[float], min_gutter_em: float) -> Grid | None:
    """Cells of one ruled table part, or None when its lines do not form columns."""
    columns = find_columns(body_lines, verticals, min_gutter_em)
    if len(columns) < 2:
        return None
    bounds = _boundaries(columns)
    n = len(columns)
    line_cells = [_cells(ln, bounds, n, by_phrase=False) for ln in body_lines]
    baselines = [median(w.bottom for w in ln.body_words or ln.words) for ln in body_lines]
    pitches = [b - a for a, b in zip(baselines, baselines[1:])]
    threshold = _continues(pitches)
    fills = [sum(1 for c in cells if c) for cells in line_cells]
    widest = max(fills)
    rows: list[list[list[str]]] = []
    row_tops: list[float] = []
    for i, cells in enumerate(line_cells):
        sparse = fills[i] <= widest // 2
        if rows and sparse:
            close = threshold is not None and pitches[i - 1] < threshold
            wrapped = threshold is None and not cells[0] and all(rows[-1][c] for c in range(n) if cells[c])
            if close or wrapped:
                for c in range(n):
                    if cells[c]:
                        rows[-1][c].append(" ".join(w.text for w in cells[c]))
                continue
        rows.append([[" ".join(w.text for w in cell)] if cell else [] for cell in cells])
        row_tops.append(body_lines[i].top)
    header = [""] * n
    if header_lines:
        stacked: list[list[str]] = [[] for _ in range(n)]
        for ln in header_lines:
            for c, cell in enumerate(_cells(ln, bounds, n, by_phrase=True)):
                if cell:
                    stacked[c].append(" ".join(w.text for w in cell))
        header = [join_lines(parts) for parts in stacked]
    return Grid(header=header, rows=[[join_lines(parts) for parts in row] for row in rows], columns=columns, row_tops=row_tops)
