"""A spanning header set in a stack of centred lines over two columns, in a ruled grid, whose
first line's words are set wide (a double space, wider than half an em, its words over different
columns): the line is one phrase of the spanner, heading both columns, not two headers cut at
the gutter under it. Drawn here with reportlab from invented figures; camelot's
clockwise_table_1 ('Fasting  Blood Sugar' over 'Men' and 'Women') is the real case."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.tables import extract_tables

ROWS = [["Kerala", "2161", "3195", "1645", "2391"], ["Goa", "2134", "2858", "1119", "1739"], ["Assam", "2467", "2894", "1628", "2028"], ["Bihar", "1899", "2493", "1111", "1529"]]


@pytest.mark.parametrize("gap", [1, 2])
def test_a_spanner_line_set_wide_heads_both_its_columns(tmp_path: Path, gap: int) -> None:
    pdf = tmp_path / "wide.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    xs = [60.0, 160.0, 220.0, 280.0, 340.0, 400.0]  # column edges: State | Men Women | Men Women
    top = A4[1] - 100
    c.setLineWidth(0.5)
    c.setFont("Helvetica", 10)
    for left, right, words in ((xs[1], xs[3], ["Blood", "Pressure"]), (xs[3], xs[5], ["Fasting", "Blood Sugar"])):
        middle = (left + right) / 2
        text = (" " * (gap if len(words) > 1 and words[0] == "Fasting" else 1)).join(words)
        c.drawCentredString(middle, top - 12, text)
        c.drawCentredString(middle, top - 24, "(No. of adults:")
        c.drawCentredString(middle, top - 36, "2011-12)")
    c.drawString(xs[0] + 4, top - 24, "State")
    for k, label in enumerate(["Men", "Women", "Men", "Women"]):
        c.drawCentredString((xs[k + 1] + xs[k + 2]) / 2, top - 54, label)
    y = top - 60
    for y_rule in (top, top - 42, y):
        c.line(xs[0] if y_rule != top - 42 else xs[1], y_rule, xs[5], y_rule)
    for row in ROWS:
        c.drawString(xs[0] + 4, y - 13, row[0])
        for k, cell in enumerate(row[1:]):
            c.drawRightString(xs[k + 2] - 6, y - 13, cell)
        y -= 18
        c.line(xs[0], y, xs[5], y)
    for k, x in enumerate(xs):
        c.line(x, top if k in (0, 1, 3, 5) else top - 42, x, y)
    c.showPage()
    c.save()
    with pdfplumber.open(pdf) as doc:
        (table,) = extract_tables(doc, str(pdf))
    spanners = ["Blood Pressure (No. of adults: 2011-12)"] * 2 + ["Fasting Blood Sugar (No. of adults: 2011-12)"] * 2
    assert table.header == ["State", *(f"{s} {sex}" for s, sex in zip(spanners, ["Men", "Women", "Men", "Women"]))]
    assert table.rows == ROWS
