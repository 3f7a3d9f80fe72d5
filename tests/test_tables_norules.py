"""Tables printed without rules (or with one rule under the header, or zebra shading instead of
rules), on their own or in one column of a two-column page: found and read cell for cell.

The PDFs are drawn here with reportlab from invented figures; the prose beside them is filler.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.tables_compare import pdf_tables

HEADER = ["Characteristic", "Insulin", "Placebo", "p"]
ROWS = [
    ["Age, years", "54.2 ± 8.1", "55.0 ± 7.9", "0.61"],
    ["Women", "19 (45.2)", "17 (42.5)", "0.80"],
    ["HbA1c, %", "8.4 ± 1.2", "8.6 ± 1.1", "0.43"],
    ["BMI, kg/m2", "31.2 ± 4.4", "30.7 ± 4.9", "0.62"],
    ["Smokers", "7 (16.7)", "9 (22.5)", "0.50"],
    ["Duration, years", "9.1 ± 5.3", "8.8 ± 4.7", "0.78"],
]
FILLER = "the quick brown fox jumps over the lazy dog again and again while the day goes by"


#: A headnote: what the table counts, set under its caption across the table's columns.
HEADNOTE = ["[Counts of randomised patients reported by the 12 centres of the trial network", "with a baseline visit; see Methods for the definitions used]"]


def _draw(path: Path, style: str, two_column: bool = False, headnote: bool = False) -> None:
    """One page: a caption (and a headnote), a 4-column table drawn as text, prose around it."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    left, right = 56.0, width - 56.0
    table_right = (left + right) / 2 - 10 if two_column else right
    xs = [left, left + 0.36 * (table_right - left), left + 0.60 * (table_right - left), left + 0.86 * (table_right - left)]
    c.setFont("Helvetica", 9)
    y = height - 80
    for _ in range(5):  # prose above the table, full width
        c.drawString(left, y, (FILLER + " " + FILLER)[:110])
        y -= 12
    y -= 14
    c.setFont("Helvetica-Bold", 9)
    c.drawString(left, y, "Table 1. Baseline characteristics of the randomised patients")
    y -= 20
    if headnote:
        c.setFont("Helvetica", 8)
        for line in HEADNOTE:
            c.drawString(left, y + 8, line)
            y -= 10
        y -= 6
    top_of_table = y
    c.setFont("Helvetica", 8)
    for x, text in zip(xs, HEADER):
        c.drawString(x, y, text)
    if style == "header-rule":
        c.setLineWidth(0.5)
        c.line(left, y - 4, table_right, y - 4)
    y -= 15
    for i, row in enumerate(ROWS):
        if style == "zebra" and i % 2 == 0:
            c.setFillGray(0.88)
            c.rect(left - 2, y - 3, table_right - left + 4, 12, stroke=0, fill=1)
            c.setFillGray(0)
        for x, text in zip(xs, row):
            c.drawString(x, y, text)
        y -= 13
    c.setFont("Helvetica", 7)
    c.drawString(left, y - 2, "Values are mean ± SD or n (%).")
    if two_column:  # prose in the right-hand column, on the table's baselines
        c.setFont("Helvetica", 9)
        yy = top_of_table + 10
        while yy > y - 40:
            c.drawString((left + right) / 2 + 10, yy, FILLER[:52])
            yy -= 11
    c.setFont("Helvetica", 9)
    y -= 30
    for _ in range(6):
        c.drawString(left, y, (FILLER + " " + FILLER)[:110])
        y -= 12
    c.showPage()
    c.save()


@pytest.mark.parametrize(
    ("style", "two_column"),
    [("no-rules", False), ("header-rule", False), ("zebra", False), ("no-rules", True), ("header-rule", True)],
)
def test_table_without_rules_read_cell_for_cell(tmp_path: Path, style: str, two_column: bool) -> None:
    """Regression: a table with no rules, or one rule under its header, was not seen at all."""
    pdf = tmp_path / f"{style}.pdf"
    _draw(pdf, style, two_column)
    tables = pdf_tables(pdf)
    assert len(tables) == 1, [(t.caption, t.header) for t in tables]
    table = tables[0]
    assert table.caption is not None and table.caption.startswith("Table 1.")
    assert table.header == HEADER
    assert table.rows == ROWS
    assert table.score >= 0.95, table.reasons


