"""A ruled grid whose group labels are cells spanning the rows of their group: the rules between
a group's rows are drawn only beside the label (from its column's right rule to the frame), a
rule across the table parts the groups, and each label is centred on its rows, one, two or three
lines (a label's two lines stand across the rule between its first rows). Each label is one cell,
written in the first row of its span, as curate writes a cell spanning rows. Drawn here with
reportlab from invented figures; ICDAR 2013 us-031a Table 4-1 is the real case
(tests/test_corpus_tables.py)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.tables_compare import pdf_tables

EDGES = [90.0, 228.0, 272.0, 356.0, 440.0, 522.0]
HEADER = ["", "", "Braking", "Cruising", "Idling"]
LEVELS = ["Low", "Medium", "High"]
GROUPS = [
    (["Savings per trip"], [["4%", "7%", "0.4%"], ["12%", "14%", "2%"], ["28%", "31%", "9%"]]),
    (["How often the chance", "arises on a usual day"], [["25%", "18%", "27%"], ["14%", "13%", "12%"], ["7%", "9%", "4%"]]),
    (["Combined savings", "(savings per trip times", "how often it arises)"], [["1.2%", "1.4%", "0.3%"], ["2.1%", "2.0%", "0.2%"], ["2.2%", "3.1%", "0.4%"]]),
]
PITCH = 12.7


def _draw(path: Path, cell_rules: bool) -> None:
    """The grid: a header band, then each group's three rows at PITCH, the label's lines centred
    on them at the same pitch; ``cell_rules``: the rules between a group's rows drawn beside the
    label only (else across the table: every row its own cell, the labels' lines in whichever
    rows they stand)."""
    c = Canvas(str(path), pagesize=letter, invariant=1)
    c.setFont("Helvetica-Bold", 9)
    c.drawCentredString((EDGES[0] + EDGES[-1]) / 2, 660, "Table 1. Savings by behaviour and level")
    c.setFont("Helvetica", 8)
    c.setLineWidth(0.6)
    top = 650.0
    y = top - 20
    for (x0, x1), head in zip(zip(EDGES, EDGES[1:]), HEADER):
        c.drawCentredString((x0 + x1) / 2, y + 6, head)
    c.line(EDGES[0], top, EDGES[-1], top)
    c.line(EDGES[0], y, EDGES[-1], y)
    for label, rows in GROUPS:
        first = y
        for k, (level, row) in enumerate(zip(LEVELS, rows)):
            base = y - PITCH + 3.5
            c.drawString(EDGES[1] + 3, base, level)
            for (x0, x1), cell in zip(zip(EDGES[2:], EDGES[3:]), row):
                c.drawCentredString((x0 + x1) / 2, base, cell)
            y -= PITCH
            if k < len(rows) - 1:
                c.line(EDGES[1] if cell_rules else EDGES[0], y, EDGES[-1], y)
        middle = (first + y) / 2
        for k, text in enumerate(label):
            c.drawCentredString((EDGES[0] + EDGES[1]) / 2, middle + (len(label) / 2 - k - 1) * PITCH + 3.5, text)
        c.line(EDGES[0], y, EDGES[-1], y)
    for x in EDGES:
        c.line(x, top, x, y)
    c.showPage()
    c.save()


def test_a_group_label_spanning_its_rows_is_one_cell_in_the_first(tmp_path: Path) -> None:
    pdf = tmp_path / "groups.pdf"
    _draw(pdf, cell_rules=True)
    (table,) = pdf_tables(pdf)
    want = [[" ".join(label) if k == 0 else "", level, *row] for label, rows in GROUPS for k, (level, row) in enumerate(zip(LEVELS, rows))]
    assert table.header == HEADER
    assert table.rows == want


def test_rules_across_the_table_part_every_row(tmp_path: Path) -> None:
    """Counter-case: where the rules between a group's rows run across the table, every row is
    a cell of its own: a label line stays in the row it stands in."""
    pdf = tmp_path / "rows.pdf"
    _draw(pdf, cell_rules=False)
    (table,) = pdf_tables(pdf)
    assert [r[0] for r in table.rows][:3] == ["", "Savings per trip", ""]
