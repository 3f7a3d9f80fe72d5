"""Reference lists of paper PDFs: found, split into entries, parsed into fields, with provenance.

A steward checking a review's dataset needs every cited study as a record that can be traced
back to the page: the printed text of each entry (joined across line, column and page breaks),
its parsed fields, and where it sits in the PDF. The work is layered so that each step can be
tested on its own:

* reading order (:func:`reading_order`): every page is cut into full-width bands and
  left/right columns at the gutter found from the glyph positions, lines are rebuilt per column
  with :func:`curate.extract.layout.page_lines`, and running headers, footers and page numbers are
  dropped with :func:`curate.extract.layout.running_furniture`;
* the section: from its heading (the one followed by the most entries) to the first back-matter
  heading, trailer, change of type size, or a gap wider than the list's own spacing;
* entries (:func:`split_reference_block`): labels in sequence, else hanging indents, else
  author-like line starts;
* fields (:func:`parse_reference`): rule based, on plain text, so it can be scored on gold sets.

:func:`write_references_csv` writes the entries as one CSV row each.

Nothing here is tuned to one paper: every threshold is relative to the font size or to the
spacing measured in the section itself.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import chain, islice, pairwise
from operator import itemgetter
from pathlib import Path
from statistics import median
from typing import Any, overload

from curate.extract.layout import Line, by_baseline, glyph_lines, glyph_rows, page_glyphs, page_lines, running_furniture
from curate.extract.output import write_csv
from curate.extract.text import normalise

#: The documents read here are :class:`curate.extract.upright.UprightDocument` (or a pdfplumber PDF):
#: anything whose ``pages`` have ``chars``, ``width`` and ``height``; hence ``pdf: Any``.


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Reference:
    """One entry of a reference list, parsed, with where it was printed."""

    source: str = ""
    index: int = 0
    label: str = ""
    raw: str = ""
    authors: str = ""
    first_author: str = ""
    year: int | None = None
    title: str = ""
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pages_in_pdf: list[int] = field(default_factory=list)
    bbox: list[list[float]] = field(default_factory=list)
    confidence: float = 0.0


@dataclass(slots=True)
class ReferenceList:
    """The entries of a paper's reference list; ``warning`` says why it is empty or doubtful."""

    entries: list[Reference]
    warning: str | None = None
    #: Index in the reading-order stream of the heading the list starts at (body text is before it).
    heading: int | None = None


# --------------------------------------------------------------------------------------------
# Reading order: columns, lines, furniture
# --------------------------------------------------------------------------------------------

#: Gaps narrower than this many font sizes are word spaces, bridged when looking for a gutter.
_BRIDGE = 0.6
#: Where a gutter may lie, as fractions of the page width (table column gaps elsewhere are not gutters).
_GUTTER_RANGE = (0.35, 0.65)
#: A gutter may be crossed by at most this many rows per row beside it (title blocks, captions).
_GUTTER_CROSSING = 2.0
#: Fewer rows than this on either side of a candidate gutter: not a column layout.
_MIN_COLUMN_ROWS = 4
#: Running headers and footers sit in this top and bottom fraction of the page (as in layout).
_FURNITURE_BAND = 0.12
#: A glyph run set this much (fraction of its height) inside another line's band is on that line.
_SNAP_OVERLAP = 0.5

Glyph = dict[str, Any]
_X0 = itemgetter("x0")


@dataclass(frozen=True, slots=True)
class Piece:
    """A line in reading order, with the page (1-based), region and column slot it came from."""

    page: int
    region: int
    slot: str
    line: Line
    band: bool = False  # in the page's top or bottom band, where furniture lives


def _ink_spans(row: list[Glyph]) -> list[tuple[float, float]]:
    """Horizontal extents of the text in a row, word spaces bridged."""
    spans: list[tuple[float, float]] = []
    a = b = 0.0
    for ch in sorted([c for c in row if not c["text"].isspace()], key=_X0):
        x0 = ch["x0"]
        if spans and x0 - b <= _BRIDGE * ch["size"]:
            if (x1 := ch["x1"]) > b:
                b = x1
            continue
        if spans:
            spans[-1] = (a, b)
        a, b = x0, ch["x1"]
        spans.append((a, b))
    if spans:
        spans[-1] = (a, b)
    return spans


def _gutter(row_spans: list[list[tuple[float, float]]], width: float) -> float | None:
    """x of the column gutter: a central x that text rows sit beside but (almost) never cross.

    Among the x crossed by the fewest rows (give or take one), the run of x whose nearest text
    on the left is widest wins: a column of text, not the gap between a list's labels and its
    entries.

    Whole points x are weighed, but only once per stretch between two text edges (the counts
    change only there), so the time depends on the words, not on the page's width.
    """
    lo, hi = int(width * _GUTTER_RANGE[0]), int(width * _GUTTER_RANGE[1]) + 1  # x in [lo, hi)
    edges = {lo, hi}
    for spans in row_spans:
        for a, b in spans:
            edges.update(e for e in (math.ceil(a), math.floor(b) + 1) if lo < e < hi)
    cuts = sorted(edges)
    crossings: list[tuple[int, int, int]] = []  # (first x, x after the last, rows crossing)
    for x, after in zip(cuts, cuts[1:]):
        crossing = left = right = 0
        for spans in row_spans:
            if any(a <= x <= b for a, b in spans):
                crossing += 1
            else:
                left += any(b < x for _, b in spans)
                right += any(a > x for a, _ in spans)
        beside = min(left, right)
        if beside >= _MIN_COLUMN_ROWS and crossing <= _GUTTER_CROSSING * beside:
            crossings.append((x, after, crossing))
    if not crossings:
        return None
    fewest = min(c for _, _, c in crossings)
    runs: list[list[int]] = []  # [first x, x after the last] of consecutive qualifying x
    for x, after, c in crossings:
        if c > fewest + 1:
            continue
        if runs and runs[-1][1] == x:
            runs[-1][1] = after
        else:
            runs.append([x, after])

    def left_text_width(run: list[int]) -> float:
        mid = (run[0] + run[1] - 1) / 2
        nearest = [max((s for s in spans if s[1] < mid), key=lambda s: s[1], default=None) for spans in row_spans]
        widths = [b - a for a, b in filter(None, nearest)]
        return median(widths) if widths else 0.0

    best = max(runs, key=lambda run: (left_text_width(run), run[1] - run[0]))
    return (best[0] + best[1] - 1) / 2


def _regions(page: Any, chars: list[Glyph], ordered: list[Glyph] | None = None) -> list[tuple[str, list[Glyph], list[Glyph]]]:
    """The page's glyphs (:func:`page_glyphs`; ``ordered``: sorted by :func:`by_baseline`, when
    the caller has them) cut into reading-order regions: full-width bands, else left then
    right; each region's glyphs as the page gives them and sorted by baseline, then x (what
    :func:`_snap_fragments` and :func:`glyph_lines` need, sorted once)."""
    if not any(not c["text"].isspace() for c in chars):
        return []
    rows = glyph_rows(chars, 0.3) if ordered is None else glyph_rows(ordered, 0.3, ordered=True)
    spans = [_ink_spans(r) for r in rows]
    height = float(page.height)
    body = [  # running headers often span the gutter: they do not count against it
        sp for r, sp in zip(rows, spans)
        if sp and _FURNITURE_BAND * height < r[0]["bottom"] < (1 - _FURNITURE_BAND) * height
    ]
    mid = _gutter(body, float(page.width))
    if mid is None:
        return [("full", chars, [c for r in rows for c in r])]
    bands: list[tuple[bool, list[Glyph]]] = []
    for row, sp in zip(rows, spans):
        crossing = any(a <= mid <= b for a, b in sp)
        if bands and bands[-1][0] == crossing:
            bands[-1][1].extend(row)
        else:
            bands.append((crossing, list(row)))
    regions: list[tuple[str, list[Glyph], list[Glyph]]] = []
    for crossing, glyphs in bands:  # made of rows, in their order: sorted already
        if crossing:
            regions.append(("full", glyphs, glyphs))
            continue
        left = [c for c in glyphs if (c["x0"] + c["x1"]) / 2 < mid]
        right = [c for c in glyphs if (c["x0"] + c["x1"]) / 2 >= mid]
        regions += [(slot, part, part) for slot, part in (("left", left), ("right", right)) if part]
    return regions


