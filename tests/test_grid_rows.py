"""Rows from lines (curate.extract.grid.build_grid): which line opens a row, which one wraps on;
and which header words head which column."""

from __future__ import annotations

from curate.extract.grid import build_grid
from curate.extract.layout import Line
from tests.conftest import text_line

COLUMNS = (60, 160, 240)


def _rows(lines: list[tuple[float, tuple[str, str, str]]]) -> list[list[str]]:
    body = [text_line(top, *((x, t) for x, t in zip(COLUMNS, cells) if t)) for top, cells in lines]
    grid = build_grid([], body, [], 1.0)
    assert grid is not None
    return grid.rows


def test_a_row_wrapped_in_every_column_is_one_row() -> None:
    """Set as tightly as the rows: its second line closes the brackets and ends the label."""
    rows = _rows([
        (100, ("Women", "203 (52.9)", "196 (52.0)")),
        (112, ("BMI, kg/m2,", "29.1 (26.0 to", "28.8 (25.7")),
        (124, ("median (IQR)", "32.8)", "to 32.5)")),
    ])
    assert rows == [["Women", "203 (52.9)", "196 (52.0)"], ["BMI, kg/m2, median (IQR)", "29.1 (26.0 to 32.8)", "28.8 (25.7 to 32.5)"]]


def test_rows_of_lower_case_words_stay_rows() -> None:
    """A column of 'yes' and 'no' starts every line in lower case: nothing there is unfinished."""
    rows = _rows([
        (100, ("", "yes", "no")),
        (112, ("", "no", "yes")),
        (124, ("", "yes", "yes")),
    ])
    assert len(rows) == 3


def test_a_section_row_at_the_row_pitch_is_a_row_of_its_own() -> None:
    """Rows of one line set 11 pt apart, each section label as near the row above and a wider
    gap under it (a taller section row): the wide gaps are no padding between rows, so a label
    at the rows' own pitch is no wrapped line of the row above, and one set closer still is."""
    rows = _rows([
        (100, ("Age", "", "")),
        (114, ("Under 65", "31", "212")),
        (125, ("65 to 74", "27", "172")),
        (136, ("75 or older", "12", "80")),
        (147, ("Sex", "", "")),
        (161, ("Women", "24", "203")),
        (172, ("Men", "34", "181")),
        (183, ("All", "58", "384")),
        (192, ("Participants", "", "")),
    ])
    assert [r[0] for r in rows] == ["Age", "Under 65", "65 to 74", "75 or older", "Sex", "Women", "Men", "All Participants"]


def test_header_cells_set_closer_than_half_an_em_stay_apart() -> None:
    """Two header cells 4 pt apart in 9 pt type (word spaces 2.5 pt), each over a column of
    its own, are two headers, not one phrase spanning both; a header with word spaces only
    stays one phrase."""
    header = [text_line(80, (60, "Author"), (100, "Male (%)"), (141.5, "Mean age"))]
    body = [text_line(100 + 12 * k, (60, name), (110, "37"), (155, "18")) for k, name in enumerate(("Ye", "Li", "Gu"))]
    grid = build_grid(header, body, [], 1.0)
    assert grid is not None and grid.header == ["Author", "Male (%)", "Mean age"]
    spaced = [text_line(80, (60, "Author"), (100, "Male (%) Mean age"))]
    grid = build_grid(spaced, body, [], 1.0)
    assert grid is not None and grid.header == ["Author", "", "Male (%) Mean age"]


def test_raised_marks_degrees_and_primes_in_a_cell() -> None:
    """A raised letter after a word is a mark (``kg^a``), a raised circle a degree sign, and a
    raised prime is part of the word as printed (P2′, P1″: TeX sets primes raised)."""
    from curate.extract.grid import words_text
    from curate.extract.layout import Word

    def cell(base: str, raised: str) -> str:
        return words_text([Word(base, 10.0, 20.0, 100.0, 110.0, 10.0), Word(raised, 20.5, 23.0, 96.0, 103.0, 7.0, superscript=True)])

    assert [cell("kg", "a"), cell("37", "◦"), cell("P2", "′"), cell("P1", "″")] == ["kg^a", "37°", "P2′", "P1″"]


