"""Every table of a paper PDF, with provenance: find, read, score, stitch.

For each ruled table box (see :mod:`extract.regions`) curate's own extractor
(:mod:`extract.grid`) reads the cells; when its quality score is not convincing, the peers
(pdfplumber's table finder, then camelot's lattice and stream flavors) read the same box and
the best-scoring reading wins. A table whose box ends a page and continues at the top of
the next page with the same columns is stitched into one table, its repeated header dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from extract.grid import build_grid
from extract.layout import BBox, Line, page_lines, running_furniture
from extract.peers import Candidate, camelot_candidates, pdfplumber_candidates
from extract.quality import score
from extract.regions import CAPTION, Region, find_caption, furniture_rules, group_rules, horizontal_rules, vertical_rules
from extract.settings import ExtractSettings

#: Own readings at or above this score are kept without asking the (slower) peers.
CONFIDENT = 0.95


@dataclass(slots=True)
class TablePart:
    """Where a piece of a table is printed."""

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
    continued: bool = field(default=False, repr=False)

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
    lines: list[Line]
    last_body_bottom: float
    first_body_top: float


def _body_lines(page: Any, furniture: set[int]) -> list[Line]:
    return [ln for i, ln in enumerate(page_lines(page)) if i not in furniture]


def _lines_between(lines: list[Line], x0: float, x1: float, top: float, bottom: float) -> list[Line]:
    return [ln for ln in lines if top < (ln.top + ln.bottom) / 2 < bottom and ln.x1 > x0 - 1 and ln.x0 < x1 + 1]


def _own_candidate(region: Region, lines: list[Line], settings: ExtractSettings) -> tuple[Candidate | None, list[str], float | None]:
    """Read a ruled box with curate's grid builder; also return the box's printed words."""
    x0, top, x1, bottom = region.bbox
    inside = _lines_between(lines, x0, x1, top, bottom)
    words = [w.text for ln in inside for w in ln.words]
    rules = region.rules
    header_bottom = None
    if len(rules) >= 3:
        below_first = _lines_between(lines, x0, x1, rules[1].y, bottom)
        if below_first:
            header_bottom = rules[1].y
    header_lines = [ln for ln in inside if header_bottom is not None and ln.bottom < header_bottom]
    body = [ln for ln in inside if ln not in header_lines]
    if len(body) < settings.min_rows:
        return None, words, header_bottom
    verticals = [v for v, vt, vb in region.verticals]
    grid = build_grid(header_lines, body, verticals, settings.min_gutter_em)
    if grid is None or len(grid.columns) < settings.min_cols:
        return None, words, header_bottom
    cand = Candidate("curate-rules", grid.header, grid.rows, {"min_gutter_em": settings.min_gutter_em})
    return cand, words, header_bottom


def _regions(page: Any, number: int, lines: list[Line], rules: list[Any], settings: ExtractSettings) -> list[Region]:
    verticals = vertical_rules(page)
    regions = []
    for group in group_rules(rules, lines):
        if len(group) < 2:
            continue
        region = Region(number, group)
        x0, top, x1, bottom = region.bbox
        region.verticals = [v for v in verticals if x0 - 2 <= v[0] <= x1 + 2 and v[1] < bottom and v[2] > top]
        if _lines_between(lines, x0, x1, top, bottom):
            regions.append(region)
    return regions


def _best(own: Candidate | None, words: list[str], page: Any, pdf_path: str, region: Region, header_bottom: float | None, settings: ExtractSettings) -> Candidate | None:
    """Own reading if confident, else the best-scoring of own and peers' readings."""
    cands: list[Candidate] = []
    if own is not None:
        own.score = score(own.header, own.rows, words)
        cands.append(own)
        if own.score >= CONFIDENT:
            return own
    bbox = region.bbox
    runners: list[tuple[str, Callable[[], list[Candidate]]]] = [
        ("pdfplumber-lines", lambda: pdfplumber_candidates(page, bbox, header_bottom, "lines")),
        ("pdfplumber-text", lambda: pdfplumber_candidates(page, bbox, header_bottom, "text")),
        ("camelot-lattice", lambda: camelot_candidates(pdf_path, region.page, page.height, bbox, header_bottom, "lattice")),
        ("camelot-stream", lambda: camelot_candidates(pdf_path, region.page, page.height, bbox, header_bottom, "stream")),
    ]
    for name, run in runners:
        if name not in settings.peers:
            continue
        for cand in run():
            cand.score = score(cand.header, cand.rows, words)
            cands.append(cand)
    cands = [c for c in cands if c.rows and len(c.header) >= settings.min_cols]
    return max(cands, key=lambda c: c.score) if cands else None


