"""Small tables set side by side on the same rows (each its label column and a column of
figures, a gutter between them) are as many tables, each read whole and none of them called
cut short for its neighbour's words beside it; one table whose rules break between its labels
and its figures is still seen as cut. The PDFs are drawn here with reportlab from invented
figures; ICDAR 2013 eu-015 is the real case (three ruled tables side by side)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.quality import CUT_NARROW_REASON, LOW
from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

PROSE = "the quick brown fox jumps over the lazy dog again and again while the day goes by"
Table = tuple[str, list[str], list[list[str]]]  # caption, header, rows
TABLES: list[Table] = [
    ("Table 1. Admissions by ward", ["Ward", "Admissions"], [["Cardiology", "268"], ["Oncology", "233"], ["Neurology", "139"], ["Surgery", "136"], ["Paediatrics", "92"], ["Total", "868"]]),
    ("Table 2. Referrals by ward", ["Ward", "Referrals"], [["Oncology", "153"], ["Cardiology", "119"], ["Surgery", "114"], ["Geriatrics", "99"], ["Neurology", "82"], ["Total", "567"]]),
    ("Table 3. Discharges by ward", ["Ward", "Discharges"], [["Surgery", "91"], ["Cardiology", "85"], ["Oncology", "74"], ["Paediatrics", "56"], ["Neurology", "46"], ["Total", "352"]]),
]
WIDTH, GAP, PITCH = 110.0, 12.0, 11.0


def _draw(path: Path, n: int, ruled: bool, captions: bool, drop: float = 0.0, tables: list[Table] | None = None) -> None:
    """Prose, then ``n`` tables side by side (a full grid each, or no rules; a "Table N" caption
    over each, or none; each table set ``drop`` lines lower than the one on its left), then prose."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    c.setFont("Helvetica", 9)
    y = height - 70
    for _ in range(3):
        c.drawString(56, y, PROSE)
        y -= 12
    y -= 20
    for k, (caption, header, rows) in enumerate((tables or TABLES)[:n]):
        x0, yy = 56 + k * (WIDTH + GAP), y - k * drop * PITCH
        if captions:
            c.setFont("Helvetica-Bold", 8)
            c.drawString(x0, yy, caption)
            yy -= 16
        c.setFont("Helvetica", 7)
        top = yy + 9
        for row in [header, *rows]:
            c.drawString(x0 + 2, yy, row[0])
            c.drawRightString(x0 + WIDTH - 2, yy, row[1])
            yy -= PITCH
        if ruled:
            c.setLineWidth(0.4)
            for r in range(len(rows) + 2):
                c.line(x0, top - PITCH * r, x0 + WIDTH, top - PITCH * r)
            for x in (x0, x0 + WIDTH - 40, x0 + WIDTH):
                c.line(x, top, x, top - PITCH * (len(rows) + 1))
    c.setFont("Helvetica", 9)
    y = yy - 30 - (n - 1) * drop * PITCH
    for _ in range(3):
        c.drawString(56, y, PROSE)
        y -= 12
    c.showPage()
    c.save()


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize(("ruled", "captions"), [(True, False), (True, True), (False, True), (False, False)])
def test_tables_side_by_side_are_each_read_whole(tmp_path: Path, n: int, ruled: bool, captions: bool) -> None:
    """Regression: each of three ruled tables side by side scored 0.6 'rows run on past its
    side' for its neighbour's words; captions on one line went to the first table only; with
    no rules, tables under captions side by side were one table under all the captions; with
    neither rules nor captions, one table with its column groups repeated, scored 1.0."""
    pdf = tmp_path / "side.pdf"
    _draw(pdf, n, ruled, captions)
    tables = pdf_tables(pdf)
    assert [(t.header, t.rows) for t in tables] == [(header, rows) for _, header, rows in TABLES[:n]]
    assert all(t.score >= LOW and CUT_NARROW_REASON not in t.reasons for t in tables)
    if captions:
        assert [t.caption for t in tables] == [caption for caption, _, _ in TABLES[:n]]


