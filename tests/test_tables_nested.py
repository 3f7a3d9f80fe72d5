"""Ruled forms: a label wrapped inside one ruled cell, and a small table drawn inside a cell.

The PDFs are drawn here with reportlab from invented facts: a two-column form (label | text),
a full grid whose rows are bands between rules across it, a vertical rule down each band.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.tables_compare import pdf_tables

LEADING = 12.0
EDGES = (40.0, 180.0, 555.0)  # the form's left side, its inner vertical rule, its right side
#: The small table's header (two lines per cell) and rows.
NESTED_HEAD = (("Age of the insured", "at the time of death"), ("Increase", "in percent"))
NESTED_ROWS = (("18-75", "1.00%"), ("76-80", "0.50%"), ("81 and over", "0.10%"))

#: A band of the form: its label's lines, the line its value starts on, the value's lines, and
#: whether the small table is drawn in its value cell after its lines.
Band = tuple[list[str], int, list[str], bool]


def _nested(c: Canvas, top: float, ruled: bool) -> float:
    """Draw the small table in the value cell from ``top`` down; return its bottom. ``ruled``:
    a full grid, else rules at its top, under its header and at its bottom only."""
    x0, mid, x1 = EDGES[1] + 20, EDGES[1] + 170, EDGES[1] + 270
    ys = [top, top - 2 * LEADING - 6]
    for _ in NESTED_ROWS:
        ys.append(ys[-1] - LEADING - 4)
    c.setFont("Helvetica", 8)
    for k, (a, b) in enumerate(zip(*NESTED_HEAD)):
        c.drawCentredString((x0 + mid) / 2, top - 3 - LEADING * (k + 1) + 2, a)
        c.drawCentredString((mid + x1) / 2, top - 3 - LEADING * (k + 1) + 2, b)
    for (label, value), y in zip(NESTED_ROWS, ys[1:]):
        c.drawCentredString((x0 + mid) / 2, y - LEADING, label)
        c.drawCentredString((mid + x1) / 2, y - LEADING, value)
    for k, y in enumerate(ys):
        if ruled or k in (0, 1, len(ys) - 1):
            c.line(x0, y, x1, y)
    if ruled:
        for x in (x0, mid, x1):
            c.line(x, ys[0], x, ys[-1])
    return ys[-1]


def _form(path: Path, bands: list[Band], ruled_nested: bool = True) -> None:
    """One page: the form's bands, each ruled across under it, the label and value cells parted
    by a vertical rule drawn down each band."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    y = height - 60
    c.setLineWidth(0.6)
    c.line(EDGES[0], y, EDGES[2], y)
    for label, start, value, nested in bands:
        c.setFont("Helvetica-Bold", 8)
        for i, text in enumerate(label):
            c.drawString(EDGES[0] + 6, y - 8 - LEADING * (i + 1) + 3, text)
        c.setFont("Helvetica", 8)
        for i, text in enumerate(value):
            c.drawString(EDGES[1] + 6, y - 8 - LEADING * (start + i + 1) + 3, text)
        bottom = y - 8 - LEADING * max(len(label), start + len(value)) - 8
        if nested:
            below = _nested(c, bottom - 4, ruled_nested)
            c.setFont("Helvetica", 8)
            c.drawString(EDGES[1] + 6, below - 8 - LEADING + 3, "The insurer gives no financial guarantee on the amount paid.")
            bottom = below - 8 - LEADING - 10
        for x in EDGES:
            c.line(x, y, x, bottom)
        c.line(EDGES[0], bottom, EDGES[2], bottom)
        y = bottom
    c.showPage()
    c.save()


PURPOSE = ["A unit-linked life insurance contract meant to invest the holder's savings in units", "of an internal fund; on death it pays the value of the units held, raised by a share", "that depends on the insured's age."]


@pytest.mark.parametrize("start", [0, 1], ids=["value-on-first-line", "value-on-second-line"])
@pytest.mark.parametrize("rows", [2, 3])
def test_a_label_wrapped_in_its_ruled_cell_is_one_row(tmp_path: Path, rows: int, start: int) -> None:
    """A full-grid form whose labels wrap over two lines in their ruled cells ('Contract' over
    'options'), the value beside the label's first or second line: each band is one row, however
    few bands the body has. Regression: with two body bands (one rule inside the body) rows came
    from spacing and 'Contract' was a row of its own, scored 1.0."""
    body: list[Band] = [
        (["Contract", "options"], start, ["None provided."], False),
        (["Duration"], 0, ["The contract runs for the whole life of the insured, so its", "term ends on the insured's death."], False),
        (["Other insured", "events"], start, ["None provided."], False),
    ][:rows]
    pdf = tmp_path / "form.pdf"
    _form(pdf, [(["Purpose"], 0, PURPOSE, False), *body])
    (table,) = pdf_tables(pdf)
    assert [r[0] for r in table.rows] == [" ".join(label) for label, _, _, _ in body]
    assert [r[1] for r in table.rows] == [" ".join(value) for _, _, value, _ in body]


@pytest.mark.parametrize("ruled", [True, False], ids=["grid", "rules-across-only"])
def test_a_table_drawn_inside_a_form_cell_is_a_table_of_its_own(tmp_path: Path, ruled: bool) -> None:
    """A small table (a full grid, or rules at its top, under its header and at its bottom)
    drawn inside a value cell of a ruled form, text above and under it in the cell: it is a
    table of its own, read cell for cell, and the form is read as before, its rows the form's
    bands. Regression: its rules were taken for the form's, the form read by a peer, the small
    table never read, the readings scored 1.0."""
    bands: list[Band] = [
        (["Purpose"], 0, PURPOSE, False),
        (["Death benefit"], 0, ["On the insured's death the insurer pays the value of the units held,", "raised by the share in the table below:"], True),
        (["Other insured", "events"], 1, ["None provided."], False),
        (["Other contract", "options"], 1, ["None provided."], False),
    ]
    pdf = tmp_path / "nested.pdf"
    _form(pdf, bands, ruled_nested=ruled)
    tables = pdf_tables(pdf)
    small = [t for t in tables if t.n_cols == 2 and t.header[0].startswith("Age")]
    assert len(small) == 1, [t.header for t in tables]
    assert small[0].header == [" ".join(h) for h in NESTED_HEAD]
    assert small[0].rows == [list(r) for r in NESTED_ROWS]
    form = [t for t in tables if t is not small[0]]
    assert len(form) == 1, [t.header for t in form]
    assert [r[0] for r in form[0].rows] == ["Death benefit", "Other insured events", "Other contract options"]
    assert [r[1] for r in form[0].rows[1:]] == ["None provided.", "None provided."]
