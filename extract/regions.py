"""Where the tables are on a page: groups of horizontal rules, and their captions.

Journal tables are mostly ruled with horizontal lines only (booktabs: a top rule, a rule
under the header, a bottom rule) or with a full grid. Either way, rules of the same width
stacked on a page bound a table. A rule with no text between it and the table's next rule
(the line under a running header, a figure frame) is not part of the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from curate.extract.layout import BBox, Line, Word

Vertical = tuple[float, float, float]  # (x, top, bottom) of a vertical rule
P = TypeVar("P")  # a piece of a rule (join_pieces)

#: A line that opens a table's caption: "Table 2", "TABLE IV", and numbers with a letter before or
#: after them ("Table A.2:", "Table S1", "Table 2a", "Appendix Table 3", "eTable 1") or numbered
#: by chapter ("Table 5-3", "Table 2.1"); reports number their tables as exhibits ("Exhibit 9",
#: "Exhibit 2.2."), and their charts too (:func:`names_table`). A letter
#: alone is no number ("Table A shows ..." is prose); a line that matches is a caption only
#: where it sits at a table (:func:`assign_captions`).
CAPTION = re.compile(
    r"^(?:(?:Supplementary|Supplemental|Appendix|Annex)\s+)?(?P<kind>e?Table|Tab\.|Exhibit)\s*[:.]?\s*"
    r"(?P<num>(?-i:[A-Z]{1,2})[-.–]?\d+[a-z]?|\d+(?:[-.–]\d+)*[a-z]?|(?-i:[IVXLC]+))\b",
    re.I,
)


def names_table(caption: str) -> bool:
    """Does a caption say its box is a table ("Table 3"), not only an exhibit, which may be a
    chart: a box holding a drawing under an "Exhibit N" caption is a figure."""
    label = CAPTION.match(caption)
    return label is not None and label.group("kind").lower() != "exhibit"


FIGURE = re.compile(r"^(?:Fig\.|Figure|FIGURE)\s*\d+", re.I)
_NOTE_OPENS = r"[∗*†‡§¶]|(?:Notes?|Abbreviations?|Source|Values)\b"
#: The first line of a table's notes: a footnote mark, or a word that opens notes.
NOTE = re.compile(rf"^(?:{_NOTE_OPENS})")
#: :data:`NOTE`, or a key, notes or sources with a colon in any case ("KEY:", "SOURCE:"): the
#: line under a table's last line that is its notes, not rows left out. (NOTE stays narrower:
#: between two rules, prose after such a line would be taken for notes, not for the text that
#: parts two tables.)
NOTED = re.compile(rf"^(?:{_NOTE_OPENS}|(?i:Key|Legend|Notes?|Sources?)\s*:)")
#: A caption or a line that says the table goes on: "(continued)", "Table 2 cont.", "(cont'd)", "contd".
CONTINUED = re.compile(r"\bcont(?:inued\b|\.|['’]?d\b)", re.I)


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule: a stroked line or a thin filled rectangle."""

    x0: float
    x1: float
    y: float
    #: The edge of a filled band (row or cell shading), not a stroked rule.
    shade: bool = False
    #: Drawn as dots or short dashes (a light row separator, never the rule under a header).
    dotted: bool = False


@dataclass(slots=True)
class Region:
    """A ruled table area on one page (``rules`` top to bottom, the first and last bound it)."""

    page: int
    rules: list[Rule]
    verticals: list[Vertical] = field(default_factory=list)
    #: The page's lines run on past the box (it stands in one column of two): its lines are
    #: rebuilt inside it, and it is kept as a table only with a "Table N" caption or a
    #: confident reading.
    in_column: bool = False
    #: Where the table's notes start, when they are printed above its bottom rule: the table
    #: ends there.
    notes_top: float | None = None
    #: How the table was found: "rules", or "text" (:mod:`curate.extract.textblocks`; its rules are
    #: drawn at the block's edges and under its header).
    found_by: str = "rules"
    #: Cut from a box found from its text under captions set side by side: one table of
    #: several on the same rows, its lines rebuilt inside it (its neighbours' words are theirs).
    side_by_side: bool = False
    #: A table found from its text: the edges of the shaded bands inside it (shaded rows or
    #: cells), which part rows as ruled rows do (a wrapped label's lines stay one row).
    bands: list[float] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        return (min(r.x0 for r in self.rules), self.rules[0].y, max(r.x1 for r in self.rules), self.rules[-1].y)

    @property
    def table_bbox(self) -> BBox:
        """The box of the table itself: the ruled box without the notes at its foot."""
        x0, top, x1, bottom = self.bbox
        return (x0, top, x1, min(bottom, self.notes_top)) if self.notes_top is not None else (x0, top, x1, bottom)