def _collide(a: Glyph, b: Glyph) -> bool:
    """Glyph ``a`` is overprinted by ``b`` over more than 30% of its width."""
    collide: bool = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.3 * (a["x1"] - a["x0"])
    return collide


def _snap_fragments(chars: list[Glyph], ordered: list[Glyph], rows: list[list[Glyph]] | None = None) -> tuple[list[Glyph], list[list[Glyph]] | None]:
    """Put glyph runs that the PDF set slightly off their line's baseline back onto it.

    Italic journal names, quotes and apostrophes from another font are sometimes placed a
    point or two off the line they belong to; :func:`page_lines` would make them a line of
    their own (and read them out of order). A run of the same size whose box mostly overlaps
    a fuller line's band, without colliding with its glyphs, is moved onto that line.

    ``ordered`` are ``chars`` sorted by baseline, ``rows`` their :func:`glyph_rows` when the
    caller has them. Returns the glyphs and, when none moved (``chars`` then, as given), their
    rows, for :func:`glyph_lines`.
    """
    rows = glyph_rows(ordered, 0.2, ordered=True) if rows is None else rows
    ink = [[c for c in r if not c["text"].isspace()] for r in rows]
    shapes: dict[int, tuple[float, float, float]] = {}

    def shape(k: int) -> tuple[float, float, float]:
        """Median size, top and bottom of row ``k``'s ink (measured when first asked: only rows
        beside a fuller row are; a row moved onto another is no host after)."""
        if (found := shapes.get(k)) is None:
            r = ink[k]
            found = shapes[k] = (median([c["size"] for c in r]), min([c["top"] for c in r]), max([c["bottom"] for c in r]))
        return found

    moved: list[list[Glyph]] | None = None  # the rows, once a run is moved
    for i, run in enumerate(ink):
        if not run:
            continue
        for j in range(max(0, i - 3), min(len(rows), i + 4)):
            host = ink[j]
            if j == i or len(host) <= len(run):
                continue
            size, top, bottom = shape(i)
            host_size, h_top, h_bottom = shape(j)
            if not 0.85 <= size / host_size <= 1.18:
                continue
            overlap = min(bottom, h_bottom) - max(top, h_top)
            if overlap < _SNAP_OVERLAP * min(bottom - top, h_bottom - h_top):
                continue
            if any(_collide(c, h) for c in run for h in host):
                continue  # it collides with the host's glyphs: a line of its own
            base = median(h["bottom"] for h in host)
            moved = moved if moved is not None else list(rows)
            moved[i] = [{**c, "top": base - (c["bottom"] - c["top"]), "bottom": base} for c in rows[i]]
            ink[i] = []
            break
    # Unmoved glyphs come back as given: page_lines sorts them as the rows are (a stable sort).
    return ([c for r in moved for c in r], None) if moved is not None else (chars, rows)


def _letters(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text.lower())


def _in_band(line: Line, height: float) -> bool:
    return line.bottom < _FURNITURE_BAND * height or line.top > (1 - _FURNITURE_BAND) * height


def _furniture_boxes(pdf: Any, whole: Sequence[list[Line]] | None = None, found: Sequence[set[int]] | None = None) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the boxes of running headers, footers and page numbers.

    Found on whole-page lines (a header row is one line there, however the columns split it)
    with :func:`running_furniture` (``found``, when the caller has it); a band line with the
    same letters as a header found on another page (the page number printed on the other
    side, say) is one too. The pages are read once, in order.
    """
    whole = whole if whole is not None else [page_lines(page) for page in pdf.pages]
    heights = [float(page.height) for page in pdf.pages]
    found = found if found is not None else running_furniture(whole, heights)
    headers: set[str] = set()
    kept: list[list[tuple[float, float, float, float]]] = []
    banded: list[list[tuple[str, tuple[float, float, float, float]]]] = []
    for lines, drop, h in zip(whole, found, heights):
        headers.update(_letters(lines[i].text) for i in drop)
        kept.append([ln.bbox for i, ln in enumerate(lines) if i in drop])
        banded.append([(_letters(ln.text), ln.bbox) for i, ln in enumerate(lines) if i not in drop and _in_band(ln, h)])
    headers.discard("")
    return [boxes + [box for letters, box in band if letters in headers] for boxes, band in zip(kept, banded)]


def _inside_any(line: Line, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    cx, cy = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 for x0, top, x1, bottom in boxes)


def page_pieces(
    page: Any,
    number: int,
    whole: list[Line] | None = None,
    glyphs: list[Glyph] | None = None,
    ordered: list[Glyph] | None = None,
    rows: list[list[Glyph]] | None = None,
) -> list[Piece]:
    """The text lines of one page (``number``, 1-based) in reading order, furniture included:
    what :func:`reading_order` needs of the page, so that the page can be released after it.

    ``whole``, ``glyphs``, ``ordered`` and ``rows`` are the page's :func:`page_lines`,
    :func:`page_glyphs`, those sorted :func:`by_baseline` and their :func:`glyph_rows` when
    the caller has them (``whole`` read from those ``glyphs``, see :func:`read_page`): a page
    read as one full-width region with no glyph moved has exactly those lines, which are reused.
    """
    height = float(page.height)
    pieces = []
    if glyphs is None:
        glyphs, ordered, rows = page_glyphs(page), None, None
    regions = _regions(page, glyphs, ordered)
    for region, (slot, chars, sorted_chars) in enumerate(regions):
        snapped, snapped_rows = _snap_fragments(chars, sorted_chars, rows if chars is glyphs else None)
        if whole is not None and len(regions) == 1 and slot == "full" and snapped is chars:
            lines = whole
        else:
            lines = glyph_lines(snapped, rows=snapped_rows)
        for line in lines:
            pieces.append(Piece(number, region, slot, line, _in_band(line, height)))
    return pieces


def read_page(page: Any, number: int) -> tuple[list[Line], list[Piece]]:
    """Page ``number``'s (1-based) whole-page lines and its reading-order lines
    (:func:`page_pieces`), read together: the glyphs are prepared, sorted by baseline and
    grouped into rows once for both."""
    glyphs = page_glyphs(page)
    ordered = by_baseline(glyphs)
    rows = glyph_rows(ordered, ordered=True)
    lines = glyph_lines(glyphs, rows=rows)
    return lines, page_pieces(page, number, lines, glyphs, ordered, rows)


class Stream(Sequence[Piece]):
    """The PDF's lines in reading order, running furniture dropped, read page by page from
    each page's :func:`page_pieces` (which may be kept on disk: see
    :class:`curate.extract.pagestore.PageStore`), so that the whole stream is never in memory.
    A slice is a stream too (a view: nothing is copied)."""

    def __init__(self, pages: Sequence[list[Piece]], furniture: Sequence[Sequence[tuple[float, float, float, float]]]) -> None:
        self._pages = pages
        self._furniture = furniture
        self._shown: tuple[int, list[Piece]] = (-1, [])
        #: Which pieces each page keeps (None: not read yet); found when a page is first read.
        self._kept: list[array[int] | None] = [None] * len(pages)
        self._known: array[int] | None = None  # index in the stream of each page's first piece, then the length
        self._lo, self._hi = 0, -1  # the view: pieces lo to hi (-1: to the end)

    def _page(self, n: int) -> list[Piece]:
        """Page ``n``'s (0-based) pieces, furniture dropped."""
        if self._shown[0] != n:
            pieces = self._pages[n]
            kept = self._kept[n]
            if kept is None:
                kept = self._kept[n] = array("l", [i for i, p in enumerate(pieces) if not _inside_any(p.line, self._furniture[n])])
            self._shown = (n, [pieces[i] for i in kept])
        return self._shown[1]

    def _starts(self) -> array[int]:
        if self._known is None:
            starts = array("q", [0])
            for n, kept in enumerate(self._kept):
                starts.append(starts[-1] + (len(kept) if kept is not None else len(self._page(n))))
            self._known = starts
        return self._known

    def __len__(self) -> int:
        return (self._hi if self._hi >= 0 else self._starts()[-1]) - self._lo

    @overload
    def __getitem__(self, index: int) -> Piece: ...
    @overload
    def __getitem__(self, index: slice) -> Stream: ...
    def __getitem__(self, index: int | slice) -> Piece | Stream:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("a stream is sliced with step 1 only")
            view = copy.copy(self)
            view._lo, view._hi = self._lo + start, self._lo + max(start, stop)
            return view
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        at = self._lo + index
        starts = self._starts()
        n = bisect_right(starts, at) - 1
        return self._page(n)[at - starts[n]]

    def __iter__(self) -> Iterator[Piece]:
        if self._lo == 0 and self._hi < 0:  # the whole stream: no need to know where pages start
            for n in range(len(self._pages)):
                yield from self._page(n)
            return
        starts = self._starts()
        n = bisect_right(starts, self._lo) - 1
        while n < len(self._pages) and starts[n] < self._hi:
            yield from self._page(n)[max(self._lo - starts[n], 0) : self._hi - starts[n]]
            n += 1


