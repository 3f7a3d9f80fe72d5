"""A PDFium-backed page source that reads like the part of pdfplumber's Page curate uses.

Why: pdfplumber parses every page in pure Python (pdfminer), 0.1-0.4 s a page, which is most
of curate's run time. PDFium (C++, through pypdfium2) parses the same page in milliseconds.
This module reads PDFium's text page and page objects and reports them as pdfplumber does, so
layout code written against pdfplumber's dicts runs unchanged on ``open_document(path)``:

- coordinates are pdfplumber's: origin at the top left of the MediaBox, the page's /Rotate
  applied (width and height swapped for 90 and 270);
- a char's box is pdfminer's, not PDFium's: as wide as the glyph's advance, exactly the font
  size high, its bottom at the font's descent below the baseline; ``size`` is that box's
  height, as pdfplumber reports it; ``descent`` is how far its bottom lies below the glyph's
  baseline (page units, along the glyph's up: the same in any frame the box is turned to), so
  layout can put glyphs of fonts with odd descents back on their line;
- a char carries the keys layout reads: ``text``, ``fontname``, ``size``, ``upright``,
  ``x0``, ``x1``, ``top``, ``bottom`` (and ``descent``); pdfplumber's ``object_type``,
  ``page_number``, ``width``, ``height``, ``y0`` and ``y1`` are left out (constant or
  derived, and read neither by layout nor by pdfplumber's table finder: six fewer entries in
  the dict made for every glyph);
- chars come in content-stream order (PDFium re-sorts the text objects of one line by x);
- ligatures PDFium splits into letters ("ﬁ" -> "f", "i") are joined again, line-end hyphens
  it turns into U+0002 are "-" again, and unmapped glyphs read "(cid:N)" as in pdfminer;
- paths are cut into subpaths at each moveto and classified as pdfminer does: one straight
  segment is a line, an axis-aligned closed 4-segment loop a rect, anything else a curve whose
  box spans its segment end points (Bezier control points left out, as pdfminer does).

Known differences from pdfplumber (0.15% of the chars of the 113 test pages, see
tests/test_fastpage.py):

- PDFium's text page drops a text object drawn twice at (nearly) the same place (fake bold),
  a space right after another space, and a text object with no visible glyph (a lone space);
  ActualText replaces the glyphs it covers (its chars laid out one after another over the
  span, where PDFium boxes them: a dot leader marked '. . .' may read a dot more or less than
  the glyphs drawn); a glyph pdfminer cannot map to Unicode but PDFium
  can (through the font's encoding) keeps PDFium's text;
- a font whose FontDescriptor gives Descent 0 (pdfminer takes it as is) gets PDFium's descent
  from the font program instead, so its chars sit up to ~0.2 em lower than pdfplumber's;
- whether a ligature reads "ﬁ" or "fi" (the font's ToUnicode) is not visible through PDFium's
  API; it is inferred from whether the font maps the ligature's code point;
- ``fontname`` lacks the subset prefix ("Times-Roman", not "ABCDEF+Times-Roman");
- inside a form XObject PDFium keeps the text state (char and word spacing...) in force at
  the Do, as the PDF spec says; pdfminer resets it;
- ``metadata`` holds only the standard Info keys with non-empty values.

PDFium is not thread-safe: use one document from one thread at a time.
"""

from __future__ import annotations

import ctypes
import re
from collections import deque
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from curate.extract.glyphnames import NamedGlyphs

Obj = dict[str, Any]

_VOIDP = ctypes.c_void_p
_INT = ctypes.c_int


