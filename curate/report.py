"""The data steward's review report: one self-contained ``report.html`` and its ``report.md`` twin.

A steward answers for every number, so each finding is shown with its evidence where it came
from: the printed table row (the cell in question marked) and a cropped image of that region
of the PDF page, beside the reported and recomputed values, the check that fired and the
decision taken about it. Both files are built from one model of the findings, so they always
say the same thing; the HTML adds images, plots and filters (inline, no network, no server),
the Markdown is plain text that diffs well.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import io
import json
import math
import re
import tomllib
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from curate import __version__
from curate.decisions import Decision, fact_groups, load_decisions, read_log
from curate.extract.output import write_text
from curate.extract.upright import unturn_box
from curate.findings import SEVERITIES, Finding
from curate.schemas.io import read_table

STATUSES = ("open", "accepted", "rejected", "fixed")
#: Pages a report keeps open at once (each holds its parsed page and text in memory).
_OPEN_PAGES = 16
_SCALE = 2.0  # render regions at 2x: readable crops on screens and in print
_PAD = 6.0  # points of page beside a region (less when the next word is nearer)
_GUTTER = 12.0  # a gap between words on a line this wide is a column gutter
_MIN_WIDTH = 240.0  # a citation marker alone says little: show this much of its line when the column allows
_COLOURS = 32  # palette of a crop: black text, grey, the yellow mark and the red outline


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame | None:
    """The file as strings (empty cells stay ""), or None when it is absent or unreadable.

    The report must render whatever state the dataset is in: a damaged file is validation's
    finding to report, not a reason for the report to fail.
    """
    table = read_table(path)
    return None if table.fatal() else table.frame()


def _json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


@dataclass
class Paper:
    """What raw/<paper_id>/ holds about one paper."""

    paper_id: str
    folder: Path
    manifest: dict[str, Any]
    tables: list[dict[str, Any]]
    references: pd.DataFrame
    citations: pd.DataFrame
    _frames: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    _printed: dict[str, list[list[str]]] = field(default_factory=dict)
    _records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Paper:
        references, citations = _read_csv(folder / "references.csv"), _read_csv(folder / "citations.csv")
        return cls(
            paper_id=folder.name,
            folder=folder,
            manifest=_json(folder / "manifest.json", {}),
            tables=_json(folder / "tables.json", []),
            references=references if references is not None else pd.DataFrame(),
            citations=citations if citations is not None else pd.DataFrame(),
            _frames={"references.csv": references, "citations.csv": citations},
        )

    def frame(self, name: str) -> pd.DataFrame | None:
        """Another CSV file of the paper's raw folder (``claims.csv``...), read once."""
        if name not in self._frames:
            self._frames[name] = _read_csv(self.folder / name) if re.fullmatch(r"[\w.-]+\.csv", name) else None
        return self._frames[name]

    def table(self, number: str) -> dict[str, Any] | None:
        return next((t for t in self.tables if str(t.get("n")) == number), None)

    def printed(self, number: str) -> list[list[str]]:
        """The raw table as printed (header row first), [] when it is not there; read once."""
        if number not in self._printed:
            table = read_table(self.folder / "tables" / f"table_{number}.csv", rectangular=False)
            self._printed[number] = [] if table.fatal() else [table.header, *table.rows]
        return self._printed[number]

    def record(self, name: str, row: int) -> dict[str, str] | None:
        """Row ``row`` of a raw CSV file: the one whose ``index`` is ``row`` where there is that column, else the row-th."""
        if name not in self._records:
            frame = self.frame(name)
            records = frame.to_dict("records") if frame is not None else []
            self._records[name] = {str(r["index"]): r for r in records} if frame is not None and "index" in frame else {str(i): r for i, r in enumerate(records, start=1)}
        return self._records[name].get(str(row))


def _papers(raw: Path) -> dict[str, Paper]:
    if not raw.is_dir():
        return {}
    return {p.name: Paper.load(p) for p in sorted(raw.iterdir()) if (p / "manifest.json").is_file()}


def _mappings(curated: Path) -> dict[str, list[dict[str, Any]]]:
    """target file -> its mapping sources (to find the printed header of a curated column)."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted((curated / "mappings").glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        found[str(data.get("target", ""))].extend(data.get("sources", []))
    return found


# --------------------------------------------------------------------------------------------
# Evidence: where a finding points in the paper
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A box on a PDF page (points, top-left origin) to crop; ``cell`` is text to outline in it."""

    paper_id: str
    page: int
    bbox: tuple[float, float, float, float]
    header: tuple[int, tuple[float, float, float, float]] | None = None
    cell: str = ""
    occurrence: int = 0


@dataclass
class Printed:
    """A table row as printed, with the header and the index of the cell in question."""

    table: str
    row: int
    header: list[str]
    cells: list[str]
    column: int | None
    paper_id: str = ""


@dataclass
class Evidence:
    """What a finding points to in its paper, for the steward to compare with the printed page."""

    pages: list[str] = field(default_factory=list)
    printed: list[Printed] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    image: str = ""  # data: URI of the cropped page image(s)
    note: str = ""  # why there is no image


