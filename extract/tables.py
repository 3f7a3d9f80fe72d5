"""Every table of a paper PDF, with provenance: find, read, score, stitch.

For each ruled table box (see :mod:`curate.extract.regions`) curate's own extractor
(:mod:`curate.extract.grid`) reads the cells; when its quality score is not convincing, the peers
(pdfplumber's table finder, then camelot's lattice and stream flavors) read the same box and
the best-scoring reading wins. A table whose box ends a page and continues at the top of
the next page with the same columns is stitched into one table, its repeated header dropped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any

from curate.extract.grid import LEADER, build_grid, find_columns, phrases, without_leaders, words_text
from curate.extract.layout import BBox, Line, glyph_lines, grouped_figures, page_glyphs, page_lines, running_furniture
from curate.extract.peers import Candidate, camelot_candidates, pdfplumber_candidates, plumber_page
from curate.extract.quality import CUT_NARROW_REASON, CUT_SHORT, CUT_SHORT_REASON, LOW, UNHEADED, assess, header_lacking, header_printed_before, is_numeric, prose_share, repeated_groups
from curate.extract.regions import CAPTION, CONTINUED, NOTE, Region, Rule, Vertical, assign_captions, caption_end, caption_heads, column_part, drawn_on_below, group_rules, horizontal_rules, is_prose_run, is_underline, line_runs, names_table, typed_rule, vertical_rules
from curate.extract.settings import ExtractSettings
from curate.extract.textblocks import COLUMN_GAP_EM, GUTTER_EM, YEAR, TextBlock, drawn_over, ends_table, find_text_tables, graphics, runs_on_below, runs_on_beside

#: An uncaptioned box in one column of two is kept as a table only when read at least this well.
GRID_LIKE = 0.8
#: Own readings at or above this score are kept without asking the (slower) peers: only a
#: reading the score calls low (a warning in the summary) is worth a second opinion. (Measured
#: on the seeds, the corpus articles and the zoo, no peer beat a reading scored 0.8 or more.)
CONFIDENT = LOW
#: How much better a peer's reading must score to replace curate's own.
MARGIN = 0.05


@dataclass(slots=True)
class TablePart:
    """Where a piece of a table is printed."""

    page: int
    bbox: BBox


@dataclass(slots=True)
class RowBox:
    """Where one body row is printed: page and (x0, top, x1, bottom)."""

    page: int
    bbox: BBox


@dataclass(slots=True)
class Table:
    """One table as printed: a header (one string per column) and its body rows."""

    header: list[str]
    rows: list[list[str]]
    parts: list[TablePart]
    extractor: str
    settings: dict[str, Any]
    score: float
    caption: str | None = None
    #: One per body row (empty when the extractor that won gives no row positions).
    row_boxes: list[RowBox] = field(default_factory=list)
    header_box: RowBox | None = None
    #: Why the score is below 1, in plain words (empty for a clean reading).
    reasons: list[str] = field(default_factory=list)
    #: Column boxes (x0, x1) of curate's own reading of its last part (empty when a peer's won):
    #: the column model of its continuation on the next page.
    columns: list[tuple[float, float]] = field(default_factory=list, repr=False)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.header)


@dataclass(slots=True)
class _PageInfo:
    number: int
    height: float
    last_body_bottom: float
    first_body_top: float


def _lines_between(lines: list[Line], x0: float, x1: float, top: float, bottom: float) -> list[Line]:
    return [ln for ln in lines if top < (ln.top + ln.bottom) / 2 < bottom and ln.x1 > x0 - 1 and ln.x0 < x1 + 1]


def _ruled_lines(glyphs: list[dict[str, Any]], bbox: BBox, verticals: list[Vertical]) -> list[Line]:
    """The lines inside a ruled box, no word running across a vertical rule where that rule is
    drawn: a cell spanning columns, under which a rule stops, keeps its words whole. The box is
    read in bands over which the same rules run."""
    x0, top, x1, bottom = bbox

    def barriers(y: float) -> list[float]:
        return sorted({round(x, 1) for x, vt, vb in verticals if vt <= y <= vb})

    ends = sorted({y for _, vt, vb in verticals for y in (vt, vb) if top < y < bottom})
    pieces = list(zip([top, *ends], [*ends, bottom]))
    edges, drawn = [top], barriers((pieces[0][0] + pieces[0][1]) / 2)
    for a, b in pieces[1:]:
        if barriers((a + b) / 2) != drawn:
            edges.append(a)
            drawn = barriers((a + b) / 2)
    edges.append(bottom)
    # The box's glyphs, found once, by the height of their middle: a band's are a slice of
    # them (put back in the page's order, which reading them into lines keeps). The test is
    # layout's _inside (centre in the box), inline as it keeps the centre's height to sort by.
    held = sorted((y, i) for i, c in enumerate(glyphs) if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (y := (c["top"] + c["bottom"]) / 2) <= bottom)
    heights = [y for y, _ in held]

    def band(a: float, b: float) -> list[dict[str, Any]]:
        return [glyphs[i] for i in sorted(i for _, i in held[bisect_left(heights, a) : bisect_right(heights, b)])]

    lines = grouped_figures([ln for a, b in zip(edges, edges[1:]) for ln in glyph_lines(band(a, b), barriers=barriers((a + b) / 2))])
    return sorted(lines, key=lambda ln: (round(ln.bottom, 1), ln.x0))


def _cell_rules(region: Region, header_bottom: float | None) -> list[Rule]:
    """The rules inside a grid's body (three vertical rules or more, its sides counted) that
    run from one vertical rule, or a side, to another: a grid whose cells span rows draws a
    row's rule only under the cells that end there, never across the whole table."""
    xs = [v[0] for v in region.verticals] + [region.bbox[0], region.bbox[2]]  # the box's sides (its frame) bound cells too
    if len({round(x) for x in xs}) < 3:
        return []
    top, bottom = region.rules[0].y, region.rules[-1].y

    def on_rule(x: float) -> bool:
        return any(abs(x - v) <= 2 for v in xs)

    return [r for r in region.rules if top + 1 < r.y < bottom - 1 and (header_bottom is None or r.y > header_bottom + 1) and not r.shade and on_rule(r.x0) and on_rule(r.x1)]