def horizontal_rules(page: Any, min_length: float) -> list[Rule]:
    """Horizontal strokes, hairline rectangles and flat curves at least ``min_length`` wide,
    once the pieces of a rule drawn cell by cell are joined."""
    found: list[Rule] = []
    for obj in list(page.lines) + list(page.rects) + list(page.curves):
        height = abs(obj["bottom"] - obj["top"])
        if obj["x1"] > obj["x0"] and height <= 2.5:  # short pieces too: a rule drawn cell by cell
            found.append(Rule(obj["x0"], obj["x1"], (obj["top"] + obj["bottom"]) / 2))
    rects = page_rects(page)
    for i, rect in enumerate(rects):  # the edges of a box or of a shaded band (row shading, caption box)
        if rect["x1"] - rect["x0"] >= 0.95 * page.width and rect["bottom"] - rect["top"] >= 0.5 * page.height:
            continue  # a page background or frame, not a table
        # Narrow ones too: a row's shading drawn cell by cell is joined below, then measured.
        if rect["x1"] - rect["x0"] > 2.5 and rect["bottom"] - rect["top"] > 2.5:
            for y in (rect["top"], rect["bottom"]):
                if not any(_paints_over(later, rect, y) for later in rects[i + 1 :]):
                    found.append(Rule(rect["x0"], rect["x1"], y, shade=True))
    out = []
    for pieces in join_pieces(found, lambda r: (r.y, r.x0, r.x1)):
        first, lengths = pieces[0], [r.x1 - r.x0 for r in pieces]
        rule = Rule(first.x0, max(r.x1 for r in pieces), first.y, all(r.shade for r in pieces), len(lengths) >= 5 and max(lengths) < 3)
        if rule.x1 - rule.x0 >= min_length:
            out.append(rule)
    return out


def join_pieces(pieces: Sequence[P], at: Callable[[P], Vertical]) -> list[list[P]]:
    """The pieces of rules (``at``: a piece's position across the rule, its start and its end
    along it) grouped into the rules they draw, in either direction: pieces at one position
    (within a point of the first) whose ends meet (a gap of at most 2 points) are one rule
    drawn cell by cell, or stroked twice. Each group is in order along its rule; the groups
    are in order of position, then start."""
    rows: list[list[P]] = []
    for piece in sorted(pieces, key=lambda p: at(p)[0]):
        if rows and abs(at(piece)[0] - at(rows[-1][0])[0]) < 1.0:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    joined: list[list[P]] = []
    for row in rows:
        end = None
        for piece in sorted(row, key=lambda p: at(p)[1]):
            _, start, stop = at(piece)
            if end is not None and start <= end + 2:
                joined[-1].append(piece)
                end = max(end, stop)
            else:
                joined.append([piece])
                end = stop
    return joined


def one_phrase(words: Sequence[Word]) -> bool:
    """Are these words of a line set as one phrase: no gap between two of them as wide as an em
    (a table's cells stand further apart)?"""
    return all(b.x0 - a.x1 < a.size for a, b in zip(words, words[1:]))


def is_underline(rule: Rule, rules: Sequence[Rule], lines: Sequence[Line]) -> bool:
    """Is a stroked rule the underline of a run of one line's words (a heading run into the
    text: "World Resources:"), no table's rule: at the foot of the line (under its middle, at
    most a point under its box), from one word's start into another's end (a trailing colon or
    stop is often left out), those words one phrase (a table's last row set close over its
    bottom rule has gutters), alone at its height (column heads or totals underlined one by
    one stand side by side on one height) and with no rule over those words within a line
    above (a ruled cell's text set close to its bottom edge sits between two rules)?"""
    if rule.shade or any(r is not rule and abs(r.y - rule.y) < 1 for r in rules):
        return False
    for ln in lines:
        if not (ln.top + ln.bottom) / 2 < rule.y <= ln.bottom + 1:
            continue
        height = ln.bottom - ln.top
        if not any(ln.top - height <= r.y < (ln.top + ln.bottom) / 2 and r.x0 < rule.x1 and rule.x0 < r.x1 for r in rules):
            starts = [i for i, w in enumerate(ln.words) if abs(w.x0 - rule.x0) <= 1.5]
            ends = [i for i, w in enumerate(ln.words) if w.x0 < rule.x1 <= w.x1 + 1.5]
            run = ln.words[starts[0] : ends[-1] + 1] if starts and ends else []
            if run and one_phrase(run):
                return True
    return False


