"""Where a ruled box ends: the page's text under it is no part of it, though the rules drawn
further down (a phrase's underline, a footnote's separator) lie within its width. Drawn here
with reportlab from invented figures and words; the ICDAR 2013 documents named are the real
cases."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_a_bottom_rule_set_tight_under_the_last_row_is_no_underline(tmp_path: Path) -> None:
    """A booktabs box whose rows run flush from the rules' left end to their right end and
    whose bottom rule sits right under the last row's words: the box's rule, not that row's
    underline (a row has gutters; an underlined phrase has none). The box was cut at its
    header rule (ICDAR us-018 Table 18)."""
    pdf = tmp_path / "tight.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    c.setFont("Helvetica", 9)
    rows = [[f"20{k:02d}", f"{41 + k},{100 + 7 * k}", f"{2 * k},{310 + k}", f"{300 + 11 * k}.{k}"] for k in range(10, 20)]
    left, top = 72.0, 700.0
    right = left + 300
    c.drawString(left, top + 8, "Table 18. Pupils enrolled and spending, by year")
    c.line(left, top, right, top)
    c.drawCentredString(left + 250, top - 10, "Spending")
    c.line(left + 210, top - 14, right, top - 14)
    c.drawString(left, top - 24, "Year")
    c.drawRightString(left + 150, top - 24, "Enrolled")
    c.drawRightString(left + 200, top - 24, "Pupils")
    c.drawRightString(right, top - 24, "Spent")
    c.drawRightString(left + 150, top - 34, "(thousands)")
    c.drawRightString(left + 200, top - 34, "(total)")
    c.drawRightString(right, top - 34, "(millions)")
    c.line(left, top - 38, right, top - 38)
    y = top - 48
    for row in rows:
        c.drawString(left, y, row[0])
        c.drawRightString(left + 150, y, row[1])
        c.drawRightString(left + 200, y, row[2])
        c.drawRightString(right, y, row[3])
        y -= 11
    c.line(left, y + 11 - 2.2, right, y + 11 - 2.2)  # under the last row's baseline, inside its glyph box
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.settings["found_by"] == "rules" and table.parts[0].bbox[3] == pytest.approx(letter[1] - (y + 11 - 2.2), abs=0.5)
    assert table.header == ["Year", "Enrolled (thousands)", "Spending Pupils (total)", "Spending Spent (millions)"]
    assert table.rows == rows


def test_icdar_us018_bottom_rule_under_the_last_row() -> None:
    """ICDAR 2013 us-018 page 6: Table 18's bottom rule, right under its last row's words, was
    taken for that row's underline; the box ended at its header (4 rows, scored 0.51)."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-018.pdf")
    (table,) = [t for t in pdf_tables(path) if t.parts[0].page == 6]
    assert table.caption is not None and table.caption.startswith("Table 18.")
    assert table.n_rows == 28 and table.rows[-1][0] == "2021–22"
