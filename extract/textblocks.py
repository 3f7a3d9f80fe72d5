"""Tables found from the text itself, where no rules bound them.

Rules are a strong cue but many tables have none, or only one under the header. Here a table
is a run of lines whose words fall into the same columns: each line is cut into segments at
gaps wider than an em (a column gutter; word spaces are a third of an em), and a line with two
or more segments that are not running text is a *row line*. Consecutive row lines (with the
odd one-segment line between them: a section row, a wrapped label) form a block when their
gutters line up into at least two columns that most rows fill. A "Table N" caption right above
a block anchors it (its top is the caption's bottom, so header lines with one spanning phrase
are kept); notes, prose, another caption or a wide gap end it. A single rule inside the block
bounds its header; otherwise the header is the lines above the first line with figures.

Unlike camelot's stream/network flavors and tabula's Nurminen detector, which look for text
edges across the whole page and extend them up to the nearest text, this works line by line in
the page's own text columns, so a table in one column of two is bounded by its column and
prose beside it stays out; figures (many curves or strokes in the box) are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from curate.extract.grid import find_columns, phrases
from curate.extract.layout import SMALL, WORD_GAP, BBox, Line, Word
from curate.extract.regions import CAPTION, CONTINUED, FIGURE, NOTE, NOTED, NUMBER_LIKE, Rule, caption_end, column_part, is_prose_run

#: A gap between words wider than this many ems is a column gutter.
GUTTER_EM = 1.0
#: Within a block, columns are split at white space this many ems wide that no body word
#: crosses (as in :func:`curate.extract.grid.find_columns`'s default).
COLUMN_GAP_EM = 0.5
#: A block needs at least this many row lines (with a "Table N" caption right above: two).
MIN_ROWS = 3
_LETTERS = re.compile(r"[^\W\d_]{3,}")  # a word of three letters or more
#: A year ("2009", "2010:"): a figure that heads columns as often as it fills them.
YEAR = re.compile(r"^(?:19|20)\d\d\W*$")


@dataclass(slots=True)
class TextBlock:
    """A table found from its text: its box and, when known, where its header ends."""

    bbox: BBox
    header_bottom: float | None
    captioned: bool
    #: Indices of the ``taken`` boxes this block swallows: a ruled header band (a top rule and
    #: a rule under the header, no bottom rule) whose body runs on below it.
    swallows: list[int]
    #: Index of the ``taken`` box whose header stands above its top rule, under the caption
    #: (a continuation page's repeated header): that box is to start at this block's top, and
    #: the block is not a table of its own.
    raises: int | None = None
    #: Index of the ``taken`` box whose last edge is shading and whose rows the block runs on
    #: past it (an unshaded last row of a zebra table): the box is to end at this block's bottom.
    lowers: int | None = None


def _is_number(text: str) -> bool:
    return bool(NUMBER_LIKE.match(text))


def _opens_with_figure(cell: list[Word]) -> bool:
    """Does a cell open with a figure, a currency sign set a space before it too ("$ 71.15")?"""
    return _is_number(" ".join(w.text for w in cell[:2]).lstrip("$€£¥ "))


def _column_width(lines: Sequence[Line]) -> float:
    """The width of the page's text column: the upper quartile of long segments' widths."""
    widths = sorted(s[-1].x1 - s[0].x0 for ln in lines for s in phrases(ln, GUTTER_EM) if len(s) >= 6)
    return widths[(3 * len(widths)) // 4] if widths else 1e9


@dataclass(slots=True)
class _Row:
    line: Line
    cells: list[list[Word]]
    prose: list[tuple[float, float]]

    @property
    def x0(self) -> float:
        return min(s[0].x0 for s in self.cells)

    @property
    def x1(self) -> float:
        return max(s[-1].x1 for s in self.cells)

    @property
    def top(self) -> float:
        """The top of its cells (its line may also hold the other column's prose, set higher)."""
        return min(w.top for s in self.cells for w in s)

    @property
    def bottom(self) -> float:
        return max(w.bottom for s in self.cells for w in s)


def graphics(page: Any) -> list[BBox]:
    """Boxes of drawing strokes that are not horizontal or vertical rules: a figure's marks."""
    out = []
    for obj in list(getattr(page, "curves", [])) + list(page.lines):
        if obj["x1"] - obj["x0"] > 2.5 and obj["bottom"] - obj["top"] > 2.5:
            out.append((obj["x0"], obj["top"], obj["x1"], obj["bottom"]))
    return out


def drawn_over(box: BBox, strokes: Sequence[BBox]) -> bool:
    """Does a box hold a figure's drawing: five or more strokes (:func:`graphics`) inside it?"""
    return sum(1 for f in strokes if _overlaps(f, box, 0.9)) >= 5


def _overlaps(a: BBox, b: BBox, share: float) -> bool:
    """Does ``a`` overlap ``b`` over at least ``share`` of the smaller box's area?"""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return False
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h >= share * max(small, 1e-6)


def find_text_tables(page: Any, lines: Sequence[Line], rules: Sequence[Rule], taken: Sequence[BBox], shaded: Sequence[bool] = (), open_bottom: Sequence[bool] = ()) -> list[TextBlock]:
    """Tables on a page found from the alignment of their words, outside the boxes ``taken``.

    A taken box bounded only by shading (zebra rows) is swallowed by a block that runs past
    it: the header above the first shaded row and an unshaded last row belong to the table.
    A box whose last edge is shading (``open_bottom``) is lowered to the bottom of a block
    that runs on below it.
    """
    if not lines:
        return []
    width = _column_width(lines)
    page_top = min(ln.top for ln in lines)
    rows: list[_Row] = []
    for ln in lines:
        segs = phrases(ln, GUTTER_EM)
        prose = [(s[0].x0, s[-1].x1) for s in segs if is_prose_run(s, width)]
        rows.append(_Row(ln, [s for s in segs if not is_prose_run(s, width)], prose))
    captions = [ln for ln in lines if CAPTION.match(ln.text) or any(CAPTION.match(" ".join(w.text for w in s)) for s in phrases(ln, 1.2))]
    blocks: list[list[_Row]] = []
    used: set[int] = set()
    # A page with no running text and no ruled box (a table set with one header rule filling
    # it) is one text column as wide as its lines: a label column left of the first header line joins.
    text_columns = _text_columns(rows) or ([] if taken else [(min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))])
    heads = {id(c) for c in captions}
    for start, row in enumerate(rows):
        # (a caption set with a hanging indent, its label a gutter from its text, is no row)
        if len(row.cells) < 2 or id(row.line) in used or id(row.line) in heads or ends_table(row.cells):
            continue
        block = _grow(rows, start, text_columns)
        used.update(id(r.line) for r in block)
        if block:
            blocks.append(block)
    found: list[TextBlock] = []
    figures = graphics(page)

    def keep(made: TextBlock, held: list[TextBlock]) -> None:
        """Add ``made`` in place of the blocks it holds (a table's spanning header lines, read
        as a block of their own before the lines that span the whole table)."""
        found[:] = [f for f in found if not any(f is h for h in held)]
        found.append(made)

    for block in (part for whole in blocks for part in _stacked(whole, rules)):
        made = _accept(block, lines, rules, captions, figures, page_top)
        if made is None:
            continue
        held = [f for f in found if _overlaps(made.bbox, f.bbox, 0.3)]
        if not all(_holds(made.bbox, f.bbox) for f in held):
            continue
        hit = [i for i, t in enumerate(taken) if _overlaps(made.bbox, t, 0.3)]
        if not hit and made.captioned:  # a repeated header whose last lines fill one column each ends above the box
            hit = [i for i, t in enumerate(taken) if _header_above(t, made.bbox, reach=5 * _line_height(block))]
        # A header above a ruled box's top rule, under its caption or atop a page (a
        # continuation's repeated header), belongs to the box.
        if len(hit) == 1:
            i, box = hit[0], taken[hit[0]]
            up = (made.captioned or made.bbox[1] <= page_top) and _header_above(box, made.bbox, reach=5 * _line_height(block))
            down = i < len(open_bottom) and open_bottom[i] and made.bbox[1] < box[3] < made.bbox[3] - 2 and _as_wide(box, made.bbox)
            swallow = i < len(shaded) and shaded[i] and _inside(box, made.bbox)
            if up or (down and not swallow):
                made.raises, made.lowers = (i if up else None), (i if down else None)
                keep(made, held)
                continue
        bands = [i for i in hit if _header_band(taken[i], made.bbox)]
        if all(i in bands or (i < len(shaded) and shaded[i] and _inside(taken[i], made.bbox)) for i in hit):
            if bands:
                made.header_bottom = max(taken[i][3] for i in bands)
            made.swallows = hit
            keep(made, held)
    return found


