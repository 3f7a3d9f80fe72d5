"""A table of text items carried over to the next page with no header and no caption there,
where the continuation page leaves columns empty (its first column throughout, the second on
its first lines) and sets a column's text wider than the first page did: the continuation is
read by the first page's column boxes, so every cell stays in its column, and it is one table
with the first page's header. Text cells that wrap all at once (every line of the row goes on
in lower case) stay one row. Drawn here with reportlab from invented items.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.fastpage import open_document
from curate.extract.tables import extract_tables
from curate.extract.upright import UprightDocument

HEADER = ["Group", "Strengths", "Weaknesses", "Actions"]
#: Rows as printed: each cell a list of its lines (a wrapped cell has several).
PAGE_ONE: list[list[list[str]]] = [
    [["1. Nurses (n = 6)"], ["- Clear ward protocols"], ["- Few night staff"], ["- Hire two more nurses"]],
    [[], ["- Daily team meetings"], ["- Scarce supplies"], ["- Order supplies monthly"]],
    [["2. Patients (n = 5)"], ["Most patients described the", "care they got as"], ["- Long waits at", "the pharmacy"], ["- Open a second", "pharmacy counter"]],
    [[], ["• 'very good' (2 views)"], ["- Little privacy on wards"], ["- Add curtains to wards"]],
    [[], ["• 'good' (3 views)"], ["(Notes, 2.2)"], []],
    [["3. Managers (n = 3)"], ["- Budget kept on time"], ["- Old equipment"], ["- Replace the x-ray unit"]],
]
#: The continuation page, with a wrapped item (rows visibly padded) or with one-line items only.
PAGE_TWO: dict[str, list[list[list[str]]]] = {
    "wrapped": [
        [[], [], ["- Slow referrals from clinics"], []],
        [[], [], ["- No plan for staff who", "leave the hospital"], []],
        [[], ["- Weekly audits of records"], ["- Records kept in three places"], []],
        [[], [], ["(Interview notes, Section 3.4)"], []],
    ],
    "one-line": [
        [[], [], ["- Slow referrals from clinics"], []],
        [[], [], ["- No plan for staff who leave"], []],
        [[], ["- Weekly audits of records"], ["- Records kept in three places"], []],
    ],
}
X = [56.0, 170.0, 330.0, 450.0]
FILLER = "the quick brown fox jumps over the lazy dog again and again while the day goes by"


def _rows(drawn: list[list[list[str]]]) -> list[list[str]]:
    return [[" ".join(lines) for lines in row] for row in drawn]


def _draw_rows(c: Canvas, y: float, rows: list[list[list[str]]], x: list[float]) -> float:
    for row in rows:
        for col, lines in enumerate(row):
            for k, text in enumerate(lines):
                c.drawString(x[col], y - 9 * k, text)
        y -= 9 * max(len(lines) for lines in row if lines) + 6
    return y


def _draw(path: Path, page_two: list[list[list[str]]]) -> None:
    c = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    left, right = 50.0, width - 50.0
    c.setFont("Helvetica", 9)
    y = height - 60
    for i in range(30):  # prose above the table
        c.drawString(left, y - 12 * i, (FILLER + " " + FILLER)[:104])
    y -= 12 * 30 + 10
    c.setFont("Helvetica-Bold", 9)
    c.drawString(left, y, "Table 2 Themes raised in the interviews, by group")
    y -= 8
    c.setLineWidth(0.8)
    c.line(left, y, right, y)
    y -= 11
    c.setFont("Helvetica-Bold", 8)
    for x, text in zip(X, HEADER):
        c.drawString(x, y, text)
    y -= 5
    c.setLineWidth(0.5)
    c.line(left, y, right, y)
    y -= 11
    c.setFont("Helvetica", 8)
    y = _draw_rows(c, y, PAGE_ONE, X)
    c.setLineWidth(0.5)
    c.line(X[1] - 2, y + 6, right, y + 6)  # the rule under the page's last rows, open on the left
    c.setFont("Helvetica", 8)
    c.drawCentredString(width / 2, 30, "1")
    c.showPage()
    y = height - 60
    c.setLineWidth(0.8)
    c.line(left, y, right, y)
    y -= 11
    c.setFont("Helvetica", 8)
    y = _draw_rows(c, y, page_two, X)
    c.setLineWidth(0.8)
    c.line(left, y + 6, right, y + 6)
    c.setFont("Helvetica", 9)
    for i in range(20):  # prose after the table
        c.drawString(left, y - 14 - 12 * i, (FILLER + " " + FILLER)[:104])
    c.setFont("Helvetica", 8)
    c.drawCentredString(width / 2, 30, "2")
    c.showPage()
    c.save()


@pytest.mark.parametrize("page_two", sorted(PAGE_TWO))
def test_continued_table_keeps_the_first_pages_columns(tmp_path: Path, page_two: str) -> None:
    """Regression: the continuation page's cells were read by its own gutters, one column off
    where a column was empty there, and a row whose cells wrapped all at once split in two."""
    pdf = tmp_path / "continued.pdf"
    _draw(pdf, PAGE_TWO[page_two])
    with open_document(pdf) as doc:
        tables = extract_tables(UprightDocument(doc), str(pdf))
    assert len(tables) == 1, [(t.caption, t.header, [p.page for p in t.parts]) for t in tables]
    table = tables[0]
    assert [p.page for p in table.parts] == [1, 2]
    assert table.header == HEADER
    assert table.rows == _rows(PAGE_ONE) + _rows(PAGE_TWO[page_two])
    assert table.score >= 0.8, table.reasons


@pytest.mark.parametrize("column", [1, 2])
def test_a_continuation_set_wider_stays_in_its_column(column: int) -> None:
    """The carried column boxes widen over this page's own run of words that falls to one of
    them alone; they never widen into each other."""
    from curate.extract.grid import _carried_onto

    carried = [(56.0, 150.0), (170.0, 300.0), (330.0, 420.0), (450.0, 540.0)]
    own = [(170.0, 300.0), (330.0, 445.0)] if column == 2 else [(56.0, 160.0), (170.0, 325.0)]
    widened = _carried_onto(carried, own)
    assert widened[column][1] == own[-1][1]
    assert all(a[1] < b[0] for a, b in zip(widened, widened[1:]))
    assert _carried_onto(carried, [(56.0, 540.0)]) == carried  # one run over every column: nothing to widen by
