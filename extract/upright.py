"""Pages whose text runs sideways (a wide table set at 90 degrees), turned upright.

Layout code reads words along lines of upright characters. A page whose text mostly runs
down (turned clockwise) or up (anticlockwise) is presented turned a quarter so that its text
reads left to right: its characters, rules and boxes are mapped into the turned page, whose
width is the page's height. Everything read from such a page (tables, rows, claims,
citations) has boxes in that turned frame; ``turn`` (the degrees clockwise the page is turned
to read it: 270 when its text runs down, 90 when it runs up) says which, and ``manifest.json`` lists the turned
pages so that a crop of the page can be turned the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from curate.extract.fastpage import FastPage
from curate.extract.lazyseq import LazySequence

Obj = dict[str, Any]

#: Share of a page's characters that must run sideways for the page to be turned.
SIDEWAYS = 0.6


def sideways(chars: list[Obj]) -> int:
    """How far to turn a page clockwise so its text reads upright: 0, 270 (its text runs down
    the page) or 90 (its text runs up).

    Text runs sideways when most neighbours in the stream stand one above the other in one
    column of glyphs rather than side by side on one line; the direction of their advance
    decides. (Glyphs are not trusted to say they are not upright: a text matrix turned by
    a quarter and mirrored, as typst writes, reads as upright to pdfminer.)"""
    boxes = [(c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars if c["text"].strip()]
    return sideways_of_boxes(np.array(boxes, dtype=np.float64).reshape(-1, 4))


def sideways_of_boxes(boxes: npt.NDArray[np.float64]) -> int:
    """:func:`sideways` of the boxes (x0, x1, top, bottom rows, in stream order) of a page's
    glyphs with visible text, all pairs of neighbours compared at once."""
    x0, x1, top, bottom = boxes[:-1].T
    next_x0, next_x1, next_top = boxes[1:, 0], boxes[1:, 1], boxes[1:, 2]
    stacked = (np.abs(x0 - next_x0) < 0.5) & (np.abs(x1 - next_x1) < 0.5) & (x1 - x0 > bottom - top - 1e-6) & (np.abs(top - next_top) > 0.1)
    down = int(np.count_nonzero(stacked & (next_top > top)))
    up = int(np.count_nonzero(stacked)) - down
    across = int(np.count_nonzero(~stacked & (np.abs(top - next_top) < 0.5)))
    if not down + up or down + up < SIDEWAYS * (down + up + across):
        return 0
    return 270 if down >= up else 90


def _stacked(a: Obj, b: Obj) -> bool:
    """Two glyphs one above the other in one column of glyphs (text running down or up)."""
    stacked: bool = abs(a["x0"] - b["x0"]) < 0.5 and abs(a["x1"] - b["x1"]) < 0.5 and abs(a["top"] - b["top"]) > 0.1
    return stacked


def _across(chars: list[Obj]) -> list[bool]:
    """Per glyph of a sideways page: does it read across the page as it is (a running head,
    a page number), not down or up it? Told by its neighbours in the stream, side by side on
    one line or stacked; a glyph alone by its box, taller than wide as an upright glyph is."""
    out = []
    for i, c in enumerate(chars):
        near = [chars[j] for j in (i - 1, i + 1) if 0 <= j < len(chars) and chars[j]["text"].strip()]
        if any(_stacked(c, o) for o in near):
            out.append(False)
        elif any(abs(c["top"] - o["top"]) < 0.5 for o in near):
            out.append(True)
        else:
            out.append(c["bottom"] - c["top"] > c["x1"] - c["x0"])
    return out


def _set_upright_in_run(chars: list[Obj]) -> dict[int, int]:
    """Glyphs that vertical text sets upright inside a sideways line ('×', '±', '°' in a
    word processor's vertical text): a glyph whose stream neighbours stand stacked in one
    column of glyphs, that lies in that column between them, and that runs as far along the
    line as the line is wide (an upright glyph's height; a raised mark in the line is as
    short as its own width). Maps each to a neighbour, whose place across the line it takes."""
    found: dict[int, int] = {}
    solid = [i for i, c in enumerate(chars) if c["text"].strip()]
    for k in range(1, len(solid) - 1):
        a, c, b = (chars[solid[j]] for j in (k - 1, k, k + 1))
        if _stacked(c, a) or _stacked(c, b) or not _stacked(a, b):
            continue
        lo, hi = min(a["x0"], b["x0"]), max(a["x1"], b["x1"])
        first, last = sorted((a, b), key=lambda g: g["top"])
        upright = abs((c["bottom"] - c["top"]) - (a["x1"] - a["x0"])) <= 0.1 * (a["x1"] - a["x0"])
        if upright and lo - 0.5 <= c["x0"] and c["x1"] <= hi + 0.5 and first["top"] - 0.5 <= c["top"] and c["bottom"] <= last["bottom"] + 0.5:
            found[solid[k]] = solid[k - 1]
    return found


def unturn_box(turn: int, width: float, height: float, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A box read on a page turned by ``turn`` back on the page as it is (``width`` and
    ``height`` of the page as it is)."""
    x0, top, x1, bottom = box
    if turn == 270:
        return width - bottom, x0, width - top, x1
    if turn == 90:
        return top, height - x1, bottom, height - x0
    return box


class TurnedPage:
    """A page presented turned by ``turn`` degrees clockwise (90 or 270), with the attributes
    layout code reads from a page (pdfplumber's names)."""

    def __init__(self, page: Any, turn: int) -> None:
        if turn not in (90, 270):
            raise ValueError(f"turn must be 90 or 270, not {turn}")
        self._page = page
        self.turn = turn
        self.page_number = page.page_number
        self.rotation = page.rotation
        self.width = float(page.height)
        self.height = float(page.width)
        self._cache: dict[str, list[Obj]] = {}

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A box of the page in the turned frame."""
        w, h = float(self._page.width), float(self._page.height)
        if self.turn == 270:  # text ran down: the page's top edge is the turned page's left
            return top, w - x1, bottom, w - x0
        return h - bottom, x0, h - top, x1

    def unturn(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A box of the turned frame back on the page as it is (the inverse of :meth:`box`)."""
        return unturn_box(self.turn, float(self._page.width), float(self._page.height), (x0, top, x1, bottom))

    def _turned(self, name: str) -> list[Obj]:
        if name not in self._cache:
            out = []
            objs = getattr(self._page, name)
            across = _across(objs) if name == "chars" else []
            inline = _set_upright_in_run(objs) if name == "chars" else {}
            for k, obj in enumerate(objs):
                x0, top, x1, bottom = self.box(obj["x0"], obj["top"], obj["x1"], obj["bottom"])
                if k in inline:  # set upright in a sideways line: once turned it stands on that line, its width centred in its box
                    near = objs[inline[k]]
                    top, bottom = self.box(near["x0"], near["top"], near["x1"], near["bottom"])[1::2]
                    middle, half = (x0 + x1) / 2, (obj["x1"] - obj["x0"]) / 2
                    x0, x1 = middle - half, middle + half
                new = {k: v for k, v in obj.items() if k not in ("pts", "matrix")}  # a matrix is of the page as it is
                new.update(x0=x0, x1=x1, top=top, bottom=bottom, width=x1 - x0, height=bottom - top, y0=self.height - bottom, y1=self.height - top)
                if name == "chars":  # what read across the page as it is (a running head) runs sideways once turned
                    new.update(size=bottom - top, upright=k in inline or not across[k])
                out.append(new)
            self._cache[name] = out
        return self._cache[name]

    def flush_cache(self) -> None:
        """Forget the turned lists and the page's own (re-read when asked for again)."""
        self._cache.clear()
        self._page.flush_cache()

    @property
    def chars(self) -> list[Obj]:
        return self._turned("chars")

    @property
    def lines(self) -> list[Obj]:
        return self._turned("lines")

    @property
    def rects(self) -> list[Obj]:
        return self._turned("rects")

    @property
    def curves(self) -> list[Obj]:
        return self._turned("curves")


class UprightPages(LazySequence[Any]):
    """A document's pages, each turned upright if need be when first asked for: a page's chars
    are read when the caller reads that page, never all pages' at once (see ``flush_cache``)."""

    def __init__(self, pages: Sequence[Any]) -> None:
        self._pages = pages
        self._shown: list[Any] = [None] * len(pages)

    def __len__(self) -> int:
        return len(self._pages)

    def item(self, index: int) -> Any:
        shown = self._shown[index]
        if shown is None:
            page = self._pages[index]
            turn = sideways_of_boxes(page.text_boxes) if isinstance(page, FastPage) else sideways(page.chars)
            shown = self._shown[index] = TurnedPage(page, turn) if turn else page
        return shown


class UprightDocument:
    """A document whose sideways pages are turned upright (the others are as they are)."""

    def __init__(self, document: Any) -> None:
        self._document = document
        self.pages = UprightPages(document.pages)

    @property
    def turned(self) -> dict[int, int]:
        """Page number -> turn, for the pages presented turned."""
        return {p.page_number: p.turn for p in self.pages if isinstance(p, TurnedPage)}

    def page_box(self, page: int, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box read from page ``page`` (1-based) in the page's own frame."""
        turned = self.pages[page - 1]
        return turned.unturn(*box) if isinstance(turned, TurnedPage) else box

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)

    def __enter__(self) -> UprightDocument:
        self._document.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._document.__exit__(*exc)
