"""Candidates from third-party extractors (camelot, pdfplumber) for one table box.

Each returns header and body rows in the same shape as curate's own extractor, so that the
quality score can compare them: rows whose middle lies above the header rule are joined
column-wise into the header, and cell text is normalised the same way.
"""

from __future__ import annotations

import functools
import logging
import warnings
from dataclasses import dataclass, field
from typing import Any, cast

import pdfplumber.page

from curate.extract.grid import join_lines
from curate.extract.layout import BBox
from curate.extract.text import normalise

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Candidate:
    """One extractor's reading of one table box."""

    extractor: str
    header: list[str]
    rows: list[list[str]]
    settings: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    #: Why the score is below 1 (:func:`curate.extract.quality.assess`).
    reasons: list[str] = field(default_factory=list)
    #: (top, bottom) of each body row, and of the header, in PDF points from the page top.
    row_spans: list[tuple[float, float]] = field(default_factory=list)
    header_span: tuple[float, float] | None = None
    #: Rows whose label joins a line that looks like a row of its own (curate's own reading).
    merged_labels: int = 0
    #: Curate's own reading of a grid whose rules draw every row and column (:attr:`Grid.ruled`).
    ruled: bool = False


def _clean(cell: Any) -> str:
    return join_lines([normalise(part) for part in str(cell or "").split("\n")])


def _candidate(extractor: str, rows: list[tuple[float, float, list[str]]], header_bottom: float | None, settings: dict[str, Any]) -> Candidate:
    """A candidate from rows given as (top, bottom, cells): rows above ``header_bottom`` form the header."""
    ncols = max((len(cells) for _, _, cells in rows), default=0)
    padded = [(t, b, cells + [""] * (ncols - len(cells))) for t, b, cells in rows]
    is_head = [header_bottom is not None and (t + b) / 2 < header_bottom for t, b, _ in padded]
    head = [r for r, h in zip(padded, is_head) if h]
    body = [r for r, h in zip(padded, is_head) if not h and any(c.strip() for c in r[2])]
    header = [join_lines([r[2][c] for r in head]) for c in range(ncols)] if head else [""] * ncols
    return Candidate(
        extractor,
        header,
        [r[2] for r in body],
        settings,
        row_spans=[(t, b) for t, b, _ in body],
        header_span=(min(t for t, _, _ in head), max(b for _, b, _ in head)) if head else None,
    )


#: pdfminer layout parameters for camelot: its defaults but no text-box ordering (see below).
_LAYOUT = {"boxes_flow": None}


@functools.cache
def _missing_camelot() -> None:
    log.warning("camelot is not installed: tables curate reads with a low score get no second reading from camelot (pip install 'curate[peers]')")


def preload() -> None:
    """Import camelot now (pandas, OpenCV, matplotlib: seconds of CPU) rather than inside the
    first table that asks it for a second reading: what a caller timing extraction apart from
    start-up, as peers' own imports are timed apart, calls first."""
    try:
        import camelot  # noqa: F401
    except ImportError:
        _missing_camelot()


def camelot_candidates(path: str, page_no: int, page_height: float, bbox: BBox, header_bottom: float | None, flavor: str) -> list[Candidate]:
    """camelot ``lattice`` or ``stream`` restricted to the table box (default settings otherwise).

    camelot (with OpenCV) is an extra, ``curate[peers]``: without it the other readings compete
    alone, and a warning says so once.

    pdfminer's layout analysis is run without its text-box reading order (``boxes_flow=None``):
    camelot sorts the text lines by position itself, so its tables are the same, and that
    ordering was most of a call's time (the whole page is analysed for one box).
    """
    try:
        from camelot.io import read_pdf
    except ImportError:
        _missing_camelot()
        return []

    x0, top, x1, bottom = bbox
    area = f"{x0 - 2},{page_height - top + 2},{x1 + 2},{page_height - bottom - 2}"
    settings = {"flavor": flavor, "table_areas": [area]}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = read_pdf(path, pages=str(page_no), layout_kwargs=_LAYOUT, **settings)
    except Exception as exc:  # camelot raises bare Exceptions on odd pages; a peer failing is not our failure
        log.debug("camelot %s failed on page %s: %s", flavor, page_no, exc)
        return []
    out = []
    for t in tables:
        rows = [
            (page_height - max(ya, yb), page_height - min(ya, yb), [_clean(v) for v in t.df.iloc[r].tolist()])
            for r, (ya, yb) in enumerate(t.rows)
        ]
        out.append(_candidate(f"camelot-{flavor}", rows, header_bottom, settings))
    return out


class _PlumberView(pdfplumber.page.Page):
    """pdfplumber's page API over a page curate has read already (its chars, lines, rects and
    curves, reported as pdfplumber reports them: :mod:`curate.extract.fastpage`), so that
    pdfplumber's table finder reads it without pdfminer parsing the page a second time (most
    of what the peer cost)."""

    def __init__(self, page: Any) -> None:  # not super().__init__: that reads a pdfminer page
        self.pdf = cast(Any, None)  # no pdfplumber document, no pdfminer page behind the view
        self.root_page = self
        self.page_obj = cast(Any, None)
        self.page_number = page.page_number
        self.initial_doctop = 0
        self.rotation = 0  # the page's /Rotate is applied in what it reports already
        self.mediabox = self.cropbox = self.bbox = (0, 0, page.width, page.height)
        self.get_textmap = functools.lru_cache()(self._get_textmap)
        kinds = {"char": page.chars, "line": page.lines, "rect": page.rects, "curve": page.curves}
        self._view = {kind: [{**o, "doctop": o["top"]} for o in objs] for kind, objs in kinds.items()}
        self._view["char"] = [  # with the keys of pdfplumber's chars that fastpage leaves out
            {**c, "object_type": "char", "page_number": self.page_number, "width": c["x1"] - c["x0"], "height": c["bottom"] - c["top"]} for c in self._view["char"]
        ]

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        return self._view


def plumber_page(page: Any) -> Any:
    """``page`` as a pdfplumber page (itself when it is one already), for the pdfplumber peers."""
    return page if isinstance(page, pdfplumber.page.Page) else _PlumberView(page)


def pdfplumber_candidates(page: Any, bbox: BBox, header_bottom: float | None, strategy: str) -> list[Candidate]:
    """pdfplumber's table finder on the table box of ``page`` (see :func:`plumber_page`), with
    ``lines`` or ``text`` strategies."""
    x0, top, x1, bottom = bbox
    settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}
    try:
        crop = page.crop((max(0, x0 - 2), max(0, top - 2), min(page.width, x1 + 2), min(page.height, bottom + 2)))
        found = crop.find_tables(settings)
    except Exception as exc:  # pdfplumber raises on degenerate crops
        log.debug("pdfplumber %s failed: %s", strategy, exc)
        return []
    out = []
    for t in found:
        rows = [(r.bbox[1], r.bbox[3], [_clean(v) for v in cells]) for r, cells in zip(t.rows, t.extract())]
        out.append(_candidate(f"pdfplumber-{strategy}", rows, header_bottom, settings))
    return out
