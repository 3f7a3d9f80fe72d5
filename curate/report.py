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
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from curate import __version__
from curate.decisions import Decision, load_decisions, read_log, status_of
from curate.findings import SEVERITIES, Finding
from extract.output import write_text
from extract.upright import unturn_box
from schemas.io import read_table

STATUSES = ("open", "accepted", "rejected", "fixed")
_SCALE = 2.0  # render pages at 2x: readable crops on screens and in print
_MARGIN = (14.0, 2.0)  # points around a region: a little page to each side, no half-cut neighbour rows
_MIN_WIDTH = 320.0  # a citation marker alone says little: show at least this much of its line


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
        """The raw table as printed (header row first), [] when it is not there."""
        table = read_table(self.folder / "tables" / f"table_{number}.csv", rectangular=False)
        return [] if table.fatal() else [table.header, *table.rows]


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
    header = (int(head[0]), tuple(head[1:])) if head else None
    return printed, Region(paper.paper_id, int(page), tuple(bbox), header, cell, occurrence)  # type: ignore[arg-type]


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
    frame = paper.frame(name)
    if frame is None:
        return ev
    # Raw rows are numbered by their ``index`` column (1-based, printed order) where there is one.
    chosen = frame[frame["index"] == str(row)] if "index" in frame else frame.iloc[row - 1 : row]
    if chosen.empty:
        return ev
    record = chosen.iloc[0].to_dict()
    text = next((record[c] for c in _TEXT_COLUMNS if record.get(c)), "")
    ev.text += [text] if text else []
    if record.get("status"):
        ev.text.append(f"status: {record['status']}" + (f", in {record['where']}" if record.get("where") else ""))
    boxes = _json_list(record.get("bbox"))
    if len(boxes) == 4 and all(isinstance(v, (int, float)) for v in boxes) and _int(record.get("page")):
        boxes = [[_int(record["page"]), *boxes]]
    for box in boxes:
        if isinstance(box, list) and len(box) == 5:
            ev.regions.append(Region(paper.paper_id, int(box[0]), tuple(box[1:])))  # type: ignore[arg-type]
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


