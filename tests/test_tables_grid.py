"""Full grids (a rule round every cell) whose cells span rows or columns, or hold several
lines: read as the rules draw them.

The PDFs are drawn here with reportlab from invented figures: each band of the grid is a list
of cells (first column, last column, lines), with vertical rules only between cells and the
rule under a band drawn under the columns whose cells end there.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from curate.extract.tables import Table, extract_tables

Cell = tuple[int, int, list[str]]  # first column, last column, lines (top first)
#: A band: its cells, and the columns the rule under it is drawn under (None: all of them).
Band = tuple[list[Cell], tuple[int, int] | None]

LEADING = 10.0


def _draw(path: Path, edges: list[float], bands: list[Band], bold_bands: int = 0, shade_labels: bool = False) -> None:
    """One page: a caption, then the grid (cells centred in the header bands and where they span
    columns, flush left elsewhere); ``shade_labels``: a body label's first line shaded, the
    shading inset in its cell."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    _, height = A4
    c.setFont("Helvetica-Bold", 9)
    c.drawString(edges[0], height - 90, "Table 1. Invented figures in a full grid")
    y = height - 100
    c.setLineWidth(0.5)
    c.line(edges[0], y, edges[-1], y)
    for k, (cells, under) in enumerate(bands):
        lines = max(len(text) for _, _, text in cells)
        bottom = y - 4 - LEADING * lines
        c.setFont("Helvetica-Bold" if k < bold_bands else "Helvetica", 8)
        for c0, c1, text in cells:
            if shade_labels and k >= bold_bands and c0 == 0 and text:
                c.setFillGray(0.85)
                c.rect(edges[0] + 2, y - 3 - LEADING, edges[1] - edges[0] - 4, LEADING, stroke=0, fill=1)
                c.setFillGray(0)
            for i, line in enumerate(text):
                base = y - 3 - LEADING * (i + 1) + 2
                if k < bold_bands or c1 > c0:
                    c.drawCentredString((edges[c0] + edges[c1 + 1]) / 2, base, line)
                else:
                    c.drawString(edges[c0] + 3, base, line)
        for x in sorted({edges[c0] for c0, _, _ in cells} | {edges[-1]}):
            c.line(x, y, x, bottom)
        a, b = under if under is not None else (0, len(edges) - 2)
        c.line(edges[a], bottom, edges[b + 1], bottom)
        y = bottom
    c.showPage()
    c.save()


def _table(path: Path) -> Table:
    with pdfplumber.open(path) as pdf:
        tables = extract_tables(pdf, str(path))
    assert len(tables) == 1, [(t.caption, t.header) for t in tables]
    return tables[0]


def _row(*texts: str) -> Band:
    return [(c, c, [t] if t else []) for c, t in enumerate(texts)], None


def test_a_header_of_ruled_bands_over_spanning_cells_is_one_header(tmp_path: Path) -> None:
    """A spanning cell in the header's top band ('Threshold for releases' over three columns),
    its columns' own heads in the band under it, each band ruled off: both bands are the
    header (the spanner heads each of its columns), the rows start at the first row of figures.
    Regression: the first rule under the top one ended the header, the sub-heads were a row."""
    edges = [60.0, 230.0, 310.0, 390.0, 470.0]
    bands: list[Band] = [
        ([(0, 0, []), (1, 3, ["Threshold for releases"])], None),
        ([(0, 0, []), (1, 1, ["to air", "kg/year"]), (2, 2, ["to water", "kg/year"]), (3, 3, ["to land", "kg/year"])], None),
        _row("Carbon dioxide (CO2)", "100 million", "-", "-"),
        _row("Methane (CH4)", "100 000", "-", "-"),
        _row("Arsenic and compounds (as As)", "20", "5", "5"),
        _row("Zinc and compounds (as Zn)", "200", "100", "100"),
    ]
    pdf = tmp_path / "spanner.pdf"
    _draw(pdf, edges, bands, bold_bands=2)
    table = _table(pdf)
    assert table.header == ["", *(f"Threshold for releases to {m} kg/year" for m in ("air", "water", "land"))]
    assert [r[0] for r in table.rows] == ["Carbon dioxide (CO2)", "Methane (CH4)", "Arsenic and compounds (as As)", "Zinc and compounds (as Zn)"]
    assert table.score >= 0.95, table.reasons


