"""The table quality score is honest: each kind of misreading scores low and says why."""

from __future__ import annotations

from pathlib import Path

from curate.extract.layout import Line, Word
from curate.extract.quality import LOW, assess, header_printed_before
from curate.extract.textblocks import runs_on_below, runs_on_beside
from tests.conftest import text_line

HEADER = ["Group", "n", "Mean (SD)"]
ROWS = [["Insulin", "42", "54.2 (8.1)"], ["Placebo", "40", "55.0 (7.9)"], ["Total", "82", "54.6 (8.0)"]]


def _words(header: list[str], rows: list[list[str]]) -> list[str]:
    return [w for row in [header, *rows] for cell in row for w in cell.split()]


def test_clean_reading_scores_one_with_no_reasons() -> None:
    assert assess(HEADER, ROWS, _words(HEADER, ROWS)) == (1.0, [])


def test_amounts_in_a_currency_are_figures_and_brackets_of_amounts_are_text() -> None:
    """A row of amounts ('$49,497', '$1.1M') in columns of figures is no text among them
    (ICDAR us-023 scored 0.87 'columns mix figures and text'); brackets written in words
    ('$9,594 or less', '$9,595-$17,992', 'Greater than $25,771') stay one kind of cell."""
    header = ["Measure", "1997", "1998"]
    rows = [["Median income", "$49,497", "$1.1M"], ["Gini index", "0.4590", "0.4560"], ["Mortality", "7108.3", "6960.6"]]
    assert assess(header, rows, _words(header, rows)) == (1.0, [])
    header = ["Quartile", "1994", "2003"]
    rows = [["Lowest", "$9,594 or less", "$34,000 or less"], ["Middle", "$9,595–$17,992", "$34,001–$48,000"], ["Highest", "Greater than $25,771", "Greater than $66,900"]]
    assert assess(header, rows, _words(header, rows)) == (1.0, [])


def test_prose_read_as_a_table_scores_low() -> None:
    """Regression: two columns of body text between rules were a table scored 1.00."""
    rows = [
        ["with the other inhibitors the binding was much weaker than", "and the residues that line the pocket were not"],
        ["expected from the modelling, which suggested a tighter fit", "conserved across the two domains of the enzyme"],
        ["in the first domain of the enzyme than in the second one", "so the selectivity could be traced to them alone"],
    ]
    value, reasons = assess(["", ""], rows, _words([], rows))
    assert value < LOW and any("prose" in r for r in reasons)


def test_missing_header_is_a_reason() -> None:
    value, reasons = assess(["", "", ""], ROWS, _words([], ROWS))
    assert value < 0.9 and any("header" in r for r in reasons)


def test_merged_columns_score_low() -> None:
    rows = [["Insulin", "42 54.2"], ["Placebo", "40 55.0"], ["Total", "82 54.6"]]
    value, reasons = assess(["Group", "n Mean"], rows, _words(["Group", "n Mean"], rows))
    assert value < LOW and any("merged" in r for r in reasons)


def test_section_rows_cost_nothing_but_stray_cells_do() -> None:
    sections = [["Baseline", "", ""], *ROWS, ["Outcomes", "", ""], *ROWS]
    assert assess(HEADER, sections, _words(HEADER, sections))[0] == 1.0
    stray = [*ROWS, ["", "", "(8.0)"], ["", "", "(7.1)"]]
    value, reasons = assess(HEADER, stray, _words(HEADER, stray))
    assert value < 0.7 and any("stray" in r for r in reasons)


def test_a_header_printed_on_an_earlier_page_costs_a_continuation_nothing() -> None:
    value, reasons = assess(["", "", ""], ROWS, _words([], ROWS))
    assert header_printed_before(value, reasons) == (1.0, [])


