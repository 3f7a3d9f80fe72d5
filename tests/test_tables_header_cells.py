"""Header cells of published tables that a spanning header must not swallow, drawn here with
reportlab from invented figures (booktabs rules, no vertical rules):

- sub-header cells set flush right over right-aligned figures, as close as a word space and a
  little more ('Less than $10,000–  $15,000–'): each heads its own column under the spanner;
- a two-line header cell set at a height staggered against a one-line spanner beside it (cells
  centred up and down in one band): its upper line heads its own column, not the spanner's.

ICDAR 2013 us-002 (Table 4) and us-024 (Table 1) are the real cases."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from curate.extract.tables import Table, extract_tables
from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

FONT, SIZE = "Times-Roman", 10.0
BANDS = [("Less than", "$10,000"), ("$10,000–", "14,999"), ("$15,000–", "29,999"), ("$30,000–", "54,999")]
ROWS = [["Public 4-year, doctorate-granting", "44.4", "25.5", "10.2", "26.9", "19.3"], ["Private not-for-profit 4-year", "45.9", "20.3", "10.3", "25.7", "21.8"], ["Other or not known", "41.3", "11.2", "11.2", "43.2", "15.7"]]


def _read(pdf: Path) -> Table:
    with pdfplumber.open(pdf) as doc:
        (table,) = extract_tables(doc, str(pdf))
    return table


def _booktabs(c: Canvas, left: float, right: float, top: float, header_bottom: float, rows: list[list[str]], edges: list[float]) -> None:
    """Top rule, the rule under the header, body rows (label flush left, figures flush right at
    ``edges``) and the bottom rule."""
    c.setLineWidth(0.5)
    c.line(left, top, right, top)
    c.line(left, header_bottom, right, header_bottom)
    y = header_bottom - 14
    for row in rows:
        c.drawString(left, y, row[0])
        for x, cell in zip(edges, row[1:]):
            c.drawRightString(x, y, cell)
        y -= 13
    c.line(left, y + 6, right, y + 6)


def test_header_cells_set_flush_right_a_little_over_a_word_space_apart_stay_apart(tmp_path: Path) -> None:
    """Each band's cell is two lines set flush right with its column's figures; the columns are
    so close that the first line's cells stand a word space and a third apart. A spanner over
    the bands (with its rule) and a one-column header beside them keep their places."""
    pdf = tmp_path / "tight.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont(FONT, SIZE)
    space = stringWidth(" ", FONT, SIZE)
    left, first = 60.0, 260.0
    edges = [first, first + 60]
    for upper, _ in BANDS[1:]:  # each band's column as wide as its widest word and a gap of a space and a third
        edges.append(edges[-1] + stringWidth(upper, FONT, SIZE) + space * 1.3)
    top = A4[1] - 100
    c.drawCentredString((edges[1] + edges[-1]) / 2 - 20, top - 12, "Amount borrowed")
    c.line(edges[0] + 10, top - 15, edges[-1], top - 15)
    c.drawRightString(edges[0], top - 24, "Percent")
    c.drawRightString(edges[0], top - 36, "borrowed")
    for x, (upper, lower) in zip(edges[1:], BANDS):
        c.drawRightString(x, top - 24, upper)
        c.drawRightString(x, top - 36, lower)
    c.drawString(left, top - 36, "Type of degree-granting institution")
    _booktabs(c, left, edges[-1], top, top - 40, ROWS, edges)
    c.showPage()
    c.save()
    table = _read(pdf)
    assert table.header == ["Type of degree-granting institution", "Percent borrowed", *(f"Amount borrowed {u} {lo}" for u, lo in BANDS)]
    assert table.rows == ROWS


def test_a_two_line_cell_staggered_beside_a_spanner_heads_its_own_column(tmp_path: Path) -> None:
    """Two year groups, each a 'Total occupied / housing units' cell centred up and down beside
    the spanner 'Inadequate housing units' over three sub-headers (the cell's first line set
    half a line below the spanner's), figures flush right under centred headers."""
    pdf = tmp_path / "staggered.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont(FONT, 8.0)
    left, top = 40.0, A4[1] - 100
    groups = [(120.0, "2007"), (320.0, "2009")]
    rows = [["Male", "61,206", "2,862", "(4.7)", "1.1", "60,721", "2,962", "(4.9)", "1.2"], ["Female", "49,486", "2,909", "(5.9)", "1.3", "51,084", "2,795", "(5.5)", "1.4"], ["Total", "110,692", "5,771", "(5.2)", "1.0", "111,800", "5,757", "(5.2)", "1.0"]]
    edges: list[float] = []
    for x, year in groups:
        cells = [x, x + 55, x + 95, x + 130]  # left edges: total | no. | (%) | OR
        widths = [50, 35, 30, 55]
        c.drawCentredString(x + 92, top - 10, year)
        c.line(x, top - 13, x + 185, top - 13)
        c.drawCentredString((cells[1] + x + 185) / 2, top - 24, "Inadequate housing units")
        c.line(cells[1], top - 27, x + 185, top - 27)
        c.drawCentredString(cells[0] + widths[0] / 2, top - 29, "Total occupied")
        c.drawCentredString(cells[0] + widths[0] / 2, top - 38, "housing units")
        for cx, w, label in zip(cells[1:], widths[1:], ["no.", "(%)", "Unadjusted OR"]):
            c.drawCentredString(cx + w / 2, top - 38, label)
        edges.extend(cx + w - 2 for cx, w in zip(cells, widths))
    c.drawString(left, top - 38, "Characteristic")
    _booktabs(c, left, 510, top, top - 42, rows, edges)
    c.showPage()
    c.save()
    table = _read(pdf)
    subs = ["Total occupied housing units", "Inadequate housing units no.", "Inadequate housing units (%)", "Inadequate housing units Unadjusted OR"]
    assert table.header == ["Characteristic", *(f"{year} {s}" for _, year in groups for s in subs)]
    assert table.rows == rows


def test_icdar_us002_sub_headers_set_flush_right_stay_apart() -> None:
    """ICDAR 2013 us-002 Table 4: 'Less than $10,000–  $15,000–  $30,000–' under 'Amount borrowed'."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-002.pdf")
    table = next(t for t in pdf_tables(path) if t.parts[0].page == 1)
    assert table.header[3:] == ["Amount borrowed Less than $10,000", "Amount borrowed $10,000– 14,999", "Amount borrowed $15,000– 29,999", "Amount borrowed $30,000– 54,999", "Amount borrowed $55,000 or more"]


def test_icdar_us024_staggered_cell_heads_its_own_column() -> None:
    """ICDAR 2013 us-024 Table 1: each year's 'total occupied housing units' beside its
    'Inadequate housing units' spanner heads its own column only."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-024.pdf")
    table = next(t for t in pdf_tables(path) if t.parts[0].page == 2)
    assert [h for h in table.header if "occupied" in h] == ["2007 total occupied housing units", "2009 total occupied housing units"]
    assert table.header[4] == "2007 Inadequate housing units Unadjusted oR"