def _stacked(block: list[_Row], rules: Sequence[Rule]) -> list[list[_Row]]:
    """A block of tables set one under another, each with its header over a rule across it
    (drawn, or typed as a line of dashes), is cut above each later one's header: the lines over
    its rule after the last blank line (at most three; the rows above run on solid at their
    pitch), when rows of cells stand under the rule before it and under its own (a rule over
    a last 'Total' row heads nothing)."""
    x0, x1 = min(r.x0 for r in block), max(r.x1 for r in block)
    across = sorted(r.y for r in rules if not r.shade and block[0].line.top < r.y < block[-1].line.bottom and min(r.x1, x1) - max(r.x0, x0) >= 0.5 * (x1 - x0))
    pitch = median(r.line.bottom - r.line.top for r in block)
    cuts = [0]
    for above, y in zip(across, across[1:]):
        last = max(i for i, r in enumerate(block) if r.line.bottom <= y)
        start = next((i for i in range(last, max(last - 3, cuts[-1]), -1) if _gap(block, i) >= 0.8 * pitch), None)
        if start is None:
            continue
        before = sum(1 for r in block[cuts[-1] : start] if r.line.top > above and len(r.cells) >= 2)
        after = sum(1 for r in block if r.line.top > y and len(r.cells) >= 2)
        if before >= 2 and after >= 2:
            cuts.append(start)
    return [block[a:b] for a, b in zip(cuts, [*cuts[1:], len(block)])]