def _spanner_bands(inside: list[Line], ys: list[float], verticals: list[Vertical]) -> float:
    """Where a grid's header ends when its top band holds cells that span columns: the band
    under such a band (ruled into the cells its spanners stand over, a vertical rule of it
    inside their cells, and holding words but no figure other than a year) is the header's too
    ('THRESHOLD FOR RELEASES' over 'to air | to water | to land'), and so on down. When only
    some of the band's cells span ('Change' over '% points | period' beside 'Source'), the
    band under must also leave its first cell empty: a body row has a label there.
    ``ys``: the full-width rules, top first (the second ends the top band)."""

    def band(a: float, b: float) -> list[Line]:
        return [ln for ln in inside if a < (ln.top + ln.bottom) / 2 < b]

    def drawn(a: float, b: float) -> list[float]:
        return sorted({v[0] for v in verticals if v[1] <= a + 2 and v[2] >= b - 2})

    k = 1
    while k + 2 < len(ys) and band(ys[k + 1], ys[-1]):
        top, below = band(ys[k - 1], ys[k]), band(ys[k], ys[k + 1])
        edges, under = drawn(ys[k - 1], ys[k]), drawn(ys[k], ys[k + 1])
        if not top or not below or len(edges) < 2 or any(is_numeric(w.text) and not YEAR.match(w.text) for ln in below for w in ln.words):
            break
        cells = [(a, b) for a, b in zip(edges, edges[1:]) if any(a < (w.x0 + w.x1) / 2 < b for ln in top for w in ln.words)]
        spanning = [any(a + 2 < x < b - 2 for x in under) for a, b in cells]
        no_label = len(under) >= 2 and not any((w.x0 + w.x1) / 2 < under[1] for ln in below for w in ln.words)
        if not any(spanning) or not (all(spanning) or no_label):
            break
        k += 1
    return ys[k]


