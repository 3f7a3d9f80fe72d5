#!/usr/bin/env python3
"""Build the table layout zoo: the same tables printed by several producers in several styles.

Every document is described once (its layout, its tables and the style of each) and printed
by nine producers: reportlab, HTML printed to PDF by headless Chromium, typst, an
OpenDocument text printed by LibreOffice Writer (a word processor's tables, set as Word sets
them: see ``render_writer``), groff (ms and tbl: ``render_groff``), pdfLaTeX and XeLaTeX
(an article with booktabs, colortbl, tabularx, threeparttable, rotating, pdflscape and
longtable: ``render_latex``; Latin Modern in Type 1, C059 in OpenType), the Chromium HTML
printed by WeasyPrint (its own layout engine and PDF writer) and XSL-FO printed by Apache FOP
(the route of many publishers' JATS pipelines: ``render_fop``). Styles: full grid, booktabs, one header rule only, no rules,
zebra rows, every cell shaded; layouts: one column, two columns with tables in a column and
full width between column runs, a sideways page (the table turned on a portrait page;
Writer: a page of vertical text under an upright running head) and a landscape page
(reportlab: turned by /Rotate, the others: a landscape page size), a table over three pages
with and without a repeated header (with a "(continued)" caption where the producer can
print one: Chromium, WeasyPrint and Writer cannot). Pages carry running heads, page numbers, captions
above tables, notes below and neutral filler prose written here. A tight variety (reportlab,
Chromium, WeasyPrint and FOP, ``tight-<document>``) prints the documents again with table cells in smaller type and
narrow padding (``DENSITY``); an airy variety (Writer only, ``airy-<document>``) with Word's
Normal paragraph style left on the cells (``WRITER_CELLS``).

Writes ``pdfs/<producer>-<document>.pdf``, ``expected/<producer>-<document>/table_<n>.csv``
(n = the table's number in its caption) and ``manifest.json`` (per table: pdf, caption,
producer, style, layout, pages and the box of each part). The box is measured in the
printed PDF: table cell text is drawn in a colour one step off black, distinct per table
((0, 0, n/255), invisible to a reader), and the part of a table on a page is the box of
the characters of that colour there.

reportlab output is byte-identical from run to run; the other producers' is not guaranteed
to be, so the committed PDFs are the test inputs (CI installs none of those producers). The
committed zoo is kept under 9 MB (tests/test_zoo.py): of WeasyPrint's documents (about 20 kB
each, fonts subset) only a sample is committed, and of FOP's the normal ones (``COMMITTED``); ``--unsampled --out DIR``
prints every document of every producer into another folder, which
``benchmarks/bench_zoo.py --zoo DIR`` scores.

Usage: python examples/zoo/generate.py [--out examples/zoo] [--producers reportlab,chromium,typst,libreoffice,groff,latex,xelatex,weasyprint,fop] [--docs grid,...] [--unsampled]
Needs the ``zoo`` extra (reportlab, typst, fonttools, weasyprint), Chromium (Debian package ``chromium``),
LibreOffice Writer with the Carlito font (Debian packages ``libreoffice-writer-nogui`` and
``fonts-crosextra-carlito``), groff (``groff``), pdfLaTeX with Latin Modern (``texlive-latex-base``,
``texlive-latex-recommended``, ``texlive-latex-extra``, ``texlive-fonts-recommended``, ``lmodern``)
XeLaTeX with C059 (``texlive-xetex``, ``fonts-urw-base35``), WeasyPrint (PyPI ``weasyprint``,
with the machine's pango) and Apache FOP (Debian ``fop``, with Java);
e.g. ``--producers latex`` redoes only LaTeX's PDFs. WeasyPrint's and FOP's committed PDFs
were printed by WeasyPrint 70.0 (pydyf 0.13.0, pango 1.50) and FOP 2.8 (Debian 1:2.8-2, OpenJDK 17).
"""

from __future__ import annotations

import argparse
import csv
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import Spec, all_tables, plain  # noqa: E402

HERE = Path(__file__).resolve().parent
JOURNAL = "Journal of Synthetic Examples"
STYLES = ("grid", "booktabs", "headerrule", "norules", "zebra", "shaded")
PRODUCERS = ("reportlab", "chromium", "typst", "libreoffice", "groff", "latex", "xelatex", "weasyprint", "fop")
#: troff cannot shade a table cell or turn a page's text (see ``render_groff``).
NO_GROFF = tuple(p for p in PRODUCERS if p != "groff")
SUP = re.compile(r"\^(\w+)")


@dataclass(frozen=True)
class Placed:
    """One table of a document: which, in what style, where (``column`` or ``full`` width in a
    two-column layout), whether a page break repeats its header and captions it "(continued)"."""

    key: str
    style: str
    place: str = "full"
    repeat: bool = False
    continued: bool = False


@dataclass(frozen=True)
class Doc:
    """A document: its name, layout (``single``, ``twocol``, ``sideways``, ``landscape``, ``long``),
    tables, how densely their cells are set (a key of ``DENSITY``, for Writer of ``WRITER_CELLS``)
    and the producers that print it."""

    name: str
    layout: str
    tables: tuple[Placed, ...]
    density: str = "normal"
    producers: tuple[str, ...] = PRODUCERS


#: Table cell type per density: (font size and leading, cell padding) as factors of the normal
#: setting. "tight" is smaller type in narrow cells, so gutters between columns shrink to a few
#: points: a probe of how far reading a table depends on generous spacing.
DENSITY = {"normal": (1.0, 1.0), "tight": (0.85, 0.35)}

NORMAL = (
    Doc("grid", "single", (Placed("vinski2023-1", "grid"), Placed("baseline", "grid"))),
    Doc("booktabs", "single", (Placed("estimates", "booktabs"), Placed("subgroups", "booktabs"))),
    Doc("headerrule", "single", (Placed("baseline", "headerrule"), Placed("zhang2019-1", "headerrule"))),
    Doc("norules", "single", (Placed("vinski2023-2", "norules"), Placed("estimates", "norules"), Placed("subgroups", "norules"))),
    Doc("zebra", "single", (Placed("baseline", "zebra"), Placed("vinski2023-1", "zebra")), producers=NO_GROFF),
    Doc("shaded", "single", (Placed("estimates", "shaded"), Placed("vinski2023-2", "shaded")), producers=NO_GROFF),
    Doc("twocol-booktabs", "twocol", (Placed("vinski2023-1", "booktabs", "column"), Placed("subgroups", "booktabs"), Placed("vinski2023-2", "booktabs", "column"))),
    Doc("twocol-norules", "twocol", (Placed("vinski2023-1", "norules", "column"), Placed("subgroups", "norules"), Placed("vinski2023-2", "norules", "column"))),
    Doc("twocol-headerrule", "twocol", (Placed("adverse", "headerrule", "column"), Placed("estimates", "headerrule"), Placed("baseline", "headerrule", "column"))),
    Doc("sideways-grid", "sideways", (Placed("zhang2019-1", "grid"),), producers=NO_GROFF),
    Doc("sideways-norules", "sideways", (Placed("zhang2019-1", "norules"),), producers=NO_GROFF),
    Doc("landscape-booktabs", "landscape", (Placed("zhang2019-1", "booktabs"),)),
    Doc("long-repeat", "long", (Placed("matsuoka2025-1", "headerrule", repeat=True, continued=True),)),
    Doc("long-norepeat", "long", (Placed("matsuoka2025-1", "norules"),)),
    Doc("long-zebra", "long", (Placed("matsuoka2025-1", "zebra", repeat=True),), producers=NO_GROFF),
)
#: The tight variety (reportlab, Chromium, WeasyPrint and FOP): the normal documents again in tight
#: type, but for the long ones (tight rows take two pages, not three).
TIGHT = tuple(replace(d, name=f"tight-{d.name}", density="tight", producers=("reportlab", "chromium", "weasyprint", "fop")) for d in NORMAL if d.layout != "long")
#: Writer's cells per density: (space after each cell's paragraph in points, line height in %,
#: vertical alignment). "airy" is Word's Normal paragraph style left on a table's cells (8 pt
#: after, 1.08 lines) and the cells centred vertically: rows far apart, a wrapped cell's lines
#: close together, a one-line cell level with the middle of a wrapped one.
WRITER_CELLS = {"normal": (0.0, 100, "top"), "airy": (8.0, 108, "middle")}
#: The airy variety (Writer only): the normal documents again, but for the long ones and the
#: sideways ones (airy rows of the wide table overrun a sideways page).
AIRY = tuple(replace(d, name=f"airy-{d.name}", density="airy", producers=("libreoffice",)) for d in NORMAL if d.layout not in ("long", "sideways"))
DOCS = NORMAL + TIGHT + AIRY
#: The documents committed of a producer whose every document would overrun the zoo's size cap
#: (tests/test_zoo.py); ``--unsampled`` prints the rest.
COMMITTED = {"weasyprint": frozenset(("norules", "zebra", "shaded", "twocol-norules", "twocol-headerrule", "sideways-norules",
                                      "landscape-booktabs", "long-norepeat", "tight-norules", "tight-grid")),
             "fop": frozenset(d.name for d in NORMAL)}

#: Chromium repeats a table's header on every page but cannot print a "(continued)" caption.
CAN_CONTINUE = {"reportlab": True, "chromium": False, "typst": True, "libreoffice": False, "groff": True, "latex": True, "xelatex": True,
                "weasyprint": False, "fop": True}

SENTENCES = (
    "Participants were enrolled at outpatient clinics over two years and seen at regular visits.",
    "Each visit included a structured interview, a physical examination and a fasting blood sample.",
    "Data were entered twice by independent staff and discrepancies were resolved against the source forms.",
    "The statistical analysis plan was finalised before the database was locked.",
    "Continuous variables are summarised as means with standard deviations or medians with interquartile ranges.",
    "Categorical variables are summarised as counts with the percentage of participants with data.",
    "Missing values were not imputed unless stated otherwise.",
    "Sensitivity analyses repeated the main comparison in the participants who completed follow-up.",
    "Adverse events were coded with a standard dictionary and reviewed by a committee unaware of allocation.",
    "All analyses were run with open-source software and the code is available on request.",
    "The ethics committee of each centre approved the protocol and every participant gave written consent.",
    "Recruitment was slower than planned in the first year, and two further centres joined the study.",
)


def prose(seed: int, n: int) -> str:
    """A paragraph of ``n`` neutral sentences, varied by ``seed``."""
    return " ".join(SENTENCES[(seed * 5 + i) % len(SENTENCES)] for i in range(n))


def mention(number: int) -> str:
    return f"The figures are given in Table {number} and discussed below."


def tag(number: int) -> tuple[int, int, int]:
    """The RGB (0-255) of table ``number``'s cell text: black but for the blue channel."""
    return (0, 0, number)


def caption_text(number: int, spec: Spec, continued: bool = False) -> str:
    return f"Table {number}. {spec.title}" + (" (continued)" if continued else ".")


def head_and_title(doc: Doc, producer: str) -> tuple[str, str]:
    return f"{JOURNAL} \u00b7 layout zoo", f"Tables set as {doc.name.replace('-', ', ')} ({producer})"


def auto_widths(spec: Spec, width_of: Callable[[str, bool], float], pad_x: float, avail: float) -> list[float]:
    """Column widths as a browser's auto layout would choose them: natural widths, shrunk
    towards the longest word of each column when the table is too wide (``width_of(text,
    bold)``: the printed width of a cell's text in points)."""
    n = spec.n_cols
    natural, least = [0.0] * n, [0.0] * n
    for row in spec.rows:
        for c, cell in enumerate(row):
            text = SUP.sub(r"\1", cell)
            natural[c] = max(natural[c], width_of(text, False))
            least[c] = max([least[c], *(width_of(w, False) for w in text.split())])
    for level in spec.header_grid():
        for c, cell in enumerate(level):
            if cell is not None and cell.span == 1:
                words = [width_of(w, True) for w in cell.text.split()]
                least[c] = max([least[c], *words])
                natural[c] = max(natural[c], min(width_of(cell.text, True), 80.0))
    natural = [w + 2 * pad_x + 1 for w in natural]
    least = [w + 2 * pad_x + 1 for w in least]
    if sum(natural) <= avail:
        return natural
    if sum(least) > avail:
        raise ValueError(f"{spec.key} does not fit in {avail:.0f} pt")
    share = (avail - sum(least)) / (sum(natural) - sum(least))
    return [lo + (hi - lo) * share for lo, hi in zip(least, natural)]


# ====================================================================== reportlab