def _holds(outer: BBox, inner: BBox, tol: float = 2.0) -> bool:
    """Does ``outer`` hold all of ``inner``, and more?"""
    within = outer[0] - tol <= inner[0] and outer[1] - tol <= inner[1] and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol
    return within and (outer[2] - outer[0]) * (outer[3] - outer[1]) > (inner[2] - inner[0]) * (inner[3] - inner[1])


def _inside(inner: BBox, outer: BBox, tol: float = 4.0) -> bool:
    """Does ``inner`` lie within ``outer``'s height and over most of its width (shading may
    run past the text)?"""
    across = min(inner[2], outer[2]) - max(inner[0], outer[0])
    return outer[1] - tol <= inner[1] and inner[3] <= outer[3] + tol and across >= 0.5 * (outer[2] - outer[0])


def _as_wide(box: BBox, block: BBox) -> bool:
    width = block[2] - block[0]
    return abs(box[0] - block[0]) < 0.1 * width + 5 and abs(box[2] - block[2]) < 0.1 * width + 5


def _header_above(box: BBox, block: BBox, reach: float = 0.0) -> bool:
    """Does a captioned block start a line or more above a ruled box as wide, and run down into
    it (or end at most ``reach`` above it): the box's header printed between the caption and
    its first rule?"""
    aligned = _as_wide(box, block) and block[1] < box[1] - 10
    return aligned and (box[1] < block[1] + 0.5 * (block[3] - block[1]) or 0 <= box[1] - block[3] <= reach)


def _line_height(block: list[_Row]) -> float:
    return median(r.line.bottom - r.line.top for r in block)


def _header_band(band: BBox, block: BBox) -> bool:
    """Is a ruled box the header band of a block found from its text: as wide, at its top, and
    much shorter (the body runs on below the band's lower rule)?"""
    return (
        abs(band[0] - block[0]) < 0.1 * (block[2] - block[0]) + 5
        and abs(band[2] - block[2]) < 0.1 * (block[2] - block[0]) + 5
        and band[1] <= block[1] + 0.25 * (block[3] - block[1])
        and band[3] - band[1] < 0.4 * (block[3] - block[1])
    )