def _int(value: Any) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _split(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


def _printed_header(sources: list[dict[str, Any]], paper: str, table: str, column: str | None, record: Mapping[str, str]) -> str | None:
    """The printed header a curated column was read from (a melted column: the one for this row's visit)."""
    if not column:
        return None
    for source in sources:
        if str(source.get("paper")) != paper or str(source.get("table")) != table:
            continue
        spec = source.get("columns", {}).get(column)
        if isinstance(spec, dict) and spec.get("from"):
            return str(spec["from"])
        melt = source.get("melt") or {}
        if melt.get("value") == column:
            visit = str(record.get(str(melt.get("into")), ""))
            for header, number in melt.get("columns", {}).items():
                if str(number) == visit:
                    return str(header)
    return None


def _table_row(paper: Paper, table: str, row: int, header_name: str | None) -> tuple[Printed | None, Region | None]:
    """The printed row ``row`` of table ``table`` and its box on the page."""
    rows = paper.printed(table)
    printed = None
    if 0 < row < len(rows):
        header, cells = rows[0], rows[row]
        column = header.index(header_name) if header_name in header else None
        printed = Printed(table, row, header, cells, column if column is not None and column < len(cells) else None, paper.paper_id)
    meta = paper.table(table) or {}
    boxes = meta.get("row_boxes") or []
    if not 0 < row <= len(boxes):
        return printed, None
    page, *bbox = boxes[row - 1]
    head = meta.get("header_box")
    cell, occurrence = "", 0
    if printed is not None and printed.column is not None and printed.cells[printed.column].strip():
        cell = printed.cells[printed.column].strip()
        # The PDF search finds whole words left to right: skip those in the cells before this one.
        word = re.compile(rf"(?<!\w){re.escape(cell)}(?!\w)")
        occurrence = sum(len(word.findall(c)) for c in printed.cells[: printed.column])
    header_box = (int(head[0]), tuple(head[1:])) if head else None
    return printed, Region(paper.paper_id, int(page), tuple(bbox), header_box, cell, occurrence)


def _raw_file(papers: Mapping[str, Paper], finding: Finding) -> tuple[Paper | None, str]:
    """The paper and file name of a location in raw/ (``references.csv``, ``raw/x/tables/table_2.csv``)."""
    file = (finding.location.file or "").replace("\\", "/")
    parts = [p for p in file.split("/") if p]
    paper_id = next((p for p in parts if p in papers), finding.paper_id)
    return papers.get(paper_id or ""), parts[-1] if parts else ""


#: Columns of raw files (references, citations, claims) that hold the words a steward should read.
_TEXT_COLUMNS = ("raw", "span", "text")


def _from_tidy(ev: Evidence, record: dict[str, str], name: str, column: str | None, papers: Mapping[str, Paper], mappings: Mapping[str, list[dict[str, Any]]]) -> Evidence:
    """Evidence of a curated row that came from a printed table: that row as printed, and its box."""
    paper = papers.get(record.get("paper_id", ""))
    ev.pages = _split(record.get("page")) or ev.pages
    printed_row = _int(record.get("row"))
    tables = _split(record.get("table"))
    if paper is None or printed_row is None:
        return ev
    headers = {t: _printed_header(list(mappings.get(name, [])), paper.paper_id, t, column, record) for t in tables}
    for table in [t for t in tables if headers[t]] or tables:
        printed, region = _table_row(paper, table, printed_row, headers[table])
        ev.printed += [printed] if printed else []
        ev.regions += [region] if region else []
    ev.pages = sorted({str(r.page) for r in ev.regions}, key=int) or ev.pages
    return ev


def _from_raw(ev: Evidence, paper: Paper, name: str, row: int, column: str | None) -> Evidence:
    """Evidence of a row of a raw file: a printed table row, or an entry with ``page`` and ``bbox``."""
    if (m := re.fullmatch(r"table_(\d+)\.csv", name)) is not None:
        rows = paper.printed(m.group(1))
        printed, region = _table_row(paper, m.group(1), row, column if rows and column in rows[0] else None)
        ev.printed += [printed] if printed else []
        ev.regions += [region] if region else []
        ev.pages = [str(region.page)] if region else ev.pages
        return ev
    # Raw rows are numbered by their ``index`` column (1-based, printed order) where there is one.
    record = paper.record(name, row)
    if record is None:
        return ev
    text = next((record[c] for c in _TEXT_COLUMNS if record.get(c)), "")
    ev.text += [text] if text else []
    if record.get("status"):
        ev.text.append(f"status: {record['status']}" + (f", in {record['where']}" if record.get("where") else ""))
    boxes = _json_list(record.get("bbox"))
    if len(boxes) == 4 and all(isinstance(v, (int, float)) for v in boxes) and _int(record.get("page")):
        boxes = [[_int(record["page"]), *boxes]]
    for box in boxes:
        if isinstance(box, list) and len(box) == 5:
            ev.regions.append(Region(paper.paper_id, int(box[0]), tuple(box[1:])))
    ev.pages = sorted({str(r.page) for r in ev.regions}, key=int) or _split(record.get("page")) or ev.pages
    return ev


def evidence_for(finding: Finding, papers: Mapping[str, Paper], curated: Mapping[str, pd.DataFrame | None], mappings: Mapping[str, list[dict[str, Any]]]) -> Evidence:
    """Page, printed table row, text and page regions a finding points to (as far as its location tells).

    A row of a curated table read from a printed table (it has ``paper_id``, ``table``, ``row``)
    is traced back to that printed row; any other location is looked up in the paper's raw/
    folder (tables, references, citations, claims: whatever has ``page`` and ``bbox``).
    """
    ev = _evidence_at(finding, papers, curated, mappings)
    for place in finding.related:  # another paper's table row: its printed row and crop follow
        other = _evidence_at(replace(finding, location=place), papers, curated, mappings)
        ev.printed += other.printed
        ev.text += other.text
        ev.regions += other.regions
    return ev


def _evidence_at(finding: Finding, papers: Mapping[str, Paper], curated: Mapping[str, pd.DataFrame | None], mappings: Mapping[str, list[dict[str, Any]]]) -> Evidence:
    loc = finding.location
    ev = Evidence(pages=_split(loc.page))
    if loc.row is None:
        return ev
    name = (loc.file or "").replace("\\", "/").rsplit("/", 1)[-1]
    frame = curated.get(name)
    if frame is not None and {"paper_id", "table", "row"} <= set(frame.columns):
        return _from_tidy(ev, frame.iloc[loc.row - 1].to_dict(), name, loc.column, papers, mappings) if 0 < loc.row <= len(frame) else ev
    paper, name = _raw_file(papers, finding)
    return _from_raw(ev, paper, name, loc.row, loc.column) if paper is not None and loc.row > 0 else ev


def _json_list(value: Any) -> list[Any]:
    try:
        data = json.loads(str(value))
    except ValueError:
        return []
    return data if isinstance(data, list) else []


# --------------------------------------------------------------------------------------------
# Page images
# --------------------------------------------------------------------------------------------


Box = tuple[float, float, float, float]


class PageImages:
    """Crops of PDF pages (only the region is rendered); the PDFs are those named in each manifest.

    A crop shows whole words: its edges are moved out to the ends of the words they cut and
    never past the gap to the next word, so it does not bleed into the next column; a region
    too narrow to read alone (a citation marker) is widened word by word along its line, up to
    the column's edge. Images are palette PNGs: text needs few colours, and they stay small.
    """

    def __init__(self, pdf_dir: Path | None, papers: Mapping[str, Paper], stack: ExitStack) -> None:
        self._dir = pdf_dir
        self._papers = papers
        self._docs: dict[str, Any] = {}
        self._notes: dict[str, str] = {}
        # The pages open now, most recently used last: at most _OPEN_PAGES are kept, so memory
        # does not grow with the pages a report shows (findings come sorted by paper and page).
        self._pages: OrderedDict[tuple[str, int], Any] = OrderedDict()
        self._text: dict[tuple[str, int], Any] = {}
        self._words: dict[tuple[str, int], list[Box]] = {}  # pdfium's text segments of each page
        stack.callback(self._close)

    def _release(self, key: tuple[str, int]) -> None:
        """Close one page (and its text page) and forget what was read from it."""
        textpage = self._text.pop(key, None)
        if textpage is not None:
            textpage.close()
        self._words.pop(key, None)
        page = self._pages.pop(key, None)
        if page is not None:
            page.close()

    def _close(self) -> None:
        """Pages first, then their documents."""
        for key in list(self._pages):
            self._release(key)
        for doc in self._docs.values():
            doc.close()

    def _doc(self, paper_id: str) -> Any:
        """The paper's PDF, or None (with a note why) when it is not at hand or is another file."""
        if paper_id in self._docs or paper_id in self._notes:
            return self._docs.get(paper_id)
        import pypdfium2 as pdfium

        source = self._papers[paper_id].manifest.get("source", "")
        path = self._dir / source if self._dir and source else None
        if path is None or not path.is_file():
            self._notes[paper_id] = f"{source or 'the PDF'} is not at hand (give --pdfs)"
            return None
        expected = self._papers[paper_id].manifest.get("sha256")
        if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            self._notes[paper_id] = f"{path.name} is not the file that was extracted (sha256 differs): no image"
            return None
        doc = pdfium.PdfDocument(str(path))
        self._docs[paper_id] = doc
        return doc

    def note(self, paper_id: str) -> str:
        return self._notes.get(paper_id, "")

    def _page(self, paper_id: str, number: int) -> Any:
        """The pdfium page, or None."""
        key = (paper_id, number)
        if key in self._pages:
            self._pages.move_to_end(key)
            return self._pages[key]
        doc = self._doc(paper_id)
        self._pages[key] = doc[number - 1] if doc is not None and 0 < number <= len(doc) else None
        while len(self._pages) > _OPEN_PAGES:
            self._release(next(iter(self._pages)))
        return self._pages[key]

    def _textpage(self, paper_id: str, number: int) -> Any:
        key = (paper_id, number)
        page = self._page(paper_id, number)
        if key not in self._text:
            self._text[key] = page.get_textpage()
        return self._text[key]

    def words(self, paper_id: str, number: int, top: float, bottom: float) -> list[Box]:
        """Boxes of the words on the lines between ``top`` and ``bottom`` (points, top-left origin).

        Only those lines are read: pdfium's text segments (one per run of a line) say where
        they are, and the characters of each segment are walked from its first one.
        """
        import pypdfium2.raw as raw

        page, textpage = self._page(paper_id, number), self._textpage(paper_id, number)
        key = (paper_id, number)
        if key not in self._words:
            self._words[key] = [textpage.get_rect(i) for i in range(textpage.count_rects())]
        x0m, _, _, y1m = page.get_mediabox()
        words: list[list[float]] = []
        for left, low, right, high in self._words[key]:
            if y1m - low < top or y1m - high > bottom:
                continue
            index = textpage.get_index(left + 0.5, (low + high) / 2, 1.0, (high - low) / 2)
            if index is None or index < 0:
                continue
            current: list[float] | None = None
            for i in range(index, textpage.count_chars()):
                char_left, char_bottom, char_right, char_top = textpage.get_charbox(i)
                if char_left > right + 1 or char_top < low - 1 or char_bottom > high + 1:
                    break
                box = [char_left - x0m, y1m - char_top, char_right - x0m, y1m - char_bottom]
                if chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32).isspace() or char_right <= char_left:
                    current = None
                elif current is not None and -(box[3] - box[1]) < box[0] - current[2] < 0.3 * (box[3] - box[1]):
                    current[1:] = [min(current[1], box[1]), max(current[2], box[2]), max(current[3], box[3])]
                else:
                    current = box
                    words.append(current)
        return [(w[0], w[1], w[2], w[3]) for w in words]

    def _turn(self, paper_id: str, number: int) -> int:
        """How the page was turned to be read (manifest ``turned``): 0, 90 or 270."""
        return int(self._papers[paper_id].manifest.get("turned", {}).get(str(number), 0))

    @staticmethod
    def _upright(image: Any, turn: int) -> Any:
        """A crop of a page turned ``turn`` degrees clockwise, so it reads as it was read."""
        return image.rotate(-turn, expand=True) if turn else image

    def _cell_box(self, region: Region) -> Box | None:
        """Where the cell's text is printed inside the row box (top-left points), if it can be found."""
        if not region.cell:
            return None
        page, textpage = self._page(region.paper_id, region.page), self._textpage(region.paper_id, region.page)
        x0m, _, _, y1m = page.get_mediabox()
        x0, top, x1, bottom = region.bbox
        search = textpage.search(region.cell, match_case=True, match_whole_word=True)
        hits = []
        while (hit := search.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            box = (min(b[0] for b in boxes) - x0m, y1m - max(b[3] for b in boxes), max(b[2] for b in boxes) - x0m, y1m - min(b[1] for b in boxes))
            cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if x0 <= cx <= x1 and top <= cy <= bottom:
                hits.append(box)
        hits.sort()
        return hits[region.occurrence] if region.occurrence < len(hits) else None

    def _crop(self, paper_id: str, number: int, view: Box, marks: Sequence[tuple[Box, bool]]) -> Any:
        """The ``view`` box of the page rendered alone, with ``marks`` (box, outline?) drawn on it."""
        from PIL import Image, ImageDraw

        page = self._page(paper_id, number)
        width, height = page.get_size()
        cx0, _, _, cy1 = page.get_cropbox()
        mx0, _, _, my1 = page.get_mediabox()
        dx, dy = cx0 - mx0, my1 - cy1  # crop box offset inside the media box
        left, top = max(0.0, view[0] - dx), max(0.0, view[1] - dy)
        right, bottom = min(width, view[2] - dx), min(height, view[3] - dy)
        if right - left < 1 or bottom - top < 1:
            return None
        image = page.render(scale=_SCALE, crop=(left, height - bottom, width - right, top)).to_pil().convert("RGB")
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for box, outline in marks:
            x0, y0 = (box[0] - dx - left) * _SCALE, (box[1] - dy - top) * _SCALE
            x1, y1 = (box[2] - dx - left) * _SCALE, (box[3] - dy - top) * _SCALE
            if outline:
                draw.rectangle((x0 - 4, y0 - 3, x1 + 4, y1 + 3), outline=(214, 40, 40, 255), width=3)
            else:
                draw.rectangle((x0, y0, x1, y1), fill=(255, 214, 0, 70))
        return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

    def render(self, regions: Sequence[Region]) -> str:
        """One palette PNG (data: URI) of every region stacked, each under its table header; "" if none renders."""
        from PIL import Image

        strips = []
        for region in regions:
            page = self._page(region.paper_id, region.page)
            if page is None:
                continue
            turn = self._turn(region.paper_id, region.page)
            if turn:  # a page read turned upright: crop the page as it is, then turn the crop
                width, height = page.get_size()
                head = (region.header[0], unturn_box(turn, width, height, region.header[1])) if region.header else None
                region = replace(region, bbox=unturn_box(turn, width, height, region.bbox), header=head)
            if region.header and self._page(region.paper_id, region.header[0]) is not None:
                hpage, hbox = region.header
                view = crop_view(self.words(region.paper_id, hpage, hbox[1], hbox[3]) if not turn else [], hbox, widen=False)
                head_image = self._crop(region.paper_id, hpage, view, [])
                strips += [self._upright(head_image, turn)] if head_image is not None else []
            view = crop_view(self.words(region.paper_id, region.page, region.bbox[1], region.bbox[3]) if not turn else [], region.bbox, widen=True)
            cell = self._cell_box(region)
            row = self._crop(region.paper_id, region.page, view, [(region.bbox, False)] + ([(cell, True)] if cell else []))
            strips += [self._upright(row, turn)] if row is not None else []
        if not strips:
            return ""
        gap = 6
        out = Image.new("RGB", (max(s.width for s in strips), sum(s.height for s in strips) + gap * (len(strips) - 1)), (200, 200, 200))
        y = 0
        for strip in strips:
            out.paste(strip, (0, y))
            y += strip.height + gap
        buf = io.BytesIO()
        out.quantize(colors=_COLOURS, method=Image.Quantize.FASTOCTREE).save(buf, format="PNG", compress_level=6)
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def crop_view(words: Sequence[Box], bbox: Box, widen: bool) -> Box:
    """The part of the page to show for ``bbox``: whole words, within its column, padded.

    Words on the lines of ``bbox`` that its edges cut are taken whole; with ``widen``, a box
    narrower than _MIN_WIDTH grows along its line by the nearest word on either side, as long
    as the gap to it is narrower than a column gutter; the padding stops half-way to the next word.
    """
    x0, top, x1, bottom = bbox

    def share(w: Box) -> float:
        """How much of the word's height is inside the box's lines."""
        return (min(w[3], bottom) - max(w[1], top)) / max(w[3] - w[1], 0.1)

    line = [w for w in words if share(w) >= 0.3]  # superscripts and sub-scripts too, not the lines beside
    for w in line:
        if w[2] > x0 and w[0] < x1:
            x0, x1 = min(x0, w[0]), max(x1, w[2])
    while widen and x1 - x0 < _MIN_WIDTH:
        gaps = [(w[0] - x1, w) for w in line if w[0] >= x1 - 0.5] + [(x0 - w[2], w) for w in line if w[2] <= x0 + 0.5]
        near = [(g, w) for g, w in gaps if g <= _GUTTER]
        if not near:
            break
        _, w = min(near)
        x0, x1 = min(x0, w[0]), max(x1, w[2])
    left = max((w[2] for w in line if w[2] <= x0 + 0.5), default=None)
    right = min((w[0] for w in line if w[0] >= x1 - 0.5), default=None)
    pad_left = _PAD if left is None else max(0.0, min(_PAD, (x0 - left) / 2))
    pad_right = _PAD if right is None else max(0.0, min(_PAD, (right - x1) / 2))
    shown = [w for w in line if w[2] > x0 and w[0] < x1]
    top, bottom = min([top, *(w[1] for w in shown)]), max([bottom, *(w[3] for w in shown)])
    return x0 - pad_left, top - 2.0, x1 + pad_right, bottom + 2.0


# --------------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------------


#: What the report says when matplotlib (the ``curate[plots]`` extra) is missing.
NO_PLOTS = "Plots need matplotlib: pip install 'curate[plots]'"


def plots_available() -> bool:
    """Whether matplotlib can be imported (it is an extra: a steward who only validates needs none)."""
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def _svg(fig: Any) -> str:
    """A matplotlib figure as an inline data: URI (SVG, deterministic ids, no date)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "curate", "svg.fonttype": "none"}):  # text as text: small and fast
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def _margins(fig: Any, left: float, *, bottom: float = 0.5, top: float = 0.4, right: float = 0.2, gap_y: float = 0.0, gap_x: float = 0.0) -> None:
    """Fixed margins and gaps (inches) instead of matplotlib's constrained layout: measuring every
    tick label of a plot of hundreds of estimates was most of a 2,000-finding report's build time."""
    w, h = fig.get_size_inches()
    rows, cols = (fig.axes[0].get_subplotspec().get_gridspec().get_geometry()) if fig.axes else (1, 1)
    cell_h = max(h - top - bottom - (rows - 1) * gap_y, 0.5) / rows
    cell_w = max(w - left - right - (cols - 1) * gap_x, 0.5) / cols
    fig.subplots_adjust(left=left / w, right=1 - right / w, bottom=bottom / h, top=1 - top / h, hspace=gap_y / cell_h, wspace=gap_x / cell_w)


def _label_width(labels: Iterable[object], fontsize: float) -> float:
    """Inches a column of tick labels takes (an average glyph is at most about 0.6 em wide)."""
    return 0.25 + max((len(str(label)) for label in labels), default=0) * fontsize * 0.6 / 72


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce") if column in frame else pd.Series(dtype=float)


def _flagged_rows(findings: Iterable[Finding], file: str, statuses: Mapping[str, str]) -> set[int]:
    return {f.location.row for f in findings if f.location.file == file and f.location.row and statuses.get(f.id, "open") == "open"}


#: Columns that say where a row came from, not what was measured.
_PROVENANCE = {"paper_id", "table", "page", "row", "patient", "visit", "label", "arm", "work_id"}


@dataclass(frozen=True)
class PlotSpec:
    """One plot the report draws: its ``kind`` (see :data:`PLOT_KINDS`), the curated ``table`` and the ``columns`` it reads."""

    kind: str
    table: str = ""
    columns: tuple[str, ...] = ()
    title: str = ""

    @property
    def caption(self) -> str:
        if self.title:
            return self.title
        whats: dict[str, Callable[[], str]] = {
            "paired": lambda: f"{self.columns[0]} → {self.columns[1]} per row",
            "series": lambda: f"{self.columns[0]} per visit and patient",
            "arms": lambda: "patients per arm (" + ", ".join(c.removeprefix("n_") for c in self.columns) + ")",
            "forest": lambda: "Effect estimates with their 95% CI, as printed",
            "reported": lambda: "Reported vs recomputed",
        }
        what = whats[self.kind]()
        return f"{what} ({self.table})" if self.table else what


def infer_plots(frames: Mapping[str, pd.DataFrame | None], effects: pd.DataFrame) -> list[PlotSpec]:
    """The plots the data allow, whatever the review measures.

    ``X_before`` beside ``X_after`` in a table: each row's change; ``patient`` and ``visit``
    columns: each numeric measure that varies within a patient, per visit; two or more
    ``n_<arm>`` columns: patients per arm; effect estimates with a CI in the papers' text: a
    forest plot. The reported-vs-recomputed plot is always considered.
    """
    specs = []
    for name, frame in sorted(frames.items()):
        if frame is None or frame.empty:
            continue
        columns = list(frame.columns)
        for c in columns:
            if c.endswith("_before") and (after := c.removesuffix("_before") + "_after") in columns and _numbers(frame, c).notna().any():
                specs.append(PlotSpec("paired", name, (c, after)))
        if {"patient", "visit"} <= set(columns):
            for c in columns:
                values = _numbers(frame, c)
                if c in _PROVENANCE or c.endswith("_printed") or values.notna().sum() < 2:
                    continue
                keys = [k for k in ("paper_id", "patient") if k in columns]
                if (values.groupby([frame[k] for k in keys]).nunique() > 1).any():
                    specs.append(PlotSpec("series", name, (c, "visit", "patient")))
        arms = tuple(c for c in columns if c.startswith("n_") and _numbers(frame, c).notna().any())
        if len(arms) >= 2 and {"paper_id", "row"} <= set(columns):  # rows of printed tables, not counts of a registry
            specs.append(PlotSpec("arms", name, arms))
    if not effects.empty:
        specs.append(PlotSpec("forest"))
    return specs + [PlotSpec("reported")]


def declared_plots(declared: Sequence[Any]) -> list[PlotSpec]:
    """The plots a review declares (``[[plots]]`` of review.toml: ``paired``, ``per_visit``, ``sizes``), in its order."""
    specs = []
    for d in declared:
        table, c = f"{d.table}.csv", d.columns
        if d.kind == "paired":
            specs.append(PlotSpec("paired", table, (c["before"], c["after"]), d.title))
        elif d.kind == "per_visit":
            specs.append(PlotSpec("series", table, (c["value"], c["visit"], c["patient"]), d.title))
        elif d.kind == "sizes":
            specs.append(PlotSpec("arms", table, (c["treated"], c["control"]), d.title))
        else:
            raise ValueError(f"plot kind {d.kind!r} is not one of paired, per_visit, sizes")
    return specs


def draw_plot(spec: PlotSpec, frames: Mapping[str, pd.DataFrame | None], findings: Sequence[Finding], statuses: Mapping[str, str], effects: pd.DataFrame) -> str:
    """The plot as a data: URI, "" when its data are not there."""
    frame = frames.get(spec.table) if spec.table else None
    if spec.kind == "reported":
        return plot_reported_computed(findings)
    if spec.kind == "forest":
        return plot_forest(effects)
    if frame is None or not set(spec.columns) <= set(frame.columns):
        return ""
    if spec.kind == "paired" and len(spec.columns) == 2:
        return plot_paired(frame, spec, _flagged_rows(findings, spec.table, statuses))
    if spec.kind == "series" and spec.columns:
        return plot_series(frame, spec)
    if spec.kind == "arms":
        return plot_arms(frame, spec, _flagged_rows(findings, spec.table, statuses))
    return ""


def _row_labels(frame: pd.DataFrame) -> list[str]:
    n = len(frame)
    labels = frame["label"] if "label" in frame else [f"{p} row {r}" for p, r in zip(frame.get("paper_id", [""] * n), frame.get("row", range(1, n + 1)))]
    arms = frame.get("arm", [""] * n)
    return [f"{lab} (arm {arm})" if str(arm) not in ("", "1") else str(lab) for lab, arm in zip(labels, arms)]


def plot_paired(frame: pd.DataFrame, spec: PlotSpec, flagged: set[int]) -> str:
    """Each row's value before -> after (green fell, red rose); rows with open findings ringed."""
    from matplotlib.figure import Figure

    before, after = _numbers(frame, spec.columns[0]), _numbers(frame, spec.columns[1])
    n = len(frame)
    fig = Figure(figsize=(7.5, 1.2 + 0.16 * n))
    ax = fig.subplots()
    _margins(fig, _label_width(_row_labels(frame), 6), bottom=0.55)
    for i in range(n):
        b, a = before.iloc[i], after.iloc[i]
        y = n - i
        if not math.isnan(b) and not math.isnan(a):
            ax.annotate("", (a, y), (b, y), arrowprops={"arrowstyle": "->", "color": "#2e7d32" if a <= b else "#c62828", "lw": 1.2})
        ax.plot([b], [y], "o", color="#9e9e9e", ms=3.5)
        ax.plot([a], [y], "o", color="#2e7d32" if a <= b else "#c62828", ms=3.5)
        if i + 1 in flagged:
            ax.plot([b, a], [y, y], "o", mfc="none", mec="#d32f2f", ms=9, mew=1.5)
    ax.set_yticks(range(n, 0, -1), _row_labels(frame), fontsize=6)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_xlabel(f"{spec.columns[0].removesuffix('_before')}   grey: before · coloured: after · red ring: open finding")
    ax.set_title(spec.caption, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def plot_series(frame: pd.DataFrame, spec: PlotSpec) -> str:
    """A measure per visit of each patient."""
    from matplotlib.figure import Figure

    column, visit, patient = (*spec.columns, "visit", "patient")[:3]
    keys = [k for k in ("paper_id", patient) if k in frame]
    data = frame.assign(v=_numbers(frame, visit), h=_numbers(frame, column)).dropna(subset=["v", "h"])
    if data.empty:
        return ""
    fig = Figure(figsize=(5.5, 3.2))
    ax = fig.subplots()
    _margins(fig, 0.7, bottom=0.55)
    for key, group in data.groupby(keys, sort=True):
        ax.plot(group["v"], group["h"], "o-", label=" ".join(map(str, key if isinstance(key, tuple) else (key,))))
    ax.set_xticks(sorted(data["v"].unique()))
    ax.set_xlabel(visit)
    ax.set_ylabel(column)
    ax.set_title(spec.caption, fontsize=10)
    if data.groupby(keys).ngroups <= 12:
        ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _svg(fig)


def plot_arms(frame: pd.DataFrame, spec: PlotSpec, flagged: set[int]) -> str:
    """Patients in each arm of each row, side by side; rows with open findings in red."""
    from matplotlib.figure import Figure

    n, k = len(frame), len(spec.columns)
    fig = Figure(figsize=(7.5, 1.2 + 0.13 * n * k))
    ax = fig.subplots()
    _margins(fig, _label_width(_row_labels(frame), 7), bottom=0.55)
    ys = [n - i for i in range(n)]
    height = 0.8 / k
    colours = ["#1565c0", "#90a4ae", "#ef6c00", "#6a1b9a", "#2e7d32"]
    for j, column in enumerate(spec.columns):
        offset = 0.4 - height * (j + 0.5)
        ax.barh([y + offset for y in ys], _numbers(frame, column).fillna(0), height=height, color=colours[j % len(colours)], label=column.removeprefix("n_").replace("_", " "))
    ax.set_yticks(ys, _row_labels(frame), fontsize=7)
    for i, tick in enumerate(ax.get_yticklabels()):
        if i + 1 in flagged:
            tick.set_color("#d32f2f")
    ax.set_xlabel("patients per arm")
    ax.set_title(spec.caption, fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def plot_forest(effects: pd.DataFrame) -> str:
    """Every effect estimate with its CI as the papers print it: one panel (own scale) per outcome and measure."""
    from matplotlib.figure import Figure

    rows = effects.assign(e=_numbers(effects, "estimate"), lo=_numbers(effects, "ci_lower"), hi=_numbers(effects, "ci_upper")).dropna(subset=["e", "lo", "hi"])
    if rows.empty:
        return ""
    rows = rows.sort_values(["outcome", "measure", "paper_id", "page"], kind="stable")
    panels = list(dict.fromkeys(zip(rows["outcome"], rows["measure"])))
    sizes = [int(((rows["outcome"] == o) & (rows["measure"] == m)).sum()) for o, m in panels]
    labels = {i: f"{r.paper_id} p.{r.page}" + (f" · {r.study}" if r.study else "") for i, r in zip(rows.index, rows.itertuples())}
    fig = Figure(figsize=(7.5, 1.0 + 0.55 * len(panels) + 0.17 * len(rows)))
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=[n + 1.5 for n in sizes]).ravel()
    _margins(fig, _label_width(labels.values(), 6), bottom=0.35, top=0.55, gap_y=0.5)
    for ax, (outcome, measure) in zip(axes, panels):
        part = rows[(rows["outcome"] == outcome) & (rows["measure"] == measure)]
        ys = list(range(len(part), 0, -1))
        ratio = str(measure).upper() in ("OR", "RR", "HR", "IRR")
        ax.errorbar(part["e"], ys, xerr=[part["e"] - part["lo"], part["hi"] - part["e"]], fmt="s", color="#1565c0", ms=4, capsize=2, lw=1)
        ax.axvline(1 if ratio else 0, color="#616161", lw=1, ls="--")
        if ratio and (part[["e", "lo", "hi"]] > 0).all().all():
            ax.set_xscale("log")
        ax.set_yticks(ys, [labels[i] for i in part.index], fontsize=6)
        ax.set_ylim(0.3, len(part) + 0.7)
        ax.set_title(f"{outcome}: {measure} (95% CI)", fontsize=8, loc="left")
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(PlotSpec("forest").caption, fontsize=10)
    return _svg(fig)


_NUMBER = re.compile(r"\s*[=<>≤≥~]?\s*(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)\s*")


def _float(value: Any) -> float | None:
    """A reported or computed value as a number (``"= 0.08"`` and ``"< 0.001"`` too), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = float(value)
        return number if math.isfinite(number) else None
    found = _NUMBER.fullmatch(str(value))
    return float(found.group(1)) if found else None


#: Kinds of plot a review may declare; each reads the columns :class:`PlotSpec` names.
PLOT_KINDS = ("paired", "series", "arms", "forest", "reported")


def plot_reported_computed(findings: Sequence[Finding]) -> str:
    """Reported against recomputed value, one panel per check (each check compares its own quantity).

    Points on the diagonal agree; the farther off it, the larger the disagreement.
    """
    by_check: dict[str, list[tuple[Finding, float, float]]] = defaultdict(list)
    for f in findings:
        r, c = _float(f.reported), _float(f.computed)
        if r is not None and c is not None:
            by_check[f.check].append((f, r, c))
    if not by_check:
        return ""
    from matplotlib.figure import Figure

    colours = {"error": "#d32f2f", "warning": "#f9a825", "info": "#1976d2"}
    cols = min(3, len(by_check))
    rows = math.ceil(len(by_check) / cols)
    fig = Figure(figsize=(3.4 * cols, 3.1 * rows + 0.3))
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    _margins(fig, 0.65, bottom=0.5, top=0.65, gap_y=0.75, gap_x=0.7)
    for ax, (check, points) in zip(axes, sorted(by_check.items())):
        values = [v for _, r, c in points for v in (r, c)]
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
        ax.plot([low - pad, high + pad], [low - pad, high + pad], "--", color="#9e9e9e", lw=1)
        for severity in SEVERITIES:
            chosen = [(r, c) for f, r, c in points if f.severity == severity]
            if chosen:
                ax.scatter([c for _, c in chosen], [r for r, _ in chosen], s=18, color=colours[severity], label=severity, zorder=3)
        ax.set_title(f"{check} ({len(points)})", fontsize=9)
        ax.set_xlabel("computed", fontsize=8)
        ax.set_ylabel("reported", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6)
    for ax in axes[len(by_check) :]:
        ax.set_visible(False)
    fig.suptitle("Reported vs recomputed values, per check (diagonal: they agree)", fontsize=10)
    return _svg(fig)


# --------------------------------------------------------------------------------------------
# The model both renderings share
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    """One fact as the report shows it: the finding to decide by, and others that report the same fact."""

    finding: Finding
    status: str
    decision: Decision | None
    evidence: Evidence
    also: tuple[Finding, ...] = ()
    new: bool = False

    @property
    def paper(self) -> str:
        return self.finding.paper_id or ""


@dataclass
class Model:
    generated: str
    curated: Path
    raw: Path
    papers: dict[str, Paper]
    items: list[Item]
    log: list[Decision]
    current: set[str]
    works: pd.DataFrame | None
    match_review: pd.DataFrame | None
    plots: list[tuple[str, str]]  # (caption, data URI)
    previous: str = ""  # when the report the "new" marks compare with was made ("" for none)

    def overview(self) -> list[tuple[str, str]]:
        tables = sum(len(p.tables) for p in self.papers.values())
        rows = [
            ("papers", str(len(self.papers))),
            ("tables", str(tables)),
            ("references", str(sum(len(p.references) for p in self.papers.values()))),
            ("citations", str(sum(len(p.citations) for p in self.papers.values()))),
        ]
        if self.works is not None:
            rows.append(("works", str(_works_count(self.works))))
        by = Counter(i.finding.severity for i in self.items)
        rows += [(f"findings: {s}", str(by.get(s, 0))) for s in SEVERITIES]
        decided = sum(1 for i in self.items if i.status != "open")
        rows += [("decided", str(decided)), ("undecided", str(len(self.items) - decided))]
        if self.previous:
            rows.append((f"new since {self.previous}", str(sum(i.new for i in self.items))))
        return rows


def _works_count(works: pd.DataFrame) -> int:
    column = next((c for c in works.columns if c.lower() in ("work_id", "work")), None)
    return works[column].nunique() if column else len(works)


_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
#: Severities whose findings get page crops; ``info`` (checks that passed) shows its evidence on demand, as text.
IMAGED = ("error", "warning")
PREVIOUS = "findings.json"  # in the report folder: the findings of the last report, for "new since"


def load_sources(curated: Path, raw: Path) -> tuple[dict[str, Paper], dict[str, pd.DataFrame | None], dict[str, list[dict[str, Any]]]]:
    """What evidence is looked up in: the papers of ``raw``, the curated CSV files by name, the mappings."""
    frames = {p.name: _read_csv(p) for p in sorted(curated.glob("*.csv"))} if curated.is_dir() else {}
    return _papers(raw), frames, _mappings(curated)


def previous_report(out: Path) -> tuple[str, set[str]] | None:
    """(when, finding ids) of the report last written to ``out``, None when there is none."""
    data = _json(out / PREVIOUS, None)
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        return None
    return str(data.get("generated", "")), {str(f.get("id")) for f in data["findings"] if isinstance(f, dict)}


def build_model(
    curated: Path,
    raw: Path,
    findings: Sequence[Finding],
    pdf_dir: Path | None,
    stack: ExitStack,
    previous: tuple[str, set[str]] | None = None,
    plots: Sequence[PlotSpec] | None = None,
) -> Model:
    """Read everything the report shows once; both renderings use this.

    Findings that report one fact (:func:`curate.decisions.fact_groups`) become one item.
    ``plots`` are the plots of curated tables a review declares; without them, those its data
    allow. The forest plot and reported-vs-recomputed follow from the papers and the findings.
    """
    from curate.export import effects_table

    papers, frames, mappings = load_sources(curated, raw)
    decisions = load_decisions(curated) if curated.is_dir() else {}
    images = PageImages(pdf_dir, papers, stack)
    items = []
    groups = sorted(fact_groups(findings), key=lambda g: (_SEVERITY_ORDER[g[0].severity], g[0].paper_id or "", g[0].location.file or "", g[0].location.row or 0, g[0].check))
    for group in groups:
        f = group[0]
        ev = evidence_for(f, papers, frames, mappings)
        if ev.regions and f.severity in IMAGED:
            ev.image = images.render(ev.regions)
            if not ev.image:
                ev.note = images.note(ev.regions[0].paper_id) or "the page could not be rendered"
        decision = next((decisions[g.id] for g in group if g.id in decisions), None)
        new = previous is not None and not any(g.id in previous[1] or g.legacy_id in previous[1] for g in group)  # the id it had before counts too
        items.append(Item(f, decision.status if decision else "open", decision, ev, tuple(group[1:]), new))
    statuses = {g.id: i.status for i in items for g in (i.finding, *i.also)}
    effects = effects_table(raw, curated if curated.is_dir() else None)
    inferred = infer_plots(frames, effects)
    specs = [*(plots if plots is not None else (s for s in inferred if s.table)), *(s for s in inferred if not s.table)]
    drawn = [(spec.caption, draw_plot(spec, frames, findings, statuses, effects)) for spec in specs] if plots_available() else []
    return Model(
        generated=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        curated=curated,
        raw=raw,
        papers=papers,
        items=items,
        log=read_log(curated) if curated.is_dir() else [],
        current={f.id for f in findings},
        works=frames.get("works.csv"),
        match_review=frames.get("match_review.csv"),
        plots=[(c, uri) for c, uri in drawn if uri],
        previous=previous[0] if previous else "",
    )


def _value(value: Any) -> str:
    """reported/computed as text: numpy scalars as Python ones, None and NaN as empty."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _where(f: Finding) -> str:
    loc = f.location
    parts = [loc.file or ""]
    if loc.row is not None:
        parts.append(f"row {loc.row}")
    if loc.column:
        parts.append(loc.column)
    return ", ".join(p for p in parts if p)


def _reference_health(paper: Paper) -> tuple[Counter[str], list[dict[str, str]]]:
    """Citation statuses, and the unresolved/ambiguous citations with their closest candidate entry."""
    cites = paper.citations
    statuses: Counter[str] = Counter(cites["status"]) if "status" in cites else Counter()
    problems = []
    refs = paper.references
    by_index = {str(r.get("index")): r for r in refs.to_dict("records")} if "index" in refs else {}
    for i, c in enumerate(cites.to_dict("records") if "status" in cites else [], start=1):
        if c.get("status") == "resolved":
            continue
        candidate = by_index.get(str(c.get("candidate", "")).split(".")[0])
        shown = ""
        if candidate:
            shown = f"#{candidate.get('index')}: {candidate.get('first_author', '')} {candidate.get('year', '')}. {candidate.get('title', '')}".strip()
        problems.append({"row": str(i), "page": c.get("page", ""), "citation": c.get("text", ""), "status": c.get("status", ""), "candidate": shown, "score": c.get("score", "")})
    return statuses, problems


def _is_duplicate(f: Finding) -> bool:
    """A finding that reports duplicate reference entries (whatever check found them)."""
    check = f.check.lower()
    return "dup" in check and ("ref" in check or (f.location.file or "").endswith("references.csv"))


def _works_matrix(works: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[str]]]] | None:
    """(paper ids, [(work, mark per paper)]) when works.csv says which paper cites which work."""
    cols = {c.lower(): c for c in works.columns}
    work = cols.get("work_id") or cols.get("work")
    paper = cols.get("paper_id") or cols.get("papers") or cols.get("cited_by")
    if not work or not paper:
        return None
    cited: dict[str, Counter[str]] = defaultdict(Counter)
    label: dict[str, str] = {}
    for record in works.to_dict("records"):
        for p in re.split(r"[;,|]\s*", str(record[paper])):
            if p.strip():
                cited[record[work]][p.strip()] += 1
        bits = [str(record.get(cols[c], "")) for c in ("first_author", "year") if c in cols]
        label.setdefault(record[work], " ".join(b for b in bits if b).strip())
    papers = sorted({p for c in cited.values() for p in c})
    rows = [(f"{w} {label[w]}".strip(), [str(cited[w][p]) if cited[w][p] else "" for p in papers]) for w in sorted(cited)]
    return papers, rows