def test_sub_heads_under_a_band_of_spanners_beside_single_cells_are_header(tmp_path: Path) -> None:
    """A top band mixing spanning cells ('Stores' over two columns, 'Change' over two) with
    cells of one column ('Share', 'Source'), the spanned columns' own heads (a year among
    them, one wrapped) in the ruled band under it with its first cell empty: both bands are
    the header. Regression: only a band whose every cell spans carried the header on, so the
    sub-heads were read as the first row."""
    edges = [60.0, 170.0, 230.0, 290.0, 350.0, 410.0, 490.0]
    bands: list[Band] = [
        ([(0, 0, []), (1, 1, ["Share"]), (2, 3, ["Stores"]), (4, 5, ["Change"])], None),
        ([(0, 0, []), (1, 1, []), (2, 2, ["1996"]), (3, 3, ["since", "1990"]), (4, 4, ["% points"]), (5, 5, ["period"])], None),
        _row("Austria", "79", "568", "530", "+14", "1990-96"),
        _row("Belgium", "57", "762", "587", "+1", "1988-92"),
        _row("Denmark", "78", "739", "544", "+3", "1990-96"),
        _row("Finland", "96", "820", "760", "+7", "1988-92"),
    ]
    pdf = tmp_path / "mixed.pdf"
    _draw(pdf, edges, bands, bold_bands=2)
    table = _table(pdf)
    assert table.header == ["", "Share", "Stores 1996", "Stores since 1990", "Change % points", "Change period"]
    assert [r[0] for r in table.rows] == ["Austria", "Belgium", "Denmark", "Finland"]
    assert table.score >= 0.95, table.reasons


def test_a_first_row_of_words_under_a_band_of_spanners_is_a_row(tmp_path: Path) -> None:
    """The same mixed top band over a first row of words only (no figures), its label in the
    first cell: a body row, not the spanned columns' heads."""
    edges = [60.0, 170.0, 230.0, 290.0, 350.0, 410.0]
    bands: list[Band] = [
        ([(0, 0, ["Country"]), (1, 1, ["Source"]), (2, 3, ["Stores"]), (4, 4, ["Note"])], None),
        _row("Austria", "AIM", "yes", "no", "none"),
        _row("Belgium", "AIM", "12", "14", "none"),
        _row("Denmark", "Regal", "15", "17", "revised"),
        _row("Finland", "AIM", "18", "21", "none"),
    ]
    pdf = tmp_path / "words.pdf"
    _draw(pdf, edges, bands, bold_bands=1)
    table = _table(pdf)
    assert table.header == ["Country", "Source", "Stores", "Stores", "Note"]
    assert [r[0] for r in table.rows] == ["Austria", "Belgium", "Denmark", "Finland"]


def test_three_ruled_header_bands_each_spanning_the_cells_under_it(tmp_path: Path) -> None:
    """A title cell over the whole grid, two group heads each over two columns, then the
    columns' own heads: three header bands; the body's rows (one with its first two cells
    left empty, its cells wrapped) are the grid's ruled rows."""
    edges = [60.0, 120.0, 260.0, 320.0, 470.0]
    bands: list[Band] = [
        ([(0, 3, ["Assignment categories"])], None),
        ([(0, 1, ["Early categories"]), (2, 3, ["Late categories"])], None),
        ([(0, 0, ["Category"]), (1, 1, ["Description"]), (2, 2, ["Category"]), (3, 3, ["Description"])], None),
        ([(0, 0, ["1"]), (1, 1, ["Involvement at the", "start of design"]), (2, 2, ["1a"]), (3, 3, ["Influence on design"])], None),
        ([(0, 0, []), (1, 1, []), (2, 2, ["1b"]), (3, 3, ["No influence on design", "(shown only)"])], None),
        ([(0, 0, ["2"]), (1, 1, ["Involvement during", "the study"]), (2, 2, ["2a"]), (3, 3, ["Influence on design"])], None),
        ([(0, 0, []), (1, 1, []), (2, 2, ["2b"]), (3, 3, ["Other issues"])], None),
    ]
    pdf = tmp_path / "three.pdf"
    _draw(pdf, edges, bands, bold_bands=3)
    table = _table(pdf)
    assert table.header == [
        "Assignment categories Early categories Category",
        "Assignment categories Early categories Description",
        "Assignment categories Late categories Category",
        "Assignment categories Late categories Description",
    ]
    assert table.rows == [
        ["1", "Involvement at the start of design", "1a", "Influence on design"],
        ["", "", "1b", "No influence on design (shown only)"],
        ["2", "Involvement during the study", "2a", "Influence on design"],
        ["", "", "2b", "Other issues"],
    ]