def reading_order(
    pdf: Any,
    pages: Sequence[list[Line]] | None = None,
    pieces: Sequence[list[Piece]] | None = None,
    furniture: Sequence[set[int]] | None = None,
) -> Stream:
    """All text lines of the PDF (see ``pdf: Any`` above) in reading order, running
    headers/footers/page numbers removed.

    ``pages`` are the PDF's whole-page lines, ``pieces`` each page's :func:`page_pieces` and
    ``furniture`` the :func:`running_furniture` of ``pages``, when the caller already has them.
    """
    if pages is None and pieces is None:  # both from one read of each page's glyphs
        read = [read_page(page, n) for n, page in enumerate(pdf.pages, start=1)]
        pages, pieces = [lines for lines, _ in read], [found for _, found in read]
    boxes = _furniture_boxes(pdf, pages, furniture)
    return Stream(pieces if pieces is not None else [page_pieces(page, n) for n, page in enumerate(pdf.pages, start=1)], boxes)


# --------------------------------------------------------------------------------------------
# The section: heading to end
# --------------------------------------------------------------------------------------------

#: The heading of a reference list, alone on its line, optionally numbered ("7. References").
_HEADING = re.compile(
    r"^(?:(?:\d{1,2}|[IVX]{1,4})\.?\s+)?"
    r"(?:references?(?:\s+(?:list|cited))?|bibliography|literature\s+cited|works\s+cited"
    r"|cited\s+literature|references\s+and\s+notes)\s*:?$",
    re.IGNORECASE,
)
#: A back-matter heading that ends a reference list: alone on its line ("Appendix A",
#: "Supplementary Materials", "A Appendix A - Baseline Details") or opening a run-in paragraph
#: ("Author Contributions: ...").
_END_HEADING = re.compile(
    r"^(?:(?:\d{1,2}|[A-Z])\.?\s+)?(?:appendix|appendices|supplementary|supplemental|supporting\s+information"
    r"|author\s+contributions?|authors'?\s*contributions|acknowledge?ments?|funding|conflicts?\s+of\s+interest"
    r"|competing\s+interests|declarations?|abbreviations|figure\s+legends|about\s+the\s+authors?|biography"
    r"|ethics(?:\s+statement)?|data\s+availability(?:\s+statement)?|footnotes|notes)"
    r"(?:\s+(?:[A-Z]|\d{1,2}|materials?|data|information|files?))?\s*(?:[:–—-].*|\.)?$",
    re.IGNORECASE,
)
#: Trailers that end the list wherever they start a line: publisher notes, article history,
#: figures and tables.
_TRAILER = re.compile(
    r"^(?:disclaimer|publisher'?s\s+note|cite\s+this\s+article|submit\s+your"
    r"|(?:received|accepted|published)(?::|\s+(?:as\s|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}))"
    r"|(?:figure|fig\.|table)\s+[A-Z]?\d+\b)",
    re.IGNORECASE,
)
#: A licence or copyright line: the end of the list in the body of a page, page furniture that
#: escaped detection in its top or bottom band.
_LICENCE = re.compile(r"^(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)
#: Rows whose size differs from the list's by more than this fraction are not list text.
_SIZE_CHANGE = 0.15


def _ends_section(text: str) -> bool:
    """A back-matter heading, a trailer or a licence line starts here."""
    return bool(_TRAILER.match(text) or _LICENCE.match(text) or _END_HEADING.match(text))


def _section(stream: Sequence[Piece], heading: int) -> list[Piece]:
    """Lines after the heading up to the first back-matter heading, trailer or change of type size.

    The list's size is that of its first lines. In the top and bottom bands of a page, a
    licence line or a single line of another size is furniture that escaped detection and is
    skipped; elsewhere a licence line, or two lines in a row of another size, end the list.
    """
    rest = iter(stream[heading + 1 :])  # read as far as the list goes, not to the end of the PDF
    first = list(islice(rest, 5))
    if not first:
        return []
    size = median(p.line.size for p in first)

    def odd(piece: Piece | None) -> bool:
        return piece is not None and abs(piece.line.size - size) > _SIZE_CHANGE * size

    out: list[Piece] = []
    for piece, after in pairwise(chain(first, rest, [None])):
        assert piece is not None
        text = piece.line.text.strip()
        if piece.band and _LICENCE.match(text):
            continue
        if _ends_section(text) or (odd(piece) and odd(after)):
            break
        if not (piece.band and odd(piece)):
            out.append(piece)
    return out


# --------------------------------------------------------------------------------------------
# Splitting a block into entries
# --------------------------------------------------------------------------------------------

#: A printed label opening an entry: "[12]", "(12)", "12." or "12)", or a bare "12" before a
#: capitalised word (accepted only when a whole list counts up with such labels).
_LABEL = re.compile(
    r"^\s*(?:\[(?P<bracket>\d{1,4})\]|\((?P<paren>\d{1,4})\)|(?P<dot>\d{1,4})[.)](?!\d)"
    r"|(?P<bare>\d{1,3})(?=\s+[A-Z]))\s*"
)
#: A list bullet opening a line: a bullet glyph, or a dash used as one ("- Smith, J.").
_BULLET = re.compile(r"^\s*(?P<mark>[•▪●◦·∙‣]|[–—-](?=\s|$))\s*")
#: Bullet glyphs that are never text (dashes are text unless the whole block uses them).
_GLYPH_BULLETS = "•▪●◦·∙‣"
#: Letters for name patterns: Latin-1 and Latin Extended-A (whose cases alternate, so both
#: classes take the whole block).
_U = "A-ZÀ-ÖØ-ÞĀ-ž"
_L = "a-zß-öø-ÿĀ-ž"
#: A surname word: capital then letters, apostrophes and inner hyphens ("O’Flynn", "El-Badawy"),
#: with at least one lower-case letter (so that Vancouver initials "LY" are not a surname).
_SURWORD = rf"[{_U}](?=[{_L}{_U}'’`\-]*[{_L}])[{_L}{_U}'’`\-]*[{_L}{_U}]"
#: Lower-case particles before a surname ("de Witte", "van der Berg").
_PARTICLES = r"(?:de|da|di|do|dos|das|du|del|della|den|der|van|von|ten|ter|le|la|al|el|bin|ibn|zu)"
_PARTICLE = rf"(?:(?i:{_PARTICLES})\s+)"
_SURNAME = rf"{_PARTICLE}*{_SURWORD}(?:[\s]{_SURWORD}){{0,2}}"
#: Initials with full stops: "H. I.", "A.-E.", "Ch.".
_DOTTED = rf"[{_U}][{_L}]?\.(?:\s?-?\s?[{_U}][{_L}]?\.)*+"
#: A given name in full, possibly with a middle initial: "Yi", "Jean-Paul", "Michael A.".
_GIVEN = rf"(?!(?i:{_PARTICLES})\s)[{_U}][{_L}]+(?:-[{_U}]?[{_L}]+)?(?:\s[{_U}][{_L}]+)?(?:\s[{_U}]\.)*"
#: A surname set in capitals, as French and some humanities styles print it ("ROUSSILLON, René").
_CAPS_SURNAME = rf"[{_U}][{_U}'’\-]+(?:\s[{_U}][{_U}'’\-]+)?"
_SUFFIX = r"(?:,?\s(?:Jr|Sr|II|III|IV|2nd|3rd)\.?)"
#: "Surname, I. I." (APA, Harvard) or "Surname, Given".
_NAME_INVERTED = (
    rf"(?P<inv_sur>{_SURNAME}|{_CAPS_SURNAME})(?:\s(?:Jr|Sr)\.?)?,\s?(?P<inv_giv>{_DOTTED}|{_GIVEN}){_SUFFIX}?"
)
#: "Surname IJ" (Vancouver): initials as capitals without stops, or with them ("Harrison R.M.",
#: tried first so that the stop belongs to the name and the list can go on after it).
_NAME_VANCOUVER = rf"(?P<van_sur>{_SURNAME}|{_CAPS_SURNAME})\s(?P<van_ini>{_DOTTED}|[{_U}]{{1,4}}\b){_SUFFIX}?"
#: "I. J. Surname" or "Given Surname" (IEEE, MLA lists after the first author).
_NAME_DIRECT = rf"(?P<dir_giv>(?:{_DOTTED}\s?|{_GIVEN}\s|[{_U}]\s)+)(?P<dir_sur>{_SURNAME}){_SUFFIX}?"
_NAME_FORMS = (_NAME_INVERTED, _NAME_VANCOUVER, _NAME_DIRECT)
#: Name patterns tried in three orders; the order that reads furthest into the author span wins
#: ("Jianxia Hu, Yangang Wang" is two direct names, not "Hu, Y." inverted).
_ORDERS = ((0, 1, 2), (2, 1, 0), (1, 0, 2))
_NAME_ORDERS = [re.compile("|".join(_NAME_FORMS[i] for i in order)) for order in _ORDERS]
#: Words that make an author a body, not a person ("American Diabetes Association").
_ORGANISATION = re.compile(
    r"\b(?:Association|Federation|Society|Group|Organi[sz]ation|Institute|Committee|Council|Consortium"
    r"|Investigators|Collaborat\w*|Agency|Department|Ministry|Cent(?:re|er)|University|Foundation|Network"
    r"|Board|Office|Commission|Trialists|Program(?:me)?|Academy|College|Authority|Registry|Task\s+Force)\b"
)
_NAME_ANY = re.sub(r"\(\?P<\w+>", "(?:", "|".join(_NAME_FORMS))
#: Between two names: comma, semicolon, "and", "&".
_NAME_SEP = r"(?:\s*[,;]\s*(?:(?:and|&|et(?!\s*al\b))\s+)?|\s+(?:and|&|et(?!\s*al\b))\s+)"
_ET_AL = r"(?:,?\s*et\s*al\.?)"
_BETWEEN_NAMES = re.compile(rf"{_ET_AL}|{_NAME_SEP}|\s+")
#: A whole author list at the start of an entry, ending where a delimiter follows (one regex
#: per name order; the longest match is the list).
_AUTHOR_LISTS = [
    re.compile(rf"^(?:{names})(?:{_NAME_SEP}(?:{names}))*{_ET_AL}?(?:(?<=\.)(?=\s)|(?=\s*(?:[.:;,(“\"«‘]|\d|$)))")
    for names in (re.sub(r"\(\?P<\w+>", "(?:", order.pattern) for order in _NAME_ORDERS)
]
#: A line that could open an author-year entry: an author list, or a group name then "(year)".
_AUTHOR_START = re.compile(
    rf"^(?:{_NAME_ANY})(?:\s*[,;(:.]|\s+(?:and|&|et)\b)|^[{_U}][^.()]{{0,80}}\((?:1[6-9]|20)\d{{2}}[a-z]?\)"
)
#: Characters that close a complete entry (a new one may start on the next line).
_ENTRY_END = re.compile(r"(?:[.)\]]|\d|\.”|\.\"|[a-z0-9]/[\w.\-]*)\s*$")


@dataclass(slots=True)
class _Row:
    """A line of a reference block: its text and, when known, its geometry."""

    text: str
    x0: float | None = None
    slot: str = ""
    region: tuple[int, int] | None = None
    bottom: float = 0.0
    size: float = 0.0


def _bullet_marks(texts: Sequence[str]) -> str:
    """The marks used as bullets in a block: glyph bullets always, a dash only when at least
    half the lines open with it (otherwise a leading dash is text, as in "- a work in progress")."""
    marks = [m.group("mark") for m in map(_BULLET.match, texts) if m]
    dashes = {m for m in marks if m not in _GLYPH_BULLETS and marks.count(m) >= 0.5 * len(texts)}
    return _GLYPH_BULLETS + "".join(dashes)


def _debullet(rows: list[_Row]) -> list[_Row]:
    """Rows with their bullets removed (bullet-only rows become empty and are skipped)."""
    marks = _bullet_marks([r.text for r in rows])
    for row in rows:
        m = _BULLET.match(row.text)
        row.text = row.text[m.end() :].strip() if m and m.group("mark") in marks else row.text.strip()
    return rows


def _label_number(text: str) -> tuple[str, int] | None:
    m = _LABEL.match(text)
    if not m or m.end() >= len(text):
        return None
    kind = next(k for k in ("bracket", "paren", "dot", "bare") if m.group(k))
    return kind, int(m.group(kind))


def _opens_entry(text: str) -> bool:
    return _label_number(text) is not None or bool(_AUTHOR_START.match(text))


def _x_levels(members: Sequence[_Row]) -> list[float]:
    """The two commonest left edges of some rows (0.5 pt bins, merged within half a font
    size), left to right; one value when the rows are flush."""
    counts = Counter(round((r.x0 or 0.0) * 2) / 2 for r in members)
    size = median(r.size or 10.0 for r in members)
    clusters: list[list[float]] = []
    for x, _ in counts.most_common():
        near = [c for c in clusters if abs(x - c[0]) <= 0.5 * size]
        if near:
            near[0].append(x)
        else:
            clusters.append([x])
    clusters.sort(key=lambda c: -sum(counts[x] for x in c))
    return sorted(min(c) for c in clusters[:2])


def _indent_levels(rows: Sequence[_Row]) -> dict[tuple[int, int], tuple[float, float]]:
    """Per page column: x of entry starts and x of continuation lines, where the list is indented.

    A column showing two left edges gives them directly; which one opens entries (hanging
    indent or first-line indent) is decided by where author-like openings are more common. A
    column showing one edge (a page holding only the tail of an entry) borrows the levels of
    another column of the same slot whose start or continuation edge it matches.
    """
    regions: dict[tuple[int, int], list[_Row]] = {}
    for row in rows:
        if row.region is not None and row.x0 is not None:
            regions.setdefault(row.region, []).append(row)
    levels = {region: _x_levels(members) for region, members in regions.items()}
    indented = {region: lv for region, lv in levels.items() if len(lv) == 2}
    votes = Counter(
        "left" if abs((row.x0 or 0.0) - lv[0]) < abs((row.x0 or 0.0) - lv[1]) else "right"
        for region, lv in indented.items()
        for row in regions[region]
        if _opens_entry(row.text)
    )
    hanging = votes["left"] >= votes["right"]
    out = {region: (lv[0], lv[1]) if hanging else (lv[1], lv[0]) for region, lv in indented.items()}
    for region, lv in levels.items():
        if region in out:
            continue
        slot, size = regions[region][0].slot, median(r.size or 10.0 for r in regions[region])
        for other, (start, cont) in list(out.items()):
            if regions[other][0].slot == slot and min(abs(lv[0] - start), abs(lv[0] - cont)) < 0.5 * size:
                out[region] = (start, cont)
                break
    return out


def _numbered_starts(rows: Sequence[_Row], kind: str, first: int) -> list[bool]:
    """Rows that open an entry of a numbered list: the next label in sequence, or a label at
    most two ahead when the row also sits where labels sit (a label lost in extraction)."""
    starts: list[bool] = []
    expected = first
    label_x: list[float] = []
    for row in rows:
        lab = _label_number(row.text)
        opens = False
        if lab and lab[0] == kind:
            at_margin = row.x0 is not None and any(abs(row.x0 - x) < 0.5 * row.size for x in label_x)
            opens = lab[1] == expected or (expected < lab[1] <= expected + 2 and at_margin)
            if opens:
                expected = lab[1] + 1
                label_x += [row.x0] if row.x0 is not None else []
        starts.append(opens)
    return starts


def _author_year_starts(rows: Sequence[_Row]) -> list[bool]:
    """Rows that open an entry of an unnumbered list: at the start edge of an indented column,
    else an author-like opening after an entry that looks complete."""
    levels = _indent_levels(rows)
    starts: list[bool] = []
    previous = ""
    for row in rows:
        level = levels.get(row.region) if row.region is not None else None
        if level is not None and row.x0 is not None:
            opens = abs(row.x0 - level[0]) < abs(row.x0 - level[1])
        else:
            opens = bool(_AUTHOR_START.match(row.text)) and bool(_ENTRY_END.search(previous))
        previous = row.text if opens else f"{previous} {row.text}"
        starts.append(opens)
    return starts


def _group_rows(rows: Sequence[_Row]) -> list[list[int]]:
    """Indices of the rows of each entry (rows with no text, such as bullets, are skipped).

    A list whose first row carries a label is numbered and breaks only at labels in sequence;
    otherwise entries break at the start edge of a hanging indent, or, without geometry, at an
    author-like row that follows a complete entry.
    """
    keep = [i for i, r in enumerate(rows) if r.text]
    if not keep:
        return []
    kept = [rows[i] for i in keep]
    first = _label_number(kept[0].text)
    starts = _numbered_starts(kept, *first) if first else []
    if not first or (first[0] == "bare" and sum(starts) < 3):  # a bare number is a list label only if others follow
        starts = _author_year_starts(kept)
    groups: list[list[int]] = []
    for i, opens in zip(keep, starts):
        if opens or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


#: A token that looks like part of a URL or DOI (joined without a space when broken).
_URLISH = re.compile(r"(?:https?://|www\.|doi:|10\.\d{4,9}/)\S*[/._\-=?&]$", re.IGNORECASE)
_WORD = re.compile(rf"[{_L}{_U}]+(?:-[{_L}{_U}]+)*")


class _Vocabulary:
    """Words and hyphenated compounds used in a document, to decide how to mend line-end hyphens."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.words: set[str] = set()
        self.compounds: set[str] = set()
        self.suffixes: set[str] = set()
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        """Take the words of one more line."""
        for token in _WORD.findall(text):
            low = token.lower()
            if "-" in low:
                self.compounds.add(low)
                self.suffixes.update(low.split("-")[1:])
            else:
                self.words.add(low)

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Whether "left-" at a line end and "right" on the next line form a hyphenated compound."""
        head = (_WORD.findall(left) or [""])[-1].lower()
        tail = (_WORD.findall(right) or [""])[0].lower()
        if f"{head}-{tail}" in self.compounds:
            return True
        if f"{head}{tail}" in self.words:
            return False
        return tail in self.suffixes and len(head) > 2


def _join(texts: Sequence[str], vocabulary: _Vocabulary) -> str:
    """One entry's lines as one string: line-end hyphenation mended, URLs kept unbroken."""
    out = ""
    for text in texts:
        text = text.strip()
        if not out:
            out = text
        elif re.search(rf"[{_L}{_U}]-$", out) and re.match(rf"[{_L}]", text):
            out = out if vocabulary.keeps_hyphen(out[:-1], text) else out[:-1]
            out += text
        elif re.search(r"[-–‐]$", out) or _URLISH.search(out.rsplit(" ", 1)[-1]):
            out += text
        else:
            out += " " + text
    out = re.sub(r"\s+([,;])", r"\1", _compose_accents(out))
    return re.sub(r"\s+", " ", out).strip()


def _as_row(item: str | Line) -> _Row:
    if isinstance(item, str):
        return _Row(item)
    return _Row(item.text, x0=item.x0, bottom=item.bottom, size=item.size)


def split_reference_block(text_lines: Sequence[str | Line]) -> list[str]:
    """The entries of a reference block, one string each.

    ``text_lines`` are the block's lines in reading order, plain strings or layout
    :class:`~curate.extract.layout.Line` objects (whose x positions reveal hanging indents).
    """
    rows = _debullet([_as_row(t) for t in text_lines])
    vocabulary = _Vocabulary(r.text for r in rows)
    return [_join([rows[i].text for i in g], vocabulary) for g in _group_rows(rows)]


# --------------------------------------------------------------------------------------------
# Field parsing
# --------------------------------------------------------------------------------------------

#: A DOI, as printed or inside a doi.org URL.
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
#: Identifiers and notes that are not bibliographic fields (removed before parsing fields).
_IDENTIFIERS = re.compile(
    r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/\S+"
    r"|\b(?:PMID|PMCID|ISBN|ISSN|arXiv)\s*:?\s*[\w./\-]+"
    r"|\bEpub\s+(?:ahead\s+of\s+print\.?\s*)?(?:\d{4}(?:\s+[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?\.?"
    r"|\b(?:Available\s+(?:from|at|online)|Retrieved\s+from|Accessed)\b:?[^.]*"
    r"|https?://\S+|www\.\S+|\[(?:Internet|Epub|Online)\]|\b10\.\d{4,9}/\S+",
    re.IGNORECASE,
)
_YEAR_RE = r"(?:1[6-9]\d{2}|20\d{2})"
#: A year in brackets after the authors: "(2015)", "(2015a)", "(2015, March 3)".
_PAREN_YEAR = re.compile(rf"\(\s*(?P<year>{_YEAR_RE})[a-z]?(?:\s*[,;][^)]{{0,30}})?\s*\)")
#: The year right after the authors ("(2015).", "(2015, March 3).", "2015,"): part of neither title
#: nor venue (a date's day and month only inside brackets: "2000, MNRAS, 316" goes on with the venue).
_LEADING_YEAR = re.compile(
    rf"^[\s.,:;]*(?P<open>\()?\s*(?P<year>{_YEAR_RE})[a-z]?(?(open)(?:\s*[,;][^)]{{0,30}})?\s*\)|\)?)[\s.,:;]+"
)
#: Any plausible year that is not part of a page range or a longer number.
_ANY_YEAR = re.compile(rf"(?<![\d\-–:/.])(?P<year>{_YEAR_RE})[a-z]?(?![\d\-–])")
#: A publication date before the volume (Vancouver/NLM "2016 Sep;12", BMC "1989, 158:").
_DATE_BEFORE_VOLUME = re.compile(
    rf"(?P<year>{_YEAR_RE})[a-z]?(?:\s+[A-Z][a-z]{{2,8}}\.?(?:\s*\d{{1,2}})?(?:\s*-\s*[A-Z]?[a-z]*\.?)?)?"
    r"\s*[;,:]\s*[A-Z]?\d"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
#: Page numbers: "1075–1085", "S5-s10", "e0151938", "132S-75S".
_PAGES = r"[A-Za-z]{0,4}\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]{0,4}\d+[A-Za-z]?)?"
#: IEEE/Hindawi numbers: "vol. 337, no. 19, pp. 1360-1369" (not a series: "volume 12 of ...").
_IEEE_NUMBERS = re.compile(
    r"\b(?:vol(?:ume)?\.?|v\.)\s*(?P<volume>[A-Z]?\d+)(?![\d\s]*of\b)"
    r"(?:\s*,?\s*(?:no|issue)\.?\s*(?P<issue>[\w\-]+(?:,\s*supplement\s*\d+)?))?"
    rf"(?:\s*,?\s*(?:pp?|pages)\.?\s*(?P<pages>{_PAGES}))?",
    re.IGNORECASE,
)
#: Volume, issue and pages: "6(1), 1–14", "48:1038-1050", "27 Suppl 1:S5-s10", "39, 244–251"; a year
#: in brackets may sit between volume and pages (AMS: "72 (1993), 2-23"), and a space alone may
#: separate them after an issue or before a page range (computing styles: "10(12) 1952-1962",
#: "17 259-273", "1 pp. 35-50"). A year before a comma and a number is a date ("2007, 129, 3226").
_VOLUME_PAGES = re.compile(
    rf"(?<![\w.\-–])(?!{_YEAR_RE}\s*,\s*(?:pp?\.?\s*)?\d)(?P<volume>[A-Z]?\d+)"
    rf"(?:\s*,?\s*\((?!{_YEAR_RE}\))(?P<issue>[^)]{{1,20}})\)|\s(?P<supplement>Suppl\.?\s*\d*))?"
    rf"(?:\s*\({_YEAR_RE}\))?"
    rf"(?:\s*[:,]\s*(?:pp?\.?\s*|pages\s+)?|(?<=\))\s+|\s+(?:pp?\.\s*|pages\s+)?(?=\d+\s*[-–]\s*\d))"
    rf"(?P<pages>{_PAGES})(?=\s*(?:[.;,]|\(|$))"
)
#: Volume and issue without pages: "32(5)".
_VOLUME_ISSUE = re.compile(r"(?<![\w.])(?P<volume>[A-Z]?\d+)\s*\((?P<issue>[^)]{1,20})\)\s*\.?\s*$")
#: A bare page range: ", 769–777.", or in brackets after a book's title ("(pp. 167-193)").
_PAGES_ONLY = re.compile(r"(?:,|\(?\bpp?\.|\bpages)\s*(?P<pages>\d+\s*[-–—]\s*\d+)\s*(?:[.,;)]|$)")
#: Chicago numbers: "20, no. 3 (November 1948): 305–312".
_CHICAGO_NUMBERS = re.compile(
    r"(?<![\w.])(?P<volume>\d+),\s*no\.\s*(?P<issue>[\w\-/]+)(?:\s*\([^)]*\))?"
    rf"(?:\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>{_PAGES}))?"
)
#: A bare volume at the end: ", 9."
_VOLUME_ONLY = re.compile(r",\s*(?P<volume>\d{1,4})\s*\.?\s*$")
#: A container introduced by its editors: "In T. E. Moore (ed.), ..." / "In: Smith J, editor. ...".
_EDITED_IN = re.compile(
    r"^(?:in:?\s+)?(?:[^()]{1,120}?\((?:eds?|hrsg)\.?\)|[^.]{1,120}?,\s*(?:eds?|editors?)\.)[\s,.:]*", re.IGNORECASE
)
#: A date closing a venue: "Exp Ther Med. 2016 Sep;", "Am J Surg 1989,".
_TRAILING_DATE = re.compile(
    rf"[\s,.;(]*(?:{_YEAR_RE}[a-z]?)(?:\s+{_MONTH}(?:\s*\d{{1,2}})?(?:\s*-\s*{_MONTH})?)?[\s,.;:)]*$"
)
#: A date printed inside a venue ("L’Aide-soignante, mars 2014", "New York Times, May 28, 2013",
#: "Reuters, 5 June 2015").
_DATE_AFTER_VENUE = re.compile(rf",\s*(?:\d{{1,2}}\s+)?(?:[^\W\d_]+\.?\s+)?(?:\d{{1,2}},?\s+)?{_YEAR_RE}\b")
#: A day and month without a year closing a venue (newspapers: "Bloomberg 20 October",
#: "The New York Times (April 28"): full month names or stopped abbreviations only.
_TRAILING_DAY = re.compile(
    r"[\s,(]+(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)(?:\s+\d{1,2})?[\s,.;:)]*$"
)
#: What follows a book title: publishers, editions, editors; never a journal.
_NOT_VENUE = re.compile(
    r"\b(?:press|publish\w*|books?|verlag|edition|edn|edited|introduction|translated|retrieved|available"
    r"|university|wiley|springer|elsevier|academic|thesis|dissertation|report|to appear)\b|^\(|https?:|www\.",
    re.IGNORECASE,
)
#: "City: Publisher" (books): not a venue.
_PUBLISHER = re.compile(rf"^[{_U}][\w.'’\-]*(?:[ ,]+[{_U}][\w.'’\-]*){{0,3}}:\s*[{_U}][\w .,&'’\-]+$")
#: Tokens before a full stop that do not end a sentence (abbreviations, initials).
_ABBREVIATION = re.compile(
    r"\b(?:vs|e\.g|i\.e|et al|al|St|Dr|Mr|Mrs|Ms|No|Vol|vol|spp?|cf|approx|Fig|Eq|ed|eds|Ed|Eds|Inc|Ltd|Co|Jr|Sr)$"
)
#: A lone capital before a full stop: an initial ("E. coli"), unless it ends a phrase ("type I.").
_LONE_CAPITAL = re.compile(rf"(?:^|[\s(\-.])[{_U}{_L}]$")
_PHRASE_END = re.compile(rf"\b[{_L}]{{2,}}\s[{_U}]$")
#: The start of an abbreviated journal name that a full stop cut short ("..., J. Approx", "..., Int",
#: "IEEE Trans"): capitalised words of at most six letters, each before the last stopped or in
#: capitals; a single word only after a comma. The match ends where the venue starts.
_ABBREVIATED_VENUE = re.compile(
    rf"(?:^|,\s*)(?=(?:(?:[{_U}][{_L}]{{0,5}}\.|[{_U}]{{2,5}})\s*)+[{_U}][{_L}]{{1,5}}$)|,\s*(?=[{_U}][{_L}]{{1,4}}$)"
)
#: Opening and closing quotation marks around titles, each closed by its own kind (a double-quoted
#: title may hold apostrophes and single quotes: “A President’s ‘Gift’”); a closing single quote
#: is not an apostrophe inside a word.
_QUOTED = re.compile(
    r"(?:“(?P<curly>[^”\"]{3,}?)[,.]?\s*[”\"]|\"(?P<straight>[^\"”]{3,}?)[,.]?\s*[\"”]"
    r"|«\s*(?P<guillemet>[^»]{3,}?)[,.]?\s*»"
    rf"|‘(?P<single>[^‘]{{3,}}?)[,.]?’(?![{_L}{_U}]))"
)


#: A letter followed by a spacing accent, as some PDFs encode "ö" ("Dahlstro¨m").
_SPACING_ACCENT = re.compile(r"([A-Za-z])\s?([¨´`ˆ˜¸ˇ˚])")
_COMBINING = {
    "¨": "\u0308", "´": "\u0301", "`": "\u0300", "ˆ": "\u0302",
    "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c", "˚": "\u030a",
}


def _compose_accents(text: str) -> str:
    """Letters with accents the PDF drew as separate spacing glyphs, composed ("o¨" -> "ö")."""
    return _SPACING_ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(1) + _COMBINING[m.group(2)]), text)