def render_reportlab(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` with reportlab (base-14 Times; deterministic)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table

    page_w, page_h = A4
    margin_x, margin_top, margin_bottom = 56.0, 64.0, 56.0
    body_w, body_h = page_w - 2 * margin_x, page_h - margin_top - margin_bottom
    gutter = 16.0
    col_w = (body_w - gutter) / 2
    text_st = ParagraphStyle("text", fontName="Times-Roman", fontSize=10, leading=12.5, alignment=TA_JUSTIFY, spaceAfter=6)
    title_st = ParagraphStyle("title", fontName="Times-Bold", fontSize=15, leading=19, spaceAfter=12)
    cap_st = ParagraphStyle("cap", fontName="Times-Roman", fontSize=9.5, leading=11.5, spaceBefore=8, spaceAfter=4)
    note_st = ParagraphStyle("note", fontName="Times-Roman", fontSize=8, leading=9.5, spaceBefore=3, spaceAfter=10)
    head, title = head_and_title(doc, "reportlab")
    type_scale, pad_scale = DENSITY[doc.density]
    pad_y = (4.0 if doc.layout == "long" else 2.5) * pad_scale  # long tables: airy rows, so 58 rows take three pages

    def metrics(spec: Spec) -> tuple[float, float, float]:
        """Font size, leading and side padding: wide tables are set smaller, as journals do."""
        size, leading, pad_x = (7.0, 8.5, 2.5) if spec.n_cols > 8 else (8.5, 10.5, 4.0)
        return size * type_scale, leading * type_scale, pad_x * pad_scale

    def mark(text: str) -> str:
        """Paragraph markup: escaped, superscripts raised; Times has no U+2212, so '-' is printed."""
        return SUP.sub(r"<super>\1</super>", html.escape(text.replace("\u2212", "-"), quote=False))

    def cap(number: int, spec: Spec, continued: bool = False) -> Paragraph:
        words = caption_text(number, spec, continued).split(" ", 2)
        return Paragraph(f"<b>{words[0]} {words[1]}</b> {mark(words[2])}", cap_st)

    def widths(spec: Spec, avail: float) -> list[float]:
        size, _, pad_x = metrics(spec)
        return auto_widths(spec, lambda text, bold: stringWidth(text, "Times-Bold" if bold else "Times-Roman", size), pad_x, avail)

    def table(number: int, placed: Placed, avail: float) -> Table:
        spec = specs[placed.key]
        size, leading, pad_x = metrics(spec)
        colour = colors.Color(*(v / 255 for v in tag(number)))
        base = dict(fontSize=size, leading=leading, textColor=colour)
        cell_st = {
            "head_l": ParagraphStyle("hl", fontName="Times-Bold", alignment=TA_LEFT, **base),
            "head_c": ParagraphStyle("hc", fontName="Times-Bold", alignment=TA_CENTER, **base),
            "left": ParagraphStyle("l", fontName="Times-Roman", alignment=TA_LEFT, **base),
            "centre": ParagraphStyle("c", fontName="Times-Roman", alignment=TA_CENTER, **base),
            "section": ParagraphStyle("s", fontName="Times-Italic", alignment=TA_LEFT, **base),
        }
        n_head = len(spec.header)
        data: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad_x), ("RIGHTPADDING", (0, 0), (-1, -1), pad_x),
            ("TOPPADDING", (0, 0), (-1, -1), pad_y), ("BOTTOMPADDING", (0, 0), (-1, -1), pad_y),
        ]
        for level, line in enumerate(spec.header_grid()):
            row: list[Any] = [""] * spec.n_cols
            for c, cell in enumerate(line):
                if cell is None:
                    continue
                row[c] = Paragraph(mark(cell.text), cell_st["head_l" if c == 0 else "head_c"])
                last = n_head - 1 if cell.down else level
                if cell.span > 1 or last > level:
                    commands.append(("SPAN", (c, level), (c + cell.span - 1, last)))
                if cell.span > 1 and placed.style == "booktabs":
                    commands.append(("LINEBELOW", (c, level), (c + cell.span - 1, level), 0.5, colors.black))
            data.append(row)
        for r, body in enumerate(spec.rows):
            if r in spec.sections:
                data.append([Paragraph(mark(body[0]), cell_st["section"]), *[""] * (spec.n_cols - 1)])
            else:
                data.append([Paragraph(mark(v), cell_st["left" if c == 0 else "centre"]) for c, v in enumerate(body)])
        black = colors.black
        if placed.style == "grid":
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, black))
        elif placed.style == "booktabs":
            commands += [("LINEABOVE", (0, 0), (-1, 0), 1.0, black), ("LINEBELOW", (0, n_head - 1), (-1, n_head - 1), 0.5, black),
                         ("LINEBELOW", (0, -1), (-1, -1), 1.0, black)]
        elif placed.style == "headerrule":
            commands.append(("LINEBELOW", (0, n_head - 1), (-1, n_head - 1), 0.6, black))
        elif placed.style == "zebra":
            commands.append(("ROWBACKGROUNDS", (0, n_head), (-1, -1), [colors.white, colors.Color(0.9, 0.9, 0.9)]))
            if doc.layout == "long":
                commands.append(("LINEBELOW", (0, n_head - 1), (-1, n_head - 1), 0.6, black))
        elif placed.style == "shaded":
            commands += [("BACKGROUND", (0, 0), (-1, n_head - 1), colors.Color(0.78, 0.83, 0.88)),
                         ("BACKGROUND", (0, n_head), (-1, -1), colors.Color(0.91, 0.93, 0.96)),
                         ("GRID", (0, 0), (-1, -1), 1.5, colors.white)]
        t = Table(data, colWidths=widths(spec, avail), repeatRows=n_head if placed.repeat else 0, hAlign="LEFT")
        t.setStyle(commands)
        return t

    class Captioned(Flowable):
        """A caption and its table; a page break splits the table and, when ``cont`` is
        given, prints that caption ("(continued)") above each later part."""

        def __init__(self, caption: Paragraph, body: Table, cont: Paragraph | None) -> None:
            super().__init__()
            self.caption, self.body, self.cont = caption, body, cont

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.cap_h = self.caption.wrap(aw, ah)[1] + cap_st.spaceAfter
            self.body_h = self.body.wrap(aw, ah - self.cap_h)[1]
            self.width = aw
            return aw, self.cap_h + self.body_h

        def split(self, aw: float, ah: float) -> list[Flowable]:
            self.wrap(aw, ah)
            parts = self.body.split(aw, ah - self.cap_h)
            if not parts:
                return []
            first, *rest = parts
            later = [Captioned(self.cont, p, self.cont) if self.cont is not None else p for p in rest]
            return [Captioned(self.caption, first, self.cont), *later]

        def draw(self) -> None:
            self.caption.drawOn(self.canv, 0, self.body_h + cap_st.spaceAfter)
            self.body.drawOn(self.canv, 0, 0)

    class Sideways(Flowable):
        """Flowables turned a quarter turn counter-clockwise: their lines run up the page (on a
        page shown turned by /Rotate 90 they read upright)."""

        def __init__(self, inner: list[Flowable]) -> None:
            super().__init__()
            self.inner = inner

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.length = ah - 4
            self.heights = [f.wrap(self.length, aw)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.inner]
            return sum(self.heights), self.length

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.rotate(90)
            y = 0.0
            for f, h in zip(self.inner, self.heights):
                y -= h
                f.drawOn(c, 0, y + f.getSpaceAfter())
            c.restoreState()

    def pieces(number: int, placed: Placed, avail: float) -> list[Flowable]:
        """Caption, table, notes."""
        spec = specs[placed.key]
        notes = [Paragraph(mark(spec.notes), note_st)] if spec.notes else [Spacer(1, 8)]
        return [cap(number, spec), table(number, placed, avail), *notes]

    def block(number: int, placed: Placed, avail: float) -> list[Flowable]:
        """The table block kept on one page, or (long layout) split over pages."""
        caption, t, *notes = pieces(number, placed, avail)
        if doc.layout == "long":
            cont = cap(number, specs[placed.key], continued=True) if placed.continued else None
            return [Captioned(caption, t, cont), *notes]
        return [KeepTogether([caption, t, *notes])]

    def on_page(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Times-Italic", 8)
        canvas.drawString(margin_x, page_h - 36, head)
        canvas.drawRightString(page_w - margin_x, page_h - 36, doc.name)
        canvas.setLineWidth(0.3)
        canvas.line(margin_x, page_h - 40, page_w - margin_x, page_h - 40)
        canvas.setFont("Times-Roman", 9)
        canvas.drawCentredString(page_w / 2, 32, str(canvas.getPageNumber()))
        canvas.restoreState()

    def frame(x: float, y: float, w: float, h: float, fid: str) -> Frame:
        return Frame(x, y, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=fid)

    bottom = margin_bottom
    templates = [
        PageTemplate("single", [frame(margin_x, bottom, body_w, body_h, "body")], onPage=on_page),
        PageTemplate("twocol", [frame(margin_x, bottom + body_h - 60, body_w, 60, "title"),
                                frame(margin_x, bottom, col_w, body_h - 60, "left"),
                                frame(margin_x + col_w + gutter, bottom, col_w, body_h - 60, "right")], onPage=on_page),
    ]
    story: list[Flowable] = [Paragraph(html.escape(title), title_st)]
    tables = list(enumerate(doc.tables, start=1))
    if doc.layout == "single":
        story.append(Paragraph(prose(0, 5), text_st))
        for number, placed in tables:
            story += [Paragraph(prose(number, 3) + " " + mention(number), text_st), *block(number, placed, body_w),
                      Paragraph(prose(number + 3, 4), text_st)]
    elif doc.layout == "long":
        (number, placed), = tables
        story += [Paragraph(prose(k, 4), text_st) for k in range(7)]
        story += [Paragraph(prose(4, 2) + " " + mention(number), text_st), *block(number, placed, body_w),
                  Paragraph(prose(5, 4), text_st)]
    elif doc.layout in ("sideways", "landscape"):
        (number, placed), = tables
        story += [Paragraph(prose(k, 4) + (" " + mention(number) if k == 2 else ""), text_st) for k in range(4)]
        # platypus takes /Rotate from the page template; reportlab then swaps the MediaBox, so a
        # landscape page size keeps the portrait MediaBox the content is drawn in
        landscape = doc.layout == "landscape"
        turned = PageTemplate("turned", [frame(margin_x, bottom, body_w, body_h, "body")], onPage=on_page,
                              pagesize=(page_h, page_w) if landscape else A4)
        turned.rotation = 90 if landscape else 0
        templates.append(turned)
        story += [NextPageTemplate("turned"), PageBreak(), Sideways(pieces(number, placed, body_h - 4)), NextPageTemplate("single"), PageBreak()]
        story += [Paragraph(prose(k, 4), text_st) for k in range(4, 8)]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        probe = pieces(n2, full, body_w)
        mid_h = sum(f.wrap(body_w, body_h)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in probe) + 24
        top_h = 210.0
        low_h = body_h - top_h - mid_h
        templates.append(PageTemplate("mixed", [
            frame(margin_x, bottom + body_h - top_h, col_w, top_h, "top-left"),
            frame(margin_x + col_w + gutter, bottom + body_h - top_h, col_w, top_h, "top-right"),
            frame(margin_x, bottom + low_h, body_w, mid_h, "middle"),
            frame(margin_x, bottom, col_w, low_h, "low-left"),
            frame(margin_x + col_w + gutter, bottom, col_w, low_h, "low-right"),
        ], onPage=on_page))
        story += [FrameBreak(),
                  Paragraph(prose(0, 4), text_st), Paragraph(prose(1, 3) + " " + mention(n1), text_st),
                  *block(n1, col1, col_w), Paragraph(prose(2, 3), text_st),
                  FrameBreak(), Paragraph(prose(3, 5), text_st), Paragraph(prose(4, 5), text_st), Paragraph(prose(5, 4), text_st),
                  NextPageTemplate("mixed"), PageBreak(),
                  Paragraph(prose(6, 3), text_st), Paragraph(prose(7, 2) + " " + mention(n2), text_st), FrameBreak(),
                  Paragraph(prose(8, 3), text_st), Paragraph(prose(9, 2), text_st), FrameBreak(),
                  Spacer(1, 6), *probe, FrameBreak(),
                  Paragraph(prose(10, 3) + " " + mention(n3), text_st), *block(n3, col2, col_w), FrameBreak(),
                  Paragraph(prose(11, 4), text_st), Paragraph(prose(0, 3), text_st)]
    else:
        raise ValueError(doc.layout)
    if doc.layout == "twocol":  # the first template is the first page's
        templates = [templates[1], templates[0], *templates[2:]]
    pdf = BaseDocTemplate(str(out), pagesize=A4, pageTemplates=templates, title=title, author="curate layout zoo",
                          creator="curate examples/zoo/generate.py", invariant=1)
    pdf.build(story)


# ====================================================================== HTML (Chromium)


def _html_text(text: str) -> str:
    return SUP.sub(r"<sup>\1</sup>", html.escape(text, quote=False))


def html_table(number: int, spec: Spec, placed: Placed, long: bool) -> str:
    """A <table> with its caption and notes; the style is a class of the wrapping block. The
    header is a <thead> (repeated on each page by Chromium) unless a long table must not repeat it."""
    r, g, b = tag(number)
    rows = []
    grid = spec.header_grid()
    for level, line in enumerate(grid):
        cells = []
        for cell in line:
            if cell is None:
                continue
            attrs = (f' colspan="{cell.span}"' if cell.span > 1 else "") + (f' rowspan="{len(grid) - level}"' if cell.down and len(grid) - level > 1 else "")
            cls = ' class="spanner"' if cell.span > 1 else ""
            cells.append(f"<th{attrs}{cls}>{_html_text(cell.text)}</th>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(rows)
    body = []
    for i, row in enumerate(spec.rows):
        if i in spec.sections:
            body.append(f'<tr class="section"><td>{_html_text(row[0])}</td>{"<td></td>" * (spec.n_cols - 1)}</tr>')
        else:
            body.append("<tr>" + "".join(f"<td>{_html_text(v)}</td>" for v in row) + "</tr>")
    thead = f"<thead>{head}</thead><tbody>" if placed.repeat or not long else f"<tbody class=\"head\">{head}</tbody><tbody>"
    notes = f'<p class="notes">{_html_text(spec.notes)}</p>' if spec.notes else ""
    words = caption_text(number, spec).split(" ", 2)
    return (f'<div class="tblock {placed.style} {placed.place}"><p class="caption"><b>{words[0]} {words[1]}</b> {_html_text(words[2])}</p>'
            f'<table style="color: rgb({r},{g},{b})">{thead}{"".join(body)}</tbody></table>{notes}</div>')


HTML_CSS = """
@page { size: A4; margin: 22mm 20mm 20mm 20mm;
  @top-left { content: "%(head)s"; font: italic 8pt 'Liberation Serif'; }
  @top-right { content: "%(name)s"; font: italic 8pt 'Liberation Serif'; }
  @bottom-center { content: counter(page); font: 9pt 'Liberation Serif'; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10pt/1.3 'Liberation Serif', serif; margin: 0; }
h1 { font-size: 15pt; margin: 0 0 10pt; }
p { margin: 0 0 6pt; text-align: justify; }
.caption { margin: 10pt 0 4pt; text-align: left; }
.notes { font-size: 8pt; margin: 3pt 0 10pt; text-align: left; }
table { border-collapse: collapse; font-size: 8.5pt; line-height: 1.2; }
th, td { padding: 2pt 4pt; vertical-align: top; text-align: center; font-weight: normal; }
th { font-weight: bold; }
th:first-child, td:first-child { text-align: left; }
tr.section td { font-style: italic; }
.tblock { break-inside: avoid; }
.long { break-inside: auto; }
.long th, .long td { padding-top: 4pt; padding-bottom: 4pt; }
.grid th, .grid td { border: 0.5pt solid #000; }
.booktabs table { border-top: 1pt solid #000; border-bottom: 1pt solid #000; }
.booktabs thead tr:last-child th, .booktabs tbody.head tr:last-child th { border-bottom: 0.5pt solid #000; }
.booktabs th.spanner { border-bottom: 0.5pt solid #000; }
.headerrule thead tr:last-child th, .headerrule tbody.head tr:last-child th { border-bottom: 0.6pt solid #000; }
.zebra tbody:not(.head) tr:nth-child(even) td { background: #e6e6e6; }
.shaded table { border-collapse: separate; border-spacing: 1.5pt; }
.shaded th { background: #c7d3e0; }
.shaded td { background: #e8edf4; }
.cols { column-count: 2; column-gap: 16pt; }
.cols .tblock { break-inside: avoid; }
@page wide { size: A4 landscape; }
.landscape { page: wide; }
.sideways { break-before: page; break-after: page; height: 690pt; position: relative; }
.sideways .rot { position: absolute; left: 0; top: 0; width: 690pt; transform-origin: top left; transform: translateY(690pt) rotate(-90deg); }
"""


def html_page(doc: Doc, specs: dict[str, Spec], producer: str) -> str:
    """``doc`` as one HTML page (Liberation fonts), as Chromium and WeasyPrint print it."""
    head, title = head_and_title(doc, producer)
    tables = list(enumerate(doc.tables, start=1))
    parts = [f"<h1>{html.escape(title)}</h1>"]

    def block(number: int, placed: Placed) -> str:
        html_block = html_table(number, specs[placed.key], placed, doc.layout == "long")
        return html_block.replace('class="tblock', 'class="tblock long', 1) if doc.layout == "long" else html_block

    if doc.layout == "single":
        parts.append(f"<p>{prose(0, 5)}</p>")
        for number, placed in tables:
            parts += [f"<p>{prose(number, 3)} {mention(number)}</p>", block(number, placed), f"<p>{prose(number + 3, 4)}</p>"]
    elif doc.layout == "long":
        (number, placed), = tables
        parts += [f"<p>{prose(k, 4)}</p>" for k in range(7)]
        parts += [f"<p>{prose(4, 2)} {mention(number)}</p>", block(number, placed), f"<p>{prose(5, 4)}</p>"]
    elif doc.layout == "sideways":
        (number, placed), = tables
        parts += [f"<p>{prose(k, 4)}{' ' + mention(number) if k == 2 else ''}</p>" for k in range(4)]
        parts.append(f'<div class="sideways"><div class="rot">{block(number, placed)}</div></div>')
        parts += [f"<p>{prose(k, 4)}</p>" for k in range(4, 8)]
    elif doc.layout == "landscape":
        (number, placed), = tables
        parts += [f"<p>{prose(k, 4)}{' ' + mention(number) if k == 2 else ''}</p>" for k in range(4)]
        parts.append(f'<div class="landscape">{block(number, placed)}</div>')
        parts += [f"<p>{prose(k, 4)}</p>" for k in range(4, 8)]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        parts += ['<div class="cols">', f"<p>{prose(0, 4)}</p>", f"<p>{prose(1, 3)} {mention(n1)}</p>", block(n1, col1),
                  f"<p>{prose(2, 3)}</p>", f"<p>{prose(3, 5)}</p>", f"<p>{prose(4, 5)} {mention(n2)}</p>", "</div>",
                  block(n2, full),
                  '<div class="cols">', f"<p>{prose(6, 3)}</p>", f"<p>{prose(10, 3)} {mention(n3)}</p>", block(n3, col2),
                  f"<p>{prose(11, 4)}</p>", f"<p>{prose(8, 3)}</p>", "</div>"]
    else:
        raise ValueError(doc.layout)
    css = HTML_CSS % {"head": head.replace('"', ""), "name": doc.name}
    type_scale, pad_scale = DENSITY[doc.density]
    if doc.density != "normal":  # the table rules' type and padding (HTML_CSS), scaled
        css += (f"table {{ font-size: {8.5 * type_scale:.2f}pt; }}\n"
                f"th, td {{ padding: {2 * pad_scale:.2f}pt {4 * pad_scale:.2f}pt; }}\n")
    return f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{css}</style></head><body>{"".join(parts)}</body></html>'


def render_chromium(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` as HTML through headless Chromium (Skia's PDF writer)."""
    page = html_page(doc, specs, "chromium")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        raise SystemExit("chromium not found (Debian package 'chromium')")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()],
                       check=True, capture_output=True, timeout=120)