def test_a_cell_wrapped_after_a_hyphen_or_slash_accounts_for_its_printed_words() -> None:
    """'BM-' over 'HSC' is read 'BM-HSC', '10^6 /' over 'kg' '10^6 /kg': no word is lost."""
    rows = [["Ye 2017", "BM-HSC", "5.8 × 10^6 /kg"], ["Li 2012", "MSC", "NA"], ["Hu 2013", "MSC", "NA"]]
    printed = ["Ye", "2017", "BM-", "HSC", "5.8", "×", "10^6", "/", "kg", "Li", "2012", "MSC", "NA", "Hu", "2013", "MSC", "NA"]
    assert assess(["Study", "Cells", "Dose"], rows, ["Study", "Cells", "Dose", *printed]) == (1.0, [])


TABLE = [
    text_line(100, (60, "Age"), (200, "54.2 (9.8)"), (300, "53.7 (10.1)")),
    text_line(112, (60, "Women"), (200, "203 (52.9)"), (300, "196 (52.0)")),
    text_line(124, (60, "Previous"), (200, "29 (7.6)"), (300, "33 (8.8)")),
    text_line(134, (60, "infarction")),
    text_line(146, (60, "Statin"), (200, "201 (52.3)"), (300, "188 (49.9)")),
]


def test_a_table_cut_short_is_seen_from_the_lines_under_it() -> None:
    """Both ways: the line under a box lines up with its columns (a wrapped label's last line,
    a row) when the box is cut short, and nothing does under the whole table, followed by its
    notes, prose or a gap."""
    box = (59.0, 99.0, 400.0, 156.0)
    notes = text_line(162, (60, "Values are n (%) unless stated otherwise; SD, standard deviation."))
    prose = text_line(162, (60, "The statistical analysis plan was finalised before the database was locked and"))
    far = text_line(190, (60, "Smoker"), (200, "71 (18.5)"), (300, "64 (17.0)"))
    for under in ([], [notes], [prose], [far]):
        assert not runs_on_below(box, 99.0, [*TABLE, *under])
    assert runs_on_below((59.0, 99.0, 400.0, 133.5), 99.0, TABLE)  # 'infarction' left under the box
    assert runs_on_below((59.0, 99.0, 400.0, 145.0), 99.0, TABLE)  # the last row left out
    assert runs_on_below((59.0, 99.0, 400.0, 121.0), 99.0, TABLE)


def test_notes_under_the_label_column_are_not_rows_left_out() -> None:
    """A sentence, a key, a source in capitals, a test's results or a footnote opening with a
    raised mark, set under a table's label column, are its notes; a row whose value states
    values ('a=73.1, b=77.3') and a section label ending in a colon are rows."""
    box = (59.0, 99.0, 400.0, 156.0)
    mark = Line([Word("1", 60, 63, 160, 165, 5.0, True), *text_line(162, (64, "Except forcible rape")).words])
    for note in ("See notes at end of table.", "— Not available.", "KEY:", "SOURCE: national survey", "χ2 = 5.28, v = 3, p = 0.15"):
        assert not runs_on_below(box, 99.0, [*TABLE, text_line(162, (60, note))]), note
    assert not runs_on_below(box, 99.0, [*TABLE, mark])
    assert runs_on_below(box, 99.0, [*TABLE, text_line(162, (60, "Cell"), (200, "a=73.1, b=77.3"))])
    assert runs_on_below(box, 99.0, [*TABLE, text_line(162, (60, "All assigned:"))])