def test_prose_alone_is_no_table(tmp_path: Path) -> None:
    """Two columns of running text with no table: nothing is reported."""
    pdf = tmp_path / "prose.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    for i in range(50):
        c.drawString(56, 780 - 12 * i, FILLER[:52])
        c.drawString(310, 780 - 12 * i, FILLER[5:57])
    c.showPage()
    c.save()
    assert pdf_tables(pdf) == []


def test_a_caption_goes_to_the_table_under_it_not_a_mention_above() -> None:
    """A line of prose that starts with "Table 1" a few lines above the caption is no caption:
    the box takes the nearer "Table 1." right above it."""
    from curate.extract.regions import assign_captions
    from tests.conftest import text_line

    mention = text_line(300, (72, "Table 1 and discussed below."))
    caption = text_line(330, (72, "Table 1. HbA1c per patient."))
    (found,) = assign_captions([mention, caption], [(72.0, 345.0, 280.0, 420.0)])
    assert found is not None and found[0] == "Table 1. HbA1c per patient."


@pytest.mark.parametrize("style", ["no-rules", "header-rule"])
def test_headnote_under_the_caption_is_no_header(tmp_path: Path, style: str) -> None:
    """Regression (12s0324 Table 325): lines of running text between the caption and the
    header, across the table's columns, were read as its header and the header as a row. They
    belong to the caption; the header is the first line whose words stand over the columns."""
    pdf = tmp_path / f"headnote-{style}.pdf"
    _draw(pdf, style, headnote=True)
    (table,) = pdf_tables(pdf)
    assert table.header == HEADER
    assert table.rows == ROWS
    assert table.caption is not None and table.caption.endswith(HEADNOTE[-1])


def test_a_header_set_close_under_the_caption_is_no_headnote() -> None:
    """Counter-case: a header line whose cells stand less than an em apart (one run of words)
    still parts at gaps wider than its word spaces: it is a header, not a headnote; running
    text across the columns at even word spacing is a headnote; so is no label alone."""
    from curate.extract.regions import is_headnote
    from tests.conftest import text_line

    columns = [(60.0, 130.0), (150.0, 190.0), (210.0, 250.0)]
    assert is_headnote(text_line(50, (60, "Counts of patients reported by the centres of the network")), columns)
    assert not is_headnote(text_line(50, (60, "Characteristic"), (136, "Insulin"), (177, "Placebo"), (218, "p")), columns)
    assert not is_headnote(text_line(50, (60, "Offense charged")), columns)


#: A subgroup table under two spanners ('Intervention', 'Control'): its header lines, its rows,
#: and the header it reads as.
SUBGROUP_HEADER = ["Subgroup", "Events", "Total", "Events", "Total", "Risk ratio (95% CI)"]
SUBGROUP_ROWS = [["Under 65 years", "31", "212", "45", "208", "0.68 (0.45 to 1.02)"], ["65 years or older", "27", "172", "36", "169", "0.74 (0.47 to 1.16)"],
                 ["Women", "24", "203", "33", "196", "0.70 (0.43 to 1.14)"], ["Men", "34", "181", "48", "181", "0.71 (0.48 to 1.04)"]]
SUBGROUP_READ = ["Subgroup", "Intervention Events", "Intervention Total", "Control Events", "Control Total", "Risk ratio (95% CI)"]


def test_a_full_width_table_over_the_empty_half_of_a_two_column_page(tmp_path: Path) -> None:
    """Running text only in the left column (the right one is empty on this page), a table set
    full width above it without rules: its spanning header line is narrower than the table,
    and the last column stands out of the left column over the empty right one. It is the
    table's (its rows reach it through their own gutters), not another column's text."""
    pdf = tmp_path / "half.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    width, height = A4
    y = height - 80
    c.setFont("Helvetica-Bold", 9)
    c.drawString(56, y, "Table 2. Events by subgroup.")
    y -= 16
    c.setFont("Helvetica", 8)
    c.drawString(144, y, "Intervention")  # centred over its two columns
    c.drawString(228, y, "Control")
    y -= 10
    xs = [56, 140, 175, 215, 250, 292]
    for x, text in zip(xs, SUBGROUP_HEADER):
        c.drawString(x, y, text)
    for row in SUBGROUP_ROWS:
        y -= 11
        for x, text in zip(xs, row):
            c.drawString(x, y, text)
    y -= 30
    c.setFont("Helvetica", 9)
    for _ in range(12):  # the left column's prose; the right column is empty
        c.drawString(56, y, FILLER[:50])
        y -= 12
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == SUBGROUP_READ
    assert table.rows == SUBGROUP_ROWS



