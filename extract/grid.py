"""curate's own table extractor: columns from vertical alignment, rows from line spacing.

Given the lines inside a table's box (and where its header ends), columns are the runs of
x not covered by any body word (gutters at least ``min_gutter_em`` wide), and lines are
grouped into rows: a line continues the row above when it fills few columns and either
sits closer than the table's row pitch (padded rows) or leaves the first column empty
(wrapped cells). Header lines are joined per column into one header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from curate.extract.layout import Line, Word
from curate.extract.references import ABBREVIATION
from curate.extract.regions import Vertical


@dataclass(slots=True)
class Grid:
    """Header (one string per column, may be empty) and body rows of one table part."""

    header: list[str]
    rows: list[list[str]]
    columns: list[tuple[float, float]]
    #: (top, bottom) of each body row, and of the header (None when there is none).
    row_spans: list[tuple[float, float]]
    header_span: tuple[float, float] | None
    #: Rows whose label joins a line that looks like a row of its own (:func:`_merged_labels`).
    merged_labels: int = 0
    #: Every row a band between drawn rules and every column parted from the next by a drawn
    #: vertical rule: the drawing, not the spacing, says where each cell is (:func:`_drawn_cells`).
    ruled: bool = False


def phrases(line: Line, max_gap_em: float, space: float = 0.0) -> list[list[Word]]:
    """Words of a line merged across gaps up to ``max_gap_em`` ems (ordinary spaces), or up to
    ``space`` points, cut at wider ones."""
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 <= max(max_gap_em * w.size, space):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def pitch(line: Line) -> float:
    """The advance of one glyph when ``line`` is set in a fixed-width font (its words of three
    glyphs or more, three at least, all as wide per glyph to 2%, narrower than 0.7 em: not
    square CJK glyphs, set without word spaces), else 0: such a font's word space is one
    advance, wider than half an em ('Non-Hispanic white' in Courier)."""
    words = [w for w in line.words if len(w.text) >= 3 and not w.superscript]
    per = [(w.x1 - w.x0) / len(w.text) for w in words]
    if len(per) < 3:
        return 0.0
    m = median(per)
    return m if m < 0.7 * median(w.size for w in words) and all(abs(p - m) <= 0.02 * m for p in per) else 0.0


def filled_phrases(lines: list[Line], max_gap_em: float, columns: list[tuple[float, float]]) -> list[list[list[Word]]]:
    """Each line's :func:`phrases` (one space of a fixed-width font, :func:`pitch`, is a word
    space), but for the word spaces of a filled and justified cell
    (a typesetter stretches them to the cell's width, as wide as gutters): consecutive phrases
    are one when the next line (a line's height below at most) starts where the first does,
    reaches past its end and not past the last one's end (the cell's last line), the gaps
    between them are equal (a justified line spreads its spaces evenly; gutters between
    columns of different widths are not) and no two of them stand over different ``columns``
    of the body."""
    split = [phrases(ln, max_gap_em, 1.2 * pitch(ln)) for ln in lines]
    out = []
    for k, line in enumerate(split):
        ln = lines[k]
        under = [p for lower, nxt in zip(split[k + 1 :], lines[k + 1 :]) if 0 <= nxt.top - ln.bottom <= ln.bottom - ln.top for p in lower]
        joined: list[list[Word]] = []
        i = 0
        while i < len(line):
            head = line[i]
            tol = 0.05 * head[0].size
            below = next((p for p in under if abs(p[0].x0 - head[0].x0) <= tol), None)
            j = i + 1
            if below is not None and j < len(line) and below[-1].x1 > head[-1].x1 + tol:
                gap = line[j][0].x0 - head[-1].x1
                while j < len(line) and abs(line[j][0].x0 - line[j - 1][-1].x1 - gap) <= tol:
                    j += 1
                over = [o for o in ({c for c, (a, b) in enumerate(columns) if p[0].x0 < b and a < p[-1].x1} for p in line[i:j]) if o]
                if below[-1].x1 <= line[j - 1][-1].x1 + tol and all(o & over[0] for o in over):
                    joined.append([w for p in line[i:j] for w in p])
                    i = j
                    continue
            joined.append(head)
            i += 1
        out.append(joined)
    return out


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
    if not inner:
        covered = [list(part) for a, b in covered for part in _overflowed(a, b, body, gutter)]
    # A word crossing a vertical rule where that rule is not drawn beside it is a spanning
    # cell's: the rule still divides the rows it is drawn along, but such a word alone makes no
    # column between a gutter and the rule.
    spanning = {id(w) for ln in body for w in ln.words if any(w.x0 + 1 < v < w.x1 - 1 and not _drawn_at(v, (w.top + w.bottom) / 2, verticals) for v in inner)}
    columns: list[tuple[float, float]] = []
    for a, b in covered:
        cuts = [v for v in inner if a + 1 < v < b - 1]
        edges = [a, *cuts, b]
        columns.extend(
            (lo, hi)
            for lo, hi in zip(edges, edges[1:])
            if any(lo <= (w.x0 + w.x1) / 2 <= hi and id(w) not in spanning for ln in body for w in ln.words)
        )
    return _ruled_word_columns(_bullets_joined(columns, body, inner), body, verticals)


#: Glyphs that only mark an item of a list (a dash may be a missing figure, '1.' a row number).
BULLETS = "•·▪◦‣∙"  #: glyphs set as list marks (an item mark may also be a dash or a number)


def _bullets_joined(columns: list[tuple[float, float]], body: list[Line], inner: list[float]) -> list[tuple[float, float]]:
    """A column holding only bullets, each opening a line of the column right of it with no
    vertical rule between, is that column's list marks (items set with a hanging indent): one
    column, each item after its bullet."""
    out: list[tuple[float, float]] = []
    start: float | None = None
    for col, nxt in zip(columns, [*columns[1:], None]):
        lo, start = (col[0] if start is None else start), None
        marks = [(ln, w) for ln in body for w in ln.words if col[0] <= (w.x0 + w.x1) / 2 <= col[1]]
        if (
            nxt is not None
            and marks
            and all(w.text in BULLETS for _, w in marks)
            and all(any(nxt[0] <= (o.x0 + o.x1) / 2 <= nxt[1] for o in ln.words) for ln, _ in marks)
            and not any(col[1] - 1 <= v <= nxt[0] + 1 for v in inner)
        ):
            start = lo
        else:
            out.append((lo, col[1]))
    return out


def _ruled_word_columns(columns: list[tuple[float, float]], body: list[Line], verticals: list[Vertical]) -> list[tuple[float, float]]:
    """Adjacent columns of words (no figures) between the same two vertical rules, drawn beside
    every line that fills them, and never both filled on one line, are one column: labels set
    apart in one ruled cell ('Men', 'Women' flush left, a 'Total' flush right under them)."""
    if not verticals:
        return columns

    def filled(col: tuple[float, float], ln: Line) -> list[Word]:
        return [w for w in ln.words if col[0] <= (w.x0 + w.x1) / 2 <= col[1]]

    def ruled(lo: float, hi: float, ln: Line) -> bool:
        y = (ln.top + ln.bottom) / 2
        return any(lo - 1 <= x <= hi + 1 and vt <= y <= vb for x, vt, vb in verticals)

    out = [columns[0]] if columns else []
    for i, col in enumerate(columns[1:], 1):
        prev = out[-1]
        left = out[-2][1] if len(out) >= 2 else float("-inf")
        right = columns[i + 1][0] if i + 1 < len(columns) else float("inf")
        cells = [(ln, a, b) for ln, a, b in ((ln, filled(prev, ln), filled(col, ln)) for ln in body) if a or b]  # lines filling either
        lines = [ln for ln, _, _ in cells]
        words = [w for _, a, b in cells for w in a + b]
        alone = all(not (a and b) for _, a, b in cells)
        if (
            words
            and alone
            and not any(re.search(r"\d", w.text) for w in words)
            and not any(ruled(prev[1], col[0], ln) for ln in lines)
            and all(ruled(left, prev[0], ln) and ruled(col[1], right, ln) for ln in lines)
        ):
            out[-1] = (prev[0], col[1])
        else:
            out.append(col)
    return out


def _drawn_at(x: float, y: float, verticals: list[Vertical], tol: float = 2.0) -> bool:
    """Whether a vertical rule at ``x`` is drawn across height ``y``."""
    return any(abs(vx - x) <= tol and vt <= y <= vb for vx, vt, vb in verticals)


#: A gutter may be crossed by the words of at most this share of a column's lines (long words
#: running past their column's edges).
OVERFLOW = 0.2


def _overflowed(a: float, b: float, body: list[Line], gutter: float) -> list[tuple[float, float]]:
    """The run of x [a, b] covered by body words, cut again at gutters that all but a few lines
    leave empty (at most :data:`OVERFLOW` of them, whose words run past their column's edges)
    when, on both sides, words of many lines (a third) stand clear of them."""
    words = [(w.x0, w.x1, k) for k, ln in enumerate(body) for w in ln.words if a <= w.x0 and w.x1 <= b]
    lines = len({k for _, _, k in words})
    if lines < 4:
        return [(a, b)]
    allowed = int(OVERFLOW * lines)
    step = 0.5
    cells = int((b - a) / step) + 1
    crossing: list[set[int]] = [set() for _ in range(cells)]
    for x0, x1, k in words:
        for i in range(int((x0 - a) / step), min(cells, int((x1 - a) / step) + 1)):
            crossing[i].add(k)
    cuts: list[tuple[float, float]] = []
    start = None
    for i in range(cells + 1):
        low = i < cells and len(crossing[i]) <= allowed
        if low and start is None:
            start = i
        elif not low and start is not None:
            lo, hi = a + start * step, a + i * step
            left = {k for x0, x1, k in words if x1 <= lo}
            right = {k for x0, x1, k in words if x0 >= hi}
            if hi - lo >= gutter and min(len(left), len(right)) >= 0.3 * lines:
                cuts.append((lo, hi))
            start = None
    if not cuts:
        return [(a, b)]
    edges = [a, *(x for cut in cuts for x in cut), b]
    return [(lo, hi) for lo, hi in zip(edges[::2], edges[1::2])]


#: Gutters as narrow as this fraction of the usual minimum separate columns of figures set tightly.
TIGHT = 0.4
_FIGURE = re.compile(r"^[-+±]?\d[\d.,]*%?$")


def _figures_run_together(body: list[Line], columns: list[tuple[float, float]]) -> bool:
    """Do most lines hold, in one column, two or more words that are all bare figures (columns
    set closer than a gutter)?"""
    if not body or not columns:
        return False
    bounds = _boundaries(columns)
    merged = 0
    for ln in body:
        per_column: dict[int, list[str]] = {}
        for w in ln.words:
            per_column.setdefault(_column_of((w.x0 + w.x1) / 2, bounds), []).append(w.text)
        merged += any(len(ws) >= 2 and all(_FIGURE.match(t) for t in ws) for ws in per_column.values())
    return merged >= 0.5 * len(body)


def _tight_columns(body: list[Line], verticals: list[Vertical], min_gutter_em: float, columns: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """Columns of figures set closer than a gutter, told apart by narrower gutters (a label
    column keeps its words together); None when the figures stand apart already."""
    if not _figures_run_together(body, columns):
        return None
    narrow = find_columns(body, verticals, TIGHT * min_gutter_em)
    out: list[tuple[float, float]] = []
    for a, b in columns:
        inside = [(x0, x1) for x0, x1 in narrow if a - 1 <= x0 and x1 <= b + 1]
        words = [w.text for ln in body for w in ln.words if a <= (w.x0 + w.x1) / 2 <= b]
        figures = sum(1 for t in words if _FIGURE.match(t)) >= 0.5 * len(words)  # labels ending in a year are no figures
        out.extend(inside if figures and len(inside) > 1 else [(a, b)])
    return out if len(out) > len(columns) and not _figures_run_together(body, out) else None


def _rejoin_words(columns: list[tuple[float, float]], body: list[Line], header: list[Line]) -> list[tuple[float, float]]:
    """Adjacent columns less than an em apart, whose right one always starts in lower case and
    holds no figures, are one column of labels when the left one holds no figures either (rows
    sharing their first words, "fine-tune on co-view", "fine-tune on co-read", leave word
    spaces that line up like gutters) or when no ``header`` word stands over the right one
    ("40 years" set in a fixed-width font: one word space wider than a gutter)."""
    if len(columns) < 2 or not body:
        return columns
    size = median(w.size for ln in body for w in ln.words)

    def texts(col: tuple[float, float]) -> list[str]:
        return [" ".join(w.text for w in ln.words if col[0] <= (w.x0 + w.x1) / 2 <= col[1]) for ln in body]

    out = [columns[0]]
    for col in columns[1:]:
        left, right = texts(out[-1]), texts(col)
        headless = bool(header) and not any(w.x0 < col[1] - 1 and col[0] + 1 < w.x1 for ln in header for w in ln.words)
        words_only = not any(re.search(r"\d", t) for t in right) and (headless or not any(re.search(r"\d", t) for t in left))
        lower = [t for t in right if t] and all(t[:1].islower() for t in right if t)
        if words_only and lower and col[0] - out[-1][1] < size:
            out[-1] = (out[-1][0], col[1])
        else:
            out.append(col)
    return out


def _ruled_cell(x0: float, x1: float, middle: float, verticals: list[Vertical]) -> tuple[float, float] | None:
    """The nearest vertical rules left and right of a phrase from ``x0`` to ``x1`` drawn across
    its ``middle`` height: the ruled cell it stands in (None when a side has no rule)."""
    around = [x for x, vt, vb in verticals if vt <= middle <= vb]
    left = max((x for x in around if x <= x0 + 1), default=None)
    right = min((x for x in around if x >= x1 - 1), default=None)
    return (left, right) if left is not None and right is not None else None


def _header_only_columns(columns: list[tuple[float, float]], header_lines: list[Line], verticals: list[Vertical]) -> list[tuple[float, float]]:
    """The body's columns, and a column for each header phrase standing where no body word
    is: past the body's edges, or alone in a gutter at least three times its width (a column
    left empty on this page, or one that holds pictures). A spanning header centred over a
    narrow gutter is not a column of its own, nor is a phrase in a ruled cell that holds body
    columns (centred over a column whose words are set to one side)."""
    if not columns:
        return columns
    extra: list[tuple[float, float]] = []
    for line in filled_phrases(header_lines, 0.5, columns):
        for phrase in line:
            x0, x1 = phrase[0].x0, phrase[-1].x1
            if any(a - 1 < x1 and x0 < b + 1 for a, b in columns):
                continue
            cell = _ruled_cell(x0, x1, (phrase[0].top + phrase[0].bottom) / 2, verticals)
            if cell is not None and any(cell[0] < a and b < cell[1] for a, b in columns):
                continue
            left = max((b for _, b in columns if b <= x0), default=None)
            right = min((a for a, _ in columns if a >= x1), default=None)
            if left is None or right is None or right - left >= 3 * (x1 - x0):
                extra.append((x0, x1))
    merged: list[list[float]] = []
    for a, b in sorted(extra):
        if merged and a < merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return sorted(columns + [(a, b) for a, b in merged])


def _carried_onto(columns: list[tuple[float, float]], own: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Carried column boxes, each widened over this page's own columns (runs of words between
    gutters) that fall to it alone (that hold its middle, or overlap it and no other): a
    cell set wider here than on the page before stays in its column."""
    out = [list(c) for c in columns]
    for a, b in own:
        hit = [i for i, (lo, hi) in enumerate(columns) if a <= (lo + hi) / 2 <= b] or [i for i, (lo, hi) in enumerate(columns) if lo < b and a < hi]
        if len(hit) == 1:
            out[hit[0]] = [min(out[hit[0]][0], a), max(out[hit[0]][1], b)]
    for i in range(1, len(out)):
        if out[i][0] < out[i - 1][1]:  # widened into each other: as carried
            out[i - 1], out[i] = list(columns[i - 1]), list(columns[i])
    return [(a, b) for a, b in out]


def _boundaries(columns: list[tuple[float, float]]) -> list[float]:
    return [(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])]


