"""Section labels set across the columns of figures in a table's body: a long phrase centred over
the figure columns ('Percentage difference between actual and projected values', a spanner
printed among the rows, as statistical agencies set them) or set from the label column across
them. Its words stand in the gutters between the columns: they are one cell, a section row in
the first column, and neither run the columns they cross together nor make columns of their own.
Drawn here with reportlab from invented figures; ICDAR 2013 us-019 (Tables A-3 and A-4) is the
real case (tests/test_corpus_tables.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.tables_compare import pdf_tables

HEADER = ["Source", "2019", "2020", "2021", "2022"]
SECTIONS = ["Enrolment, in thousands", "Percentage difference between the reported and the projected values"]
BLOCKS = [
    [["Reported", "41,207", "41,318", "41,502", "41,744"]],
    [["Projection series 2019", "0.6", "1.2", "1.5", "2.1"], ["Projection series 2020", "†", "0.8", "1.1", "1.7"], ["Projection series 2021", "†", "†", "-0.3", "-0.6"]],
]
#: Right edges of the four columns of figures; the label column starts at the left margin.
RIGHTS = [300.0, 390.0, 480.0, 570.0]


def _draw(path: Path, centred: bool, booktabs: bool, sections: list[str] = SECTIONS) -> None:
    """Table 1 in 9 pt Helvetica at a 13 pt row pitch, one rule under its header (and top and
    bottom rules when ``booktabs``), each block of rows under a section label: centred over the
    figure columns, or set from the label column's edge."""
    c = Canvas(str(path), pagesize=letter, invariant=1)
    left, y = 40.0, letter[1] - 80
    c.setFont("Helvetica-Bold", 9)
    c.drawString(left, y, "Table 1. Reported and projected enrolment, by projection series")
    c.setFont("Helvetica", 9)
    c.setLineWidth(0.6)
    y -= 8
    if booktabs:
        c.line(left, y, RIGHTS[-1], y)
    y -= 12
    c.drawString(left, y, HEADER[0])
    for x, head in zip(RIGHTS, HEADER[1:]):
        c.drawRightString(x, y, head)
    c.line(left, y - 4, RIGHTS[-1], y - 4)
    for section, rows in zip(sections, BLOCKS):
        y -= 17
        if centred:
            c.drawCentredString((RIGHTS[0] - 40 + RIGHTS[-1]) / 2, y, section)
        else:
            c.drawString(left, y, section)
        for row in rows:
            y -= 13
            c.drawString(left, y, row[0])
            for x, cell in zip(RIGHTS, row[1:]):
                c.drawRightString(x, y, cell)
    if booktabs:
        c.line(left, y - 5, RIGHTS[-1], y - 5)
    c.setFont("Helvetica", 8)
    c.drawString(left, y - 18, "† Not applicable.")
    c.showPage()
    c.save()


@pytest.mark.parametrize("booktabs", [True, False])
@pytest.mark.parametrize("centred", [True, False])
def test_a_section_label_across_the_figure_columns_is_a_section_row(tmp_path: Path, centred: bool, booktabs: bool) -> None:
    pdf = tmp_path / "sections.pdf"
    _draw(pdf, centred, booktabs)
    (table,) = pdf_tables(pdf)
    want = [row for section, rows in zip(SECTIONS, BLOCKS) for row in [[section, "", "", "", ""], *rows]]
    assert table.header == HEADER
    assert table.rows == want
    assert table.score >= 0.95, table.reasons


def test_a_section_label_ending_in_a_year_over_the_first_figures_column_is_a_section_row(tmp_path: Path) -> None:
    """A section label set from the label column's edge, ending in a year, that runs across the
    gutter into the first column of figures (over none of its figures: it stands alone on its
    line): one cell in the first column, its last words not cut off into the column of figures.
    Regression (ICDAR us-002 Table 5, 'Highest enrollment after bachelor's degree by 2003'):
    its last words went to the first column of figures and the group's three rows were run
    into it."""
    pdf = tmp_path / "year.pdf"
    sections = ["Reported enrolment over all the academic years up to 2019", "Revised by the end of 2023"]
    _draw(pdf, centred=False, booktabs=False, sections=sections)
    (table,) = pdf_tables(pdf)
    assert table.rows == [row for section, rows in zip(sections, BLOCKS) for row in [[section, "", "", "", ""], *rows]]


def test_a_row_of_words_in_the_columns_is_no_section_row(tmp_path: Path) -> None:
    """Counter-case: a body row of words, each in its own column a gutter apart ('yes', 'no'),
    is a row of cells, not one label across the columns."""
    pdf = tmp_path / "words.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    left, y = 40.0, letter[1] - 80
    c.setFont("Helvetica", 9)
    c.drawString(left, y, "Table 2. Which projection series were revised")
    y -= 20
    c.drawString(left, y, HEADER[0])
    for x, head in zip(RIGHTS, HEADER[1:]):
        c.drawRightString(x, y, head)
    c.line(left, y - 4, RIGHTS[-1], y - 4)
    rows = [["Projection series 2019", "41,207", "41,318", "41,502", "41,744"], ["Revised", "no", "yes", "no", "yes"], ["Projection series 2020", "†", "41,330", "41,498", "41,770"]]
    for row in rows:
        y -= 13
        c.drawString(left, y, row[0])
        for x, cell in zip(RIGHTS, row[1:]):
            c.drawRightString(x, y, cell)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.rows == rows