def test_a_full_width_table_centred_over_both_columns_above_them(tmp_path: Path) -> None:
    """A float atop a two-column page (LaTeX's table*): the table is centred on the page, so it
    starts inside the left column and its last column stands over the right one, and both
    columns of running text start under it. No other column's text runs beside its rows: the
    last column is the table's."""
    pdf = tmp_path / "float.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    width, height = A4
    y = height - 64
    c.setFont("Helvetica-Bold", 9)
    c.drawString(56, y, "Table 2. Events by subgroup.")
    y -= 15
    c.setFont("Helvetica", 9)
    c.drawString(217, y, "Intervention")
    c.drawString(307, y, "Control")
    y -= 11
    for x, text in zip([133, 212, 255, 291, 334, 370], SUBGROUP_HEADER):
        c.drawString(x, y, text)
    for row in SUBGROUP_ROWS:
        y -= 11
        for x, text in zip([133, 223, 260, 302, 339, 380], row):
            c.drawString(x, y, text)
    y -= 40
    line = FILLER + " " + FILLER
    while c.stringWidth(line, "Helvetica", 9) > 234:  # columns 234 pt wide, 16 pt apart
        line = line[:-1]
    for _ in range(20):  # both columns' prose, under the table
        c.drawString(56, y, line)
        c.drawString(306, y, line)
        y -= 12
    c.showPage()
    c.save()
    (table,) = pdf_tables(pdf)
    assert table.header == SUBGROUP_READ
    assert table.rows == SUBGROUP_ROWS


CAPTION_LINES = ["Table 2. Baseline characteristics of the randomised patients, by treatment arm and", "centre of the trial network"]


#: Where the table's columns start (x) on an A4 page with 56 pt margins.
XS = [56.0 + share * (A4[0] - 112.0) for share in (0.0, 0.36, 0.60, 0.86)]


def _draw_captioned(
    path: Path,
    second: str,
    drop: float,
    ruled_above: bool,
    centre: float = A4[0] / 2,
    caption: str = CAPTION_LINES[0],
    booktabs: bool = True,
    flush_right: bool = False,
) -> None:
    """A booktabs table under a centred caption (9 pt, 11 pt pitch) and a second line centred
    on ``centre`` (the page's and table's middle), ``drop`` points under it, over the top
    rule: the caption's wrapped end, a unit note, or a header line set apart (a spanner);
    ``flush_right``: the second line set flush right with the table (its rules, or its last
    column) instead.
    Not ``booktabs``: no top and bottom rules, only the rule under the header."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    left, right = 56.0, width - 56.0
    xs = XS
    y = height - 100
    c.setLineWidth(0.8)
    if ruled_above:
        c.line(left, y + 14, right, y + 14)
    c.setFont("Helvetica", 9)
    c.drawCentredString(width / 2, y, caption)
    y -= drop
    if flush_right:  # with the rules' end, or with the last column's widest cell
        c.drawRightString(right if booktabs else max(xs[-1] + c.stringWidth(r[-1], "Helvetica", 9) for r in [HEADER, *ROWS]), y, second)
    else:
        c.drawCentredString(centre, y, second)
    if booktabs:
        c.line(left, y - 5, right, y - 5)
    y -= 18
    for x, text in zip(xs, HEADER):
        c.drawString(x, y, text)
    c.line(left, y - 4, right, y - 4)
    y -= 15
    for row in ROWS:
        for x, text in zip(xs, row):
            c.drawString(x, y, text)
        y -= 13
    if booktabs:
        c.line(left, y + 8, right, y + 8)
    c.showPage()
    c.save()


@pytest.mark.parametrize("ruled_above", [True, False])
def test_a_caption_wrapped_onto_a_centred_line_is_no_header(tmp_path: Path, ruled_above: bool) -> None:
    """A caption's centred last line, at the caption's pitch and size, ends the caption. Regression
    (ICDAR us-018): it was read as the table's header and scored confident."""
    pdf = tmp_path / "wrapped.pdf"
    _draw_captioned(pdf, CAPTION_LINES[1], 11, ruled_above)
    (table,) = pdf_tables(pdf)
    assert table.caption == " ".join(CAPTION_LINES)
    assert table.header == HEADER and table.rows == ROWS


