"""Cells of a ruled grid that span columns: read where the rules say, not where a word falls."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from curate.extract.fastpage import open_document
from curate.extract.tables import extract_tables
from curate.extract.upright import UprightDocument

EDGES = (50.0, 130.0, 230.0, 420.0, 520.0)
HEADER = ["Plan type", "County", "Plan name", "Enrolled"]
ROWS = [
    ["GMC", "Alder", "Anthem Blue", "164,380"],
    ["", "Birch", "Health Net", "126,547"],
    ["", "Cedar", "Kaiser", "74,620"],
    ["", "", "Subtotal for every plan of the first and second region", "365,547"],
    ["COHS", "Dune", "Partnership", "36,006"],
    ["", "Elm", "CenCal", "37,243"],
]


def _grid_pdf(path: Path) -> None:
    """A full grid whose subtotal row is one cell over the County and Plan name columns: its
    text, set flush right, starts in the County column and crosses the rule drawn between the
    two columns in every other row."""
    c = Canvas(str(path), pagesize=(595, 842))
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, 790, "Table 1 Enrolment by plan")
    top, pitch = 770.0, 16.0
    rows = [HEADER, *ROWS]
    bottom = top - pitch * len(rows)
    for i, row in enumerate(rows):
        y = top - pitch * (i + 1)
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 9)
        span = row[1] == "" and row[2].startswith("Subtotal")
        for j, text in enumerate(row):
            if not text:
                continue
            if j == len(row) - 1 or (span and j == 2):
                c.drawRightString(EDGES[j + 1] - 4, y + 5, text)
            else:
                c.drawString(EDGES[j] + 4, y + 5, text)
        for j, x in enumerate(EDGES):
            if span and j in (1, 2):
                continue  # the subtotal cell spans County and Plan name: no rules inside it
            c.line(x, y + pitch, x, y)
    for i in range(len(rows) + 1):
        c.line(EDGES[0], top - pitch * i, EDGES[-1], top - pitch * i)
    start = EDGES[3] - 4 - c.stringWidth(ROWS[3][2], "Helvetica", 9)
    assert EDGES[1] + 4 + c.stringWidth("Cedar", "Helvetica", 9) + 30 < start < EDGES[2] - 10 and bottom > 100  # starts a gutter right of the County words
    c.showPage()
    c.save()


def test_a_cell_spanning_columns_across_a_rule_not_drawn_beside_it_is_one_cell(tmp_path: Path) -> None:
    """Regression (camelot's row_span_1): the subtotal's first word, left of a rule that other
    rows draw, made a column of its own ('County' read twice, the cell cut in two) and the
    reading scored 1.0. The grid has its four columns and the spanning cell is whole."""
    path = tmp_path / "spans.pdf"
    _grid_pdf(path)
    with open_document(path) as doc:
        tables = extract_tables(UprightDocument(doc), str(path))
    assert len(tables) == 1
    table = tables[0]
    assert list(table.header) == HEADER
    assert [r[-1] for r in table.rows] == [r[-1] for r in ROWS]
    subtotal = [c for r in table.rows for c in r if "Subtotal" in c]
    assert subtotal == [ROWS[3][2]], [list(r) for r in table.rows]
