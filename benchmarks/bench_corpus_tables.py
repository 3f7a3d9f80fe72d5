"""curate's table extractor on the third-party corpus, side by side with camelot, pdfplumber and tabula.

Run from the repository root::

    python benchmarks/bench_corpus_tables.py [--jobs 2] [--icdar-sample 40] [--seed 13] [--verbose]

About 2-3 minutes on 2 free cores with the default sample of 40 ICDAR documents (printed as a
SAMPLE); ``--icdar-sample 0`` scores all 67 (about 4-5 minutes).

Three parts, each printed as a table, then a summary per tool:

(a) ICDAR 2013 (``tables/icdar2013``): table detection per ground-truth region (one-to-one
    greedy matching at IoU >= 0.5 on the same page) and structure as ICDAR's adjacency-relation
    F1 on the tables that were detected (each non-blank cell with its nearest non-blank
    neighbour to the right and below, cell text normalised to lower-case letters and digits).
(b) camelot's expected CSVs (``tables/camelot/expected``): the page each file belongs to (from
    SOURCES.md) is read by every tool and its best-matching table on that page is compared
    after light normalisation: cell accuracy and shape agreement. The expectations are camelot's
    own output, a printed line a row, spanning text where the settings put it, so the accuracy
    pairs rows in order and lets one read row stand for an expectation's wrapped lines (and,
    where camelot was told to move or copy spanning text, finds that text anywhere in the block
    it spans): :func:`cell_accuracy` says exactly what is and is not forgiven.
(c) the article PDFs (``pdfs/``): tables detected vs the distinct "Table N" captions printed.

curate reads whole documents (its page-furniture and stitching logic need them); camelot
(lattice and stream, default settings) and pdfplumber (``find_tables()``, the default settings
of ``page.extract_tables()``) and tabula-java through tabula-py (lattice, and stream with its
Nurminen detector: ``guess``; it needs Java) read only the pages that hold a table. Detection precision is
therefore counted on those pages for every tool; curate's tables elsewhere are reported apart.
"""

from __future__ import annotations

import argparse
import functools
import logging
import random
import re
import sys
import time
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.tablescore import Grid, read_csv  # noqa: E402
from curate.extract.grid import without_leaders  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TOOLS = ("curate", "camelot-lattice", "camelot-stream", "pdfplumber", "tabula-lattice", "tabula-stream")
IOU_MIN = 0.5

BBox = tuple[float, float, float, float]


# --------------------------------------------------------------------------- tool runs


@dataclass(slots=True)
class Found:
    """One table piece a tool found: its page and box (PDF points, origin top-left) and cells.

    ``table`` numbers the logical table within one tool's output for a PDF: the parts of a
    table curate stitched across pages share it (and the whole table's ``grid``).
    """

    table: int
    page: int
    bbox: BBox
    grid: Grid
    caption: str | None = None