#: What a typewriter types a rule with: dashes, underscores, equals signs, box-drawing lines.
_TYPED_RULE = frozenset("-_=─━")


def typed_rule(line: Line) -> Rule | None:
    """A line typed as a rule (a typewriter table's line of dashes or underscores: every word a
    run of three rule characters or more, ten or more in all; runs set a space apart underline
    the column heads one by one): a rule across the line, at its middle."""
    texts = [w.text for w in line.words]
    if sum(map(len, texts)) < 10 or any(len(t) < 3 or set(t) - _TYPED_RULE for t in texts):
        return None
    return Rule(line.x0, line.x1, (line.top + line.bottom) / 2)


def page_rects(page: Any) -> list[dict[str, Any]]:
    """The page's rectangles, then the curves that trace one.

    pdfminer names a path a rectangle only when it is drawn as ``re`` or four edges closed
    once; a box closed twice ("h" then "s", which closes again) or traced corner by corner
    some other way is a "curve" to pdfplumber, while PDFium keeps one close and reports it
    as a rectangle (:mod:`curate.extract.fastpage`). Both readings must give the same rules.
    """
    return list(page.rects) + [obj for obj in page.curves if _traces_box(obj.get("pts") or [])]


def _traces_box(points: Sequence[tuple[float, float]], tol: float = 0.01) -> bool:
    """Do ``points`` (a path's end points, top down) go round an axis-aligned box, edge by
    edge, through its four corners and nowhere else?"""
    if len(points) < 5:
        return False
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    lo, hi, top, bottom = min(xs), max(xs), min(ys), max(ys)
    if hi - lo <= tol or bottom - top <= tol:
        return False
    on_corners = all(min(abs(x - lo), abs(x - hi)) <= tol and min(abs(y - top), abs(y - bottom)) <= tol for x, y in points)
    corners = {(abs(x - lo) <= tol, abs(y - top) <= tol) for x, y in points}
    straight = all(abs(a[0] - b[0]) <= tol or abs(a[1] - b[1]) <= tol for a, b in zip(points, points[1:]))
    closed = abs(points[0][0] - points[-1][0]) <= tol and abs(points[0][1] - points[-1][1]) <= tol
    return on_corners and straight and closed and len(corners) == 4


def _paints_over(later: dict[str, Any], rect: dict[str, Any], y: float) -> bool:
    """Does a filled rectangle drawn later cover the edge of ``rect`` at height ``y`` (a band
    painted over another's edge: that edge is not seen, and is no row boundary)?"""
    return bool(later.get("fill")) and later["top"] + 1 < y < later["bottom"] - 1 and later["x0"] <= rect["x0"] + 2 and later["x1"] >= rect["x1"] - 2


def vertical_rules(page: Any) -> list[Vertical]:
    """(x, top, bottom) of vertical strokes, for grids, once the pieces of a rule drawn cell by
    cell are joined (:func:`join_pieces`, as for horizontal rules)."""
    out = []
    for obj in list(page.lines) + page_rects(page):
        if obj["x1"] - obj["x0"] <= 2.5 and obj["bottom"] - obj["top"] >= 5:
            out.append(((obj["x0"] + obj["x1"]) / 2, obj["top"], obj["bottom"]))
    return [(pieces[0][0], pieces[0][1], max(v[2] for v in pieces)) for pieces in join_pieces(out, lambda v: v)]


def drawn_on_below(group: Sequence[Rule], verticals: Sequence[Vertical], lines: Sequence[Line]) -> float | None:
    """Where a ruled box's rows end when its inner vertical rules go on under its last rule (a
    total row set under the rule over it, no rule under it): the lowest end of such a rule, drawn
    in the box (a column rule, not a mark beside the table) down across the last rule (or a
    double rule's gap under it), when lines of text stand beside it there, none of them prose,
    and it runs on less than half the box's height; None when none does."""
    x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
    top, bottom = group[0].y, group[-1].y
    inner = {round(x) for x, vt, vb in verticals if x0 + 2 < x < x1 - 2 and vt < bottom - 2 and vb > top + 2}
    ends = [vb for x, vt, vb in verticals if round(x) in inner and vt <= bottom + 4 and bottom + 6 < vb < bottom + 0.5 * (bottom - top)]
    if not ends:
        return None
    end = max(ends)
    beside = [ln for ln in lines if bottom < (ln.top + ln.bottom) / 2 < end and ln.x0 < x1 and ln.x1 > x0]
    return end if beside and not any(is_prose_run(ln.words, x1 - x0) for ln in beside) else None