def test_cells_set_close_across_a_gutter_are_seen_as_cells_under_the_table() -> None:
    """Two CIs set 4 pt apart (under half an em) under a table with tight columns are one run of
    words over two columns unless the run is cut at the table's gutter, where its gap is much
    wider than the table's word spaces: then the cut is seen. Words evenly spaced across the
    gutters (a short line of text, in the table's type or the body's larger one) stay one run."""
    tight = [
        text_line(100, (60, "Age"), (150, "54.2 (9.8)"), (241.5, "53.7 (10.1)")),
        text_line(112, (60, "Women"), (150, "203 (52.9)"), (241.5, "196 (52.0)")),
        text_line(124, (60, "Statin"), (150, "201 (52.3)"), (241.5, "188 (49.9)")),
    ]
    box = (59.0, 99.0, 330.0, 134.0)
    ci = text_line(136, (60, "BMI"), (150, "29.1 (26.0 to 32.8)"), (241.5, "28.8 (25.7 to 32.5)"))
    assert runs_on_below(box, 99.0, [*tight, ci])
    assert runs_on_below(box, 99.0, [*tight, text_line(136, (150, "29.1 (26.0 to 32.8)"), (241.5, "28.8 (25.7 to 32.5)"))])
    words = text_line(136, (60, "Values for the two arms are shown"))
    body = Line([Word(t, x, x + 5.5 * len(t), 136, 146, 10.0) for t, x in (("the", 60.0), ("database", 80.5), ("was", 128.5), ("locked.", 149.0))])
    for under in (words, body):
        assert not runs_on_below(box, 99.0, [*tight, under]), under.text


def test_a_justified_label_does_not_split_its_column() -> None:
    """A wrapped label set justified ('assistance   from   another') leaves white space no word
    crosses inside its column; its words stand as far apart across it as beside it, so it is a
    cell's word space, not a gutter: a label under the cut that runs over it lines up. Cells set
    apart across a real gutter (their gap unlike the words' spaces) do not."""
    rows = [
        text_line(100, (60, "Hypoglycaemia"), (200, "9 (2.3)"), (300, "4 (1.1)")),
        Line([Word(t, x, x + 5 * len(t), 112, 121, 9.0) for t, x in (("assistance", 60.0), ("from", 120.0), ("another", 150.0))]),
        text_line(124, (60, "person")),
    ]
    box = (59.0, 99.0, 400.0, 134.0)
    assert runs_on_below(box, 99.0, [*rows, text_line(136, (60, "Injection-site reaction"), (200, "41 (10.7)"), (300, "6 (1.6)"))])
    assert not runs_on_below(box, 99.0, [*rows, text_line(136, (60, "Mean over both arms of the whole trial"))])


def test_a_row_folded_into_the_prose_line_beside_it_is_judged_on_its_own() -> None:
    """A page line may hold the other column's prose and, folded into it (smaller type beside
    it), a table row and the next row's label, their letters interleaved: the part of it over
    the table is the rows it holds, each judged as a line, so a box cut above either is seen."""
    rows = [text_line(100, (60, "Age"), (200, "54.2 (9.8)"), (300, "53.7 (10.1)")), text_line(112, (60, "Women"), (200, "203 (52.9)"), (300, "196 (52.0)"))]
    smoker = [Word(c, 60 + 5 * i, 65 + 5 * i, 124, 133, 9.0, True) for i, c in enumerate("Smoker")]
    smoker += [Word(t, x, x + 5 * len(t), 124, 133, 9.0, True) for t, x in (("71", 200.0), ("(18.5)", 212.5), ("64", 300.0), ("(17.0)", 312.5))]
    history = [Word(c, 60 + 5 * i, 65 + 5 * i, 136, 145, 9.0) for i, c in enumerate("History")]
    prose = [Word(t, 420 + 40 * i, 455 + 40 * i, 128, 140, 12.0) for i, t in enumerate(["the", "database", "was", "locked"])]
    folded = Line(sorted(smoker + history + prose, key=lambda w: w.x0))
    after = text_line(148, (60, "Diabetes"), (200, "118 (30.7)"), (300, "109 (28.9)"))
    notes = text_line(162, (60, "Values are n (%) unless stated otherwise; SD, standard deviation."))
    page = [*rows, folded, after, notes]
    assert runs_on_below((59.0, 99.0, 400.0, 122.0), 99.0, page)  # 'Smoker' and its figures left out
    assert runs_on_below((59.0, 99.0, 400.0, 134.5), 99.0, page)  # the label 'History' left out
    assert not runs_on_below((59.0, 99.0, 400.0, 158.0), 99.0, page)