def render_weasyprint(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print the same HTML as Chromium with WeasyPrint: its own layout engine and PDF writer
    (pydyf; fonts through the machine's pango, subset and embedded)."""
    import weasyprint

    weasyprint.HTML(string=html_page(doc, specs, "weasyprint")).write_pdf(out)


# ====================================================================== typst


def _typ_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typ_text(text: str) -> str:
    """Typst content for plain text with ``^x`` superscripts (strings, so no markup applies)."""
    pieces = []
    last = 0
    for m in SUP.finditer(text):
        if m.start() > last:
            pieces.append(f"#{_typ_str(text[last:m.start()])}")
        pieces.append(f"#super({_typ_str(m.group(1))})")
        last = m.end()
    if last < len(text):
        pieces.append(f"#{_typ_str(text[last:])}")
    return "[" + "".join(pieces) + "]"


def typst_table(number: int, spec: Spec, placed: Placed, label: str = "") -> str:
    """A typst table block: caption, table, notes."""
    n, n_head = spec.n_cols, len(spec.header)
    style = placed.style
    args = [f"columns: {n}", "align: (" + ", ".join(["left"] + ["center"] * (n - 1)) + ",)", f"inset: (x: 4pt, y: {7 if label else 3}pt)"]
    if style == "grid":
        args.append("stroke: 0.5pt")
    elif style == "shaded":
        args += ["stroke: 1.5pt + white", f'fill: (x, y) => if y < {n_head} {{ rgb("#c7d3e0") }} else {{ rgb("#e8edf4") }}']
    else:
        args.append("stroke: none")
    if style == "zebra":
        args.append(f'fill: (x, y) => if y >= {n_head} and calc.odd(y - {n_head}) {{ rgb("#e6e6e6") }}')
    head_cells = []
    for level, line in enumerate(spec.header_grid()):
        for c, cell in enumerate(line):
            if cell is None:
                continue
            opts = []
            if cell.span > 1:
                opts.append(f"colspan: {cell.span}")
            if cell.down and n_head - level > 1:
                opts.append(f"rowspan: {n_head - level}")
            content = f"strong({_typ_text(cell.text)})"
            head_cells.append(f"table.cell({', '.join(opts)}, {content})" if opts else content)
            if cell.span > 1 and style == "booktabs":
                head_cells.append(f"table.hline(y: {level + 1}, start: {c}, end: {c + cell.span}, stroke: 0.5pt)")
    lines = []
    if style == "booktabs":
        lines.append("table.hline(y: 0, stroke: 1pt)")
    if style in ("booktabs", "headerrule") or (style == "zebra" and placed.repeat):
        lines.append(f"table.hline(y: {n_head}, stroke: 0.6pt)")
    body = []
    for i, row in enumerate(spec.rows):
        if i in spec.sections:
            body.append(f"emph({_typ_text(row[0])})" + ", []" * (n - 1))
        else:
            body.append(", ".join(_typ_text(v) for v in row))
    if style == "booktabs":
        body.append("table.hline(stroke: 1pt)")
    header = f"table.header(repeat: {'true' if placed.repeat else 'false'}, {', '.join(head_cells)})"
    r, g, b = tag(number)
    words = caption_text(number, spec).split(" ", 2)
    notes = f"#block(above: 4pt)[#set text(size: 8pt); {_typ_text(spec.notes)[1:-1]}]" if spec.notes else ""
    start = f"#metadata({number}) <{label}-start>" if label else ""
    end = f"#metadata({number}) <{label}-end>" if label else ""
    breakable = "true" if label else "false"
    return (f"#block(breakable: {breakable}, above: 12pt, below: 12pt)[{start}#set par(justify: false)\n#set align(left)\n#par[*{words[0]} {words[1]}* {_typ_text(words[2])[1:-1]}]\n"
            f"#v(-2pt)#set text(size: 8.5pt, fill: rgb({r}, {g}, {b}))\n#table({', '.join(args)}, {header}, {', '.join(lines + body)})\n{end}{notes}]\n")


def render_typst(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` with typst (its bundled Libertinus Serif)."""
    import typst

    head, title = head_and_title(doc, "typst")
    tables = list(enumerate(doc.tables, start=1))
    cont = ""
    if doc.layout == "long" and tables[0][1].continued:
        number, placed = tables[0]
        words = caption_text(number, specs[placed.key], continued=True).split(" ", 2)
        cont = (f"let s = query(<long-start>); let e = query(<long-end>); "
                f"if s.len() > 0 and e.len() > 0 and here().page() > s.first().location().page() and here().page() <= e.first().location().page() "
                f"{{ v(6pt); set text(size: 10pt, style: \"normal\"); [*{words[0]} {words[1]}* {_typ_text(words[2])[1:-1]}] }}")
    src = [
        f'#set document(title: {_typ_str(title)}, author: "curate layout zoo")',
        '#set page(paper: "a4", margin: (x: 20mm, top: 24mm, bottom: 20mm), header-ascent: 20%, '
        f'header: context {{ set text(size: 8pt, style: "italic"); {_typ_text(head)} + h(1fr) + {_typ_text(doc.name)}; v(-4pt); line(length: 100%, stroke: 0.3pt); {cont} }}, '
        "footer: context align(center, text(size: 9pt, counter(page).display())))",
        '#set text(font: "Libertinus Serif", size: 10pt, hyphenate: false)',
        "#set par(justify: true, spacing: 7pt)",
        f"#text(size: 15pt, weight: \"bold\", {_typ_text(title)})\n",
    ]
    if doc.layout == "long" and tables[0][1].continued:
        src[1] = src[1].replace("top: 24mm", "top: 30mm")

    def para(text: str) -> str:
        return f"#par({_typ_text(text)})\n"

    if doc.layout == "single":
        src.append(para(prose(0, 5)))
        for number, placed in tables:
            src += [para(prose(number, 3) + " " + mention(number)), typst_table(number, specs[placed.key], placed), para(prose(number + 3, 4))]
    elif doc.layout == "long":
        (number, placed), = tables
        src += [para(prose(k, 4)) for k in range(7)]
        src += [para(prose(4, 2) + " " + mention(number)), typst_table(number, specs[placed.key], placed, "long"), para(prose(5, 4))]
    elif doc.layout == "sideways":
        (number, placed), = tables
        src += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        src.append(f"#pagebreak()\n#align(center + horizon, rotate(-90deg, reflow: true, block(width: 680pt)[\n{typst_table(number, specs[placed.key], placed)}]))\n#pagebreak()\n")
        src += [para(prose(k, 4)) for k in range(4, 8)]
    elif doc.layout == "landscape":
        (number, placed), = tables
        src += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        src.append(f"#page(flipped: true)[\n{typst_table(number, specs[placed.key], placed)}]\n")
        src += [para(prose(k, 4)) for k in range(4, 8)]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        src += ["#columns(2, gutter: 16pt)[", para(prose(0, 4)), para(prose(1, 3) + " " + mention(n1)), typst_table(n1, specs[col1.key], col1),
                para(prose(2, 3)), para(prose(3, 5)), para(prose(4, 5) + " " + mention(n2)), "]",
                typst_table(n2, specs[full.key], full),
                "#columns(2, gutter: 16pt)[", para(prose(6, 3)), para(prose(10, 3) + " " + mention(n3)), typst_table(n3, specs[col2.key], col2),
                para(prose(11, 4)), para(prose(8, 3)), "]"]
    else:
        raise ValueError(doc.layout)
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text("\n".join(src), encoding="utf-8")
        out.write_bytes(typst.compile(str(main)))


# ====================================================================== LibreOffice Writer

#: Writer's look of a Word manuscript: Carlito (the metric twin of Calibri, Word's default face),
#: one-inch margins, ragged-right prose with space after each paragraph, and tables as Word's
#: "Table Grid" sets them: single-spaced cells, no padding above or below a line, 0.19 cm at the
#: sides, columns fitted to their contents and stretched to the text width ("AutoFit to window").
WRITER_FONT = "Carlito"
#: The width of a table on a sideways page: its lines run down the portrait page, whose height
#: less the margins, running head and footer leaves some room.
SIDEWAYS_LINE = 600.0
ODF_NS = " ".join(f'xmlns:{k}="{v}"' for k, v in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}.items())


class OdfStyles:
    """Automatic styles made on demand, one per distinct family, parent and properties."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str, str, str], str] = {}

    def __call__(self, family: str, props: str, parent: str = "", master: str = "") -> str:
        """The name of the style; ``master``: the page style a paragraph or table starts a page of."""
        key = (family, parent, master, props)
        if key not in self.names:
            self.names[key] = f"{family[:2]}{len(self.names)}"
        return self.names[key]

    def xml(self) -> str:
        return "".join(f'<style:style style:name="{name}" style:family="{family}"' + (f' style:parent-style-name="{parent}"' if parent else "")
                       + (f' style:master-page-name="{master}"' if master else "") + f">{props}</style:style>"
                       for (family, parent, master, props), name in self.names.items())


def _odf_text(text: str) -> str:
    """Paragraph content for plain text with ``^x`` superscripts."""
    return SUP.sub(r'<text:span text:style-name="Sup">\1</text:span>', html.escape(text, quote=False))


def _font_file(family: str, bold: bool) -> str:
    """The font file fontconfig picks for ``family`` (the face Writer will embed)."""
    found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", f"{family}:{'bold' if bold else 'regular'}"], check=True, capture_output=True, text=True).stdout
    name, path = found.split("\n", 1)
    if family not in name.split(","):
        raise SystemExit(f"font {family} not installed (Debian package 'fonts-crosextra-carlito')")
    return path


@functools.cache
def _register_writer_font() -> None:
    """Writer's face and its bold, registered with reportlab once, to measure cell text."""
    from reportlab.pdfbase.pdfmetrics import registerFont
    from reportlab.pdfbase.ttfonts import TTFont

    for bold in (False, True):
        registerFont(TTFont(f"{WRITER_FONT}{'-Bold' if bold else ''}", _font_file(WRITER_FONT, bold)))


def writer_table(number: int, spec: Spec, placed: Placed, avail: float, long: bool, st: OdfStyles, master: str = "", density: str = "normal") -> str:
    """Caption, table and notes as Writer paragraphs and a table: borders and shading set cell by
    cell, as a word processor stores them; a spanning header cell is a merged cell. ``master``:
    the page style whose new page the caption starts."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_writer_font()
    pad_y = 2.0 if long else 0.0
    after, leading, valign = WRITER_CELLS[density]

    def fitted(size: float, pad_x: float) -> list[float] | None:
        try:
            return auto_widths(spec, lambda text, bold: stringWidth(text, f"{WRITER_FONT}-Bold" if bold else WRITER_FONT, size), pad_x, avail)
        except ValueError:
            return None

    # As a Word user fits a table: a wide one in small type; else cell margins narrowed to 0.1 cm, then smaller type.
    tries = ((7.0, 2.8),) if spec.n_cols > 8 else ((9.0, 5.4), (8.0, 2.8), (7.0, 2.8))
    size, pad_x, natural = next(((size, pad_x, w) for size, pad_x in tries if (w := fitted(size, pad_x)) is not None), (0.0, 0.0, None))
    if natural is None:
        raise ValueError(f"{spec.key} does not fit in {avail:.0f} pt")
    widths = [w * avail / sum(natural) for w in natural]  # AutoFit to window
    n, n_head, style = spec.n_cols, len(spec.header), placed.style
    r, g, b = tag(number)
    colour = f"#{r:02x}{g:02x}{b:02x}"

    def para(align: str, weight: str = "normal", italic: bool = False) -> str:
        return st("paragraph", f'<style:paragraph-properties fo:text-align="{align}" fo:margin-top="0pt" fo:margin-bottom="{after}pt" fo:line-height="{leading}%"/>'
                  f'<style:text-properties fo:font-size="{size}pt" fo:color="{colour}" fo:font-weight="{weight}" fo:font-style="{"italic" if italic else "normal"}"/>')

    def cell_style(top: str = "none", bottom: str = "none", fill: str = "", all_sides: str = "") -> str:
        borders = f'fo:border="{all_sides}"' if all_sides else f'fo:border-left="none" fo:border-right="none" fo:border-top="{top}" fo:border-bottom="{bottom}"'
        background = f' fo:background-color="{fill}"' if fill else ""
        return st("table-cell", f'<style:table-cell-properties style:vertical-align="{valign}" fo:padding-left="{pad_x}pt" fo:padding-right="{pad_x}pt" '
                  f'fo:padding-top="{pad_y}pt" fo:padding-bottom="{pad_y}pt" {borders}{background}/>')

    def look(head: bool, level: int, last_level: int, body_row: int, last_row: bool, spanner: bool) -> str:
        """The cell style of a header cell (``level``..``last_level``) or body row ``body_row``."""
        if style == "grid":
            return cell_style(all_sides="0.5pt solid #000000")
        if style == "shaded":
            return cell_style(all_sides="1.5pt solid #ffffff", fill="#c7d3e0" if head else "#e8edf4")
        top = "1pt solid #000000" if style == "booktabs" and head and level == 0 else "none"
        bottom = "none"
        if head and (last_level == n_head - 1 and (style in ("booktabs", "headerrule") or (style == "zebra" and long))):
            bottom = "0.6pt solid #000000" if style != "booktabs" else "0.5pt solid #000000"
        elif head and spanner and style == "booktabs":
            bottom = "0.5pt solid #000000"
        elif last_row and style == "booktabs":
            bottom = "1pt solid #000000"
        fill = "#e6e6e6" if style == "zebra" and not head and body_row % 2 == 1 else ""
        return cell_style(top, bottom, fill)

    def cell(text: str, cstyle: str, pstyle: str, across: int = 1, down: int = 1) -> str:
        spans = (f' table:number-columns-spanned="{across}"' if across > 1 else "") + (f' table:number-rows-spanned="{down}"' if down > 1 else "")
        return (f'<table:table-cell table:style-name="{cstyle}" office:value-type="string"{spans}><text:p text:style-name="{pstyle}">{_odf_text(text)}</text:p></table:table-cell>'
                + "<table:covered-table-cell/>" * (across - 1))

    head_rows = []
    for level, line in enumerate(spec.header_grid()):
        cells = []
        for c, hc in enumerate(line):
            if hc is None:  # covered: by a merged cell to the left (its covered cells are written with it) or above
                if not any(left is not None and k + left.span > c for k, left in enumerate(line[:c])):
                    cells.append("<table:covered-table-cell/>")
                continue
            last = n_head - 1 if hc.down else level
            cells.append(cell(hc.text, look(True, level, last, -1, False, hc.span > 1), para("start" if c == 0 else "center", "bold"), hc.span, last - level + 1))
        head_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    body_rows = []
    for r, row in enumerate(spec.rows):
        last = r == len(spec.rows) - 1
        if r in spec.sections:  # a section heading: one cell merged across the row, as Word users set it
            body_rows.append(f"<table:table-row>{cell(row[0], look(False, 0, 0, r, last, False), para('start', italic=True), n)}</table:table-row>")
        else:
            body_rows.append("<table:table-row>" + "".join(cell(v, look(False, 0, 0, r, last, False), para("start" if c == 0 else "center")) for c, v in enumerate(row)) + "</table:table-row>")
    head = "".join(head_rows)
    head = f"<table:table-header-rows>{head}</table:table-header-rows>" if placed.repeat or not long else head
    tstyle = st("table", f'<style:table-properties style:width="{avail:.2f}pt" table:align="left" fo:margin-top="0pt" fo:margin-bottom="0pt" '
                f'style:may-break-between-rows="{"true" if long else "false"}" fo:keep-with-next="always"/>')
    column_styles = [st("table-column", f'<style:table-column-properties style:column-width="{w:.2f}pt"/>') for w in widths]
    columns = "".join(f'<table:table-column table:style-name="{name}"/>' for name in column_styles)
    words = caption_text(number, spec).split(" ", 2)
    caption = f'<text:p text:style-name="{st("paragraph", "", "Caption", master) if master else "Caption"}"><text:span text:style-name="Strong">{words[0]} {words[1]}</text:span> {_odf_text(words[2])}</text:p>'
    notes = f'<text:p text:style-name="Notes">{_odf_text(spec.notes)}</text:p>' if spec.notes else '<text:p text:style-name="Notes"/>'
    return f'{caption}<table:table table:name="Table{number}" table:style-name="{tstyle}">{columns}{head}{"".join(body_rows)}</table:table>{notes}'


def render_writer(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` as an OpenDocument text that LibreOffice Writer prints to PDF (headless)."""
    head, title = head_and_title(doc, "libreoffice")
    st = OdfStyles()
    inch = 72.0
    pages = {"Standard": (595.3, 841.9, ""), "Landscape": (841.9, 595.3, ""), "Sideways": (595.3, 841.9, ' style:writing-mode="tb-rl"')}
    layouts, masters, lines = [], [], {}
    for name, (w, h, mode) in pages.items():
        line = lines[name] = (h if mode else w) - 2 * inch  # the length of a line: down the page when text runs sideways
        layouts.append(f'<style:page-layout style:name="pl{name}"><style:page-layout-properties fo:page-width="{w}pt" fo:page-height="{h}pt" '
                       f'style:print-orientation="{"landscape" if w > h else "portrait"}" fo:margin-top="36pt" fo:margin-bottom="36pt" fo:margin-left="{inch}pt" fo:margin-right="{inch}pt"{mode}/>'
                       '<style:header-style><style:header-footer-properties fo:min-height="0pt" fo:margin-bottom="24pt"/></style:header-style>'
                       '<style:footer-style><style:header-footer-properties fo:min-height="0pt" fo:margin-top="18pt"/></style:footer-style></style:page-layout>')
        head_style = st("paragraph", f'<style:paragraph-properties fo:border-bottom="0.3pt solid #000000" fo:padding-bottom="2pt"><style:tab-stops>'
                        f'<style:tab-stop style:position="{line:.1f}pt" style:type="right"/></style:tab-stops></style:paragraph-properties>', "Header")
        masters.append(f'<style:master-page style:name="{name}" style:page-layout-name="pl{name}">'
                       f'<style:header><text:p text:style-name="{head_style}">{_odf_text(head)}<text:tab/>{_odf_text(doc.name)}</text:p></style:header>'
                       '<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current"/></text:p></style:footer></style:master-page>')
    body_w = lines["Standard"]
    gutter = 16.0
    col_w = (body_w - gutter) / 2
    tables = list(enumerate(doc.tables, start=1))
    long = doc.layout == "long"

    def para(text: str, master: str = "") -> str:
        """A paragraph of prose; with ``master``, the first on a new page of that style."""
        return f'<text:p text:style-name="{st("paragraph", "", "Text", master) if master else "Text"}">{_odf_text(text)}</text:p>'

    def block(number: int, placed: Placed, avail: float, master: str = "") -> str:
        return writer_table(number, specs[placed.key], placed, avail, long, st, master, doc.density)

    parts = [f'<text:p text:style-name="Title">{_odf_text(title)}</text:p>']
    if doc.layout == "single":
        parts.append(para(prose(0, 5)))
        for number, placed in tables:
            parts += [para(prose(number, 3) + " " + mention(number)), block(number, placed, body_w), para(prose(number + 3, 4))]
    elif doc.layout == "long":
        (number, placed), = tables
        parts += [para(prose(k, 4)) for k in range(7)]
        parts += [para(prose(4, 2) + " " + mention(number)), block(number, placed, body_w), para(prose(5, 4))]
    elif doc.layout in ("sideways", "landscape"):
        (number, placed), = tables
        master = doc.layout.capitalize()
        parts += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        parts.append(block(number, placed, SIDEWAYS_LINE if master == "Sideways" else lines["Landscape"], master))
        parts += [para(prose(4, 4), "Standard"), *(para(prose(k, 4)) for k in range(5, 8))]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        cols = st("section", f'<style:section-properties><style:columns fo:column-count="2" fo:column-gap="{gutter}pt"/></style:section-properties>')
        parts += [f'<text:section text:style-name="{cols}" text:name="Columns1">', para(prose(0, 4)), para(prose(1, 3) + " " + mention(n1)), block(n1, col1, col_w),
                  para(prose(2, 3)), para(prose(3, 5)), para(prose(4, 5) + " " + mention(n2)), "</text:section>",
                  block(n2, full, body_w),
                  f'<text:section text:style-name="{cols}" text:name="Columns2">', para(prose(6, 3)), para(prose(10, 3) + " " + mention(n3)), block(n3, col2, col_w),
                  para(prose(11, 4)), para(prose(8, 3)), "</text:section>"]
    else:
        raise ValueError(doc.layout)
    body = "".join(parts)
    document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {ODF_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
                f'<office:meta><dc:title>{html.escape(title)}</dc:title><meta:initial-creator>curate layout zoo</meta:initial-creator></office:meta>'
                f'<office:font-face-decls><style:font-face style:name="{WRITER_FONT}" svg:font-family="{WRITER_FONT}"/></office:font-face-decls>'
                f'<office:styles>{WRITER_STYLES % {"font": WRITER_FONT}}</office:styles>'
                f'<office:automatic-styles>{"".join(layouts)}{st.xml()}</office:automatic-styles>'
                f'<office:master-styles>{"".join(masters)}</office:master-styles>'
                f'<office:body><office:text>{body}</office:text></office:body></office:document>')
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("soffice not found (Debian package 'libreoffice-writer-nogui')")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.fodt"
        src.write_text(document, encoding="utf-8")
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--convert-to", "pdf", "--outdir", tmp, str(src)],
                       check=True, capture_output=True, timeout=300)
        shutil.copyfile(Path(tmp) / "doc.pdf", out)

WRITER_STYLES = """
<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
 <style:text-properties style:font-name="%(font)s" fo:font-size="11pt" fo:language="en" fo:country="GB" fo:hyphenate="false"/></style:default-style>
<style:default-style style:family="table-cell"><style:table-cell-properties fo:padding="0pt"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Text" style:family="paragraph"><style:paragraph-properties fo:margin-top="0pt" fo:margin-bottom="8pt" fo:line-height="108%%" fo:text-align="start"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="12pt"/><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Caption" style:family="paragraph"><style:paragraph-properties fo:margin-top="8pt" fo:margin-bottom="4pt" fo:keep-with-next="always" fo:text-align="start"/><style:text-properties fo:font-size="10pt"/></style:style>
<style:style style:name="Notes" style:family="paragraph"><style:paragraph-properties fo:margin-top="3pt" fo:margin-bottom="10pt"/><style:text-properties fo:font-size="8pt"/></style:style>
<style:style style:name="Header" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:font-style="italic"/></style:style>
<style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Sup" style:family="text"><style:text-properties style:text-position="super 58%%"/></style:style>
<style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
"""


# ====================================================================== groff (troff, tbl, gropdf)


def _roff(text: str) -> str:
    r"""troff input for plain text: backslashes escaped, ``^x`` raised with ms's ``\*{x\*}``, minus
    signs as troff's minus, an apostrophe printed straight as the facts have it (``\(aq``: troff
    sets a typed ' as a closing quote); a leading '.' guarded so that it is no request."""
    text = text.replace("\\", "\\e").replace("\u2212", "\\(mi").replace("'", "\\(aq")
    text = SUP.sub(r"\\*{\1\\*}", text)
    return "\\&" + text if text[:1] == "." else text


def groff_table(number: int, spec: Spec, placed: Placed, avail: float, long: bool) -> list[str]:
    r"""ms input for a table block: caption, tbl table, notes. Column widths as a browser would
    choose them (Times metrics); a cell wider than its column is a text block (``T{``, filled
    as troff fills it), the other cells sit at the middle of a row that holds one, as tbl sets
    them. Rules: ``allbox`` (grid), ``_`` above and below the table and under the header and its
    spanning cells (booktabs), ``=`` under the header (headerrule); every cell's text in the
    table's colour (``\m``), the rules black."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n, style = spec.n_cols, placed.style
    size, leading = (7.0, 8.5) if n > 8 else (8.5, 10.5)
    for ens in (3, 2, 1):  # tbl's default column separation (3 ens), narrowed when a table does not fit
        sep = ens * size / 2
        try:
            widths = auto_widths(spec, lambda text, bold: stringWidth(text, "Times-Bold" if bold else "Times-Roman", size), 1.0, avail - n * sep)
            break
        except ValueError:
            if ens == 1:
                raise

    def entry(text: str, c: int, span: int, font: str) -> str:
        body = f"\\m[zoo{number}]{_roff(text)}\\m[]"
        room = sum(widths[c:c + span]) + (span - 1) * sep
        if stringWidth(SUP.sub(r"\1", text), font, size) <= room - 2:
            return body
        return f"T{{\n.vs {leading}p\n{body}\nT}}"

    def key(letter: str, c: int) -> str:
        return f"{letter}w({widths[c]:.1f}p){ens if ens != 3 and c < n - 1 else ''}"

    lines: list[tuple[str | None, str]] = []  # (format, data); a rule line has no format
    if style == "booktabs":
        lines.append((None, "_"))
    grid = spec.header_grid()
    for level, line in enumerate(grid):
        fmt, data, under = [], [], []
        c = 0
        while c < n:
            cell = line[c]
            if cell is None:  # a header cell above reaches down over this line
                fmt.append("^")
                data.append("")
                under.append("^")
                c += 1
                continue
            fmt += [key("lB" if c == 0 else "cB", c), *["s"] * (cell.span - 1)]
            data.append(entry(cell.text, c, cell.span, "Times-Bold"))
            reaches = level + 1 < len(grid) and grid[level + 1][c] is None
            under += ["_" if cell.span > 1 else "^" if reaches else key("l", c)] * cell.span
            c += cell.span
        lines.append((" ".join(fmt), "\t".join(data)))
        if style == "booktabs" and "_" in under and level + 1 < len(grid):
            lines.append((" ".join(under), "\t" * (n - 1)))
    if style in ("booktabs", "headerrule"):
        lines.append((None, "_" if style == "booktabs" else "="))
    n_head = len(lines)
    for r, row in enumerate(spec.rows):
        if r in spec.sections:
            lines.append((" ".join([key("lI", 0), *["s"] * (n - 1)]), entry(row[0], 0, n, "Times-Italic")))
        else:
            lines.append((" ".join(key("l" if c == 0 else "c", c) for c in range(n)),
                          "\t".join(entry(v, c, 1, "Times-Roman") for c, v in enumerate(row))))
    if style == "booktabs":
        lines.append((None, "_"))
    formats = [f for f, _ in lines if f is not None]
    while len(formats) > 1 and formats[-2] == formats[-1]:
        formats.pop()
    data = [d for _, d in lines]
    if long and placed.repeat:
        data.insert(n_head, ".TH")
    words = caption_text(number, spec).split(" ", 2)
    vs = leading + (8.0 if long else 0.0)  # long tables: airy rows, so 58 rows take three pages
    out = [".LP", ".ps 9.5", ".vs 11.5p", f"\\fB{words[0]} {words[1]}\\fP {_roff(words[2])}"]
    if long and placed.continued:
        cont = caption_text(number, spec, continued=True).split(" ", 2)
        out += [f".ds zoo-cont \\fB{cont[0]} {cont[1]}\\fP {_roff(cont[2])}", ".nr zoo-cont 1"]
    out += [f".ps {size}", f".vs {vs}p", ".TS H" if long and placed.repeat else ".TS",
            ("allbox " if style == "grid" else "") + "tab(\t);", *formats[:-1], formats[-1] + ".", *data, ".TE", ".nr zoo-cont 0"]
    if spec.notes:
        out += [".LP", ".ps 8", ".vs 9.5p", _roff(spec.notes)]
    return out if long else [".KS", *out, ".KE"]


#: ms set up as the other producers' pages: Times 10 on 12.5, running head with a rule under it
#: on every page, page number at the foot, a "(continued)" caption atop a page a table goes on to.
GROFF_SETUP = r""".nr PO 56p
.nr LL %(line).1fp
.nr LT %(line).1fp
.nr HM 64p
.nr FM 56p
.nr PS 10
.nr VS 12.5p
.nr PD 6p
.nr DD 4p
.nr HY 0
.nr zoo-cont 0
.P1
.ds zoo-head %(head)s
.ds zoo-name %(name)s
.de PT
.ps 8
.ft I
.tl '\\*[zoo-head]''\\*[zoo-name]'
.ft R
.sp -9p
\D'l \\n[LT]u 0'
.br
..
.de BT
.ps 9
.tl ''%%''
..
.de HD
.if \\n[zoo-cont] \{\
.ps 9.5
.vs 11.5p
\\*[zoo-cont]
.br
.sp 4p
.\}
..
"""


def render_groff(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` with groff: ms macros, tbl tables, gropdf (Times, not embedded). troff has no
    cell shading and cannot turn text, so zebra, shaded and sideways documents are not printed;
    the landscape document is landscape throughout (gropdf prints one page size). ``.1C`` after
    ``.2C`` starts a page, so a two-column document's full-width table opens its second page."""
    head, title = head_and_title(doc, "groff")
    landscape = doc.layout == "landscape"
    line = (841.9 if landscape else 595.3) - 2 * 56
    gutter = 16.0
    col_w = (line - gutter) / 2
    long = doc.layout == "long"
    tables = list(enumerate(doc.tables, start=1))
    src = [GROFF_SETUP % {"line": line, "head": _roff(head), "name": _roff(doc.name)}]
    for number in range(1, len(tables) + 1):
        src.append(f".defcolor zoo{number} rgb " + "#{:02x}{:02x}{:02x}".format(*tag(number)))

    def para(text: str) -> list[str]:
        return [".LP", _roff(text)]

    def block(number: int, placed: Placed, avail: float) -> list[str]:
        return groff_table(number, specs[placed.key], placed, avail, long)

    src += [".LP", ".ps 15", ".vs 19p", f"\\fB{_roff(title)}\\fP", ".sp 6p"]
    if doc.layout == "single":
        src += para(prose(0, 5))
        for number, placed in tables:
            src += [*para(prose(number, 3) + " " + mention(number)), *block(number, placed, line), *para(prose(number + 3, 4))]
    elif long:
        (number, placed), = tables
        for k in range(7):
            src += para(prose(k, 4))
        src += [*para(prose(4, 2) + " " + mention(number)), *block(number, placed, line), *para(prose(5, 4))]
    elif landscape:
        (number, placed), = tables
        for k in range(4):
            src += para(prose(k, 4) + (" " + mention(number) if k == 2 else ""))
        src += block(number, placed, line)
        for k in range(4, 8):
            src += para(prose(k, 4))
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        columns = f".MC {col_w:.1f}p {gutter:.0f}p"
        src += [columns, *para(prose(0, 4)), *para(prose(1, 3) + " " + mention(n1)), *block(n1, col1, col_w),
                *para(prose(2, 3)), *para(prose(3, 5)), *para(prose(4, 5) + " " + mention(n2)),
                ".if \\n[pg*col-num]=0 .bp", ".1C",  # .1C's page break only leaves the first column for the second
                *block(n2, full, line),
                columns, *para(prose(6, 3)), *para(prose(10, 3) + " " + mention(n3)), *block(n3, col2, col_w),
                *para(prose(11, 4)), *para(prose(8, 3))]
    else:
        raise ValueError(doc.layout)
    groff = shutil.which("groff")
    if groff is None:
        raise SystemExit("groff not found (Debian package 'groff')")
    paper = ["-dpaper=a4l", "-P-pa4", "-P-l"] if landscape else ["-dpaper=a4", "-P-pa4"]
    run = subprocess.run([groff, "-k", "-t", "-ms", "-Tpdf", *paper], input=("\n".join(src) + "\n").encode("utf-8"),
                         check=True, capture_output=True, timeout=120)
    trouble = [w for w in run.stderr.decode(errors="replace").splitlines() if "cannot adjust line" not in w]  # narrow filled cells
    if trouble:
        raise SystemExit(f"groff ({doc.name}): " + "\n".join(trouble))
    out.write_bytes(run.stdout)


# ====================================================================== LaTeX (pdfLaTeX)


def _tex(text: str, marks: bool = False, unicode: bool = False) -> str:
    r"""LaTeX input for plain text: TeX's special characters escaped, ``^x`` raised (``\tnote``
    inside a threeparttable when ``marks``, else ``\textsuperscript``), minus signs and times as
    an author types them (``$-$``, ``$\times$``; as themselves with ``unicode``, for XeLaTeX's
    OpenType fonts), an apostrophe printed straight as the facts have it."""
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}",
               "'": r"\textquotesingle{}", **({} if unicode else {"\u2212": "$-$", "\u00d7": r"$\times$"})}

    def plain_tex(piece: str) -> str:
        return "".join(special.get(ch, ch) for ch in piece)

    out, last = [], 0
    for m in SUP.finditer(text):
        out.append(plain_tex(text[last:m.start()]))
        mark = m.group(1)
        out.append(rf"\tnote{{{mark}}}" if marks and mark.isalpha() else rf"\textsuperscript{{{plain_tex(mark)}}}")
        last = m.end()
    out.append(plain_tex(text[last:]))
    return "".join(out)


#: Table type, (size command, size in points, \tabcolsep), tried in turn until the table fits:
#: wide tables (over eight columns) are set smaller, then tighter.
LATEX_TYPE = {"normal": ((r"\small", 9.0, 6.0), (r"\small", 9.0, 4.0), (r"\footnotesize", 8.0, 3.0)), "wide": ((r"\footnotesize", 8.0, 3.0), (r"\footnotesize", 8.0, 2.0), (r"\scriptsize", 7.0, 2.0))}


@dataclass(frozen=True)
class TexEngine:
    """A TeX engine and font setup the zoo prints with: the program, the preamble lines that set
    the fonts and the PDF's info, how wide a text is (``width(text, bold, size)``) and whether
    minus and times signs are typed as themselves (an OpenType font has them)."""

    program: str
    fonts: str
    info: str
    width: Callable[[str, bool, float], float]
    unicode: bool


@functools.cache
def _lm_metrics(font: str) -> dict[str, float]:
    """Glyph name -> advance width (per 1000) of a Latin Modern font, read from its AFM file."""
    path = subprocess.run(["kpsewhich", f"{font}.afm"], capture_output=True, text=True, check=True).stdout.strip()
    widths = {}
    for line in Path(path).read_text(encoding="latin-1").splitlines():
        if m := re.match(r"C -?\d+ ; WX (\S+) ; N (\S+) ;", line):
            widths[m.group(2)] = float(m.group(1))
    return widths


def _lm_width(text: str, bold: bool, size: float) -> float:
    """The printed width of ``text`` in Latin Modern (bold extended or roman) at ``size``."""
    from reportlab.pdfbase.pdfmetrics import getEncoding

    names = getEncoding("WinAnsiEncoding").vector
    widths = _lm_metrics(f"{'lmbx' if bold else 'lmr'}{round(size)}")
    glyphs = ("minus" if ch == "\u2212" else names[ord(ch)] if ord(ch) < 256 else "" for ch in text)
    return sum(widths.get(g or "", 500.0) for g in glyphs) * size / 1000


def _otf_width(text: str, bold: bool, size: float, family: str = "C059") -> float:
    """The printed width of ``text`` in an OpenType font found by fontconfig (``family``, roman
    or bold), from its own advance widths (fontTools)."""
    font = _otf_font(f"{family}:{'bold' if bold else 'roman'}:fontformat=CFF")
    cmap, advance, em = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    return sum(advance[cmap[ord(ch)]][0] if ord(ch) in cmap else em / 2 for ch in text) * size / em


@functools.cache
def _otf_font(pattern: str) -> Any:
    from fontTools.ttLib import TTFont

    path = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True).stdout
    return TTFont(path)