def _column_of(x: float, bounds: list[float]) -> int:
    for i, b in enumerate(bounds):
        if x < b:
            return i
    return len(bounds)


def _header_phrases(lines: list[Line], body: list[Line], columns: list[tuple[float, float]]) -> list[list[list[Word]]]:
    """Each header line's phrases (:func:`filled_phrases`), a phrase cut again at gaps wider than the
    table's word space by a tenth of an em (a font's word spaces vary far less) where the pieces
    on either side stand over different columns: header cells set closer than half an em
    (small type, narrow padding) are not one header spanning them. So is a gap only a little
    wider than a word space between cells set flush right (or left) with neighbouring columns
    (:func:`_flush_apart`), as close as '$10,000– $15,000–' over right-aligned figures. A phrase
    with word spaces only (a spanning header) stays whole. The word space is the median gap
    under half an em between the words (raised marks aside) of the header and ``body`` lines."""
    bounds = _boundaries(columns)
    split = filled_phrases(lines, 0.5, columns)
    spaces = [b.x0 - a.x1 for ln in lines + body for a, b in zip(ln.body_words, ln.body_words[1:]) if b.x0 - a.x1 <= 0.5 * b.size]
    if len(spaces) < 3:
        return split
    space = median(spaces)

    def column(piece: list[Word]) -> int:
        return _column_of((piece[0].x0 + piece[-1].x1) / 2, bounds)

    out = []
    for line in split:
        cut: list[list[Word]] = []
        for phrase in line:
            pieces = [[phrase[0]]]
            for i, (a, b) in enumerate(zip(phrase, phrase[1:]), 1):
                if b.x0 - a.x1 > space + 0.1 * b.size or b.x0 - a.x1 > space + 0.02 * b.size and _flush_apart(phrase, i, columns, bounds):
                    pieces.append([b])
                else:
                    pieces[-1].append(b)
            joined = pieces[:1]
            for piece in pieces[1:]:  # pieces over the same column are one phrase again
                if column(piece) == column(joined[-1]):
                    joined[-1] = joined[-1] + piece
                else:
                    joined.append(piece)
            cut.extend(joined)
        out.append(cut)
    return [_stacked_spanners(line, [p for other in out if other is not line for p in other if min(w.top for w in p) > max(w.top for ph in line for w in ph)], bounds) for line in out]