def test_a_figures_bracket_wrapped_under_it_in_centred_columns_is_its_rows() -> None:
    """'109 (28.9)' wrapped in a narrow centred column: '(28.9)' centred under '109' and over the
    next row's '171' belongs to the row above, not to a cell centred on the row below."""
    def centred(x: float, text: str) -> tuple[float, str]:
        return x - 2.5 * len(text), text

    body = [
        text_line(100, (60, "Type"), centred(180, "118"), centred(240, "109")),
        text_line(111, centred(240, "(28.9)")),
        text_line(122, (60, "Hypertension"), centred(180, "167"), centred(240, "171")),
        text_line(133, centred(240, "(45.4)")),
    ]
    grid = build_grid([], body, [], 1.0)
    assert grid is not None
    assert grid.rows == [["Type", "118", "109 (28.9)"], ["Hypertension", "167", "171 (45.4)"]]


def test_a_row_border_touching_its_text_still_parts_rows() -> None:
    """Cells with no padding above a line: the rule between rows lies on the next line's top."""
    body = [text_line(100, (60, "Demographics")), text_line(109, (60, "Age"), (160, "54.2"), (240, "53.7")), text_line(118, (60, "Women"), (160, "203"), (240, "196"))]
    grid = build_grid([], body, [], 1.0, row_rules=[109.05, 118.05])
    assert grid is not None
    assert grid.rows == [["Demographics", "", ""], ["Age", "54.2", "53.7"], ["Women", "203", "196"]]


def test_a_label_wrapped_around_its_centred_row_is_one_row() -> None:
    """Rows padded apart, cells centred vertically: a three-line label's middle line carries the
    row's figures; its first and last lines are the same row (not a section row and a wrap)."""
    rows = _rows([
        (100, ("Any adverse event", "211", "198")),
        (125, ("Serious adverse", "", "")),
        (137, ("event leading", "23", "27")),
        (149, ("to admission", "", "")),
        (174, ("Death", "3", "4")),
    ])
    assert rows == [["Any adverse event", "211", "198"], ["Serious adverse event leading to admission", "23", "27"], ["Death", "3", "4"]]


def test_a_section_label_over_its_first_row_stays_a_row() -> None:
    """Rows padded apart, a section label set close over its group's first row: no line under
    that row at the same pitch, so the label is a row of its own."""
    rows = _rows([
        (100, ("Caste", "", "")),
        (112, ("Scheduled", "74.8", "55.8")),
        (137, ("Other", "71.1", "48.8")),
        (162, ("Wealth", "", "")),
        (174, ("Lowest", "64.5", "48.6")),
        (199, ("Second", "68.5", "50.4")),
    ])
    assert [r[0] for r in rows] == ["Caste", "Scheduled", "Other", "Wealth", "Lowest", "Second"]


def _right(x1: float, text: str) -> tuple[float, str]:
    """A cell set flush right at ``x1`` (text_line's 5 pt letters, 2.5 pt spaces)."""
    return x1 - 5 * len(text.replace(" ", "")) - 2.5 * text.count(" "), text


def test_a_header_cell_wider_than_its_column_keeps_its_lines() -> None:
    """A header cell set flush right over a narrow column of figures, wider than them: its top
    line, alone on its line and best centred over all the columns, still heads its own column
    (the line under it is flush with it), and so does each line of the cell beside it."""
    header = [
        text_line(60, _right(210, "Percentage of")),
        text_line(70, _right(210, "international"), _right(290, "Exclusion")),
        text_line(80, (60, "Country"), _right(210, "coverage"), _right(290, "rate")),
    ]
    body = [text_line(100 + 12 * k, (60, name), _right(210, "100"), _right(290, "4")) for k, name in enumerate(("Austria", "Bulgaria", "Canada"))]
    grid = build_grid(header, body, [], 1.0)
    assert grid is not None and grid.header == ["Country", "Percentage of international coverage", "Exclusion rate"]