#: pdfLaTeX in Latin Modern (Type 1, T1 encoding; one font per optical size), and XeLaTeX in
#: C059 (URW's Century Schoolbook, OpenType through fontspec; xdvipdfmx writes CID fonts).
TEX_ENGINES = {
    "latex": TexEngine("pdflatex", "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}",
                       "\\pdfinfo{/Title (%(title)s) /Author (curate layout zoo) /Creator (curate examples/zoo/generate.py)}\n"
                       "\\pdfinfoomitdate=1 \\pdftrailerid{} \\pdfsuppressptexinfo=-1", _lm_width, False),
    "xelatex": TexEngine("xelatex", "\\usepackage{fontspec}\n\\setmainfont{C059}[Extension=.otf, UprightFont=*-Roman, BoldFont=*-Bold, ItalicFont=*-Italic, BoldItalicFont=*-BdIta]",
                         "\\special{pdf:docinfo << /Title (%(title)s) /Author (curate layout zoo) /Creator (curate examples/zoo/generate.py) >>}", _otf_width, True),
}


def _latex_fit(spec: Spec, bold: bool, avail: float, width: Callable[[str, bool, float], float]) -> tuple[tuple[str, float, float], list[float] | None, float]:
    """The first type of ``LATEX_TYPE`` the table fits in ``avail`` points with, its column
    widths when they must be set (``p{}``: a cell would wrap), or None (``l``/``c``: natural
    widths fit and no cell is long), and the scale it is shrunk by to fit (1: none; below 1, as
    an author does with ``\\resizebox`` when even the smallest type is too wide)."""
    tries = LATEX_TYPE["wide" if spec.n_cols > 8 else "normal"]
    scale = 1.0
    for attempt, kind in enumerate([*tries, *[tries[-1]] * 8], start=1):
        if attempt > len(tries):
            scale *= 0.95
        size, sep = kind[1], kind[2]

        def width_of(text: str, strong: bool, size: float = size) -> float:
            return width(text, strong, size)

        natural = [0.0] * spec.n_cols
        for row in spec.rows:
            for c, text in enumerate(row):
                natural[c] = max(natural[c], width_of(SUP.sub(r"\1", text), False))
        for line in spec.header_grid():
            for c, hc in enumerate(line):
                if hc is not None and hc.span == 1:
                    natural[c] = max(natural[c], width_of(hc.text, bold))
        if sum(w + 2 * sep for w in natural) <= avail / scale and max(natural) < 120:
            return kind, None, scale
        try:
            return kind, auto_widths(spec, width_of, sep, avail / scale - 2), scale
        except ValueError:
            pass
    raise ValueError(f"{spec.key} does not fit in {avail:.0f} pt")