def _lean(name: str, restype: Any, *argtypes: Any) -> Any:
    """PDFium's ``name`` with plain C argument types.

    Per-character calls dominate the run time; pypdfium2's prototypes type-check every pointer
    and return pointer objects, this one takes and returns plain integers (about 2x faster).
    """
    address = ctypes.cast(getattr(pdfium_c, name), _VOIDP).value
    if address is None:
        raise OSError(f"PDFium has no function {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _bare(name: str, restype: Any) -> Any:
    """PDFium's ``name`` for a (text page, index) call with no argument types at all: ctypes
    then passes a ``c_void_p`` handle as it is and an int as a C int, with no conversion
    object made per argument (a third faster again than :func:`_lean`, for the calls made
    once per character)."""
    return _lean(name, restype)


_is_generated = _bare("FPDFText_IsGenerated", _INT)
_get_unicode = _bare("FPDFText_GetUnicode", ctypes.c_uint)
_text_object = _bare("FPDFText_GetTextObject", ctypes.c_size_t)  # 0 for none
_unmapped = _bare("FPDFText_HasUnicodeMapError", _INT)
_char_origin = _lean("FPDFText_GetCharOrigin", _INT, _VOIDP, _INT, _VOIDP, _VOIDP)
_loose_box = _lean("FPDFText_GetLooseCharBox", _INT, _VOIDP, _INT, _VOIDP)
_path_segment = _lean("FPDFPath_GetPathSegment", _VOIDP, _VOIDP, _INT)
_segment_type = _lean("FPDFPathSegment_GetType", _INT, _VOIDP)
_segment_point = _lean("FPDFPathSegment_GetPoint", _INT, _VOIDP, _VOIDP, _VOIDP)
_segment_close = _lean("FPDFPathSegment_GetClose", _INT, _VOIDP)
_text_matrix = _lean("FPDFText_GetMatrix", _INT, _VOIDP, _INT, _VOIDP)
_font_size = _lean("FPDFText_GetFontSize", ctypes.c_double, _VOIDP, _INT)
_object_font = _lean("FPDFTextObj_GetFont", _VOIDP, _VOIDP)

#: What PDFium splits these ligatures into (its Unicode normalisation of U+FB00-U+FB06).
_LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "ſt": "\ufb05", "st": "\ufb06"}
#: A code point no font maps: its glyph width is what a failed reverse lookup gives.
_UNMAPPED = 0xFFFF
#: The only characters PDFium generates (word and line breaks).
_GENERATED = (0x20, 0x0D, 0x0A)
#: White space a font may map a glyph to (a word processor's tab): a gap, not a lost character.
_BLANK = (0x09, 0x0B, 0x0C)
#: PDFium's stand-in for a hyphen it moved to the end of a line.
_HYPHEN_MARK = 0x2
#: pdfminer's descents (per 1000) of the standard fonts, from their AFM files; PDFium's own
#: stand-in fonts have others.
_STANDARD_DESCENT = {
    **dict.fromkeys(("Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique"), -0.194),
    **dict.fromkeys(("CourierNew", "CourierNew,Italic", "CourierNew,Bold", "CourierNew,BoldItalic"), -0.194),
    **dict.fromkeys(("Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique"), -0.207),
    **dict.fromkeys(("Arial", "Arial,Italic", "Arial,Bold", "Arial,BoldItalic"), -0.207),
    **dict.fromkeys(("Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman"), -0.217),
    **dict.fromkeys(("TimesNewRoman", "TimesNewRoman,Italic", "TimesNewRoman,Bold", "TimesNewRoman,BoldItalic"), -0.217),
    "Symbol": 0.0,
    "ZapfDingbats": 0.0,
}
#: Standard metadata keys PDFium can read (it cannot list the Info dictionary's keys).
_METADATA_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped")


@dataclass(slots=True, frozen=True)
class _Display:
    """User space -> pdfplumber's page space (x right, top down), /Rotate applied.

    pdfminer maps user space through a CTM made from the MediaBox and /Rotate; pdfplumber then
    flips y and shifts by its own reading of the MediaBox. Both folded into one affine map:
    ``X = a*x + c*y + e``, ``T = b*x + d*y + f``.
    """

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    width: float
    height: float
    flip: float  # T + y (pdfminer's y) on every point: pdfplumber's y0/y1 from top/bottom
    rotation: int

    @classmethod
    def of(cls, mediabox: tuple[float, float, float, float], rotation: int) -> _Display:
        x0, y0, x1, y1 = mediabox
        if rotation == 90:
            ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
        elif rotation == 180:
            ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
        elif rotation == 270:
            ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
        else:
            ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
        lx, hx = sorted((x0, x1))
        ly, hy = sorted((y0, y1))
        left, low, right, high = (ly, lx, hy, hx) if rotation in (90, 270) else (lx, ly, hx, hy)
        height = high - low
        flip = height + (height - high)  # pdfplumber: top = height - y' + (height - high)
        ca, cb, cc, cd, ce, cf = ctm
        return cls(ca, -cb, cc, -cd, ce + left, flip - cf, right - left, height, flip, rotation)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f


@dataclass(slots=True)
class _Run:
    """What the chars of one text object share: font and the text-space -> page map (shared
    by the text objects of one font, size and matrix but for the matrix's translation)."""

    font: int
    fontname: str
    size: float  # font size in text space (Tf), unsigned
    tolerance: float  # how far a font width may miss PDFium's, in text space
    ax: float  # page X per text-space x
    at: float  # page top per text-space x
    xlo: float  # page X offsets of the box's bottom/top edges (skew, rotation)
    xhi: float
    tlo: float  # page top offsets of the box's bottom/top edges
    thi: float
    depth: float  # the box's bottom below the baseline, page units along the glyph's up
    upright: bool
    horizontal: bool  # the advance runs along page X (else along page top)
    aligned: bool  # and the glyphs stand square to it (no skew, no odd rotation)
    scale: float  # page units per text-space unit along that axis (signed)
    k1: float  # that page axis from a user-space box: k1 * x + k2 * y + offset
    k2: float
    offset: float


