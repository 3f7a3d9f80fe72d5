"""Words and lines rebuilt from a PDF page's characters.

pdfplumber's own word grouping uses a fixed x tolerance, which glues words together in
tightly set (TeX) PDFs and splits them in loosely set ones, and it drops the fact that a
smaller raised glyph is an exponent. Tables and reference lists both need lines whose words
are right, so they are rebuilt here from the characters, with tolerances relative to the
font size. Superscript exponents after a number become ``10^6``; other raised marks
(footnote and affiliation markers) become separate words flagged ``superscript``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from statistics import median
from typing import Any

from curate.extract.text import normalise

BBox = tuple[float, float, float, float]

#: Gap between two glyphs, as a fraction of the font size, above which they are two words.
#: TeX sets inter-word spaces at >= 0.22 em and kerns letters within +-0.15 em.
WORD_GAP = 0.18
#: A glyph smaller than this fraction of its line's size is a super- or subscript.
SMALL = 0.85
#: A glyph less small than SMALL but lifted LIFT to RISE of an em above its line's baseline is a
#: raised mark too (WeasyPrint sets <sup> at 7.2 pt over 8 pt type: 0.9, its baseline 0.47 em
#: up); lifted more, it is a line above.
MARK_SMALL, LIFT, RISE = 0.95, 0.3, 0.7
#: Footnote marks: set small, they are always raised.
_MARKS = "∗*†‡§¶"


@dataclass(slots=True, unsafe_hash=True)
class Word:
    """A run of glyphs with no word space inside, in PDF points (origin top-left).

    Never changed once made (hashed by its fields); not ``frozen`` only because a frozen
    dataclass is four times slower to make, and every page makes thousands."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    superscript: bool = False


@dataclass(slots=True, eq=False)
class Line:
    """Words sharing a baseline, left to right (a line's words are not changed once it is made:
    its box and text are computed once, on first use). Lines are equal when their words are."""

    words: list[Word] = field(default_factory=list)
    _box: BBox | None = field(default=None, init=False, repr=False)
    _text: str | None = field(default=None, init=False, repr=False)

    def __eq__(self, other: object) -> bool:
        return self.words == other.words if isinstance(other, Line) else NotImplemented

    # (Defining __eq__ leaves a line unhashable, as a dataclass's: its words may change.)

    def _edges(self) -> BBox:
        if self._box is None:
            words = self.words
            body = [w for w in words if not w.superscript] or words
            self._box = (min([w.x0 for w in words]), min([w.top for w in body]), max([w.x1 for w in words]), max([w.bottom for w in words]))
        return self._box

    @property
    def x0(self) -> float:
        return self._edges()[0]

    @property
    def x1(self) -> float:
        return self._edges()[2]

    @property
    def top(self) -> float:
        return self._edges()[1]

    @property
    def bottom(self) -> float:
        return self._edges()[3]

    @property
    def body_words(self) -> list[Word]:
        return [w for w in self.words if not w.superscript]

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join(w.text for w in self.words)
        return self._text

    @property
    def bbox(self) -> BBox:
        return self._edges()


_X0 = itemgetter("x0")


def _baseline_x0(ch: dict[str, Any]) -> tuple[float, float]:
    return ch["bottom"] - ch.get("descent", 0.0), ch["x0"]


def is_mark(size: float, rise: float, line_size: float, solid: bool | Callable[[], bool]) -> bool:
    """Is a glyph (or a run, a group of them) in ``size`` type whose baseline stands ``rise``
    above that of a line in ``line_size`` type a raised mark of that line (a footnote mark, an
    exponent, an ion's charge): smaller than SMALL and raised (0.15 em or more), or lifted LIFT
    to RISE of an em and smaller than MARK_SMALL or, set ``solid`` right after a glyph of the
    line (a callable is called only then), no larger?

    The one rule of :func:`_attach_small_groups` (which line a group of glyphs is the marks
    of), :func:`_lowered_marks` (which runs a lowered line lost to the line above) and
    :func:`_split_words` (which words of a line are raised), all on baselines (a box's bottom
    less the glyph's descent); each measures as its glyphs allow (groups by median size and
    baseline, runs by their first glyph, words glyph by glyph). Folded from three copies with
    their own bounds: the same tables on the seeds, articles, zoo, ICDAR and camelot/tabula
    PDFs (259 files)."""
    if size < SMALL * line_size and rise >= 0.15 * line_size:
        return True
    return LIFT * line_size < rise < RISE * line_size and (size < MARK_SMALL * line_size or (size <= line_size and (solid() if callable(solid) else solid)))