def test_a_spanning_header_flush_with_its_first_sub_header_still_spans() -> None:
    """Counter-case: a group header set flush left with the first of the two sub-headers under
    it stands over both (not one cell's lines), so it heads both columns."""
    header = [text_line(60, (160, "Intervention group")), text_line(70, (60, "Site"), (160, "n"), (210, "mean"))]
    body = [text_line(90 + 12 * k, (60, name), (160, "12"), (210, "4.5")) for k, name in enumerate(("Lyon", "Turin", "Graz"))]
    grid = build_grid(header, body, [], 1.0)
    assert grid is not None and grid.header == ["Site", "Intervention group n", "Intervention group mean"]


def test_a_headerless_word_column_a_space_right_of_figures_joins_them() -> None:
    """'40 years' in a fixed-width font: the word space is wider than a narrow gutter, so the
    words line up as a column of their own; with no header word over them they are the end of
    the cells on their left. A column of words with a header of its own stays a column."""
    body = [text_line(100 + 12 * k, (60, f"{40 + k}"), (75, "years"), _right(200, f"{3000 + k}")) for k in range(4)]
    header = [text_line(80, (60, "Age"), _right(200, "Total"))]
    grid = build_grid(header, body, [], 0.5)
    assert grid is not None and grid.header == ["Age", "Total"] and grid.rows[0] == ["40 years", "3000"]
    headed = [text_line(80, (60, "n"), (75, "unit"), _right(200, "Total"))]
    grid = build_grid(headed, body, [], 0.5)
    assert grid is not None and grid.header == ["n", "unit", "Total"] and grid.rows[0] == ["40", "years", "3000"]


def test_a_header_centred_in_a_ruled_cell_over_its_column_is_no_column_of_its_own() -> None:
    """A stub header centred between the vertical rules of its cell, its column's labels set
    flush left well clear of it: the header heads that column; no empty column is made for it."""
    rules = [(56.0, 50.0, 160.0), (211.0, 50.0, 160.0), (300.0, 50.0, 160.0)]
    header = [text_line(70, (110, "Species"), _right(280, "Criterion"))]
    body = [text_line(90 + 12 * k, (62, name), _right(280, f"{k + 1}0")) for k, name in enumerate(("Mink", "Otter", "Eagle"))]
    grid = build_grid(header, body, rules, 1.0)
    assert grid is not None and grid.header == ["Species", "Criterion"]


def test_a_justified_header_cell_is_one_header() -> None:
    """A wrapped header cell filled and justified (tbl's text blocks): its first line's word
    spaces stretched evenly to 8 pt, as wide as gutters, its last line starting where it
    starts and reaching past its first word: one header over its column, not a column per
    word. Header cells over different body columns ('Age' with '(years)' under it, 'Dose')
    stay apart."""
    from curate.extract.layout import Line, Word

    def spaced(top: float, x: float, words: list[str], gap: float) -> Line:
        out = []
        for text in words:
            out.append(Word(text, x, x + 5 * len(text), top, top + 9, 9.0))
            x += 5 * len(text) + gap
        return Line(out)

    body = [text_line(110 + 11 * k, (20, sex), (90, dose), (170, hba)) for k, (sex, dose, hba) in enumerate([("M", "1000", "7.5"), ("F", "2000", "6.9"), ("M", "100", "8.2")])]
    stretched = Line([*text_line(80, (20, "Sex")).words, *spaced(80, 60, ["Stem", "cell", "Dose", "x"], 8).words, *text_line(80, (170, "HbA1c")).words])
    header = [stretched, text_line(91, (60, "million cells"))]
    grid = build_grid(header, body, [], 1.0)
    assert grid is not None and grid.header == ["Sex", "Stem cell Dose x million cells", "HbA1c"]
    apart = [Line([*text_line(80, (20, "Sex")).words, *spaced(80, 60, ["Age", "Dose"], 25).words, *text_line(80, (170, "HbA1c")).words]),
             text_line(91, (60, "(years)"))]
    body = [text_line(110 + 11 * k, (20, "M"), (60, "66"), (105, "1000"), (170, "7.5")) for k in range(3)]
    grid = build_grid(apart, body, [], 1.0)
    assert grid is not None and grid.header == ["Sex", "Age (years)", "Dose", "HbA1c"]