def test_a_table_cut_narrow_is_seen_from_the_words_beside_it() -> None:
    """Both ways: rows that run on past a box's side (its last column left out) are seen; a
    table in one column of two, with running text beside it, is not taken for one."""
    assert runs_on_beside((59.0, 99.0, 280.0, 156.0), 99.0, TABLE)
    assert not runs_on_beside((59.0, 99.0, 400.0, 156.0), 99.0, TABLE)
    prose = "the statistical analysis plan was finalised before the database was locked"
    beside = [text_line(ln.top, *((w.x0, w.text) for w in ln.words), (420, prose)) for ln in TABLE]
    assert not runs_on_beside((59.0, 99.0, 400.0, 156.0), 99.0, beside)


def test_a_line_that_says_the_table_goes_on_is_not_a_row_left_out() -> None:
    """'(continued)', '(cont'd)', 'Cont.' or 'contd' set under a column of a table that goes on
    overleaf says so (the same words that let a caption carry a table on); a word that merely
    starts with 'cont' is a row of its own."""
    from curate.extract.regions import CONTINUED

    box = (59.0, 99.0, 400.0, 156.0)
    for said in ("(continued)", "(cont'd)", "Cont.", "contd", "(cont’d)"):
        assert CONTINUED.search(said) and not runs_on_below(box, 99.0, [*TABLE, text_line(162, (300, said))]), said
    assert not any(CONTINUED.search(w) for w in ("Control", "contrast", "contains", "Content"))
    assert runs_on_below(box, 99.0, [*TABLE, text_line(162, (300, "Control"))])


