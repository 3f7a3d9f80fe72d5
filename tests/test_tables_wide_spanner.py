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


@pytest.mark.parametrize("font", ["Courier", "Helvetica"])
def test_two_word_spanners_in_a_fixed_width_font_head_both_columns(tmp_path: Path, font: str) -> None:
    """A typewriter table (every glyph as wide, a word space 0.6 em: wider than half an em):
    'Urban north' over 'Men | Women' between vertical rules is one spanner heading both
    columns, not 'Urban' over Men and 'north' over Women. Regression: ICDAR us-033's
    'Non-Hispanic white' was cut at its word space and read 0.99 confident. (In the body one
    space may part columns there: '1,249,752 1,364,492'.)"""
    pdf = tmp_path / "typewriter.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    xs = [60.0, 130.0, 260.0, 390.0, 460.0]  # Age | Men Women | Men Women | Total
    men, women = 60.0, 125.0  # right edges of a group's Men and Women columns, from its left rule
    top = A4[1] - 100
    c.setFont(font, 9)
    c.drawString(xs[0] + 2, top - 11, "Age (years)")
    for (left, right), name in zip(zip(xs[1:3], xs[2:4]), ["Urban north", "Rural south"]):
        c.drawCentredString((left + right) / 2, top - 11, name)
    c.drawCentredString((xs[3] + xs[4]) / 2, top - 11, "Total")
    c.drawCentredString((xs[3] + xs[4]) / 2, top - 22, "population")
    for x in xs[1:3]:
        c.drawRightString(x + men, top - 22, "Men")
        c.drawRightString(x + women, top - 22, "Women")
    body = [["<1", "1,087,948", "1,022,490", "292,652", "255,744", "2,658,834"], ["1-2", "2,586,688", "2,568,738", "647,701", "639,327", "6,442,454"], ["3-5", "3,867,692", "3,576,723", "935,862", "938,510", "9,318,787"], ["6-11", "7,808,033", "7,401,349", "1,770,525", "1,732,954", "18,712,861"]]
    y = top - 26
    c.setLineWidth(1)
    c.line(xs[0], top, xs[4], top)
    c.line(xs[0], y, xs[4], y)
    for row in body:
        y -= 12
        c.drawString(xs[0] + 2, y + 2, row[0])
        for group, x in enumerate(xs[1:3]):
            c.drawRightString(x + men, y + 2, row[1 + 2 * group])
            c.drawRightString(x + women, y + 2, row[2 + 2 * group])
        c.drawRightString(xs[4] - 4, y + 2, row[5])
    c.line(xs[0], y - 2, xs[4], y - 2)
    for x in xs[1:4]:
        c.line(x, top, x, y - 2)
    c.showPage()
    c.save()
    with pdfplumber.open(pdf) as doc:
        (table,) = extract_tables(doc, str(pdf))
    groups = [f"{g} {s}" for g in ("Urban north", "Rural south") for s in ("Men", "Women")]
    assert table.header == ["Age (years)", *groups, "Total population"]
    assert table.rows == body