@pytest.mark.parametrize(("ruled_above", "booktabs"), [(True, True), (False, True), (False, False)])
def test_a_centred_line_set_apart_from_the_caption_stays_the_header(tmp_path: Path, ruled_above: bool, booktabs: bool) -> None:
    """A short centred line under a caption but further from it than the caption's pitch is a
    header line (a spanner over the arms), not the caption's end: above the table's top rule,
    or above the header of a table with only a rule under its header."""
    pdf = tmp_path / "apart.pdf"
    _draw_captioned(pdf, "Treatment arm", 22, ruled_above, booktabs=booktabs)
    (table,) = pdf_tables(pdf)
    assert table.caption == CAPTION_LINES[0]
    assert any("Treatment arm" in h for h in table.header), table.header
    assert table.header[0] == HEADER[0] and table.rows == ROWS


@pytest.mark.parametrize("booktabs", [True, False])
@pytest.mark.parametrize("drop", [11, 22])
def test_a_bracketed_unit_note_centred_on_the_table_is_the_captions(tmp_path: Path, drop: float, booktabs: bool) -> None:
    """A unit note ('[In thousands]': one phrase wholly in brackets, centred on the whole table,
    its label column too) under the caption, at its pitch or set apart, is the caption's, not
    a header row. Regression (ICDAR us-018 Table 16): it was read as the header, scored 0.92."""
    pdf = tmp_path / "unit.pdf"
    _draw_captioned(pdf, "[In thousands]", drop, ruled_above=False, booktabs=booktabs)
    (table,) = pdf_tables(pdf)
    assert table.caption == f"{CAPTION_LINES[0]} [In thousands]"
    assert table.header == HEADER and table.rows == ROWS


@pytest.mark.parametrize("booktabs", [True, False])
@pytest.mark.parametrize("drop", [11, 22])
def test_a_bracketed_unit_note_flush_right_with_the_table_is_the_captions(tmp_path: Path, drop: float, booktabs: bool) -> None:
    """A unit note set flush right with the table over its last column ('(Rs. in 000)',
    '(` Billion)'), right under the caption, is the caption's. Regression (camelot's
    superscript.pdf): it was read as the header (one cell over the last column) and the real
    header's four lines as rows, scored 0.62."""
    pdf = tmp_path / "unit.pdf"
    _draw_captioned(pdf, "(Percent)", drop, ruled_above=False, booktabs=booktabs, flush_right=True)
    (table,) = pdf_tables(pdf)
    assert table.caption == f"{CAPTION_LINES[0]} (Percent)"
    assert table.header == HEADER and table.rows == ROWS


@pytest.mark.parametrize("booktabs", [True, False])
@pytest.mark.parametrize("spanner", ["(randomised patients)", "Randomised patients"])
def test_a_spanner_centred_over_the_figure_columns_stays_the_header(tmp_path: Path, spanner: str, booktabs: bool) -> None:
    """Counter-case: a phrase set apart under the caption and centred over the columns of
    figures (not over the label column), bracketed or not, spans them: a header line."""
    pdf = tmp_path / "spanner.pdf"
    _draw_captioned(pdf, spanner, 22, ruled_above=False, centre=(XS[1] + XS[3] + 20) / 2, booktabs=booktabs)
    (table,) = pdf_tables(pdf)
    assert table.caption == CAPTION_LINES[0]
    assert table.header[0] == HEADER[0] and all(spanner in h for h in table.header[1:3]), table.header
    assert table.rows == ROWS


@pytest.mark.parametrize("label", ["Table A.2:", "Table S1.", "Table 2a.", "Appendix Table 3.", "Table A1.", "TABLE A-4", "eTable 5."])
def test_a_caption_numbered_with_letters_is_a_caption(tmp_path: Path, label: str) -> None:
    """Tables numbered in an appendix or a supplement ('Table A.2:', 'Table S1', 'Table 2a') are
    captioned like 'Table 2'. Regression (ICDAR us-035a): their captions were read as header rows."""
    pdf = tmp_path / "lettered.pdf"
    caption = f"{label} Baseline characteristics of the randomised patients"
    _draw_captioned(pdf, "centre of the trial network", 11, ruled_above=False, caption=caption)
    (table,) = pdf_tables(pdf)
    assert table.caption == f"{caption} centre of the trial network"
    assert table.header == HEADER and table.rows == ROWS


def test_prose_opening_with_table_and_a_letter_is_no_caption(tmp_path: Path) -> None:
    """Counter-case: a sentence that opens 'Table A' or 'Tables A1 and A2' is no caption, though
    it stands right over a table; a caption needs a number."""
    from curate.extract.regions import CAPTION

    for prose in ["Table A shows the counts by arm", "Tables A1 and A2 list the centres", "Table Accordingly", "Table civil"]:
        assert CAPTION.match(prose) is None, prose
    pdf = tmp_path / "prose.pdf"
    _draw_captioned(pdf, "Table A lists the counts by arm and centre", 22, ruled_above=False, caption="The randomised patients by arm.")
    (table,) = pdf_tables(pdf)
    assert table.caption is None
    assert table.rows == ROWS