def latex_table(number: int, spec: Spec, placed: Placed, avail: float, long: bool, where: str, engine: TexEngine) -> str:
    r"""A table as a LaTeX author sets it: the caption above (``\caption``), the tabular in the
    table's colour (rules black), notes below (threeparttable's ``tablenotes`` under booktabs and
    header-rule tables, a plain ``\footnotesize`` paragraph otherwise). Columns are ``l``/``c``
    when the table fits at its natural width, else of widths chosen as a browser would (Latin
    Modern's widths): ``p{}`` columns, or ``tabularx`` in a column
    of a two-column page. Header text is plain where rules or shading bound the header, bold
    where nothing does; section rows span the table (``\multicolumn``). ``where``: ``float``
    (a ``table``), ``wide`` (``table*``), ``sideways`` (``sidewaystable``), ``here`` (set in
    place, on a landscape page) or ``long`` (a ``longtable`` over pages)."""
    n, style = spec.n_cols, placed.style
    grid_like = style in ("grid", "shaded")
    bold = style in ("norules", "zebra")
    (size_cmd, _, sep), widths, scale = _latex_fit(spec, bold, avail, engine.width)

    def tex(text: str, marks: bool = False) -> str:
        return _tex(text, marks, engine.unicode)

    fits = widths is None
    tabularx = not fits and placed.place == "column" and not long
    bar = "|" if grid_like else ""
    if widths is None:
        cols = ["l", *["c"] * (n - 1)]
    else:
        if tabularx:
            share = [w / (sum(widths) / n) for w in widths]
            cols = [rf">{{\hsize={f:.3f}\hsize\{'raggedright' if c == 0 else 'centering'}\arraybackslash}}X" for c, f in enumerate(share)]
        else:
            cols = [rf">{{\{'raggedright' if c == 0 else 'centering'}\arraybackslash}}p{{{w - 2 * sep - 1:.1f}pt}}" for c, w in enumerate(widths)]
    colspec = bar + bar.join(cols) + bar
    marks = style in ("booktabs", "headerrule") and not long and scale == 1
    head_font = r"\bfseries " if bold else ""

    hline = r"\hline" if grid_like else ""
    lines: list[str] = []
    if style == "booktabs":
        lines.append(r"\toprule")
    elif grid_like:
        lines.append(r"\hline")
    grid = spec.header_grid()
    for level, line in enumerate(grid):
        last_level = level == len(grid) - 1
        cells, spans = [], []
        c = 0
        while c < n:
            hc = line[c]
            shade = r"\cellcolor{zoohead}" if style == "shaded" else ""
            if hc is None:  # a cell above reaches down: its text is set on the last header line
                above = next(grid[lv][c] for lv in range(level, -1, -1) if grid[lv][c] is not None)
                text = tex(above.text, marks) if last_level else ""
                cells.append(shade + (head_font + text if text else ""))
                c += 1
                continue
            if hc.down and not last_level:
                cells.append(shade)
                c += hc.span
                continue
            text = shade + head_font + tex(hc.text, marks)
            if hc.span > 1:
                left = bar if c == 0 else ""
                cells.append(rf"\multicolumn{{{hc.span}}}{{{left}c{bar}}}{{{text}}}")
                spans.append((c + 1, c + hc.span))
            else:
                cells.append(text)
            c += hc.span
        lines.append(" & ".join(cells) + r" \\")
        if not last_level:
            if style == "booktabs":
                lines.append(" ".join(rf"\cmidrule(lr){{{a}-{b}}}" for a, b in spans))
            elif grid_like:
                lines.append(" ".join(rf"\cline{{{a}-{b}}}" for a, b in spans))
    if style == "booktabs":
        lines.append(r"\midrule")
    elif style == "headerrule" or grid_like or (style == "zebra" and placed.repeat):
        lines.append(r"\hline")
    head_lines = list(lines)
    body: list[str] = []
    for r, row in enumerate(spec.rows):
        shade = r"\cellcolor{zoobody}" if style == "shaded" else ""
        if r in spec.sections:
            body.append(rf"\multicolumn{{{n}}}{{{bar}l{bar}}}{{{shade}\textit{{{tex(row[0], marks)}}}}} \\")
        else:
            body.append(" & ".join(shade + tex(v, marks) for v in row) + r" \\")
        if hline:
            body.append(hline)
    if style == "booktabs":
        body.append(r"\bottomrule")
    caption = rf"\caption{{{tex(spec.title)}.}}"
    notes = ""
    colour = rf"\color{{zoo{number}}}"
    setup = [size_cmd, r"\hyphenpenalty=10000"]  # no word broken in a cell, as the other producers print them
    if style == "zebra":
        setup.append(rf"\rowcolors{{{len(grid) + 1}}}{{}}{{zoostripe}}")
    if style == "shaded":
        setup.append(r"\arrayrulecolor{white}\setlength{\arrayrulewidth}{1.5pt}")
    if sep != 6.0:
        setup.append(rf"\setlength{{\tabcolsep}}{{{sep:g}pt}}")
    if long:
        setup.append(r"\renewcommand{\arraystretch}{1.75}")  # airy rows, so 58 rows take three pages
        first = [caption + r" \\", *head_lines]
        later = [rf"\caption[]{{{tex(spec.title)} (continued)}} \\" if placed.continued else "", *(head_lines if placed.repeat else [])]
        if spec.notes:
            notes = rf"{{\footnotesize {tex(spec.notes)}\par}}"
        later_rows = [ln for ln in later if ln]
        return "\n".join([rf"\begingroup{' '.join(setup)}{colour}",
                          rf"\begin{{longtable}}{{@{{}}{colspec}@{{}}}}" if not grid_like else rf"\begin{{longtable}}{{{colspec}}}",
                          *first, r"\endfirsthead", *later_rows, r"\endhead", *body, r"\end{longtable}", r"\endgroup", notes])
    env = "tabularx" if tabularx else "tabular"
    width_arg = r"{\linewidth}" if tabularx else ""
    if marks and spec.notes:
        items = [p for p in re.split(r"\s*(?=\^\w)", spec.notes) if p]
        notes = r"\begin{tablenotes}[flushleft]\footnotesize" + "".join(
            (rf"\item[{m.group(1)}] {tex(p[m.end():].strip())}" if (m := SUP.match(p)) else rf"\item[] {tex(p)}") for p in items) + r"\end{tablenotes}"
    elif spec.notes:
        notes = rf"\par\vspace{{3pt}}{{\footnotesize\raggedright {tex(spec.notes)}\par}}"
    pad = "" if grid_like else "@{}"
    tabular = [rf"{{{colour}\begin{{{env}}}{width_arg}{{{pad}{colspec}{pad}}}", *lines, *body, rf"\end{{{env}}}}}"]
    if scale < 1:
        tabular = [r"\resizebox{\linewidth}{!}{", *tabular, "}"]
    inner = [*setup, caption, *tabular, notes] if not marks else [*setup, r"\begin{threeparttable}", caption, *tabular, notes, r"\end{threeparttable}"]
    if where == "here":
        return "\n".join([r"\begin{center}", r"\captionsetup{type=table}", *inner, r"\end{center}"])
    envname = {"float": "table", "wide": "table*", "sideways": "sidewaystable"}[where]
    return "\n".join([rf"\begin{{{envname}}}{'[!htbp]' if where == 'float' else '[!t]' if where == 'wide' else ''}", r"\centering" if placed.place == "full" else "", *inner, rf"\end{{{envname}}}"])


