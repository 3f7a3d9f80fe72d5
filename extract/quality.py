"""A table's quality score: how well a candidate grid accounts for the words in its box.

The score multiplies factors in [0, 1] so that any one failure shows (each that costs is
named in the table's ``reasons``):
- token F1: the words printed inside the table box against the words in the cells (a word
  cut in two, lost, or pulled in from outside costs here);
- column consistency: a column holds numbers or text, not a mix (a shifted cell costs here);
- no one-cell rows in a table of three or more columns (a wrapped cell split into rows),
  section rows (a label in the first column alone) excepted;
- no empty columns (a spurious split);
- not running text (prose between rules or in a text box read as a two-column "table");
- no number cells holding several figures (neighbouring columns merged);
- no glyphs the PDF maps to no character ("(cid:3)": a formula or symbols, not readable text);
- no row whose label joins a line that looks like a row of its own (rows run together; judged
  on the page by the grid reader);
- a header row (without one, the header was most likely read into the caption or lost; a
  few lines of words with neither header nor figures are a text box, not a table);
- no columns of words with nothing in the header over them beside a column of words (a label
  cut across columns).

A spanning header counts once per printing (it heads each of its columns in the reading).
:func:`header_lacking` (a header of one cell, over few of the columns of figures, or ending in
their figures) is judged on the reading chosen, after the choice between readers: every reader
reads the box under the same header line, so it says what the box lacks, not which reader erred.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from curate.extract.grid import ITEM_MARK

_NUMERIC = re.compile(r"^[<>≤≥~±+-]?\d|^[$€£¥]\d[\d,.]*[A-Za-z]{0,2}$")  # starts like a number: "63%", "<6 m", "8/10(A)"; an amount alone: "$49,497", "$1.1M"
_NEUTRAL = {"NA", "N/A", "NR", "-", "--", "—", "–", "ND", "n.a."}
_NOT_DONE = re.compile(r"^not\s+[^\W\d_]+\.?$", re.I)  # "Not done", "not available", "Not reported"


_CODE = re.compile(r"^\d+[A-Z]")  # an identifier that starts with digits: "33RE", "2B-004", "1X-0802"


def _neutral(cell: str) -> bool:
    """'Not applicable / reported / determined / available' in any of its spellings ("NA",
    "n.d.^a", "—", "Not done"), or a mark with no letter or figure (":", "..", "*")."""
    key = re.sub(r"\^\S+$", "", cell.strip())
    return key in _NEUTRAL or key.replace(".", "").upper() in _NEUTRAL or bool(_NOT_DONE.match(key)) or (bool(key) and not any(ch.isalnum() for ch in key))


_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of letters: "years" in "54 years", not "mg"


def is_numeric(cell: str) -> bool:
    """A cell that starts like a number ("63%", "<6 m", "8/10(A)", "54.2 years"), or is an amount alone ("$49,497", "$1.1M"; "$9,594 or less" is not); "NA"-like
    cells, codes that start with digits ("33RE") and numbered text ("4.3 Treatment protocols",
    "1. Staff attitude is good": two words or more) are not."""
    cell = cell.strip()
    return not _neutral(cell) and bool(_NUMERIC.match(cell)) and not _CODE.match(cell) and len(_WORD.findall(cell)) < 2


def _tokens(texts: Sequence[str]) -> Counter[str]:
    """Tokens split at spaces, at '^' (a raised mark is its own word on the page, ``kg^a`` in a
    cell) and after '-' and '/' (a cell's lines are joined without a space there: "follow-" and
    "up" printed, "follow-up" read)."""
    return Counter(tok for t in texts for tok in _split(t))


def _split(text: str) -> list[str]:
    return [tok for tok in re.split(r"[\s^]+|(?<=[-/])", text) if tok]


#: The most words a spanning header holds: a sentence over the header (a caption) is no spanner.
_SPANNER = 8


def _spanned(header: Sequence[str]) -> tuple[Counter[str], Counter[str]]:
    """A header's tokens, and apart from them those that repeat the words it starts with in the
    cell before, over a header of its own (a spanning header heads each of its columns: 'Men
    no.', 'Men Rate'; a spanner alone over a column heads no column of its own: a split)."""
    own: Counter[str] = Counter()
    repeated: Counter[str] = Counter()
    before: list[str] = []
    for cell in header:
        toks = _split(cell)
        shared = next((i for i, (a, b) in enumerate(zip(toks, before)) if a != b), min(len(toks), len(before)))
        shared = shared if shared < len(toks) and shared <= _SPANNER else 0
        repeated.update(toks[:shared])
        own.update(toks[shared:])
        before = toks
    return own, repeated


def token_f1(cells: Sequence[Sequence[str]], words: Sequence[str], header: Sequence[str] = ()) -> float:
    """F1 of cell tokens against printed words (multisets). A spanning header's words repeated
    over each of its columns (``header``) count once each time they are printed."""
    got = _tokens([c for row in cells for c in row])
    want = _tokens(words)
    own, repeated = _spanned(header)
    got += own
    got += Counter({t: min(n, max(0, want[t] - got[t])) for t, n in repeated.items()})
    if not got or not want:
        return 0.0
    hit = sum((got & want).values())
    precision = hit / sum(got.values())
    recall = hit / sum(want.values())
    return 0.0 if hit == 0 else 2 * precision * recall / (precision + recall)


def column_consistency(rows: Sequence[Sequence[str]]) -> float:
    """Mean over columns of the share of the majority kind (number or text) among filled cells."""
    if not rows:
        return 0.0
    ncols = max(len(r) for r in rows)
    shares = []
    for c in range(ncols):
        kinds = [is_numeric(r[c]) for r in rows if c < len(r) and r[c].strip() and not _neutral(r[c])]
        if kinds:
            numeric = sum(kinds)
            shares.append(max(numeric, len(kinds) - numeric) / len(kinds))
    return sum(shares) / len(shares) if shares else 0.0


#: Below this score a table is reported as read with low confidence (a warning, with reasons).
LOW = 0.8
#: The factor, and the reason, for a table whose box leaves unread a line under it that lines
#: up with its columns (judged on the page: :func:`curate.extract.textblocks.runs_on_below`).
CUT_SHORT = 0.6
CUT_SHORT_REASON = "the line under the table lines up with its columns (a wrapped cell's last line, or rows, left unread): the table may be cut short"
#: ... and for one whose rows run on past its side (:func:`curate.extract.textblocks.runs_on_beside`).
CUT_NARROW_REASON = "the table's rows run on past its side (words set a gutter away from its edge): columns may be left unread"
#: The factor, and the reason, for a reading whose rows' labels join lines that each look like
#: a row's first line (:func:`curate.extract.grid._merged_labels`): a label-only line run into
#: the complete row above it, every row under it shifted.
MERGED_LABEL = 0.9
MERGED_LABEL_REASON = "a row's label joins a line that looks like a row of its own (a label-only line run into the row above): rows may be merged"
#: The factor for a reading whose header is not the table's (:func:`header_lacking`).
UNHEADED = 0.75
UNHEADED_REASON = "half or more of the columns of figures have no header over them (the header may be in the caption, read as rows, or set over other columns)"
ONE_CELL_HEADER_REASON = "the header is one cell over three columns or more (a title or the caption's last line: the real header read as rows, or lost)"
FIGURE_HEADER_REASON = "the header over half or more of the columns of figures ends in a figure (a row read into the header, the real header in the caption)"
_ASIDE = re.compile(r"[(\[][^)\]]*[)\]]?|[±/×]\s*\S+|\^\S+|[–‐‑-]\s*\d\S*|[‐‑-][A-Z][a-z]{2}[‐‑-]\d+")  # parts of one figure ("29-Aug-11" a date)
_FIGURE = re.compile(r"\d{1,3}(?:[ \u2009]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)*")  # "60 826" is one figure


def prose_share(rows: Sequence[Sequence[str]], header: Sequence[str] = ()) -> float:
    """Share of filled cells that are running text (many words, few figures, long) in a row
    with no figure of its own in another cell, when the reading has at most three columns: prose
    read as a table. A long label beside its row's figures is a row; wide tables may hold long
    text cells, and so does a table of text headed over every column whose rows are named by
    labels that are no running text themselves (a term: 'Major', 'Likert scale') beside their
    definitions: prose in columns has running text in its first column too."""
    ncols = max((len(r) for r in rows), default=0)
    if ncols > 3:
        return 0.0

    def prose(cell: str) -> bool:
        words = cell.split()
        return len(words) >= 6 and len(cell) > 35 and sum(1 for w in words if is_numeric(w)) <= 0.2 * len(words)

    labels = [r[0] for r in rows if r and r[0].strip()]
    if len(header) == ncols and all(h.strip() for h in header) and labels and not any(map(prose, labels)):
        return 0.0
    filled = [[c for c in r if c.strip()] for r in rows]
    cells = sum(map(len, filled))
    running = sum(1 for r in filled for c in r if prose(c) and not any(is_numeric(o) for o in r if o is not c))
    share = running / cells if cells else 0.0
    return share if share >= 0.3 else 0.0


def _merged_share(rows: Sequence[Sequence[str]]) -> float:
    """Figures in number columns beyond one per cell, per cell, at most 1: neighbouring columns
    read as one ("21.03 0.27" costs one), or rows run together (a cell holding the figures of
    eight rows costs seven). A figure in parentheses or after ± is part of its cell."""
    ncols = max((len(r) for r in rows), default=0)
    numeric, merged = 0, 0
    for c in range(1, ncols):
        column = [r[c] for r in rows if c < len(r) and r[c].strip()]
        numbers = list(map(is_numeric, column))
        if _mostly_numbers(numbers):
            numeric += len(column)
            merged += sum(max(0, len(_FIGURE.findall(_ASIDE.sub(" ", cell))) - 1) for cell, number in zip(column, numbers) if number)
    return min(1.0, merged / numeric) if numeric else 0.0


def _figures(rows: Sequence[Sequence[str]], c: int) -> bool:
    """Does column ``c`` hold figures (most of its filled cells numbers)?"""
    return _mostly_numbers([is_numeric(r[c]) for r in rows if c < len(r) and r[c].strip()])


def _mostly_numbers(numbers: Sequence[bool]) -> bool:
    """Are most of a column's filled cells numbers (``numbers``: whether each is)?"""
    return bool(numbers) and sum(numbers) * 2 > len(numbers)


_DECIMAL = re.compile(r"^[<>≤≥~±+-]?\d+[.,]\d+%?$")  # a figure with decimals: "59.0", not "12" (Week 12) nor "384)"


def unheaded_words(header: Sequence[str], rows: Sequence[Sequence[str]]) -> float:
    """Share of the columns after the first that hold words, right of a column of words, and
    have nothing in the header over them, when the reading has a header: a label cut across
    columns ('Projections of' | 'Education' | 'Statistics to')."""
    ncols = max((len(r) for r in rows), default=0)
    if ncols < 2 or sum(1 for h in header if h.strip()) < 2:  # a header of one cell: header_lacking's
        return 0.0
    words = [c for c in range(ncols) if not _figures(rows, c) and any(c < len(r) and r[c].strip() and not _neutral(r[c]) for r in rows)]
    return sum(1 for c in words if c - 1 in words and (c >= len(header) or not header[c].strip())) / (ncols - 1)


def header_lacking(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str | None:
    """Why the header of a reading is not the table's, if it is not: it is one cell over three
    columns or more (a title, the caption's last line); with two columns of figures or more
    (after the first), it stands over less than half of them (the caption's last line, a
    unit line, a spanner left over one column: the real header lost to the caption or read as
    rows, or numbers split across columns under their header), or over half of them or more it
    ends in a figure with decimals (the first row read into the header, or as the header)."""
    ncols = max((len(r) for r in rows), default=0)
    figures = [c for c in range(1, ncols) if _figures(rows, c)]
    cells = [header[c].split() if c < len(header) else [] for c in figures]
    if ncols >= 3 and len({h for h in header if h.strip()}) == 1:  # one phrase, also spanning every column (a title)
        return ONE_CELL_HEADER_REASON
    if len(figures) < 2 or not any(h.strip() for h in header):
        return None
    if sum(1 for words in cells if not words) * 2 >= len(figures):
        return UNHEADED_REASON
    if sum(1 for words in cells if words and _DECIMAL.match(words[-1])) * 2 >= len(figures):
        return FIGURE_HEADER_REASON
    return None


_ITEM = re.compile(rf"^(?:{ITEM_MARK}\s*|\()?[A-Z][a-z]")  # "• Lack of ...", "- Workload", "2. Weak ...", "(Additional file 1)"


def _split_rows(rows: Sequence[Sequence[str]]) -> float:
    """Share of rows that hold one cell and are not section rows (a label in the first column
    opening a group) nor an item of a list of text (bullet, dash, number or parenthesis, then a
    capital, in a column of text): the rest of a wrapped cell, or a cell cut off its row."""
    ncols = max((len(r) for r in rows), default=0)
    if ncols < 3:
        return 0.0
    split = 0
    for r in rows:
        filled = [c for c, cell in enumerate(r) if cell.strip()]
        if len(filled) != 1:
            continue
        cell = r[filled[0]].strip()
        if filled[0] == 0:
            split += cell[:1].islower() or cell[:1] in "(["
        else:
            split += not (_ITEM.match(cell) and not is_numeric(cell))
    return split / len(rows)


_NO_HEADER = (0.85, "no header row found (it may be in the caption or missing)")
_STACKED = (0.9, "a row repeats the header's last line: tables stacked under one header, read as one")


def _repeats_header(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Does a body row print again what the header's last line holds, cell for cell (two cells
    or more): a stacked table's own header under a section row, the blocks read as one table?"""
    for row in rows:
        cells = [(c, h) for c, h in zip(row, header) if c.strip()]
        if len(cells) >= 2 and all(h != c and h.endswith(" " + c) for c, h in cells):
            return True
    return False


_SIDE_BY_SIDE = (0.9, "the header's column groups repeat, each over a column of labels: tables set side by side, or one table set in halves, read as one")


def repeated_groups(header: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """How many columns each group spans when the header repeats in column groups: the first
    head printed again every that many columns (two groups or more; not one head spanning
    them all), over a column of labels (words, not figures) each time. 0 when it does not.
    Tables side by side, or a table set in halves, read as one table with its groups repeated."""
    n = len(header)
    for width in range(2, n // 2 + 1):
        starts = range(0, n, width)
        if n % width or not header[0].strip() or header[1] == header[0] or any(header[s] != header[0] for s in starts):
            continue
        labels = [[r[s] for r in rows if s < len(r) and r[s].strip()] for s in starts]
        if all(cells and 2 * sum(map(is_numeric, cells)) < len(cells) for cells in labels):
            return width
    return 0


#: The most a table with a glyph mapped to no character scores (a font without a ToUnicode
#: entry for a ligature or a quote, as a re-printer leaves it: 'Di(cid:15)erence').
UNREAD_MAX = 0.9
_TEXT_BOX = (0.8, "a few lines of words, no header, no figure: a text box rather than a table")


def header_printed_before(value: float, reasons: list[str]) -> tuple[float, list[str]]:
    """The score and reasons of a table's part whose header is printed on an earlier page (a
    table continued without repeating it): its missing header costs nothing."""
    for factor, why in (_NO_HEADER, _TEXT_BOX):
        if why in reasons:
            value, reasons = min(1.0, value / factor), [r for r in reasons if r != why]
    return round(value, 4), reasons


def assess(header: Sequence[str], rows: Sequence[Sequence[str]], words: Sequence[str], merged_labels: int = 0) -> tuple[float, list[str]]:
    """Quality in [0, 1] of a candidate (header + body rows) for a box whose printed words are
    ``words``, and why it is not 1: each factor that costs says so in plain words.
    ``merged_labels``: rows whose label joins a line that looks like a row start (judged on
    the page by the reader that built the rows)."""
    if not rows:
        return 0.0, ["no rows"]
    ncols = max(len(r) for r in rows)
    factors: list[tuple[float, str]] = []
    f1 = token_f1(rows, words, header)
    factors.append((f1, f"cells account for the printed words poorly (token F1 {f1:.2f})"))
    consistency = column_consistency(rows)
    factors.append((consistency, f"columns mix figures and text ({consistency:.2f} consistent): cells shifted or merged"))
    split = _split_rows(rows)
    factors.append((1 - split, f"{split:.0%} of rows hold a single stray cell: wrapped cells split into rows"))
    headed = set(c for c, h in enumerate(header) if h.strip())  # a headed column may be empty (pictures, not applicable)
    empty = sum(1 for c in range(ncols) if c not in headed and not any(c < len(r) and r[c].strip() for r in rows)) / ncols
    factors.append((1 - empty, f"{empty:.0%} of columns are empty: a spurious column split"))
    prose = prose_share(rows, header)
    factors.append((1 - prose, f"{prose:.0%} of cells are running text: prose read as a table"))
    merged = _merged_share(rows)
    factors.append((1 - merged, f"number cells hold {merged:.0%} more figures than cells: columns or rows merged"))
    filled = [c for r in (header, *rows) for c in r if c.strip()]
    unread = sum(1 for c in filled if "(cid:" in c) / len(filled) if filled else 0.0
    # a cell whose text is not known is misread, header cell or not: never confident
    factors.append((min(1 - unread, UNREAD_MAX) if unread else 1.0, f"{unread:.0%} of cells hold glyphs the PDF maps to no character: text not readable"))
    bare = unheaded_words(header, rows)
    factors.append((1 - bare / 2, f"{bare:.0%} of columns hold words with no header over them beside a column of words: a label cut across columns"))
    if merged_labels:
        factors.append((MERGED_LABEL, MERGED_LABEL_REASON))
    if _repeats_header(header, rows):
        factors.append(_STACKED)
    if repeated_groups(header, rows):
        factors.append(_SIDE_BY_SIDE)
    if not any(h.strip() for h in header):
        factors.append(_NO_HEADER)
        if len(rows) <= 3 and not any(re.search(r"\d", c) for r in rows for c in r):
            factors.append(_TEXT_BOX)
    value = 1.0
    for f, _ in factors:
        value *= f
    return round(value, 4), [why for f, why in factors if f < 0.98]


def score(header: Sequence[str], rows: Sequence[Sequence[str]], words: Sequence[str]) -> float:
    """Quality in [0, 1] of a candidate (see :func:`assess`)."""
    return assess(header, rows, words)[0]