def test_a_label_broken_after_a_comma_in_a_ruled_row_is_one_cell(tmp_path: Path) -> None:
    """A table of one ruled row whose label wraps after a comma ('Budget share of coffee,' over
    'Tea, herb tea'): no other row shows the rows' pitch, the comma says the label goes on.
    Regression: its second line was a row of its own."""
    edges = [60.0, 220.0, 270.0, 320.0, 370.0]
    bands: list[Band] = [
        ([(0, 0, ["Years"]), (1, 1, ["1990"]), (2, 2, ["1992"]), (3, 3, ["1993"])], None),
        ([(0, 0, ["Budget share of coffee,", "Tea, herb tea"]), (1, 1, ["0.323"]), (2, 2, ["0.272"]), (3, 3, ["0.265"])], None),
    ]
    pdf = tmp_path / "comma.pdf"
    _draw(pdf, edges, bands, bold_bands=1)
    table = _table(pdf)
    assert table.header == ["Years", "1990", "1992", "1993"]
    assert table.rows == [["Budget share of coffee, Tea, herb tea", "0.323", "0.272", "0.265"]]


def test_a_label_spanning_two_ruled_rows_wrapped_over_both_is_one_cell(tmp_path: Path) -> None:
    """A label cell spanning a 'Count' and a 'Percentage' row (the rule between them drawn only
    under the other columns), its words wrapped onto the second row's line: one cell, written
    in the first row of its span as a one-line spanning label is. Regression: 'syndrome' was the
    'Percentage' row's label."""
    edges = [60.0, 170.0, 240.0, 300.0, 360.0]
    bands: list[Band] = [([(0, 0, ["Condition"]), (1, 1, [""]), (2, 2, ["Suffered"]), (3, 3, ["Treated"])], None)]
    for label, counts, shares in [
        (["Asthma"], ("31", "22"), ("6.3%", "4.4%")),
        (["Chronic fatigue", "syndrome"], ("19", "4"), ("3.8%", "0.8%")),
        (["Sexually transmitted", "diseases"], ("7", "7"), ("1.4%", "1.4%")),
        (["Back pain"], ("202", "56"), ("40.9%", "11.3%")),
    ]:
        bands.append(([(0, 0, label[:1]), (1, 1, ["Count"]), (2, 2, [counts[0]]), (3, 3, [counts[1]])], (1, 3)))
        bands.append(([(0, 0, label[1:]), (1, 1, ["Percentage"]), (2, 2, [shares[0]]), (3, 3, [shares[1]])], None))
    pdf = tmp_path / "rowspan.pdf"
    _draw(pdf, edges, bands, bold_bands=1)
    table = _table(pdf)
    assert [r[0] for r in table.rows] == ["Asthma", "", "Chronic fatigue syndrome", "", "Sexually transmitted diseases", "", "Back pain", ""]
    assert [r[1] for r in table.rows] == ["Count", "Percentage"] * 4
    assert table.rows[3] == ["", "Percentage", "3.8%", "0.8%"]


def test_ruled_rows_of_several_lines_are_not_split_into_lines(tmp_path: Path) -> None:
    """Ruled rows whose cells hold a total and a list of items under it, text and figures mixed
    in each column (curate's own score is low, so the peers read the box too): a reading with
    more rows than the drawn bands cuts cells the rules hold together and must not win.
    Regression: camelot-stream's line-by-line reading replaced the right one."""
    edges = [60.0, 150.0, 260.0, 400.0, 520.0]
    bands: list[Band] = [
        _row("Group", "Butter", "Margarine", "Low fat products"),
        _row("North Dairy", "Total: 0%", "Total: 47%", "Total: 39%"),
    ]
    bands[-1] = ([(0, 0, ["North Dairy"]), (1, 1, ["Total: 0%"]), (2, 2, ["Total: 47%", "", "(Sunny, Spread,", "Light, ...)"]), (3, 3, ["Total: 39%", "", "Sunny (8.4%)", "Light (10.5%)"])], None)
    bands.append(([(0, 0, ["West Farms"]), (1, 1, ["Total: 18.1%", "", "Brand A (4.4%)", "Brand B (13.5%)"]), (2, 2, ["Total: 0%"]), (3, 3, ["Total: 9.5%", "", "Brand C (5.6%)"])], None))
    bands.append(_row("East Co", "", "Brand D (1.3%)", ""))
    bands.append(_row("South Co", "Brand E (6.7%)", "", ""))
    bands.append(_row("Own brands", "26.9%", "19.4%", "7%"))
    bands.append(_row("Others", "42.2%", "13.3%", "9.7%"))
    pdf = tmp_path / "lists.pdf"
    _draw(pdf, edges, bands, bold_bands=1)
    table = _table(pdf)
    assert table.header == ["Group", "Butter", "Margarine", "Low fat products"]
    assert table.rows == [
        ["North Dairy", "Total: 0%", "Total: 47% (Sunny, Spread, Light, ...)", "Total: 39% Sunny (8.4%) Light (10.5%)"],
        ["West Farms", "Total: 18.1% Brand A (4.4%) Brand B (13.5%)", "Total: 0%", "Total: 9.5% Brand C (5.6%)"],
        ["East Co", "", "Brand D (1.3%)", ""],
        ["South Co", "Brand E (6.7%)", "", ""],
        ["Own brands", "26.9%", "19.4%", "7%"],
        ["Others", "42.2%", "13.3%", "9.7%"],
    ]