class FastPage:
    """One page: ``chars``, ``lines``, ``rects`` and ``curves`` as pdfplumber reports them.

    Each list is read on first use; the PDFium page is kept open until all four are read.
    :meth:`flush_cache` forgets them.
    """

    def __init__(self, document: FastDocument, index: int) -> None:
        self._document = document
        self._index = index
        self.page_number = index + 1
        self._page: pdfium.PdfPage | None = None
        self._display: _Display | None = None
        self._chars: list[Obj] | None = None
        self._text_boxes: npt.NDArray[np.float64] | None = None
        self._graphics: dict[str, list[Obj]] | None = None
        self._text_order: dict[int, int] = {}

    # --- geometry ------------------------------------------------------------------------

    @property
    def width(self) -> float:
        return self._geometry().width

    @property
    def height(self) -> float:
        return self._geometry().height

    @property
    def rotation(self) -> int:
        """The page's /Rotate, 0, 90, 180 or 270 (clockwise)."""
        return self._geometry().rotation

    def _open(self) -> pdfium.PdfPage:
        if self._page is None:
            self._page = self._document._pdf[self._index]
        return self._page

    def _geometry(self) -> _Display:
        if self._display is None:
            page = self._open()
            rotation = pdfium_c.FPDFPage_GetRotation(page.raw) * 90
            self._display = _Display.of(_mediabox(page), rotation)
        return self._display

    # --- chars ---------------------------------------------------------------------------

    @property
    def chars(self) -> list[Obj]:
        if self._chars is None:
            self._walk()
            textpage = pdfium_c.FPDFText_LoadPage(self._open().raw)
            try:
                reader = _TextReader(textpage, self._geometry(), self._text_order)
                self._chars = reader.chars()
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
            self._release()
            texts = reader.texts
            if reader.unread:
                _name_unread(self._chars, self._document.named_glyphs, self._index)
                texts = [c["text"] for c in self._chars]
            self._text_boxes = reader.boxes[~np.fromiter(map(str.isspace, texts), dtype=bool, count=len(texts))]  # no text is empty
        return self._chars

    @property
    def text_boxes(self) -> npt.NDArray[np.float64]:
        """x0, x1, top and bottom (columns) of the chars whose text is not blank, in the order
        of ``chars``: for tests over a whole page's glyphs (:func:`curate.extract.upright.sideways`)
        without a Python object per glyph."""
        _ = self.chars  # read with them
        assert self._text_boxes is not None
        return self._text_boxes

    # --- graphics ------------------------------------------------------------------------

    @property
    def lines(self) -> list[Obj]:
        return self._read_graphics()["line"]

    @property
    def rects(self) -> list[Obj]:
        return self._read_graphics()["rect"]

    @property
    def curves(self) -> list[Obj]:
        return self._read_graphics()["curve"]

    def _read_graphics(self) -> dict[str, list[Obj]]:
        if self._graphics is None:
            self._walk()
            self._release()
        assert self._graphics is not None
        return self._graphics

    def _walk(self) -> None:
        """One pass over the page objects, forms entered: text objects' order, and paths."""
        if self._graphics is not None:
            return
        page = self._open()
        found: dict[str, list[Obj]] = {"line": [], "rect": [], "curve": []}
        identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        count = pdfium_c.FPDFPage_CountObjects(page.raw)
        self._visit([pdfium_c.FPDFPage_GetObject(page.raw, i) for i in range(count)], identity, found)
        self._graphics = found

    def _visit(self, objects: list[Any], outer: tuple[float, ...], found: dict[str, list[Obj]]) -> None:
        matrix = pdfium_c.FS_MATRIX()
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                self._text_order[ctypes.cast(obj, _VOIDP).value or 0] = len(self._text_order)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                inner = _concat((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                self._visit([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)], inner, found)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                self._path(obj, _concat((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer), found)

    def _path(self, obj: Any, m: tuple[float, ...], found: dict[str, list[Obj]]) -> None:
        """A painted path, cut into subpaths, each a line, rect or curve as pdfminer has it."""
        fill_mode, stroke = _INT(), _INT()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        if not fill_mode.value and not stroke.value:
            return  # pdfminer paints nothing for "n" (a clip path)
        g = self._geometry()
        a, b, c, d, e, f = m
        px, py = ctypes.c_float(), ctypes.c_float()
        px_at, py_at = ctypes.addressof(px), ctypes.addressof(py)
        handle = ctypes.cast(obj, _VOIDP).value
        subpaths: list[tuple[str, list[tuple[float, float]]]] = []
        shape, points = "", list[tuple[float, float]]()
        bezier = 0
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = _path_segment(handle, k)
            kind = _segment_type(segment)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                bezier = (bezier + 1) % 3
                if bezier:  # control points: pdfminer keeps only a curve's end point
                    continue
            _segment_point(segment, px_at, py_at)
            x, y = px.value, py.value
            point = g.point(a * x + c * y + e, b * x + d * y + f)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                if shape:
                    subpaths.append((shape, points))
                shape, points = "m", [point]
            elif not shape:
                continue  # no subpath without a moveto (pdfminer skips such a start)
            else:
                shape += "c" if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO else "l"
                points.append(point)
            if _segment_close(segment) and points:
                shape += "h"
                points.append(points[0])
        if shape:
            subpaths.append((shape, points))
        if len(subpaths) > 1:  # pdfminer splits on "m" and drops a moveto with nothing after
            subpaths = [(shape, points) for shape, points in subpaths if shape != "m"]
        for shape, points in subpaths:
            kind, drawn = _classify(shape, points)
            drawn.update(object_type=kind, page_number=self.page_number, stroke=bool(stroke.value), fill=bool(fill_mode.value), evenodd=fill_mode.value == pdfium_c.FPDF_FILLMODE_ALTERNATE)
            drawn["y0"], drawn["y1"] = g.flip - drawn["bottom"], g.flip - drawn["top"]
            found[kind].append(drawn)

    # --- lifetime ------------------------------------------------------------------------

    def _release(self) -> None:
        """Close the PDFium page once everything this page reports has been read."""
        if self._chars is not None and self._graphics is not None:
            self.close()

    def close(self) -> None:
        """Free the PDFium page (read lists are kept)."""
        if self._page is not None:
            self._page.close()
            self._page = None

    def flush_cache(self) -> None:
        """Forget the lists read so far (as pdfplumber's ``Page.flush_cache``): a caller done
        with a page frees its chars, so that memory does not grow with the number of pages.
        A list asked for again is read again."""
        self.close()
        self._chars = None
        self._text_boxes = None
        self._graphics = None
        self._text_order = {}


class _TextReader:
    """PDFium's text page of one page -> pdfplumber's char dicts.

    PDFium gives each character's origin, Unicode and text object; the rest of pdfminer's box
    comes from the text object (matrix, font size, font descent) and the glyph's advance.

    Each per-character PDFium call is made for all characters at once (``map`` over the
    indices, no Python frame per call) and the boxes are worked out on arrays: per-character
    Python is what made reading chars cost as much as the rest of layout.
    """

    def __init__(self, textpage: Any, display: _Display, text_order: dict[int, int]) -> None:
        self._textpage = textpage
        self._tp = ctypes.cast(textpage, _VOIDP).value
        self._handle = _VOIDP(self._tp)  # for the _bare calls
        self._display = display
        self._text_order = text_order
        self._objects: list[int] = []  # the page's text objects, in their first char's order
        self._runs: list[_Run] = []  # per text object of the page, in its first char's order
        self._styles: dict[tuple[float, ...], _Run] = {}  # font, size, matrix -> their run
        self._widths: dict[int, dict[str, float | None]] = {}  # font -> text -> width at 1 pt
        self._fonts: dict[int, tuple[str, float]] = {}  # font -> name, descent
        self._matrix = pdfium_c.FS_MATRIX()
        self._matrix_at = ctypes.addressof(self._matrix)
        self.unread = False  # a glyph read "(cid:N)"
        self.texts: list[str] = []  # of the chars, in their order
        self.boxes = np.empty((0, 4))  # x0, x1, top, bottom of the chars, in their order

    def chars(self) -> list[Obj]:
        """All characters but PDFium's generated spaces and line breaks, in stream order."""
        found = self._glyphs()
        if found is None:
            return []
        index, texts, single, x, y, of_run = found
        runs = self._runs
        g = self._display

        table = np.array([(r.scale, r.k1, r.k2, r.size, r.tolerance, r.ax, r.at, r.xlo, r.xhi, r.tlo, r.thi, r.horizontal) for r in runs], dtype=np.float64)[of_run]
        scale, k1, k2, size, tolerance, ax, at, xlo, xhi, tlo, thi, horizontal = table.T
        X, T = g.a * x + g.c * y + g.e, g.b * x + g.d * y + g.f
        # Most glyphs: the font's width, confirmed by where the next glyph of the text object
        # starts (the first test of _advance, on all glyphs at once).
        follows = np.zeros(len(x), dtype=bool)
        follows[:-1] = of_run[1:] == of_run[:-1]
        step = np.full(len(x), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            step[:-1] = (k1[:-1] * (x[1:] - x[:-1]) + k2[:-1] * (y[1:] - y[:-1])) / scale[:-1]
        font_width = self._font_widths(single, of_run) * size
        ligature = np.zeros(len(x), dtype=bool)  # a ligature whose code point the font maps
        for i in np.flatnonzero(single < 0).tolist():
            if texts[i] in _LIGATURES:
                font_width[i], ligature[i] = self._ligature_width(runs[of_run[i]], texts[i])
        moving = scale != 0
        settled = follows & moving & (np.abs(step - font_width) <= tolerance)
        width = np.where(settled, font_width, 0.0)
        # The rest: the font's width checked against PDFium's loose boxes, all at once.
        todo = np.flatnonzero(moving & ~settled)
        origin = np.where(horizontal != 0, X, T)
        width[todo] = self._box_widths(np.array(index)[todo], origin[todo], font_width[todo], np.where(follows, step, np.nan)[todo], of_run[todo], k1[todo], k2[todo], scale[todo], size[todo], tolerance[todo])
        for i in np.flatnonzero(moving & ligature & (width > 0)).tolist():  # a ligature the font maps as one code point: pdfminer reads that
            texts[i] = _LIGATURES[texts[i]]
        wx, wt = width * ax, width * at
        x0 = np.where(wx < 0, X + wx, X) + xlo
        x1 = np.where(wx < 0, X, X + wx) + xhi
        top = np.where(wt < 0, T + wt, T) + tlo
        bottom = np.where(wt < 0, T, T + wt) + thi
        order = np.array([self._text_order.get(o, len(self._text_order)) for o in self._objects], dtype=np.int64)[of_run]
        if np.any(order[1:] < order[:-1]):  # stable: within a text object, PDFium's order (its index)
            sorting = np.argsort(order, kind="stable")
            x0, x1, top, bottom, of_run = x0[sorting], x1[sorting], top[sorting], bottom[sorting], of_run[sorting]
            texts = [texts[i] for i in sorting.tolist()]
        height = bottom - top
        self.texts, self.boxes = texts, np.column_stack((x0, x1, top, bottom))
        runs_of = of_run.tolist()
        return [
            {
                "text": text,
                "fontname": run.fontname,
                "size": h,
                "upright": run.upright,
                "x0": a,
                "x1": b,
                "top": t,
                "bottom": d,
                "descent": run.depth,
            }
            for text, run, a, b, t, d, h in zip(
                texts,
                [runs[r] for r in runs_of],
                x0.tolist(),
                x1.tolist(),
                top.tolist(),
                bottom.tolist(),
                height.tolist(),
            )
        ]

    def _glyphs(self) -> tuple[list[int], list[str], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.intp]] | None:
        """Each glyph in PDFium's order, its pieces joined again: the index of its first char,
        its text, the code point of a one-character text (else -1), its origin (x, y) and its
        run (index into ``self._runs``); None if there is none."""
        tp = self._handle
        count = pdfium_c.FPDFText_CountChars(self._textpage)
        if count <= 0:
            return None
        every = range(count)
        codes = np.fromiter(map(_get_unicode, repeat(tp, count), every), dtype=np.int64, count=count)
        objects = np.fromiter(map(_text_object, repeat(tp, count), every), dtype=np.uint64, count=count)
        origins = (ctypes.c_double * (2 * count))()
        at = ctypes.addressof(origins)
        deque(map(_char_origin, repeat(tp, count), every, range(at, at + 16 * count, 16), range(at + 8, at + 16 * count, 16)), maxlen=0)
        xy = np.frombuffer(memoryview(origins), dtype=np.float64).copy()
        keep = np.ones(count, dtype=bool)
        maybe = np.flatnonzero(np.isin(codes, _GENERATED)).tolist()
        if maybe:
            keep[maybe] = np.fromiter(map(_is_generated, repeat(tp, len(maybe)), maybe), dtype=np.int64, count=len(maybe)) == 0
        kept = np.flatnonzero(keep)
        if not len(kept):
            return None
        x, y, objects, codes = xy[0::2][kept], xy[1::2][kept], objects[kept], codes[kept]
        # PDFium's pieces of one ligature glyph share its origin (and text object)
        piece = np.zeros(len(kept), dtype=bool)
        piece[1:] = (objects[1:] == objects[:-1]) & (x[1:] == x[:-1]) & (y[1:] == y[:-1])
        if piece.any():
            self._spread(kept, piece, x, y)
        glyph = ~piece
        index = kept[glyph].tolist()
        first = codes[glyph].tolist()
        texts = list(map(chr, first))
        single = codes[glyph]
        mapped = np.flatnonzero(single).tolist()
        failed = np.fromiter(map(_unmapped, repeat(tp, len(mapped)), [index[i] for i in mapped]), dtype=np.int64, count=len(mapped))
        unread = single == 0
        unread[[mapped[k] for k in np.flatnonzero(failed).tolist()]] = True
        for i in np.flatnonzero(~unread & (single == _HYPHEN_MARK)).tolist():
            if pdfium_c.FPDFText_IsHyphen(self._textpage, index[i]):
                texts[i] = "-"
                single[i] = ord("-")
        # a control character (PDFium's hyphen mark not a hyphen) is a font's raw code passed
        # through (no ToUnicode): no text; white space among them is a gap pdfminer also reads as such
        unread |= ((single > 0) & (single < 0x20) & ~np.isin(single, _GENERATED + _BLANK)) | ((single >= 0x7F) & (single <= 0x9F))
        for i in np.flatnonzero(unread).tolist():
            texts[i] = f"(cid:{first[i]})"
            single[i] = -1
            self.unread = True
        if piece.any():
            of_glyph = (np.cumsum(glyph) - 1).tolist()
            for p, code in zip(np.flatnonzero(piece).tolist(), codes[piece].tolist()):
                texts[of_glyph[p]] += chr(code)
                single[of_glyph[p]] = -1
            for i in set(of_glyph[p] for p in np.flatnonzero(piece).tolist()):
                if (shifted := _byte_shifted(texts[i])) is not None:
                    texts[i] = shifted
                    self.unread = self.unread or shifted.startswith("(cid:")
        ids, firsts, of_run = np.unique(objects[glyph], return_index=True, return_inverse=True)
        self._objects = ids.tolist()
        self._runs = [self._run(index[f], o) for o, f in zip(self._objects, firsts.tolist())]
        return index, texts, single, x[glyph], y[glyph], of_run.reshape(-1)

    def _spread(self, kept: npt.NDArray[np.intp], piece: npt.NDArray[np.bool_], x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> None:
        """Chars of an ActualText span are no ligature's pieces: PDFium gives them all the span's
        origin but lays their boxes out one after another over the span (a dot leader ". . . ."
        set as one marked span), where a ligature's pieces share the ligature's box. Such chars
        become glyphs of their own, each moved off the shared origin as far as its box lies from
        the first one's (in place: ``piece`` cleared, ``x`` and ``y`` moved)."""
        at = np.flatnonzero(piece)
        wanted = np.unique(np.concatenate((at - 1, at)))
        left, top, right, bottom = self._loose_boxes(kept[wanted].tolist())
        slot = {k: j for j, k in enumerate(wanted.tolist())}
        pieces = set(at.tolist())
        first = 0
        for k in at.tolist():
            if k - 1 not in pieces:
                first = slot[k - 1]  # the span's (or the ligature's) first char
            a, b = slot[k - 1], slot[k]
            tol = 0.05 * max(right[b] - left[b], top[b] - bottom[b])
            apart = left[b] >= right[a] - tol or right[b] <= left[a] + tol or bottom[b] >= top[a] - tol or top[b] <= bottom[a] + tol
            if apart and right[b] - left[b] > 0:
                piece[k] = False
                x[k] += (left[b] + right[b] - left[first] - right[first]) / 2
                y[k] += (bottom[b] + top[b] - bottom[first] - top[first]) / 2

    def _loose_boxes(self, index: list[int]) -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
        """PDFium's loose boxes of the chars ``index`` as rows left, top, right, bottom (PDF
        space), fetched in one batch (``map`` over the indices, no Python frame per call)."""
        count = len(index)
        boxes = (ctypes.c_float * (4 * count))()
        at = ctypes.addressof(boxes)
        deque(map(_loose_box, repeat(self._tp, count), index, range(at, at + 16 * count, 16)), maxlen=0)
        return np.frombuffer(memoryview(boxes), dtype=np.float32).astype(np.float64).reshape(count, 4).T

    def _box_widths(
        self,
        index: npt.NDArray[np.int64],
        origin: npt.NDArray[np.float64],
        expected: npt.NDArray[np.float64],
        step: npt.NDArray[np.float64],
        of_run: npt.NDArray[np.intp],
        k1: npt.NDArray[np.float64],
        k2: npt.NDArray[np.float64],
        scale: npt.NDArray[np.float64],
        size: npt.NDArray[np.float64],
        tolerance: npt.NDArray[np.float64],
    ) -> npt.NDArray[np.float64]:
        """Advances in text space of the glyphs whose font width (``expected``, NaN: unknown) the
        next glyph of their text object did not confirm (``step``: where it starts, NaN: none),
        the font's width checked against PDFium's boxes.

        The font's width comes from a reverse Unicode lookup, which can land on another glyph
        (or on none, for "(cid:N)" and the letters PDFium splits a ligature into), often one
        of zero width. PDFium's loose box runs from the origin to the advance's end, joined with
        the glyph's own box, so it bounds the advance from above, and gives it exactly where the
        glyph stops short.
        """
        left, top, right, bottom = self._loose_boxes(index.tolist())
        one, two = k1 * left + k2 * bottom, k1 * right + k2 * top
        low, high = np.where(two < one, two, one), np.where(two > one, two, one)  # (as min and max take a NaN)
        far = np.where(scale > 0, high, low)
        with np.errstate(divide="ignore", invalid="ignore"):
            bound = np.abs(far + np.array([run.offset for run in self._runs], dtype=np.float64)[of_run] - origin) / np.abs(scale)
        unknown = np.isnan(expected) | (expected == 0)  # or zero, where the next glyph does not start here: a miss
        askew = ~np.array([run.aligned for run in self._runs], dtype=bool)[of_run]  # the loose box's far edge is a corner of the rotated font box
        agrees = (high - low < 1e-3) | (np.abs(expected - bound) <= tolerance)  # (or a PDFium without loose boxes for this glyph)
        # The next glyph starts where PDFium's box ends, not where the font's width says: the
        # lookup landed on a twin glyph of the same text (a superscript or small-cap form).
        twin = (np.abs(step - bound) <= 0.1 * size) & (0.1 * size < np.abs(step - expected))
        short = expected > bound
        width = np.select([unknown, askew | agrees, twin, short], [bound, expected, np.where(bound < step, bound, step), bound], expected)
        for j in np.flatnonzero(~(unknown | askew | agrees | twin | short)).tolist():  # unless the glyph overhangs its advance
            glyph = self._glyph_box(index[j])
            a, b = k1[j] * glyph.left + k2[j] * glyph.bottom, k1[j] * glyph.right + k2[j] * glyph.top
            glyph_far = max(a, b) if scale[j] > 0 else min(a, b)
            if abs(far[j] - glyph_far) > 0.01:
                width[j] = bound[j]
        return width

    def _ligature_width(self, run: _Run, text: str) -> tuple[float, bool]:
        """The font's width (NaN: unknown) of the ligature PDFium split into the letters
        ``text``, and whether the font maps the ligature's own code point (else NaN, False)."""
        if (lig := self._glyph_width(run, _LIGATURES[text])) != self._glyph_width(run, chr(_UNMAPPED)):
            return (np.nan if lig is None else lig), True
        return np.nan, False

    def _font_widths(self, single: npt.NDArray[np.int64], of_run: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """Each glyph's width at 1 pt by its font's widths (NaN: not one character, or not in
        the font), each distinct character of a font looked up once (:meth:`_font_width`)."""
        fonts: dict[int, int] = {}
        font_of_run = np.array([fonts.setdefault(run.font, len(fonts)) for run in self._runs], dtype=np.int64)
        keys = np.where(single >= 0, font_of_run[of_run] * 0x110000 + single, -1)
        distinct, where = np.unique(keys, return_inverse=True)
        font_at = list(fonts)
        widths = [np.nan if key < 0 else self._font_width(font_at[key // 0x110000], chr(key % 0x110000)) for key in distinct.tolist()]
        return np.array([np.nan if w is None else w for w in widths], dtype=np.float64)[where.reshape(-1)]

    def _run(self, index: int, obj: int) -> _Run:
        """The shared part of the chars of text object ``obj`` (its first char is ``index``)."""
        matrix = self._matrix
        _text_matrix(self._tp, index, self._matrix_at)
        size = _font_size(self._tp, index)
        font_at = (_object_font(obj) or 0) if obj else 0
        style = (font_at, size, matrix.a, matrix.b, matrix.c, matrix.d)
        if (known := self._styles.get(style)) is not None:
            return known
        fontname, descent = self._fonts.get(font_at) or self._font(ctypes.cast(font_at, pdfium_c.FPDF_FONT) if font_at else None, font_at)
        g = self._display
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        ax, cx = a * g.a + b * g.c, c * g.a + d * g.c
        at, ct = a * g.b + b * g.d, c * g.b + d * g.d
        low = -abs(descent) * size  # pdfminer: the box spans [descent, descent + size]
        high = low + size
        horizontal = abs(ax) >= abs(at)  # the axis the advance runs along on the page
        run = self._styles[style] = _Run(
            font=font_at,
            fontname=fontname,
            size=abs(size),
            tolerance=0.01 * abs(size) + 1e-3,
            ax=ax,
            at=at,
            xlo=min(low * cx, high * cx),
            xhi=max(low * cx, high * cx),
            tlo=min(low * ct, high * ct),
            thi=max(low * ct, high * ct),
            depth=-low * (cx * cx + ct * ct) ** 0.5,
            upright=ax * -ct > 0 and -at * cx <= 0,  # pdfminer's test, on its y-up matrix
            horizontal=horizontal,
            aligned=abs(cx if horizontal else ct) <= 1e-6 * abs(ax if horizontal else at),
            scale=ax if horizontal else at,
            k1=g.a if horizontal else g.b,
            k2=g.c if horizontal else g.d,
            offset=g.e if horizontal else g.f,
        )
        return run

    def _font(self, font: Any, font_at: int) -> tuple[str, float]:
        """Name and descent (at 1 pt) of a font, read once per font of the page."""
        fontname, descent = "unknown", 0.0
        if font:
            fontname = _font_name(font)
            if fontname in _STANDARD_DESCENT and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                descent = _STANDARD_DESCENT[fontname]
            else:
                out = ctypes.c_float(0.0)
                pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), out)
                descent = out.value
        self._fonts[font_at] = fontname, descent
        return fontname, descent

    def _glyph_box(self, index: int) -> Any:
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        pdfium_c.FPDFText_GetCharBox(self._textpage, index, left, right, bottom, top)
        box = pdfium_c.FS_RECTF()
        box.left, box.right, box.bottom, box.top = left.value, right.value, bottom.value, top.value
        return box

    def _glyph_width(self, run: _Run, text: str) -> float | None:
        """Advance of ``text``'s glyph in text space from the font's widths."""
        width = self._font_width(run.font, text)
        return None if width is None else width * run.size

    def _font_width(self, font: int, text: str) -> float | None:
        """Advance of ``text``'s glyph at 1 pt in the font at ``font`` (cached per font)."""
        widths = self._widths.setdefault(font, {})
        if text not in widths:
            out = ctypes.c_float()
            ok = font and pdfium_c.FPDFFont_GetGlyphWidth(ctypes.cast(font, pdfium_c.FPDF_FONT), ord(text), ctypes.c_float(1.0), out)
            widths[text] = out.value if ok else None
        return widths[text]


class FastDocument:
    """An open PDF: ``pages`` (FastPage) and ``metadata``, as pdfplumber's PDF offers them."""

    def __init__(self, path: str | Path) -> None:
        self._pdf = pdfium.PdfDocument(str(path))
        self.named_glyphs = NamedGlyphs(path)
        self.pages = [FastPage(self, i) for i in range(len(self._pdf))]
        self.metadata: dict[str, str] = {k: v for k in _METADATA_KEYS if (v := self._pdf.get_metadata_value(k))}

    def close(self) -> None:
        for page in self.pages:
            page.close()
        self.named_glyphs.close()
        self._pdf.close()

    def __enter__(self) -> FastDocument:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_document(path: str | Path) -> FastDocument:
    """Open ``path`` for reading; use as a context manager (``with open_document(p) as doc``)."""
    return FastDocument(path)


# --- helpers -------------------------------------------------------------------------------


def _mediabox(page: pdfium.PdfPage) -> tuple[float, float, float, float]:
    """The page's own MediaBox as written; PDFium's bounding box when it is inherited."""
    box = [ctypes.c_float() for _ in range(4)]
    if pdfium_c.FPDFPage_GetMediaBox(page.raw, *box):
        return box[0].value, box[1].value, box[2].value, box[3].value
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDF_GetPageBoundingBox(page.raw, rect)
    return rect.left, rect.bottom, rect.right, rect.top


def _font_name(font: Any) -> str:
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


#: A glyph read as no character ("(cid:N)", pdfminer's spelling), its code N.
UNREAD = re.compile(r"\(cid:(\d+)\)")


def _byte_shifted(text: str) -> str | None:
    """What a glyph's text of several characters reads, when its ToUnicode entry was written
    one byte off (Ghostscript's pdfwrite, 9.5x-10.0x, on a ligature it re-prints: 'ti' as
    <74006900>, read U+7400 U+6900 "琀椀"): the bytes shifted back ("ti"); "(cid:N)" when they
    are no printable ASCII (the entry is cut short: 'ffi' as <6600cf00>); None if the text is
    not so written. Every code point ends in a zero byte: one glyph is never several CJK
    ideographs."""
    codes = [ord(c) for c in text]
    if len(codes) < 2 or any(c & 0xFF or c < 0x2100 for c in codes):
        return None
    shifted = "".join(chr(c >> 8) for c in codes)
    return shifted if shifted.isascii() and shifted.isprintable() else f"(cid:{codes[0]})"


def _name_unread(chars: list[Obj], named: NamedGlyphs, index: int) -> None:
    """Read a "(cid:N)" glyph of page ``index`` as the character its font's encoding names it
    by, where that name is a known one (the Adobe Glyph List or TeX's math names: see glyphnames)."""
    for char in chars:
        # a glyph drawn over it at its origin (TeX's \not over "∈") is appended: "(cid:54)∈"
        unread = UNREAD.match(char["text"])
        if unread and (found := named.char(index, char["fontname"], int(unread[1]))):
            char["text"] = found + char["text"][unread.end() :]


def _concat(m1: tuple[float, ...], m0: tuple[float, ...]) -> tuple[float, ...]:
    """``m1`` then ``m0`` (PDF's row-vector convention: m1 x m0)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a1 * a0 + b1 * c0, a1 * b0 + b1 * d0, c1 * a0 + d1 * c0, c1 * b0 + d1 * d0, e1 * a0 + f1 * c0 + e0, e1 * b0 + f1 * d0 + f0)


def _classify(shape: str, points: list[tuple[float, float]]) -> tuple[str, Obj]:
    """pdfminer's paint_path for one subpath (points already on the page, top down)."""
    if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
        shape, points = shape[:-2] + "h", points[:-1]  # drop a redundant lineto before "h"
    if shape in ("ml", "mlh"):
        return "line", _bbox(points[:2])
    if shape in ("mlllh", "mllll"):
        (x0, t0), (x1, t1), (x2, t2), (x3, t3), last = points
        square = (x0 == x1 and t1 == t2 and x2 == x3 and t3 == t0) or (t0 == t1 and x1 == x2 and t2 == t3 and x3 == x0)
        if last == points[0] and square:
            return "rect", _bbox([points[0], points[2]])
    return "curve", _bbox(points)


def _bbox(points: list[tuple[float, float]]) -> Obj:
    xs = [p[0] for p in points]
    ts = [p[1] for p in points]
    x0, x1, top, bottom = min(xs), max(xs), min(ts), max(ts)
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top, "pts": points}