#: Rows of one line set 11 pt apart, a wider gap (14 pt) between groups of rows: the spacing
#: alone makes the lines set 11 pt apart look like a padded row's wrapped lines.
def _offense_rows(*lines: tuple[float, float, str, str, str]) -> list[list[str]]:
    body = [text_line(top, *((x, t) for x, t in ((x0, label), (260, a), (330, b)) if t)) for top, x0, label, a, b in lines]
    grid = build_grid([], body, [], 1.0)
    assert grid is not None and grid.merged_labels == 0
    return grid.rows


def test_a_label_wrapped_over_its_figures_is_not_run_into_the_row_above() -> None:
    """A sub-row's label wrapped over its figures (the first line holds only the label, the
    next one reads on in lower case beside the figures, a hanging indent) is one row, and the
    complete row above it keeps its own label."""
    rows = _offense_rows(
        (100, 60, "Violent crime", "467.9", "69.1"),
        (111, 64, "Murder and nonnegligent", "", ""),
        (122, 67, "manslaughter", "10.0", "0.9"),
        (133, 64, "Forcible rape", "17.5", "2.6"),
        (147, 60, "Other assaults", "1,061.3", "175.3"),
        (158, 60, "Fraud", "173.7", "5.1"),
    )
    assert rows == [
        ["Violent crime", "467.9", "69.1"],
        ["Murder and nonnegligent manslaughter", "10.0", "0.9"],
        ["Forcible rape", "17.5", "2.6"],
        ["Other assaults", "1,061.3", "175.3"],
        ["Fraud", "173.7", "5.1"],
    ]


def test_a_label_broken_after_and_over_its_figures_is_one_row() -> None:
    """Not indented: the label's first line breaks after 'and'; its last line, indented under it,
    holds the figures."""
    rows = _offense_rows(
        (100, 60, "Drug abuse violations", "1,333.0", "136.6"),
        (111, 60, "Gambling", "8.2", "1.4"),
        (122, 60, "Offenses against the family and", "", ""),
        (133, 67, "children", "92.4", "3.7"),
        (147, 60, "Vagrancy", "26.6", "2.2"),
    )
    assert [r[0] for r in rows] == ["Drug abuse violations", "Gambling", "Offenses against the family and children", "Vagrancy"]


def test_a_label_wrapped_under_its_figures_stays_one_row() -> None:
    """The counter-case: a label whose figures are on its first line and whose next line reads
    on (lower case, or a break after a comma) wraps under its own row."""
    rows = _offense_rows(
        (100, 60, "Body mass index,", "24.1", "25.3"),
        (111, 60, "kg/m2", "", ""),
        (122, 60, "Systolic pressure", "131", "128"),
        (136, 60, "Weapons; carrying,", "132.9", "27.1"),
        (147, 64, "possessing, etc.", "", ""),
        (158, 60, "Fraud", "173.7", "5.1"),
    )
    assert [r[0] for r in rows] == ["Body mass index, kg/m2", "Systolic pressure", "Weapons; carrying, possessing, etc.", "Fraud"]


def test_a_section_label_between_rows_of_figures_is_a_row() -> None:
    """A section label alone on its line, set at the pitch the spacing takes for wrapped lines,
    between a complete row of figures and its group's first row: a row of its own."""
    rows = _offense_rows(
        (100, 60, "Men", "224", "176.5"),
        (114, 60, "Women", "245", "181.2"),
        (125, 60, "Race", "", ""),
        (136, 60, "White", "371", "134.2"),
        (150, 60, "Black", "98", "140.3"),
    )
    assert [r[0] for r in rows] == ["Men", "Women", "Race", "White", "Black"]


