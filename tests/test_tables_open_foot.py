"""A ruled table whose last row (a total) stands under the last horizontal rule, with no rule
under it, the label column's vertical rule drawn on beside it: the rows end where that vertical
rule ends, not at the last horizontal rule. Drawn here with reportlab from invented figures;
ICDAR 2013 eu-026 Table 1 is the real case (tests/test_corpus_tables.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.tables_compare import pdf_tables

HEADER = ["", "Count", "Percent", "Mean loss"]
ROWS = [["Kept the shares", "412", "71.8", "10450"], ["Sold some of them", "97", "16.9", "21307"], ["Sold all of them", "65", "11.3", "8215"]]
TOTAL = ["Total", "574", "100.0", "11920"]
XS = [80.0, 240.0, 320.0, 400.0]


def _draw(path: Path, double: bool, drawn_on: bool) -> None:
    """Table 1: a top rule, the header, a (double) rule, three rows, a (double) rule, the total
    row with no rule under it, a vertical rule right of the label column drawn on beside the
    total row when ``drawn_on``, then a source note."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    left, right = 74.0, 480.0
    y = A4[1] - 100
    c.setFont("Times-Roman", 10)
    c.drawCentredString((left + right) / 2, y, "Table 1: How households met their losses")
    c.setLineWidth(0.4)
    top = y - 6
    c.line(left, top, right, top)
    y = top - 10
    for x, text in zip(XS, HEADER):
        c.drawString(x, y, text)

    def rule(y: float) -> float:
        c.line(left, y, right, y)
        if double:
            c.line(left, y - 2.4, right, y - 2.4)
            return y - 2.4
        return y

    y = rule(y - 4)
    for row in ROWS:
        y -= 12
        for x, text in zip(XS, row):
            c.drawString(x, y, text)
    below = rule(y - 4)
    y = below - 10
    for x, text in zip(XS, TOTAL):
        c.drawString(x, y, text)
    c.line(XS[1] - 6, top, XS[1] - 6, y - 2 if drawn_on else below)
    c.drawString(left + 6, y - 12, "Source: an invented survey, weighted.")
    c.showPage()
    c.save()


@pytest.mark.parametrize("double", [True, False])
def test_a_total_row_under_the_last_rule_beside_the_column_rule_is_a_row(tmp_path: Path, double: bool) -> None:
    pdf = tmp_path / "total.pdf"
    _draw(pdf, double, drawn_on=True)
    (table,) = pdf_tables(pdf)
    assert table.rows == [*ROWS, TOTAL]
    assert table.score >= 0.95, table.reasons


def test_a_column_rule_that_stops_at_the_last_rule_ends_the_rows(tmp_path: Path) -> None:
    """Counter-case: the vertical rule stops at the last horizontal rule: the line under it is
    not read into the table (it may be a row left out: the score says so)."""
    pdf = tmp_path / "stops.pdf"
    _draw(pdf, double=True, drawn_on=False)
    (table,) = pdf_tables(pdf)
    assert table.rows == ROWS