def test_a_grid_row_drawn_as_one_cell_across_the_table_is_a_section_row(tmp_path: Path) -> None:
    """Blocks of rows under section labels each centred in a row ruled as one cell over the
    whole grid (no vertical rule drawn along it): the label is one cell, in the first column.
    Regression: its words were cut at the columns' bounds ('Best' | 'practice scenario')."""
    edges = [60.0, 220.0, 280.0, 340.0, 400.0]
    bands: list[Band] = [_row("Servers in", "2009", "2010", "2011")]
    for section, rows in [
        ("Improved operation scenario", [("Server closets", "1,643", "1,673", "1,689"), ("Server rooms", "1,646", "1,677", "1,693")]),
        ("Best practice scenario", [("Server closets", "1,386", "1,296", "1,326"), ("Server rooms", "1,427", "1,334", "1,371")]),
    ]:
        bands.append(([(0, 3, [section])], None))
        bands += [_row(*r) for r in rows]
    pdf = tmp_path / "sections.pdf"
    _draw(pdf, edges, bands, bold_bands=1)
    table = _table(pdf)
    assert table.header == ["Servers in", "2009", "2010", "2011"]
    assert table.rows == [
        ["Improved operation scenario", "", "", ""],
        ["Server closets", "1,643", "1,673", "1,689"],
        ["Server rooms", "1,646", "1,677", "1,693"],
        ["Best practice scenario", "", "", ""],
        ["Server closets", "1,386", "1,296", "1,326"],
        ["Server rooms", "1,427", "1,334", "1,371"],
    ]


def test_the_last_row_wrapped_under_its_shaded_label_is_kept(tmp_path: Path) -> None:
    """Labels shaded line-high inside their cells: the last row's figures wrap onto a second
    line under its label's shading. The shading's lower edge is no bottom rule: the grid ends at
    its own. Regression: the table ended at that edge and the wrapped line was lost."""
    edges = [60.0, 240.0, 330.0, 420.0]
    bands: list[Band] = [
        _row("Pollutant", "to water", "to land"),
        _row("Anthracene", "1", "1"),
        _row("Benzene", "200", "200"),
        _row("Toluene", "200", "200"),
        ([(0, 0, ["Xylenes"]), (1, 1, ["200 (as", "BTEX)"]), (2, 2, ["200 (as", "BTEX)"])], None),
    ]
    pdf = tmp_path / "shaded.pdf"
    _draw(pdf, edges, bands, bold_bands=1, shade_labels=True)
    table = _table(pdf)
    assert table.rows[-1] == ["Xylenes", "200 (as BTEX)", "200 (as BTEX)"]