def test_a_ruled_table_with_marks_and_notes_is_scored_on_its_words_as_its_cells_join_them(tmp_path: Path) -> None:
    """A booktabs table whose cells carry raised marks (a footnote letter, a degree sign set as
    a raised circle) and whose notes sit above its bottom rule: the printed words the score
    counts are joined as the cells join them (``use^b``, ``37°``), with or without notes, so a
    right reading scores 1 either way."""
    from reportlab.pdfgen.canvas import Canvas

    from curate.extract.fastpage import open_document
    from curate.extract.tables import extract_tables
    from curate.extract.upright import UprightDocument

    rows = [("Women", "203 (52.9)", "196 (52.0)"), ("Storage", "4", "37"), ("Statin use", "201 (52.3)", "188 (49.9)"), ("Culture", "20", "37")]
    xs = (60.0, 250.0, 380.0)
    read = []
    for notes in (False, True):
        path = tmp_path / f"marks{int(notes)}.pdf"
        c = Canvas(str(path), pagesize=(595, 842))
        c.setFont("Helvetica-Bold", 10)
        c.drawString(60, 760, "Table 1 Samples by arm")
        c.line(60, 750, 500, 750)
        c.setFont("Helvetica", 9)
        for x, text in zip(xs, ("Characteristic", "Drug (n = 384)", "Placebo (n = 377)")):
            c.drawString(x, 738, text)
        c.line(60, 732, 500, 732)
        y = 718.0
        for i, row in enumerate(rows):
            for x, text in zip(xs, row):
                c.setFont("Helvetica", 9)
                c.drawString(x, y, text)
                end = x + c.stringWidth(text, "Helvetica", 9) + 0.3
                c.setFont("Helvetica", 6)
                if i % 2 == 0 and x == xs[0]:  # a raised footnote mark after the label
                    c.drawString(end, y + 4, "ab"[i // 2])
                elif i % 2 and x != xs[0]:  # a degree sign printed as a raised small circle
                    c.drawString(end, y + 4, "\u00b0")
            y -= 14
        if notes:
            c.setFont("Helvetica", 8)
            c.drawString(60, y, "Notes: a self-reported; b at the first visit.")
            y -= 12
        c.line(60, y + 4, 500, y + 4)
        c.showPage()
        c.save()
        with open_document(path) as doc:
            tables = extract_tables(UprightDocument(doc), str(path))
        assert len(tables) == 1, tables
        read.append(([r[:2] for r in tables[0].rows], tables[0].score, tables[0].reasons))
    cells = [["Women^a", "203 (52.9)"], ["Storage", "4°"], ["Statin use^b", "201 (52.3)"], ["Culture", "20°"]]
    assert read == [(cells, 1.0, []), (cells, 1.0, [])]


def test_a_spanning_header_over_each_of_its_columns_costs_nothing() -> None:
    """A spanner printed once heads each of its columns ('Men no.', 'Men Rate'): its words count
    once per printing, so a right reading scores 1; a spanner left alone over a column of its own
    (no header of its own under it) still costs."""
    header = ["Group", "Men no.", "Men Rate", "Women no.", "Women Rate"]
    rows = [["A", "12", "3.4", "10", "2.9"], ["B", "15", "4.1", "11", "3.0"]]
    printed = ["Group", "Men", "Women", "no.", "Rate", "no.", "Rate", *(w for r in rows for w in r)]
    assert assess(header, rows, printed) == (1.0, [])
    split = ["Group", "Men no.", "Men", "Men Rate", "Women no.", "Women Rate"]
    cut = [["A", "12", "", "3.4", "10", "2.9"], ["B", "15", "", "4.1", "11", "3.0"]]
    assert assess(split, cut, printed)[0] < 0.98


def test_a_long_label_beside_its_figures_is_not_prose() -> None:
    """Two long row labels in a three-column table, each beside its row's figures, are a table read
    right; the same words with no figures beside them are running text."""
    header = ["", "All companies", "Top 100 companies"]
    rows = [
        ["Number of member states in the analysis", "21", "8"],
        ["Number of member states where one or more of the companies applied the amendment", "11", "3"],
    ]
    assert assess(header, rows, _words(header, rows)) == (1.0, [])
    prose = [[r[0], ""] for r in rows]
    value, reasons = assess(["", ""], prose, _words([], prose))
    assert value < LOW and any("prose" in r for r in reasons)


def test_a_header_that_is_not_the_tables_is_named() -> None:
    """The caption's last line read as the header is one cell, or stands over one column of
    figures of five; a first row read into the header ends each header cell in its figure. A header of years, of
    weeks or of group sizes ('(n = 384)') over its figures is the table's."""
    from curate.extract.quality import FIGURE_HEADER_REASON, ONE_CELL_HEADER_REASON, UNHEADED_REASON, header_lacking

    rows = [["1996", "3.7", "1.6", "1.7", "2.0", "2.2"], ["2000", "5.0", "3.9", "3.9", "4.1", "4.4"]]
    assert header_lacking(["", "", "[In thousands]", "", "", ""], rows) == ONE_CELL_HEADER_REASON
    assert header_lacking(["Year", "", "through 2021-22", "", "", ""], rows) == UNHEADED_REASON
    assert header_lacking(["1995", "Finland 59.0", "Sweden 64.2", "Norway 61.6", "Denmark 60.1", "Iceland 70.5"], rows) == FIGURE_HEADER_REASON
    for header in (
        ["Year", "Finland", "Sweden", "Norway", "Denmark", "Iceland"],
        ["", "2001", "2002", "2003", "2004", "2005"],
        ["Visit", "Week 0", "Week 4", "Week 12", "Week 24", "Week 52"],
        ["", "Drug (n = 384)", "Placebo (n = 377)", "Drug n = 12", "Placebo n = 10", "All"],
    ):
        assert header_lacking(header, rows) is None, header
    assert header_lacking(["", "", "", "", "", ""], rows) is None  # no header at all: a reason of assess's own


def test_columns_of_words_with_no_header_over_them_cost() -> None:
    """A label cut across columns ('Projections of' | 'Education' | 'Statistics to') under a
    header that stands over the figures only: the columns of words with nothing over them cost."""
    header = ["Source", "", "", "Lead time 1", "Lead time 2"]
    rows = [["Projections of", "Education", "Statistics to", "0.4", "0.7"], ["Projections of", "Education", "Statistics to", "0.2", "0.4"]]
    value, reasons = assess(header, rows, _words(header, rows))
    assert value <= 0.75 and any("no header over them" in r for r in reasons)
    whole = [["Projections of Education Statistics to", "0.4", "0.7"], ["Projections of Education Statistics to", "0.2", "0.4"]]
    assert assess(["Source", "Lead time 1", "Lead time 2"], whole, _words(header, whole)) == (1.0, [])


def test_a_header_line_over_one_column_of_figures_scores_low_and_keeps_its_reader(tmp_path: Path) -> None:
    """A ruled table whose header band holds only a unit line centred over it ('[In thousands]':
    its real header lost, as when a caption swallows it) is read with that line as its header:
    it scores low and says why, and the reading is still curate's own (the factor is judged
    after the choice: a peer reading the same box under the same header line would not have the
    header either)."""
    from reportlab.pdfgen.canvas import Canvas

    from curate.extract.fastpage import open_document
    from curate.extract.quality import ONE_CELL_HEADER_REASON
    from curate.extract.tables import extract_tables
    from curate.extract.upright import UprightDocument

    path = tmp_path / "unit.pdf"
    c = Canvas(str(path), pagesize=(595, 842), invariant=1)
    xs = (60.0, 200.0, 270.0, 340.0, 410.0, 480.0)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(60, 780, "Table 3. Enrolment by region, 2001 to 2005")
    c.setFont("Helvetica", 9)
    c.line(60, 756, 530, 756)
    c.drawCentredString(295, 745, "[In thousands]")
    c.line(60, 740, 530, 740)
    regions = ("North", "South", "East", "West", "Centre", "Islands")
    y = 726.0
    for i, region in enumerate(regions):
        for x, text in zip(xs, (region, *(f"{12.5 + i * 3.1 + k * 0.7:.1f}" for k in range(5)))):
            c.drawString(x, y, text)
        y -= 14
    c.line(60, y + 8, 530, y + 8)
    c.showPage()
    c.save()
    with open_document(path) as doc:
        tables = extract_tables(UprightDocument(doc), str(path))
    (table,) = [t for t in tables if len(t.rows) >= len(regions)]
    assert [r[0] for r in table.rows] == list(regions)
    assert table.score < LOW and ONE_CELL_HEADER_REASON in table.reasons, (table.header, table.score, table.reasons)
    assert table.extractor == "curate-rules"


def test_marks_for_a_figure_not_available_are_no_text_in_a_column_of_figures() -> None:
    """':' (a figure not available), '..' and 'Not done' stand for no figure: a column of
    figures holding them does not 'mix figures and text'; a word in it still does."""
    for mark in (":", "..", "Not done", "not available"):
        rows = [["Insulin", "42", mark], ["Placebo", "40", "55.0"], ["Total", "82", "54.6"], ["Other", "7", "51.2"]]
        assert assess(HEADER, rows, _words(HEADER, rows)) == (1.0, []), mark
    rows = [["Insulin", "42", "Insulin"], ["Placebo", "40", "55.0"], ["Total", "82", "54.6"], ["Other", "7", "51.2"]]
    assert assess(HEADER, rows, _words(HEADER, rows))[0] < 1.0


def test_a_row_repeating_the_headers_last_line_is_not_confident() -> None:
    """Blocks stacked under one header ('Improved scenario' over 'Servers in | 2009 | 2010',
    then a section row 'Best scenario' and that line again) read as one table: the reading is
    not sure the blocks are one table."""
    header = [f"Improved scenario {h}" for h in ("Servers in", "2009", "2010")]
    rows = [["Closets", "1,643", "1,673"], ["Best scenario", "", ""], ["Servers in", "2009", "2010"], ["Closets", "1,386", "1,296"]]
    score, reasons = assess(header, rows, _words(header, rows))
    assert score < 0.95 and any("repeats the header" in r for r in reasons)
    assert assess(["Servers in", "2009", "2010"], rows[:1], _words(["Servers in", "2009", "2010"], rows[:1]))[0] == 1.0