def _conflict_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if "conflict" in c.lower()]


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------


def _md_text(value: Any) -> str:
    """Text from a PDF or a person, inert in Markdown: no raw HTML (a previewer would run it)."""
    return html.escape(str(value), quote=False).replace("\n", " ")


def _md_cell(value: Any) -> str:
    return _md_text(value).replace("\\", "\\\\").replace("|", "\\|").strip()


def _md_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


FINDING_COLUMNS = ("status", "severity", "paper", "check", "where", "page", "message", "reported", "computed", "id")


def _finding_row(item: Item) -> list[str]:
    f = item.finding
    return [item.status, f.severity, item.paper, f.check, _where(f), ", ".join(item.evidence.pages), f.message, _value(f.reported), _value(f.computed), f.id]


def _decision_text(d: Decision | None) -> str:
    if d is None:
        return ""
    value = f" → {d.value}" if d.value else ""
    note = f": {d.note}" if d.note else ""
    return f"{d.decision}{value} by {d.who} at {d.when}{note}"


def _papers_of(model: Model) -> list[str]:
    return sorted(set(model.papers) | {i.paper for i in model.items if i.paper})


def render_markdown(model: Model) -> str:
    """The report as Markdown (no images or plots: those are in report.html)."""
    out = ["# curate review report", "", f"Generated {model.generated} by curate {__version__} from `{model.curated}` and `{model.raw}`. Images, plots and filters: see report.html.", ""]
    out += ["## Overview", ""] + _md_table(("what", "count"), model.overview())
    out += [f"{NO_PLOTS}.", ""] if not plots_available() else []
    out += ["## Findings", ""]
    out += _md_table(FINDING_COLUMNS, (_finding_row(i) for i in model.items)) if model.items else ["No findings.", ""]
    for paper_id in _papers_of(model):
        paper = model.papers.get(paper_id)
        out += [f"## Paper {paper_id}", ""]
        if paper is not None:
            m = paper.manifest
            out += [_md_text(f"{m.get('title', '')} ({m.get('first_author', '')} {m.get('year', '')}); source {m.get('source', '')}, {m.get('pages', '?')} pages."), ""]
            out += ["### Tables", ""]
            out += _md_table(("table", "caption", "pages", "rows × cols", "score", "extractor"), (_table_info(t) for t in paper.tables)) if paper.tables else ["No tables.", ""]
            statuses, problems = _reference_health(paper)
            out += ["### Reference list", "", f"{len(paper.references)} entries; {len(paper.citations)} citations: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) + ".", ""]
            if problems:
                out += _md_table(("citation row", "page", "citation", "status", "closest candidate", "score"), ([p["row"], p["page"], p["citation"], p["status"], p["candidate"], p["score"]] for p in problems))
            dups = [i for i in model.items if i.paper == paper_id and _is_duplicate(i.finding)]
            if dups:
                out += ["Duplicate entries:", ""] + [f"- {_md_text(i.finding.message)} (`{i.finding.id}`, {i.status})" for i in dups] + [""]
        items = [i for i in model.items if i.paper == paper_id]
        out += ["### Findings", ""]
        if not items:
            out += ["No findings.", ""]
        for item in items:
            out += _md_finding(item)
    papers = set(_papers_of(model))
    loose = [i for i in model.items if i.paper not in papers]
    if loose:
        out += ["## Findings not tied to a paper", ""]
        for item in loose:
            out += _md_finding(item)
    if model.works is not None:
        out += ["## Works registry", ""] + _md_works(model.works)
    if model.match_review is not None:
        out += ["## Match review", ""] + _md_table(list(model.match_review.columns), model.match_review.itertuples(index=False))
    out += ["## Decisions log", ""]
    out += _md_table(("when", "who", "finding", "decision", "value", "note", "state"), ([d.when, d.who, d.finding_id, d.decision, d.value, d.note, _log_state(model, n, d)] for n, d in enumerate(model.log))) if model.log else ["No decisions yet.", ""]
    return "\n".join(out).rstrip() + "\n"


def _table_info(t: dict[str, Any]) -> list[str]:
    score = t.get("score")
    return [str(t.get("n", "")), str(t.get("caption", "")), ", ".join(map(str, t.get("pages", []))), f"{t.get('n_rows', '?')} × {t.get('n_cols', '?')}", f"{score:.2f}" if isinstance(score, (int, float)) else "", str(t.get("extractor", ""))]


def _log_state(model: Model, n: int, d: Decision) -> str:
    """in force / superseded / stale (its finding is no longer reported)."""
    later = any(e.finding_id == d.finding_id for e in model.log[n + 1 :])
    if later:
        return "superseded"
    return "in force" if d.finding_id in model.current else "stale: finding no longer reported"


def _md_finding(item: Item) -> list[str]:
    f, ev = item.finding, item.evidence
    out = [f"#### `{f.id}`: {f.check} ({f.severity}, {item.status}{', new' if item.new else ''})", "", _md_text(f.message), ""]
    details = [("reported", _value(f.reported)), ("computed", _value(f.computed)), ("where", _where(f)), ("page", ", ".join(ev.pages))]
    details += [(f"{p.paper_id} table {p.table}, row {p.row}".lstrip(), " · ".join(p.cells)) for p in ev.printed]
    details += [(f"cell {p.header[p.column]!r}", p.cells[p.column]) for p in ev.printed if p.column is not None]
    details += [("text", t) for t in ev.text]
    details += [("same fact", ", ".join(f"{a.check} `{a.id}`" for a in item.also))]
    details += [("decision", _decision_text(item.decision))]
    out += [f"- {_md_text(k)}: {_md_text(v)}" for k, v in details if v] + [""]
    return out


def _md_works(works: pd.DataFrame) -> list[str]:
    out: list[str] = []
    matrix = _works_matrix(works)
    if matrix:
        papers, rows = matrix
        out += ["Which paper cites which work:", ""] + _md_table(("work", *papers), ([w, *marks] for w, marks in rows))
    conflicts = _conflict_columns(works)
    if conflicts:
        flagged = works[(works[conflicts] != "").any(axis=1)]
        out += [f"Conflicts ({len(flagged)}):", ""] + _md_table(list(works.columns), flagged.itertuples(index=False))
    return out + _md_table(list(works.columns), works.itertuples(index=False))


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _html_table(header: Sequence[str], rows: Iterable[Sequence[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _attrs(item: Item) -> str:
    f = item.finding
    return f'data-finding data-id="{_e(f.id)}" data-paper="{_e(item.paper)}" data-severity="{_e(f.severity)}" data-status="{_e(item.status)}" data-check="{_e(f.check)}" data-since="{"new" if item.new else "seen"}"'


def _badge(kind: str, value: str) -> str:
    return f'<span class="badge {kind}-{_e(value)}">{_e(value)}</span>'


#: Facets of the findings table: name -> the item attribute it filters on.
FACETS = ("severity", "status", "paper", "check", "since")
HTML_COLUMNS = (*FINDING_COLUMNS, "decide")


def _facet_value(item: Item, facet: str) -> str:
    return {"severity": item.finding.severity, "status": item.status, "paper": item.paper, "check": item.finding.check, "since": "new" if item.new else "seen"}[facet]


def _html_row(item: Item) -> str:
    f = item.finding
    cells = [
        _badge("st", item.status) + (' <span class="badge new">new</span>' if item.new else ""),
        _badge("sev", f.severity),
        _e(item.paper),
        f"<code>{_e(f.check)}</code>" + "".join(f"<br><code class=\"also\">+ {_e(a.check)}</code>" for a in item.also),
        _e(_where(f)),
        _e(", ".join(item.evidence.pages)),
        _e(f.message),
        f'<span class="num">{_e(_value(f.reported))}</span>',
        f'<span class="num">{_e(_value(f.computed))}</span>',
        f'<a href="#f-{_e(f.id)}" data-open><code>{_e(f.id)}</code></a>',
        "",  # the decide controls, added by the page script
    ]
    return f'<tr class="finding" {_attrs(item)}>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _html_findings_table(model: Model) -> str:
    """Errors and warnings row by row; checks that passed (info) one row per check, opened on demand."""
    rows = [_html_row(i) for i in model.items if i.finding.severity != "info"]
    info = Counter(i.finding.check for i in model.items if i.finding.severity == "info")
    for check, n in sorted(info.items()):
        rows.append(
            f'<tr class="info-group" data-check="{_e(check)}" data-count="{n}"><td colspan="{len(HTML_COLUMNS)}">'
            f'<button type="button" class="expand" data-check="{_e(check)}">show</button> {_badge("sev", "info")} <code>{_e(check)}</code>: '
            f'<span class="matched">{n}</span> of {n} checks passed</td></tr>'
        )
    head = "".join(f'<th data-col="{n}" title="sort">{_e(h)}</th>' for n, h in enumerate(HTML_COLUMNS))
    return f'<div class="scroll"><table id="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _facets(model: Model) -> str:
    """Checkbox lists with counts, one per facet (the page script keeps the counts current)."""
    out = []
    for facet in FACETS:
        counts = Counter(_facet_value(i, facet) for i in model.items)
        if facet == "since" and not model.previous:
            continue
        order = {"severity": list(SEVERITIES), "status": list(STATUSES)}.get(facet) or sorted(counts)
        boxes = "".join(
            f'<label><input type="checkbox" data-facet="{facet}" value="{_e(v)}"> {_e(v or "(none)")} <span class="count" data-facet="{facet}" data-value="{_e(v)}">{counts.get(v, 0)}</span></label>'
            for v in order if counts.get(v) or facet in ("severity", "status")
        )
        title = f"new since {model.previous}" if facet == "since" else facet
        out.append(f'<fieldset><legend>{_e(title)}</legend>{boxes}</fieldset>')
    return "".join(out)


def _item_data(item: Item) -> dict[str, Any]:
    """What the page script needs of an item: its row (for search, sort, CSV) and, for info, its evidence."""
    f, ev = item.finding, item.evidence
    data: dict[str, Any] = {
        "id": f.id, "also": [a.id for a in item.also], "status": item.status, "severity": f.severity, "paper": item.paper,
        "check": f.check, "where": _where(f), "page": ", ".join(ev.pages), "message": f.message,
        "reported": _value(f.reported), "computed": _value(f.computed), "since": "new" if item.new else "seen",
        "decision": _decision_text(item.decision),
    }
    if f.severity not in IMAGED:
        data["printed"] = [{"title": f"{p.paper_id} table {p.table}, printed row {p.row}", "header": p.header, "cells": p.cells, "column": p.column} for p in ev.printed]
        data["text"] = ev.text
    return data


def _html_printed(p: Printed) -> str:
    head = "".join(f'<th class="{"hit" if i == p.column else ""}">{_e(h)}</th>' for i, h in enumerate(p.header))
    cells = "".join(f'<td class="{"hit" if i == p.column else ""}">{_e(c)}</td>' for i, c in enumerate(p.cells))
    return f'<p class="sub">{_e(p.paper_id)} table {_e(p.table)}, printed row {p.row}</p><div class="scroll"><table class="printed"><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div>'


def _html_finding(item: Item) -> str:
    f, ev = item.finding, item.evidence
    facts = [("reported", _value(f.reported)), ("computed", _value(f.computed)), ("where", _where(f)), ("page", ", ".join(ev.pages))]
    facts += [("same fact", ", ".join(f"{a.check} {a.id}" for a in item.also))]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts if v)
    body = [f'<p class="msg">{_e(f.message)}</p>', f"<dl>{dl}</dl>"]
    body += [_html_printed(p) for p in ev.printed]
    body += [f"<blockquote>{_e(t)}</blockquote>" for t in ev.text]
    if ev.image:
        body.append(f'<img class="crop" alt="page region of finding {_e(f.id)}" src="{ev.image}">')
    elif ev.note:
        body.append(f'<p class="sub">No image: {_e(ev.note)}.</p>')
    if item.decision:
        body.append(f'<p class="decision">Decision: {_e(_decision_text(item.decision))}</p>')
    body.append(f'<p class="sub">Decide here (then "export decisions") or: <code>curate decide {_e(f.id)} --accept | --reject | --fix VALUE --note "why"</code></p>')
    return (
        f'<article class="card sev-{_e(f.severity)}" id="f-{_e(f.id)}" {_attrs(item)}>'
        f'<h4>{_badge("sev", f.severity)} {_badge("st", item.status)} <code>{_e(f.check)}</code> <small>{_e(f.id)}</small></h4>'
        + "".join(body)
        + "</article>"
    )


def _html_paper(model: Model, paper_id: str) -> str:
    paper = model.papers.get(paper_id)
    out = [f'<section class="paper" id="paper-{_e(paper_id)}"><h2>{_e(paper_id)}</h2>']
    if paper is not None:
        m = paper.manifest
        out.append(f'<p><b>{_e(m.get("title", ""))}</b><br><span class="sub">{_e(m.get("first_author", ""))} {_e(m.get("year", ""))} · source {_e(m.get("source", ""))} · {_e(m.get("pages", "?"))} pages{" · doi " + _e(m["doi"]) if m.get("doi") else ""}</span></p>')
        for warning in m.get("warnings", []):
            out.append(f'<p class="warn">extraction warning: {_e(warning)}</p>')
        out.append("<h3>Tables</h3>")
        out.append(_html_table(("table", "caption", "pages", "rows × cols", "score", "extractor"), (_table_info(t) for t in paper.tables)) if paper.tables else "<p>No tables.</p>")
        statuses, problems = _reference_health(paper)
        summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        out.append(f"<h3>Reference list</h3><p>{len(paper.references)} entries; {len(paper.citations)} citations: {_e(summary)}.</p>")
        if problems:
            out.append(_html_table(("citation row", "page", "citation", "status", "closest candidate", "score"), ([p["row"], p["page"], p["citation"], p["status"], p["candidate"], p["score"]] for p in problems)))
        dups = [i for i in model.items if i.paper == paper_id and _is_duplicate(i.finding)]
        if dups:
            out.append("<p>Duplicate entries:</p><ul>" + "".join(f'<li><a href="#f-{_e(i.finding.id)}">{_e(i.finding.message)}</a> ({_e(i.status)})</li>' for i in dups) + "</ul>")
    items = [i for i in model.items if i.paper == paper_id]
    shown = [i for i in items if i.finding.severity in IMAGED]
    passed = Counter(i.finding.check for i in items if i.finding.severity not in IMAGED)
    out.append(f"<h3>Findings ({len(shown)} to triage, {sum(passed.values())} checks passed)</h3>")
    out += [_html_finding(i) for i in shown] or ["<p>Nothing to triage.</p>"]
    if passed:
        out.append('<p class="sub">Checks that passed (open them in the findings table): ' + _e(", ".join(f"{c} {n}" for c, n in sorted(passed.items()))) + "</p>")
    return "".join(out) + "</section>"


def _html_works(works: pd.DataFrame) -> str:
    out = ['<section id="works"><h2>Works registry</h2>']
    matrix = _works_matrix(works)
    if matrix:
        papers, rows = matrix
        out.append("<h3>Which paper cites which work</h3>" + _html_table(("work", *papers), ([w, *marks] for w, marks in rows), "matrix"))
    conflicts = _conflict_columns(works)
    if conflicts:
        flagged = works[(works[conflicts] != "").any(axis=1)]
        out.append(f"<h3>Conflicts ({len(flagged)})</h3>" + _html_table(list(works.columns), flagged.itertuples(index=False)))
    out.append(f"<details><summary>All {len(works)} rows of works.csv</summary>{_html_table(list(works.columns), works.itertuples(index=False))}</details>")
    return "".join(out) + "</section>"


_CSS = """
:root{--err:#d32f2f;--warn:#f9a825;--info:#1976d2;--line:#e0e0e0;--sub:#616161}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
header.top{background:#263238;color:#fff;padding:16px 28px}header.top h1{margin:0;font-size:22px}header.top p{margin:4px 0 0;color:#cfd8dc}
nav{padding:8px 28px;background:#eceff1;border-bottom:1px solid var(--line)}nav a{margin-right:14px;color:#37474f}
main{padding:8px 28px 40px;max-width:1600px}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.stat{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:110px}
.stat b{display:block;font-size:22px}.stat span{color:var(--sub);font-size:12px}
.scroll{overflow-x:auto}table{border-collapse:collapse;background:#fff;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;font-weight:600}#findings th{cursor:pointer;white-space:nowrap}#findings th[data-dir=asc]::after{content:" ▲"}#findings th[data-dir=desc]::after{content:" ▼"}
td .num{font-variant-numeric:tabular-nums}code.also{color:var(--sub)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;border:1px solid transparent}
.sev-error.badge{background:var(--err);color:#fff}.sev-warning.badge{background:var(--warn)}.sev-info.badge{background:var(--info);color:#fff}
.st-open{border-color:#9e9e9e;color:#424242}.st-accepted{background:#e8f5e9;color:#1b5e20}.st-rejected{background:#eceff1;color:#455a64}.st-fixed{background:#e3f2fd;color:#0d47a1}
.badge.new{background:#6a1b9a;color:#fff}
.filters{display:flex;gap:10px;align-items:flex-start;flex-wrap:wrap;background:#fff;border:1px solid var(--line);padding:8px 12px;border-radius:6px}
fieldset{border:1px solid var(--line);border-radius:4px;padding:2px 8px;max-height:9em;overflow-y:auto}fieldset label{display:block;white-space:nowrap;font-size:13px}
legend{font-weight:600;font-size:12px;color:var(--sub)}.count{color:var(--sub);font-size:12px}.count.zero{opacity:.45}
.tools{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:8px 0}#search{min-width:280px;padding:4px 6px}#shown{color:var(--sub)}
.tools a.button{background:#37474f;color:#fff;padding:3px 10px;border-radius:4px;text-decoration:none;font-size:13px}
tr.info-group td{background:#f3f8fd}td select,td input{font-size:12px;max-width:110px}
article.card{background:#fff;border:1px solid var(--line);border-left:5px solid var(--info);border-radius:6px;padding:10px 14px;margin:10px 0}
article.sev-error{border-left-color:var(--err)}article.sev-warning{border-left-color:var(--warn)}
article h4{margin:0 0 6px}article small{color:var(--sub);font-weight:400}.msg{margin:4px 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dt{color:var(--sub)}dd{margin:0}
table.printed td.hit,table.printed th.hit{background:#ffebee;outline:2px solid var(--err)}
img.crop{max-width:100%;border:1px solid var(--line);margin:6px 0}.sub{color:var(--sub);font-size:12px;margin:2px 0}
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid var(--line);color:#424242}
.decision{background:#f1f8e9;padding:4px 8px;border-radius:4px}.warn{color:#e65100}
figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top;background:#fff;border:1px solid var(--line);padding:8px}figure img{max-width:100%}
tr.stale td{color:#9e9e9e}[hidden]{display:none!important}
"""

_JS = """
(function () {
  var FACETS = ['severity', 'status', 'paper', 'check', 'since'];
  var COLS = ['status', 'severity', 'paper', 'check', 'where', 'page', 'message', 'reported', 'computed', 'id'];
  var RANK = {severity: ['error', 'warning', 'info'], status: ['open', 'accepted', 'rejected', 'fixed']};
  var CSV_COLS = ['id', 'status', 'severity', 'paper', 'check', 'where', 'page', 'message', 'reported', 'computed', 'decision', 'since', 'also'];
  var data = JSON.parse(document.getElementById('finding-data').textContent);
  var byId = {};
  data.forEach(function (d) { byId[d.id] = d; });
  var tbody = document.querySelector('#findings tbody');
  var search = document.getElementById('search');
  var expanded = {};
  var sortCol = -1, sortDir = 1;
  var storeKey = 'curate-choices:' + document.body.getAttribute('data-report');
  var choices = {};
  try { choices = JSON.parse(window.localStorage.getItem(storeKey) || '{}') || {}; } catch (e) { choices = {}; }

  function esc(t) { var s = document.createElement('span'); s.textContent = t == null ? '' : String(t); return s.innerHTML; }
  function badge(kind, v) { return '<span class="badge ' + kind + '-' + esc(v) + '">' + esc(v) + '</span>'; }
  function boxes(k) { return Array.prototype.slice.call(document.querySelectorAll('input[data-facet="' + k + '"]')); }
  function selected() {
    var out = {};
    FACETS.forEach(function (k) { out[k] = boxes(k).filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); });
    return out;
  }
  function haystack(d) {
    if (d._hay === undefined) {
      d._hay = [d.id, d.check, d.paper, d.where, d.page, d.message, d.reported, d.computed, d.status, d.decision].concat(d.also).join(' ').toLowerCase();
    }
    return d._hay;
  }
  function matches(d, sel, words, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var k = FACETS[i];
      if (k !== skip && sel[k].length && sel[k].indexOf(d[k]) < 0) { return false; }
    }
    return words.every(function (w) { return haystack(d).indexOf(w) >= 0; });
  }
  function cell(v) {
    v = v == null ? '' : String(v);
    if (/^[=+\\-@\\t\\r]/.test(v) && !/^[-+]?\\d+(\\.\\d+)?$/.test(v)) { v = "'" + v; }  // never a formula in a spreadsheet
    return /[",\\n\\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csv(header, rows) {
    return '\\ufeff' + [header].concat(rows).map(function (r) { return r.map(cell).join(','); }).join('\\r\\n') + '\\r\\n';
  }
  function link(id, text) { document.getElementById(id).href = 'data:text/csv;charset=utf-8,' + encodeURIComponent(text); }
  function decideCell(tr) {
    var id = tr.getAttribute('data-id');
    var td = tr.lastElementChild;
    var c = choices[id] || {};
    td.innerHTML = '<select class="choose" title="your decision (export decisions to record it)"><option value="">decide…</option><option>accept</option><option>reject</option><option>fix</option></select>' +
      '<input class="value" placeholder="correct value"><input class="note" placeholder="note">';
    var sel = td.querySelector('select'), value = td.querySelector('.value'), note = td.querySelector('.note');
    sel.value = c.decision || ''; value.value = c.value || ''; note.value = c.note || '';
    function show() { value.hidden = sel.value !== 'fix'; note.hidden = !sel.value; }
    function save() {
      if (sel.value) { choices[id] = {decision: sel.value, value: sel.value === 'fix' ? value.value : '', note: note.value}; } else { delete choices[id]; }
      try { window.localStorage.setItem(storeKey, JSON.stringify(choices)); } catch (e) { /* storage off: the export still works */ }
      show(); exportChoices();
    }
    [sel, value, note].forEach(function (el) { el.addEventListener('change', save); });
    show();
  }
  function exportChoices() {
    var ids = Object.keys(choices).sort();
    link('export-decisions', csv(['finding_id', 'decision', 'value', 'note'], ids.map(function (id) { var c = choices[id]; return [id, c.decision, c.value, c.note]; })));
    document.getElementById('n-choices').textContent = ids.length;
  }
  function makeRow(d) {
    var tr = document.createElement('tr');
    tr.className = 'finding';
    tr.setAttribute('data-finding', '');
    tr.setAttribute('data-id', d.id);
    FACETS.forEach(function (k) { tr.setAttribute('data-' + k, d[k]); });
    var cells = [badge('st', d.status), badge('sev', d.severity), esc(d.paper), '<code>' + esc(d.check) + '</code>', esc(d.where), esc(d.page), esc(d.message),
      '<span class="num">' + esc(d.reported) + '</span>', '<span class="num">' + esc(d.computed) + '</span>', '<a href="#f-' + esc(d.id) + '" data-open><code>' + esc(d.id) + '</code></a>', ''];
    tr.innerHTML = cells.map(function (c) { return '<td>' + c + '</td>'; }).join('');
    decideCell(tr);
    return tr;
  }
  function detail(d) {
    var html = '<article class="card sev-' + esc(d.severity) + '" id="f-' + esc(d.id) + '"><p class="msg">' + esc(d.message) + '</p>';
    (d.printed || []).forEach(function (p) {
      var head = p.header.map(function (h, i) { return '<th class="' + (i === p.column ? 'hit' : '') + '">' + esc(h) + '</th>'; }).join('');
      var cells = p.cells.map(function (c, i) { return '<td class="' + (i === p.column ? 'hit' : '') + '">' + esc(c) + '</td>'; }).join('');
      html += '<p class="sub">' + esc(p.title) + '</p><div class="scroll"><table class="printed"><thead><tr>' + head + '</tr></thead><tbody><tr>' + cells + '</tr></tbody></table></div>';
    });
    (d.text || []).forEach(function (t) { html += '<blockquote>' + esc(t) + '</blockquote>'; });
    if (!(d.printed || []).length && !(d.text || []).length) { html += '<p class="sub">No printed evidence for this check.</p>'; }
    var tr = document.createElement('tr');
    tr.className = 'detail';
    tr.setAttribute('data-for', d.id);
    tr.innerHTML = '<td colspan="' + (COLS.length + 1) + '">' + html + '</article></td>';
    return tr;
  }
  function groupRows(check) {
    return Array.prototype.slice.call(tbody.querySelectorAll('tr.finding[data-severity="info"]')).filter(function (r) { return r.getAttribute('data-check') === check; });
  }
  function open(check) {
    if (expanded[check]) { return; }
    expanded[check] = true;
    var group = Array.prototype.slice.call(tbody.querySelectorAll('tr.info-group')).filter(function (g) { return g.getAttribute('data-check') === check; })[0];
    if (!group) { return; }
    var after = group;
    data.forEach(function (d) {
      if (d.severity === 'info' && d.check === check) { var tr = makeRow(d); after.parentNode.insertBefore(tr, after.nextSibling); after = tr; }
    });
  }
  function apply(updateUrl) {
    var sel = selected();
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = [];
    data.forEach(function (d) { d._ok = matches(d, sel, words, null); if (d._ok) { shown.push(d); } });
    Array.prototype.forEach.call(tbody.querySelectorAll('tr.finding'), function (tr) {
      var d = byId[tr.getAttribute('data-id')];
      tr.hidden = !d._ok || (d.severity === 'info' && !expanded[d.check]);
    });
    Array.prototype.forEach.call(tbody.querySelectorAll('tr.detail'), function (tr) {
      var row = tbody.querySelector('tr.finding[data-id="' + tr.getAttribute('data-for') + '"]');
      tr.hidden = !row || row.hidden;
    });
    Array.prototype.forEach.call(tbody.querySelectorAll('tr.info-group'), function (g) {
      var check = g.getAttribute('data-check');
      var n = shown.filter(function (d) { return d.severity === 'info' && d.check === check; }).length;
      g.querySelector('.matched').textContent = n;
      g.querySelector('button').textContent = expanded[check] ? 'hide' : 'show';
      g.hidden = n === 0;
    });
    FACETS.forEach(function (k) {
      var counts = {};
      data.forEach(function (d) { if (matches(d, sel, words, k)) { counts[d[k]] = (counts[d[k]] || 0) + 1; } });
      Array.prototype.forEach.call(document.querySelectorAll('span.count[data-facet="' + k + '"]'), function (s) {
        var n = counts[s.getAttribute('data-value')] || 0;
        s.textContent = n;
        s.classList.toggle('zero', n === 0);
      });
    });
    var info = shown.filter(function (d) { return d.severity === 'info' && !expanded[d.check]; }).length;
    document.getElementById('shown').textContent = shown.length + ' of ' + data.length + ' findings shown' + (info ? ' (' + info + ' passed checks folded)' : '');
    link('download-csv', csv(CSV_COLS, shown.map(function (d) { return CSV_COLS.map(function (c) { return c === 'also' ? d.also.join(' ') : d[c]; }); })));
    if (updateUrl) {
      var parts = FACETS.filter(function (k) { return sel[k].length; }).map(function (k) { return k + ':' + sel[k].join('|'); });
      if (search.value.trim()) { parts.push('q:' + encodeURIComponent(search.value.trim())); }
      var opened = Object.keys(expanded).filter(function (c) { return expanded[c]; });
      if (opened.length) { parts.push('open:' + opened.join('|')); }
      if (sortCol >= 0) { parts.push('sort:' + (sortDir < 0 ? '-' : '') + COLS[sortCol]); }
      try { history.replaceState(null, '', parts.length ? '#filter=' + parts.join(',') : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
    }
  }
  function wanted() {
    var out = {};
    var hash = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (hash.indexOf('filter=') === 0) {
      hash.slice(7).split(',').forEach(function (pair) {
        var i = pair.indexOf(':');
        if (i > 0) { out[pair.slice(0, i)] = pair.slice(i + 1); }
      });
    }
    new URLSearchParams(location.search).forEach(function (v, k) { out[k] = v; });
    return out;
  }
  function load() {
    var w = wanted();
    FACETS.forEach(function (k) {
      var values = w[k] === undefined ? [] : w[k].split('|');
      boxes(k).forEach(function (b) { b.checked = values.indexOf(b.value) >= 0; });
    });
    search.value = w.q ? decodeURIComponent(w.q) : '';
    (w.open ? w.open.split('|') : []).forEach(function (c) {
      if (c === '*') { data.forEach(function (d) { if (d.severity === 'info') { open(d.check); } }); } else { open(c); }
    });
    var col = w.sort ? COLS.indexOf(w.sort.replace(/^-/, '')) : -1;
    if (col >= 0) { sortCol = col; sortDir = w.sort.charAt(0) === '-' ? -1 : 1; sortRows(); }
    apply(false);
  }
  function compare(a, b) {
    var name = COLS[sortCol];
    var x = a[name], y = b[name];
    if (RANK[name]) { x = RANK[name].indexOf(x); y = RANK[name].indexOf(y); }
    var nx = parseFloat(x), ny = parseFloat(y);
    if (!isNaN(nx) && !isNaN(ny) && isFinite(x) && isFinite(y)) { return (nx - ny) * sortDir; }
    return String(x).localeCompare(String(y), undefined, {numeric: true}) * sortDir;
  }
  function sortRows() {
    var rows = Array.prototype.slice.call(tbody.querySelectorAll('tr.finding'));
    var details = {};
    Array.prototype.forEach.call(tbody.querySelectorAll('tr.detail'), function (d) { details[d.getAttribute('data-for')] = d; });
    var byRow = function (r, s) { return compare(byId[r.getAttribute('data-id')], byId[s.getAttribute('data-id')]); };
    var frag = document.createDocumentFragment();
    var put = function (r) { frag.appendChild(r); var d = details[r.getAttribute('data-id')]; if (d) { frag.appendChild(d); } };
    rows.filter(function (r) { return r.getAttribute('data-severity') !== 'info'; }).sort(byRow).forEach(put);
    Array.prototype.forEach.call(tbody.querySelectorAll('tr.info-group'), function (g) {
      frag.appendChild(g);
      groupRows(g.getAttribute('data-check')).sort(byRow).forEach(put);
    });
    tbody.appendChild(frag);
  }
  Array.prototype.forEach.call(document.querySelectorAll('#findings th[data-col]'), function (th) {
    th.addEventListener('click', function () {
      var col = parseInt(th.getAttribute('data-col'), 10);
      if (col >= COLS.length) { return; }
      sortDir = col === sortCol ? -sortDir : 1;
      sortCol = col;
      Array.prototype.forEach.call(document.querySelectorAll('#findings th'), function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', sortDir > 0 ? 'asc' : 'desc');
      sortRows();
      apply(true);
    });
  });
  tbody.addEventListener('click', function (ev) {
    var button = ev.target.closest('button.expand');
    if (button) {
      var check = button.getAttribute('data-check');
      if (expanded[check]) { expanded[check] = false; } else { if (expanded[check] === false) { expanded[check] = true; } else { open(check); } if (sortCol >= 0) { sortRows(); } }
      apply(true);
      return;
    }
    var a = ev.target.closest('a[data-open]');
    var tr = a && a.closest('tr.finding');
    if (tr && tr.getAttribute('data-severity') === 'info') {
      ev.preventDefault();
      var id = tr.getAttribute('data-id');
      var shown = tbody.querySelector('tr.detail[data-for="' + id + '"]');
      if (shown) { shown.remove(); } else { tr.parentNode.insertBefore(detail(byId[id]), tr.nextSibling); }
    }
  });
  boxes('severity').concat(boxes('status'), boxes('paper'), boxes('check'), boxes('since')).forEach(function (b) { b.addEventListener('change', function () { apply(true); }); });
  search.addEventListener('input', function () { apply(true); });
  window.addEventListener('hashchange', function () { if (location.hash.indexOf('#filter=') === 0) { load(); } });
  Array.prototype.forEach.call(tbody.querySelectorAll('tr.finding'), decideCell);
  exportChoices();
  load();
  document.body.setAttribute('data-ready', 'true');
})();
"""


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")


def render_html(model: Model) -> str:
    """The report as one self-contained HTML page (inline CSS, JS and images)."""
    papers = _papers_of(model)
    stats = "".join(f'<div class="stat"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in model.overview())
    tools = (
        '<div class="tools"><input type="search" id="search" placeholder="search findings (id, check, message, values…)">'
        '<span id="shown"></span>'
        '<a class="button" id="download-csv" download="findings.csv" href="#">download shown as CSV</a>'
        '<a class="button" id="export-decisions" download="decisions.csv" href="#">export decisions (<span id="n-choices">0</span>)</a></div>'
    )
    body = [
        '<section id="overview"><h2>Overview</h2>', f'<div class="cards">{stats}</div></section>',
        f'<section id="findings-section"><h2>Findings</h2><div class="filters">{_facets(model)}</div>{tools}',
        _html_findings_table(model) if model.items else "<p>No findings.</p>",
        '<p class="sub">Errors and warnings first; checks that passed (info) are folded per check. Filters can be set in the address: '
        "<code>report.html#filter=severity:error|warning,status:open</code>. Decisions chosen here are kept in this browser; "
        "<b>export decisions</b> and record them with <code>curate decide --from decisions.csv</code>.</p></section>",
        f'<script type="application/json" id="finding-data">{_script_json([_item_data(i) for i in model.items])}</script>',
    ]
    if model.plots:
        body.append('<section id="plots"><h2>Plots</h2>' + "".join(f'<figure><img alt="{_e(c)}" src="{uri}"><figcaption class="sub">{_e(c)}</figcaption></figure>' for c, uri in model.plots) + "</section>")
    elif not plots_available():
        body.append(f'<section id="plots"><h2>Plots</h2><p class="warn">{_e(NO_PLOTS)}.</p></section>')
    body += [_html_paper(model, p) for p in papers]
    loose = [i for i in model.items if i.paper not in papers and i.finding.severity in IMAGED]
    if loose:
        body.append('<section id="other"><h2>Findings not tied to a paper</h2>' + "".join(_html_finding(i) for i in loose) + "</section>")
    if model.works is not None:
        body.append(_html_works(model.works))
    if model.match_review is not None:
        body.append(f'<section id="match-review"><h2>Match review</h2>{_html_table(list(model.match_review.columns), model.match_review.itertuples(index=False))}</section>')
    log_rows = []
    for n, d in enumerate(model.log):
        state = _log_state(model, n, d)
        cls = "" if state == "in force" else "stale"
        link = f'<a href="#f-{_e(d.finding_id)}"><code>{_e(d.finding_id)}</code></a>' if d.finding_id in model.current else f"<code>{_e(d.finding_id)}</code>"
        cells = [_e(d.when), _e(d.who), link, _e(d.decision), _e(d.value), _e(d.note), _e(state)]
        log_rows.append(f'<tr class="{cls}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("when", "who", "finding", "decision", "value", "note", "state"))
    body.append('<section id="decisions"><h2>Decisions log</h2>' + (f'<div class="scroll"><table id="log"><thead><tr>{head}</tr></thead><tbody>{"".join(log_rows)}</tbody></table></div>' if log_rows else "<p>No decisions yet.</p>") + "</section>")
    nav = "".join(f'<a href="#{a}">{_e(t)}</a>' for a, t in [("overview", "Overview"), ("findings-section", "Findings"), ("plots", "Plots")] if a != "plots" or model.plots)
    nav += "".join(f'<a href="#paper-{_e(p)}">{_e(p)}</a>' for p in papers)
    nav += ('<a href="#works">Works</a>' if model.works is not None else "") + '<a href="#decisions">Decisions</a>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>curate review report</title><style>{_CSS}</style></head><body data-report=\"{_e(model.curated)}\">"
        f'<header class="top"><h1>curate review report</h1><p>Generated {_e(model.generated)} by curate {_e(__version__)} · curated: {_e(model.curated)} · raw: {_e(model.raw)}</p></header>'
        f"<nav>{nav}</nav><main>{''.join(body)}</main><script>{_JS}</script></body></html>\n"
    )


def build_report(
    curated: Path, raw: Path, findings: list[Finding], out: Path, pdf_dir: Path | None, plots: Sequence[PlotSpec] | None = None
) -> tuple[Path, Path]:
    """Write ``out/report.html`` and ``out/report.md`` from the same findings; return their paths.

    ``out/findings.json`` keeps this report's findings (the contract of ``curate validate
    --format json``), so the next report into ``out`` can mark what is new since.
    """
    with ExitStack() as stack:
        model = build_model(curated, raw, findings, pdf_dir, stack, previous_report(out), plots)
    html_path, md_path = out / "report.html", out / "report.md"
    write_text(html_path, render_html(model))
    write_text(md_path, render_markdown(model))
    write_text(out / PREVIOUS, json.dumps({"generated": model.generated, "findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=1) + "\n")
    return html_path, md_path
