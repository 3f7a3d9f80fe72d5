"""Where a ruled box ends: the page's text under it is no part of it, though the rules drawn
further down (a phrase's underline, a footnote's separator) lie within its width. Drawn here
with reportlab from invented figures and words; the ICDAR 2013 documents named are the real
cases."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

HEADER = ["Region", "Year one", "Year two"]
ROWS = [["North", "41.2%", "38.5%"], ["South", "33.0%", "29.1%"], ["West", "25.8%", "32.4%"]]
#: Invented running text: an indented paragraph, then a bullet opening with an underlined phrase.
PARAGRAPH = [
    (130.0, "The survey was repeated in each region over two years, and the shares in the table"),
    (72.0, "above are those of the households that answered both of its rounds, whatever their size or"),
]
BULLET = ["Sampling frame.", "Households were drawn at random from the register of each region"]
TAIL = ["of the country, so that every household had the same chance of being drawn in each round."]


def test_grid_over_a_paragraph_running_past_its_side(tmp_path: Path) -> None:
    """A full grid, then a paragraph whose indented first line starts over the grid and runs
    past its right side, a bullet with an underlined phrase, a footnote rule: the box is the
    grid alone (the paragraph's lines were taken for another column's, the box ran down to the
    underline and read the paragraph as rows)."""
    pdf = tmp_path / "grid.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    left, right, xs, top, pitch = 66.0, 400.0, [66.0, 206.0, 303.0, 400.0], 380.0, 19.0
    ys = [top - pitch * k for k in range(len(ROWS) + 2)]
    for y in ys:
        c.line(left, y, right, y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for row, y in zip([HEADER, *ROWS], ys):
        c.setFont("Times-Bold" if row is HEADER else "Times-Roman", 10)
        c.drawString(left + 6, y - 13, row[0])
        for (a, b), cell in zip(zip(xs[1:], xs[2:]), row[1:]):
            c.drawCentredString((a + b) / 2, y - 13, cell)
    c.setFont("Times-Bold", 12)
    c.drawString(72, top + 30, "Exhibit 4.  Households answering both rounds, by region")
    c.setFont("Times-Roman", 12)
    y = ys[-1] - 30
    for x, text in PARAGRAPH:
        c.drawString(x, y, text)
        y -= 14
    y -= 8
    c.setFont("Times-Bold", 12)
    c.drawString(130, y, BULLET[0])
    phrase = c.stringWidth(BULLET[0][:-1], "Times-Bold", 12)
    c.line(130, y - 1.5, 130 + phrase, y - 1.5)
    c.setFont("Times-Roman", 12)
    c.drawString(130 + c.stringWidth(BULLET[0] + " ", "Times-Bold", 12), y, BULLET[1])
    c.drawString(130, y - 14, TAIL[0])
    c.line(72, y - 60, 216, y - 60)
    c.setFont("Times-Roman", 8)
    c.drawString(72, y - 70, "1 Invented figures for a test.")
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert (table.header, table.rows) == (HEADER, ROWS)
    assert table.score == 1.0


def test_icdar_us006_grid_over_a_paragraph() -> None:
    """ICDAR 2013 us-006: the grid under 'Exhibit 1.' ran down to a bulleted phrase's
    underline, the paragraph between read as rows (so the table matched no ground truth)."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-006.pdf")
    (table,) = pdf_tables(path)
    assert [r[0] for r in table.rows] == ["Hispanic", "Black", "White/Other"]
    assert table.parts[0].bbox[3] < 500