def _flush_apart(phrase: list[Word], i: int, columns: list[tuple[float, float]], bounds: list[float]) -> bool:
    """Do the words of a header phrase on either side of the gap before word ``i`` stand over
    neighbouring columns as cells set flush with them (within a tenth of an em): the word
    before the gap ending flush with its column's right edge and a word after it with the next
    column's, or the word after starting flush with its column's left edge and a word before
    it with the column before's? (A title's words run on over columns, flush with none.)"""
    a, b = phrase[i - 1], phrase[i]
    column = [_column_of((w.x0 + w.x1) / 2, bounds) for w in phrase]
    left, right = column[i - 1], column[i]
    if right != left + 1:
        return False
    tol = 0.1 * b.size
    flush_right = abs(a.x1 - columns[left][1]) <= tol and any(c == right and abs(w.x1 - columns[right][1]) <= tol for w, c in zip(phrase[i:], column[i:]))
    flush_left = abs(b.x0 - columns[right][0]) <= tol and any(c == left and abs(w.x0 - columns[left][0]) <= tol for w, c in zip(phrase[:i], column[:i]))
    return flush_right or flush_left


def _stacked_spanners(line: list[list[Word]], others: list[list[Word]], bounds: list[float]) -> list[list[Word]]:
    """A header line's phrases, two side by side joined again when they are less than an em
    apart and, together, centred (within half an em) on two phrases of header lines under them
    (``others``) that span a gutter: the first line of a spanning header set in a stack of
    three or more, its words set wide. (Phrases centred under a spanner are the columns' own
    sub-headers; one line under two phrases may be centred on them by chance.)"""
    def spans(p: list[Word]) -> bool:
        return _column_of(p[0].x0, bounds) != _column_of(p[-1].x1, bounds)

    out: list[list[Word]] = []
    for phrase in line:
        if out:
            a, size = out[-1], phrase[0].size
            centre = (a[0].x0 + phrase[-1].x1) / 2
            if phrase[0].x0 - a[-1].x1 <= size and sum(spans(p) and abs((p[0].x0 + p[-1].x1) / 2 - centre) <= 0.5 * size for p in others) >= 2:
                out[-1] = a + phrase
                continue
        out.append(phrase)
    return out


def _spanned(
    phrase: list[Word],
    columns: list[tuple[float, float]],
    bounds: list[float],
    verticals: list[Vertical],
    spans: list[Span],
    line: list[list[Word]],
    lower: list[list[Word]],
    upper: list[list[list[Word]]],
    stacked: list[int] | None = None,
) -> list[int]:
    """Columns a header phrase heads: those under the partial rule just below it, or
    between the vertical rules around it, or those of the header cell it is the upper line of
    (``stacked``: :func:`_stacked_on`), or those it is centred over (:func:`_centred_over`;
    ``line`` is its line's phrases, ``lower`` those of the header lines under it, ``upper`` the
    header lines above it);
    else the one column its centre falls in. Two spanning headers over rules drawn end to end
    (one rule once joined) share it, each heading the columns nearer it."""
    x0, x1 = phrase[0].x0, phrase[-1].x1
    top, bottom = min(w.top for w in phrase), max(w.bottom for w in phrase)
    centre = (x0 + x1) / 2
    centres = [(a + b) / 2 for a, b in columns]
    below = [sp for sp in spans if sp[2] > bottom - 1 and sp[0] - 1 <= centre <= sp[1] + 1]
    if below:
        sx0, sx1, _ = min(below, key=lambda sp: sp[2])
        neighbours = [(p[0].x0 + p[-1].x1) / 2 for p in line if p is not phrase]
        lo = max([(m + centre) / 2 for m in neighbours if sx0 - 1 <= m < centre], default=sx0)
        hi = min([(m + centre) / 2 for m in neighbours if centre < m <= sx1 + 1], default=sx1)
        inside = [c for c, m in enumerate(centres) if max(sx0, lo) <= m <= min(sx1, hi)]
        if len(inside) > 1:
            return inside
    # Between vertical rules the phrase heads every column of its cell, unless other phrases of
    # its line stand in that cell too, or phrases side by side on a line above it: then
    # gutters, not rules, divide it (sub-headers; a spanning header stands above them). A cell
    # of one column holds all its phrases (the words of a justified line spread over its width).
    cell = _ruled_cell(x0, x1, (top + bottom) / 2, verticals)
    if cell is not None:
        lo, hi = cell
        inside = [c for c, m in enumerate(centres) if lo < m < hi]

        def in_cell(p: list[Word]) -> bool:
            return lo < (p[0].x0 + p[-1].x1) / 2 < hi

        shared = any(p is not phrase and in_cell(p) for p in line) or any(sum(map(in_cell, above)) >= 2 for above in upper)
        if inside and (len(inside) == 1 or not shared):
            return inside
    return stacked or _centred_over(phrase, line, lower, columns) or [_column_of(centre, bounds)]