def _within(inner: Rule, outer: Rule, tol: float = 4.0) -> bool:
    return outer.x0 - tol <= inner.x0 and inner.x1 <= outer.x1 + tol


def group_rules(rules: list[Rule], lines: list[Line], verticals: Sequence[Vertical] = ()) -> list[list[Rule]]:
    """Stack rules into table candidates, top to bottom.

    A rule joins the table above it when it lies within that table's widest rule (partial
    rules under spanning headers and between row groups included) or is at most 10% wider
    (or wider, under a header whose rules leave the stub's head open: :func:`_open_stub`),
    and no caption or prose line (wider than 80% of the table, no column gaps) lies between
    them. A stack is cut where two rules more than 1.5 lines apart enclose no text (one
    table's bottom rule and the next one's top rule), or where the grid's vertical rules stop
    at an empty band half a line tall or more and start again under it (two full grids stacked
    close; not a double rule), and rules at
    either end with no text between them and their neighbour (a figure frame under a table)
    are trimmed off. Lines in a band that vertical rules cross are a grid's cells, no prose.
    """
    groups: list[list[Rule]] = []
    for rule in rules:
        for group in reversed(groups):
            widest = max(group, key=lambda r: r.x1 - r.x0)
            fits = _within(rule, widest) or (_within(widest, rule) and (rule.x1 - rule.x0 <= 1.1 * (widest.x1 - widest.x0) or _open_stub(group, rule, widest, lines)))
            if fits and (_crossed(group[-1], rule, widest, verticals, lines, rules) or not _breaks_table(group[-1], rule, widest, lines)):
                group.append(rule)
                break
        else:
            groups.append([rule])
    return [_trim(part, lines) for group in groups for part in _split_empty_bands(group, lines, verticals)]


def _open_stub(group: list[Rule], rule: Rule, widest: Rule, lines: list[Line]) -> bool:
    """Are ``group``'s rules a header's drawn over its columns of figures only, the stub's head
    left open ('Year' over '1997 ... 2007' beside 'Inequality measure'), and ``rule``, wider,
    the rule under that header: it ends where they end on one side, they hold one to three
    lines, and a line right above it reaches into the part they leave open?"""
    if abs(rule.x1 - widest.x1) > 2 and abs(rule.x0 - widest.x0) > 2:
        return False
    band = [ln for ln in lines if group[0].y < (ln.top + ln.bottom) / 2 < rule.y and ln.x1 > rule.x0 and ln.x0 < rule.x1]
    last = [ln for ln in band if (ln.top + ln.bottom) / 2 > group[-1].y]
    return 1 <= len(band) <= 3 and any(ln.x0 < widest.x0 - 2 or ln.x1 > widest.x1 + 2 for ln in last)


def _crossed(upper: Rule, lower: Rule, widest: Rule, verticals: Sequence[Vertical], lines: list[Line], rules: Sequence[Rule]) -> bool:
    """Does a vertical rule inside the table (not at its edges), ending at a horizontal rule at
    both ends (a grid's, not a page's column rule), run from one rule to the other, and every
    line between them stand clear on one side of it: the band is a row of a ruled grid, its
    lines a cell's (text that the rule cuts through, or cuts words of, is no grid's)?"""
    def meets(x: float, y: float) -> bool:
        return any(abs(r.y - y) <= 2 and r.x0 - 2 <= x <= r.x1 + 2 for r in rules)

    inner = [x for x, top, bottom in verticals if widest.x0 + 2 < x < widest.x1 - 2 and top <= upper.y + 1 and bottom >= lower.y - 1 and meets(x, top) and meets(x, bottom)]
    band = [ln for ln in lines if upper.y < (ln.top + ln.bottom) / 2 < lower.y and ln.x1 > widest.x0 and ln.x0 < widest.x1]
    def cut(x: float, line: Line) -> bool:  # a word across the rule, or a word cut in two at it
        return any(w.x0 < x < w.x1 for w in line.words) or any(x - 1.5 <= a.x1 and b.x0 <= x + 1.5 for a, b in zip(line.words, line.words[1:]))

    return bool(inner) and not any(cut(x, ln) for x in inner for ln in band)


