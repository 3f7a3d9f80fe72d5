"""Where the tables are on a page: groups of horizontal rules, and their captions.

Journal tables are mostly ruled with horizontal lines only (booktabs: a top rule, a rule
under the header, a bottom rule) or with a full grid. Either way, rules of the same width
stacked on a page bound a table. Rules that recur at the same place on most pages are page
furniture (the line under a running header) and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from extract.layout import BBox, Line

CAPTION = re.compile(r"^(?:Supplementary\s+)?(?:Table|TABLE|Tab\.)\s*(?P<num>[0-9]+|[IVXLC]+)\b\s*(?P<cont>\(?cont(?:inued|\.|'d)?\)?)?", re.I)


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule: a stroked line or a thin filled rectangle."""

    x0: float
    x1: float
    y: float


@dataclass(slots=True)
class Region:
    """A ruled table area on one page (``rules`` top to bottom, the first and last bound it)."""

    page: int
    rules: list[Rule]
    verticals: list[float] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        return (min(r.x0 for r in self.rules), self.rules[0].y, max(r.x1 for r in self.rules), self.rules[-1].y)


def horizontal_rules(page: Any, min_length: float) -> list[Rule]:
    """Horizontal strokes and hairline rectangles at least ``min_length`` wide, deduplicated."""
    found: list[Rule] = []
    for obj in list(page.lines) + list(page.rects):
        height = abs(obj["bottom"] - obj["top"])
        width = obj["x1"] - obj["x0"]
        if width >= min_length and height <= 2.5:
            found.append(Rule(obj["x0"], obj["x1"], (obj["top"] + obj["bottom"]) / 2))
    for rect in page.rects:  # the top and bottom edges of a box drawn as one rectangle
        if rect["x1"] - rect["x0"] >= min_length and rect["bottom"] - rect["top"] > 2.5 and not rect.get("fill"):
            found.append(Rule(rect["x0"], rect["x1"], rect["top"]))
            found.append(Rule(rect["x0"], rect["x1"], rect["bottom"]))
    found.sort(key=lambda r: (r.y, r.x0))
    unique: list[Rule] = []
    for r in found:
        if unique and abs(r.y - unique[-1].y) < 1.0 and abs(r.x0 - unique[-1].x0) < 2 and abs(r.x1 - unique[-1].x1) < 2:
            continue
        unique.append(r)
    return unique


def vertical_rules(page: Any) -> list[tuple[float, float, float]]:
    """(x, top, bottom) of vertical strokes, for grids."""
    out = []
    for obj in list(page.lines) + list(page.rects):
        if obj["x1"] - obj["x0"] <= 2.5 and obj["bottom"] - obj["top"] >= 5:
            out.append(((obj["x0"] + obj["x1"]) / 2, obj["top"], obj["bottom"]))
    return out


def furniture_rules(pages_rules: Sequence[Sequence[Rule]]) -> set[tuple[int, int]]:
    """Rules at the same place on at least half the pages (and two or more): running-head rules."""
    if len(pages_rules) < 2:
        return set()
    key = lambda r: (round(r.y), round(r.x0), round(r.x1))  # noqa: E731
    counts: dict[tuple[int, int, int], int] = {}
    for rules in pages_rules:
        for k in {key(r) for r in rules}:
            counts[k] = counts.get(k, 0) + 1
    need = max(2, len(pages_rules) // 2)
    return {(i, j) for i, rules in enumerate(pages_rules) for j, r in enumerate(rules) if counts[key(r)] >= need}


def _same_extent(a: Rule, b: Rule, tol: float = 4.0) -> bool:
    return abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol


def group_rules(rules: list[Rule], lines: list[Line]) -> list[list[Rule]]:
    """Stack rules of the same width into table candidates.

    Two rules of the same width belong to one table unless a caption or prose line (a line
    wider than 80% of the rules with no column gaps) lies between them.
    """
    groups: list[list[Rule]] = []
    for rule in rules:
        for group in groups:
            last = group[-1]
            if _same_extent(group[0], rule) and not _breaks_table(last, rule, lines):
                group.append(rule)
                break
        else:
            groups.append([rule])
    return groups


def _breaks_table(upper: Rule, lower: Rule, lines: list[Line]) -> bool:
    width = upper.x1 - upper.x0
    for line in lines:
        if upper.y < line.top and line.bottom < lower.y and upper.x0 - 2 <= line.x0 and line.x1 <= upper.x1 + 2:
            if CAPTION.match(line.text):
                return True
            gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
            if line.x1 - line.x0 > 0.8 * width and all(g < 1.0 * line.size for g in gaps):
                return True
    return False


def find_caption(lines: list[Line], bbox: BBox, max_distance: float = 40.0) -> tuple[str | None, BBox | None]:
    """The "Table N" caption just above (or else just below) a table's box, with the lines it wraps to."""
    x0, top, x1, bottom = bbox
    above = [ln for ln in lines if ln.bottom <= top + 1 and top - ln.bottom <= max_distance and ln.x1 > x0 and ln.x0 < x1]
    below = [ln for ln in lines if ln.top >= bottom - 1 and ln.top - bottom <= max_distance and ln.x1 > x0 and ln.x0 < x1]
    for idx, ln in enumerate(above):
        if CAPTION.match(ln.text):
            parts = [ln] + [m for m in above[idx + 1 :]]
            return _caption_text(parts), _union(parts)
    for idx, ln in enumerate(below[:2]):
        if CAPTION.match(ln.text):
            return ln.text, ln.bbox
    return None, None


def _caption_text(parts: list[Line]) -> str:
    return " ".join(p.text for p in parts)


def _union(lines: list[Line]) -> BBox:
    return (min(ln.x0 for ln in lines), min(ln.top for ln in lines), max(ln.x1 for ln in lines), max(ln.bottom for ln in lines))