def test_a_centred_stacked_header_cell_heads_its_own_column(tmp_path: Path) -> None:
    """'Weight / Relative / to / Controls / (%)' centred line over line over its column of
    right-aligned figures, between a column headed 'Body Weight (g)' and one headed 'No.' on the
    last line only, placed so the three columns together are centred on the stack more exactly
    than its own figures are: every line of the stack heads its own column."""
    pdf = tmp_path / "stacked.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont(FONT, 8.0)
    top, x = A4[1] - 100, 260.0  # x: the stack's axis
    width = stringWidth("5.8", FONT, 8.0)
    rows = [["0", "5.8", "", "8.8"], ["250", "5.9", "102", "9.0"], ["500", "6.0", "103", "8.6"], ["1,000", "5.8", "100", "8.4"]]
    edges = [x - 30, x + 8, x + 30 + width]  # figures flush right: the outer two columns symmetric about the axis
    c.drawCentredString((edges[0] - width / 2 + x) / 2, top - 10, "Postnatal Day 1")
    c.line(edges[0] - width - 8, top - 13, x + 20, top - 13)
    for k, text in enumerate(["Weight", "Relative", "to", "Controls", "(%)"]):
        c.drawCentredString(x, top - 22 - 9 * k, text)
    for k, text in enumerate(["Body", "Weight", "(g)"]):
        c.drawCentredString(edges[0] - width / 2, top - 40 - 9 * k, text)
    c.drawCentredString(edges[2] - width / 2, top - 58, "No.")
    c.drawString(60, top - 49, "Concentration")
    c.drawString(70, top - 58, "(ppm)")
    _booktabs(c, 60, edges[2] + 10, top, top - 62, rows, edges)
    c.showPage()
    c.save()
    table = _read(pdf)
    assert table.header == ["Concentration (ppm)", "Postnatal Day 1 Body Weight (g)", "Postnatal Day 1 Weight Relative to Controls (%)", "No."]


def test_icdar_us037_centred_stacked_cells_head_their_own_columns() -> None:
    """ICDAR 2013 us-037 Table 6: 'Weight Relative to Controls (%)' stacked over its column."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-037.pdf")
    (table,) = pdf_tables(path)
    assert table.header[2:5] == ["Postnatal Day 1 Body Weight (g)", "Postnatal Day 1 Weight Relative to Controls (%)", "No."]
