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

from curate.extract.layout import Line, Word, cell_text


@dataclass(slots=True)
class Grid:
    """Header (one string per column, may be empty) and body rows of one table part."""

    header: list[str]
    rows: list[list[str]]
    columns: list[tuple[float, float]]
    #: (top, bottom) of each body row, and of the header (None when there is none).
    row_spans: list[tuple[float, float]]
    header_span: tuple[float, float] | None


def phrases(line: Line, max_gap_em: float) -> list[list[Word]]:
    """Words of a line merged across gaps up to ``max_gap_em`` ems (ordinary spaces), cut at wider ones."""
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 <= max_gap_em * w.size:
            out[-1].append(w)
        else:
            out.append([w])
    return out


Vertical = tuple[float, float, float]  # x, top, bottom of a vertical rule
Span = tuple[float, float, float]  # x0, x1, y of a partial rule under a spanning header


def _dedupe(xs: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def find_columns(body: list[Line], verticals: list[Vertical], min_gutter_em: float) -> list[tuple[float, float]]:
    """Column intervals: runs of x covered by body words, split by gutters and vertical rules.

    A gutter is white space at least ``min_gutter_em`` wide that no body word crosses; a
    vertical rule always separates columns, however close the words on either side.
    """
    if not body:
        return []
    x0 = min(ln.x0 for ln in body)
    x1 = max(ln.x1 for ln in body)
    top, bottom = min(ln.top for ln in body), max(ln.bottom for ln in body)
    inner = _dedupe([x for x, vt, vb in verticals if x0 + 2 < x < x1 - 2 and vt < bottom and vb > top])
    size = median(w.size for ln in body for w in ln.words)
    gutter = min_gutter_em * size
    spans = sorted((w.x0, w.x1) for ln in body for w in ln.words)
    covered: list[list[float]] = []
    for a, b in spans:
        ruled_off = any(covered[-1][1] - 1 <= v <= a + 1 for v in inner) if covered else False
        if covered and a - covered[-1][1] < gutter and not ruled_off:
            covered[-1][1] = max(covered[-1][1], b)
        else:
            covered.append([a, b])
    columns: list[tuple[float, float]] = []
    for a, b in covered:  # a word crossing a vertical rule is a spanning cell: the rule still divides
        cuts = [v for v in inner if a + 1 < v < b - 1]
        edges = [a, *cuts, b]
        columns.extend(
            (lo, hi) for lo, hi in zip(edges, edges[1:]) if any(lo <= (w.x0 + w.x1) / 2 <= hi for ln in body for w in ln.words)
        )
    return columns


def _same_band(lines: list[Line]) -> list[Line]:
    """Lines that share most of their height and no x are one line: cells of one row set on
    baselines a little apart (a browser lowers a cell whose line holds a raised mark). A line
    of bare symbols is left alone (the strokes of a '±' drawn as two glyphs)."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda ln: ln.top):
        last = out[-1] if out else None
        words = last is not None and all(any(ch.isalnum() for w in x.words for ch in w.text) for x in (ln, last))
        if last is not None and words and min(ln.bottom, last.bottom) - max(ln.top, last.top) > 0.5 * min(ln.bottom - ln.top, last.bottom - last.top):
            if not any(a.x0 < b.x1 - 1 and b.x0 < a.x1 - 1 for a in last.words for b in ln.words):
                out[-1] = Line(sorted([*last.words, *ln.words], key=lambda w: w.x0))
                continue
        out.append(ln)
    return out


def _boundaries(columns: list[tuple[float, float]]) -> list[float]:
    return [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])]


def _column_of(x: float, bounds: list[float]) -> int:
    for i, b in enumerate(bounds):
        if x < b:
            return i
    return len(bounds)


def _spanned(phrase: list[Word], columns: list[tuple[float, float]], bounds: list[float], verticals: list[Vertical], spans: list[Span], neighbours: list[float]) -> list[int]:
    """Columns a header phrase heads: those under the partial rule just below it, or
    between the vertical rules around it; else the one column its centre falls in.

    ``neighbours`` are the centres of the line's other phrases: two spanning headers over
    rules drawn end to end (one rule once joined) share it, each heading the columns nearer it.
    """
    x0, x1 = phrase[0].x0, phrase[-1].x1
    top, bottom = min(w.top for w in phrase), max(w.bottom for w in phrase)
    centre = (x0 + x1) / 2
    centres = [(a + b) / 2 for a, b in columns]
    below = [sp for sp in spans if sp[2] > bottom - 1 and sp[0] - 1 <= centre <= sp[1] + 1]
    if below:
        sx0, sx1, _ = min(below, key=lambda sp: sp[2])
        lo = max([(m + centre) / 2 for m in neighbours if sx0 - 1 <= m < centre], default=sx0)
        hi = min([(m + centre) / 2 for m in neighbours if centre < m <= sx1 + 1], default=sx1)
        inside = [c for c, m in enumerate(centres) if max(sx0, lo) <= m <= min(sx1, hi)]
        if len(inside) > 1:
            return inside
    middle = (top + bottom) / 2
    around = [x for x, vt, vb in verticals if vt <= middle <= vb]
    left = max((x for x in around if x <= x0 + 1), default=None)
    right = min((x for x in around if x >= x1 - 1), default=None)
    if left is not None and right is not None:
        inside = [c for c, m in enumerate(centres) if left < m < right]
        if inside:
            return inside
    return [_column_of(centre, bounds)]


def _centred_over(phrase: list[Word], limits: tuple[float, float], lower: list[list[Word]], bounds: list[float]) -> list[int] | None:
    """Columns a header phrase spans without a rule under it: two or more columns whose own
    header phrases, on the lines below and nearer to it than to its neighbours, it is centred
    over ('Intervention' over 'Events' and 'Total')."""
    under = [ph for ph in lower if limits[0] <= (ph[0].x0 + ph[-1].x1) / 2 <= limits[1]]
    cols = sorted({_column_of((ph[0].x0 + ph[-1].x1) / 2, bounds) for ph in under})
    if len(cols) < 2:
        return None
    x0, x1 = min(ph[0].x0 for ph in under), max(ph[-1].x1 for ph in under)
    centre = (phrase[0].x0 + phrase[-1].x1) / 2
    return cols if abs((x0 + x1) / 2 - centre) <= max(0.15 * (x1 - x0), phrase[0].size) and x0 <= centre <= x1 else None


def _row_bands(body: list[Line], row_rules: list[float], fills: list[int], widest: int) -> list[int] | None:
    """Band index of each body line, when the rules inside the body separate rows.

    They do when most bands hold exactly one line that fills more than half the columns
    (ruled or shaded rows with wrapped cells): then a sparse line continues the row of its
    band. Rules that separate groups of rows (sections) do not: rows come from spacing.
    """
    if len(row_rules) < 2:
        return None
    bands = [sum(1 for y in row_rules if y < ln.top) for ln in body]
    dense: dict[int, int] = {}
    for band, fill in zip(bands, fills):
        dense[band] = dense.get(band, 0) + (fill > widest // 2)
    single = sum(1 for n in dense.values() if n == 1)
    return bands if single >= 0.6 * len(dense) else None


def _cells(line: Line, bounds: list[float], ncols: int) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(ncols)]
    for w in line.words:
        cells[_column_of((w.x0 + w.x1) / 2, bounds)].append(w)
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
    if ordered[split] < 1.2 * ordered[split - 1]:
        return None  # one taller row (a raised mark in it), not padding between rows
    return (ordered[split - 1] + ordered[split]) / 2


def build_grid(
    header_lines: list[Line],
    body_lines: list[Line],
    verticals: list[Vertical],
    min_gutter_em: float,
    row_rules: list[float] | None = None,
    spans: list[Span] | None = None,
) -> Grid | None:
    """Cells of one ruled table part, or None when its lines do not form columns.

    ``row_rules`` are the heights of full-width rules (or shading edges) inside the body:
    when there are two or more, each band between them is one row, whatever its lines.
    ``spans`` are partial rules inside the header: a header phrase above one belongs to
    every column under it, as does a phrase in a grid cell that no vertical rule divides.
    """
    body_lines = _same_band(body_lines)
    columns = find_columns(body_lines, verticals, min_gutter_em)
    if len(columns) < 2:
        return None
    bounds = _boundaries(columns)
    n = len(columns)
    line_cells = [_cells(ln, bounds, n) for ln in body_lines]
    baselines = [median(w.bottom for w in ln.body_words or ln.words) for ln in body_lines]
    pitches = [b - a for a, b in zip(baselines, baselines[1:])]
    threshold = _continues(pitches)
    fills = [sum(1 for c in cells if c) for cells in line_cells]
    widest = max(fills)
    bands = _row_bands(body_lines, row_rules or [], fills, widest)
    rows: list[list[list[str]]] = []
    spans_y: list[list[float]] = []

    dense = [f > widest // 2 for f in fills]

    def leads(i: int) -> bool:
        """A sparse line nearer the dense line under it than the line above, in columns that
        line leaves empty: the first line of a wrapped cell centred on its row."""
        if dense[i] or i + 1 >= len(fills) or not dense[i + 1] or any(line_cells[i][c] and line_cells[i + 1][c] for c in range(n)):
            return False
        return i == 0 or pitches[i] < pitches[i - 1] - 0.5

    def same_row(i: int, cells: list[list[Word]]) -> bool:
        if bands is not None:  # ruled rows: a band is a row, its own line wherever it stands in it
            return bands[i] == bands[i - 1] and not (dense[i] and has_dense[-1])
        if dense[i]:  # a row's own line, unless a centred cell's first line opened the row
            return not has_dense[-1]
        if leads(i):
            return False
        if threshold is not None:
            return pitches[i - 1] < threshold
        filled = [c for c in range(n) if cells[c]]
        if not all(rows[-1][c] for c in filled):
            return False
        if not cells[0]:
            return True
        # A label's next line: it cannot open a row ('[25]', 'artery', '2014' under a name).
        first, above = cell_text(cells[0]), rows[-1][0][-1] if rows[-1][0] else ""
        return first[:1].islower() or first[:1] in "([" or (first.isdigit() and not above[:1].isdigit())

    has_dense: list[bool] = []  # per row: its own (dense) line is read (else a centred cell's first line opened it)
    for i, cells in enumerate(line_cells):
        if rows and same_row(i, cells):
            has_dense[-1] = has_dense[-1] or dense[i]
            for c in range(n):
                if cells[c]:
                    rows[-1][c].append(cell_text(cells[c]))
            spans_y[-1][1] = max(spans_y[-1][1], body_lines[i].bottom)
        else:
            rows.append([[cell_text(cell)] if cell else [] for cell in cells])
            spans_y.append([body_lines[i].top, body_lines[i].bottom])
            has_dense.append(dense[i] or not leads(i))
    header = [""] * n
    if header_lines:
        stacked: list[list[str]] = [[] for _ in range(n)]
        for i, ln in enumerate(header_lines):
            line_phrases = phrases(ln, 0.5)
            edges = [-float("inf")] + [(a[-1].x1 + b[0].x0) / 2 for a, b in zip(line_phrases, line_phrases[1:])] + [float("inf")]
            lower = [ph for below in header_lines[i + 1 :] for ph in phrases(below, 0.5)]
            for k, phrase in enumerate(line_phrases):
                text = cell_text(phrase)
                others = [(ph[0].x0 + ph[-1].x1) / 2 for j, ph in enumerate(line_phrases) if j != k]
                heads = _spanned(phrase, columns, bounds, verticals, spans or [], others)
                if len(heads) == 1 and not verticals:
                    heads = _centred_over(phrase, (edges[k], edges[k + 1]), lower, bounds) or heads
                for c in heads:
                    stacked[c].append(text)
        header = [join_lines(parts) for parts in stacked]
    return Grid(
        header=header,
        rows=[[join_lines(parts) for parts in row] for row in rows],
        columns=columns,
        row_spans=[(a, b) for a, b in spans_y],
        header_span=(min(ln.top for ln in header_lines), max(ln.bottom for ln in header_lines)) if header_lines else None,
    )