class PageImages:
    """Crops of PDF pages, rendered once per page; the PDFs are those named in each manifest."""

    def __init__(self, pdf_dir: Path | None, papers: Mapping[str, Paper], stack: ExitStack) -> None:
        self._dir = pdf_dir
        self._papers = papers
        self._docs: dict[str, Any] = {}
        self._notes: dict[str, str] = {}
        self._pages: dict[tuple[str, int], Any] = {}
        self._stack = stack

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
        self._stack.callback(doc.close)
        self._docs[paper_id] = doc
        return doc

    def note(self, paper_id: str) -> str:
        return self._notes.get(paper_id, "")

    def _page(self, paper_id: str, number: int) -> Any:
        """(PIL image of the page at 2x, pdfium page) or None."""
        key = (paper_id, number)
        if key not in self._pages:
            doc = self._doc(paper_id)
            if doc is None or not 0 < number <= len(doc):
                return None
            page = doc[number - 1]
            self._pages[key] = (page.render(scale=_SCALE).to_pil().convert("RGB"), page)
        return self._pages[key]

    def _turn(self, paper_id: str, number: int) -> int:
        """How the page was turned to be read (manifest ``turned``): 0, 90 or 270."""
        return int(self._papers[paper_id].manifest.get("turned", {}).get(str(number), 0))

    @staticmethod
    def _upright(image: Any, turn: int) -> Any:
        """A crop of a page turned ``turn`` degrees clockwise, so it reads as it was read."""
        return image.rotate(-turn, expand=True) if turn else image

    def _cell_box(self, page: Any, region: Region) -> tuple[float, float, float, float] | None:
        """Where the cell's text is printed inside the row box (top-left points), if it can be found."""
        if not region.cell:
            return None
        x0m, _, _, y1m = page.get_mediabox()
        x0, top, x1, bottom = region.bbox
        textpage = page.get_textpage()
        try:
            search = textpage.search(region.cell, match_case=True, match_whole_word=True)
            hits = []
            while (hit := search.get_next()) is not None:
                start, count = hit
                boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
                box = (min(b[0] for b in boxes) - x0m, y1m - max(b[3] for b in boxes), max(b[2] for b in boxes) - x0m, y1m - min(b[1] for b in boxes))
                cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    hits.append(box)
        finally:
            textpage.close()
        hits.sort()
        return hits[region.occurrence] if region.occurrence < len(hits) else None

    @staticmethod
    def _view(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The part of the page shown around a box: a margin, and at least _MIN_WIDTH wide."""
        hx, vy = _MARGIN
        hx = max(hx, (_MIN_WIDTH - (bbox[2] - bbox[0])) / 2)
        return bbox[0] - hx, bbox[1] - vy, bbox[2] + hx, bbox[3] + vy

    def _crop(self, paper_id: str, number: int, bbox: tuple[float, float, float, float], view: tuple[float, float, float, float], mark: bool, cell: tuple[float, float, float, float] | None) -> Any:
        from PIL import Image, ImageDraw

        got = self._page(paper_id, number)
        if got is None:
            return None
        image, page = got
        cx0, _, _, cy1 = page.get_cropbox()
        mx0, _, _, my1 = page.get_mediabox()
        dx, dy = cx0 - mx0, my1 - cy1  # crop box offset inside the media box

        def px(x: float, y: float) -> tuple[float, float]:
            return (x - dx) * _SCALE, (y - dy) * _SCALE

        left, top = px(view[0], view[1])
        right, bottom = px(view[2], view[3])
        box = (max(0, int(left)), max(0, int(top)), min(image.width, int(right)), min(image.height, int(bottom)))
        if box[2] <= box[0] or box[3] <= box[1]:
            return None
        crop = image.crop(box).convert("RGBA")
        overlay = Image.new("RGBA", crop.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)

        def local(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
            (a, c), (e, g) = px(b[0], b[1]), px(b[2], b[3])
            return a - box[0], c - box[1], e - box[0], g - box[1]

        if mark:
            draw.rectangle(local(bbox), fill=(255, 214, 0, 70))
        if cell:
            x0, y0, x1, y1 = local(cell)
            draw.rectangle((x0 - 4, y0 - 3, x1 + 4, y1 + 3), outline=(214, 40, 40, 255), width=3)
        return Image.alpha_composite(crop, overlay).convert("RGB")

    def render(self, regions: Sequence[Region]) -> str:
        """One PNG (data: URI) of every region stacked, each under its table header; "" if none renders."""
        from PIL import Image

        strips = []
        for region in regions:
            page = self._page(region.paper_id, region.page)
            if page is None:
                continue
            turn = self._turn(region.paper_id, region.page)
            views = [self._view(region.bbox), self._view(region.header[1]) if region.header else None]
            if turn:  # a page read turned upright: crop the page as it is, then turn the crop
                width, height = page[1].get_size()
                views = [unturn_box(turn, width, height, v) if v else None for v in views]
                head = (region.header[0], unturn_box(turn, width, height, region.header[1])) if region.header else None
                region = replace(region, bbox=unturn_box(turn, width, height, region.bbox), header=head)
            if region.header and views[1]:
                head = self._crop(region.paper_id, region.header[0], region.header[1], views[1], False, None)
                strips += [self._upright(head, turn)] if head is not None else []
            row = self._crop(region.paper_id, region.page, region.bbox, views[0], True, self._cell_box(page[1], region))
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
        out.save(buf, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


# --------------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------------


def _svg(fig: Any) -> str:
    """A matplotlib figure as an inline data: URI (SVG, deterministic ids, no date)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "curate", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce") if column in frame else pd.Series(dtype=float)


def _flagged_rows(findings: Iterable[Finding], file: str, statuses: Mapping[str, str]) -> set[int]:
    return {f.location.row for f in findings if f.location.file == file and f.location.row and statuses[f.id] == "open"}


def plot_hba1c(patients: pd.DataFrame | None, flagged: set[int]) -> str:
    """Each patient's HbA1c before -> after (green fell, red rose); rows with open findings ringed."""
    if patients is None or not {"hba1c_before", "hba1c_after"} <= set(patients.columns):
        return ""
    from matplotlib.figure import Figure

    before, after = _numbers(patients, "hba1c_before"), _numbers(patients, "hba1c_after")
    n = len(patients)
    fig = Figure(figsize=(7.5, 1.2 + 0.16 * n))
    ax = fig.subplots()
    for i in range(n):
        b, a = before.iloc[i], after.iloc[i]
        y = n - i
        if not math.isnan(b) and not math.isnan(a):
            ax.annotate("", (a, y), (b, y), arrowprops={"arrowstyle": "->", "color": "#2e7d32" if a <= b else "#c62828", "lw": 1.2})
        ax.plot([b], [y], "o", color="#9e9e9e", ms=3.5)
        ax.plot([a], [y], "o", color="#2e7d32" if a <= b else "#c62828", ms=3.5)
        if i + 1 in flagged:
            ax.plot([b, a], [y, y], "o", mfc="none", mec="#d32f2f", ms=9, mew=1.5)
    labels = [f"{p} row {r}" for p, r in zip(patients.get("paper_id", [""] * n), patients.get("row", range(1, n + 1)))]
    ax.set_yticks(range(n, 0, -1), labels, fontsize=6)
    ax.set_ylim(0.3, n + 0.7)
    ax.set_xlabel("HbA1c (%)   grey: before · coloured: after · red ring: open finding")
    ax.set_title("HbA1c before → after treatment, per patient (patients.csv)", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig)


def plot_case_series(series: pd.DataFrame | None) -> str:
    """HbA1c per visit of each case-series patient."""
    if series is None or not {"hba1c_percent", "visit", "patient"} <= set(series.columns):
        return ""
    from matplotlib.figure import Figure

    frame = series.assign(v=_numbers(series, "visit"), h=_numbers(series, "hba1c_percent")).dropna(subset=["v", "h"])
    if frame.empty:
        return ""
    fig = Figure(figsize=(5.5, 3.2))
    ax = fig.subplots()
    for (paper, patient), group in frame.groupby(["paper_id", "patient"], sort=True):
        ax.plot(group["v"], group["h"], "o-", label=f"{paper} {patient}")
    ax.set_xticks(sorted(frame["v"].unique()))
    ax.set_xlabel("visit")
    ax.set_ylabel("HbA1c (%)")
    ax.set_title("HbA1c per visit, case series (case_series.csv)", fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return _svg(fig)


def plot_arms(studies: pd.DataFrame | None, flagged: set[int]) -> str:
    """Sample size of each study arm, cell therapy beside control; arms with open findings in red."""
    if studies is None or "n_cell_therapy" not in studies:
        return ""
    from matplotlib.figure import Figure

    treated, control = _numbers(studies, "n_cell_therapy").fillna(0), _numbers(studies, "n_control").fillna(0)
    n = len(studies)
    fig = Figure(figsize=(7.5, 1.2 + 0.26 * n))
    ax = fig.subplots()
    ys = [n - i for i in range(n)]
    ax.barh([y + 0.2 for y in ys], treated, height=0.4, color="#1565c0", label="cell therapy")
    ax.barh([y - 0.2 for y in ys], control, height=0.4, color="#90a4ae", label="control")
    labels = [f"{lab} (arm {arm})" if str(arm) not in ("", "1") else str(lab) for lab, arm in zip(studies.get("label", [""] * n), studies.get("arm", [""] * n))]
    ax.set_yticks(ys, labels, fontsize=7)
    for i, tick in enumerate(ax.get_yticklabels()):
        if i + 1 in flagged:
            tick.set_color("#d32f2f")
    ax.set_xlabel("patients per arm")
    ax.set_title("Sample size per study arm (studies.csv)", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
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
    fig = Figure(figsize=(3.4 * cols, 3.1 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
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
    """A finding as the report shows it."""

    finding: Finding
    status: str
    decision: Decision | None
    evidence: Evidence

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
        return rows


def _works_count(works: pd.DataFrame) -> int:
    column = next((c for c in works.columns if c.lower() in ("work_id", "work")), None)
    return works[column].nunique() if column else len(works)


_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def load_sources(curated: Path, raw: Path) -> tuple[dict[str, Paper], dict[str, pd.DataFrame | None], dict[str, list[dict[str, Any]]]]:
    """What evidence is looked up in: the papers of ``raw``, the curated CSV files by name, the mappings."""
    frames = {p.name: _read_csv(p) for p in sorted(curated.glob("*.csv"))} if curated.is_dir() else {}
    return _papers(raw), frames, _mappings(curated)


def build_model(curated: Path, raw: Path, findings: Sequence[Finding], pdf_dir: Path | None, stack: ExitStack) -> Model:
    """Read everything the report shows once; both renderings use this."""
    papers, frames, mappings = load_sources(curated, raw)
    decisions = load_decisions(curated) if curated.is_dir() else {}
    images = PageImages(pdf_dir, papers, stack)
    items = []
    ordered = sorted(findings, key=lambda f: (_SEVERITY_ORDER[f.severity], f.paper_id or "", f.location.file or "", f.location.row or 0, f.check))
    for f in ordered:
        ev = evidence_for(f, papers, frames, mappings)
        if ev.regions:
            ev.image = images.render(ev.regions)
            if not ev.image:
                ev.note = images.note(ev.regions[0].paper_id) or "the page could not be rendered"
        items.append(Item(f, status_of(f, decisions), decisions.get(f.id), ev))
    statuses = {i.finding.id: i.status for i in items}
    plots = [
        ("HbA1c per patient", plot_hba1c(frames.get("patients.csv"), _flagged_rows(findings, "patients.csv", statuses))),
        ("HbA1c per visit", plot_case_series(frames.get("case_series.csv"))),
        ("Sample sizes per arm", plot_arms(frames.get("studies.csv"), _flagged_rows(findings, "studies.csv", statuses))),
        ("Reported vs recomputed", plot_reported_computed(findings)),
    ]
    return Model(
        generated=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        curated=curated,
        raw=raw,
        papers=papers,
        items=items,
        log=read_log(curated) if curated.is_dir() else [],
        current={f.id for f in findings},
        works=frames.get("works.csv"),
        match_review=frames.get("match_review.csv"),
        plots=[(c, uri) for c, uri in plots if uri],
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
    loose = [i for i in model.items if i.paper not in _papers_of(model)]
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
    out = [f"#### `{f.id}`: {f.check} ({f.severity}, {item.status})", "", _md_text(f.message), ""]
    details = [("reported", _value(f.reported)), ("computed", _value(f.computed)), ("where", _where(f)), ("page", ", ".join(ev.pages))]
    details += [(f"{p.paper_id} table {p.table}, row {p.row}".lstrip(), " · ".join(p.cells)) for p in ev.printed]
    details += [(f"cell {p.header[p.column]!r}", p.cells[p.column]) for p in ev.printed if p.column is not None]
    details += [("text", t) for t in ev.text]
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
    return f'data-finding data-id="{_e(f.id)}" data-paper="{_e(item.paper)}" data-severity="{_e(f.severity)}" data-status="{_e(item.status)}" data-check="{_e(f.check)}"'


def _badge(kind: str, value: str) -> str:
    return f'<span class="badge {kind}-{_e(value)}">{_e(value)}</span>'


def _html_findings_table(model: Model) -> str:
    rows = []
    for item in model.items:
        f = item.finding
        cells = [
            _badge("st", item.status),
            _badge("sev", f.severity),
            _e(item.paper),
            f"<code>{_e(f.check)}</code>",
            _e(_where(f)),
            _e(", ".join(item.evidence.pages)),
            _e(f.message),
            f'<span class="num">{_e(_value(f.reported))}</span>',
            f'<span class="num">{_e(_value(f.computed))}</span>',
            f'<a href="#f-{_e(f.id)}"><code>{_e(f.id)}</code></a>',
        ]
        rows.append(f'<tr class="finding" {_attrs(item)}>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in FINDING_COLUMNS)
    return f'<div class="scroll"><table id="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _select(name: str, values: Sequence[str]) -> str:
    options = "".join(f'<option value="{_e(v)}">{_e(v or "(none)")}</option>' for v in values)
    return f'<label>{_e(name)} <select data-filter="{_e(name)}"><option value="*">all</option>{options}</select></label>'


def _html_printed(p: Printed) -> str:
    head = "".join(f'<th class="{"hit" if i == p.column else ""}">{_e(h)}</th>' for i, h in enumerate(p.header))
    cells = "".join(f'<td class="{"hit" if i == p.column else ""}">{_e(c)}</td>' for i, c in enumerate(p.cells))
    return f'<p class="sub">{_e(p.paper_id)} table {_e(p.table)}, printed row {p.row}</p><div class="scroll"><table class="printed"><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table></div>'


def _html_finding(item: Item) -> str:
    f, ev = item.finding, item.evidence
    facts = [("reported", _value(f.reported)), ("computed", _value(f.computed)), ("where", _where(f)), ("page", ", ".join(ev.pages))]
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
    body.append(f'<p class="sub">Decide: <code>curate decide {_e(f.id)} --accept | --reject | --fix VALUE --note "why"</code></p>')
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
    out.append(f"<h3>Findings ({len(items)})</h3>")
    out += [_html_finding(i) for i in items] or ["<p>No findings.</p>"]
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
main{padding:8px 28px 40px;max-width:1500px}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
.cards{display:flex;flex-wrap:wrap;gap:10px}.stat{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:110px}
.stat b{display:block;font-size:22px}.stat span{color:var(--sub);font-size:12px}
.scroll{overflow-x:auto}table{border-collapse:collapse;background:#fff;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;font-weight:600}td .num{font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;border:1px solid transparent}
.sev-error.badge{background:var(--err);color:#fff}.sev-warning.badge{background:var(--warn)}.sev-info.badge{background:var(--info);color:#fff}
.st-open{border-color:#9e9e9e;color:#424242}.st-accepted{background:#e8f5e9;color:#1b5e20}.st-rejected{background:#eceff1;color:#455a64}.st-fixed{background:#e3f2fd;color:#0d47a1}
.filters{display:flex;gap:14px;align-items:center;flex-wrap:wrap;background:#fff;border:1px solid var(--line);padding:8px 12px;border-radius:6px}
.filters select{margin-left:4px}#shown{color:var(--sub)}
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
  var keys = ['paper', 'severity', 'status', 'check'];
  var selects = {};
  keys.forEach(function (k) { selects[k] = document.querySelector('select[data-filter="' + k + '"]'); });
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
  function apply(updateUrl) {
    var rows = document.querySelectorAll('[data-finding]');
    var shown = 0, total = 0;
    rows.forEach(function (el) {
      var ok = keys.every(function (k) {
        var v = selects[k] ? selects[k].value : '*';
        return v === '*' || el.getAttribute('data-' + k) === v;
      });
      el.hidden = !ok;
      if (el.tagName === 'TR') { total += 1; if (ok) { shown += 1; } }
    });
    document.getElementById('shown').textContent = shown + ' of ' + total + ' findings shown';
    if (updateUrl) {
      var parts = keys.filter(function (k) { return selects[k] && selects[k].value !== '*'; })
        .map(function (k) { return k + ':' + selects[k].value; });
      try { history.replaceState(null, '', parts.length ? '#filter=' + parts.join(',') : location.pathname + location.search); } catch (e) { /* file: URLs in some browsers */ }
    }
  }
  function load() {
    var w = wanted();
    keys.forEach(function (k) {
      var s = selects[k];
      if (!s) { return; }
      var v = w[k] === undefined ? '*' : w[k];
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === v; }) ? v : '*';
    });
    apply(false);
  }
  keys.forEach(function (k) { if (selects[k]) { selects[k].addEventListener('change', function () { apply(true); }); } });
  window.addEventListener('hashchange', function () { if (location.hash.indexOf('#filter=') === 0) { load(); } });
  load();
  document.body.setAttribute('data-ready', 'true');
})();
"""


def render_html(model: Model) -> str:
    """The report as one self-contained HTML page (inline CSS, JS and images)."""
    papers = _papers_of(model)
    stats = "".join(f'<div class="stat"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in model.overview())
    checks = sorted({i.finding.check for i in model.items})
    filters = (
        '<div class="filters">'
        + _select("paper", sorted({i.paper for i in model.items}))
        + _select("severity", list(SEVERITIES))
        + _select("status", list(STATUSES))
        + _select("check", checks)
        + '<span id="shown"></span></div>'
    )
    body = [
        '<section id="overview"><h2>Overview</h2>', f'<div class="cards">{stats}</div></section>',
        f'<section id="findings-section"><h2>Findings</h2>{filters}',
        _html_findings_table(model) if model.items else "<p>No findings.</p>",
        '<p class="sub">Filters can be set in the address: <code>report.html#filter=severity:error,status:open</code>.</p></section>',
    ]
    if model.plots:
        body.append('<section id="plots"><h2>Plots</h2>' + "".join(f'<figure><img alt="{_e(c)}" src="{uri}"><figcaption class="sub">{_e(c)}</figcaption></figure>' for c, uri in model.plots) + "</section>")
    body += [_html_paper(model, p) for p in papers]
    loose = [i for i in model.items if i.paper not in papers]
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
        f"<title>curate review report</title><style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>curate review report</h1><p>Generated {_e(model.generated)} by curate {_e(__version__)} · curated: {_e(model.curated)} · raw: {_e(model.raw)}</p></header>'
        f"<nav>{nav}</nav><main>{''.join(body)}</main><script>{_JS}</script></body></html>\n"
    )


def build_report(curated: Path, raw: Path, findings: list[Finding], out: Path, pdf_dir: Path | None) -> tuple[Path, Path]:
    """Write ``out/report.html`` and ``out/report.md`` from the same findings; return their paths."""
    with ExitStack() as stack:
        model = build_model(curated, raw, findings, pdf_dir, stack)
    html_path, md_path = out / "report.html", out / "report.md"
    write_text(html_path, render_html(model))
    write_text(md_path, render_markdown(model))
    return html_path, md_path