def _inside(obj: dict[str, Any], bbox: BBox | None) -> bool:
    if bbox is None:
        return True
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    inside: bool = bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]
    return inside


def glyph_rows(chars: list[dict[str, Any]], tolerance: float = 0.2, ordered: bool = False) -> list[list[dict[str, Any]]]:
    """Glyphs grouped by baseline, top to bottom: a glyph joins the row whose first glyph's
    baseline is within ``tolerance`` of the larger font size (of the first glyph's, where that
    is a small one: a raised mark takes no full-size glyph onto its baseline, 'R²(˚A)''s
    ring); ``ordered``: the glyphs are sorted by baseline, then x, already. The baseline is
    the box's bottom less the glyph's ``descent`` where it is known: a box's bottom hangs below
    the baseline by the font's descent, which each font (and a PDF writer re-embedding it) sets
    as it likes, so a raised mark's box bottom can fall level with another line's."""
    groups: list[list[dict[str, Any]]] = []
    last: list[dict[str, Any]] = []
    append = last.append
    ref_bottom = ref_size = 0.0  # of the group's first glyph
    for ch in chars if ordered else sorted(chars, key=_baseline_x0):
        bottom, size = ch["bottom"] - ch.get("descent", 0.0), ch["size"]
        off = bottom - ref_bottom
        if last and (off if off >= 0 else -off) <= tolerance * (ref_size if ref_size > size or ref_size < SMALL * size else size):
            append(ch)
            continue
        last = [ch]
        append = last.append
        groups.append(last)
        ref_bottom, ref_size = bottom, size
    return groups


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return max(0.0, min(a_bottom, b_bottom) - max(a_top, b_top))


#: Operators a symbol font may set on a baseline of its own (its glyph box from a deep descent).
_OPERATORS = set("=±+−-<>≤≥×~≈|")


def _beside(small: list[dict[str, Any]], line: list[dict[str, Any]], size: float) -> bool:
    """Does a glyph of a group of small ones stand within an em of the line's runs of glyphs
    (marks set among its words, or the line's accents over small capitals)? Smaller type
    wholly beside it across a column gutter (a table's cells in one column of two) is a line
    of its own."""
    runs: list[list[float]] = []
    for x0, x1 in sorted((c["x0"], c["x1"]) for c in line):
        if runs and x0 - runs[-1][1] <= 2 * size:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    return any(a - size <= c["x0"] and c["x1"] <= b + size for c in small for a, b in runs)