def _grid_break(upper: Rule, lower: Rule, widest: Rule, verticals: Sequence[Vertical]) -> bool:
    """Do the grid's vertical rules end at ``upper`` and start again at ``lower``, none
    crossing the band between them: one grid's bottom and the next one's top?"""
    inside = [v for v in verticals if widest.x0 - 2 <= v[0] <= widest.x1 + 2]
    ends = any(abs(bottom - upper.y) <= 2 for _, _, bottom in inside)
    starts = any(abs(top - lower.y) <= 2 for _, top, _ in inside)
    return ends and starts and not any(top < upper.y + 1 and bottom > lower.y - 1 for _, top, bottom in inside)


def _other_columns(upper: Rule, lower: Rule, verticals: Sequence[Vertical]) -> bool:
    """Do the vertical rules that end at ``upper`` stand where none of those that start at
    ``lower`` does: two boxes ruled into other columns, however close (not one grid's rows)?"""
    ending = [x for x, _, bottom in verticals if abs(bottom - upper.y) <= 2]
    starting = [x for x, top, _ in verticals if abs(top - lower.y) <= 2]
    return bool(ending and starting) and not any(abs(a - b) <= 2 for a in ending for b in starting)


def _split_empty_bands(group: list[Rule], lines: list[Line], verticals: Sequence[Vertical] = ()) -> list[list[Rule]]:
    """Cut a stack where a band between two rules is empty and taller than 2 lines, or taller
    than half a line (or any height, between boxes ruled into other columns) where the grid's
    vertical rules stop and start again (:func:`_grid_break`), or holds
    lines of words (no column gap) in a band over 2.5 lines tall that no vertical rule inside
    the stack runs down, one line or lines set a blank line apart: the title of the next
    table, under the last one's foot line (a statistic, a source), set between one table's
    bottom rule and the next one's top rule. (A table's own lines between two rules, a
    wrapped section label, stand at line pitch.)"""
    heights = sorted(ln.bottom - ln.top for ln in lines)
    line = heights[len(heights) // 2] if heights else 10.0
    widest = max(group, key=lambda r: r.x1 - r.x0)
    parts = [[group[0]]]
    for upper, lower in zip(group, group[1:]):
        inside = sorted((ln for ln in lines if upper.y < (ln.top + ln.bottom) / 2 < lower.y and ln.x1 > widest.x0 and ln.x0 < widest.x1), key=lambda ln: ln.top)
        boxes = lower.y - upper.y > 0.5 * line or _other_columns(upper, lower, verticals)
        empty = not inside and (lower.y - upper.y > 2.0 * line or (boxes and _grid_break(upper, lower, widest, verticals)))
        phrases = all(one_phrase(ln.words) for ln in inside)
        apart = len(inside) == 1 or any(b.top - a.bottom >= line for a, b in zip(inside, inside[1:]))
        # (not a line in a cell of a grid: a vertical rule inside it runs down the band)
        walled = any(widest.x0 + 2 < x < widest.x1 - 2 and top <= upper.y + 1 and bottom >= lower.y - 1 for x, top, bottom in verticals)
        title = bool(inside) and phrases and apart and not walled and lower.y - upper.y > 2.5 * line
        if empty or title:
            parts.append([lower])
        else:
            parts[-1].append(lower)
    return parts


def _has_text(upper: Rule, lower: Rule, lines: list[Line], span: Rule | None = None) -> bool:
    """Is any line between two rules, within ``span`` (default: the upper rule's extent)?"""
    x0, x1 = (span or upper).x0, (span or upper).x1
    return any(upper.y < (ln.top + ln.bottom) / 2 < lower.y and ln.x1 > x0 and ln.x0 < x1 for ln in lines)


def _trim(group: list[Rule], lines: list[Line]) -> list[Rule]:
    """Drop rules at either end with no text between them and their neighbour, looking over
    the wider of the two: a full rule under a narrow one (the edge of a cell shaded in one
    column) still closes the lines under that edge in the other columns."""

    def empty(a: Rule, b: Rule) -> bool:
        return not _has_text(a, b, lines, max(a, b, key=lambda r: r.x1 - r.x0))

    while len(group) >= 3 and empty(group[-2], group[-1]):
        group = group[:-1]
    while len(group) >= 3 and empty(group[0], group[1]):
        group = group[1:]
    return group


def line_runs(line: Line) -> list[Line]:
    """A line cut where its words are more than 1.2 em apart: one piece per column it spans."""
    runs: list[list[Any]] = [[line.words[0]]]
    for prev, word in zip(line.words, line.words[1:]):
        if word.x0 - prev.x1 > 1.2 * max(prev.size, word.size):
            runs.append([word])
        else:
            runs[-1].append(word)
    return [Line(run) for run in runs]


def continues_caption(caption: Line, prev: Line, line: Line) -> bool:
    """Is ``line`` (right under ``prev``, the caption's last line so far) the caption's wrapped
    continuation, not a header line: set at the caption's own pitch (no more leading than half
    its type size), in the type size of its label or of its title, as one phrase (no gap over
    a column gutter), and either centred on the caption's first line (no wider than it by
    more than two ems: a header line spans the table) or starting at the left edge of one of
    its words (a left-set caption, indented by a space at most, or a hanging indent after
    its label)?"""
    size = caption.size
    same_size = any(abs(line.size - w.size) <= 0.1 * w.size for w in caption.words)
    if not 0 <= line.top - prev.bottom <= 0.5 * size or not same_size or len(line_runs(line)) > 1:
        return False
    centred = abs((line.x0 + line.x1) / 2 - (caption.x0 + caption.x1) / 2) <= 0.5 * size and line.x1 - line.x0 < caption.x1 - caption.x0 + 2 * size
    return centred or -0.1 * size <= line.x0 - caption.x0 <= 0.4 * size or any(abs(line.x0 - w.x0) <= 0.25 * size for w in caption.words)


def caption_lines(caption: Line, below: list[Line]) -> int:
    """How many of the lines below a caption line (top to bottom) continue it."""
    n, prev = 0, caption
    while n < len(below) and continues_caption(caption, prev, below[n]):
        prev, n = below[n], n + 1
    return n


def is_headnote(line: Line, columns: Sequence[tuple[float, float]]) -> bool:
    """Is a line between a caption and its table a headnote, not a header line: one run of
    four words or more, all set a word space apart (under half an em, none wider than the
    narrowest by a tenth of an em: header cells set close still stand further apart than
    words), from over the table's first column across its gutter into the columns beyond
    (running text across the table)?"""
    words = line.words
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:])]
    if len(words) < 4 or len(columns) < 2:
        return False
    even = max(gaps) < 0.5 * line.size and max(gaps) <= min(gaps) + 0.1 * line.size
    return even and line.x0 < columns[0][1] and line.x1 > columns[1][0]


