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


SECTIONS = {"Improved operation scenario": [["Server closets", "1,505", "1,580", "1,643"], ["Server rooms", "1,512", "1,586", "1,646"]],
            "Best practice scenario": [["Server closets", "1,456", "1,439", "1,386"], ["Server rooms", "1,465", "1,472", "1,427"]]}  # fmt: skip


def test_a_section_row_spanning_a_grid_is_one_cell(tmp_path: Path) -> None:
    """Regression (tabula's spanning_cells): in a full grid, a section row is one cell across
    the table (no column rules drawn in it), its label centred, so its words fall over
    different columns: they were cut at the columns' edges ('Best' | 'practice scenario')."""
    path = tmp_path / "sections.pdf"
    c = Canvas(str(path), pagesize=(595, 842))
    c.setFont("Helvetica-Bold", 10)
    c.drawString(60, 790, "Table 2 Average use by scenario")
    edges = (60.0, 200.0, 270.0, 340.0, 410.0)
    rows: list[tuple[str, list[str]]] = [("head", ["Servers in", "2007", "2008", "2009"])]
    for label, body in SECTIONS.items():
        rows += [("section", [label]), *(("row", r) for r in body)]
    top, pitch = 770.0, 14.0
    for i, (kind, row) in enumerate(rows):
        y = top - pitch * (i + 1)
        c.setFont("Helvetica", 9)
        if kind == "section":
            c.drawCentredString((edges[1] + edges[-1]) / 2, y + 4, row[0])
            drawn = (edges[0], edges[-1])
        else:
            c.drawString(edges[0] + 4, y + 4, row[0])
            for x, v in zip(edges[2:], row[1:]):
                c.drawRightString(x - 4, y + 4, v)
            drawn = edges
        for x in drawn:
            c.line(x, y + pitch, x, y)
        c.line(edges[0], y, edges[-1], y)
    c.line(edges[0], top, edges[-1], top)
    c.showPage()
    c.save()
    with open_document(path) as doc:
        tables = extract_tables(UprightDocument(doc), str(path))
    assert len(tables) == 1
    got = [[c for c in r if c] for r in tables[0].rows]
    assert got == [r for label, body in SECTIONS.items() for r in ([label], *body)], got


def test_label_rows_beside_a_cell_spanning_them_stay_rows(tmp_path: Path) -> None:
    """Regression (camelot's column_span_2): a grid in a frame drawn as one path whose label
    cells are parted by rules drawn from the frame to the first column rule, beside one cell spanning their rows, ran the labels
    into one row ('Anthropometry Clinical examination History of morbidity'). A rule from the
    frame to a column rule parts rows as one between two column rules does."""
    path = tmp_path / "rowspan.pdf"
    c = Canvas(str(path), pagesize=(595, 842))
    edges, top, pitch = (50.0, 170.0, 230.0, 520.0), 760.0, 18.0
    labels = ["Anthropometry", "Clinical examination", "History of morbidity", "Diet survey", "Blood pressure", "Fasting glucose"]
    spanned, rest = ("2400", "All the available individuals"), [("1200", "All who share meals"), ("2400", "Adults"), ("2400", "Adults over 30")]
    c.setFont("Helvetica", 9)
    for x, text in zip(edges, ("Investigation", "Households", "Group")):
        c.drawString(x + 4, top - 12, text)
    for i, label in enumerate(labels):
        y = top - pitch * (i + 2)
        c.drawString(edges[0] + 4, y + 6, label)
        cells = spanned if i == 1 else rest[i - 3] if i >= 3 else None
        if cells:
            for x, text in zip(edges[1:], cells):
                c.drawString(x + 4, y + 6, text)
        right = edges[1] if i < 2 else edges[-1]  # under the first two labels: a rule under the label cell only
        c.line(edges[0], y, right, y)
    bottom = top - pitch * (len(labels) + 1)
    c.line(edges[0], top - pitch, edges[-1], top - pitch)
    frame = c.beginPath()  # the frame: one closed path, its sides no vertical rules of their own
    frame.moveTo(edges[0], top)
    for x, y in ((edges[-1], top), (edges[-1], bottom), (edges[0], bottom), (edges[0], top)):
        frame.lineTo(x, y)
    frame.close()
    c.drawPath(frame)
    for x in edges[1:-1]:
        c.line(x, top, x, bottom)
    c.showPage()
    c.save()
    with open_document(path) as doc:
        tables = extract_tables(UprightDocument(doc), str(path))
    assert len(tables) == 1
    rows = tables[0].rows
    assert [r[0] for r in rows] == labels, [list(r) for r in rows]
    assert sum(1 for r in rows if spanned[1] in r) == 1