def _clean(raw: str) -> str:
    return re.sub(r"\s+", " ", _compose_accents(normalise(raw))).strip()


def _pick_year(text: str) -> re.Match[str] | None:
    """The publication year: bracketed, else a date before the volume, else the last plausible one."""
    found = _PAREN_YEAR.search(text) or _DATE_BEFORE_VOLUME.search(text)
    if found:
        return found
    years = list(_ANY_YEAR.finditer(text))
    return years[-1] if years else None


def _author_end(text: str) -> tuple[int, bool]:
    """Where the author list ends, and whether it was recognised as a list of personal names."""
    ends = [m.end() for m in (pattern.match(text) for pattern in _AUTHOR_LISTS) if m]
    if ends:
        end = max(ends)
        after = text[end:]
        group = re.match(r",\s*[^.:“\"‘]{3,80}?:", after)  # "..., Study Group: Title"
        if group and _ORGANISATION.search(group.group(0)):
            end += group.end() - 1
        return end, True
    delimiters = [m.start() for m in (_PAREN_YEAR.search(text), _QUOTED.search(text)) if m and m.start() > 0]
    first_stop = _sentence_end(text)
    colon = text.find(":")
    if 0 < colon < min(first_stop, 150):
        delimiters.append(colon)
    double = text.find("..")
    if double > 0:
        delimiters.append(double)
    return (min(delimiters) if delimiters else first_stop), False