def _attach_small_groups(groups: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Fold groups of small glyphs (exponents, footnote marks) into the line they sit on, and
    groups of operators alone ('a = 73.1' whose '=' a symbol font boxes lower) into the line
    whose words they stand between. (Only a group of operators, or one smaller than a
    neighbour, can fold: the boxes are measured for those and their neighbours only; the
    groups are not changed, a fold makes a new list.)"""
    n = len(groups)
    sizes = [median([c["size"] for c in g]) for g in groups]
    operators = [all(c["text"] in _OPERATORS for c in g) for g in groups]
    near = [range(max(0, i - 3), min(n, i + 4)) for i in range(n)]
    bases: dict[int, float] = {}

    def base(k: int) -> float:
        if k not in bases:
            bases[k] = median([_baseline_x0(c)[0] for c in groups[k]])
        return bases[k]

    def small(i: int, j: int) -> bool:
        """Is group ``i`` set small beside line ``j``: smaller than SMALL (raised or lowered),
        or a few glyphs that are its marks (:func:`is_mark`, each run set solid after a glyph
        of the line for being solid)?"""
        if sizes[i] < SMALL * sizes[j]:
            return True
        return len(groups[i]) <= 8 and is_mark(sizes[i], base(j) - base(i), sizes[j], lambda: _set_solid_after(groups[i], groups[j]))

    folding = [i for i in range(n) if operators[i] or any(j != i and not operators[j] and small(i, j) for j in near[i])]
    if not folding:
        return groups
    spans: dict[int, tuple[float, float]] = {}
    extents: dict[int, tuple[float, float]] = {}
    for k in {j for i in folding for j in near[i]}:
        g = groups[k]
        spans[k] = (min([c["top"] for c in g]), max([c["bottom"] for c in g]))
        extents[k] = (min([c["x0"] for c in g]), max([c["x1"] for c in g]))
    merged: dict[int, list[dict[str, Any]]] = dict(enumerate(groups))
    for i in folding:
        best, best_key = None, (False, 0.0)
        height = spans[i][1] - spans[i][0]
        left = extents[i][0]
        for j in near[i]:
            if j == i or j not in merged or operators[j]:
                continue
            if operators[i] and not sizes[i] >= SMALL * sizes[j]:
                continue
            touches = False
            if operators[i]:  # in the gaps between the line's glyphs, its middle less than an em from theirs
                inside = extents[j][0] < extents[i][0] and extents[i][1] < extents[j][1]
                close = abs((spans[i][0] + spans[i][1]) - (spans[j][0] + spans[j][1])) / 2 < sizes[j]
                gaps = not any(o["x0"] < c["x1"] - 0.5 and c["x0"] < o["x1"] - 0.5 for o in groups[i] for c in groups[j])
                ov = _overlap(*spans[i], *spans[j]) + sizes[j] if inside and close and gaps else 0.0
            elif not small(i, j):
                continue
            else:
                ov = _overlap(*spans[i], *spans[j])
                ov = ov if ov > 0.3 * height and _beside(groups[i], groups[j], sizes[j]) else 0.0
                # A mark overlapping two lines (cells set on different baselines) belongs to the
                # one whose glyph it follows, touching: 'kg' + raised 'a', not the figures beside it.
                touches = ov > 0 and any(0 <= left - c["x1"] <= WORD_GAP * c["size"] for c in groups[j])
            if ov > 0 and (touches, ov) > best_key:
                best, best_key = j, (touches, ov)
        if best is not None:
            merged[best] = merged[best] + merged.pop(i)
    return list(merged.values())


def _set_solid_after(marks: list[dict[str, Any]], line: list[dict[str, Any]]) -> bool:
    """Does each run of ``marks`` start right after a glyph of ``line``, with no word space
    ('kg/m' + '2': WeasyPrint's <sup> in 7.2 pt type is set in 7.2 pt)?"""
    prev_x1 = None
    for ch in sorted(marks, key=_X0):
        gap = WORD_GAP * ch["size"]
        if (prev_x1 is None or ch["x0"] - prev_x1 > gap) and not any(-0.5 <= ch["x0"] - c["x1"] <= gap for c in line):
            return False
        prev_x1 = ch["x1"]
    return True


def _lowered_marks(groups: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Runs of one to three glyphs that are the marks of a line below their own (:func:`is_mark`)
    and set solid after one of its glyphs, moved to that line: a browser lowers the cell whose
    line holds a mark in type as large as the text, so the mark stands level with the row's
    other cells ('Weight, kg' + 'a' beside '84.6'). Only solid runs move (a run merely raised
    over a line may be a cell of the row above). (Only groups whose first glyph stands LIFT to
    RISE of an em above another's are looked at; the groups are not changed, a move makes a
    new list.)"""
    n = len(groups)
    firsts = [(_baseline_x0(g[0])[0], g[0]["size"]) for g in groups]
    pairs = [(j, k) for j in range(n) for k in range(max(0, j - 3), min(n, j + 4)) if LIFT * firsts[k][1] < firsts[k][0] - firsts[j][0] < RISE * firsts[k][1]]
    if not pairs:
        return groups
    out = list(groups)
    for j, k in pairs:
        g = sorted(out[j], key=_X0)
        runs: list[list[dict[str, Any]]] = []
        for ch in g:
            if runs and ch["x0"] - runs[-1][-1]["x1"] <= WORD_GAP * ch["size"]:
                runs[-1].append(ch)
            else:
                runs.append([ch])
        line = out[k]
        size = max(c["size"] for c in line)
        base = _baseline_x0(line[0])[0]
        moved = [
            r for r in runs
            if len(r) <= 3 and _set_solid_after(r, line) and is_mark(max(c["size"] for c in r), base - _baseline_x0(r[0])[0], size, True)
        ]
        if moved:
            out[k] = line + [c for r in moved for c in r]
            out[j] = [c for r in runs if not any(r is m for m in moved) for c in r]
    return [g for g in out if g]


def _split_words(chars: list[dict[str, Any]], barriers: Sequence[float] = ()) -> list[Word]:
    """Split one line's glyphs into words; mark raised small runs; never join across a barrier
    (the x of a vertical rule: glyphs on either side belong to different cells).

    (The hottest loop of extraction: glyphs are read, never copied; a word's box grows as its
    glyphs are read, in one pass.)"""
    line_size = max([c["size"] for c in chars])
    small = SMALL * line_size
    median_base = median([c["bottom"] - c.get("descent", 0.0) for c in chars if c["size"] >= small])
    words: list[Word] = []
    texts: list[str] = []  # the glyphs of the word being read
    prev: dict[str, Any] | None = None
    raised = prev_raised = False
    prev_x0 = prev_x1 = prev_size = 0.0
    x0 = x1 = top = bottom = size = 0.0
    w_x0 = w_x1 = w_top = w_bottom = w_size = 0.0  # the box of the word being read
    # (no glyph raised less than this is a mark: is_mark is called only above it)
    least, mark_low = 0.15 * line_size, -0.15 * line_size  # mark_low: the baseline, for footnote marks read with their box on it
    for ch in sorted(chars, key=_X0):
        text = ch["text"]
        if text.isspace():
            prev = None
            continue
        size, x0, x1, bottom = ch["size"], ch["x0"], ch["x1"], ch["bottom"]
        rise = median_base - bottom + ch.get("descent", 0.0)
        # A superscript form of the font (narrow, on the baseline) ending a word of full-width
        # glyphs is raised too (a word all narrow is condensed type, not marks); a small footnote
        # mark is raised even where the PDF reader puts its box on the baseline.
        raised = (rise >= least and is_mark(size, rise, line_size, prev is not None and x0 - prev_x1 <= WORD_GAP * size)) or (
            size < small and text in _MARKS and rise > mark_low
        ) or (
            "_narrow" in ch and prev is not None and x0 - prev_x1 <= WORD_GAP * size and (prev_raised or "_narrow" not in prev)
        )
        if (
            prev is None
            or x0 - prev_x1 > WORD_GAP * (size if size > prev_size else prev_size)
            or x1 < prev_x0  # overprinted or out-of-order glyph run
            or raised != prev_raised
            or (bool(barriers) and any(prev_x1 - 0.5 <= b <= x0 + 0.5 for b in barriers))
        ):
            if texts:
                _add_word(words, texts, w_x0, w_x1, w_top, w_bottom, w_size, prev_raised)
            texts = [text]
            w_x0, w_x1, w_top, w_bottom, w_size = x0, x1, ch["top"], bottom, size
        else:
            texts.append(text)
            if x0 < w_x0:
                w_x0 = x0
            if x1 > w_x1:
                w_x1 = x1
            if (top := ch["top"]) < w_top:
                w_top = top
            if bottom > w_bottom:
                w_bottom = bottom
            if size > w_size:
                w_size = size
        prev, prev_raised, prev_x0, prev_x1, prev_size = ch, raised, x0, x1, size
    if texts:
        _add_word(words, texts, w_x0, w_x1, w_top, w_bottom, w_size, prev_raised)
    return words


def _add_word(words: list[Word], texts: list[str], x0: float, x1: float, top: float, bottom: float, size: float, raised: bool) -> None:
    """Append the word of glyphs ``texts`` to ``words``: a raised number right after '10' joins
    it as its exponent (``10^6``)."""
    text = texts[0] if len(texts) == 1 else "".join(texts)
    if raised and words and not words[-1].superscript and _is_exponent(words[-1], x0, text):
        base = words.pop()
        words.append(Word(f"{base.text}^{text}", base.x0, x1, base.top, base.bottom, base.size))
    else:
        words.append(Word(text, x0, x1, top, bottom, size, raised))


_EXPONENT = re.compile(r"[-−–]?\d+")


def _is_exponent(base: Word, x0: float, text: str) -> bool:
    """A raised number (``text``, starting at ``x0``) right after '10' (or after 'x10') is a power of ten."""
    return x0 - base.x1 <= WORD_GAP * base.size and _EXPONENT.fullmatch(text) is not None and base.text.endswith("10")


def _narrow_limits(widths: dict[tuple[str, str], list[float]]) -> dict[tuple[str, str], float]:
    """Per font and letter or digit (with its widths per em on the page, ``widths``), the width
    below which a glyph is one of the font's superscript forms: which some producers (typst)
    set on the baseline at full size instead of raising a smaller glyph. Only those with a
    glyph that narrow are given (most pages have none)."""
    return {key: limit for key, r in widths.items() if len(r) >= 3 and min(r) < (limit := 0.75 * median(r))}


def _mark_narrow(chars: list[dict[str, Any]], limits: dict[tuple[str, str], float]) -> list[dict[str, Any]]:
    """The glyphs, those narrower than their font's ``limits`` (:func:`_narrow_limits`) flagged ``_narrow``."""
    out = []
    for c in chars:
        below = limits.get((c["fontname"], c["text"]))
        narrow = below is not None and c["size"] > 0 and (c["x1"] - c["x0"]) / c["size"] < below
        out.append({**c, "_narrow": True} if narrow else c)
    return out


#: A font whose glyphs' boxes reach further below (or less far below) their baseline than the
#: page's usual by more than this (ems) is boxed as the page's other fonts are.
_ODD_DESCENT = 0.1
#: A font reaching further below its baseline than this (ems) sets glyphs taller than a line
#: (big delimiters, radicals): their boxes hang below it by design and stay where they are.
_TALL = 1.5


def _descent(c: dict[str, Any]) -> float | None:
    """How far (page units) a glyph's box reaches below its baseline: FastPage says so
    (``descent``); pdfminer's box is read against its text matrix (upright text only; a
    raised glyph's box there carries the rise too, hence per-font medians below)."""
    d = c.get("descent")
    if d is None and (m := c.get("matrix")) is not None and m[1] == 0 == m[2] and m[3] > 0:
        d = m[5] - c["y0"]
    return d


def _on_baselines(chars: list[dict[str, Any]], descents: dict[str, list[float]]) -> list[dict[str, Any]]:
    """The glyphs, those of a font whose boxes sit off their baseline (told by its glyphs'
    descents per em on the page, ``descents``, against the page's usual) moved to sit on it as
    the other glyphs do. A symbol font's descriptor may say Descent 0 (pdfminer boxes its glyphs
    a fifth of an em high) or its program a deep descent (PDFium boxes them half an em low).
    Rows are grouped by bottom less descent (:func:`glyph_rows`, :func:`by_baseline`), which
    this leaves as it was for a glyph that carries its descent (it moves with the glyph: moving
    twice is moving once); what it is still for is the box edges (a line's, a cell's, whether a
    glyph lies inside a box) and pdfplumber's glyphs, which carry no descent: there a '=', a '◦'
    or the '+' of 'Zn2+' would fall on a line of its own, merging or splitting table rows."""
    if len(descents) < 2:
        return chars
    usual = median([r for rs in descents.values() for r in rs])
    shift = {font: usual - m for font, rs in descents.items() if _ODD_DESCENT < abs((m := median(rs)) - usual) and m < _TALL}
    if not shift:
        return chars
    out = []
    for c in chars:
        if (by := shift.get(c["fontname"])) is not None:
            dy = by * c["size"]
            c = {**c, "top": c["top"] + dy, "bottom": c["bottom"] + dy}
            if "y0" in c:  # pdfminer's (fastpage's glyphs carry no y0, y1)
                c["y0"] -= dy
                c["y1"] -= dy
            if "descent" in c:
                c["descent"] += dy
        out.append(c)
    return out


_PLUS, _MINUS = "+", "-−–"


def _stacked_plus_minus(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A '+' set raised over a lowered '−' at the same x (how some typesetters print '±') is
    one '±' glyph on the line's baseline; left apart they fall on two lines of their own."""
    pluses = [c for c in chars if c["text"] == _PLUS]
    if not pluses:
        return chars
    minuses = [c for c in chars if c["text"] in _MINUS]
    used: set[int] = set()
    pairs: dict[int, dict[str, Any]] = {}
    for plus in pluses:
        for minus in minuses:
            width = min(plus["x1"] - plus["x0"], minus["x1"] - minus["x0"])
            overlap = min(plus["x1"], minus["x1"]) - max(plus["x0"], minus["x0"])
            lower = 0 < minus["top"] - plus["top"] <= plus["size"]
            if id(minus) not in used and width > 0 and overlap > 0.6 * width and lower:
                used.add(id(minus))
                x0, x1 = min(plus["x0"], minus["x0"]), max(plus["x1"], minus["x1"])
                # on the baseline of the glyphs beside it that share most of the raised '+''s height
                beside = [
                    c for c in chars
                    if c["text"] not in _PLUS + _MINUS and (0 <= x0 - c["x1"] <= plus["size"] or 0 <= c["x0"] - x1 <= plus["size"])
                ]
                near = max(beside, key=lambda c: min(plus["bottom"], c["bottom"]) - max(plus["top"], c["top"]), default=None)
                shared = min(plus["bottom"], near["bottom"]) - max(plus["top"], near["top"]) if near is not None else 0.0
                line = (near["top"], near["bottom"]) if near is not None and shared > 0 else ((plus["top"] + minus["top"]) / 2, (plus["bottom"] + minus["bottom"]) / 2)
                pairs[id(plus)] = {**plus, "text": "±", "x0": x0, "x1": x1, "top": line[0], "bottom": line[1]}
                break
    return [pairs.get(id(c), c) for c in chars if id(c) not in used]


def page_glyphs(page: Any) -> list[dict[str, Any]]:
    """A page's upright glyphs as its lines are read from them: a font boxed off its baseline
    put back on it (:func:`_on_baselines`), a font's narrow superscript forms flagged
    (:func:`_narrow_limits`). Both are measured over the whole page, once, in one pass over its
    glyphs, whatever part of it is read into lines (a column, a table's box): medians of a part
    would be of fewer glyphs."""
    chars = []
    descents: dict[str, list[float]] = {}
    widths: dict[tuple[str, str], list[float]] = {}
    for c in page.chars:
        if not c.get("upright", True):
            continue
        chars.append(c)
        if (size := c["size"]) > 0:  # (the hottest loop of reading a page: no calls per glyph)
            font = c["fontname"]
            if (d := c.get("descent")) is not None or (d := _descent(c)) is not None:
                if (found := descents.get(font)) is None:
                    descents[font] = [d / size]
                else:
                    found.append(d / size)
            if (text := c["text"]).isalnum():
                if (found := widths.get(key := (font, text))) is None:
                    widths[key] = [(c["x1"] - c["x0"]) / size]
                else:
                    found.append((c["x1"] - c["x0"]) / size)
    chars = _on_baselines(chars, descents)  # moved up or down: their widths are as measured
    limits = _narrow_limits(widths)
    return _mark_narrow(chars, limits) if limits else chars


def by_baseline(glyphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The glyphs sorted by baseline, then x (stable): the order :func:`glyph_rows` reads them in."""
    return sorted(glyphs, key=_baseline_x0)


def glyph_lines(glyphs: list[dict[str, Any]], bbox: BBox | None = None, barriers: Sequence[float] = (), rows: list[list[dict[str, Any]]] | None = None) -> list[Line]:
    """Lines of glyphs from :func:`page_glyphs` (or of those inside ``bbox``), top to bottom.

    ``barriers`` are x positions no word may span (vertical rules of a table); ``rows`` are
    :func:`glyph_rows` of ``glyphs`` when the caller has them (a page's glyphs are grouped
    once for its lines and its reading-order regions).
    """
    chars = _stacked_plus_minus(glyphs if bbox is None else [c for c in glyphs if _inside(c, bbox)])
    if not chars:
        return []
    rows = rows if rows is not None and chars is glyphs else glyph_rows(chars)
    groups = _attach_small_groups(_lowered_marks(rows))
    lines = []
    for g in groups:
        words = _split_words(g, barriers)
        words = [w if (text := normalise(w.text)) == w.text else Word(text, w.x0, w.x1, w.top, w.bottom, w.size, w.superscript) for w in words]
        words = [w for w in words if w.text]
        if words:
            lines.append(Line(words))
    lines.sort(key=lambda ln: (round(ln.bottom, 1), ln.x0))
    return lines


def page_lines(page: Any, bbox: BBox | None = None, barriers: Sequence[float] = ()) -> list[Line]:
    """Lines of a pdfplumber page (or of the part inside ``bbox``), top to bottom.

    ``barriers`` are x positions no word may span (vertical rules of a table).
    """
    return glyph_lines(page_glyphs(page), bbox, barriers)


_DIGITS = re.compile(r"\d+")


def _furniture_key(line: Line) -> str:
    return _DIGITS.sub("#", line.text.lower())


def running_furniture(pages_lines: Sequence[Sequence[Line]], page_heights: Sequence[float]) -> list[set[int]]:
    """Indices of running headers, footers and page numbers on each page.

    Only the three outermost lines at the top and at the bottom of a page (within its outer
    12%) can be furniture (a journal's footer may stand above a licence note of two lines).
    They are when the same text (digits ignored) recurs at the same height on at least half
    the pages, or on half the odd or half the even pages and at least three (recto and verso
    pages alternate their footers), or when they are a bare page number ("5", "3 of 8").
    A page's foot in small type set apart from the body is furniture too (:func:`_small_foot`).
    """
    bands: list[list[tuple[int, tuple[str, int]]]] = []
    counts: Counter[tuple[str, int]] = Counter()
    sides: tuple[Counter[tuple[str, int]], Counter[tuple[str, int]]] = (Counter(), Counter())
    sizes: Counter[float] = Counter()  # characters set in each size (to the half point)
    pitches: Counter[tuple[float, float]] = Counter()  # (size, baseline pitch) of lines under lines of their size
    feet: list[list[tuple[int, Line]]] = []
    for n, (lines, height) in enumerate(zip(pages_lines, page_heights)):
        order = sorted(range(len(lines)), key=lambda i: lines[i].top)
        top = [i for i in order[:3] if lines[i].bottom < 0.12 * height]
        bottom = [i for i in order[-3:] if lines[i].top > 0.88 * height]
        band = [(i, (_furniture_key(lines[i]), round(lines[i].top / 4))) for i in dict.fromkeys(top + bottom)]
        bands.append(band)
        counts.update({key for _, key in band})
        sides[n % 2].update({key for _, key in band})
        set_in = [round(lines[i].size * 2) / 2 for i in order]
        for i, size in zip(order, set_in):
            sizes[size] += len(lines[i].text)
        for (i, a), (j, b) in zip(zip(order, set_in), zip(order[1:], set_in[1:])):
            if a == b:
                pitches[a, round(lines[j].bottom - lines[i].bottom, 1)] += 1
        feet.append([(i, lines[i]) for i in order[-_FOOT_LINES:]])
    need = max(2, len(pages_lines) // 2)
    side_need = [max(3, (len(pages_lines) + 1 - side) // 2 // 2) for side in (0, 1)]
    found = [
        {i for i, key in band if counts[key] >= need or sides[n % 2][key] >= side_need[n % 2] or re.fullmatch(r"(page )?#( of #)?", key[0].strip())}
        for n, band in enumerate(bands)
    ]
    if sizes:
        body = sizes.most_common(1)[0][0]
        pitch = max(((p, k) for (size, p), k in pitches.items() if size == body and 0.5 * body < p < 3 * body), key=itemgetter(1), default=(1.2 * body, 0))[0]
        for drop, foot, height in zip(found, feet, page_heights):
            drop |= _small_foot([(i, ln) for i, ln in foot if i not in drop], height, body, pitch)
    return found


#: How many of a page's lowest lines :func:`_small_foot` looks at: three of running furniture,
#: a foot of up to six lines and the body line above it.
_FOOT_LINES = 10


def _small_foot(lines: list[tuple[int, Line]], height: float, body: float, pitch: float) -> set[int]:
    """The page's lowest lines (indexed, top down; running furniture left out) when they are a
    page foot that is no body text: a block of up to six lines in type clearly smaller than the
    body's (``body``: the size most characters are set in), ending in the page's outer 12%, set
    apart from the line above by more white than the body's line ``pitch`` (a journal's first-page
    footer: proceedings, copyright, "How to cite"; a page footer printed once). Footnotes stay
    (a line opening with a raised mark, a footnote mark or a bracketed number), and so does a
    figure's or table's caption set at the page's foot."""
    from curate.extract.regions import CAPTION, FIGURE

    block: list[Line] = []
    for _, line in reversed(lines):
        if line.size > 0.9 * body:
            break
        block.append(line)
    else:
        return set()  # no body line above it within reach
    block.reverse()
    if not block or len(block) > 6 or block[-1].bottom < 0.88 * height:
        return set()
    above = lines[-len(block) - 1][1]
    if block[0].top - above.bottom <= pitch:
        return set()
    if any(ln.words[0].superscript or ln.words[0].text[:1] in _MARKS or CAPTION.match(ln.text) or FIGURE.match(ln.text) for ln in block) or _NUMBERED.match(block[0].text):
        return set()
    return {i for i, _ in lines[-len(block) :]}


#: A footnote's number set on its line: "(6) Eurostat ...", "[3] See ...", "12 Based on ...".
_NUMBERED = re.compile(r"^(?:\(\s*\d+\s*\)|\[\s*\d+\s*\]|\d+\s+[^\W\d])")


#: Digit groups of a number printed the ISO way ("1 649 692", "12 068,5"): a lead group of
#: one to three digits (maybe signed or bracketed), then groups of exactly three.
_LEAD_GROUP = re.compile(r"[-−+(]?\d{1,3}")
_GROUP = re.compile(r"\d{3}")
_LAST_GROUP = re.compile(r"\d{3}(?:[.,]\d+)?[%)]?")
_FIGURE_WORD = re.compile(r"[-−+(]?\d[\d.,]*[%)]?")
#: A word space is about a quarter of an em; the gap between digit groups is no wider than
#: the line's own word space plus this many ems (a gutter between two columns is wider).
_GROUP_SLACK = 0.05


def _word_space(line: Line) -> float:
    """The line's own word space, in points: the median gap between its words under half an em
    that are not both figures (a quarter of an em when it has none)."""
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:]) if not (_FIGURE_WORD.fullmatch(a.text) and _FIGURE_WORD.fullmatch(b.text))]
    size = median([w.size for w in line.words])
    gaps = [g for g in gaps if 0 < g < 0.5 * size]
    return median(gaps) if gaps else 0.25 * size


def _group_runs(line: Line) -> tuple[list[tuple[int, int]], list[tuple[float, float]]]:
    """The runs of word indices [i, j) of ``line`` that read as one space-grouped number, and
    the gaps (x0, x1) between two figures set as close that do not (two columns of figures)."""
    words = line.words
    figures = [bool(_FIGURE_WORD.fullmatch(w.text)) for w in words]
    if not any(a and b for a, b in zip(figures, figures[1:])):  # both kinds need two figures side by side
        return [], []
    limit = _word_space(line) + _GROUP_SLACK * median([w.size for w in words])
    runs: list[tuple[int, int]] = []
    others: list[tuple[float, float]] = []
    i = 0
    while i < len(words):
        j = i + 1
        if _LEAD_GROUP.fullmatch(words[i].text) and not words[i].superscript:
            while j < len(words) and 0 <= words[j].x0 - words[j - 1].x1 <= limit and _GROUP.fullmatch(words[j - 1].text if j - 1 > i else "000") and (
                _LAST_GROUP.fullmatch(words[j].text) and not words[j].superscript
            ):
                j += 1
        if j - i > 1:
            runs.append((i, j))
        elif j < len(words) and _FIGURE_WORD.fullmatch(words[i].text) and _FIGURE_WORD.fullmatch(words[j].text) and words[j].x0 - words[i].x1 <= limit:
            others.append((words[i].x1, words[j].x0))
        i = j
    return runs, others


def grouped_figures(lines: Sequence[Line]) -> list[Line]:
    """The lines with numbers printed in digit groups ("79 935", a word space or a thin space
    between them) read as one word each, so a table does not show them as two columns.

    A run is joined only where the reading holds down the page: no two figures that do not
    group this way stand as close at the same x (two columns of figures set a word space
    apart, whose gap every row would share)."""
    found = [_group_runs(ln) for ln in lines]
    against = [gap for _, others in found for gap in others]
    out: list[Line] = []
    for ln, (runs, _) in zip(lines, found):
        words = ln.words
        keep = [
            (i, j)
            for i, j in runs
            if not any(words[k].x1 - 1 < b and a < words[k + 1].x0 + 1 for k in range(i, j - 1) for a, b in against)
        ]
        if not keep:
            out.append(ln)
            continue
        merged: list[Word] = []
        k = 0
        for i, j in keep:
            merged.extend(words[k:i])
            group = words[i:j]
            merged.append(Word(" ".join(w.text for w in group), group[0].x0, group[-1].x1, min(w.top for w in group), max(w.bottom for w in group), max(w.size for w in group)))
            k = j
        merged.extend(words[k:])
        out.append(Line(merged))
    return out