def is_unit_note(line: Line, span: tuple[float, float], caption: Line | None = None) -> bool:
    """Is a line between a caption and its table a note of what the figures count ("[In
    thousands]", "(Percent)"): one phrase wholly in brackets, centred on the whole table (its
    label column too) or on the caption. A spanning header is centred over the columns it
    spans, and is not bracketed."""
    text = line.text.strip()
    if len(text) < 3 or (text[0], text[-1]) not in (("[", "]"), ("(", ")")) or len(line_runs(line)) > 1:
        return False
    centre = (line.x0 + line.x1) / 2
    on = [span] + ([(caption.x0, caption.x1)] if caption is not None else [])
    return any(abs(centre - (a + b) / 2) <= line.size for a, b in on)


def _label_only(caption: Line) -> bool:
    """Is a caption line only its label ("Table 3.", "TABLE 3 (continued)"), no title?"""
    label = CAPTION.match(caption.text)
    return label is not None and not CONTINUED.sub("", caption.text[label.end() :]).strip(" .:|()—–-")


def caption_end(caption: Line | None, between: list[Line], columns: Sequence[tuple[float, float]], span: tuple[float, float]) -> int:
    """How many of the lines between a caption (or the top of the page: None) and its
    table's first row, top to bottom, are the caption's: its wrapped lines
    (:func:`caption_lines`), then all up to the last of its notes (a note mark or word, a
    sentence, a headnote, a unit note). The lines under them are the table's: its header.
    A caption that is only its label ("Table 3", "TABLE 3 (continued)") goes on in a title
    line of its own, set in any size: one phrase, which its own wrapped lines continue."""
    wrapped = caption_lines(caption, between) if caption is not None else 0
    if caption is not None and _label_only(caption) and between and len(line_runs(between[0])) == 1:
        wrapped = 1 + caption_lines(between[0], between[1:])

    def note(line: Line) -> bool:
        sentence = line.text.rstrip().endswith(".") and len(line_runs(line)) == 1
        return bool(NOTE.match(line.text)) or sentence or is_headnote(line, columns) or is_unit_note(line, span, caption)

    end = max([wrapped] + [i + 1 for i, ln in enumerate(between) if i >= wrapped and note(ln)])
    while end < len(between) and _flush_right_unit(between[end], span):
        end += 1
    return end