#: An article as a journal sets it with pdfLaTeX: Latin Modern (T1), 10 pt on 12, A4 with the
#: other producers' margins, a running head with a rule under it and the page number at the foot
#: (fancyhdr), bold "Table N." captions above tables (caption), indented paragraphs.
LATEX_SETUP = r"""\documentclass[10pt,a4paper%(options)s]{article}
%(fonts)s
\usepackage[a4paper,hmargin=56pt,top=64pt,bottom=56pt,headsep=16pt,footskip=24pt,columnsep=16pt]{geometry}
\usepackage[table]{xcolor}
\usepackage{array,booktabs,tabularx,threeparttable,longtable,rotating,pdflscape,fancyhdr,graphicx}
\usepackage{caption}
\DeclareCaptionFont{black}{\color{black}}
\captionsetup{font={small,black},labelfont=bf,labelsep=period,skip=4pt,justification=raggedright,singlelinecheck=false}
%(info)s
\setlength{\LTcapwidth}{\textwidth}
\arrayrulecolor{black}
\definecolor{zoostripe}{gray}{0.9}
\definecolor{zoohead}{rgb}{0.78,0.83,0.88}
\definecolor{zoobody}{rgb}{0.91,0.93,0.96}
%(colours)s
\pagestyle{fancy}
\fancyhf{}
\fancyhead[L]{\footnotesize\itshape %(head)s}
\fancyhead[R]{\footnotesize\itshape %(name)s}
\renewcommand{\headrulewidth}{0.3pt}
\fancyfoot[C]{\small\thepage}
\begin{document}
"""


