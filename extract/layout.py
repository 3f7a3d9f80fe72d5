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
from collections.abc import Sequence
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


@dataclass(frozen=True, slots=True)
class Word:
    """A run of glyphs with no word space inside, in PDF points (origin top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    superscript: bool = False


@dataclass(slots=True)
class Line:
    """Words sharing a baseline, left to right (a line's words are not changed once it is made:
    its box and text are computed once, on first use)."""

    words: list[Word] = field(default_factory=list)
    _box: BBox | None = field(default=None, init=False, repr=False, compare=False)
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    def _edges(self) -> BBox:
        if self._box is None:
            body = [w for w in self.words if not w.superscript] or self.words
            self._box = (min(w.x0 for w in self.words), min(w.top for w in body), max(w.x1 for w in self.words), max(w.bottom for w in self.words))
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
_BOTTOM_X0 = itemgetter("bottom", "x0")


def _inside(obj: dict[str, Any], bbox: BBox | None) -> bool:
    if bbox is None:
        return True
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _cluster_baselines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group glyphs whose baselines agree within a fraction of their size."""
    groups: list[list[dict[str, Any]]] = []
    last: list[dict[str, Any]] = []
    ref_bottom = ref_size = 0.0  # of the group's first glyph
    for ch in sorted(chars, key=_BOTTOM_X0):
        bottom, size = ch["bottom"], ch["size"]
        if last and abs(bottom - ref_bottom) <= 0.2 * max(size, ref_size):
            last.append(ch)
            continue
        last = [ch]
        groups.append(last)
        ref_bottom, ref_size = bottom, size
    return groups


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return max(0.0, min(a_bottom, b_bottom) - max(a_top, b_top))


def _attach_small_groups(groups: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Fold groups of small glyphs (exponents, footnote marks) into the line they sit on."""
    sizes = [median([c["size"] for c in g]) for g in groups]
    spans = [(min([c["top"] for c in g]), max([c["bottom"] for c in g])) for g in groups]
    merged: dict[int, list[dict[str, Any]]] = {i: list(g) for i, g in enumerate(groups)}
    for i in range(len(groups)):
        best, best_overlap = None, 0.0
        height = spans[i][1] - spans[i][0]
        for j in range(max(0, i - 3), min(len(groups), i + 4)):
            if j == i or j not in merged or sizes[i] >= SMALL * sizes[j]:
                continue
            ov = _overlap(*spans[i], *spans[j])
            if ov > 0.3 * height and ov > best_overlap:
                best, best_overlap = j, ov
        if best is not None:
            merged[best].extend(merged.pop(i))
    return list(merged.values())


def _split_words(chars: list[dict[str, Any]], barriers: Sequence[float] = ()) -> list[Word]:
    """Split one line's glyphs into words; mark raised small runs; never join across a barrier
    (the x of a vertical rule: glyphs on either side belong to different cells).

    (The hottest loop of extraction: glyphs are read, never copied.)"""
    line_size = max([c["size"] for c in chars])
    small = SMALL * line_size
    low = median([c["bottom"] for c in chars if c["size"] >= small]) - 0.15 * line_size  # under the baseline
    runs: list[tuple[bool, list[dict[str, Any]]]] = []
    run: list[dict[str, Any]] = []
    prev: dict[str, Any] | None = None
    prev_raised = False
    for ch in sorted(chars, key=_X0):
        if ch["text"].isspace():
            prev = None
            continue
        size = ch["size"]
        raised = size < small and ch["bottom"] < low
        if (
            prev is None
            or ch["x0"] - prev["x1"] > WORD_GAP * max(size, prev["size"])
            or ch["x1"] < prev["x0"]  # overprinted or out-of-order glyph run
            or raised != prev_raised
            or (bool(barriers) and any(prev["x1"] - 0.5 <= b <= ch["x0"] + 0.5 for b in barriers))
        ):
            run = [ch]
            runs.append((raised, run))
        else:
            run.append(ch)
        prev, prev_raised = ch, raised
    words: list[Word] = []
    for raised, run in runs:
        text = "".join([c["text"] for c in run])
        word = Word(
            text=text,
            x0=min([c["x0"] for c in run]),
            x1=max([c["x1"] for c in run]),
            top=min([c["top"] for c in run]),
            bottom=max([c["bottom"] for c in run]),
            size=max([c["size"] for c in run]),
            superscript=raised,
        )
        if raised and words and not words[-1].superscript and _is_exponent(words[-1], word):
            base = words.pop()
            word = Word(
                text=f"{base.text}^{text}",
                x0=base.x0,
                x1=word.x1,
                top=base.top,
                bottom=base.bottom,
                size=base.size,
            )
        words.append(word)
    return words


def _is_exponent(base: Word, sup: Word) -> bool:
    """A raised number right after '10' (or after 'x10') is a power of ten."""
    return (
        sup.x0 - base.x1 <= WORD_GAP * base.size
        and re.fullmatch(r"[-−–]?\d+", sup.text) is not None
        and base.text.endswith("10")
    )


def page_lines(page: Any, bbox: BBox | None = None, barriers: Sequence[float] = ()) -> list[Line]:
    """Lines of a pdfplumber page (or of the part inside ``bbox``), top to bottom.

    ``barriers`` are x positions no word may span (vertical rules of a table).
    """
    chars = [c for c in page.chars if c.get("upright", True) and (bbox is None or _inside(c, bbox))]
    if not chars:
        return []
    groups = _attach_small_groups(_cluster_baselines(chars))
    lines = []
    for g in groups:
        words = _split_words(g, barriers)
        words = [w if (text := normalise(w.text)) == w.text else Word(text, w.x0, w.x1, w.top, w.bottom, w.size, w.superscript) for w in words]
        words = [w for w in words if w.text]
        if words:
            lines.append(Line(words))
    lines.sort(key=lambda ln: (round(ln.bottom, 1), ln.x0))
    return lines


_DIGITS = re.compile(r"\d+")


def _furniture_key(line: Line) -> str:
    return _DIGITS.sub("#", line.text.lower())


def running_furniture(pages_lines: Sequence[Sequence[Line]], page_heights: Sequence[float]) -> list[set[int]]:
    """Indices of running headers, footers and page numbers on each page.

    Only the two outermost lines at the top and at the bottom of a page (within its outer
    12%) can be furniture. They are when the same text (digits ignored) recurs at the same
    height on at least half the pages, or when they are a bare page number ("5", "3 of 8").
    """
    bands: list[list[tuple[int, tuple[str, int]]]] = []
    counts: Counter[tuple[str, int]] = Counter()
    for lines, height in zip(pages_lines, page_heights):
        order = sorted(range(len(lines)), key=lambda i: lines[i].top)
        top = [i for i in order[:2] if lines[i].bottom < 0.12 * height]
        bottom = [i for i in order[-2:] if lines[i].top > 0.88 * height]
        band = [(i, (_furniture_key(lines[i]), round(lines[i].top / 4))) for i in dict.fromkeys(top + bottom)]
        bands.append(band)
        counts.update({key for _, key in band})
    need = max(2, len(pages_lines) // 2)
    return [
        {i for i, key in band if counts[key] >= need or re.fullmatch(r"(page )?#( of #)?", key[0].strip())}
        for band in bands
    ]