def _own_candidate(
    region: Region, glyphs: Callable[[], list[dict[str, Any]]], lines: list[Line], settings: ExtractSettings, others: Sequence[BBox] = (), columns: list[tuple[float, float]] | None = None
) -> tuple[Candidate | None, list[str], float | None, list[tuple[float, float]]]:
    """Read a ruled box with curate's grid builder; also return the box's printed words, where
    its header ends and its column boxes. ``columns``: those of the part it continues.

    In a box with vertical rules the lines are rebuilt so that no word spans a rule (tight
    grids print neighbouring cells closer than a word space).
    """
    x0, top, x1, bottom = region.bbox
    inside = _lines_between(lines, x0, x1, top, bottom)
    # Lines that run on past the box into no other ruled box are another column's text on the
    # same baselines (a table in one column of two): when they are many, the lines are rebuilt
    # inside the box. (Boxes side by side are read whole: often one table with broken rules.)
    def elsewhere(w: Any) -> bool:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        return not x0 - 2 <= cx <= x1 + 2 and not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in others)

    outside = sum(1 for ln in inside for w in ln.words if elsewhere(w))
    region.in_column = outside > 0.2 * sum(len(ln.words) for ln in inside)
    if region.verticals or region.in_column or region.side_by_side:
        lines = _ruled_lines(glyphs(), (x0 - 1, top - 1, x1 + 1, bottom + 1), region.verticals)
        inside = _lines_between(lines, x0, x1, top, bottom)
    else:  # a few lines share a baseline with the other column's: its runs of words are left out
        inside = [Line(kept) for ln in inside if (kept := [w for run in line_runs(ln) if not all(map(elsewhere, run.words)) for w in run.words])]
    # A line of dashes typed as a rule is no text, and dot leaders only lead the eye to the figures.
    inside = [Line(kept) for ln in inside if typed_rule(ln) is None and (kept := [w for w in ln.words if not LEADER.fullmatch(w.text)])]
    words = _printed_words(inside)
    rules = region.rules
    width = x1 - x0
    # The top rule opens the box whatever its width (a header shaded cell by cell draws its top
    # edge in pieces): the first full-width rule under it ends the header.
    full = [r for r in rules if r is rules[0] or r.x1 - r.x0 >= 0.95 * width]
    header_bottom = None
    solid = full[:1] + [r for r in full[1:] if not r.dotted]
    if len(full) >= 3 and len(solid) >= 2 and _lines_between(lines, x0, x1, solid[1].y, bottom):
        # The first full-width solid rule under the top one ends the header; a band of spanning
        # cells goes on into the band under it.
        header_bottom = _spanner_bands(inside, [r.y for r in solid], region.verticals)
    elif len(full) == 2 and full[1] is not rules[-1] and 0 < len(_lines_between(lines, x0, x1, full[0].y, full[1].y)) <= 3 and _lines_between(lines, x0, x1, full[1].y, bottom):
        header_bottom = full[1].y  # a top rule and one under the header; the rules below (between row groups, at a bottom left open) are narrower
    elif len(full) < 3:
        # No full-width rule under the header, only partial ones near the top (rules drawn
        # under the header cells that have them, spanning headers): the lowest ends the header.
        inner = [r.y for r in rules[1:-1]]
        upper = [y for y in inner if y < top + 0.4 * (bottom - top) and _lines_between(lines, x0, x1, top, y)]
        bands = list(zip([top, *upper], upper))
        short = all(len(_lines_between(lines, x0, x1, a, b)) <= 2 for a, b in bands)  # header bands: a line or two each
        if upper and short and len(upper) == len(inner) and len(_lines_between(lines, x0, x1, max(upper), bottom)) >= 2:
            header_bottom = max(upper)
    # (a line's middle: a re-embedded font's deeper descent may hang its box past the rule)
    header_lines = [ln for ln in inside if header_bottom is not None and (ln.top + ln.bottom) / 2 < header_bottom]
    body = [ln for ln in inside if ln not in header_lines]
    cell_rules = _cell_rules(region, header_bottom)
    ruled = sorted({r.y for r in full[1:-1] if header_bottom is None or r.y > header_bottom + 1} | {r.y for r in cell_rules})
    notes = next((i for i, ln in enumerate(body) if i and NOTE.match(ln.text) and ends_table(phrases(ln, GUTTER_EM))), None)
    # The last bands between rules across the box, each a paragraph (its lines start at one
    # edge, the first a line of prose over half the box's width): notes too, not rows.
    for y, below in zip(reversed(ruled), [bottom, *reversed(ruled)]):
        band = [i for i, ln in enumerate(body) if i and y < (ln.top + ln.bottom) / 2 < below]
        if not band or notes is not None and band[0] >= notes:
            continue
        runs = line_runs(body[band[0]])
        if not (len(runs) == 1 and is_prose_run(runs[0].words, width) and runs[0].x1 - runs[0].x0 > 0.5 * width) or any(abs(body[i].x0 - runs[0].x0) > 2 for i in band):
            break
        notes = band[0]
    if notes is not None:  # the table's notes, printed above its bottom rule, are not rows
        region.notes_top = body[notes].top - 0.5
        body = body[:notes]
        words = _printed_words(header_lines + body)  # the notes' words are no cells either
    if len(body) < settings.min_rows:
        return None, words, header_bottom, []
    in_header = [r for r in rules if header_bottom is not None and top < r.y < header_bottom]
    spans = [(r.x0, r.x1, r.y) for r in in_header if r.x1 - r.x0 < 0.95 * width]
    partial = [(r.x0, r.x1, r.y) for r in cell_rules if r.x1 - r.x0 < 0.95 * width]
    grid = build_grid(header_lines, body, region.verticals, settings.min_gutter_em, sorted({*ruled, *region.bands}), spans, columns, ruled, partial)
    if grid is None or len(grid.columns) < settings.min_cols:
        return None, words, header_bottom, []
    cand = Candidate(
        "curate-rules",
        grid.header,
        grid.rows,
        {"min_gutter_em": settings.min_gutter_em, "found_by": region.found_by},
        row_spans=grid.row_spans,
        header_span=grid.header_span,
        merged_labels=grid.merged_labels,
        ruled=grid.ruled,
    )
    return cand, words, header_bottom, grid.columns


def _nested(group: list[Rule], verticals: list[Vertical]) -> list[list[Rule]]:
    """A grid's rules, and apart from them each table drawn inside one of its cells: a run of
    stroked rules (a cell's shading is no table) between two of the grid's, at two heights or
    more, its first and last as wide and the others within them, clear of the walls of one cell
    (vertical rules running past the run's top and bottom on either side, one of them inside
    the grid, none across the run). A form with a small table in a cell is two tables."""
    x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
    narrow = [i for i, r in enumerate(group) if 0 < i < len(group) - 1 and r.x1 - r.x0 < 0.9 * (x1 - x0) and not r.shade]
    runs: list[list[int]] = []
    for i in narrow:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    nested: list[list[Rule]] = []
    for run in runs:
        first, last = group[run[0]], group[run[-1]]
        if abs(first.x0 - last.x0) > 2 or abs(first.x1 - last.x1) > 2 or last.y - first.y < 2:
            continue
        if any(group[i].x0 < first.x0 - 2 or group[i].x1 > first.x1 + 2 for i in run):
            continue
        walls = [x for x, top, bottom in verticals if top < first.y - 2 and bottom > last.y + 2 and x0 - 2 <= x <= x1 + 2]
        left, right = [x for x in walls if x < first.x0 - 2], [x for x in walls if x > first.x1 + 2]
        if not left or not right or any(first.x0 - 2 <= x <= first.x1 + 2 for x in walls):
            continue
        if x0 + 2 < max(left) < x1 - 2 or x0 + 2 < min(right) < x1 - 2:
            nested.append([group[i] for i in run])
    if not nested:
        return [group]
    inner = {id(r) for run in nested for r in run}
    return [[r for r in group if id(r) not in inner], *nested]