def _text_columns(rows: list[_Row]) -> list[tuple[float, float]]:
    """The page's columns of running text: a left edge that three lines of prose or more share,
    to the upper quartile of those lines' right edges (a lone wide line, a title, moves neither)."""
    by_left: list[list[tuple[float, float]]] = []  # left edges within 2 pt of a run's first
    for a, b in sorted(span for r in rows for span in r.prose):
        if by_left and a - by_left[-1][0][0] < 2:
            by_left[-1].append((a, b))
        else:
            by_left.append([(a, b)])
    columns = []
    for spans in by_left:
        if len(spans) >= 3:
            rights = sorted(b for _, b in spans)
            columns.append((min(a for a, _ in spans), rights[(3 * len(rights)) // 4]))
    return columns


def _grow(rows: list[_Row], start: int, text_columns: Sequence[tuple[float, float]]) -> list[_Row]:
    """The row lines that follow ``rows[start]`` in the same columns, up to a break.

    Cells count near the block's width so far, or anywhere in a text column (a line of prose,
    ``text_columns``) that holds the block: a label column missing from the block's first line
    (a header label centred between that line and the next) joins it, the other column's words
    of a two-column page do not."""
    first = rows[start]
    block = [first]
    x0, x1 = first.x0, first.x1
    pitch = first.line.bottom - first.line.top
    sparse = apart = 0

    def in_column(s: list[Word]) -> bool:
        a, b = min(x0, s[0].x0), max(x1, s[-1].x1)
        return any(c0 - pitch <= a and b <= c1 + pitch for c0, c1 in text_columns)

    def near(s: list[Word]) -> bool:
        return (s[-1].x1 > x0 - 2 * pitch and s[0].x0 < x1 + 2 * pitch) or in_column(s)

    for row in rows[start + 1 :]:
        last = block[-1].line
        if row.line.top - last.bottom > 2.2 * pitch + 2:
            break
        cells = _reached([s for s in row.cells if near(s)], row, text_columns, pitch, rows)
        if not cells or (len(cells) == 1 and (cells[0][0].x0 > x1 or cells[0][-1].x1 < x0) and not in_column(cells[0])):
            continue  # a line of another column (a lone run of words wholly beside the block: a paragraph's last word)
        if len(cells) < 2 and any(a < x1 and b > x0 for a, b in row.prose):
            break  # running text across the block: it has ended (beside cells, a long cell)
        if ends_table(cells):
            break
        beside = min(row.line.bottom, last.bottom) - max(row.line.top, last.top) > 0.5 * pitch  # the same row, set a little lower
        if len(cells) < 2 and not beside:
            sparse += 1
            apart += row.line.top - last.bottom > 0.8 * pitch
            # Lines set solid under one another (no blank line) are a cell's wrapped lines and
            # section labels, a few in a row; lines further apart, at most two (a cell's lines
            # centred in a tall row begin a row space below the last row's wrapped lines).
            if sparse > 5 or apart > 2:
                break
        else:
            sparse = apart = 0
        block.append(_Row(row.line, cells, row.prose))
        if len(cells) >= 2:
            x0, x1 = min(x0, min(s[0].x0 for s in cells)), max(x1, max(s[-1].x1 for s in cells))
    last_row = max((i for i, r in enumerate(block) if len(r.cells) >= 2), default=-1)
    return block[: last_row + 1 + _wrapped_tail(block, last_row)]


def _reached(kept: list[list[Word]], row: _Row, text_columns: Sequence[tuple[float, float]], pitch: float, rows: Sequence[_Row]) -> list[list[Word]]:
    """The cells of a line (``row``) kept for a block, and those right of them that its kept
    cells reach through gaps no wider than the widest between them, running out of the column
    of running text that holds the block into no other that runs beside the line (prose on the
    page's ``rows`` within two line pitches of it): a full-width table's last columns over the
    empty half of a two-column page, or over both columns of a page whose columns start under
    it (a float atop the page), never another column's words."""
    if len(kept) < 2 or not text_columns:
        return kept
    out = sorted(kept, key=lambda s: s[0].x0)
    right = sorted((s for s in row.cells if s[0].x0 > out[-1][-1].x1), key=lambda s: s[0].x0)
    if not right:
        return out
    widest = max(b[0].x0 - a[-1].x1 for a, b in zip(out, out[1:]))
    own = [(c0, c1) for c0, c1 in text_columns if c0 - pitch <= out[0][0].x0 and out[-1][-1].x1 <= c1 + pitch]
    line = row.line
    beside = [span for r in rows if r.line.bottom > line.top - 2 * pitch and r.line.top < line.bottom + 2 * pitch for span in r.prose]
    running = [(c0, c1) for c0, c1 in text_columns if (c0, c1) not in own and any(min(b, c1) - max(a, c0) > pitch for a, b in beside)]
    for s in right:
        beyond = all(s[-1].x1 > c1 + pitch for _, c1 in own)
        other = any(c0 - pitch < s[-1].x1 and s[0].x0 < c1 + pitch for c0, c1 in running)
        if (not own and running) or not beyond or other or s[0].x0 - out[-1][-1].x1 > widest:
            break
        out.append(s)
    return out


def _gap(block: list[_Row], i: int) -> float:
    return block[i].line.top - block[i - 1].line.bottom


def _step(block: list[_Row], i: int) -> float:
    """How far line ``i`` stands below the line above, top to top; cells of that row set a
    little lower beside it (a cell holding an exponent, whose taller line box lowers its
    baseline) count from the row's first line: boxes measure glyphs, and lines of figures or
    lower-case words are shorter than a row's."""
    j = i - 1
    while j > 0 and _gap(block, j) <= -0.5 * (block[j].line.bottom - block[j].line.top):
        j -= 1
    return block[i].line.top - block[j].line.top


def _wrapped_tail(block: list[_Row], last_row: int) -> int:
    """How many of the one-cell lines after the block's last row of cells are that row's cells
    wrapped on: each set under a cell of the row (or of its lines above), no further below the line above than the
    block's wrapped lines are (a table's notes stand further off)."""
    if last_row < 0:
        return 0
    pitch = block[last_row].line.bottom - block[last_row].line.top
    # (a line with a negative gap is a cell of the row above set a little lower, beside it)
    inner = [_step(block, i) for i in range(1, last_row + 1) if len(block[i].cells) < 2 and _gap(block, i) > -0.5 * pitch]
    if not inner:
        # No wrapped lines to measure by: one line under the row's first cell, indented (a
        # label's hanging indent) and set clearly closer than the rows are, is that label's.
        rows = [_step(block, i) for i in range(1, last_row + 1) if len(block[i].cells) >= 2]
        if not rows or last_row + 1 >= len(block) or len(block[last_row + 1].cells) != 1:
            return 0
        label, line = block[last_row].cells[0], block[last_row + 1].cells[0]
        indented = label[0].x0 + 0.5 * pitch <= line[0].x0 < label[-1].x1
        return int(indented and _step(block, last_row + 1) <= 0.8 * median(rows))
    reach = median(inner) + 0.15 * pitch
    cells = list(block[last_row].cells)
    # The one-cell lines set as close above it are the row's too (a label wrapped on three
    # lines, vertically centred in a row whose other cells fill one).
    above = last_row
    while above > 0 and len(block[above - 1].cells) < 2 and _step(block, above) <= reach:
        above -= 1
        cells += block[above].cells
    n = 0
    for i in range(last_row + 1, len(block)):
        beside = _gap(block, i) <= -0.5 * pitch
        under = all(any(s[0].x0 < c[-1].x1 and c[0].x0 < s[-1].x1 for c in cells) for s in block[i].cells)
        if not beside and (not under or _step(block, i) > reach):
            break
        cells += block[i].cells
        n += 1
    return n


def _keys_a_mark(runs: list[list[Word]]) -> bool:
    """A legend line: a mark with no letter or figure ('(:)', '*', '..') and then what it means
    in words ('Not available.')."""
    mark = "".join(w.text for w in runs[0])
    return len(runs) >= 2 and not any(ch.isalnum() for ch in mark) and any(_LETTERS.search(w.text) for s in runs[1:] for w in s)


def ends_table(cells: list[list[Word]]) -> bool:
    """A caption, or notes (a footnote mark or 'Note' opening a run of words), not a row."""
    text = " ".join(w.text for w in cells[0])
    return bool(CAPTION.match(text) or FIGURE.match(text) or (NOTE.match(text) and len(cells[0]) >= 3))


def _accept(block: list[_Row], lines: Sequence[Line], rules: Sequence[Rule], captions: list[Line], figures: list[BBox], page_top: float) -> TextBlock | None:
    """The block as a table, when its lines form columns that most of its rows fill.

    The lines between a caption right above it, or the top of the page, and its first row
    of cells are its header (a continuation page's repeated header has no caption)."""
    x0, x1 = min(r.x0 for r in block), max(r.x1 for r in block)
    top, bottom = block[0].line.top, block[-1].line.bottom
    size = median(w.size for r in block for s in r.cells for w in s)
    # The nearest "Table N" line above (a sentence of the prose above may start with "Table 4").
    caption = max((c for c in captions if c.x0 < x1 and c.x1 > x0 and _heads(c.bottom, top, lines, x0, x1, size)), key=lambda c: c.bottom, default=None)
    multi = [r for r in block if len(r.cells) >= 2]
    if len(multi) < (2 if caption else MIN_ROWS):
        return None
    header_bottom = _header_bottom(block, rules, x0, x1)
    # Columns from the body only: a header's spanning phrases bridge the gutters under them.
    below = [r for r in block if header_bottom is None or r.line.top > header_bottom]
    body = [Line([w for s in r.cells for w in s]) for r in (below if len(below) >= 2 else block)]
    columns = find_columns(body, [], COLUMN_GAP_EM)
    if len(columns) < 2:
        return None
    filled = [sum(1 for ln in body if any(a - 1 <= (w.x0 + w.x1) / 2 <= b + 1 for w in ln.words)) for a, b in columns]
    if not caption and sum(1 for f in filled if f >= 0.5 * len(body)) < 2:  # a caption vouches for sparse rows
        return None
    # (counted against the rows under the header: a table of one column of figures has one a row)
    numeric = sum(1 for r in block for s in r.cells if _opens_with_figure(s))
    if not caption and numeric < sum(1 for r in multi if header_bottom is None or r.line.top > header_bottom):
        return None  # no caption and few figures: more likely a list, a form or a figure's labels
    box = (x0, top, x1, bottom)
    if drawn_over(box, figures):
        return None
    anchor = caption.bottom if caption is not None else page_top - 0.5
    if caption is not None or _heads(anchor, top, lines, x0, x1, size):  # header lines above the first row of cells are kept
        # (only their part over the block: a line of the column beside may share their baseline)
        # (a header line set half a line above the first, centred on a taller header cell, too)
        above = sorted((part for ln in lines if anchor < ln.top < top - 1 and (part := column_part(ln, x0, x1)) is not None), key=lambda ln: ln.top)
        # The caption's wrapped lines, notes, a headnote and a unit note belong to the caption.
        kept = above[caption_end(caption, above, columns, (x0, x1)) :]
        if kept and header_bottom is None:
            # Those lines are the header (its cells set too close to part as a row), but for a
            # label alone at the left just above the first row: a section row ('Primary outcome').
            j = len(kept)
            while j > 1 and len(phrases(kept[j - 1], GUTTER_EM)) == 1 and kept[j - 1].x0 < x0 + 0.1 * (x1 - x0):
                j -= 1
            header_bottom = (kept[j - 1].bottom + (kept[j].top if j < len(kept) else top)) / 2
        top = min([ln.top for ln in kept] + [top])
    elif header_bottom is not None and header_bottom > top:
        # A header cell's first line set solid right above the header's first line, alone over
        # a column past the first ('One Withholding' over 'Allowance'): the header's.
        first = block[0].line
        head = [p for ln in lines if 0 <= first.top - ln.bottom <= 0.3 * size and (p := column_part(ln, x0, x1)) is not None]
        if len(head) == 1 and len(phrases(head[0], GUTTER_EM)) == 1 and head[0].x0 >= columns[0][1]:
            top, x1 = head[0].top, max(x1, head[0].x1)
    return TextBlock((x0 - 1, top - 1, x1 + 1, bottom + 1), header_bottom, caption is not None, [])


def _heads(anchor: float, top: float, lines: Sequence[Line], x0: float, x1: float, size: float) -> bool:
    """Does a caption (its bottom at ``anchor``; or the top of the page) stand right above a
    block: at most three lines between them (header lines whose cells are set too close to be
    read as a row), none further apart than a blank line?"""
    if not 0 <= top - anchor:
        return False
    between = sorted((ln for ln in lines if anchor < ln.top and ln.bottom <= top + 1 and ln.x1 > x0 and ln.x0 < x1), key=lambda ln: ln.top)
    edges = [anchor, *(ln.top for ln in between), top]
    return len(between) <= 3 and all(b - a <= 3.5 * size for a, b in zip(edges, edges[1:]))


def _header_bottom(block: list[_Row], rules: Sequence[Rule], x0: float, x1: float) -> float | None:
    """Where the header ends: a rule across the block under its first line (shading edges are
    not rules: zebra bands start anywhere), else above the first line whose cells (past the
    first) hold figures."""
    top, bottom = block[0].line.top, block[-1].line.bottom
    width = x1 - x0
    across = [r for r in rules if not r.shade and top < r.y < bottom and min(r.x1, x1) - max(r.x0, x0) >= 0.5 * width]
    if across:
        return min(r.y for r in across)
    def stubless(r: _Row) -> bool:
        return r.cells[0][0].x0 > x0 + 0.1 * width
    for i, r in enumerate(block[:5]):
        if any(_opens_with_figure(s) for s in r.cells[1:]):
            later = [b for b in block[i + 1 :] if len(b.cells) >= 2]
            # A header's second line (units or an index under each label, or years under a
            # line of spanners): body rows have their label.
            heads = not stubless(block[i - 1]) or all(YEAR.match(w.text) for s in r.cells for w in s)
            if i and stubless(r) and heads and later and sum(not stubless(b) for b in later) > 0.5 * len(later):
                continue
            # One label alone at the left just above the first row of figures opens a section
            # ("Demographics"): it is a body row, not the header's last line.
            while i > 1 and len(block[i - 1].cells) == 1 and block[i - 1].cells[0][0].x0 < x0 + 0.1 * width:
                i -= 1
            return (block[i - 1].bottom + block[i].top) / 2 if i else None
    return None


#: Values stated in words ("χ2 = 5.28, v = 3, p = 0.15"): under a table's label column, a note.
_STATED = re.compile(r"=\s*[<>]?\d.*=\s*[<>]?\d")


def runs_on_below(box: BBox, body_top: float, lines: Sequence[Line]) -> bool:
    """Does the table read in ``box`` (its body from ``body_top``) go on below it?

    It does when the first line under its last line, no further below it than its own lines
    are apart (at most two lines), is no caption, notes, "continued" or prose, and sets each of
    its runs of words under one of the table's columns: a wrapped cell's last line, or rows
    the box left out.
    """
    x0, top, x1, bottom = box
    parts = sorted((row for ln in lines if (p := column_part(ln, x0, x1)) is not None for row in _rows_held(p)), key=lambda p: p.top)
    inside = [p for p in parts if max(top, body_top) < (p.top + p.bottom) / 2 < bottom]
    below = [p for p in parts if p.top >= bottom - 1 and (p.top + p.bottom) / 2 > bottom]
    if len(inside) < 2 or not below:
        return False
    pitch = median(p.bottom - p.top for p in inside)
    gaps = [b.top - a.bottom for a, b in zip(inside, inside[1:]) if b.top - a.bottom > -0.5 * pitch]
    nearest = below[0]
    if nearest.top - max(p.bottom for p in inside) > min(max(gaps, default=0.0), 2 * pitch) + 0.5 * pitch:
        return False
    runs = phrases(nearest, GUTTER_EM)
    # Notes ('Notes.', a key or a source in any case, a footnote opening with a raised mark:
    # '¹ Except ...') and '(continued on next page)' are no rows left out.
    if NOTED.match(nearest.text) or CONTINUED.search(nearest.text) or ends_table(runs) or _keys_a_mark(runs):
        return False
    if nearest.words[0].superscript and nearest.words[0].size < SMALL * nearest.size:
        return False
    columns = _cell_columns(find_columns(inside, [], COLUMN_GAP_EM), inside)
    # Running text starts under the table's first column; a long cell's line under a later column
    # is no prose. Nor is a note there (a sentence: 'See notes at end of table.', '— Not
    # available.'; a test's results).
    first = not columns or runs[0][0].x0 < columns[0][1]
    if len(runs) == 1 and first and (is_prose_run(runs[0], _column_width(lines)) or runs[0][-1].text.endswith(".") or _STATED.search(nearest.text)):
        return False

    def under_one(s: list[Word]) -> bool:
        """Under one column, or in the table's width where its rows so far left a column empty
        (a long word may run past its column's edges)."""
        over = [(a, b) for a, b in columns if s[0].x0 < b and s[-1].x1 > a]
        if not over:
            return x0 <= s[0].x0 and s[-1].x1 <= x1
        return len(over) == 1 or (len(s) == 1 and any(a <= (s[0].x0 + s[0].x1) / 2 <= b for a, b in over))

    # A run that crosses a gutter of the table at a gap much wider than its word spaces is two
    # cells set close (two CIs in tight columns), not one phrase spanning them.
    gutters = [(b, a) for (_, b), (a, _) in zip(columns, columns[1:])]
    space = _word_space(inside)
    segments = [piece for s in phrases(nearest, COLUMN_GAP_EM) for piece in _cut_at(s, gutters, space)]
    return any(s[0].x0 < b and s[-1].x1 > a for s in segments for a, b in columns) and all(map(under_one, segments))


def _cell_columns(columns: list[tuple[float, float]], lines: Sequence[Line]) -> list[tuple[float, float]]:
    """The columns, two joined where a line of the table sets words across their gutter as
    evenly as on either side of it (a justified label, a figure with its unit spaced out: one
    cell's word spaces, not a gutter between cells)."""
    gutters = [(b, a) for (_, b), (a, _) in zip(columns, columns[1:])]
    out = list(columns[:1])
    for a, b in columns[1:]:
        g0, g1 = out[-1][1], a
        if any(_even_across(ln.words, g0, g1, gutters) for ln in lines):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _even_across(words: list[Word], g0: float, g1: float, gutters: Sequence[tuple[float, float]]) -> bool:
    """Do three words in a row stand as far apart (within a tenth of an em) across the gutter
    [g0, g1] as beside it, the other gap over none of the ``gutters``?"""
    for u, v, w in zip(words, words[1:], words[2:]):
        for (p, q), (r, t) in (((u, v), (v, w)), ((v, w), (u, v))):
            over = p.x1 < g1 and q.x0 > g0
            inner = not any(r.x1 < h1 and t.x0 > h0 for h0, h1 in gutters)
            if over and inner and abs((q.x0 - p.x1) - (t.x0 - r.x1)) <= 0.1 * q.size:
                return True
    return False


#: A gap between words in a gutter of a table's columns wider than this many word spaces
#: parts two cells (:func:`runs_on_below`).
WIDE_SPACE = 1.5


def _word_space(lines: Sequence[Line]) -> float:
    """The table's own word space, in ems: the median gap between words within its cells' runs."""
    gaps = [(b.x0 - a.x1) / b.size for ln in lines for s in phrases(ln, COLUMN_GAP_EM) for a, b in zip(s, s[1:]) if b.x0 > a.x1]
    return median(gaps) if gaps else float("inf")


def _cut_at(run: list[Word], gutters: Sequence[tuple[float, float]], space: float) -> list[list[Word]]:
    """A run of words cut at each gap over one of the ``gutters`` that is wider than
    :data:`WIDE_SPACE` word spaces: the table's (``space`` ems, in the run's type) and the
    run's own elsewhere (a line of prose, evenly spaced, is never cut)."""
    pairs = list(zip(run, run[1:]))
    over = [any(a.x1 < g1 and b.x0 > g0 for g0, g1 in gutters) for a, b in pairs]
    own = [b.x0 - a.x1 for (a, b), o in zip(pairs, over) if not o]
    out = [[run[0]]]
    for (a, b), o in zip(pairs, over):
        if o and b.x0 - a.x1 > WIDE_SPACE * max(space * b.size, median(own) if own else 0.0):
            out.append([b])
        else:
            out[-1].append(b)
    return out


def _rows_held(part: Line) -> list[Line]:
    """The rows a line's part holds, top to bottom: its words grouped where their heights
    overlap (a raised mark joins its row). The page's line may fold a row set in smaller type
    into the other column's prose line beside it, and with it the next row (layout's small
    groups beside a line): each row is judged on its own."""
    rows: list[list[Word]] = []
    reach = 0.0
    for w in sorted(part.words, key=lambda w: w.top):
        if rows and w.top < reach:
            rows[-1].append(w)
            reach = max(reach, w.bottom)
        else:
            rows.append([w])
            reach = w.bottom
    if len(rows) == 1:
        return [part]
    return [Line(_rejoined(sorted(r, key=lambda w: w.x0))) for r in rows]


def _rejoined(words: list[Word]) -> list[Word]:
    """A row's words, those that touch (no word space between them) in the same type joined
    again: glyphs of two rows folded into one line interleave, and split each other's words."""
    out = [words[0]]
    for w in words[1:]:
        a = out[-1]
        if w.x0 - a.x1 <= WORD_GAP * w.size and w.size == a.size:
            out[-1] = Word(a.text + w.text, a.x0, max(a.x1, w.x1), min(a.top, w.top), max(a.bottom, w.bottom), a.size, a.superscript and w.superscript)
        else:
            out.append(w)
    return out


def runs_on_beside(box: BBox, body_top: float, lines: Sequence[Line], others: Sequence[BBox] = ()) -> bool:
    """Does the table read in ``box`` (its body from ``body_top``) run on past its side: on
    half its body lines or more, words stand outside the box within a wide gutter (four ems) of
    its edge, and none of them is running text (the other column of a two-column page)?

    Words inside another table's box (``others``) are that table's when both boxes head their
    rows with labels (tables set side by side, each read whole); a box beside one whose rows
    start with figures is still one table cut in two.
    """
    x0, top, x1, bottom = box
    body = [ln for ln in lines if max(top, body_top) < (ln.top + ln.bottom) / 2 < bottom and ln.x1 > x0 and ln.x0 < x1]
    if len(body) < 3:
        return False
    width = _column_width(lines)
    neighbours = [b for b in others if b[1] < bottom and b[3] > top and (b[0] >= x1 - 1 or b[2] <= x0 + 1)]
    tables = [b for b in neighbours if _labelled(b, lines)] if neighbours and _labelled(box, lines) else []

    def theirs(s: list[Word]) -> bool:
        cx, cy = (s[0].x0 + s[-1].x1) / 2, (s[0].top + s[-1].bottom) / 2
        return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in tables)

    def runs_on(line: Line) -> bool:
        out = [s for s in phrases(line, GUTTER_EM) if (s[0].x0 >= x1 - 1 or s[-1].x1 <= x0 + 1) and not theirs(s)]
        near = [s for s in out if min(abs(s[0].x0 - x1), abs(x0 - s[-1].x1)) <= 4 * line.size]
        return bool(near) and not any(is_prose_run(s, width) for s in out)

    return sum(map(runs_on, body)) >= 0.5 * len(body)


def _labelled(box: BBox, lines: Sequence[Line]) -> bool:
    """Do the rows in ``box`` start with a label (a word, not a figure) on most of its lines?"""
    x0, top, x1, bottom = box
    firsts = [ws[0].text for ln in lines if top < (ln.top + ln.bottom) / 2 < bottom and (ws := [w for w in ln.words if x0 - 1 <= w.x0 and w.x1 <= x1 + 1])]
    return len(firsts) >= 3 and sum(not _is_number(t) for t in firsts) >= 0.75 * len(firsts)
