"""Ruled tables as reports print them: what lies inside and under the rules is the table's or not.

A ruled grid of text cells, short labels beside wrapped definitions, in groups of rows. The kind of input (a report's table as a word processor draws it): vertical rules between the
columns, the header cells shaded one by one (so the top edge is drawn in pieces), a full rule
under the header and between two groups of rows, each group opened by a section label, rows set
a blank line apart with their cells wrapped over several lines, and the label column shaded
line by line down to the last label only (its shading ends above the last row's wrapped lines).
The PDFs are drawn here with reportlab; the definitions are invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

HEADER = ["Site", "Definition", "Examples"]
GROUPS = [
    (
        "Inpatient:",
        [
            ("Hospital ward", ["Patients admitted for one night or", "more under the care of one of the", "trial's named consultants"], ["General medicine, renal", "and endocrine wards"]),
            ("Day-case unit", ["Patients treated in a day unit", "and sent home on the same day", "after their first infusion"], ["Infusion suites, dialysis", "units, day surgery"]),
        ],
    ),
    (
        "Outpatient:",
        [
            ("Hospital clinic", ["Patients seen by appointment in a", "hospital clinic of the trial network"], ["Diabetes clinics, foot", "clinics, eye clinics"]),
            ("Home visit", ["Patients visited at home by the", "trial's research nurses or the", "district nursing teams of the", "participating centres"], ["Visits for insulin titration,", "wound care and blood", "sampling"]),
        ],
    ),
]


def _draw(path: Path) -> None:
    c = Canvas(str(path), pagesize=letter, invariant=1)
    _, height = letter
    xs = [144.0, 240.0, 405.0, 549.0]  # the vertical rules
    pitch, gap = 11.5, 11.5
    c.setFont("Helvetica", 10)
    y = height - 80
    for _ in range(4):
        c.drawString(144, y, "Text of the report above the table runs across the whole width of its column here.")
        y -= 14
    y -= 10
    c.setFont("Helvetica-Bold", 9)
    c.drawString(144, y, "Table 2-1:  Sites of care in the trial")
    top = y - 6
    c.setLineWidth(0.4)
    c.line(xs[0], top, xs[-1], top)
    header_bottom = top - 14
    for x0, x1, text in zip(xs, xs[1:], HEADER):  # header cells shaded one by one, white text
        c.setFillGray(0)
        c.rect(x0 + 5, header_bottom + 1.5, x1 - x0 - 10, 11, stroke=0, fill=1)
        c.setFillGray(1)
        c.drawCentredString((x0 + x1) / 2, header_bottom + 4, text)
    c.setFillGray(0)
    c.line(xs[0], header_bottom, xs[-1], header_bottom)
    y = header_bottom
    rules = [top, header_bottom]
    c.setFont("Helvetica", 9)
    for g, (section, rows) in enumerate(GROUPS):
        if g:
            y -= 3
            c.line(xs[0], y, xs[-1], y)
            rules.append(y)
        group_top = y
        lines = [(section, [], [])]
        for label, definition, examples in rows:
            lines.append(("", [], []))  # a blank line between rows
            lines.append((label, definition, examples))
        # the label column shaded line by line, from the group's top down to its last label
        n_shaded = sum(max(1, len(d), len(e)) for _, d, e in lines[:-1]) + 1
        for k in range(n_shaded):
            c.setFillColorRGB(0.8, 1.0, 0.8)
            c.rect(xs[0] + 5, group_top - (k + 1) * pitch, xs[1] - xs[0] - 10, pitch, stroke=0, fill=1)
        c.setFillGray(0)
        for label, definition, examples in lines:
            if not label:
                y -= gap
                continue
            c.setFont("Helvetica-Bold", 9)
            if definition:
                c.drawRightString(xs[1] - 8, y - 9, label)
            else:
                c.drawString(xs[0] + 6, y - 9, label)
            c.setFont("Helvetica", 9)
            for k, text in enumerate(definition):
                c.drawString(xs[1] + 6, y - 9 - k * pitch, text)
            for k, text in enumerate(examples):
                c.drawString(xs[2] + 6, y - 9 - k * pitch, text)
            y -= pitch * max(1, len(definition), len(examples))
    y -= 3
    c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, top, x, y)
    c.setFont("Helvetica", 9)
    c.drawString(144, y - 12, "Source: trial records.")
    c.showPage()
    c.save()


def _want() -> list[list[str]]:
    rows = []
    for section, group in GROUPS:
        rows.append([section, "", ""])
        rows.extend([label, " ".join(d), " ".join(e)] for label, d, e in group)
    return rows


def test_a_grid_of_wrapped_text_cells_in_groups_is_read_row_for_row(tmp_path: Path) -> None:
    """Regression: the shading of the label column, ending above the last row's wrapped lines,
    cut the table short there; the header shaded cell by cell was no header; the section label
    under the rule between the groups was run into the row above it; and the definitions (long
    text beside short labels) were taken for running text, scored 0.43, and a peer's reading,
    every wrapped line a row, was kept."""
    pdf = tmp_path / "textgrid.pdf"
    _draw(pdf)
    (table,) = pdf_tables(pdf)
    assert table.header == HEADER
    assert table.rows == _want()
    assert table.score >= 0.95, table.reasons


@pytest.mark.parametrize(
    ("doc", "index"),
    [
        ("us-032", 0),  # the grid of text cells above
        ("us-014", 0),  # notes in the box's last bands, under its last row rule
        ("eu-004", 8),  # an underlined line of body text under the table, a little wider than it
        ("us-016", 0),  # terms wrapped beside their definitions, a rule under every row
    ],
)
def test_icdar_ruled_tables_read_whole_and_alone(doc: str, index: int) -> None:
    """The same kinds in ICDAR 2013: every relation of the ground truth's cells (its header
    lines joined as curate writes a header) found and none extra, scored confident."""
    from benchmarks.bench_corpus_tables import adjacency, grid_cells, icdar_tables
    from benchmarks.bench_score import as_read
    from tests.test_corpus_tables import _extract, best_iou, grid

    folder = "competition-dataset-eu" if doc.startswith("eu") else "competition-dataset-us"
    path = need_shared("corpus", "tables", "icdar2013", folder, f"{doc}.pdf")
    tables, heights = _extract(path)
    gt = icdar_tables(path, heights)[index]
    page, bbox = gt.regions[0]
    overlap, table = best_iou(list(tables), page, bbox)
    assert table is not None and overlap >= 0.8
    assert adjacency(grid_cells(grid(table))) == adjacency(as_read(gt.cells))
    assert table.score >= 0.95, table.reasons


FIGURES_HEADER = ["Country", "2019", "2016", "2013"]
FIGURES = [["Austria", "47", "", ""], ["Denmark", "27", "0.1", ""], ["France", "200", "66", "16"], ["Germany", "149", "73", "10"], ["Total", "423", "139", "26"]]
PROSE = "the figures of the table above were drawn from the registers of the four countries and checked twice"


def _row_ruled(c: Canvas, x0: float, x1: float, top: float, xs: list[float]) -> float:
    """A grid with a rule under every row, drawn from ``top`` down; its bottom."""
    y = top
    c.setLineWidth(0.5)
    c.line(x0, y, x1, y)
    for row in [FIGURES_HEADER, *FIGURES]:
        for k, (x, text) in enumerate(zip(xs, row)):
            if k:
                c.drawRightString(x, y - 10, text)
            else:
                c.drawString(x, y - 10, text)
        y -= 14
        c.line(x0, y, x1, y)
    return y


def test_notes_in_the_last_bands_of_a_box_are_no_rows(tmp_path: Path) -> None:
    """Regression: a boxed table whose notes (a line of running text across the box, then
    another under a rule) sit in the box under its last row rule read them as two more rows,
    the first cut across the columns. Bands under the last row rules, each opened by a line of
    prose over half the box's width, are the table's notes."""
    pdf = tmp_path / "boxnotes.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    _, height = letter
    c.setFont("Helvetica-Bold", 9)
    c.drawString(72, height - 80, "Table 4. Stores by country and year")
    c.setFont("Helvetica", 9)
    y = _row_ruled(c, 70, 540, height - 90, [76, 300, 420, 530])
    c.setFont("Times-Roman", 9)
    c.drawString(76, y - 10, "Reading the table: " + PROSE[:70])
    y -= 14
    c.line(70, y, 540, y)
    c.drawString(76, y - 10, "Note: " + PROSE[20:])
    y -= 14
    c.line(70, y, 540, y)
    c.line(70, height - 90, 70, y)
    c.line(540, height - 90, 540, y)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == FIGURES_HEADER
    assert table.rows == FIGURES
    assert table.score >= 0.95, table.reasons


def test_an_underline_under_the_text_after_a_table_is_not_its_rule(tmp_path: Path) -> None:
    """Regression: the underline of a line of body text under a table (a little wider than the
    table) was taken for the table's bottom rule: the source line, a heading and a paragraph
    (set from the page's margin, past the table's side) were read as rows. A line of prose
    across the table and past its side is the page's text, after the table's notes as well."""
    pdf = tmp_path / "underline.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    _, height = letter
    c.setFont("Helvetica-Bold", 9)
    c.drawCentredString(300, height - 80, "Table 6.9: Stores by country and year")
    c.setFont("Times-Roman", 9)
    y = _row_ruled(c, 105, 490, height - 90, [110, 300, 380, 470])
    c.setFont("Times-Italic", 9)
    c.drawString(108, y - 14, "Source: national registers, 2020")
    c.setFont("Times-Bold", 10)
    c.drawString(108, y - 40, "6.5 Stores over time")
    c.setFont("Times-Roman", 10)
    c.drawString(72, y - 56, "A number of " + PROSE + " and once more by the authors.")
    c.drawString(72, y - 70, "The rest of " + PROSE[:60] + ".")
    c.drawString(140, y - 96, "The " + PROSE[:80])
    c.line(108, y - 98, 523, y - 98)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == FIGURES_HEADER
    assert table.rows == FIGURES


TERMS = [
    (["Visual analogue", "scale (VAS)"], ["A line of fixed length whose two ends are labelled with the", "extremes of the symptom; the patient marks the point on the", "line that matches how the symptom feels today."]),
    (["Anchored or rated", "VAS"], ["A visual analogue scale with marks set along the line, each", "labelled with a word that helps the patient place the mark."]),
    (["Likert scale"], ["An ordered set of statements from which the patient picks", "the one that best describes how they feel."]),
    (["Diary of events as", "they happen"], ["Events are written down as they happen, in a paper or an", "electronic diary kept by the patient."]),
    (["Checklist"], ["A list of items, each answered yes or no."]),
]


def test_terms_wrapped_beside_their_definitions_in_rows_ruled_one_by_one(tmp_path: Path) -> None:
    """Regression: a table of terms and their definitions, a rule across it under every row,
    each term wrapped beside its wrapped definition (set in a smaller size, so the definition's
    first line sits above the term's), was dropped as running text; then read with every
    wrapped line a row ('VAS' under 'Anchored or rated' is a capital, no word that reads on),
    scored confident. A band between rules with one line that opens a row is one row."""
    pdf = tmp_path / "terms.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    _, height = letter
    x0, x1, split = 90.0, 522.0, 171.0
    c.setFont("Times-Bold", 10)
    c.drawString(x0, height - 80, "Table 3. Kinds of response options")
    y = height - 86
    c.setLineWidth(0.5)
    c.line(x0, y, x1, y)
    c.drawCentredString((x0 + split) / 2, y - 10, "Type")
    c.drawCentredString((split + x1) / 2, y - 10, "Description")
    y -= 14
    c.line(x0, y, x1, y)
    for term, definition in TERMS:
        c.setFont("Times-Roman", 10)
        for k, text in enumerate(term):
            c.drawString(x0 + 5, y - 10 - k * 11.5, text)
        c.setFont("Times-Roman", 7.5)
        for k, text in enumerate(definition):
            c.drawString(split + 5, y - 8 - k * 9.5, text)
        y -= max(11.5 * len(term), 9.5 * len(definition)) + 4
        c.line(x0, y, x1, y)
    c.line(x0, height - 86, x0, y)
    c.line(split, height - 86, split, y)
    c.line(x1, height - 86, x1, y)
    c.setFont("Times-Roman", 10)
    c.drawString(72, y - 24, "Response options are chosen to suit the patients who will answer them.")
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == ["Type", "Description"]
    assert table.rows == [[" ".join(term), " ".join(definition)] for term, definition in TERMS]
    assert table.score >= 0.95, table.reasons


BULLETED = [
    ("Clarity", [["Reported as not relevant by many", "patients of the target group"], ["Many questions from patients"]]),
    ("Response range", [["Most patients answer at the floor"], ["Answers highly skewed"], ["No answer applies to some", "of the patients"]]),
    ("Redundancy", [["Duplicates what other items ask"]]),
]


@pytest.mark.parametrize("verticals", [True, False])
def test_bulleted_items_with_a_hanging_indent_are_their_cells(tmp_path: Path, verticals: bool) -> None:
    """A table of text whose right cells are bulleted lists, each item's lines set with a
    hanging indent (the bullet a gutter left of its text): the bullets are the items' marks in
    their cell, not a column of their own. Regression (ICDAR us-015 Tables 1 and 2): a column
    of bullets '• • •' under the header repeated over it, scored 0.99."""
    pdf = tmp_path / "bullets.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    xs = [72.0, 200.0, 470.0]
    y = letter[1] - 90
    c.setFont("Helvetica-Bold", 10)
    c.drawString(xs[0], y + 14, "Table 1. Reasons to change an item")
    c.setLineWidth(0.5)
    c.line(xs[0], y, xs[2], y)
    c.drawString(xs[0] + 4, y - 11, "Item property")
    c.drawString(xs[1] + 4, y - 11, "Reason for change")
    y -= 16
    top = y
    c.line(xs[0], y, xs[2], y)
    c.setFont("Helvetica", 9)
    want = []
    for label, items in BULLETED:
        c.drawString(xs[0] + 4, y - 11, label)
        line = 0
        for item in items:
            c.setFont("Symbol", 9)  # base-14 Helvetica has no bullet: Symbol's, as word processors set it
            c.drawString(xs[1] + 6, y - 11 - 11 * line, "•")
            c.setFont("Helvetica", 9)
            for text in item:
                c.drawString(xs[1] + 20, y - 11 - 11 * line, text)
                line += 1
        y -= 11 * line + 6
        c.line(xs[0], y, xs[2], y)
        want.append([label, " ".join("• " + " ".join(item) for item in items)])
    if verticals:
        for x in xs:
            c.line(x, top + 16, x, y)
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == ["Item property", "Reason for change"]
    assert table.rows == want
    assert table.score >= 0.95, table.reasons