def _flush_right_unit(line: Line, span: tuple[float, float]) -> bool:
    """A note of what the figures count ("(` Billion)", "(Rs. in 000)") set flush right with
    the table over its last columns, right under the caption and its notes: one phrase wholly
    in brackets. (Further down, a bracketed line over the last column is a header's.)"""
    text = line.text.strip()
    if len(text) < 3 or (text[0], text[-1]) not in (("[", "]"), ("(", ")")) or len(line_runs(line)) > 1:
        return False
    return abs(line.x1 - span[1]) <= line.size and line.x0 > (span[0] + span[1]) / 2


#: A word that starts like a figure: a number, maybe bracketed or signed ('(12', '−0.4', '<0.001').
NUMBER_LIKE = re.compile(r"^[(\[]?[<>≤≥~±+\-−–]?\d")


def is_prose_run(words: Sequence[Word], column_width: float) -> bool:
    """Are the words of one piece of a line (no column gutter inside) running text, not a
    table's cells: under 30% of them figures, and eight or more, or five or more across 0.55
    of a text column ``column_width`` wide? The one test of a line's prose, for what bounds a
    table found from its text (:mod:`curate.extract.textblocks`), for the body text between two
    rules (:func:`_body_text_between`) and for a ruled table's notes. (A reading's cells read as
    prose are another test, on cells: :func:`curate.extract.quality.prose_share`.) Folded from
    two copies (here six words, a figure any word holding a digit; in textblocks these
    bounds): the same output on the seeds, articles, zoo, ICDAR and camelot/tabula PDFs."""
    numbers = sum(1 for w in words if NUMBER_LIKE.match(w.text))
    if numbers >= 0.3 * len(words):
        return False
    return len(words) >= 8 or (len(words) >= 5 and words[-1].x1 - words[0].x0 >= 0.55 * column_width)


def _body_text_between(upper: Rule, lower: Rule, widest: Rule, lines: list[Line]) -> bool:
    """Is the band between two rules the page's body text (a table's caption, or justified
    prose: most of its pieces are lines of words that start where two others do and fill
    their column) rather than table rows? Then a rule under it (a figure's, the page
    footer's) is not the table's."""
    runs = [
        run
        for ln in lines
        if upper.y < ln.top and ln.bottom < lower.y and ln.x1 > widest.x0 and ln.x0 < widest.x1
        for run in line_runs(ln)
    ]
    if any(CAPTION.match(run.text) for run in runs):
        return True
    prose = [r for r in runs if is_prose_run(r.words, widest.x1 - widest.x0)]

    def justified(run: Line) -> bool:  # in a column of lines starting where it does and filling it
        column = [o for o in prose if abs(o.x0 - run.x0) < 2]
        return len(column) >= 3 and run.x1 >= max(o.x1 for o in column) - 3 * run.size

    body = [r for r in prose if justified(r)]
    return len(body) >= 4 and len(body) >= 0.6 * len(runs)


def _breaks_table(upper: Rule, lower: Rule, widest: Rule, lines: list[Line]) -> bool:
    """A caption, or a line of prose as wide as the table, between two rules: they belong to
    two tables. Prose in notes that follow table rows (from a footnote mark, 'Note',
    'Abbreviations' on) does not: many tables print their notes above their bottom rule.
    A band of the page's body text (:func:`_body_text_between`) does too."""
    if _body_text_between(upper, lower, widest, lines):
        return True
    width = widest.x1 - widest.x0
    rows = notes = False
    for line in sorted(lines, key=lambda ln: ln.top):
        # a line of prose across the table and past its side is the page's text, after notes too;
        # so is one set mostly over the table running on past its side (a paragraph's indented
        # first line). A line mostly beside the table is another column's.
        past = line.x0 < widest.x0 - 2 or line.x1 > widest.x1 + 2
        across = line.x0 <= widest.x0 + 2 and line.x1 >= widest.x1 - 2
        over = min(line.x1, widest.x1) - max(line.x0, widest.x0) > 0.5 * (line.x1 - line.x0)
        if upper.y < line.top and line.bottom < lower.y and (across or over or not past):
            if CAPTION.match(line.text) or FIGURE.match(line.text):
                return True
            notes = notes or (rows and bool(NOTE.match(line.text)))
            gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
            numbers = sum(1 for w in line.words if re.search(r"\d", w.text))
            prose = all(g < 1.0 * line.size for g in gaps) and numbers < 0.3 * len(line.words)
            if (not notes or past) and line.x1 - line.x0 > 0.8 * width and prose:  # a row of figures is not prose
                return True
            rows = True
    return False