def _quoted_text(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g is not None)


def _sentence_end(text: str, start: int = 0) -> int:
    """Index of the first full stop, ? or ! that ends a sentence (not an initial or abbreviation)."""
    for m in re.finditer(r"[.?!](?=[”\"’]?\s|$)", text[start:]):
        cut = start + m.start()
        # the patterns look only at the end of ``before``: a window keeps each stop O(1)
        before, after = text[max(0, cut - 40) : cut], text[cut + 1 : cut + 8]
        if text[cut] != "." or not (_ABBREVIATION.search(before) or _LONE_CAPITAL.search(before)):
            return cut
        if _LONE_CAPITAL.search(before) and _PHRASE_END.search(before) and re.match(rf"\s+[{_U}\d]", after):
            return cut
    return len(text)


def _initials(given: str) -> str:
    """Given names as spaced initials: "Hao-jie" -> "H.-J.", "RF" -> "R. F.", "H.I." -> "H. I."."""
    given = given.strip().rstrip(",")
    if re.fullmatch(rf"[{_U}]{{1,4}}", given):
        return " ".join(f"{c}." for c in given)
    parts = []
    for token in re.split(rf"\s+|(?<=\.)(?=[{_U}])", given):  # "T.A." is two initials
        pieces = [p for p in token.split("-") if p]
        parts.append("-".join(f"{p.rstrip('.')[0].upper()}." for p in pieces) if pieces else "")
    return " ".join(p for p in parts if p)