@dataclass(slots=True)
class DocRun:
    """Everything the tools produced for one PDF."""

    path: str
    heights: list[float]
    peer_pages: list[int]
    captions: dict[int, list[int]]
    found: dict[str, list[Found]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


CAPTION_LINE = re.compile(r"^(?:Table|TABLE)\s*(\d+)\s*(?:[:.|]|[A-Z]|\((?i:cont)|$)")


def caption_pages(pdf: object) -> dict[int, list[int]]:
    """``Table N`` captions printed in the text layer: N -> pages, read from pdfplumber's words.

    A caption starts a line segment (words closer than 12 pt; wider gaps separate columns) and
    "Table N" is followed by ``:``, ``.``, ``|``, a capitalised word, "(continued)" or the end of the segment
    (pdfplumber's default word grouping may glue "Table1Patient..." in tightly set PDFs), so
    in-text mentions such as "Table 2 shows" or "Table 2 (for ..." are not counted.
    """
    found: dict[int, list[int]] = defaultdict(list)
    for page in pdf.pages:  # type: ignore[attr-defined]
        words = sorted(page.extract_words(), key=lambda w: (round(w["top"]), w["x0"]))
        segments: list[list[dict]] = []
        for w in words:
            last = segments[-1][-1] if segments else None
            if last is not None and abs(w["top"] - last["top"]) < 2 and 0 <= w["x0"] - last["x1"] < 12:
                segments[-1].append(w)
            else:
                segments.append([w])
        for seg in segments:
            m = CAPTION_LINE.match(" ".join(w["text"] for w in seg))
            if m and page.page_number not in found[int(m.group(1))]:
                found[int(m.group(1))].append(page.page_number)
    return dict(found)


def _curate(pdf: object, path: str) -> list[Found]:
    """curate's tables, sideways pages turned upright to be read; boxes in each page's own frame."""
    from curate.extract.tables import extract_tables
    from curate.extract.upright import UprightDocument

    upright = UprightDocument(pdf)
    out = []
    for i, table in enumerate(extract_tables(upright, path)):
        grid = ([table.header] if any(table.header) else []) + [list(r) for r in table.rows]
        out += [Found(i, p.page, upright.page_box(p.page, tuple(p.bbox)), grid, table.caption) for p in table.parts]
    return out


def _camelot(path: str, page: int, height: float, flavor: str) -> list[Found]:
    import camelot

    out = []
    for i, t in enumerate(camelot.read_pdf(path, pages=str(page), flavor=flavor)):
        x1, y1, x2, y2 = t._bbox
        grid = [["" if v is None else str(v) for v in row] for row in t.df.values.tolist()]
        out.append(Found(i, page, (x1, height - y2, x2, height - y1), grid))
    return out


def start_tabula() -> None:
    """Start tabula's JVM in this process (JPype; tabula-py would otherwise start a ``java``
    process per call, whose time and memory this process's clocks do not see)."""
    import jpype
    from tabula.backend import jar_path

    if not jpype.isJVMStarted():
        jpype.addClassPath(jar_path())
        jpype.startJVM("-Dorg.slf4j.simpleLogger.defaultLogLevel=off", convertStrings=False)


def tabula_tables(path: str, page: int, mode: str) -> list[Found]:
    """tabula-java's tables on one page (tabula-py; ``mode`` lattice or stream), found by its
    own detection (``guess``: Nurminen's detector in stream mode). Its JSON does not say which
    page a table is on, so it is asked page by page."""
    import tabula

    start_tabula()
    found = tabula.read_pdf(path, pages=page, guess=True, multiple_tables=True, output_format="json", silent=True, **{mode: True})
    return [
        Found(i, page, (t["left"], t["top"], t["right"], t["bottom"]), [[c.get("text", "") for c in row] for row in t["data"]])
        for i, t in enumerate(found)
    ]


def _pdfplumber(page: object, number: int) -> list[Found]:
    return [
        Found(i, number, tuple(t.bbox), [["" if v is None else v for v in row] for row in t.extract()])
        for i, t in enumerate(page.find_tables())  # type: ignore[attr-defined]
    ]


def run_document(path: str, pages: Sequence[int] | None) -> DocRun:
    """Run every tool on one PDF; ``pages`` for the peers (None: the pages with a caption)."""
    import pdfplumber

    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    with pdfplumber.open(path) as pdf:
        heights = [float(p.height) for p in pdf.pages]
        captions = caption_pages(pdf)
        peer_pages = sorted(set(pages) if pages is not None else {p for ps in captions.values() for p in ps})
        run = DocRun(path, heights, peer_pages, captions)
        calls = {
            "curate": lambda: _curate(pdf, path),
            "camelot-lattice": lambda: [f for p in peer_pages for f in _camelot(path, p, heights[p - 1], "lattice")],
            "camelot-stream": lambda: [f for p in peer_pages for f in _camelot(path, p, heights[p - 1], "stream")],
            "pdfplumber": lambda: [f for p in peer_pages for f in _pdfplumber(pdf.pages[p - 1], p)],
            "tabula-lattice": lambda: [f for p in peer_pages for f in tabula_tables(path, p, "lattice")],
            "tabula-stream": lambda: [f for p in peer_pages for f in tabula_tables(path, p, "stream")],
        }
        for tool, call in calls.items():
            start = time.perf_counter()
            try:
                run.found[tool] = call()
            except Exception as exc:  # a tool crashing on one PDF is a result, not a reason to stop
                run.found[tool] = []
                run.errors.setdefault(tool, []).append(f"{type(exc).__name__}: {exc}"[:160])
            run.seconds[tool] = time.perf_counter() - start
    return run


# --------------------------------------------------------------------------- ICDAR 2013


@dataclass(slots=True)
class GtTable:
    """One ICDAR ground-truth table: its regions (page, box top-left origin) and cells."""

    doc: str
    regions: list[tuple[int, BBox]]
    cells: list[tuple[int, int, int, int, str]]  # start-row, end-row, start-col, end-col, text


def icdar_documents(corpus: Path = CORPUS) -> list[Path]:
    """The ICDAR 2013 PDFs that have region ground truth."""
    return sorted(p for p in (corpus / "tables" / "icdar2013").glob("*/*.pdf") if p.with_name(p.stem + "-reg.xml").exists())


def icdar_tables(pdf_path: Path, heights: Sequence[float]) -> list[GtTable]:
    """Ground truth of one ICDAR PDF; boxes turned from bottom-left to top-left origin."""
    reg = ET.parse(pdf_path.with_name(pdf_path.stem + "-reg.xml")).getroot()
    strc = ET.parse(pdf_path.with_name(pdf_path.stem + "-str.xml")).getroot()
    cells: dict[str, list[tuple[int, int, int, int, str]]] = defaultdict(list)
    for table in strc.iter("table"):
        for region in table.iter("region"):
            dr, dc = int(region.get("row-increment", 0)), int(region.get("col-increment", 0))
            for c in region.iter("cell"):
                r0, c0 = int(c.get("start-row")) + dr, int(c.get("start-col")) + dc
                r1, c1 = int(c.get("end-row", c.get("start-row"))) + dr, int(c.get("end-col", c.get("start-col"))) + dc
                cells[table.get("id")].append((r0, r1, c0, c1, c.findtext("content") or ""))
    out = []
    for table in reg.iter("table"):
        regions = []
        for region in table.iter("region"):
            page = int(region.get("page"))
            b = region.find("bounding-box")
            x1, y1, x2, y2 = (float(b.get(k)) for k in ("x1", "y1", "x2", "y2"))
            regions.append((page, (x1, heights[page - 1] - y2, x2, heights[page - 1] - y1)))
        out.append(GtTable(pdf_path.stem, regions, cells[table.get("id")]))
    return out


def iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def match_regions(gt: Sequence[tuple[int, BBox]], found: Sequence[Found], threshold: float = IOU_MIN) -> dict[int, int]:
    """One-to-one greedy matching (best IoU first) of ground-truth regions to found pieces."""
    pairs = sorted(
        ((iou(g[1], f.bbox), gi, fi) for gi, g in enumerate(gt) for fi, f in enumerate(found) if g[0] == f.page),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, gi, fi in pairs:
        if score >= threshold and gi not in matched and fi not in used:
            matched[gi] = fi
            used.add(fi)
    return matched


def cell_text_key(text: str) -> str:
    """ICDAR-style content normalisation: lower-case letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def adjacency(cells: Iterable[tuple[int, int, int, int, str]]) -> set[tuple[str, str, str]]:
    """Adjacency relations: each non-blank cell with its nearest non-blank right and down neighbour."""
    kept = [(r0, r1, c0, c1, cell_text_key(t)) for r0, r1, c0, c1, t in cells]
    kept = [c for c in kept if c[4]]
    at: dict[tuple[int, int], int] = {}
    for i, (r0, r1, c0, c1, _) in enumerate(kept):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                at.setdefault((r, c), i)
    if not at:
        return set()
    max_r = max(r for r, _ in at)
    max_c = max(c for _, c in at)
    rels: set[tuple[str, str, str]] = set()
    for i, (r0, r1, c0, c1, text) in enumerate(kept):
        for r in range(r0, r1 + 1):
            j = next((at[(r, c)] for c in range(c1 + 1, max_c + 1) if at.get((r, c), i) != i), None)
            if j is not None:
                rels.add((text, kept[j][4], "right"))
        for c in range(c0, c1 + 1):
            j = next((at[(r, c)] for r in range(r1 + 1, max_r + 1) if at.get((r, c), i) != i), None)
            if j is not None:
                rels.add((text, kept[j][4], "down"))
    return rels


def grid_cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    """A tool's grid as 1x1 cells."""
    return [(r, r, c, c, text) for r, row in enumerate(grid) for c, text in enumerate(row)]


@dataclass(slots=True)
class DetectionScore:
    """Counts behind detection recall/precision and adjacency-relation F1 of one tool."""

    regions: int = 0
    found: int = 0
    matched: int = 0
    outside: int = 0
    struct_tables: int = 0
    rel_correct: int = 0
    rel_found: int = 0
    rel_gt: int = 0

    def add(self, other: DetectionScore) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_icdar(gt: Sequence[GtTable], found: Sequence[Found]) -> DetectionScore:
    """Detection and structure counts of one tool on one ICDAR document."""
    gt_pages = {page for t in gt for page, _ in t.regions}
    on_pages = [f for f in found if f.page in gt_pages]
    regions = [(ti, r) for ti, t in enumerate(gt) for r in t.regions]
    matched = match_regions([r for _, r in regions], on_pages)
    s = DetectionScore(len(regions), len(on_pages), len(matched), len({f.table for f in found if f.page not in gt_pages}))
    by_table: dict[int, set[int]] = defaultdict(set)
    for gi, fi in matched.items():
        by_table[regions[gi][0]].add(on_pages[fi].table)
    grids = {f.table: f.grid for f in on_pages}
    for ti, tables in by_table.items():
        want = adjacency(gt[ti].cells)
        got: set[tuple[str, str, str]] = set().union(*(adjacency(grid_cells(grids[t])) for t in tables))
        s.struct_tables += 1
        s.rel_correct += len(want & got)
        s.rel_found += len(got)
        s.rel_gt += len(want)
    return s


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------- camelot expectations


@dataclass(slots=True)
class Expectation:
    """One camelot expected CSV and where it comes from (per SOURCES.md)."""

    csv: Path
    pdfs: list[Path]
    page: int
    args: str
    manual: bool

    @property
    def flags(self) -> str:
        """What camelot's expectation needed beyond its default settings: ``area`` (a manual
        table area/region or column positions), the names of other settings, ``hybrid``."""
        names = [n for n in dict.fromkeys(re.findall(r"(\w+)=", self.args)) if n not in ("flavor", "pages", "table_areas", "table_regions", "columns")]
        return ",".join((["area"] if self.manual else []) + names + (["hybrid"] if "'hybrid'" in self.args else []))

    @property
    def spans(self) -> bool:
        """Whether camelot placed spanning text by a setting of its own: lattice always moves a
        spanning cell's text to one of the cells it spans (``shift_text``, by default its
        top-left) or copies it (``copy_text``); see :func:`cell_accuracy`."""
        return "lattice" in self.args or bool(re.search(r"shift_text=|copy_text=", self.args))


SOURCE_ROW = re.compile(r"^\| tables/camelot/expected/(?P<name>[^ |]+\.csv) \|.*read_pdf args: (?P<args>.*?)\); written to CSV", re.M)


def camelot_expectations(corpus: Path = CORPUS) -> list[Expectation]:
    """camelot's expected tables with page, PDF(s) and read_pdf arguments parsed from SOURCES.md."""
    text = (corpus / "SOURCES.md").read_text(encoding="utf-8")
    out = []
    for m in SOURCE_ROW.finditer(text):
        name, args = m.group("name"), m.group("args")
        line = text[m.start() : text.index("\n", m.start())]
        pdf = re.search(r"PDF is (tables/\S+?\.pdf)", line)
        pdfs = [corpus / pdf.group(1)] if pdf else [corpus / "tables" / "camelot" / (name.split("__")[0] + ".pdf")]
        pdfs += [corpus / "tables" / "camelot" / twin for twin in re.findall(r"same expected table for (\w+\.pdf)", line)]
        page = re.search(r"pages='(\d+)'", args)
        manual = bool(re.search(r"table_areas|table_regions|columns", args))
        out.append(Expectation(corpus / "tables" / "camelot" / "expected" / name, pdfs, int(page.group(1)) if page else 1, args, manual))
    return out


def compare_key(text: str) -> str:
    """Light normalisation of a cell for comparison: camelot's ``<s>`` size flags dropped,
    NFKC, Unicode minus as ``-``, dot leaders dropped (how many dots a reader sees depends on
    how the PDF marks them) and whitespace (incl. line breaks inside cells) removed."""
    text = unicodedata.normalize("NFKC", re.sub(r"</?s>", "", text)).replace("\u2212", "-")
    return re.sub(r"\s+", "", without_leaders(text))


def normalise_grid(grid: Grid) -> Grid:
    """Cells compared by :func:`compare_key`, rows padded, fully empty rows and columns dropped."""
    width = max((len(r) for r in grid), default=0)
    rows = [[compare_key(c) for c in r] + [""] * (width - len(r)) for r in grid]
    rows = [r for r in rows if any(r)]
    keep = [c for c in range(width) if any(r[c] for r in rows)]
    return [[r[c] for c in keep] for r in rows]


def shape(grid: Grid) -> tuple[int, int]:
    return len(grid), max((len(r) for r in grid), default=0)


FIGURE = re.compile(r"\d")
NUMBER = re.compile(r"[-+(]?\d[\d.,]*%?\)?$")  # a cell that is a figure ('1,091,255', '5.9%', '(3.2)'); not '2011-12'

#: The most expected lines one read row may stand for (a cell wrapped over that many lines).
MAX_WRAP = 6


def cell_accuracy(expected: Grid, got: Grid, max_cols: int = 3, spans: bool = False) -> float:
    """Share of the expected non-empty cells found at their place in ``got`` (both normalised),
    under the best single column shift and the best in-order pairing of rows.

    Rows are paired in order (a row missing from either side costs only its own cells; a read
    row left unpaired between paired ones counts its cells as wrong, so a row of the expectation
    read as two still costs; where the expectation itself sets a wrapped label's lines as rows,
    reading them so cannot be told from joining them). The expectations are camelot's and tabula's outputs, which set
    every printed line as a row of its own, so one read row may stand for several consecutive
    expected rows when each of its cells is their lines joined (curate's model: a wrapped cell
    is one row, header lines are joined per column): in the header (the rows above the first
    row with two cells that are figures) freely, in the body only when at most one of the lines
    holds a figure (two rows of figures run together stay a misreading). A header line's empty
    cell right of a label may be read as that label (a spanning header heads each column under
    it, copied or left empty). With ``spans`` (an expectation that asks for spanning text to be
    moved or copied: camelot's ``shift_text``, ``copy_text``) an expected cell also counts as
    found where the read table sets the same text elsewhere in the block of expected cells
    between the two that are empty or hold that same text (the cells it spans)."""
    want = sum(1 for row in expected for v in row if v)
    if not want or not got:
        return 0.0
    width = max(len(r) for r in expected)
    rows = [r + [""] * (width - len(r)) for r in expected]
    body = next((i for i, r in enumerate(rows) if sum(1 for v in r if NUMBER.match(v)) >= 2), len(rows))
    filled = [_fill_right(r) if i < body else r for i, r in enumerate(rows)]
    return max(_aligned(rows, filled, got, dc, body, spans) for dc in range(-max_cols, max_cols + 1)) / want


def _fill_right(row: list[str]) -> list[str]:
    out, last = [], ""
    for v in row:
        last = v or last
        out.append(last)
    return out


def _aligned(rows: Grid, filled: Grid, got: Grid, dc: int, body: int, spans: bool) -> float:
    """Hits minus wrong cells of the best in-order pairing of ``got``'s rows with groups of
    consecutive expected rows, at column shift ``dc`` (see :func:`cell_accuracy`)."""
    n, m = len(rows), len(got)
    width = len(rows[0]) if rows else 0

    def at(j: int, c: int) -> str | None:
        return got[j][c + dc] if 0 <= c + dc < len(got[j]) else None

    where: dict[str, list[tuple[int, int]]] = {}  # got's texts -> their places (row, expected column)
    if spans:
        for j2, row in enumerate(got):
            for c2 in range(max(0, -dc), min(width, len(row) - dc)):
                where.setdefault(row[c2 + dc], []).append((j2, c2))

    def spanned(r: int, c: int, j: int) -> bool:  # rows[r][c] set elsewhere in its block
        v = rows[r][c]
        for j2, c2 in where.get(v, ()):
            r2 = r + (j2 - j)
            if abs(j2 - j) > 40 or not 0 <= r2 < n:
                continue
            block = [rows[a][b] for a in range(min(r, r2), max(r, r2) + 1) for b in range(min(c, c2), max(c, c2) + 1)]
            if all(x in ("", v) for x in block):
                return True
        return False

    @functools.cache  # the same for both states of the pairing
    def hits(i: int, k: int, j: int) -> int | None:
        group = rows[i : i + k]
        if k > 1 and i + k > body and sum(1 for r in group if any(FIGURE.search(v) for v in r)) > 1:
            return None
        total = 0
        for c in range(width):
            cells = [r[c] for r in group if r[c]]
            if not cells:
                continue
            have = at(j, c)
            joined = "".join(cells)
            if have == joined or (i < body and have == "".join(f[c] for f in filled[i : i + k])):
                total += len(cells)
            elif k == 1 and spans and spanned(i, c, j):
                total += 1
        return total

    extra = [sum(1 for v in r if v) for r in got]
    neg = float("-inf")
    # best[i][j][s]: expected rows i.. and read rows j.. left; s = a row was paired before
    best = [[[neg, neg] for _ in range(m + 1)] for _ in range(n + 1)]
    best[0][0][0] = 0.0
    result = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for s in (0, 1):
                cur = best[i][j][s]
                if cur == neg:
                    continue
                result = max(result, cur)
                if i < n and cur > best[i + 1][j][s]:
                    best[i + 1][j][s] = cur
                if j < m:
                    skip = cur - (extra[j] if s else 0)  # a read row between paired ones is wrong
                    if skip > best[i][j + 1][s]:
                        best[i][j + 1][s] = skip
                    for k in range(1, min(MAX_WRAP, n - i) + 1):
                        h = hits(i, k, j)
                        if h is None:
                            break
                        if cur + h > best[i + k][j + 1][1]:
                            best[i + k][j + 1][1] = cur + h
    return result


def best_match(expected: Grid, candidates: Sequence[Grid], spans: bool = False) -> tuple[float, tuple[int, int]] | None:
    """(cell accuracy, shape) of the candidate that matches ``expected`` best; None if no table."""
    scored = [(cell_accuracy(expected, g, spans=spans), shape(g) == shape(expected), shape(g)) for g in map(normalise_grid, candidates)]
    if not scored:
        return None
    acc, _, shp = max(scored)
    return acc, shp


def tables_on_page(found: Sequence[Found], page: int) -> list[Grid]:
    """The grids of the tables that have a part on ``page`` (each table once)."""
    grids: dict[int, Grid] = {}
    for f in found:
        if f.page == page:
            grids.setdefault(f.table, f.grid)
    return list(grids.values())


# --------------------------------------------------------------------------- articles


def article_pdfs(corpus: Path = CORPUS) -> list[Path]:
    return sorted((corpus / "pdfs").glob("*/*.pdf"))


def caption_number(caption: str | None) -> int | None:
    m = re.match(r"\s*(?:Table|TABLE)\s*(\d+)", caption or "")
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- report


def table_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Fixed-width text table, first column left-aligned, others right-aligned."""
    cells = [list(map(str, header))] + [list(map(str, r)) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    fmt = lambda r: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([fmt(cells[0]), "  ".join("-" * w for w in widths)] + [fmt(r) for r in cells[1:]])


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--icdar-sample", type=int, default=40, help="score N ICDAR documents drawn with --seed (default 40; 0 = all 67)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--verbose", action="store_true", help="per-document ICDAR rows and tool errors")
    args = ap.parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.exists():
        sys.exit(f"corpus not found: {corpus}")
    started = time.perf_counter()

    icdar = icdar_documents(corpus)
    n_icdar = len(icdar)
    if 0 < args.icdar_sample < n_icdar:
        icdar = sorted(random.Random(args.seed).sample(icdar, args.icdar_sample))
    icdar_pages = {
        p: sorted({int(r.get("page")) for r in ET.parse(p.with_name(p.stem + "-reg.xml")).getroot().iter("region")}) for p in icdar
    }
    expectations = camelot_expectations(corpus)
    articles = article_pdfs(corpus)
    jobs: dict[Path, set[int] | None] = {p: set(pages) for p, pages in icdar_pages.items()}
    for e in expectations:
        for pdf in e.pdfs:
            jobs.setdefault(pdf, set()).add(e.page)  # type: ignore[union-attr]
    for a in articles:
        jobs[a] = None
    # biggest first, so the slowest documents do not start last
    order = sorted(jobs, key=lambda p: -p.stat().st_size)
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = dict(zip(order, pool.map(run_document, map(str, order), [jobs[p] for p in order])))
    wall = time.perf_counter() - started

    print("Corpus table benchmark: curate vs camelot (lattice, stream; default settings) vs pdfplumber (find_tables, default) vs tabula (lattice, stream; guess)")
    print(f"corpus: {corpus}   worker processes: {args.jobs}   wall time: {wall:.0f} s")

    # (a) ICDAR
    sample = f"SAMPLE of {len(icdar)} of {n_icdar} documents (seed {args.seed})" if len(icdar) < n_icdar else f"all {n_icdar} documents"
    totals = {t: DetectionScore() for t in TOOLS}
    per_doc: list[list[object]] = []
    n_regions = 0
    for pdf in icdar:
        run = runs[pdf]
        gt = icdar_tables(pdf, run.heights)
        n_regions += sum(len(t.regions) for t in gt)
        row: list[object] = [pdf.stem, sum(len(t.regions) for t in gt)]
        for tool in TOOLS:
            s = score_icdar(gt, run.found[tool])
            totals[tool].add(s)
            row.append(f"{s.matched}/{s.found}")
        per_doc.append(row)
    print(f"\n(a) ICDAR 2013 table competition: {sample}, {n_regions} table regions on {sum(len(v) for v in icdar_pages.values())} pages")
    print("    detection: ground-truth regions matched one-to-one at IoU >= 0.5; 'found' = pieces found on the pages that hold a table")
    print("    structure: adjacency-relation precision/recall/F1 over the detected tables (micro-averaged)")
    if args.verbose:
        print(table_text(["document", "regions"] + [f"{t} matched/found" for t in TOOLS], per_doc))
    rows = []
    for tool in TOOLS:
        s = totals[tool]
        p, r = ratio(s.matched, s.found), ratio(s.matched, s.regions)
        sp, sr = ratio(s.rel_correct, s.rel_found), ratio(s.rel_correct, s.rel_gt)
        rows.append([tool, s.regions, s.found, s.matched, pct(r), pct(p), pct(f1(p, r)), s.struct_tables, pct(sp), pct(sr), pct(f1(sp, sr))])
    print(table_text(["tool", "regions", "found", "matched", "recall%", "precision%", "F1%", "struct tables", "adj P%", "adj R%", "adj F1%"], rows))
    print(f"    curate also found {totals['curate'].outside} table(s) on pages without a ground-truth table (not counted above)")

    # (b) camelot expectations
    print(f"\n(b) camelot's expected tables: {len(expectations)} CSVs, {sum(len(e.pdfs) for e in expectations)} PDF/page pairs")
    print("    each tool's best-matching table on the page; cells compared without whitespace; 'acc' = expected non-empty cells")
    print("    found at the same place (best column shift, rows paired in order; a read row may join an expectation's wrapped")
    print("    lines, see cell_accuracy); '=' marks the same shape as expected after normalisation")
    print("    flags: what camelot's expectation needed beyond default settings: area = a manual table area/region or column")
    print("    positions (compared: best-matching table on the page), other names = non-default read_pdf settings, hybrid = flavor")
    brows = []
    acc_sum = {t: 0.0 for t in TOOLS}
    shape_ok = {t: 0 for t in TOOLS}
    hit = {t: 0 for t in TOOLS}
    n_pairs = 0
    for e in expectations:
        want = normalise_grid(read_csv(e.csv))
        for pdf in e.pdfs:
            n_pairs += 1
            row = [f"{e.csv.stem}" + ("" if pdf.stem == e.csv.stem.split("__")[0] else f" [{pdf.stem}]"), e.page, e.flags or "-", "{}x{}".format(*shape(want))]
            for tool in TOOLS:
                res = best_match(want, tables_on_page(runs[pdf].found[tool], e.page), e.spans)
                if res is None:
                    row.append("none")
                    continue
                acc, shp = res
                hit[tool] += 1
                acc_sum[tool] += acc
                shape_ok[tool] += shp == shape(want)
                row.append(f"{shp[0]}x{shp[1]}{'=' if shp == shape(want) else ' '} {pct(acc):>5}")
            brows.append(row)
    print(table_text(["expected file [other PDF]", "page", "flags", "expected"] + [f"{t} shape acc%" for t in TOOLS], brows))

    # (c) articles
    print("\n(c) article PDFs: tables detected vs distinct 'Table N' captions in the text layer")
    print("    camelot/pdfplumber read the caption pages only; curate 'captioned' = distinct N with a detected table captioned 'Table N'")
    crows = []
    n_captions = 0
    det = {t: 0 for t in TOOLS}
    captioned = 0
    for pdf in articles:
        run = runs[pdf]
        numbers = sorted(run.captions)
        n_captions += len(numbers)
        counts = {t: len({f.table for f in run.found[t]}) for t in TOOLS}
        for t in TOOLS:
            det[t] += counts[t]
        got = {caption_number(f.caption) for f in run.found["curate"]} & set(numbers)
        captioned += len(got)
        crows.append(
            [pdf.parent.name, len(numbers), ",".join(map(str, run.peer_pages)) or "-", counts["curate"], f"{len(got)}/{len(numbers)}"]
            + [counts[t] for t in TOOLS[1:]]
        )
    print(table_text(["article", "captions", "caption pages", "curate", "curate captioned"] + list(TOOLS[1:]), crows))

    # summary
    print("\nSummary per tool")
    seconds = {t: sum(r.seconds.get(t, 0.0) for r in runs.values()) for t in TOOLS}
    srows = []
    for tool in TOOLS:
        s = totals[tool]
        p, r = ratio(s.matched, s.found), ratio(s.matched, s.regions)
        sp, sr = ratio(s.rel_correct, s.rel_found), ratio(s.rel_correct, s.rel_gt)
        srows.append(
            [
                tool,
                pct(f1(p, r)),
                pct(f1(sp, sr)),
                f"{hit[tool]}/{n_pairs}",
                pct(acc_sum[tool] / n_pairs),
                f"{shape_ok[tool]}/{n_pairs}",
                f"{det[tool]}/{n_captions}" + (f" ({captioned} captioned)" if tool == "curate" else ""),
                f"{seconds[tool]:.0f}",
            ]
        )
    print(
        table_text(
            ["tool", "ICDAR det F1%", "ICDAR adj F1%", "camelot: table found", "mean acc%", "same shape", "articles: tables/captions", "CPU s"],
            srows,
        )
    )
    errors = [(Path(r.path).name, t, e) for r in runs.values() for t, es in r.errors.items() for e in es]
    if errors:
        print(f"\n{len(errors)} tool error(s) (counted as no table):")
        for name, tool, err in errors if args.verbose else errors[:10]:
            print(f"    {tool} on {name}: {err}")
    print(f"\ntotal wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