def _regions(page: Any, number: int, lines: list[Line], rules: list[Any], settings: ExtractSettings) -> list[Region]:
    """Ruled boxes holding text; a caption printed inside the box's top band is cut off."""
    verticals = vertical_rules(page)
    regions = []
    groups = [part for group in group_rules(rules, lines, verticals) for part in _nested(group, verticals)]
    boxes = [(min(r.x0 for r in g), g[0].y, max(r.x1 for r in g), g[-1].y) for g in groups]
    for k, group in enumerate(groups):
        inside = _lines_between(lines, group[0].x0, group[0].x1, group[0].y, group[-1].y)
        first = column_part(inside[0], group[0].x0, group[0].x1) if inside else None
        if first is not None and CAPTION.match(first.text):  # a top rule above the caption: the table starts under it
            below = [r for r in group if r.y > first.bottom]
            group = _raise_to_caption(below, lines, first) if below else []
        if len(group) < 2:
            continue
        if (end := drawn_on_below(group, verticals, lines)) is not None:
            group = [*group, Rule(group[-1].x0, group[-1].x1, end)]
        region = Region(number, group)
        x0, top, x1, bottom = region.bbox
        # (not those of a table drawn inside one of its cells: that table's own; its own box as
        # grouped is none, though a caption cut off or rows running on under it moved its edges)
        inner = [b for j, b in enumerate(boxes) if j != k and b != region.bbox and x0 - 2 <= b[0] and b[2] <= x1 + 2 and top - 2 <= b[1] and b[3] <= bottom + 2]
        region.verticals = [v for v in verticals if x0 - 2 <= v[0] <= x1 + 2 and v[1] < bottom and v[2] > top and not any(b[0] - 2 <= v[0] <= b[2] + 2 and b[1] - 2 <= v[1] and v[2] <= b[3] + 2 for b in inner)]
        if _lines_between(lines, x0, x1, top, bottom):
            regions.append(region)
    return regions


def _box_columns(lines: list[Line], rules: list[Rule]) -> list[tuple[float, float]]:
    """The columns of a ruled box's body (under its second rule, when it has three or more:
    a header's spanning phrases bridge the gutters under them)."""
    x0, x1 = min(r.x0 for r in rules), max(r.x1 for r in rules)
    top = rules[1].y if len(rules) >= 3 else rules[0].y
    body = [part for ln in _lines_between(lines, x0, x1, top, rules[-1].y) if (part := column_part(ln, x0, x1)) is not None]
    return find_columns(body, [], COLUMN_GAP_EM)


def _raise_to_caption(rules: list[Rule], lines: list[Line], caption: Line) -> list[Rule]:
    """The rules of a box under a caption, raised to a header set between the caption and the
    top rule: lines there that are not the caption's (:func:`caption_end`) are the table's.
    The top rule ends that header, or, when the raised lines are spanning phrases and one to
    three header lines stand under the top rule over a rule as wide, is a rule inside it."""
    x0, x1, top = min(r.x0 for r in rules), max(r.x1 for r in rules), rules[0].y
    between = sorted(
        (part for ln in _lines_between(lines, x0, x1, caption.bottom, top) if (part := column_part(ln, x0, x1)) is not None and not CAPTION.match(part.text)),
        key=lambda ln: ln.top,
    )
    ends = caption_end(caption, between, _box_columns(lines, rules), (x0, x1)) if between else 0
    if ends == len(between):
        return rules
    width = x1 - x0
    under = next((r for r in rules[1:-1] if r.x1 - r.x0 >= 0.95 * width and not r.dotted and not r.shade), None)
    spanners = all(len(line_runs(ln)) == 1 for ln in between[ends:])
    inside = under is not None and spanners and 1 <= len(_lines_between(lines, x0, x1, top, under.y)) <= 3
    return [Rule(x0, x1, between[ends].top - 0.5), *(rules[1:] if inside else rules)]


def _side_by_side(region: Region, lines: list[Line]) -> list[Region]:
    """A box found from its text under two or more "Table N" captions set side by side on one
    line is as many tables: it is cut at the gutter of its rows nearest to each later caption's
    start (between the previous caption's start and this one's end)."""
    x0, top, x1, bottom = region.bbox
    heads = caption_heads(lines, [region.bbox])[0]
    if heads is None or heads[2] != "above":
        return [region]
    caps = [run for run in line_runs(lines[heads[0]]) if run.x0 < x1 and run.x1 > x0 and CAPTION.match(run.text)]
    if len(caps) < 2:
        return [region]
    spans = sorted((w.x0, w.x1) for ln in _lines_between(lines, x0, x1, top, bottom) for w in ln.words)
    gutters: list[tuple[float, float]] = []
    end = spans[0][1] if spans else x1
    for a, b in spans[1:]:
        if a > end:
            gutters.append((end, a))
        end = max(end, b)
    cuts = []
    for prev, cap in zip(caps, caps[1:]):
        near = [g for g in gutters if prev.x0 < (g[0] + g[1]) / 2 < cap.x1]
        if not near:
            return [region]
        a, b = min(near, key=lambda g: abs((g[0] + g[1]) / 2 - cap.x0))
        cuts.append((a + b) / 2)
    return _cut(region, cuts)