def _finish_under_header_rule(c: Canvas, y: float) -> None:
    """The header at ``y`` over its rule, the rows at a 13 pt pitch, a bottom rule; the page saved."""
    for x, text in zip(XS, HEADER):
        c.drawString(x, y, text)
    c.line(XS[0], y - 4, A4[0] - 56, y - 4)
    for row in ROWS:
        y -= 13
        for x, text in zip(XS, row):
            c.drawString(x, y - 2, text)
    c.line(XS[0], y - 7, A4[0] - 56, y - 7)
    c.showPage()
    c.save()


@pytest.mark.parametrize(("size", "drop"), [(11, 16), (8, 12)])
@pytest.mark.parametrize("top_rule", [True, False])
def test_a_title_under_a_caption_that_is_only_its_label_is_the_captions(tmp_path: Path, size: float, drop: float, top_rule: bool) -> None:
    """A caption that is only its label ('Table 3', bold) goes on in a title line of its own,
    in another size and leading ('Patient demographics': too short for a headnote): the title is
    the caption's, not a header line over the label column."""
    pdf = tmp_path / "label.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    y = A4[1] - 100
    c.setFont("Helvetica-Bold", 9)
    c.drawString(XS[0], y, "Table 3")
    y -= drop
    c.setFont("Helvetica", size)
    c.drawString(XS[0], y, "Patient demographics")
    c.setFont("Helvetica", 9)
    if top_rule:
        c.line(XS[0], y - 6, A4[0] - 56, y - 6)
    y -= 20
    _finish_under_header_rule(c, y)
    (table,) = pdf_tables(pdf)
    assert table.caption == "Table 3 Patient demographics"
    assert table.header == HEADER and table.rows == ROWS


@pytest.mark.parametrize("label", ["Table 5-3", "Table 2.1", "TABLE 4–2"])
def test_a_label_numbered_by_chapter_alone_on_its_line_heads_a_wrapped_centred_title(tmp_path: Path, label: str) -> None:
    """A table numbered by chapter ('Table 5-3', 'Table 2.1') with its label alone on a centred
    line over a centred title wrapped onto two lines: both title lines are the caption's.
    Regression (ICDAR us-040): the number was not read past its first figure, the label line
    was no label alone, and the title's second line was read as the header."""
    pdf = tmp_path / "chapter.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    middle, y = A4[0] / 2, A4[1] - 100
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(middle, y, label)
    for line in ("Baseline characteristics of the randomised patients by arm of the trial", "and by centre of the trial network"):
        y -= 12
        c.drawCentredString(middle, y, line)
    c.setFont("Helvetica", 9)
    c.line(XS[0], y - 14, A4[0] - 56, y - 14)
    y -= 30
    _finish_under_header_rule(c, y)
    (table,) = pdf_tables(pdf)
    assert table.caption == f"{label} Baseline characteristics of the randomised patients by arm of the trial and by centre of the trial network"
    assert table.header == HEADER and table.rows == ROWS


def test_a_wrapped_title_in_a_smaller_size_than_the_label_is_the_captions(tmp_path: Path) -> None:
    """A caption whose label is set larger than its title ('Table SA3.' 11 pt, the title 9.5 pt)
    wraps at the title's size under the title's first word: the wrapped line is the caption's.
    Regression (ICDAR eu-016, eu-019): it was read into the header."""
    pdf = tmp_path / "sizes.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    y = A4[1] - 100
    c.setFont("Helvetica", 11)
    c.drawString(XS[0], y, "Table SA3.")
    c.setFont("Helvetica-Bold", 9.5)
    c.drawString(XS[0] + 62, y, "Distribution of the randomised patients by centre and arm of the trial")
    y -= 11.5
    c.drawString(XS[0] + 62, y, "network, 2007")
    c.setFont("Helvetica", 9)
    c.line(XS[0], y - 8, A4[0] - 56, y - 8)
    y -= 22
    _finish_under_header_rule(c, y)
    (table,) = pdf_tables(pdf)
    assert table.caption == "Table SA3. Distribution of the randomised patients by centre and arm of the trial network, 2007"
    assert table.header == HEADER and table.rows == ROWS
