"""Tables without rules or captions set between a report's run-in headings ("Capacity:" opening
a paragraph, underlined), and small tables of one column of figures beside their labels, in
one column of two: found from their text. Drawn here with reportlab from invented figures and
filler words; ICDAR 2013 us-026 and camelot's us-007 are the real cases."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

FILLER = "Output rose in most of the producing countries over the last two years, while prices held steady"
ROWS = [
    ["Northland", "61,200", "61,200", "41,500", "41,500"],
    ["Eastmark", "—", "—", "6,000", "6,000"],
    ["Southport", "52,000", "52,000", "—", "—"],
    ["Westvale", "700,000", "700,000", "452,000", "452,000"],
    ["Other countries", "80,000", "80,000", "190,000", "190,000"],
]
XS = [290.0, 370.0, 460.0, 540.0]  # right edges of the figure columns


def _heading(c: Canvas, x: float, y: float, head: str, text: str) -> None:
    """A run-in heading, underlined, then the paragraph's first words on its line."""
    c.setFont("Helvetica-Bold", 10)
    c.drawString(x, y, head)
    width = c.stringWidth(head[:-1], "Helvetica-Bold", 10)
    c.line(x, y - 1.5, x + width, y - 1.5)
    c.setFont("Helvetica", 10)
    c.drawString(x + c.stringWidth(head + " ", "Helvetica-Bold", 10), y, text)


def test_a_table_between_underlined_run_in_headings(tmp_path: Path) -> None:
    """The underlines of the headings above and below the table were taken for a ruled box's
    rules, and the table was lost; its second header line (years under two spanners) is the
    header's, not a row."""
    pdf = tmp_path / "runin.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    c.setFont("Helvetica", 10)
    y = 700.0
    for _ in range(4):
        c.drawString(45, y, FILLER + " in all the markets.")
        y -= 11
    y -= 11
    _heading(c, 45, y, "World Capacity:", "")
    y -= 11
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(330, y, "Alumina")
    c.drawCentredString(500, y, "Carbide")
    y -= 11
    for x, year in zip(XS, ["2009", "2010", "2009", "2010"]):
        c.drawRightString(x, y, year)
    c.setFont("Helvetica", 10)
    for row in ROWS:
        y -= 11
        c.drawString(45, y, row[0])
        for x, cell in zip(XS, row[1:]):
            c.drawRightString(x, y, cell)
    y -= 22
    _heading(c, 45, y, "World Resources:", FILLER + ".")
    c.drawString(45, y - 11, FILLER + " in all the markets.")
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == ["", "Alumina 2009", "Alumina 2010", "Carbide 2009", "Carbide 2010"]
    assert table.rows == ROWS
    assert table.score == 1.0


def test_a_column_of_amounts_beside_labels_the_first_with_a_currency_sign(tmp_path: Path) -> None:
    """Two columns, labels and amounts ('$ 40.40' first, its sign set apart), under a header
    line: a table (one figure a row, the header line no row of figures)."""
    pdf = tmp_path / "amounts.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    rows = [["Weekly", "$ 40.40"], ["Biweekly", "80.80"], ["Monthly", "175.00"], ["Quarterly", "525.00"], ["Annually", "2,100.00"]]
    c.setFont("Helvetica-Bold", 9)
    c.drawString(60, 640, "Pay period")
    c.drawRightString(290, 640, "Amount added")
    c.setFont("Helvetica", 9)
    for k, (label, amount) in enumerate(rows):
        y = 622 - 16 * k
        c.drawString(60, y, label)
        if amount.startswith("$"):
            c.drawString(250, y, "$")
        c.drawRightString(290, y, amount.lstrip("$ "))
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert (table.header, table.rows) == (["Pay period", "Amount added"], rows)


def test_icdar_us026_table_between_underlined_headings() -> None:
    """ICDAR 2013 us-026: not found (the headings' underlines made a ruled box round it)."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-026.pdf")
    (table,) = pdf_tables(path)
    assert table.header[1:] == ["Fused aluminum oxide 2009", "Fused aluminum oxide 2010", "Silicon carbide 2009", "Silicon carbide 2010"]
    assert [r[0] for r in table.rows][-2:] == ["Other countries", "World total (rounded)"]


def test_a_column_of_amounts_in_one_column_of_two(tmp_path: Path) -> None:
    """In the right column of two, prose beside it on the left: a head wrapped upward ('Amount
    per' alone over 'Allowance', set solid), amounts under it, the last label wrapped onto an
    indented line set closer than the rows are. The head's first line and the label's last line
    were left out, and the table, cut short and in one column, was dropped."""
    pdf = tmp_path / "amounts.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setFont("Helvetica", 10)
    for k in range(40):  # the left column's prose
        c.drawString(42, 700 - 11.4 * k, "Filler words of the left column, set at its" if k % 2 else "width to run beside the table on the right.")
    c.setFont("Helvetica-Bold", 9)
    c.drawString(488, 500, "Amount per")
    c.drawString(323, 491, "Pay period")
    c.drawString(488, 491, "Allowance")
    c.setFont("Helvetica", 9)
    rows = [["Weekly", "71.15"], ["Biweekly", "142.31"], ["Monthly", "308.33"], ["Quarterly", "925.00"], ["Annually", "3,700.00"], ["Daily or other", "14.23"]]
    y = 474.0
    for label, amount in rows:
        c.drawString(323, y, label)
        c.drawRightString(536, y, amount)
        y -= 16.4
    c.drawString(330, y + 16.4 - 11.4, "(each day of the period)")
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == ["Pay period", "Amount per Allowance"]
    assert table.rows == rows[:-1] + [["Daily or other (each day of the period)", "14.23"]]


def test_camelot_us007_table_in_one_column_of_two() -> None:
    """camelot's us-007 (its test passes the table's area by hand; curate finds it alone): the
    two-column table of page 1, its head wrapped upward and its last label wrapped."""
    path = need_shared("corpus", "tables", "camelot", "us-007.pdf")
    (table,) = [t for t in pdf_tables(path) if t.parts[0].page == 1]
    assert table.header == ["Payroll Period", "One Withholding Allowance"]
    assert table.rows[0] == ["Weekly", "$ 71.15"] and table.rows[-1] == ["Daily or Miscellaneous (each day of the payroll period)", "14.23"]