#: One name or organisation between separators (bounded: no pattern rescans a whole entry per name).
_CHUNK = re.compile(r"[^,;]{1,200}")


def _read_names(span: str, pattern: re.Pattern[str]) -> tuple[list[str], str, int, float]:
    """Names read from the start of ``span`` with one name pattern order: the names as
    ``Surname, I. I.``, the first surname, how far the reading got, and the share of names
    read in the form most of them take (a list keeps one form: "L. Nguyen, Duc M. Hoang" is
    two direct names, not a direct one then "Duc, M.")."""
    names: list[str] = []
    forms: list[str] = []
    first = ""
    pos = 0
    while pos < len(span):
        sep = _BETWEEN_NAMES.match(span, pos)
        if sep and sep.end() > pos:
            if re.search(r"et\s*al", sep.group(0)):
                names.append("et al.")
            pos = sep.end()
            continue
        chunk = _CHUNK.match(span, pos)
        if chunk and _ORGANISATION.search(chunk.group(0)):
            names.append(chunk.group(0).strip(" ."))
            first = first or names[-1]
            pos = chunk.end()
            continue
        m = pattern.match(span, pos)
        if not m:
            break
        form = "inv" if m.group("inv_sur") else "van" if m.group("van_sur") else "dir"
        surname, given = m.group(f"{form}_sur"), m.group({"inv": "inv_giv", "van": "van_ini", "dir": "dir_giv"}[form])
        names.append(f"{surname}, {_initials(given)}".rstrip(", "))
        forms.append(form)
        first = first or surname
        pos = m.end()
    share = max(map(forms.count, set(forms))) / len(forms) if forms else 0.0
    return names, first, pos, share


