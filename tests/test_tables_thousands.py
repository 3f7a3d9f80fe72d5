"""Numbers printed with a space between digit groups ("79 935", the ISO way) are one cell, not
two columns, in a table with rules and in one without; columns of figures set apart by a
gutter stay apart. The PDFs are drawn here with reportlab from invented figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.layout import Line, Word, grouped_figures
from tests.tables_compare import pdf_tables

HEADER = ["Programme", "Participants", "Women (%)"]
ROWS = [
    ["Vocational training", "79 935", "55"],
    ["Apprenticeship", "2 961", "73"],
    ["Labour market courses", "51 955", "52"],
    ["Liberal education", "1 649 692", "72"],
    ["Open university", "57 986", "80"],
    ["Total", "2 246 496", "66"],
]


def _draw(path: Path, rows: list[list[str]], ruled: bool, xs: tuple[float, ...] = (56.0, 250.0, 400.0)) -> None:
    """One page: a caption and a 3-column table (a full grid of rules, or none) with prose around."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    c.setFont("Helvetica", 9)
    y = height - 80
    for _ in range(4):
        c.drawString(56, y, "the quick brown fox jumps over the lazy dog again and again while the day goes by")
        y -= 12
    y -= 14
    c.drawString(56, y, "Table 1. Participants by programme")
    y -= 22
    c.setFont("Helvetica", 8)
    top = y + 10
    for row in [HEADER, *rows]:
        for x, text in zip(xs, row):
            c.drawRightString(x + 80, y, text) if x > xs[0] else c.drawString(x, y, text)
        y -= 14
    if ruled:
        c.setLineWidth(0.5)
        left, right = xs[0] - 4, xs[-1] + 86
        for k in range(len(rows) + 2):
            c.line(left, top - 14 * k, right, top - 14 * k)
        for x in (left, xs[1] - 4, xs[2] - 4, right):
            c.line(x, top, x, top - 14 * (len(rows) + 1))
    c.showPage()
    c.save()


@pytest.mark.parametrize("ruled", [False, True])
def test_space_grouped_thousands_are_one_cell(tmp_path: Path, ruled: bool) -> None:
    """Regression: "79 935" was read as two columns, "79" and "935", the header spread over them."""
    pdf = tmp_path / "thousands.pdf"
    _draw(pdf, ROWS, ruled)
    tables = pdf_tables(pdf)
    assert len(tables) == 1
    assert tables[0].header == HEADER
    assert tables[0].rows == ROWS


def test_figure_columns_a_gutter_apart_stay_apart(tmp_path: Path) -> None:
    """Two columns of figures set close (the right one always three digits) but a gutter wider
    than a word space apart are two columns, not one number."""
    rows = [["Site A", "12", "345"], ["Site B", "7", "120"], ["Site C", "104", "998"], ["Site D", "33", "410"]]
    pdf = tmp_path / "close.pdf"
    _draw(pdf, rows, False, xs=(56.0, 120.0, 140.5))  # right-aligned: 7 pt (a word space is 2.2) between "12" and "345"
    tables = pdf_tables(pdf)
    assert len(tables) == 1
    assert tables[0].rows == rows


def _line(*spans: tuple[str, float, float]) -> Line:
    return Line([Word(text, x0, x1, 0.0, 10.0, 10.0) for text, x0, x1 in spans])


def test_digit_groups_join_only_as_thousands() -> None:
    """A decimal part after the last group and a thin space (narrower than a word space) still
    make one number; a second group that is not three digits does not, and where such a pair
    stands as close at the same x on another line (two columns of figures), no line joins there."""
    label = [("Open", 0.0, 20.0), ("university", 22.5, 60.0)]
    line = _line(*label, ("57", 100.0, 110.0), ("986,5", 111.5, 135.0), ("80", 160.0, 170.0))
    assert [w.text for w in grouped_figures([line])[0].words] == ["Open", "university", "57 986,5", "80"]
    assert [w.text for w in grouped_figures([_line(*label, ("57", 100.0, 110.0), ("98", 112.5, 122.0))])[0].words][-2:] == ["57", "98"]
    other = _line(*label, ("3", 105.0, 110.0), ("1234", 112.5, 132.0))
    assert [w.text for w in grouped_figures([line, other])[0].words][-3:] == ["57", "986,5", "80"]
