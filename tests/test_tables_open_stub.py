"""A ruled table whose rules over the header leave its stub column open (the stub's header cell
empty, a spanner over each group of figure columns), under a caption set with a hanging indent
(its label a gutter from its text), with ':' for a figure not available and a key to that mark
under it: the header is the spanner and the line under it, not the first row; the caption is the
caption, not a sentence above that starts a line with "Table 4)."; ':' is no text in a column of
figures and the key is no row left out. Drawn here with reportlab from invented figures; ICDAR
2013 eu-012 (Tables 3 and 4) is the real case."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

GROUPS = ["North", "South"]
SUB = ["Women", "Men", "Total"]
ROWS = [["1995", "15.1", "15.7", "15.4", ":", ":", ":"], ["2000", "10.6", "9.1", "9.8", "10.2", "7.4", "8.6"], ["2005", "8.6", "8.2", "8.4", "9.8", "7.9", "8.7"]]
CAPTION = "Table 3: Rate of first admissions by sex in the northern and the southern region in 1995, 2000 and 2005 (in %)"


def _draw(path: Path) -> None:
    c = Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    left, right = 70.0, 525.0
    y = height - 90
    c.setFont("Times-Roman", 11)
    for text in ("the admissions fell over the decade in both regions while the share of women rose; the figures are in", "Table 4)."):
        c.drawString(left, y, text)
        y -= 14
    y -= 20
    c.setFont("Times-Italic", 11)
    c.drawString(left, y, "Table 3:")
    c.drawString(136, y, "Rate of first admissions by sex in the northern and the southern region in")
    y -= 14
    c.drawString(136, y, "1995, 2000 and 2005 (in %)")
    y -= 10
    stub = 108.0  # a narrow stub: the rule across the whole box is under a tenth wider than those over the figures
    width = (right - stub) / 6
    xs = [stub + width * k for k in range(7)]
    c.setLineWidth(0.6)
    c.line(stub, y, right, y)  # top rule: over the figure columns only (the stub is open)
    y -= 12
    c.setFont("Times-Bold", 9)
    for g, name in enumerate(GROUPS):
        c.drawCentredString((xs[3 * g] + xs[3 * g + 3]) / 2, y, name)
    y -= 5
    for g in range(2):
        c.line(xs[3 * g], y, xs[3 * g + 3], y)
    y -= 11
    c.setFont("Times-Bold", 7)
    for k in range(6):
        c.drawCentredString((xs[k] + xs[k + 1]) / 2, y, SUB[k % 3])
    y -= 5
    c.line(left, y, right, y)  # the first rule across the whole box: under the header
    for row in ROWS:
        y -= 14
        c.setFont("Times-Bold", 10)
        c.drawRightString(stub - 8, y, row[0])
        c.setFont("Times-Roman", 10)
        for k, cell in enumerate(row[1:]):
            c.drawCentredString((xs[k] + xs[k + 1]) / 2, y, cell)
        y -= 8
        c.line(left, y, right, y)
    c.setFont("Times-Roman", 8)
    y -= 12
    c.drawString(left, y, "(:)")
    c.drawString(136, y, "Not available.")
    y -= 10
    c.drawString(left, y, "Source:")
    c.drawString(136, y, "Regional health register, 2006.")
    c.showPage()
    c.save()


def test_header_over_an_open_stub_is_the_spanner_and_the_line_under_it(tmp_path: Path) -> None:
    """Regression (ICDAR eu-012): the first row was read into the header (the first rule
    across the whole box taken for the top one) and the caption's first line into the box
    (the sentence above that starts a line with 'Table 4).' taken for its caption); ':' cells
    made the columns of figures 'mix figures and text' and the key under the table a row left out."""
    pdf = tmp_path / "open_stub.pdf"
    _draw(pdf)
    tables = pdf_tables(pdf)
    assert len(tables) == 1
    table = tables[0]
    assert table.header == ["", *(f"{g} {s}" for g in GROUPS for s in SUB)]
    assert table.rows == ROWS
    assert table.caption == CAPTION
    assert table.score == 1.0, table.reasons


WIDE_ROWS = [["Median household income", "$49,497", "$51,295", "$52,587", "$52,500"], ["Income inequality (Gini index)", "0.4590", "0.4560", "0.4580", "0.4620"], ["Premature mortality", "7108.3", "6960.6", "6920.0", "6899.5"], ["Inequality in HALex (Gini index)", "0.0928", "0.0872", "0.0848", "0.0840"]]


def _draw_wide_stub(path: Path) -> None:
    """A wide stub (a third of the box) whose head stands beside the columns' heads, under
    rules drawn over the figure columns only (the top rule and a spanner's), then the rule
    across the whole box; one row of figures in dollars."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    left, stub, right = 60.0, 240.0, 520.0
    xs = [stub + (right - stub) / 4 * k for k in range(5)]
    y = height - 90
    c.setFont("Helvetica-Bold", 10)
    c.drawString(left, y, "Table 1. Inequality measures, 1997-2000")
    y -= 10
    c.setLineWidth(0.6)
    c.line(stub, y, right, y)  # top rule: over the figure columns only
    y -= 10
    c.setFont("Helvetica", 8)
    c.drawCentredString((stub + right) / 2, y, "Year")
    y -= 4
    c.line(stub, y, right, y)  # the spanner's rule
    y -= 10
    c.setFont("Helvetica-Bold", 8)
    c.drawString(left, y, "Inequality measure")
    for k, year in enumerate(("1997", "1998", "1999", "2000")):
        c.drawRightString(xs[k + 1] - 6, y, year)
    y -= 5
    c.line(left, y, right, y)  # the first rule across the whole box: under the header
    c.setFont("Helvetica", 8)
    for row in WIDE_ROWS:
        y -= 14
        c.drawString(left, y, row[0])
        for k, cell in enumerate(row[1:]):
            c.drawRightString(xs[k + 1] - 6, y, cell)
    y -= 6
    c.line(left, y, right, y)
    c.showPage()
    c.save()


def test_a_header_beside_a_wide_open_stub_is_the_tables(tmp_path: Path) -> None:
    """Regression (ICDAR us-023): the rules over the figure columns only were a box of their
    own, the table started at the rule across it (header lost: 'no header row found'), and
    '$49,497' counted as text in a column of figures."""
    pdf = tmp_path / "wide_stub.pdf"
    _draw_wide_stub(pdf)
    (table,) = pdf_tables(pdf)
    assert table.header == ["Inequality measure", *(f"Year {y}" for y in ("1997", "1998", "1999", "2000"))]
    assert table.rows == WIDE_ROWS
    assert table.caption == "Table 1. Inequality measures, 1997-2000"
    assert table.score == 1.0, table.reasons


def test_icdar_us023_header_over_a_wide_open_stub() -> None:
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-023.pdf")
    table = next(t for t in pdf_tables(path) if t.rows and t.rows[0][0] == "Median household income")
    assert table.header[:3] == ["Inequality measure", "Year 1997", "Year 1998"]
    assert len(table.rows) == 7 and table.score == 1.0, table.reasons


@pytest.mark.parametrize(("page", "year"), [(4, "1995"), (5, "1995")])
def test_icdar_eu012_first_row_is_no_header(page: int, year: str) -> None:
    """ICDAR 2013 eu-012 Tables 3 and 4: the header is the countries over the sexes, the first
    row its own; the caption is 'Table N: ...', not a sentence above."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-eu", "eu-012.pdf")
    table = next(t for t in pdf_tables(path) if t.parts[0].page == page and t.header[1].startswith("Finland"))
    assert table.header[1] == "Finland Female" and table.rows[0][0] == year and len(table.rows) == 3
    assert table.caption is not None and table.caption.startswith(f"Table {page - 1}:")
    assert table.score == 1.0, table.reasons
