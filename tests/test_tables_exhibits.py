"""Reports number their tables as exhibits ("Exhibit 9", "Exhibit 2.2."): such a line at a table
is its caption, as "Table N" is, never its header; but an exhibit may be a chart, so a box
holding a drawing under an "Exhibit N" caption stays a figure. Drawn here with reportlab from
invented figures; ICDAR 2013 us-013 and us-008 are the real cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

HEADER = ["", "Program A", "Program B", "Program C"]
ROWS = [["Students served", "1,530", "1,029", "2,559"], ["Schools taking part", "118", "96", "214"], ["Share of districts", "34%", "21%", "55%"]]
LEFT, RIGHT = 72.0, 540.0
XS = [LEFT, 220.0, 327.0, 434.0, RIGHT]


def _grid(c: Canvas, top: float, pitch: float = 18.0) -> float:
    """A full grid of HEADER and ROWS from ``top`` down; returns its bottom."""
    ys = [top - pitch * k for k in range(len(ROWS) + 2)]
    for y in ys:
        c.line(LEFT, y, RIGHT, y)
    for x in XS:
        c.line(x, top, x, ys[-1])
    for row, y in zip([HEADER, *ROWS], ys):
        c.setFont("Helvetica-Bold" if row is HEADER else "Helvetica", 9)
        c.drawString(LEFT + 3, y - 12, row[0])
        for (a, b), cell in zip(zip(XS[1:], XS[2:]), row[1:]):
            c.drawCentredString((a + b) / 2, y - 12, cell)
    return ys[-1]


def test_an_exhibit_title_inside_the_frame_is_the_caption(tmp_path: Path) -> None:
    """The frame round the grid also holds, in its top band, the label 'Exhibit 9' and the
    title centred under it: the caption, not a header cell over all the columns."""
    pdf = tmp_path / "exhibit.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    top = 640.0
    c.setFont("Helvetica-Bold", 11)
    c.drawCentredString((LEFT + RIGHT) / 2, top - 14, "Exhibit 9")
    c.drawCentredString((LEFT + RIGHT) / 2, top - 28, "Reach of the Three Programs in the School Year")
    bottom = _grid(c, top - 36)
    c.rect(LEFT, bottom, RIGHT - LEFT, top - bottom)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.caption == "Exhibit 9 Reach of the Three Programs in the School Year"
    assert (table.header, table.rows) == (HEADER, ROWS)
    assert table.score == 1.0


@pytest.mark.parametrize("label", ["Exhibit 2.2.", "Table 2.2."])
def test_an_exhibit_caption_above_a_grid_is_no_header(tmp_path: Path, label: str) -> None:
    """'Exhibit 2.2.' and its title, left-set over the grid, are its caption as 'Table 2.2.' is."""
    pdf = tmp_path / "exhibit.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    c.setFont("Times-Bold", 12)
    c.drawString(LEFT, 660, label)
    c.drawString(LEFT + 80, 660, "Reach of the Three Programs, by Measure")
    _grid(c, 640.0)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.caption == f"{label} Reach of the Three Programs, by Measure"
    assert (table.header, table.rows) == (HEADER, ROWS)


@pytest.mark.parametrize(("label", "kept"), [("Exhibit 4", False), ("Table 4", True)])
def test_a_chart_under_an_exhibit_caption_is_a_figure(tmp_path: Path, label: str, kept: bool) -> None:
    """A framed line chart whose data labels stand in columns, under 'Exhibit 4': a figure (an
    exhibit may be a chart), while 'Table 4' says the box is a table whatever it holds."""
    pdf = tmp_path / "chart.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setLineWidth(0.5)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(LEFT, 662, f"{label}. Students served by year")
    top, bottom = 650.0, 450.0
    c.rect(LEFT, bottom, RIGHT - LEFT, top - bottom)
    c.setFont("Helvetica", 9)
    years, values = ["2003", "2004", "2005", "2006", "2007", "2008"], [41, 52, 48, 63, 70, 66]
    points = [(140.0 + 70 * k, bottom + 20 + 2.2 * v) for k, v in enumerate(values)]
    for (x, y), year, value in zip(points, years, values):
        c.drawCentredString(x, bottom + 8, year)
        c.drawCentredString(x, y + 6, str(value))
    for a, b in zip(points, points[1:]):
        c.line(*a, *b)
    for x, y in points:  # the markers: a cross at each point
        c.line(x - 3, y - 3, x + 3, y + 3)
        c.line(x - 3, y + 3, x + 3, y - 3)
    c.showPage()
    c.save()
    assert bool(pdf_tables(pdf)) == kept


def test_icdar_us013_exhibit_title_in_the_frame() -> None:
    """ICDAR 2013 us-013: 'Exhibit 9' and its title, inside the box's frame, were the header
    (one cell over all five columns; scored 0.64), the column heads read as a row."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-013.pdf")
    (table,) = pdf_tables(path)
    assert table.caption is not None and table.caption.startswith("Exhibit 9 Characteristics")
    assert table.header[1] == "General Assessment" and [r[0] for r in table.rows] == ["Content standards taught and assessed", "Achievement standards", "Participating students"]


def test_icdar_us008_exhibit_caption_above_the_box() -> None:
    """ICDAR 2013 us-008: 'Exhibit 2.2.' and its title were read as the header row."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-008.pdf")
    first = [t for t in pdf_tables(path) if t.parts[0].page == 1]
    assert [t.header for t in first] == [["Age Cohort", "Head Start Group", "Control Group", "Total Sample"]]
    assert first[0].caption is not None and first[0].caption.startswith("Exhibit 2.2.")
