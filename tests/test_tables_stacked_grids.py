"""Two full grids stacked close (one's bottom rule and the next one's top rule less than two
lines apart, their vertical rules stopping at the gap), the second's first cell a label wrapped
onto several lines of words as wide as the label column: two tables, each read whole; the
wrapped label is one cell of the second, not prose that breaks it. Drawn here with reportlab from
invented figures; ICDAR 2013 eu-015 page 1 is the real case."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.tables import extract_tables
from tests.conftest import need_shared

FIRST = [["Cardiology", "3.597"], ["Oncology", "1.847"], ["Neurology", "1.783"], ["Surgery", "1.726"], ["Total", "8.953"]]
WRAPPED = [
    "Other services including outpatient clinics, day surgery,",
    "rehabilitation, palliative care, community nursing, home",
    "visits, school health, occupational health and dentistry",
]
SECOND = [[" ".join(WRAPPED), "4.330"], ["Pharmacy", "119"], ["Laboratory", "2.003"], ["Grand Total", "6.452"]]
LEFT, MIDDLE, RIGHT, PITCH = 60.0, 310.0, 360.0, 18.0


def _grid(c: Canvas, top: float, rows: list[list[str]]) -> float:
    """A full grid: a header row and ``rows`` (a first cell of several lines where it holds them);
    returns its bottom."""
    y = top
    c.setLineWidth(0.5)
    c.line(LEFT, y, RIGHT, y)
    for row in [["Ward", "Patients"], *rows]:
        lines = WRAPPED if row[0] == " ".join(WRAPPED) else [row[0]]
        height = PITCH + 11 * (len(lines) - 1)
        for k, text in enumerate(lines):
            c.drawString(LEFT + 3, y - 12 - 11 * k, text)
        c.drawRightString(RIGHT - 3, y - height / 2 - 3, row[1])
        y -= height
        c.line(LEFT, y, RIGHT, y)
    for x in (LEFT, MIDDLE, RIGHT):
        c.line(x, top, x, y)
    return y


def test_two_grids_stacked_close_are_two_tables(tmp_path: Path) -> None:
    pdf = tmp_path / "stacked.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    bottom = _grid(c, A4[1] - 90, FIRST)
    _grid(c, bottom - 13, SECOND)  # less than two lines below the first one's bottom rule
    c.showPage()
    c.save()
    with pdfplumber.open(pdf) as doc:
        tables = extract_tables(doc, str(pdf))
    assert [(t.header, t.rows) for t in tables] == [(["Ward", "Patients"], FIRST), (["Ward", "Patients"], SECOND)]
    assert all(t.score == 1.0 for t in tables)


def test_icdar_eu015_two_grids_stacked_close() -> None:
    """ICDAR 2013 eu-015 page 1: the second grid's header was the first one's last row and its
    wrapped first cell cut it off ('EIT 119' read as its header, scored 1.0)."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-eu", "eu-015.pdf")
    with pdfplumber.open(path) as doc:
        first = [t for t in extract_tables(doc, str(path)) if t.parts[0].page == 1]
    assert [t.header for t in first] == [["Topic", "Enquiries"]] * 2
    assert first[0].rows[-1][0] == "Total" and first[1].rows[-1][0] == "Grand Total" and len(first[1].rows) == 6


def test_a_boxed_summary_just_above_a_grid_is_not_its_rows(tmp_path: Path) -> None:
    """A box holding a summary (two halves parted by a vertical rule) whose bottom rule, wider
    than the grid, lies a few points above the grid's top rule, less than half a line: the
    verticals stop at the one and start again at the other, the rules are two boxes' edges, not
    a double rule. The grid is read alone, whole. Regression (tabula's argentina voting record):
    box and grid were one table, the summary's vertical rule splitting a column of the grid."""
    pdf = tmp_path / "boxed.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    top, bottom, half = A4[1] - 90, A4[1] - 130, (LEFT + RIGHT) / 2 + 20
    c.setLineWidth(0.5)
    c.line(LEFT - 8, top, RIGHT + 8, top)
    for k, (left, right) in enumerate([("Present 217", "Votes for 129"), ("Absent 40", "Votes against 65")]):
        c.drawString(LEFT, top - 14 - 12 * k, left)
        c.drawString(half + 8, top - 14 - 12 * k, right)
    c.line(half, top, half, bottom)
    c.line(LEFT - 8, bottom, RIGHT + 8, bottom)
    _grid(c, bottom - 4, FIRST)
    c.showPage()
    c.save()
    with pdfplumber.open(pdf) as doc:
        tables = extract_tables(doc, str(pdf))
    grids = [t for t in tables if t.header == ["Ward", "Patients"]]
    assert len(grids) == 1 and grids[0].rows == FIRST, [(t.header, t.rows) for t in tables]
    assert not any("Present" in cell for t in grids for row in t.rows for cell in row)