def test_a_grid_of_text_under_a_header_shaded_cell_by_cell(tmp_path: Path) -> None:
    """A header shaded cell by cell (no rule over it: the box starts at the shading's edge),
    then groups of rows of running text beside short labels, a rule between the groups only:
    the header is the shaded band, the rule parts the groups' rows, and long text beside a
    short label is a table's cell, not prose. Regression: the header ran down to the rule
    between the groups, and the reading was dropped as prose."""
    c = Canvas(str(tmp_path / "text.pdf"), pagesize=A4, invariant=1)
    _, height = A4
    edges = [60.0, 150.0, 330.0, 500.0]
    c.setFont("Helvetica-Bold", 9)
    c.drawString(60, height - 90, "Table 1. Sources of emissions")
    top = height - 100
    c.setFillGray(0.3)
    for a, b in zip(edges, edges[1:]):
        c.rect(a + 1, top - 12, b - a - 2, 12, stroke=0, fill=1)
    c.setFillGray(1)
    for a, b, head in zip(edges, edges[1:], ["Source", "Definition", "Examples"]):
        c.drawCentredString((a + b) / 2, top - 9, head)
    c.setFillGray(0)
    c.setLineWidth(0.5)
    y = top - 13
    c.line(edges[0], y, edges[-1], y)
    groups = [
        ("Stationary sources:", [("Major", ["Emissions of ten tons a year or", "more of any one pollutant"], ["Utilities, refineries, steel", "and chemical plants"]),
                         ("Area", ["Emissions of less than ten tons", "a year of any one pollutant"], ["Dry cleaners, gas stations", "and paint shops"])]),
        ("Mobile sources:", [("On-road", ["Emissions from motor vehicles", "driven on public roads"], ["Cars, buses, vans and", "heavy-duty trucks"]),
                     ("Non-road", ["Emissions from engines and", "vessels used off the roads"], ["Farm equipment, boats and", "garden equipment"])]),
    ]
    c.setFont("Helvetica", 8)
    group_top = y
    for section, rows in groups:
        c.setFont("Helvetica-Bold", 8)
        c.drawString(edges[0] + 3, y - 9, section)
        c.setFont("Helvetica", 8)
        y -= 16
        for label, definition, examples in rows:
            c.drawRightString(edges[1] - 4, y - 9, label)
            for i, (d, e) in enumerate(zip(definition, examples)):
                c.drawString(edges[1] + 4, y - 9 - 10 * i, d)
                c.drawString(edges[2] + 4, y - 9 - 10 * i, e)
            y -= 26
        c.line(edges[0], y, edges[-1], y)
        for x in edges:
            c.line(x, group_top, x, y)
        group_top = y
    c.showPage()
    c.save()
    table = _table(tmp_path / "text.pdf")
    assert table.header == ["Source", "Definition", "Examples"]
    assert [r[0] for r in table.rows] == ["Stationary sources:", "Major", "Area", "Mobile sources:", "On-road", "Non-road"]
    assert table.rows[2] == ["Area", "Emissions of less than ten tons a year of any one pollutant", "Dry cleaners, gas stations and paint shops"]


def test_labels_flush_left_and_a_total_flush_right_in_one_ruled_cell_are_one_column(tmp_path: Path) -> None:
    """Group labels in a ruled stub ('1991' centred on its three rows: a cell spanning them, written
    in the first row of its span), then a ruled column of
    labels set flush left ('Men', 'Women') with each group's 'Total' flush right under them:
    the labels are one column (never two on one line, the same vertical rules on both sides).
    Regression (ICDAR eu-012 Table 2): 'Total' was a column of its own, scored 0.90."""
    c = Canvas(str(tmp_path / "totals.pdf"), pagesize=A4, invariant=1)
    _, height = A4
    xs = [60.0, 120.0, 250.0, 330.0, 410.0, 490.0]
    y = height - 100
    c.setFont("Helvetica-Bold", 9)
    c.drawString(xs[0], y + 12, "Table 2: Persons employed by sector (in %)")
    c.setLineWidth(0.5)
    c.line(xs[2], y, xs[5], y)
    for k, head in enumerate(("Agriculture", "Industry", "Services")):
        c.drawCentredString((xs[k + 2] + xs[k + 3]) / 2, y - 11, head)
    y -= 15
    c.line(xs[0], y, xs[5], y)
    groups = [("1991", [["11.0", "40.7", "48.4"], ["6.6", "16.0", "77.4"], ["8.9", "28.7", "62.4"]]), ("1996", [["9.5", "39.4", "51.0"], ["5.3", "13.9", "80.9"], ["7.5", "27.3", "65.2"]])]
    want = []
    for year, rows in groups:
        c.setFont("Helvetica-Bold", 9)
        c.drawCentredString((xs[0] + xs[1]) / 2, y - 1.5 * 15 - 3, year)
        for k, (label, figures) in enumerate(zip(("Men", "Women", "Total"), rows)):
            c.setFont("Helvetica-Bold" if label == "Total" else "Helvetica", 9)
            if label == "Total":
                c.drawRightString(xs[2] - 4, y - 11, label)
            else:
                c.drawString(xs[1] + 4, y - 11, label)
            for j, cell in enumerate(figures):
                c.drawCentredString((xs[j + 2] + xs[j + 3]) / 2, y - 11, cell)
            c.line(xs[0] if k == 2 else xs[1], y - 15, xs[5], y - 15)
            y -= 15
            want.append([year if k == 0 else "", label, *figures])
    for x in xs[1:3]:
        c.line(x, height - 115, x, y)
    c.showPage()
    c.save()
    table = _table(tmp_path / "totals.pdf")
    assert table.header == ["", "", "Agriculture", "Industry", "Services"]
    assert table.rows == want
    assert table.score >= 0.95, table.reasons