def test_a_row_start_run_into_the_row_above_is_not_confident() -> None:
    """A section label indented under a complete row of figures, over a sub-section label, both
    at the pitch the spacing takes for wrapped lines: if it is read into the row above, the
    reading says so (the grid counts the row, the quality score is below confident and names
    why)."""
    from curate.extract.quality import MERGED_LABEL_REASON, assess

    body = [
        text_line(top, *((x, t) for x, t in ((x0, label), (260, a), (330, b)) if t))
        for top, x0, label, a, b in (
            (100, 60, "Men", "224", "176.5"),
            (114, 60, "Women", "245", "181.2"),
            (125, 64, "Sex, by race", "", ""),
            (136, 64, "Male", "", ""),
            (147, 68, "White", "371", "134.2"),
            (161, 60, "Black", "98", "140.3"),
        )
    ]
    grid = build_grid([], body, [], 1.0)
    assert grid is not None
    if ["Sex, by race", "", ""] not in grid.rows:
        assert grid.merged_labels == 1
        score, reasons = assess(["Group", "N", "Rate"], grid.rows, [w.text for ln in body for w in ln.words] + ["Group", "N", "Rate"], grid.merged_labels)
        assert score < 0.95 and MERGED_LABEL_REASON in reasons


def test_a_section_label_set_out_left_under_a_wrapped_label_is_a_row_of_its_own() -> None:
    """Rows 11.8 pt apart, wrapped labels at 9 pt with a hanging indent, one wider gap (14.4 pt)
    before a group: a section label set out to the left of the rows' labels, at about the
    wrapped pitch under a wrapped label's last line, heads a row of its own (a wrapped label's
    lines never start left of its first), and so does the sub-section label a row's pitch
    under it. Regression (ICDAR us-024): 'Sex, by race/ethnicity' was read into 'American
    Indian/Alaska Native', and 'Male' into 'Sex, by race/ethnicity'."""
    rows = _offense_rows(
        (100.0, 36, "Race", "", ""),
        (111.8, 42, "White", "371", "134.2"),
        (123.6, 42, "Black", "98", "140.3"),
        (135.4, 42, "American Indian/Alaska", "707", "51"),
        (144.4, 44, "Native", "", ""),
        (153.8, 36, "Sex, by race", "", ""),
        (165.7, 42, "Male", "", ""),
        (177.5, 50, "White", "45", "1.6"),
        (189.3, 50, "American Indian/", "348", "18"),
        (198.3, 52, "Alaska Native", "", ""),
        (210.1, 42, "Female", "", ""),
        (221.9, 50, "White", "33", "1.5"),
        (233.7, 50, "American Indian/", "359", "20"),
        (242.7, 52, "Alaska Native", "", ""),
        (257.1, 36, "Income", "", ""),
        (268.9, 42, "Low", "46", "1.9"),
        (280.7, 42, "High", "31", "1.1"),
    )
    assert [r[0] for r in rows] == [
        "Race", "White", "Black", "American Indian/Alaska Native", "Sex, by race", "Male", "White", "American Indian/Alaska Native",
        "Female", "White", "American Indian/Alaska Native", "Income", "Low", "High",
    ]


def test_dot_leaders_are_no_part_of_a_cell() -> None:
    """A leader goes, spaced or solid, after a label or run into its figure; three dots alone
    ('not available'), dots inside words and numbers, and a word's own full stop stay: an
    abbreviation's before a leader too."""
    from curate.extract.grid import without_leaders

    cases = {
        "Robbery . . . . . .": "Robbery",
        "Robbery. . . . .": "Robbery",
        "Curfew violations . .": "Curfew violations",
        "Total........ 11,062": "Total 11,062",
        ". . . . . .": "",
        ". . .": ". . .",
        "...": "...",
        "U.S. total": "U.S. total",
        "1.5": "1.5",
        "etc.": "etc.",
        "No. . . 5": "No. 5",
        "etc. .": "etc.",
        "Weapons; carrying, possessing, etc. .": "Weapons; carrying, possessing, etc.",
        "U.S. . . . . 12": "U.S. 12",
        "Arson. . . . . .": "Arson",
        "Total.. 5": "Total.. 5",
        "etc.. . . .": "etc.",
        "Total.. . . . 5": "Total 5",
    }
    assert {cell: without_leaders(cell) for cell in cases} == cases