def _split_names(span: str) -> tuple[list[str], str]:
    """``Surname, Initials`` for each name in an author span, and the first surname.

    A span that is not a list of personal names (a consortium, an agency) is kept whole.
    """
    span = span.strip(" ,;:")
    names, first, _, _ = max((_read_names(span, order) for order in _NAME_ORDERS), key=lambda r: (r[2], r[3]))
    if not first:
        return ([span.rstrip(".")] if span else []), span.rstrip(".")
    return names, first


def _repeated_title(rest: str) -> re.Match[str] | None:
    """A quoted title further on that repeats the text the entry continues with (reference
    managers that print authors and title twice): it marks where the title really ends."""
    key = re.sub(r"\W+", " ", rest.lower())
    for m in _QUOTED.finditer(rest, 1):
        title = re.sub(r"\W+", " ", _quoted_text(m).lower()).strip()
        if len(title) >= 15 and key.strip().startswith(title):
            return m
    return None


#: Editor marks between an author list and the title: "eds.", "(Editors)".
_EDITOR_MARK = re.compile(r"^[\s,.]*(?:\((?:eds?|editors?|hrsg)\.?\)|(?:eds?|editors?)\.)[\s,.]*", re.IGNORECASE)
#: Notes printed after a title that are not part of it: "(Unpublished doctoral dissertation)", ", 2007".
_TITLE_NOTE = re.compile(
    r"(?:\s*\((?:unpublished|doctoral|master|ph\.?d|in press|abstract|letter|editorial|review)[^)]*\)"
    rf"|,\s*{_YEAR_RE}[a-z]?)$",
    re.IGNORECASE,
)


def _numbers_start(text: str) -> int:
    """Where the first volume/issue/pages group starts (the length of the text if none)."""
    found = [m.start() for m in (p.search(text) for p in (_IEEE_NUMBERS, _CHICAGO_NUMBERS, _VOLUME_PAGES)) if m]
    return min(found, default=len(text))


def _abbreviations_only(text: str) -> bool:
    """Whether every full stop in the text closes an abbreviated word ("Chem. Soc. 2007, 129")."""
    stops = re.findall(r"(\S*)([.?!])(?=\s|$)", text)
    return all(mark == "." and re.fullmatch(rf"[{_U}][{_L}]{{0,5}}|[{_U}]{{2,5}}", word) for word, mark in stops)


def _split_title(rest: str) -> tuple[str, str]:
    """Title and what follows it (venue and numbers).

    Where no full stop comes before the volume and pages, fields are separated by commas only
    (humanities and some science styles): the venue is the last comma-separated part before
    the numbers, and a string with no such part has no title (chemistry and physics styles).
    A journal abbreviation cut short at its first full stop is given back to the venue.
    """
    rest = _EDITOR_MARK.sub("", rest.lstrip(" .,:;"))
    quoted = _QUOTED.match(rest)
    if quoted:
        return _quoted_text(quoted).strip(" ,."), rest[quoted.end() :]
    repeated = _repeated_title(rest)
    if repeated:
        return _quoted_text(repeated).strip(" ,."), rest[repeated.end() :]
    end = _sentence_end(rest)
    numbers = _numbers_start(rest)
    if numbers < end:  # no full stop before the numbers: fields separated by commas only
        head = rest[:numbers].rstrip(" ,;:")
        cut = max(head.rfind(","), head.rfind("?") + 1, head.rfind("!") + 1, 0)
        return head[:cut].strip(" ,."), rest[cut:]
    title = rest[: end + 1] if end < len(rest) and rest[end] in "?!" else rest[:end]
    abbreviated = _ABBREVIATED_VENUE.search(title)  # "..., J. Approx. Theory 72 (1993), 2-23"
    if abbreviated and end < numbers < len(rest) and _abbreviations_only(rest[end + 1 : numbers]):
        return title[: abbreviated.start()].strip(" ,."), rest[abbreviated.end() :]
    return _TITLE_NOTE.sub("", title.strip(" ,.")).strip(" ,."), rest[end + 1 :]