def _cut(region: Region, cuts: list[float]) -> list[Region]:
    """``region`` cut at the x of each of ``cuts``: the tables set side by side in it, each
    read on its own (its lines rebuilt inside it: its neighbours' words are theirs)."""
    edges = [region.bbox[0], *cuts, region.bbox[2]]
    return [replace(region, side_by_side=True, rules=[replace(r, x0=max(r.x0, lo), x1=min(r.x1, hi)) for r in region.rules]) for lo, hi in zip(edges, edges[1:])]


def _group_cuts(own: Candidate, columns: list[tuple[float, float]], region: Region) -> list[float]:
    """Where a box without vertical rules, read as one table whose header repeats in column
    groups (:func:`quality.repeated_groups`), is cut: in the gutters between the groups, when
    their heads differ past the first ('Ward | Admissions' beside 'Ward | Referrals': tables set
    side by side without captions). Groups headed alike may be one table set in halves: that
    reading is kept, and scored low."""
    width = repeated_groups(own.header, own.rows)
    if not width or region.verticals or len(columns) != len(own.header):
        return []
    groups = [own.header[s : s + width] for s in range(0, len(columns), width)]
    if all(g == groups[0] for g in groups):
        return []
    return [(columns[s - 1][1] + columns[s][0]) / 2 for s in range(width, len(columns), width)]


def _text_region(number: int, block: TextBlock, shaded: Sequence[Region]) -> Region:
    """A table found from its text, as a region whose rules are its edges and header bottom,
    and whose bands are the edges of the ``shaded`` boxes it swallowed, inside its body and
    across it (row shading, cell by cell or whole; not one column's shading line by line)."""
    x0, top, x1, bottom = block.bbox
    inner = [Rule(x0, x1, block.header_bottom)] if block.header_bottom is not None else []
    head = top if block.header_bottom is None else block.header_bottom
    bands = sorted({r.y for reg in shaded for r in reg.rules if r.shade and head + 1 < r.y < bottom - 1 and r.x1 - r.x0 >= 0.9 * (x1 - x0)})
    return Region(number, [Rule(x0, x1, top), *inner, Rule(x0, x1, bottom)], found_by="text", bands=bands)


def _detached(lines: list[Line], furniture: set[int]) -> set[int]:
    """Running furniture but the lines set at line spacing against the body: a table's header
    repeated atop each page recurs like a running head, yet runs straight on into its rows."""
    body = [ln for i, ln in enumerate(lines) if i not in furniture]

    def joined(ln: Line) -> bool:
        """Is the line as close to the body's nearest line as that line is to the next line
        (any: a row taken for furniture, its figures recurring at that height, leaves no gap)?"""
        def nearest(lns: list[Line], down: bool, y: float) -> list[Line]:
            return sorted((b for b in lns if b.x0 < ln.x1 and b.x1 > ln.x0 and (b.top >= y if down else b.bottom <= y)), key=lambda b: b.top if down else -b.bottom)

        pitch = ln.bottom - ln.top
        near = []
        if below := nearest(body, True, ln.bottom):
            after = nearest(lines, True, below[0].bottom)
            near.append((below[0].top - ln.bottom, after[0].top - below[0].bottom if after else 0.0))
        if above := nearest(body, False, ln.top):
            before = nearest(lines, False, above[0].top)
            near.append((ln.top - above[0].bottom, above[0].top - before[0].bottom if before else 0.0))
        return any(gap <= max(0.6 * pitch, spacing + 1) for gap, spacing in near)

    kept = set(furniture)
    changed = True
    while changed:  # a repeated header of two lines joins the body through its second line
        changed = False
        for i in sorted(kept):
            if joined(lines[i]):
                kept.discard(i)
                body.append(lines[i])
                changed = True
    return kept


def page_furniture(pages: Sequence[list[Line]], heights: Sequence[float]) -> list[set[int]]:
    """Per page, the indices of its lines that are running heads, feet and page numbers, not
    those a table's rows run on into (:func:`_detached`)."""
    return [_detached(lines, found) for lines, found in zip(pages, running_furniture(pages, heights))]


def _body_rules(rules: list[Rule], lines: list[Line], furniture: set[int], height: float) -> list[Rule]:
    """The rules but those that set off a running head or foot: stroked, in the page's outer
    band, with only running furniture (and at least one line of it) between them and the page
    edge, the nearest within a line's height. A table starting under the running head's rule
    must not take it as its top rule."""
    def furniture_rule(r: Rule) -> bool:
        if r.shade or 0.12 * height < r.y < 0.88 * height:
            return False
        outer = [i for i, ln in enumerate(lines) if (ln.bottom <= r.y if r.y < height / 2 else ln.top >= r.y)]
        near = min((abs(r.y - (lines[i].bottom if r.y < height / 2 else lines[i].top)) - (lines[i].bottom - lines[i].top) for i in outer), default=1.0)
        return bool(outer) and all(i in furniture for i in outer) and near <= 0

    return [r for r in rules if not furniture_rule(r)]