def _staggered(a: list[list[Word]], b: list[list[Word]]) -> bool:
    """Are two header lines set at staggered heights in one band (boxes overlapping by more
    than a quarter of a line: cells centred up and down, a two-line cell beside a one-line
    spanner)? Their phrases compete for the columns between them as one line's do."""
    a_top, a_bottom = min(w.top for p in a for w in p), max(w.bottom for p in a for w in p)
    b_top, b_bottom = min(w.top for p in b for w in p), max(w.bottom for p in b for w in p)
    return min(a_bottom, b_bottom) - max(a_top, b_top) > 0.25 * min(a_bottom - a_top, b_bottom - b_top)


def _stacked_on(phrase: list[Word], line: list[list[Word]], next_line: list[list[Word]]) -> list[Word] | None:
    """The phrase of the next header line that a header phrase is the line above of, in one
    header cell: the only phrase under it that it overlaps and the only one of its ``line``
    over that phrase, set solid under it (less than half an em apart) and flush with it on the
    left or the right (a cell's lines, set left or right aligned, wider than the column's
    figures), or centred on it (within a tenth of an em: 'Weight / Relative / to / Controls'
    stacked in one column) when it is not flanked on its line by phrases as far from it on
    either side (within an em: the sub-headers a spanner is centred over). A spanning header
    stands over several phrases, or is centred over them."""
    x0, x1 = phrase[0].x0, phrase[-1].x1
    size = phrase[0].size
    over = [p for p in next_line if p[0].x0 < x1 and x0 < p[-1].x1]
    if len(over) != 1:
        return None
    under = over[0]
    if any(p is not phrase and p[0].x0 < under[-1].x1 and under[0].x0 < p[-1].x1 for p in line):
        return None  # a justified line's words over one word: no cell's lines one under the other
    solid = min(w.top for w in under) - max(w.bottom for w in phrase) < 0.5 * size
    flush = abs(under[0].x0 - x0) <= 0.1 * size or abs(under[-1].x1 - x1) <= 0.1 * size
    centre = (under[0].x0 + under[-1].x1) / 2
    if not flush and abs(centre - (x0 + x1) / 2) <= 0.1 * size:
        left = [centre - (p[0].x0 + p[-1].x1) / 2 for p in next_line if p[-1].x1 <= under[0].x0]
        right = [(p[0].x0 + p[-1].x1) / 2 - centre for p in next_line if p[0].x0 >= under[-1].x1]
        flush = not (left and right and abs(min(left) - min(right)) <= size)
    return under if solid and flush else None


def _centred_over(phrase: list[Word], line: list[list[Word]], below: list[list[Word]], columns: list[tuple[float, float]]) -> list[int] | None:
    """The columns a header phrase is centred over, when it spans several with no rule to say
    so ("CS" over "prec." and "yield"): the run of columns that have a header phrase on a
    lower line and are nearer this phrase than any other of its ``line``, whose middle is
    nearest the phrase's middle (one column when a single one is as well centred)."""
    x0, x1 = phrase[0].x0, phrase[-1].x1
    centre = (x0 + x1) / 2

    def distance(p: list[Word], c: tuple[float, float]) -> float:
        m = (c[0] + c[1]) / 2
        return max(p[0].x0 - m, m - p[-1].x1, 0.0)

    headed = [any(p[0].x0 < b and p[-1].x1 > a for p in below) for a, b in columns]
    mine = [all(distance(phrase, c) <= distance(other, c) for other in line if other is not phrase) for c in columns]
    best: tuple[float, int, list[int]] | None = None
    for i in range(len(columns)):
        for j in range(i, len(columns)):
            group = list(range(i, j + 1))
            if not all(mine[c] for c in group) or (len(group) > 1 and not all(headed[c] for c in group)):
                continue
            middle = (columns[i][0] + columns[j][1]) / 2
            if not columns[i][0] - (x1 - x0) <= centre <= columns[j][1] + (x1 - x0):
                continue
            key = (abs(middle - centre), len(group), group)
            if best is None or key[:2] < best[:2]:
                best = key
    return best[2] if best is not None and len(best[2]) > 1 else None


def _bands_of(lines: list[Line], ys: list[float]) -> list[int]:
    """Per line, the band between the rules at ``ys`` it stands in (how many lie above its
    middle: a cell's border may touch its text box, no padding)."""
    return [sum(1 for y in ys if y < (ln.top + ln.bottom) / 2) for ln in lines]


def _rows_by_rules(bands: list[int], dense: Counter[int], filled: list[set[int]], starts: Counter[int]) -> bool:
    """Do the rules inside the body separate rows? ``bands``: each body line's band between
    them; ``dense``, ``starts``: per band, how many of its lines fill more than half the
    columns, how many open a row; ``filled``: each line's filled columns.

    They do when most bands hold exactly one line that fills more than half the columns
    (ruled or shaded rows with wrapped cells), one line at all (a grid's rows, cells left
    empty), sparse lines only, each after the first filling only columns the first fills (a
    row with cells left empty, its cells wrapped), or one line that opens a row (``opens``: a
    line whose label does not read on from the label above it, or that holds figures of its
    own; a term wrapped beside its wrapped definition opens one): then the other lines continue
    the row of their band. Rules that separate groups of rows (sections) do not: rows come from
    spacing.
    """
    members: dict[int, list[int]] = {}
    for i, band in enumerate(bands):
        members.setdefault(band, []).append(i)

    def wrapped(lines: list[int]) -> bool:
        return all(filled[i] <= filled[lines[0]] for i in lines[1:])

    single = sum(1 for band, lines in members.items() if dense[band] == 1 or len(lines) == 1 or (dense[band] == 0 and wrapped(lines)) or starts[band] <= 1)
    return single >= 0.6 * len(members)


def _drawn_cells(columns: list[tuple[float, float]], body: list[Line], verticals: list[Vertical]) -> bool:
    """Is every gutter between two columns ruled by a vertical rule drawn down the whole body?"""
    top, bottom = min(ln.top for ln in body), max(ln.bottom for ln in body)
    return all(any(a[1] - 1 <= x <= b[0] + 1 and vt <= top + 1 and vb >= bottom - 1 for x, vt, vb in verticals) for a, b in zip(columns, columns[1:]))


def _row_spanned(rows: list[list[list[str]]], spans_y: list[list[float]], columns: list[tuple[float, float]], row_rules: list[float], cell_rules: list[Span]) -> None:
    """Join, in place, the lines of a cell spanning rows of a grid that draws a row's rule only
    under the cells that end there: where only such rules part two rows, a column none of them
    is drawn under (a column ruled elsewhere in the body) holds one cell over both, and the
    lower row's text there, reading on from the upper's, is that cell's wrapped line ('Chronic
    fatigue' by the first row's figures, 'syndrome' by the second's). Its words go to the first
    row of its span, where a spanning cell of one line stands, also when they are centred on its
    rows (the first row's part of it left empty, a line standing across a rule beside it)."""
    if not cell_rules:
        return
    top, bottom = spans_y[0][0], spans_y[-1][1]
    partial = {y for _, _, y in cell_rules}
    full = [y for y in row_rules if y not in partial]

    def under(c: int, x0: float, x1: float) -> bool:
        return x0 - 1 <= (columns[c][0] + columns[c][1]) / 2 <= x1 + 1

    ruled = [any(top < y < bottom for y in full) or any(top < y < bottom and under(c, x0, x1) for x0, x1, y in cell_rules) for c in range(len(columns))]
    owner = [0] * len(columns)  # per column, the row whose cell is open
    for r in range(1, len(rows)):
        # (a spanning cell's lines, centred on its rows, may stand across the rules between them)
        ends = (spans_y[r - 1][1], spans_y[r][0])
        lo, hi = min(ends) - 3, max(ends) + 3
        drawn = [(x0, x1) for x0, x1, y in cell_rules if lo < y < hi]
        if not drawn or any(lo < y < hi for y in full):
            owner = [r] * len(columns)  # a rule across the table (or none) parts the rows
            continue
        for c in range(len(columns)):
            if any(under(c, x0, x1) for x0, x1 in drawn):
                owner[c] = r
            elif ruled[c] and rows[r][c] and not rows[owner[c]][c]:  # a spanning cell set lower than its first row (centred on its rows)
                rows[owner[c]][c], rows[r][c] = rows[r][c], []
            elif ruled[c] and rows[r][c] and (_label_reads_on if c == 0 else _reads_on)(rows[owner[c]][c][-1], rows[r][c][0]):
                rows[owner[c]][c] += rows[r][c]
                rows[r][c] = []
            else:
                owner[c] = r