def column_part(line: Line, x0: float, x1: float) -> Line | None:
    """The part of ``line`` printed over [x0, x1]: its runs of words (cut where words are
    more than 1.2 em apart, a column gutter) that overlap that span. A line of a two-column
    page shares its baseline with the other column's; a caption over a narrow table keeps its
    words that run past the table's edge."""
    kept = [w for run in line_runs(line) if run.words[0].x0 < x1 and run.words[-1].x1 > x0 for w in run.words]
    return Line(kept) if kept else None


def caption_heads(lines: list[Line], boxes: list[BBox], max_distance: float = 60.0) -> list[tuple[int, Line, str] | None]:
    """Each table box's "Table N" line, each to one box: its index in ``lines``, its part over
    the box (:func:`column_part`) and whether it stands "above" or "below" the box.

    A caption belongs to the box nearest to it: the one it stands above or the one it stands
    under (captions set below tables, closer to their own table than to the next one). Tables
    set side by side have their captions on one line: each box takes its own part of it.
    """
    options = []
    for i, line in enumerate(lines):
        for k, b in enumerate(boxes):
            # A caption may start left of the table's box ("Table 4" hanging in the margin).
            cap = next((c for c in (column_part(line, b[0], b[2]), column_part(line, b[0] - 50, b[2])) if c is not None and CAPTION.match(c.text)), None)
            if cap is None:
                continue
            if -2 <= b[1] - cap.bottom <= max_distance:
                options.append((b[1] - cap.bottom, k, i, "above", cap))
            if -2 <= cap.top - b[3] <= max_distance / 2:
                options.append((cap.top - b[3], k, i, "below", cap))
    # Nearest pairs first: a line of prose that mentions "Table 1" above the caption loses to it.
    heads: list[tuple[int, Line, str] | None] = [None] * len(boxes)
    claimed: list[tuple[int, Line]] = []
    for _, k, i, where, cap in sorted(options, key=lambda o: o[:3]):
        if heads[k] is None and not any(j == i and c.x0 < cap.x1 and cap.x0 < c.x1 for j, c in claimed):
            claimed.append((i, cap))
            heads[k] = (i, cap, where)
    return heads


def assign_captions(lines: list[Line], boxes: list[BBox], max_distance: float = 60.0) -> list[tuple[str, BBox] | None]:
    """Give each table box on a page its "Table N" caption (:func:`caption_heads`): its text
    and box.

    Every line between a caption and the box under it is the caption's: a box starts at its
    header (:func:`caption_end` tells the caption's lines from a header set above a table's
    top rule).
    """
    result: list[tuple[str, BBox] | None] = [None] * len(boxes)
    for k, head in enumerate(caption_heads(lines, boxes, max_distance)):
        if head is None:
            continue
        i, cap, where = head
        box = boxes[k]
        rest = [part for ln in lines[i + 1 :] if (part := column_part(ln, box[0], box[2])) is not None and not CAPTION.match(part.text)]
        # Words set on a slightly shifted baseline right after the caption's line ("(Continued)"
        # in another font) sort before it: they end the caption's first line.
        beside = [
            part
            for ln in lines[max(0, i - 3) : i]
            if (part := column_part(ln, box[0], box[2])) is not None and part.x0 >= cap.x1 - 1 and part.bottom > cap.top and part.top < cap.bottom
        ]
        if where == "above":
            parts = [cap, *beside] + [ln for ln in rest if ln.top >= cap.bottom - 1 and ln.bottom <= box[1] + 1]
        else:
            parts = [cap, *beside] + [ln for ln in rest[:3] if 0 <= ln.top - cap.bottom <= 1.5 * cap.size]
        result[k] = (_caption_text(parts), _union(parts))
    return result


def _caption_text(parts: list[Line]) -> str:
    return " ".join(p.text for p in parts)


def _union(lines: list[Line]) -> BBox:
    return (min(ln.x0 for ln in lines), min(ln.top for ln in lines), max(ln.x1 for ln in lines), max(ln.bottom for ln in lines))