def test_a_section_label_set_at_the_column_padding_is_a_row() -> None:
    """LaTeX's \\multicolumn section rows stand a column padding (under half an em) right of the
    labels, under a complete row of figures: no hanging indent when the label would have fitted
    on the line above (no line break was needed), nor when it starts where a section label
    alone on its line opened a row before, even under the column's widest label."""
    rows = _offense_rows(
        (100, 64, "Primary outcome", "", ""),
        (111, 60, "HbA1c, %", "7.1", "7.5"),
        (122, 64, "Secondary outcomes", "", ""),
        (133, 60, "Fasting glucose, mmol/L", "7.9", "8.4"),
        (144, 60, "Systolic blood pressure", "131.2", "133.0"),
    )
    assert [r[0] for r in rows] == ["Primary outcome", "HbA1c, %", "Secondary outcomes", "Fasting glucose, mmol/L", "Systolic blood pressure"]
    rows = _offense_rows(
        (100, 64, "Age", "", ""),
        (111, 60, "Under 65 years", "31", "212"),
        (122, 60, "65 years or older", "27", "172"),
        (133, 64, "Sex", "", ""),
        (144, 60, "Women", "24", "203"),
    )
    assert [r[0] for r in rows] == ["Age", "Under 65 years", "65 years or older", "Sex", "Women"]


def test_a_label_wrapped_flush_left_is_not_a_centred_row_start() -> None:
    """A label's wrapped line set flush left under it, about as wide as the next row's label
    and the next row's wrapped label: their middles line up, but lines set from one edge are
    no cell centred on its row."""
    rows = _offense_rows(
        (100, 60, "Couri 2009 [28]", "23", "73.9"),
        (111, 60, "Voltarelli", "15", "73.3"),
        (122, 60, "2007 [16]", "", ""),
        (133, 60, "Carlsson", "9", "88.9"),
        (144, 60, "2014 [27]", "", ""),
        (155, 60, "Hu 2013 [36]", "15", "60.0"),
    )
    assert [r[0] for r in rows] == ["Couri 2009 [28]", "Voltarelli 2007 [16]", "Carlsson 2014 [27]", "Hu 2013 [36]"]


def test_cells_wrapped_in_a_centred_column_go_on_under_their_row() -> None:
    """A p{} column centred, its cell wrapped ('Superior' over 'pancreaticoduodenal artery'),
    the label wrapped beside it ('2017 [33]' under a name): the wrapped line sits between two
    rows as a centred row's first line would, but every cell of it reads on from the row above."""
    def line(top: float, label: str, figures: tuple[str, str, str], route: str) -> Line:
        width = 5 * len(route) - 2.5 * route.count(" ")  # text_line's 5 pt a letter, 2.5 pt a space
        return text_line(top, *((x, t) for x, t in ((60, label), *zip((180, 230, 280), figures), (400 - width / 2, route)) if t))

    none = ("", "", "")
    body = [line(100, "Bhansali", ("85.7%", "46", "15"), "Superior"), line(111, "2017 [33]", none, "pancreaticoduodenal artery"),
            line(122, "Bhansali", ("70%", "44", "13"), "Superior"), line(133, "2017 [23]", none, "pancreaticoduodenal artery"),
            line(144, "Wu 2014 [32]", ("60%", "56", "9"), "Dorsal pancreatic artery")]
    grid = build_grid([], body, [], 1.0)
    assert grid is not None
    assert [[r[0], r[-1]] for r in grid.rows] == [["Bhansali 2017 [33]", "Superior pancreaticoduodenal artery"],
                                                  ["Bhansali 2017 [23]", "Superior pancreaticoduodenal artery"],
                                                  ["Wu 2014 [32]", "Dorsal pancreatic artery"]]