def render_latex(doc: Doc, specs: dict[str, Spec], out: Path, producer: str = "latex") -> None:
    r"""Print ``doc`` with pdfLaTeX (article class; Latin Modern, embedded): tables as floats
    (``table``; ``table*`` across both columns of a ``twocolumn`` page), a ``sidewaystable``
    (rotating) for the sideways page, a ``landscape`` page (pdflscape: /Rotate 90) and a
    ``longtable`` over three pages (``\endhead``: its header and "(continued)" caption repeated)."""
    engine = TEX_ENGINES[producer]
    head, title = head_and_title(doc, producer)
    tables = list(enumerate(doc.tables, start=1))
    long = doc.layout == "long"
    body_w = 595.3 - 2 * 56
    col_w = (body_w - 16) / 2
    colours = "\n".join(rf"\definecolor{{zoo{n}}}{{RGB}}{{{','.join(map(str, tag(n)))}}}" for n, _ in tables)
    setup = {"options": ",twocolumn" if doc.layout == "twocol" else "", "title": title.replace("(", "").replace(")", ""),
             "colours": colours, "head": _tex(head), "name": _tex(doc.name)}
    src = [LATEX_SETUP % {**setup, "fonts": engine.fonts, "info": engine.info % setup}]
    heading = rf"{{\noindent\Large\bfseries {_tex(title)}\par}}\vspace{{10pt}}"

    def para(text: str) -> str:
        return _tex(text) + "\n"

    def block(number: int, placed: Placed, avail: float, where: str) -> str:
        return rf"\setcounter{{table}}{{{number - 1}}}" + "\n" + latex_table(number, specs[placed.key], placed, avail, long, where, engine) + "\n"

    if doc.layout == "twocol":
        src.append(rf"\twocolumn[{heading}]")
    else:
        src.append(heading)
    if doc.layout == "single":
        src.append(para(prose(0, 5)))
        for number, placed in tables:
            src += [para(prose(number, 3) + " " + mention(number)), block(number, placed, body_w, "float"), para(prose(number + 3, 4))]
    elif long:
        (number, placed), = tables
        src += [para(prose(k, 4)) for k in range(7)]
        src += [para(prose(4, 2) + " " + mention(number)), block(number, placed, body_w, "long"), para(prose(5, 4))]
    elif doc.layout == "sideways":
        (number, placed), = tables
        src += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        src.append(block(number, placed, 841.9 - 64 - 56 - 40, "sideways"))
        src += [para(prose(k, 4)) for k in range(4, 8)]
    elif doc.layout == "landscape":
        (number, placed), = tables
        src += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        src += [r"\begin{landscape}", block(number, placed, 841.9 - 2 * 56, "here"), r"\end{landscape}"]
        src += [para(prose(k, 4)) for k in range(4, 8)]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        src += [para(prose(0, 4)), para(prose(1, 3) + " " + mention(n1)), block(n1, col1, col_w, "float"),
                para(prose(2, 3)), para(prose(3, 5)), para(prose(4, 5) + " " + mention(n2)), block(n2, full, body_w, "wide"),
                para(prose(6, 3)), para(prose(10, 3) + " " + mention(n3)), block(n3, col2, col_w, "float"),
                para(prose(11, 4)), para(prose(8, 3)), *(para(prose(k, 5)) for k in (9, 7, 2, 3, 5, 1))]  # text beside the floats of page 2
    else:
        raise ValueError(doc.layout)
    src.append(r"\end{document}")
    program = shutil.which(engine.program)
    if program is None:
        raise SystemExit(f"{engine.program} not found (Debian packages 'texlive-latex-extra', 'texlive-fonts-recommended', 'lmodern'; XeLaTeX: 'texlive-xetex', 'fonts-urw-base35')")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "doc.tex").write_text("\n".join(src), encoding="utf-8")
        for _ in range(2):  # longtable settles its column widths on the second run
            run = subprocess.run([program, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp, capture_output=True, timeout=120,
                                 env={**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"})
            if run.returncode:
                raise SystemExit(f"{engine.program} ({doc.name}): " + run.stdout.decode(errors="replace")[-2000:])
        log = (Path(tmp) / "doc.log").read_text(errors="replace")
        if "Missing character" in log:
            raise SystemExit(f"{engine.program} ({doc.name}): the font lacks a character the tables print")
        trouble = re.findall(r"^(?:Overfull \\hbox.*|LaTeX Warning: .*)", log, re.M)
        if trouble:  # (a table a little wider than its column, a float moved: worth a look, no error)
            print(f"{engine.program} ({doc.name}): " + "; ".join(trouble), file=sys.stderr)
        shutil.copyfile(Path(tmp) / "doc.pdf", out)



# ====================================================================== XSL-FO (Apache FOP)

#: FOP's page: A4 with the other producers' margins; the body below a running head and above the
#: page number (regions of the page master).
FO_PAGE = {"margin_x": 56.0, "top": 30.0, "bottom": 24.0, "before": 34.0, "after": 32.0}
FO_NS = "http://www.w3.org/1999/XSL/Format"


def _fo_text(text: str) -> str:
    """FO inline content: escaped, ``^x`` raised."""
    return SUP.sub(r'<fo:inline baseline-shift="super" font-size="70%">\1</fo:inline>', html.escape(text, quote=False))


def fo_table(number: int, spec: Spec, placed: Placed, avail: float, long: bool, span_all: bool = False, density: str = "normal") -> str:
    """A caption, a fixed-layout ``fo:table`` (FOP lays out no other; column widths as a browser
    would choose them, measured in Times) and its notes, kept on one page unless ``long``. A long
    table's header is a ``fo:table-header`` FOP repeats on each page (or body rows when it must not
    repeat), and a "(continued)" caption is a marker of each row after the first, retrieved under
    the running head of the pages the table goes on to (``render_fop``; FOP 2.8 as Debian packs it
    fails on ``fo:retrieve-table-marker``)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n, style = spec.n_cols, placed.style
    type_scale, pad_scale = DENSITY[density]
    size, leading, pad_x = ((7.0, 8.5, 2.5) if n > 8 else (8.5, 10.5, 4.0))
    size, leading, pad_x = size * type_scale, leading * type_scale, pad_x * pad_scale
    pad_y = (4.0 if long else 2.5) * pad_scale
    widths = auto_widths(spec, lambda text, bold: stringWidth(text, "Times-Bold" if bold else "Times-Roman", size), pad_x, avail)
    grid = spec.header_grid()
    n_head = len(grid)
    rule = {"grid": "0.5pt solid black"}.get(style)

    def cell(content: str, *, head: bool = False, col: int = 0, attrs: str = "", fill: str = "", below: str = "") -> str:
        border = f' border="{rule}"' if rule else ""
        if below:
            border += f' border-after-style="solid" border-after-width="{below}" border-after-color="black"'
        bg = f' background-color="{fill}"' if fill else ""
        align = "start" if col == 0 else "center"
        weight = ' font-weight="bold"' if head else ""
        return (f'<fo:table-cell padding="{pad_y}pt {pad_x}pt"{border}{bg}{attrs}>'
                f'<fo:block text-align="{align}"{weight}>{content}</fo:block></fo:table-cell>')

    head_rows = []
    for level, line in enumerate(grid):
        cells = []
        for c, hc in enumerate(line):
            if hc is None:
                continue
            attrs = (f' number-columns-spanned="{hc.span}"' if hc.span > 1 else "") + (f' number-rows-spanned="{n_head - level}"' if hc.down and n_head - level > 1 else "")
            last = level == n_head - 1 or (hc.down and n_head - level > 1)
            below = ("0.6pt" if last and (style == "headerrule" or (style == "zebra" and placed.repeat)) else
                     "0.5pt" if style == "booktabs" and (last or hc.span > 1) else "")
            cells.append(cell(_fo_text(hc.text), head=True, col=c, attrs=attrs, fill="#c7d3e0" if style == "shaded" else "", below=below))
        head_rows.append(f"<fo:table-row>{''.join(cells)}</fo:table-row>")
    continued = long and placed.continued
    body_rows = []
    for r, row in enumerate(spec.rows):
        fill = "#e8edf4" if style == "shaded" else "#e6e6e6" if style == "zebra" and r % 2 else ""
        marker = ""
        if continued:
            text = caption_text(number, spec, continued=True).split(" ", 2)
            cont = "" if r == 0 else f'<fo:inline font-weight="bold">{text[0]} {text[1]}</fo:inline> {_fo_text(text[2])}'
            marker = f'<fo:marker marker-class-name="cont">{cont}</fo:marker>'
        if r in spec.sections:
            cells = [cell(marker + f'<fo:inline font-style="italic">{_fo_text(row[0])}</fo:inline>', fill=fill, attrs=f' number-columns-spanned="{n}"')]
        else:
            cells = [cell((marker if c == 0 else "") + _fo_text(v), col=c, fill=fill) for c, v in enumerate(row)]
        body_rows.append(f"<fo:table-row>{''.join(cells)}</fo:table-row>")
    r_, g_, b_ = tag(number)
    table_attrs = [f'table-layout="fixed" width="{sum(widths):.2f}pt"', f'color="rgb({r_},{g_},{b_})"', f'font-size="{size}pt" line-height="{leading}pt"']
    if style == "shaded":
        table_attrs.append('border-collapse="separate" border-separation="1.5pt"')
    else:
        table_attrs.append('border-collapse="collapse"')
    if style == "booktabs":
        table_attrs.append('border-before-style="solid" border-before-width="1pt" border-after-style="solid" border-after-width="1pt"')
    columns = "".join(f'<fo:table-column column-width="{w:.2f}pt"/>' for w in widths)
    header = "".join(head_rows)
    if long and not placed.repeat:
        table = f'<fo:table {" ".join(table_attrs)}>{columns}<fo:table-body>{header}{"".join(body_rows)}</fo:table-body></fo:table>'
    else:
        table = f'<fo:table {" ".join(table_attrs)}>{columns}<fo:table-header>{header}</fo:table-header><fo:table-body>{"".join(body_rows)}</fo:table-body></fo:table>'
    words = caption_text(number, spec).split(" ", 2)
    start = '<fo:marker marker-class-name="cont"/>' if continued else ""
    caption = (f'<fo:block font-size="9.5pt" line-height="11.5pt" space-before="8pt" space-after="4pt" keep-with-next.within-page="always">{start}'
               f'<fo:inline font-weight="bold">{words[0]} {words[1]}</fo:inline> {_fo_text(words[2])}</fo:block>')
    end = '<fo:marker marker-class-name="cont"/>' if continued else ""
    notes = f'<fo:block font-size="8pt" line-height="9.5pt" space-before="3pt" space-after="10pt">{end}{_fo_text(spec.notes)}</fo:block>' if spec.notes else f'<fo:block space-after="8pt">{end}</fo:block>'
    keep = "" if long else ' keep-together.within-page="always"'
    span = ' span="all"' if span_all else ""
    return f'<fo:block text-align="start"{keep}{span}>{caption}{table}{notes}</fo:block>'


def render_fop(doc: Doc, specs: dict[str, Spec], out: Path) -> None:
    """Print ``doc`` as XSL-FO through Apache FOP (Debian package ``fop``): its own layout and PDF
    writer, base-14 Times (not embedded; a '−' from Symbol). Two columns are the page's
    ``column-count`` with the full-width table spanning both (``span="all"``); the sideways
    table is a ``block-container`` turned 90° on a page of its own; the landscape table a
    landscape page sequence."""
    head, title = head_and_title(doc, "fop")
    tables = list(enumerate(doc.tables, start=1))
    long = doc.layout == "long"
    page_w, page_h = 595.3, 841.9
    m = FO_PAGE
    body_w = page_w - 2 * m["margin_x"]
    body_h = page_h - m["top"] - m["bottom"] - m["before"] - m["after"]
    col_w = (body_w - 16) / 2

    def master(name: str, w: float, h: float, columns: int = 1) -> str:
        cols = f' column-count="{columns}" column-gap="16pt"' if columns > 1 else ""
        return (f'<fo:simple-page-master master-name="{name}" page-width="{w}pt" page-height="{h}pt" margin-top="{m["top"]}pt" '
                f'margin-bottom="{m["bottom"]}pt" margin-left="{m["margin_x"]}pt" margin-right="{m["margin_x"]}pt">'
                f'<fo:region-body margin-top="{m["before"]}pt" margin-bottom="{m["after"]}pt"{cols}/>'
                f'<fo:region-before extent="{m["before"] - 12}pt"/><fo:region-after extent="{m["after"] - 12}pt"/></fo:simple-page-master>')

    continued = long and tables[0][1].continued
    if continued:  # room under the running head for the "(continued)" caption
        m = {**m, "before": m["before"] + 18}
    cont = ('<fo:block font-size="9.5pt" line-height="11.5pt" space-before="6pt"><fo:retrieve-marker retrieve-class-name="cont" '
            'retrieve-position="first-including-carryover" retrieve-boundary="page-sequence"/></fo:block>') if continued else ""

    def sequence(master_name: str, flow: list[str]) -> str:
        return (f'<fo:page-sequence master-reference="{master_name}">'
                '<fo:static-content flow-name="xsl-region-before"><fo:block font-size="8pt" font-style="italic" text-align-last="justify" '
                f'border-after-style="solid" border-after-width="0.3pt" padding-after="2pt">{_fo_text(head)}<fo:leader leader-pattern="space"/>{_fo_text(doc.name)}</fo:block>{cont}</fo:static-content>'
                '<fo:static-content flow-name="xsl-region-after"><fo:block font-size="9pt" text-align="center"><fo:page-number/></fo:block></fo:static-content>'
                f'<fo:flow flow-name="xsl-region-body">{"".join(flow)}</fo:flow></fo:page-sequence>')

    def para(text: str) -> str:
        return f'<fo:block text-align="justify" space-after="6pt">{_fo_text(text)}</fo:block>'

    def block(number: int, placed: Placed, avail: float, span_all: bool = False) -> str:
        return fo_table(number, specs[placed.key], placed, avail, long, span_all, doc.density)

    span = ' span="all"' if doc.layout == "twocol" else ""
    heading = f'<fo:block font-size="15pt" line-height="19pt" font-weight="bold" space-after="12pt"{span}>{_fo_text(title)}</fo:block>'
    masters = [master("portrait", page_w, page_h), master("landscape", page_h, page_w), master("twocol", page_w, page_h, 2)]
    flow = [heading]
    seqs = []
    if doc.layout == "single":
        flow.append(para(prose(0, 5)))
        for number, placed in tables:
            flow += [para(prose(number, 3) + " " + mention(number)), block(number, placed, body_w), para(prose(number + 3, 4))]
        seqs.append(sequence("portrait", flow))
    elif long:
        (number, placed), = tables
        flow += [para(prose(k, 4)) for k in range(7)]
        flow += [para(prose(4, 2) + " " + mention(number)), block(number, placed, body_w), para(prose(5, 4))]
        seqs.append(sequence("portrait", flow))
    elif doc.layout == "sideways":
        (number, placed), = tables
        flow += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        # (FOP takes a turned container's width and height in its own, turned frame)
        flow.append(f'<fo:block-container reference-orientation="90" break-before="page" break-after="page" width="{body_h - 4:.1f}pt" height="{body_w:.1f}pt">'
                    f"{block(number, placed, body_h - 8)}</fo:block-container>")
        flow += [para(prose(k, 4)) for k in range(4, 8)]
        seqs.append(sequence("portrait", flow))
    elif doc.layout == "landscape":
        (number, placed), = tables
        flow += [para(prose(k, 4) + (" " + mention(number) if k == 2 else "")) for k in range(4)]
        seqs += [sequence("portrait", flow), sequence("landscape", [block(number, placed, page_h - 2 * m["margin_x"])]),
                 sequence("portrait", [para(prose(k, 4)) for k in range(4, 8)])]
    elif doc.layout == "twocol":
        (n1, col1), (n2, full), (n3, col2) = tables
        flow += [para(prose(0, 4)), para(prose(1, 3) + " " + mention(n1)), block(n1, col1, col_w),
                 para(prose(2, 3)), para(prose(3, 5)), para(prose(4, 5) + " " + mention(n2)), block(n2, full, body_w, span_all=True),
                 para(prose(6, 3)), para(prose(10, 3) + " " + mention(n3)), block(n3, col2, col_w),
                 para(prose(11, 4)), para(prose(8, 3))]
        seqs.append(sequence("twocol", flow))
    else:
        raise ValueError(doc.layout)
    fo = (f'<?xml version="1.0" encoding="UTF-8"?>\n<fo:root xmlns:fo="{FO_NS}" font-family="Times,Symbol" font-size="10pt" line-height="12.5pt">'
          f'<fo:layout-master-set>{"".join(masters)}</fo:layout-master-set>'
          f'<fo:declarations><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
          f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{html.escape(title)}</dc:title><dc:creator>curate layout zoo</dc:creator></rdf:Description>'
          f'</rdf:RDF></x:xmpmeta></fo:declarations>{"".join(seqs)}</fo:root>')
    fop = shutil.which("fop")
    if fop is None:
        raise SystemExit("fop not found (Debian package 'fop'; it needs Java)")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.fo"
        src.write_text(fo, encoding="utf-8")
        run = subprocess.run([fop, "-q", "-fo", str(src), "-pdf", str(Path(tmp) / "doc.pdf")], capture_output=True, timeout=300,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "0"})
        errors = [ln for ln in run.stderr.decode(errors="replace").splitlines() if "SEVERE" in ln or "ERROR" in ln or "Exception" in ln]
        if run.returncode or errors:
            raise SystemExit(f"fop ({doc.name}): " + "\n".join(errors or run.stderr.decode(errors="replace").splitlines()[-20:]))
        shutil.copyfile(Path(tmp) / "doc.pdf", out)


RENDERERS: dict[str, Callable[[Doc, dict[str, Spec], Path], None]] = {
    "reportlab": render_reportlab,
    "chromium": render_chromium,
    "typst": render_typst,
    "libreoffice": render_writer,
    "groff": render_groff,
    "latex": render_latex,
    "xelatex": functools.partial(render_latex, producer="xelatex"),
    "weasyprint": render_weasyprint,
    "fop": render_fop,
}


# ====================================================================== measuring and writing


def table_parts(pdf: Path, numbers: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Per table number, the pages it is printed on and the box of its cell text there
    ([x0, top, x1, bottom], points from the top left of the page as displayed)."""
    import pdfplumber

    found: dict[int, list[dict[str, Any]]] = {n: [] for n in numbers}
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            boxes: dict[int, list[float]] = {}
            for ch in page.chars:
                colour = ch.get("non_stroking_color") or ()
                if not ch["text"].strip() or len(colour) != 3 or colour[0] or colour[1]:
                    continue
                n = round(colour[2] * 255)
                if n in found:
                    box = boxes.setdefault(n, [ch["x0"], ch["top"], ch["x1"], ch["bottom"]])
                    box[:] = [min(box[0], ch["x0"]), min(box[1], ch["top"]), max(box[2], ch["x1"]), max(box[3], ch["bottom"])]
            for n, box in sorted(boxes.items()):
                found[n].append({"page": page.page_number, "bbox": [round(v, 1) for v in box]})
    return found


def write_csv(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def build(out: Path, producers: Sequence[str], docs: Sequence[Doc], unsampled: bool = False) -> list[dict[str, Any]]:
    """Print the documents with each producer (but for ``COMMITTED``'s sample unless
    ``unsampled``); returns the manifest entries written."""
    specs = all_tables()
    entries = []
    for producer in producers:
        for doc in docs:
            if producer not in doc.producers or (not unsampled and doc.name not in COMMITTED.get(producer, {doc.name})):
                continue
            name = f"{producer}-{doc.name}"
            pdf = out / "pdfs" / f"{name}.pdf"
            pdf.parent.mkdir(parents=True, exist_ok=True)
            RENDERERS[producer](doc, specs, pdf)
            parts = table_parts(pdf, range(1, len(doc.tables) + 1))
            shutil.rmtree(out / "expected" / name, ignore_errors=True)
            for number, placed in enumerate(doc.tables, start=1):
                spec = specs[placed.key]
                if not parts[number]:
                    raise SystemExit(f"{name}: table {number} not found in the printed PDF")
                pages = [p["page"] for p in parts[number]]
                if doc.layout == "long" and len(pages) != 3:
                    raise SystemExit(f"{name}: the long table spans pages {pages}, not three")
                write_csv(out / "expected" / name / f"table_{number}.csv", spec.expected())
                entries.append({
                    "pdf": f"pdfs/{name}.pdf", "expected": f"expected/{name}/table_{number}.csv",
                    "table": number, "caption": plain(caption_text(number, spec)).replace("^", ""), "source": spec.key,
                    "producer": producer, "style": placed.style, "layout": doc.layout, "density": doc.density, "place": placed.place,
                    "repeat_header": placed.repeat, "continued_caption": placed.continued and CAN_CONTINUE[producer],
                    "pages": pages, "parts": parts[number],
                })
            print(f"{name}: {len(doc.tables)} tables", file=sys.stderr)
    return entries


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder for pdfs/, expected/ and manifest.json (default: this folder)")
    ap.add_argument("--producers", default=",".join(PRODUCERS), help="comma-separated subset of " + ", ".join(PRODUCERS))
    ap.add_argument("--docs", default="", help="comma-separated document names (default: all); others keep their PDFs")
    ap.add_argument("--unsampled", action="store_true", help="every document of every producer, not only COMMITTED's sample (into another --out)")
    args = ap.parse_args(argv)
    producers = [p for p in args.producers.split(",") if p]
    names = [d for d in args.docs.split(",") if d] or [d.name for d in DOCS]
    unknown = sorted(set(producers) - set(PRODUCERS)) + sorted(set(names) - {d.name for d in DOCS})
    if unknown:
        ap.error(f"unknown producer(s) or document(s): {', '.join(unknown)}")
    entries = build(args.out, producers, [d for d in DOCS if d.name in names], args.unsampled)
    manifest = args.out / "manifest.json"
    redone = {e["pdf"] for e in entries}
    kept = [e for e in json.loads(manifest.read_text(encoding="utf-8")) if e["pdf"] not in redone] if manifest.exists() else []
    order = {p: i for i, p in enumerate(PRODUCERS)}
    merged = sorted(kept + entries, key=lambda e: (order[e["producer"]], e["pdf"], e["table"]))
    manifest.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