def _parse_tail(tail: str, year: int | None) -> tuple[str, str, str, str]:
    """Venue, volume, issue and pages from the text after the title."""
    tail = re.sub(r"^[\s.,:;]*", "", tail).strip()
    edited = _EDITED_IN.match(tail)
    tail = tail[edited.end() :] if edited else re.sub(r"^in:?\s+", "", tail, flags=re.I)
    volume = issue = pages = ""
    cut = len(tail)
    for pattern in (_IEEE_NUMBERS, _CHICAGO_NUMBERS, _VOLUME_PAGES, _VOLUME_ISSUE, _PAGES_ONLY, _VOLUME_ONLY):
        m = pattern.search(tail)
        if not m:
            continue
        if pattern is _VOLUME_ONLY and m.group("volume") == str(year):
            continue  # "Cell Transplantation. 2014." ends with the year, not a volume
        groups = m.groupdict()
        volume = groups.get("volume") or ""
        issue = groups.get("issue") or groups.get("supplement") or ""
        pages = re.sub(r"\s*[–—]\s*|\s*-\s*", "-", groups.get("pages") or "")
        cut = m.start()
        break
    venue = tail[:cut]
    dated = _DATE_AFTER_VENUE.search(venue)
    if dated:
        venue = venue[: dated.start()]
    date = _TRAILING_DATE.search(venue)
    if date:
        venue = venue[: date.start()]
    venue = _TRAILING_DAY.sub("", venue)
    if cut == len(tail):
        venue = venue[: _sentence_end(venue)]
    venue = re.sub(r"\s*\(\s*\d[^)]*\)\s*$", "", venue)  # "(111–144)": pages in brackets
    venue = re.sub(r"(?:^|[\s,.;:])(?:vol|v)\.?$", "", venue.strip(" ,.;:("), flags=re.IGNORECASE).strip(" ,.;:")
    books = cut == len(tail) and (_PUBLISHER.match(venue) or _NOT_VENUE.search(venue))
    if books or not re.search(rf"[{_L}{_U}]{{2}}", venue):
        venue = ""
    return venue, volume, issue, pages


def _confidence(ref: Reference, named: bool) -> float:
    """How sure the parse is: every core field found, authors recognised, plausible lengths."""
    score = 1.0
    score -= 0.25 if ref.year is None else 0.0
    score -= 0.25 if not ref.first_author else (0.0 if named else 0.1)
    score -= 0.2 if not 10 <= len(ref.title) <= 400 else 0.0
    score -= 0.15 if not ref.venue else 0.0
    score -= 0.1 if not (ref.volume or ref.pages) else 0.0
    score -= 0.2 if not 30 <= len(ref.raw) <= 1200 else 0.0
    return round(max(0.0, min(1.0, score)), 2)


def _prepare(raw: str) -> tuple[str, str, str, str]:
    """The cleaned string, its label, its DOI, and the body fields are read from (label,
    DOI, URLs and database identifiers removed)."""
    text = _clean(raw)
    label = _LABEL.match(text)
    number = next(g for g in label.groups() if g) if label else ""
    body = text[label.end() :] if label else text
    doi = _DOI.search(body)
    body = re.sub(r"\s+", " ", _IDENTIFIERS.sub(" ", body)).strip(" ;")
    return text, number, doi.group(1).rstrip(".,;)]") if doi else "", body


def author_span(raw: str) -> str:
    """The author list as printed in a reference string (what ``authors`` is parsed from)."""
    body = _prepare(raw)[3]
    return body[: _author_end(body)[0]].strip(" ,;:")


#: Characters of an entry its fields are read from (the longest real entries have ~1,500; the
#: whole entry is still kept in ``raw``).
LONGEST_ENTRY = 3000


def parse_reference(raw: str) -> Reference:
    """Fields of one reference string (label, authors, year, title, venue, numbers, DOI)."""
    text, label, doi, body = _prepare(raw)
    body = body[:LONGEST_ENTRY]  # fields are read from a bounded string: time stays linear
    ref = Reference(raw=text, label=label, doi=doi)
    year = _pick_year(body)
    ref.year = int(year.group("year")) if year else None
    end, named = _author_end(body)
    names, ref.first_author = _split_names(body[:end])
    ref.authors = "; ".join(names)
    rest = body[end:]
    lead = _LEADING_YEAR.match(rest)
    if lead and ref.year is not None and int(lead.group("year")) == ref.year:
        rest = rest[lead.end() :]
    ref.title, tail = _split_title(rest)
    ref.venue, ref.volume, ref.issue, ref.pages = _parse_tail(tail, ref.year)
    ref.confidence = _confidence(ref, named)
    return ref


# --------------------------------------------------------------------------------------------
# The whole list, with provenance
# --------------------------------------------------------------------------------------------


def _first_x(line: Line) -> float:
    """x where the line's text starts, a leading bullet glyph ignored."""
    words = [w for w in line.words if not _BULLET.fullmatch(w.text)]
    return words[0].x0 if words else line.x0


def _rows_of(pieces: Sequence[Piece]) -> list[_Row]:
    return _debullet(
        [_Row(p.line.text, _first_x(p.line), p.slot, (p.page, p.region), p.line.bottom, p.line.size) for p in pieces]
    )


def _cut_at_gap(rows: Sequence[_Row]) -> int:
    """How many rows belong to the list: it ends at a gap well beyond the list's own spacing
    (90th percentile of its line pitches) unless the line after the gap opens an entry."""
    pitches = sorted(
        b.bottom - a.bottom for a, b in zip(rows, rows[1:]) if a.region == b.region and b.bottom > a.bottom
    )
    if len(pitches) < 4:
        return len(rows)
    usual = pitches[int(0.9 * (len(pitches) - 1))]
    for k in range(1, len(rows)):
        a, b = rows[k - 1], rows[k]
        if a.region == b.region and b.bottom - a.bottom > 1.5 * usual and not _opens_entry(b.text):
            return k
    return len(rows)


def _boxes(pieces: Sequence[Piece]) -> list[list[float]]:
    """One [page, x0, top, x1, bottom] box per page/column piece of an entry."""
    parts: dict[tuple[int, int], list[Line]] = {}
    for p in pieces:
        parts.setdefault((p.page, p.region), []).append(p.line)
    return [
        [page, round(min(ln.x0 for ln in lines), 1), round(min(ln.top for ln in lines), 1),
         round(max(ln.x1 for ln in lines), 1), round(max(ln.bottom for ln in lines), 1)]
        for (page, _), lines in parts.items()
    ]


def _label_warning(entries: Sequence[Reference]) -> str | None:
    """Numbered lists should count up by one; say which numbers are missing or repeated."""
    labels = [int(e.label) for e in entries if e.label.isdigit()]
    if len(labels) != len(entries) or not labels:
        return None
    missing = sorted(set(range(labels[0], labels[-1] + 1)) - set(labels))
    if missing or len(set(labels)) != len(labels):
        return f"labels not consecutive (missing {missing[:10]})"
    return None


def extract_references(pdf: Any, source: str = "", stream: Sequence[Piece] | None = None) -> ReferenceList:
    """The parsed reference list of a paper, each entry with the pages and boxes it came from.

    ``stream`` is the paper's :func:`reading_order` when the caller already has it.
    """
    stream = stream if stream is not None else reading_order(pdf)
    vocabulary = _Vocabulary()
    headings = []
    for i, piece in enumerate(stream):  # one pass over the whole stream: headings and words
        text = piece.line.text
        vocabulary.add(text)
        if _HEADING.match(text.strip()):
            headings.append(i)
    if not headings:
        return ReferenceList([], "no reference section found")
    candidates = []
    for heading in headings:
        pieces = _section(stream, heading)
        rows = _rows_of(pieces)
        keep = _cut_at_gap(rows)
        candidates.append((pieces[:keep], rows[:keep], _group_rows(rows[:keep]), heading))
    pieces, rows, groups, heading = max(reversed(candidates), key=lambda c: len(c[2]))  # the main list; ties: the later
    if not groups:
        return ReferenceList([], "reference heading found but no entries after it", heading)
    entries: list[Reference] = []
    for index, group in enumerate(groups, start=1):
        ref = parse_reference(_join([rows[i].text for i in group], vocabulary))
        ref.source, ref.index = source, index
        ref.pages_in_pdf = sorted({pieces[i].page for i in group})
        ref.bbox = _boxes([pieces[i] for i in group])
        entries.append(ref)
    return ReferenceList(entries, _label_warning(entries), heading)


#: Columns of ``raw/<paper_id>/references.csv`` (the folder names the paper, so no source column).
CSV_COLUMNS = [f.name for f in fields(Reference) if f.name != "source"]


def write_references_csv(entries: Iterable[Reference], path: str | os.PathLike[str]) -> None:
    """One row per entry (lists as JSON), written atomically."""
    rows = [[json.dumps(v) if isinstance(v := getattr(e, k), list) else ("" if v is None else v) for k in CSV_COLUMNS] for e in entries]
    write_csv(Path(path), [CSV_COLUMNS, *rows])