def _one_cell(body: list[Line], verticals: list[Vertical]) -> list[bool]:
    """Per body line, is it set in one ruled cell across the whole table (a section row): one
    phrase (no gap of an em) standing across the x of a vertical rule the grid draws inside
    the table along most of its lines, and none drawn along this one?"""
    if not body:
        return []
    x0, x1 = min(ln.x0 for ln in body), max(ln.x1 for ln in body)
    inner = [v for v in verticals if x0 + 1 < v[0] < x1 - 1]
    parted = [any(vt <= (ln.top + ln.bottom) / 2 <= vb for _, vt, vb in inner) for ln in body]
    across = [any(ln.x0 + 1 < x < ln.x1 - 1 for x, _, _ in inner) and len(phrases(ln, 1.0)) == 1 for ln in body]
    most = 2 * sum(parted) >= len(parted)
    return [not p and a and most for p, a in zip(parted, across)]


def _set_across(body: list[Line], verticals: list[Vertical], min_gutter_em: float) -> list[bool]:
    """Per body line, is it a label set across columns (a section label, or a spanner printed in
    the body, centred over the columns of figures: 'Percentage difference between actual and
    projected values'): one phrase of words (no gap of an em, no vertical rule drawn across it; a
    figure in a third of its words at most, none in the first: 'Highest degree earned by 2003')
    with a word inside a gutter that the table's other lines, at least half of them and two,
    leave empty, reaching past its middle?
    Its words are one cell, not cut at those gutters, and make no columns of their own."""

    def words(ln: Line) -> bool:
        figures = [any(ch.isdigit() for ch in w.text) for w in ln.words]
        return not figures[0] and 3 * sum(figures) <= len(figures)

    def ruled_across(ln: Line) -> bool:  # a vertical rule drawn beside it parts its words
        return any(ln.x0 < x < ln.x1 and _drawn_at(x, (ln.top + ln.bottom) / 2, verticals) for x, _, _ in verticals)

    flagged = [len(phrases(ln, 1.0)) == 1 and words(ln) and not ruled_across(ln) for ln in body]
    if not any(flagged):
        return flagged
    others = [ln for ln, f in zip(body, flagged) if not f]
    if len(others) < max(2, len(body) / 2):
        return [False] * len(body)
    columns = find_columns(others, verticals, min_gutter_em)
    gutters = [(a[1], b[0]) for a, b in zip(columns, columns[1:])]
    return [f and any(ln.x0 < (g0 + g1) / 2 < ln.x1 and any(w.x0 < g1 and g0 < w.x1 for w in ln.words) for g0, g1 in gutters) for ln, f in zip(body, flagged)]


def _section_cells(line: Line, ncols: int) -> list[list[Word]]:
    """A section row's words, in its first cell."""
    return [list(line.words)] + [[] for _ in range(ncols - 1)]


def _cells(line: Line, bounds: list[float], ncols: int) -> list[list[Word]]:
    cells: list[list[Word]] = [[] for _ in range(ncols)]
    for w in line.words:
        cells[_column_of((w.x0 + w.x1) / 2, bounds)].append(w)
    return cells


def words_text(words: list[Word]) -> str:
    """The text of a cell's words on one line; a raised mark set right after a word (a
    footnote mark, an ion's charge) is written ``kg^a``, as exponents are; a raised circle is a
    degree sign and a prime (set raised by design: P2′) is written as printed."""
    text = words[0].text if words else ""
    for prev, w in zip(words, words[1:]):
        close = w.x0 - prev.x1 <= 0.25 * prev.size
        if close and w.superscript and not prev.superscript and w.text in _DEGREE:
            text += "°"
        elif close and w.superscript and not prev.superscript:
            text += w.text if not w.text.strip(_PRIMES) else "^" + w.text  # a prime as printed, a mark as ^a
        elif close and prev.superscript and w.text[:1] in ")],;":
            text += w.text
        else:
            text += " " + w.text
    return text


#: What opens an item of a list set in a cell: a bullet, a dash or a number, then a space.
ITEM_MARK = rf"(?:[{BULLETS}*–—-]|\d{{1,2}}[.)])"
LIST_ITEM = re.compile(ITEM_MARK + r"\s+[^\W\d_]")


#: A small raised circle is a degree sign, however the font encodes it.
_DEGREE = {"◦", "∘", "˚", "°"}
#: Primes, single to triple.
_PRIMES = "′″‴"


#: A run of two dots or more, spaced or not, up to a space or the cell's end.
_DOTS = re.compile(r"(?:\s*\.){2,}(?=\s|$)")


#: A word that is only a dot leader: four dots or more, set solid.
LEADER = re.compile(r"\.{4,}")


#: A word with a full stop inside ('U.S', 'e.g') or 'etc': its full stop is its own.
_STOPPED = re.compile(r"(?:\w\.\w+|\betc)$")


def _leader(m: re.Match[str]) -> str:
    """A run of dots is a leader (and goes) when it has four dots or more, or follows words and
    has three or is spaced ('Arson. .'); three dots alone stay ('. . .': not available), and so
    do two dots set solid after a word. The run's first dot, set solid after an abbreviation,
    is the abbreviation's full stop and stays ('No. . . 5' -> 'No. 5', 'etc. .' and 'etc.. . .'
    -> 'etc.': one reader's text of an ActualText leader has a dot more); after another word it
    is the leader's ('Robbery. . .' -> 'Robbery')."""
    run = m.group()
    dots = run.count(".")
    before = m.string[: m.start()]
    spaced = any(ch.isspace() for ch in run.lstrip())
    if not (dots >= 4 or (before.strip() and (dots >= 3 or spaced))):
        return run
    own = run[0] == "." and (ABBREVIATION.search(before) or _STOPPED.search(before))
    return ". " if own else " "


def without_leaders(cell: str) -> str:
    """A cell without its dot leaders ('Robbery . . . . .' -> 'Robbery'): the dots only lead
    the eye to the figures, and how many a reader sees depends on how the PDF marks them (an
    ActualText span over the leader is read with a dot more or less than the glyphs drawn)."""
    if "." not in cell:
        return cell
    text = _DOTS.sub(_leader, cell)
    return " ".join(text.split()) if text != cell else cell


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


_BREAK = re.compile(r"(?:[,/–-]|\b(?:to|and|or|of|in|with))$")


def _unfinished(above: str) -> bool:
    """A cell's line that leaves a bracket open or breaks after a comma, dash, slash or a word
    that cannot end a phrase ('to', 'and')."""
    opened = above.count("(") > above.count(")") or above.count("[") > above.count("]")
    return opened or bool(_BREAK.search(above))