def _stitchable(prev: Table, table: Table, prev_page: _PageInfo, page: _PageInfo) -> bool:
    """Does ``table`` continue ``prev`` from the previous page?"""
    if table.caption and not CAPTION.match(table.caption or "").group("cont"):  # type: ignore[union-attr]
        return False
    last, first = prev.parts[-1], table.parts[0]
    if first.page != last.page + 1 or table.n_cols != prev.n_cols:
        return False
    ends_page = last.bbox[3] >= prev_page.last_body_bottom - 2
    starts_page = first.bbox[1] <= page.first_body_top + 2
    same_header = not any(table.header) or table.header == prev.header
    return ends_page and starts_page and same_header


def extract_tables(pdf: Any, pdf_path: str, settings: ExtractSettings | None = None, progress: Callable[[int, int], None] | None = None) -> list[Table]:
    """All tables of an open pdfplumber PDF, in reading order, multi-page tables stitched."""
    settings = settings or ExtractSettings()
    raw_lines = [page_lines(p) for p in pdf.pages]
    furniture = running_furniture(raw_lines, [p.height for p in pdf.pages])
    page_rules = [horizontal_rules(p, settings.min_rule_length) for p in pdf.pages]
    furniture_r = furniture_rules(page_rules)
    tables: list[Table] = []
    infos: dict[int, _PageInfo] = {}
    for idx, page in enumerate(pdf.pages):
        number = idx + 1
        lines = [ln for i, ln in enumerate(raw_lines[idx]) if i not in furniture[idx]]
        infos[number] = _PageInfo(
            number,
            page.height,
            lines,
            max((ln.bottom for ln in lines), default=0.0),
            min((ln.top for ln in lines), default=page.height),
        )
        rules = [r for j, r in enumerate(page_rules[idx]) if (idx, j) not in furniture_r]
        for region in _regions(page, number, lines, rules, settings):
            own, words, header_bottom = _own_candidate(region, lines, settings)
            best = _best(own, words, page, pdf_path, region, header_bottom, settings)
            if best is None:
                continue
            caption, cap_box = find_caption(lines, region.bbox)
            x0, top, x1, bottom = region.bbox
            if bottom <= infos[number].last_body_bottom + 2:
                infos[number].last_body_bottom = max(infos[number].last_body_bottom, bottom)
            if cap_box is None and top <= infos[number].first_body_top + 2:
                infos[number].first_body_top = min(infos[number].first_body_top, top)
            tables.append(Table(best.header, best.rows, [TablePart(number, region.bbox)], best.extractor, best.settings, best.score, caption))
        if progress:
            progress(number, len(pdf.pages))
    return _stitch(tables, infos) if settings.stitch_pages else tables


def _stitch(tables: list[Table], infos: dict[int, _PageInfo]) -> list[Table]:
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        if prev is not None and _stitchable(prev, table, infos[prev.parts[-1].page], infos[table.parts[0].page]):
            rows = table.rows
            if not any(table.header) and prev.header and table.rows and table.rows[0] == prev.header:
                rows = rows[1:]
            prev.rows.extend(rows)
            prev.parts.extend(table.parts)
            prev.score = round(min(prev.score, table.score), 4)
            continue
        out.append(table)
    return out