def test_one_table_whose_rules_break_is_still_seen_cut(tmp_path: Path) -> None:
    """A ruled table whose rules break between its label column and its figures reads as two
    boxes: the one that holds only figures, its labels beside it, is still called cut."""
    header = ["Ward", "Admissions", "Referrals", "Discharges"]
    rows = [["Cardiology", "268", "153", "91"], ["Oncology", "233", "119", "85"], ["Neurology", "139", "114", "74"], ["Surgery", "136", "99", "56"], ["Total", "776", "485", "306"]]
    pdf = tmp_path / "broken.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    y = A4[1] - 120
    top = y + 9
    c.setFont("Helvetica", 7)
    for row in [header, *rows]:
        c.drawString(58, y, row[0])
        for x, cell in zip((164, 220, 276), row[1:]):
            c.drawRightString(x, y, cell)
        y -= PITCH
    c.setLineWidth(0.4)
    for r in range(len(rows) + 2):
        c.line(56, top - PITCH * r, 166, top - PITCH * r)
        c.line(176, top - PITCH * r, 278, top - PITCH * r)
    for x in (56, 126, 166, 176, 222, 278):
        c.line(x, top, x, top - PITCH * (len(rows) + 1))
    c.showPage()
    c.save()
    figures = [t for t in pdf_tables(pdf) if t.header == header[2:]]
    assert len(figures) == 1 and CUT_NARROW_REASON in figures[0].reasons and figures[0].score < LOW


def test_icdar_eu015_three_ruled_tables_side_by_side() -> None:
    """ICDAR 2013 eu-015 page 2: three ruled tables side by side, each read whole (to its "Grand Total" row)
    and none of them scored as cut for its neighbours' words."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-eu", "eu-015.pdf")
    side = [t for t in pdf_tables(path) if t.parts[0].page == 2]
    assert len(side) == 3
    assert all(t.header[-1] == "Enquiries" and len(t.rows) >= 31 and t.rows[-1][0] == "Grand Total" for t in side)
    assert all(t.score >= LOW and CUT_NARROW_REASON not in t.reasons for t in side)


@pytest.mark.parametrize("drop", [0.0, 1.0, 2.0])
def test_unruled_tables_side_by_side_without_captions_are_split_or_scored_low(tmp_path: Path, drop: float) -> None:
    """Two unruled tables side by side, no caption, their headers on one line or each table set
    a line or two lower than its left neighbour (no shared header line): each is read whole, or
    the reading that runs them together is not called confident."""
    pdf = tmp_path / "side.pdf"
    _draw(pdf, 2, ruled=False, captions=False, drop=drop)
    tables = pdf_tables(pdf)
    want = [(header, rows) for _, header, rows in TABLES[:2]]
    assert [(t.header, t.rows) for t in tables] == want or all(t.score < 0.95 for t in tables), [(t.header, t.score) for t in tables]


def test_one_table_set_in_halves_side_by_side_is_scored_low(tmp_path: Path) -> None:
    """One table set in two halves side by side, each half under the same header (a long list
    printed in two column groups): one table, or two tables, is a matter of convention; the
    reading with its column groups repeated is not called confident, and says why."""
    rows = [[f"Ward {k}", str(100 + 7 * k)] for k in range(1, 13)]
    halves: list[Table] = [("", ["Ward", "Admissions"], rows[:6]), ("", ["Ward", "Admissions"], rows[6:])]
    pdf = tmp_path / "halves.pdf"
    _draw(pdf, 2, ruled=False, captions=False, tables=halves)
    (table,) = pdf_tables(pdf)
    assert table.header == ["Ward", "Admissions"] * 2
    assert table.score < 0.95 and any("column groups repeat" in r for r in table.reasons), (table.score, table.reasons)