def _long_text_cells(table: Table) -> bool:
    """Columns of running text (a two-column page between rules or shaded boxes), not cells,
    told by length alone: at most three columns whose median filled cell is over 30 characters.
    Not :func:`curate.extract.quality.prose_share` (cells of many words, few of them figures):
    an uncaptioned box is dropped on this weaker evidence, which also catches text dense with
    figures. Tried in its place, prose_share kept two pages of a chemistry paper's body text
    (NMR shifts: 'δ 166.9, 155.9, 137, ...') as tables (douglas2014)."""
    cells = sorted(len(c) for row in table.rows for c in row if c)
    return table.n_cols <= 3 and bool(cells) and cells[len(cells) // 2] > 30


def _best(own: Candidate | None, words: list[str], plumber_page: Callable[[], Any], pdf_path: str, region: Region, height: float, header_bottom: float | None, settings: ExtractSettings) -> Candidate | None:
    """Own reading if confident, else the best-scoring of own and peers' readings.

    ``plumber_page`` gives the page through pdfplumber's API, which its peers need; it is
    only called when a peer runs.
    """
    cands: list[Candidate] = []
    if own is not None:
        own.score, own.reasons = assess(own.header, own.rows, words, own.merged_labels)
        if prose_share(own.rows, own.header) >= 0.5:  # running text between rules (or in a text box) is no table
            return None
        cands.append(own)
        if own.score >= CONFIDENT:
            return own
    bbox = region.bbox
    ruled = len(region.verticals) >= 2  # lattice readers need vertical rules; skip them otherwise
    runners: list[tuple[str, Callable[[], list[Candidate]]]] = [
        ("pdfplumber-lines", lambda: pdfplumber_candidates(plumber_page(), bbox, header_bottom, "lines")),
        ("pdfplumber-text", lambda: pdfplumber_candidates(plumber_page(), bbox, header_bottom, "text")),
        ("camelot-lattice", lambda: camelot_candidates(pdf_path, region.page, height, bbox, header_bottom, "lattice")),
        ("camelot-stream", lambda: camelot_candidates(pdf_path, region.page, height, bbox, header_bottom, "stream")),
    ]
    for name, run in runners:
        if name not in settings.peers or (name.endswith("lattice") or name.endswith("lines")) and not ruled:
            continue
        for cand in run():
            cand.score, cand.reasons = assess(cand.header, cand.rows, words)
            cands.append(cand)
    cands = [c for c in cands if c.rows and len(c.header) >= settings.min_cols]
    if own is not None and len(own.rows) >= 2:  # a peer that reads one row where curate reads several has run them together
        cands = [c for c in cands if c is own or len(c.rows) >= 2]
    if own is not None and own.ruled:  # a peer that reads more rows than the drawn row bands splits cells the rules hold together
        cands = [c for c in cands if c is own or len(c.rows) <= len(own.rows)]
    if not cands:
        return None
    best = max(cands, key=lambda c: c.score)
    # A peer must beat curate's own reading clearly: near-ties go to the reading that keeps rows.
    return own if own is not None and own in cands and own.score >= best.score - MARGIN else best


def _penalise(reading: Candidate, factor: float, reason: str) -> None:
    """Scale the chosen reading's score by ``factor`` for a fault found in it, saying why."""
    reading.score, reading.reasons = round(reading.score * factor, 4), [*reading.reasons, reason]


def _looks_like_row(cells: list[str], rows: list[list[str]]) -> bool:
    """Does a would-be header read like one more body row (numbers where the body has numbers)?"""
    if not rows or not any(cells):
        return False
    for c, cell in enumerate(cells):
        column = [r[c] for r in rows if c < len(r) and r[c]]
        if column and cell and is_numeric(cell) != (sum(map(is_numeric, column)) * 2 > len(column)):
            return False
    return any(is_numeric(c) for c in cells)


def _printed_words(lines: Sequence[Line]) -> list[str]:
    """The words printed on ``lines``, a raised mark joined to its word as the cells join it
    (``kg^a``): what the quality score's word coverage counts a reading's cells against."""
    return [tok for ln in lines for tok in words_text(ln.words).split()]


def _carried_columns(prev: Table | None, prev_page: _PageInfo | None, region: Region, page: _PageInfo, caption: str | None) -> list[tuple[float, float]] | None:
    """The column boxes of the table ``region`` goes on with, when it goes on with one: curate
    read ``prev`` (the last table so far), it ends the page before, and this box is as wide and
    starts this page or is captioned "continued" (a caption of its own: another table)."""
    if prev is None or prev_page is None or not prev.columns:
        return None
    last = prev.parts[-1]
    if abs(last.bbox[0] - region.bbox[0]) > 3 or abs(last.bbox[2] - region.bbox[2]) > 3:
        return None
    return prev.columns if _goes_on(prev, prev_page, page, region.bbox[1], caption) else None


def _goes_on(prev: Table, prev_page: _PageInfo, page: _PageInfo, top: float, caption: str | None) -> bool:
    """Can a box whose top is ``top`` on ``page`` carry on ``prev`` (the table before it)? It
    has no caption of its own, or a "continued" one, is on the next page, and either says it is
    continued or the table ends one page and the box starts the next."""
    continued = bool(caption and CONTINUED.search(caption))
    last = prev.parts[-1]
    if (caption and not continued) or last.page != page.number - 1:
        return False
    return continued or (last.bbox[3] >= prev_page.last_body_bottom - 2 and top <= page.first_body_top + 2)


def _continuation(prev: Table, table: Table, prev_page: _PageInfo, page: _PageInfo) -> tuple[list[list[str]], list[RowBox]] | None:
    """The rows (and their boxes) ``table`` adds to ``prev`` when it continues it on the next page.

    It continues when it starts the next page, ``prev`` ends its page, the column counts
    agree, and it has no caption of its own (or a "continued" caption) and either repeats
    the header, has none, or has a first row that the rule under it mistook for a header.
    """
    if table.n_cols != prev.n_cols or not _goes_on(prev, prev_page, page, table.parts[0].bbox[1], table.caption):
        return None
    if table.caption or not any(table.header) or table.header == prev.header:
        return table.rows, table.row_boxes
    if _looks_like_row(table.header, prev.rows):
        head = [table.header_box] if table.header_box and table.row_boxes else []
        return [table.header, *table.rows], head + table.row_boxes
    return None


def extract_tables(
    pdf: Any,  # extract.fastpage.FastDocument or pdfplumber.PDF: pages with chars, lines, rects, curves
    pdf_path: str,
    settings: ExtractSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    pages: Sequence[list[Line]] | None = None,
    furniture: Sequence[set[int]] | None = None,
) -> list[Table]:
    """All tables of an open PDF, in reading order, multi-page tables stitched.

    ``pages`` are the PDF's lines per page and ``furniture`` their :func:`running_furniture`,
    when the caller already has them (``pages`` may keep them on disk: each page's lines are
    asked for in turn).
    """
    settings = settings or ExtractSettings()
    raw_lines = pages if pages is not None else [page_lines(p) for p in pdf.pages]
    running = furniture if furniture is not None else running_furniture(raw_lines, [p.height for p in pdf.pages])
    tables: list[Table] = []
    infos: dict[int, _PageInfo] = {}
    for idx, page in enumerate(pdf.pages):
        number = idx + 1
        page_raw = grouped_figures(raw_lines[idx])  # one line for each of raw_lines[idx], in order
        drop = _detached(page_raw, running[idx])
        lines = [ln for i, ln in enumerate(page_raw) if i not in drop]
        infos[number] = _PageInfo(
            number,
            page.height,
            max((ln.bottom for ln in lines), default=0.0),
            min((ln.top for ln in lines), default=page.height),
        )
        drawn = _body_rules(horizontal_rules(page, settings.min_rule_length), page_raw, drop, page.height)
        rules = [r for r in drawn if not is_underline(r, drawn, page_raw)]
        page_tables: list[Table] = []
        in_column: list[bool] = []
        # The peers read the PDF's own page: on a page turned upright (extract.upright) their
        # boxes are not ours, so curate's own reading is the only one.
        own_settings = replace(settings, peers=()) if getattr(page, "turn", 0) else settings
        # Inside a ruled box every line is table content, even one that recurs at the same
        # place on every page like a running head (a header repeated on continuation pages).
        regions = _regions(page, number, page_raw, rules, settings)
        # Lines typed as rules (a typewriter's dashes) part a text table's header as drawn rules do.
        as_rules = [typed_rule(ln) for ln in lines]
        typed = [r for r in as_rules if r is not None]
        text = [ln for ln, r in zip(lines, as_rules) if r is None]
        blocks = find_text_tables(page, text, sorted([*rules, *typed], key=lambda r: r.y), [r.bbox for r in regions], [all(r.shade for r in reg.rules) for reg in regions], [reg.rules[-1].shade for reg in regions])
        for b in blocks:
            if b.raises is not None:  # the header above the first rule belongs to the ruled box
                reg = regions[b.raises]
                x0, x1 = reg.rules[0].x0, reg.rules[0].x1
                # Its header ends where the block's does (a section row may stand above the first shaded band).
                under = [Rule(x0, x1, b.header_bottom)] if b.header_bottom is not None and b.header_bottom < reg.rules[0].y - 1 else []
                reg.rules = [Rule(x0, x1, b.bbox[1]), *under, *reg.rules]
            if b.lowers is not None:  # an unshaded last row under the last shaded band
                reg = regions[b.lowers]
                reg.rules = [*reg.rules, Rule(reg.rules[0].x0, reg.rules[0].x1, b.bbox[3])]
        swallowed = {i for b in blocks for i in b.swallows}
        made = [part for b in blocks if b.raises is None and b.lowers is None for part in _side_by_side(_text_region(number, b, [regions[i] for i in b.swallows]), lines)]
        regions = [r for i, r in enumerate(regions) if i not in swallowed] + made
        for region, above in zip(regions, caption_heads(lines, [r.bbox for r in regions])):
            if above is not None and above[2] == "above" and region.found_by == "rules":
                region.rules = _raise_to_caption(region.rules, lines, above[1])
        plumber = cache(partial(plumber_page, page))  # made when a peer first reads the page
        glyphs = cache(partial(page_glyphs, page))  # prepared once, when a box's lines are first rebuilt
        first_captions = assign_captions(lines, [r.bbox for r in regions])
        todo = list(zip(regions, first_captions))
        while todo:
            region, first_caption = todo.pop(0)
            others = [r.bbox for r in regions if r is not region]
            carried = _carried_columns(tables[-1] if tables else None, infos.get(number - 1), region, infos[number], first_caption[0] if first_caption else None)
            own, words, header_bottom, columns = _own_candidate(region, glyphs, page_raw, settings, others, carried)
            if own is not None and carried is None and (cuts := _group_cuts(own, columns, region)):
                pieces = _cut(region, cuts)  # tables side by side: each read on its own
                at = regions.index(region)
                regions[at : at + 1] = pieces
                todo[:0] = [(piece, None) for piece in pieces]
                continue
            if carried and own is not None and not any(own.header):  # read under the header of the table it goes on with (printed on its first page)
                own.header = list(tables[-1].header)
                words = words + [tok for h in own.header for tok in h.split()]
            # An uncaptioned box in one column of two is most often a figure's frame: not worth
            # the peers' time (it is kept only if curate's own reading is grid-like).
            lone = region.in_column and assign_captions(lines, [region.bbox])[0] is None
            best = _best(own, words, plumber, pdf_path, region, page.height, header_bottom, replace(own_settings, peers=()) if lone else own_settings)
            if best is not None:
                x0, _, x1, _ = region.bbox
                boxes = [RowBox(number, (x0, t, x1, b)) for t, b in best.row_spans]
                head = RowBox(number, (x0, best.header_span[0], x1, best.header_span[1])) if best.header_span else None
                part = TablePart(number, region.table_bbox)
                body_top = part.bbox[1] if header_bottom is None else header_bottom
                # Judged on the reading chosen, not in the choice: the peers read the same box
                # under the same header line, so none can mend a header the box lacks.
                if lacking := header_lacking(best.header, best.rows):
                    _penalise(best, UNHEADED, lacking)
                if runs_on_below(part.bbox, body_top, lines):
                    _penalise(best, CUT_SHORT, CUT_SHORT_REASON)
                if runs_on_beside(part.bbox, body_top, lines, others):
                    _penalise(best, CUT_SHORT, CUT_NARROW_REASON)
                header, rows = [without_leaders(c) for c in best.header], [[without_leaders(c) for c in row] for row in best.rows]
                page_tables.append(Table(header, rows, [part], best.extractor, best.settings, best.score, caption=None, row_boxes=boxes, header_box=head, reasons=best.reasons, columns=columns if best is own else []))
                in_column.append(region.in_column)
        captions = assign_captions(lines, [t.parts[0].bbox for t in page_tables])
        # A box in one column of two, without a caption and not read as a grid of cells, is a
        # figure's frame or a text box.
        # A box holding a drawing (arrows, curves) is a figure, its labels no cells, unless its
        # caption says "Table" (an "Exhibit" may be a chart).
        strokes = graphics(page) if any(c is None or not names_table(c[0]) for c in captions) else []
        kept = [
            (t, c)
            for t, c, narrow in zip(page_tables, captions, in_column)
            if c is not None and names_table(c[0]) or ((c is not None or not narrow or t.score >= GRID_LIKE) and not drawn_over(t.parts[0].bbox, strokes))
        ]
        page_tables = [t for t, _ in kept]
        for table, caption in kept:
            table.caption = caption[0] if caption else None
            x0, top, x1, bottom = table.parts[0].bbox
            info = infos[number]
            info.last_body_bottom = max(info.last_body_bottom, bottom)
            if caption is None:
                info.first_body_top = min(info.first_body_top, top)
        tables.extend(page_tables)
        page.flush_cache()  # done with the page: its chars and graphics are not kept (flat memory)
        if progress:
            progress(number, len(pdf.pages))
    return _stitch(tables, infos) if settings.stitch_pages else tables


def _stitch(tables: list[Table], infos: dict[int, _PageInfo]) -> list[Table]:
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        more = _continuation(prev, table, infos[prev.parts[-1].page], infos[table.parts[0].page]) if prev else None
        if prev is not None and more is not None:
            rows, boxes = more
            prev.rows.extend(rows)
            prev.row_boxes = prev.row_boxes + boxes if prev.row_boxes and boxes else []
            prev.parts.extend(table.parts)
            score, reasons = header_printed_before(table.score, table.reasons) if any(prev.header) and not any(table.header) else (table.score, table.reasons)
            prev.score = round(min(prev.score, score), 4)
            prev.reasons = list(dict.fromkeys(prev.reasons + reasons))
            continue
        out.append(table)
    # Uncaptioned boxes that did not continue a table: keep only what looks like a table.
    return [t for t in out if t.caption is not None or (t.n_rows >= 2 and not _long_text_cells(t))]