def _bracket_under(above: str, text: str) -> bool:
    """A bracketed part of a cell wrapped under its first part: '(10.1)' under '53.7', a
    figure's SD or CI (the line above opens no bracket of its own)."""
    return text.startswith(("(", "[")) and not any(b in above for b in "([")


def _reads_on(above: str, text: str) -> bool:
    """Is ``text`` the next line of a cell whose line so far is ``above``: that line is
    unfinished, or ``text`` starts in lower case or is a bracketed part wrapped under it?"""
    return _unfinished(above) or text[:1].islower() or _bracket_under(above, text)


def _continues(pitches: list[float], opens: list[bool]) -> tuple[float | None, float | None]:
    """The pitch separating wrapped lines from new rows, when rows are visibly padded; and the
    pitch past which lines stand apart (rows of their own), when that is all the spacing says.

    ``opens`` says, per pitch, whether the line under it is a row's own line set under another
    (a dense line under a dense line). When such lines make half the pitches or more (most rows
    one line), they show the rows' pitch: a wider pitch none of them is set at is no row
    padding but the gaps after section rows or between groups of rows (lines past it stand
    apart), and the split is sought among the closer pitches alone. When most of them are set
    at one pitch closer than the widest split, whatever their share, the wrapped lines are those
    set clearly closer still."""
    apart = None
    while len(pitches) >= 2:
        lo, hi = min(pitches), max(pitches)
        if hi < 1.1 * lo:
            break
        ordered = sorted(pitches)
        split = max(range(1, len(ordered)), key=lambda i: ordered[i] - ordered[i - 1])
        if ordered[split] < 1.2 * ordered[split - 1]:
            break  # one taller row (a raised mark in it), not padding between rows
        threshold = (ordered[split - 1] + ordered[split]) / 2
        own = [p for p, o in zip(pitches, opens) if o]
        row = median(own) if len(own) >= 2 else threshold
        if row < threshold and 2 * sum(abs(p - row) <= 0.05 * row for p in own) > len(own):
            # Most rows' own lines are set at one pitch, closer than the split: it is the gaps
            # after sections or before a total, and wrapped lines are those set clearly closer
            # than the rows' own lines, if any are.
            closer = [p for p in pitches if p < row / 1.2]
            if closer:
                return (max(closer) + row) / 2, threshold
        if sum(opens) < 2 or 2 * sum(opens) < len(opens) or any(p > threshold for p, o in zip(pitches, opens) if o):
            return threshold, apart
        apart = threshold
        pitches, opens = [p for p in pitches if p < threshold], [o for p, o in zip(pitches, opens) if p < threshold]
    return None, apart


def _has_figures(cells: list[list[Word]]) -> bool:
    """Does a line hold a cell past the label column that starts with a figure?"""
    return any(cell and re.match(r"[-+±<>≤≥]?\d", cell[0].text) for cell in cells[1:])


def _label_only(cells: list[list[Word]]) -> bool:
    """Does a line hold a label and nothing else?"""
    return bool(cells[0]) and not any(cells[1:])


def _label_over_figures(line_cells: list[list[list[Word]]], i: int) -> bool:
    """Is line ``i`` a label alone over a line of figures (a section label, a label wrapped
    over its row's figures, or a row run into the one above)?"""
    return _label_only(line_cells[i]) and i + 1 < len(line_cells) and _has_figures(line_cells[i + 1])


def _number_under_words(above: str, text: str) -> bool:
    """Is ``text`` a number set under words ('2014 [18]' under a name): a label's next line?"""
    return text.split()[0].isdigit() and not above[:1].isdigit()


def _label_reads_on(above: str, text: str) -> bool:
    """Is ``text`` the next line of a label whose line so far is ``above``: it reads on
    (:func:`_reads_on`), or it is a number under words (:func:`_number_under_words`)?"""
    return _reads_on(above, text) or _number_under_words(above, text)


def _merged_labels(members: list[list[int]], line_cells: list[list[list[Word]]], drawn: set[int]) -> int:
    """Rows whose label column joins a line that looks like a row start of its own: a line
    holding only a label, under a first line that has the row's own figures, that does not read
    on from the label above it (a new phrase) and is indented differently from the row's label
    or followed by a line of figures (the row its label wraps into). Evidence that a row was
    run into the one above it, not a cell wrapped: a wrapped label reads on. A line in a band
    of ``drawn`` lines (ruled or shaded round one row's own line) is that row's, as drawn."""
    merged = 0
    for lines in members:
        first = line_cells[lines[0]]
        if not first[0] or not _has_figures(first):
            continue
        for above, i in zip(lines, lines[1:]):
            label, prev = line_cells[i][0], line_cells[above][0]
            if i in drawn or not _label_only(line_cells[i]) or not prev or _label_reads_on(words_text(prev), words_text(label)):
                continue
            indented = abs(label[0].x0 - first[0][0].x0) >= 0.3 * label[0].size
            if indented or _label_over_figures(line_cells, i):
                merged += 1
                break
    return merged


def _baseline(line: Line) -> float:
    """Where a line's words stand (raised marks left out): rows' pitches are measured from it."""
    return median(w.bottom for w in line.body_words or line.words)


def build_grid(
    header_lines: list[Line],
    body_lines: list[Line],
    verticals: list[Vertical],
    min_gutter_em: float,
    row_rules: list[float] | None = None,
    spans: list[Span] | None = None,
    columns: list[tuple[float, float]] | None = None,
    across: list[float] | None = None,
    cell_rules: list[Span] | None = None,
) -> Grid | None:
    """Cells of one ruled table part, or None when its lines do not form columns.

    ``row_rules`` are the heights of full-width rules (or shading edges) inside the body:
    when there are two or more (one in a full grid), each band between them is one row,
    whatever its lines.
    ``spans`` are partial rules inside the header: a header phrase above one belongs to
    every column under it, as does a phrase in a grid cell that no vertical rule divides.
    ``columns`` are the column boxes of the part this one continues (a table carried over to
    the next page): its cells go by them, not by this page's own gutters, which a column
    left empty here or text set differently would move.
    ``across`` are the heights of the rules inside the body that part rows wherever they are
    drawn: full-width rules (shading edges among them) and rules drawn under some cells only
    (``cell_rules``): no row runs over one.
    ``cell_rules`` are the body's rules drawn under some cells only (:func:`_row_spanned`).
    """
    body_lines = _same_band(body_lines)
    sections = [one or across for one, across in zip(_one_cell(body_lines, verticals), _set_across(body_lines, verticals, min_gutter_em))]
    body_columns = find_columns([ln for ln, one in zip(body_lines, sections) if not one], verticals, min_gutter_em)
    tight = None
    if columns is None:
        tight = _tight_columns(body_lines, verticals, min_gutter_em, body_columns)
        columns = _header_only_columns(_rejoin_words(tight or body_columns, body_lines, header_lines), header_lines, verticals)
    else:
        columns = _carried_onto(columns, body_columns)
    if len(columns) < 2:
        return None
    bounds = _boundaries(columns)
    n = len(columns)
    line_cells = [_section_cells(ln, n) if one else _cells(ln, bounds, n) for ln, one in zip(body_lines, sections)]
    baselines = [_baseline(ln) for ln in body_lines]
    pitches = [b - a for a, b in zip(baselines, baselines[1:])]
    fills = [sum(1 for c in cells if c) for cells in line_cells]
    widest = max(fills)
    dense = [f > widest // 2 for f in fills]
    def read_on(i: int) -> bool:  # every filled cell of line i goes on from the cell above it (text wrapped in every column)
        filled = [c for c in range(n) if line_cells[i][c]]
        return bool(filled) and all(line_cells[i - 1][c] and _reads_on(words_text(line_cells[i - 1][c]), words_text(line_cells[i][c])) for c in filled)

    # (the pitch under a line holding a raised mark is no evidence: the mark can make its row taller)
    plain = [i for i, ln in enumerate(body_lines[:-1]) if not any(w.superscript for w in ln.words)]
    # a dense line under a dense line is a row's own line, unless its every cell reads on
    threshold, apart = _continues([pitches[i] for i in plain], [dense[i] and dense[i + 1] and not read_on(i + 1) for i in plain])
    bands: list[int] | None = None  # each line's band between the rules inside the body, when they separate rows
    own_lines: Counter[int] = Counter()  # per band, its dense lines
    one_row: set[int] = set()  # bands holding one row
    # Two rules or more inside the body, or one in a full grid (every gutter ruled down the body:
    # two ruled rows, a label wrapped in its cell is still one row).
    drawn_cells = _drawn_cells(columns, body_lines, verticals)
    if row_rules and (len(row_rules) >= 2 or drawn_cells):
        # Lines that open a row by their own words: figures, or a label that does not read on from
        # the label above it beside no cell that reads on from the cell above (a term's next line
        # 'VAS' beside its definition's next line is no row of its own).
        opens: list[bool] = []
        last = [""] * n
        for cells in line_cells:
            texts = [words_text(cell) if cell else "" for cell in cells]
            new_label = bool(texts[0]) and not (last[0] and _label_reads_on(last[0], texts[0]))
            continued = any(texts[c] and last[c] and _reads_on(last[c], texts[c]) for c in range(1, n))
            opens.append(new_label and not continued or _has_figures(cells))
            last = [t or a for t, a in zip(texts, last)]
        ruled_bands = _bands_of(body_lines, row_rules)
        dense_in = Counter(b for b, d in zip(ruled_bands, dense) if d)
        openings = Counter(b for b, o in zip(ruled_bands, opens) if o)
        if _rows_by_rules(ruled_bands, dense_in, [{c for c in range(n) if cells[c]} for cells in line_cells], openings):
            bands, own_lines = ruled_bands, dense_in
            one_row = {b for b in bands if openings[b] <= 1}
    solid = bands is not None and max(own_lines.values(), default=0) <= 2
    rows: list[list[list[str]]] = []
    spans_y: list[list[float]] = []

    starts: list[int] = []  # the line each row starts with
    members: list[list[int]] = []  # the lines of each row
    left = min((cells[0][0].x0 for cells in line_cells if cells[0]), default=0.0)  # the first column's left edge

    def hanging(i: int, cells: list[list[Word]]) -> bool:
        """A first cell indented under the first cell of a row of figures (0.3 to 3 em in):
        a label wrapped with a hanging indent, its line holding the rest of the row's cells."""
        first, above = cells[0], line_cells[starts[-1]][0]
        if not first or not above or fills[starts[-1]] < 2 or above[0].x0 > left + 1:
            return False
        if _label_only(cells) and i + 1 < len(line_cells) and dense[i + 1] and line_cells[i + 1][0] and line_cells[i + 1][0][0].x0 > first[0].x0 + 1:
            return False  # a label whose next line, indented under it, holds the figures: it opens that row
        if any(cells[c] and line_cells[starts[-1]][c] and all(_FIGURE.match(w.text) for w in cells[c] + line_cells[starts[-1]][c]) for c in range(1, n)):
            return False  # figures under the row's own figures: a row of its own (an indented sub-row)
        if apart_label(i, first):
            return False
        indent = first[0].x0 - above[0].x0
        aligned_right = abs(first[-1].x1 - above[-1].x1) <= 1  # right-aligned labels, not an indent
        return 0.3 * first[0].size <= indent <= 3 * first[0].size and not aligned_right

    label_right = max((cells[0][-1].x1 for cells in line_cells if cells[0]), default=0.0)  # the label column's widest line

    def apart_label(i: int, first: list[Word]) -> bool:
        """A label alone on its line, under a row's label, that does not read on from it and
        either would have fitted on the label's last line (its first word and a word space
        after that line still end within the column's widest label: no line break was needed)
        or starts where a label alone on its line opened a row before (the table's own section
        labels, set at one indent): a label of its own, not the row's label wrapped."""
        if not _label_only(line_cells[i]):
            return False
        label = next(line_cells[j][0] for j in reversed(members[-1]) if line_cells[j][0])
        if _label_reads_on(words_text(label), words_text(first)):
            return False
        room = label[-1].x1 + 0.4 * first[0].size + (first[0].x1 - first[0].x0) <= label_right
        return room or any(_label_only(line_cells[s]) and abs(line_cells[s][0][0].x0 - first[0].x0) < 0.5 for s in starts)

    # The first body line's pitch under the header (a section label at the rows' pitch under it is a row).
    head_pitch = baselines[0] - _baseline(header_lines[-1]) if header_lines else None

    def leads(i: int) -> bool:
        """A sparse line nearer the dense line under it than the line above (the header's last,
        above the first), in columns that line leaves empty: the first line of a wrapped cell
        centred on its row."""
        if dense[i] or i + 1 >= len(fills) or not dense[i + 1] or any(line_cells[i][c] and line_cells[i + 1][c] for c in range(n)):
            return False
        above = pitches[i - 1] if i else head_pitch
        return above is None or pitches[i] < above - 0.5

    def centred(i: int) -> bool:
        """A sparse line over a row's own line, with a sparse line as near under it, whose cells
        are centred over the row line's cells in the same columns: the first of a cell's three
        lines centred on its row."""
        if dense[i] or i + 2 >= len(fills) or not dense[i + 1] or dense[i + 2]:
            return False
        cols = [c for c in range(n) if line_cells[i][c]]
        if cols != [c for c in range(n) if line_cells[i + 2][c]] or abs(pitches[i] - pitches[i + 1]) > 0.3:
            return False
        if i and pitches[i] > pitches[i - 1] + 0.3:
            return False

        def middle(cell: list[Word]) -> float:
            return (cell[0].x0 + cell[-1].x1) / 2

        if all(abs(line_cells[k][c][0].x0 - line_cells[i + 1][c][0].x0) < 0.5 for k in (i, i + 2) for c in cols if line_cells[i + 1][c]):
            return False  # flush left with the row's line: lines of about its width look centred, but are set from one edge
        return all(line_cells[i + 1][c] and max(abs(middle(line_cells[k][c]) - middle(line_cells[i + 1][c])) for k in (i, i + 2)) < 1.5 for c in cols)

    def opened(i: int) -> bool:
        """Rows visibly padded, the row so far sparse lines at the wrapped pitch, and as many
        sparse lines as close under this one: a label wrapped around the row's line, the row
        centred on it (a section label over its first row has no such lines under that row)."""
        k = i - starts[-1]
        if threshold is None or i + k >= len(dense) or any(dense[starts[-1] : i]) or any(dense[i + 1 : i + k + 1]):
            return False
        return all(pitches[j - 1] < threshold for j in range(starts[-1] + 1, i + k + 1))

    def wraps_on(cells: list[list[Word]]) -> bool:
        """Does every filled cell of a line read on from the cell above it, one at least from a
        line left unfinished (a row wrapped in every column, set as tightly as its rows; cells
        in lower case alone are no sign: a column of 'yes' and 'no')?"""
        filled = [c for c in range(n) if cells[c]]
        if len(filled) < 2 or not all(rows[-1][c] for c in filled):
            return False
        pairs = [(rows[-1][c][-1], words_text(cells[c])) for c in filled]
        return all(_reads_on(a, b) for a, b in pairs) and any(_unfinished(a) for a, _ in pairs)

    def wraps(i: int, cells: list[list[Word]]) -> bool:
        """A line set at the pitch of wrapped lines (rows visibly padded) whose every cell goes
        on in lower case under a cell of the row above: text cells wrapped all at once."""
        filled = [c for c in range(n) if cells[c]]
        return threshold is not None and pitches[i - 1] < threshold and all(rows[-1][c] and words_text(cells[c])[:1].islower() for c in filled)

    def label_over(i: int) -> bool:
        """A line holding only a label that reads on into the label of the next line, which
        holds figures and is no first sub-row of a group (the line under it is not indented
        as it is): a label wrapped over its row's figures, set beside its last line."""
        if not _label_over_figures(line_cells, i) or not line_cells[i + 1][0]:
            return False
        label, below = line_cells[i][0], line_cells[i + 1][0]
        if i + 2 < len(line_cells) and line_cells[i + 2][0] and abs(line_cells[i + 2][0][0].x0 - below[0].x0) < 0.2 * below[0].size:
            return False
        return _reads_on(words_text(label), words_text(below))

    edges = [cells[0][0].x0 for cells in line_cells if cells[0]]

    def aligned(x: float) -> bool:
        """Do other labels start where this one does (labels set flush left, not centred)?"""
        return sum(1 for e in edges if abs(e - x) <= 0.5) >= 2

    def outdented(i: int) -> bool:
        """A label starting left of its row's first label by 0.3 em or more, both at edges other
        labels share: a wrapped label's lines are flush or indented under its first, never out to
        the left of it, so the line heads a row of its own one level up the hierarchy."""
        first, label = line_cells[starts[-1]][0], line_cells[i][0]
        if not first or not label or not rows[-1][0]:
            return False
        return first[0].x0 - label[0].x0 >= 0.3 * label[0].size and aligned(first[0].x0) and aligned(label[0].x0)

    def goes_on(cells: list[list[Word]]) -> bool:
        """Does every filled cell of a line go on from the cell above it in the row so far: each
        a bracketed part under a figure ('53.7' over '(10.1)'), or each reading on with one at
        least in lower case ('Superior' over 'pancreaticoduodenal artery', a name over '2017
        [33]')? Cells wrapped in centred columns, not the first line of a row centred on its line."""
        filled = [c for c in range(n) if cells[c]]
        if not all(rows[-1][c] for c in filled):
            return False
        texts = {c: words_text(cells[c]) for c in filled}
        if all(_bracket_under(rows[-1][c][-1], texts[c]) for c in filled):
            return True
        return any(texts[c][:1].islower() for c in filled) and all((_label_reads_on if c == 0 else _reads_on)(rows[-1][c][-1], texts[c]) for c in filled)

    parted = _bands_of(body_lines, across or [])

    def same_row(i: int, cells: list[list[Word]]) -> bool:
        if parted[i] != parted[i - 1]:
            return False  # a rule across the table between them (one under a group of rows too)
        if bands is not None and bands[i] == bands[i - 1] and bands[i] in one_row:
            return True  # a band with one line that opens a row: one row, a term wrapped beside its definition
        if solid and not cells[0]:  # ruled or shaded rows, each one or two full lines: a band is a row, wrapped lines and all
            return bands[i] == bands[i - 1]  # type: ignore[index]
        if hanging(i, cells) or wraps_on(cells) or (starts[-1] == i - 2 and centred(i - 2)):
            return True
        if dense[i]:  # a row's own line, unless a centred cell's first line opened the row, or it wraps every cell at the wrapped pitch
            return (not has_dense[-1] and (bands is None or bands[i] == bands[i - 1])) or wraps(i, cells) or opened(i)
        if outdented(i) and not _label_reads_on(rows[-1][0][-1], words_text(cells[0])):
            return False  # a label set left of its row's label: a row a level up ('Sex, by race' under a sub-row's wrapped label)
        if (leads(i) or centred(i)) and not goes_on(cells):
            return False  # (not when its cells go on from the cells above: centred columns wrapped)
        if bands is not None:
            return bands[i] == bands[i - 1]
        if _label_over_figures(line_cells, i) and _has_figures(line_cells[starts[-1]]) and not (rows[-1][0] and _label_reads_on(rows[-1][0][-1], words_text(cells[0]))):
            return False  # a label of its own between rows of figures (a section row, or a label wrapped over its row's figures), not a line of the complete row above
        if threshold is not None:
            return pitches[i - 1] < threshold
        if apart is not None and pitches[i - 1] > apart:
            return False  # set a wide gap below the line above
        filled = [c for c in range(n) if cells[c]]
        if not all(rows[-1][c] for c in filled) or all(LIST_ITEM.match(words_text(cells[c])) for c in filled):
            return False  # a cell of its own, or items of lists ("- Workload", "2. Weak referrals")
        if not cells[0]:
            return True
        # A label's next line: it cannot open a row ('[25]', 'artery', '2014' under a name).
        first, above = words_text(cells[0]), rows[-1][0][-1] if rows[-1][0] else ""
        return first[:1].islower() or first.startswith(("(", "[")) or _number_under_words(above, first) or (_label_only(cells) and _unfinished(above))

    # Lines in a band of their own row: rules or shading round one line that fills the row.
    drawn = {i for i, band in enumerate(bands or []) if own_lines[band] == 1}
    has_dense: list[bool] = []  # per row: its own (dense) line is read (else a centred cell's first line opened it)
    for i, cells in enumerate(line_cells):
        if rows and same_row(i, cells):
            has_dense[-1] = has_dense[-1] or dense[i]
            members[-1].append(i)
            for c in range(n):
                if cells[c]:
                    rows[-1][c].append(words_text(cells[c]))
            spans_y[-1][1] = max(spans_y[-1][1], body_lines[i].bottom)
        else:
            starts.append(i)
            members.append([i])
            rows.append([[words_text(cell)] if cell else [] for cell in cells])
            spans_y.append([body_lines[i].top, body_lines[i].bottom])
            has_dense.append(dense[i] or not (leads(i) or centred(i) or solid or label_over(i)))
    _row_spanned(rows, spans_y, columns, row_rules or [], cell_rules or [])
    header = [""] * n
    if header_lines:
        stacked: list[list[str]] = [[] for _ in range(n)]
        split = _header_phrases(header_lines, body_lines, columns)
        if tight and split:  # over tightly set figures the last header line's words are set as tightly
            split[-1] = [[w for w in p if _column_of((w.x0 + w.x1) / 2, bounds) == c] for p in split[-1] for c in sorted({_column_of((w.x0 + w.x1) / 2, bounds) for w in p})]
        # From the lowest line up: a cell's upper line heads the columns its line under it heads.
        heads: dict[int, list[int]] = {}
        for k in reversed(range(len(split))):
            line = split[k]
            below = [p for lower in split[k + 1 :] for p in lower if min(w.top for w in p) > max(w.bottom for w in line[0]) - 1]
            level = line + [p for j, other in enumerate(split) if j != k and _staggered(other, line) for p in other]
            for phrase in line:
                under = _stacked_on(phrase, line, split[k + 1]) if k + 1 < len(split) else None
                heads[id(phrase)] = _spanned(phrase, columns, bounds, verticals, spans or [], level, below, split[:k], heads[id(under)] if under else None)
        for line in split:
            for phrase in line:
                for c in heads[id(phrase)]:
                    stacked[c].append(words_text(phrase))
        header = [join_lines(parts) for parts in stacked]
    return Grid(
        header=header,
        rows=[[join_lines(parts) for parts in row] for row in rows],
        columns=columns,
        row_spans=[(a, b) for a, b in spans_y],
        header_span=(min(ln.top for ln in header_lines), max(ln.bottom for ln in header_lines)) if header_lines else None,
        merged_labels=_merged_labels(members, line_cells, drawn),
        ruled=solid and drawn_cells,
    )
