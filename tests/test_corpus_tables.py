"""curate's table extractor on a handful of PDFs of the third-party corpus (../shared/corpus).

What each PDF holds was read off the PDF itself (captions, pages) or comes from the corpus's
gold (ICDAR 2013 ground truth, camelot's expected tables). Cases curate does not get right
yet are strict xfails with the reason, so a fix shows up as an XPASS to promote.
``benchmarks/bench_corpus_tables.py`` scores the whole corpus.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from benchmarks.bench_corpus_tables import (
    GtTable,
    adjacency,
    caption_number,
    cell_accuracy,
    cell_text_key,
    f1,
    grid_cells,
    icdar_tables,
    iou,
    normalise_grid,
)
from benchmarks.tablescore import read_csv
from curate.extract.pdf import open_pdf
from curate.extract.tables import Table, extract_tables
from curate.extract.upright import UprightDocument
from tests.conftest import need_shared

pytestmark = pytest.mark.shared


@functools.cache
def _extract(path: Path) -> tuple[tuple[Table, ...], tuple[float, ...]]:
    """Tables (their boxes in each page's own frame, sideways pages included) and page heights."""
    with pdfplumber.open(path) as plumber:
        pdf = UprightDocument(plumber)
        tables = [replace(t, parts=[replace(p, bbox=pdf.page_box(p.page, p.bbox)) for p in t.parts]) for t in extract_tables(pdf, str(path))]
        return tuple(tables), tuple(float(p.height) for p in plumber.pages)


def curate_tables(*parts: str) -> list[Table]:
    """curate's tables of a corpus PDF (extracted once per session)."""
    return list(_extract(need_shared("corpus", *parts))[0])


@functools.cache
def _extract_as_cli(path: Path) -> tuple[Table, ...]:
    """Tables as ``curate extract`` reads them: PDFium's pages (:func:`curate.extract.pdf.open_pdf`)."""
    with open_pdf(path) as pdf:
        return tuple(extract_tables(pdf, str(path)))


def grid(table: Table) -> list[list[str]]:
    """A table as rows of cells, its header first."""
    return ([table.header] if any(table.header) else []) + table.rows


def on_page(tables: list[Table], page: int) -> list[Table]:
    """The tables with a part on ``page``."""
    return [t for t in tables if any(p.page == page for p in t.parts)]


def article(folder: str) -> tuple[str, ...]:
    """Path parts (under corpus/) of the article PDF in ``pdfs/<folder>``."""
    pdf = next(need_shared("corpus", "pdfs", folder).glob("*.pdf"))
    return ("pdfs", folder, pdf.name)


def xfail(reason: str) -> pytest.MarkDecorator:
    """Strict xfail: a fix turns into a failing XPASS, to be promoted to a plain test."""
    return pytest.mark.xfail(reason=reason, strict=True)


# --------------------------------------------------------------------------- article PDFs

#: "Table N" captions printed in each article: N -> page of the caption (the first page of a
#: continued table). Read off the PDFs; agyemanduah2014 prints two tables (the corpus README
#: says three), Table 2 continuing on page 6; webb2017's Table 2 runs over pages 8-10.
CAPTIONS = {
    "agyemanduah2014_bmchealthservres": {1: 4, 2: 5},
    "douglas2014_clinsci": {1: 2, 2: 3, 3: 4, 4: 5, 5: 6},
    "webb2017_peerjcs": {1: 3, 2: 8, 3: 11},
    "cohan2020_acl_2020.acl-main.207": {1: 7, 2: 7, 3: 8},
}


@pytest.mark.parametrize(
    "folder",
    [
        "agyemanduah2014_bmchealthservres",
        "douglas2014_clinsci",  # regression: Table 2, in one column of two with its notes above its bottom rule, was not detected
        "webb2017_peerjcs",
        # regression: a caption across the column gutter from prose, and a table of tight figures read as prose
        "cohan2020_acl_2020.acl-main.207",
    ],
)
def test_every_caption_has_its_table(folder: str) -> None:
    tables = curate_tables(*article(folder))
    missing = [
        n
        for n, page in CAPTIONS[folder].items()
        if not any(caption_number(t.caption) == n and page in {p.page for p in t.parts} for t in tables)
    ]
    assert missing == [], f"no table captioned 'Table N' on its caption's page for N in {missing}"


@pytest.mark.parametrize(
    ("folder", "n", "pages"),
    [
        # regression: the "(Continued)" set on a shifted baseline after the caption was not part
        # of it, so the continuation on the next (rotated) page was a second 'Table 2'
        ("agyemanduah2014_bmchealthservres", 2, [5, 6]),
        # regression: the repeated header above page 9's first rule was a table of its own, and
        # page 10's reading had 9 columns (its last one empty there) against 10
        ("webb2017_peerjcs", 2, [8, 9, 10]),
    ],
)
def test_continued_table_is_one_table(folder: str, n: int, pages: list[int]) -> None:
    tables = [t for t in curate_tables(*article(folder)) if caption_number(t.caption) == n]
    assert len(tables) == 1, [t.caption for t in tables]
    assert [p.page for p in tables[0].parts] == pages


@pytest.mark.parametrize(
    "folder",
    [
        "agyemanduah2014_bmchealthservres",
        "douglas2014_clinsci",
        "webb2017_peerjcs",
        "cohan2020_acl_2020.acl-main.207",
    ],
)
def test_tables_are_exactly_the_captioned_ones(folder: str) -> None:
    """One table per caption: nothing missed, nothing split, nothing uncaptioned."""
    numbers = sorted(caption_number(t.caption) or 0 for t in curate_tables(*article(folder)))
    assert numbers == sorted(CAPTIONS[folder])


@pytest.mark.parametrize(
    "folder",
    [
        "agyemanduah2014_bmchealthservres",
        pytest.param("douglas2014_clinsci"),
        "webb2017_peerjcs",
        "cohan2020_acl_2020.acl-main.207",
    ],
)
def test_table_boxes_lie_on_their_page(folder: str) -> None:
    parts = article(folder)
    tables = curate_tables(*parts)
    with pdfplumber.open(need_shared("corpus", *parts)) as pdf:
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
    outside = [
        (p.page, p.bbox)
        for t in tables
        for p in t.parts
        if not (0 <= p.bbox[0] < p.bbox[2] <= sizes[p.page - 1][0] and 0 <= p.bbox[1] < p.bbox[3] <= sizes[p.page - 1][1])
    ]
    assert tables and outside == []


# --------------------------------------------------------------------------- camelot's expected tables


def camelot_expected(name: str) -> list[list[str]]:
    """camelot's expected table ``name``, normalised like the benchmark does."""
    return normalise_grid(read_csv(need_shared("corpus", "tables", "camelot", "expected", f"{name}.csv")))


@pytest.mark.parametrize(
    "name",
    [
        "twotables_2__lattice_table1",
        pytest.param("twotables_2__lattice_table2"),
    ],
)
def test_lattice_table_body_cell_for_cell(name: str) -> None:
    """Full-grid table: 8 columns and the 11 body rows exactly as camelot expects."""
    want = camelot_expected(name)
    body = want[2:]
    candidates = [normalise_grid(grid(t)) for t in on_page(curate_tables("tables", "camelot", "twotables_2.pdf"), 1)]
    assert any(len(g[0]) == 8 and g[-len(body) :] == body for g in candidates), [g[-2:] for g in candidates]


def test_lattice_table_with_spanning_header_us030() -> None:
    """Regression: rules drawn cell by cell in pieces shorter than a minimum rule were dropped,
    merging the first two columns and reporting a second, 2-column copy of the table."""
    want = camelot_expected("us-030_p2__lattice")
    body = want[2:]
    candidates = [normalise_grid(grid(t)) for t in on_page(curate_tables("tables", "icdar2013", "competition-dataset-us", "us-030.pdf"), 2)]
    assert any(g[-len(body) :] == body for g in candidates), [g[-1] for g in candidates]


def test_unruled_table_body_health() -> None:
    """health.pdf: the 23 state rows of an unruled (stream) table, cell for cell."""
    want = camelot_expected("health__stream")
    body = [r for r in want if r[0] and r[1][:1].isdigit()]
    assert len(body) == 23
    candidates = [normalise_grid(grid(t)) for t in on_page(curate_tables("tables", "camelot", "health.pdf"), 1)]
    assert any(all(row in g for row in body) for g in candidates)


def test_page_title_and_footer_stay_out_of_table_health() -> None:
    cells = [c for t in curate_tables("tables", "camelot", "health.pdf") for row in grid(t) for c in row]
    assert cells and not [c for c in cells if "Public Health Outlay" in c or "Page |" in c]


def test_two_unruled_tables_12s0324() -> None:
    want = camelot_expected("12s0324__stream_table2")
    candidates = [normalise_grid(grid(t)) for t in on_page(curate_tables("tables", "camelot", "12s0324.pdf"), 1)]
    assert max((cell_accuracy(want, g) for g in candidates), default=0.0) >= 0.9


def test_grid_with_row_spanning_cells_row_span_1() -> None:
    """A full grid whose cells span rows draws each row's rule only under the cells that end
    there, and stops a vertical rule above a cell spanning columns. Regression: rows were read
    from spacing, two rows run together ('126,547 74,620' in one cell), and 'Subtotal' was cut
    at a rule not drawn beside it. Every row's total is camelot's, in order."""
    table = curate_tables("tables", "camelot", "row_span_1.pdf")[0]
    want = [r[-1] for r in camelot_expected("row_span_1__lattice_copy_text")[1:] if r[-1]]
    assert [normalise_grid([[r[-1]]])[0][0] for r in table.rows] == want
    assert any(c.startswith("Subtotal") for r in table.rows for c in r) and not any(c.startswith("otal") for r in table.rows for c in r)


@pytest.mark.parametrize("name", ["clockwise_table_1.pdf", "anticlockwise_table_1.pdf"])
def test_sideways_lattice_table_body(name: str) -> None:
    """A ruled table set sideways (text running down, or up, the page): its 11 body rows, cell
    for cell. Regression: text rotated by 90 degrees was never read."""
    body = camelot_expected("clockwise_table_1__lattice")[2:]
    candidates = [normalise_grid(grid(t)) for t in curate_tables("tables", "camelot", name)]
    assert any(any(g[i : i + len(body)] == body for i in range(len(g))) for g in candidates), [g[:3] for g in candidates]


@pytest.mark.parametrize("name", ["clockwise_table_2.pdf", "anticlockwise_table_2.pdf"])
def test_sideways_unruled_table(name: str) -> None:
    want = camelot_expected("clockwise_table_2__stream")
    candidates = [normalise_grid(grid(t)) for t in curate_tables("tables", "camelot", name)]
    assert max((cell_accuracy(want, g) for g in candidates), default=0.0) >= 0.9


def test_sideways_lattice_table_ends_at_its_grid() -> None:
    """Regression: the footnote under the grid ('*Data not available') was read as a last row."""
    candidates = [normalise_grid(grid(t)) for t in curate_tables("tables", "camelot", "clockwise_table_1.pdf")]
    assert candidates and all(g[-1][0] == "Pooled" for g in candidates)


def test_table_nested_in_a_form_cell_table_region() -> None:
    """A ruled form (label | text) with a small ruled table inside one text cell: the small table
    is read on its own, cell for cell as camelot expects, and the form's wrapped labels
    ('OPZIONI' over 'CONTRATTUALI', in one ruled cell) are one row each. Regression: the small
    table's rules were taken for the form's and it was never read; the label was two rows, both
    readings scored 1.0."""
    tables = curate_tables("tables", "camelot", "table_region.pdf")
    want = camelot_expected("table_region__lattice_regions")
    assert any(normalise_grid(grid(t)) == want for t in tables), [t.header for t in tables]
    labels = [r[0] for t in tables for r in t.rows]
    assert "OPZIONI CONTRATTUALI" in labels and "OPZIONI" not in labels and "CONTRATTUALI" not in labels


def test_boxed_summary_just_above_a_grid_is_not_its_rows_argentina() -> None:
    """tabula's argentina voting record: a boxed summary (two halves parted by a vertical rule)
    whose bottom rule lies under half a line above the voting grid's top rule. Regression: box
    and grid were one table, the summary's vertical rule splitting the grid's party column
    ('Frente para la Victoria' | '- PJ'). The grid is read alone, its rows tabula's, in order."""
    path = need_shared("corpus", "tables", "tabula-java", "argentina_diputados_voting_record.pdf")
    want = normalise_grid(read_csv(path.parent / "expected" / "argentina_diputados_voting_record.csv"))
    grids = [normalise_grid(t.rows) for t in curate_tables("tables", "tabula-java", path.name)]
    assert any(g[: len(want)] == want for g in grids), [g[:2] for g in grids]


# --------------------------------------------------------------------------- ICDAR 2013


def icdar(doc: str) -> tuple[list[Table], list[GtTable]]:
    """curate's tables and the ground truth of an ICDAR 2013 document."""
    folder = "competition-dataset-eu" if doc.startswith("eu") else "competition-dataset-us"
    path = need_shared("corpus", "tables", "icdar2013", folder, f"{doc}.pdf")
    tables, heights = _extract(path)
    return list(tables), icdar_tables(path, heights)


def best_iou(tables: list[Table], page: int, bbox: tuple[float, float, float, float]) -> tuple[float, Table | None]:
    """The table with a part overlapping ``bbox`` on ``page`` best, and that IoU."""
    scored = [(iou(bbox, p.bbox), t) for t in tables for p in t.parts if p.page == page]
    return max(scored, key=lambda s: s[0], default=(0.0, None))


@pytest.mark.parametrize(
    ("doc", "index"),
    [
        ("eu-002", 0),
        ("eu-010", 0),
        ("us-011a", 0),
        ("us-011a", 1),
        ("eu-003", 0),  # regression: three stacked ruled tables, each under its own title, were one box
        pytest.param("us-005", 0),
        ("us-008", 0),  # regression: a peer's 1-row reading (all rows run together) beat curate's 3 rows
        ("eu-007", 2),  # regression: the caption over a ruled box (no "Table N") was its header, the box too tall
    ],
)
def test_icdar_table_detected(doc: str, index: int) -> None:
    tables, gt = icdar(doc)
    page, bbox = gt[index].regions[0]
    assert best_iou(tables, page, bbox)[0] >= 0.5


@pytest.mark.parametrize(
    ("doc", "index"),
    [
        ("us-011a", 0),  # ICDAR counts the footnote as a row; the rest (a wrapped label one cell) is right
        ("eu-002", 0),
        pytest.param("eu-027", 0),
        ("us-035a", 1),
        # regression: justified header lines in ruled cells spread over the next column, and
        # header words centred in a ruled cell made empty columns of their own
        ("eu-003", 1),
        ("eu-003", 2),
        # regression: figures printed with a space between digit groups ("79 935") were two columns
        ("eu-013", 0),
        ("eu-013", 1),
        ("eu-013", 2),
    ],
)
def test_icdar_structure(doc: str, index: int) -> None:
    """Adjacency-relation F1 of a detected table against the ICDAR cells is at least 0.9."""
    tables, gt = icdar(doc)
    page, bbox = gt[index].regions[0]
    score, table = best_iou(tables, page, bbox)
    assert table is not None and score >= 0.5
    want, got = adjacency(gt[index].cells), adjacency(grid_cells(grid(table)))
    correct = len(want & got)
    assert f1(correct / len(got), correct / len(want)) >= 0.9


def test_icdar_us040_caption_label_alone_heads_its_wrapped_title() -> None:
    """Regression (ICDAR us-040): the caption's label ('Table 5-3') stands alone on its line over
    a title wrapped onto two centred lines; the second was read as the header (one cell over
    the table), the real header as rows."""
    tables, _ = icdar("us-040")
    (table,) = [t for t in tables if t.caption and t.caption.startswith("Table 5-3")]
    assert table.caption.endswith("Mercury Study Report to Congress")
    assert table.header[0] == "Species" and [r[0] for r in table.rows] == ["Mink", "Otter", "Kingfisher", "Osprey", "Eagle"]
    assert table.score >= 0.95


def test_douglas2014_table4_is_its_table_not_body_text() -> None:
    """Regression: two columns of body text between the page's rules were read as Table 4 and
    scored 1.00; the real table below its caption (a top rule and a header rule, no rule
    under the body) was not found."""
    tables = [t for t in curate_tables(*article("douglas2014_clinsci")) if caption_number(t.caption) == 4]
    assert len(tables) == 1
    table = tables[0]
    assert table.header[0] == "Construct" and table.n_cols == 5
    assert [r[0] for r in table.rows if r[0]] == ["N-domain", "C-domain", "Y369F", "R381E", "YR/FE"]
    assert not any(len(c) > 40 for row in table.rows for c in row)


def test_header_words_cut_at_column_boundaries_12s0324() -> None:
    """Regression: a 3-level header (spanners over two-line sub-headers over a last line), its
    groups set between vertical rules, was read as one cell per group, so a peer that cuts words
    at its column bounds ("U Total", "nder 18 1 years a") won; indented sub-rows ("Forcible
    rape" under "Violent crime") were run into their parent row. Each header cell is whole words
    as printed."""
    table = on_page(curate_tables("tables", "camelot", "12s0324.pdf"), 1)[0]
    assert table.header == [
        "Offense charged",
        *(f"{group} {sub}" for group in ("Total", "Male", "Female") for sub in ("Total", "Under 18 years", "18 years and over")),
    ]


def test_label_wrapped_over_its_figures_is_one_row_12s0324() -> None:
    """A label wrapped over its row's figures ('Murder and nonnegligent' over 'manslaughter
    . . . 10.0') is one row, and the complete row above it ('Violent crime . . . 467.9') keeps
    its own label. Regression: the label's first line was run into the row above, every row
    under it one off, and the reading still scored confident. camelot's stream reading keeps the
    label's first line as a row of its own: the body is camelot's, cell for cell, with those
    label-only rows joined onto the row under them."""
    table = on_page(curate_tables("tables", "camelot", "12s0324.pdf"), 1)[0]
    want = camelot_expected("12s0324__stream_table1")
    body = want[next(i for i, r in enumerate(want) if r[0].startswith("Total")) : -1]  # the notes row last
    joined: list[list[str]] = []
    for above, row in zip([None, *body], body):
        if above is not None and above[0] and not any(above[1:]):
            joined[-1] = [above[0] + row[0], *row[1:]]
        else:
            joined.append(row)
    assert len(joined) == len(body) - 2
    assert normalise_grid(table.rows) == joined


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
def test_headnote_is_not_the_header_12s0324(reader: str) -> None:
    """Regression: Table 325's headnote (two lines of running text between its caption and its
    ruled header) was read as its header by ``curate extract`` and the real 3-line header as
    rows (scored 0.58); and 'American', the top line of 'American Indian/Alaskan Native' set
    flush right with it, headed three columns."""
    path = need_shared("corpus", "tables", "camelot", "12s0324.pdf")
    tables = list(_extract(path)[0]) if reader == "pdfplumber" else list(_extract_as_cli(path))
    (table,) = [t for t in tables if caption_number(t.caption) == 325]
    assert table.header == ["Offense charged", "Total", "White", "Black", "American Indian/Alaskan Native", "Asian Pacific Islander"]
    assert table.caption is not None and table.caption.endswith("See headnote, Table 324]")
    assert table.rows[0][0].startswith("Total") and table.rows[0][1:] == ["10,690,561", "7,389,208", "3,027,153", "150,544", "123,656"]


def test_stacked_header_lines_us020() -> None:
    """Regression: header cells of 3-5 lines set flush right over narrow columns of figures:
    a cell's top line ('Percentage of', 'Eligible schools', 'weighted school') headed the
    columns it was centred over, not its own. Each table's header is the ground truth's first row."""
    tables, gt = icdar("us-020")
    assert len(gt) == 4
    for table_gt in gt:
        page, bbox = table_gt.regions[0]
        score, table = best_iou(tables, page, bbox)
        assert table is not None and score >= 0.5
        want = [cell_text_key(text) for r0, _, _, _, text in sorted(table_gt.cells, key=lambda c: c[2]) if r0 == 0]
        assert [cell_text_key(h) for h in table.header] == want


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
def test_wrapped_caption_line_is_not_the_header_us018(reader: str) -> None:
    """Regression: a caption's wrapped last line ('through 2021-22', at the caption's pitch and
    size, set at its hanging indent) was read as Table 14's header, the real header lines as
    rows, the last of them run into the first row of figures ('2003-04 2,753,438'), scored 0.98."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-018.pdf")
    tables = list(_extract(path)[0]) if reader == "pdfplumber" else list(_extract_as_cli(path))
    table = next(t for t in tables if caption_number(t.caption) == 14)
    assert table.caption is not None and table.caption.endswith("through 2021–22")
    assert table.header[0] == "Region and state" and not any("through" in h for h in table.header)
    assert table.rows[0][:2] == ["United States", "2,753,438"]


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
def test_section_label_set_out_left_under_a_wrapped_label_us024(reader: str) -> None:
    """Regression: 'Sex, by race/ethnicity', a section label set out to the left at about the
    pitch of wrapped lines under 'American Indian/Alaska' + 'Native', was read into that label,
    and 'Male' (a row's pitch under it) into the section label; the reading was flagged 0.81.
    Each is a row of its own, as in ICDAR's ground truth, in Tables 1 and 3 (pages 2 and 5; their
    captions read 'tABLE 1.', the small capitals' first letter lower case)."""
    from curate.extract.quality import MERGED_LABEL_REASON

    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-024.pdf")
    tables = list(_extract(path)[0]) if reader == "pdfplumber" else list(_extract_as_cli(path))
    for page in (2, 5):
        (table,) = on_page(tables, page)
        labels = [r[0] for r in table.rows]
        k = labels.index("Sex, by race/ethnicity")
        assert labels[k - 1 : k + 2] == ["American Indian/Alaska Native", "Sex, by race/ethnicity", "Male"]
        assert table.rows[k - 1][1][:1].isdigit() and not any(table.rows[k][1:] + table.rows[k + 1][1:])
        assert MERGED_LABEL_REASON not in table.reasons


def test_dot_leaders_read_alike_by_both_readers_12s0324() -> None:
    """The leaders between labels and figures are marked ActualText spans, a dot more or less
    than the glyphs drawn: PDFium reads the span's text, pdfminer the glyphs, so the labels came
    out 'Forcible rape. . . (29 dots)' through ``curate extract`` and with 28 through
    pdfplumber, and the cells matched camelot's expected table 0.81 against 0.95. A leader is no
    part of its cell: both readers give the same cells, and the label without its dots (but for
    the full stop of its 'etc.', set solid before the leader)."""
    path = need_shared("corpus", "tables", "camelot", "12s0324.pdf")
    plumber, pdfium = on_page(list(_extract(path)[0]), 1), on_page(list(_extract_as_cli(path)), 1)
    assert len(plumber) == len(pdfium) == 2
    for a, b in zip(plumber, pdfium):
        assert [r[0] for r in a.rows] == [r[0] for r in b.rows]
        assert not any(". ." in r[0] or r[0].endswith(".") and not r[0].endswith(" etc.") for r in a.rows)  # 'etc.': the label's own stop
    want = camelot_expected("12s0324__stream_table2")
    assert cell_accuracy(want, normalise_grid(grid(pdfium[1]))) >= 0.95
    assert "Forcible rape" in [r[0] for r in pdfium[1].rows]


@pytest.mark.parametrize("reader", ["pdfplumber", "pdfium"])
def test_unit_note_under_the_caption_is_no_header_us018(reader: str) -> None:
    """Regression: Table 16's unit note ('[In thousands]', centred on the whole table between its
    caption and its top rule) was read as the header, the three real header lines as rows,
    scored 0.92. It ends the caption; the header's lowest line starts 'Year'."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-018.pdf")
    tables = list(_extract(path)[0]) if reader == "pdfplumber" else list(_extract_as_cli(path))
    table = next(t for t in tables if caption_number(t.caption) == 16)
    assert table.caption is not None and table.caption.endswith("[In thousands]")
    assert table.header[0] == "Year" and not any("thousands" in h for h in table.header)
    assert [r[0] for r in table.rows[:2]] == ["Actual", "1996"] and table.rows[1][1] == "3,051"


def test_captions_numbered_with_letters_us035a() -> None:
    """Regression: appendix tables captioned 'Table A.1:' .. 'Table A.3:' had no caption and
    their captions were read as header rows ('Table A.2:', '1980 Census', ...)."""
    tables, gt = icdar("us-035a")
    assert [(t.caption or "")[:10] for t in tables] == ["Table A.1:", "Table A.2:", "Table A.3:"]
    assert [t.header[0] for t in tables] == ["Age groups", "Age", "Status"]
    assert len(gt) == 3


def test_labels_ending_in_a_year_stay_whole_us019() -> None:
    """Regression: in Table A-3 (captioned now that 'A-3' is a table number, its box starting at
    its top rule), section rows centred over the figures ran three columns of figures together,
    and the columns then told apart by narrower gutters cut the labels ('Projections of
    Education Statistics to 2017') at their word spaces: a label ending in a year is no column
    of figures."""
    tables, _ = icdar("us-019")
    table = next(t for t in tables if (t.caption or "").startswith("Table A-3."))
    labels = [r[0] for r in table.rows if r[0].startswith("Projections")]
    assert labels == [f"Projections of Education Statistics to {year}" for year in (2017, 2018, 2019, 2020)] * 2


@pytest.mark.parametrize(("caption", "sections"), [("Table A-3.", ["Enrollment, in thousands", "Projected enrollment, in thousands", "Percentage difference between actual and projected values"]), ("Table A-4.", ["Absolute value of percentage difference between actual and projected values", "Mean absolute percentage error"])])
def test_section_labels_centred_over_the_figures_are_section_rows_us019(caption: str, sections: list[str]) -> None:
    """Regression: section labels centred over the four columns of figures ran the two middle
    columns together (Table A-3, adjacency F1 0.40) or, their words in the gutters, made columns
    of their own (Table A-4, 0.54): each is one cell, a section row."""
    tables, _ = icdar("us-019")
    table = next(t for t in tables if (t.caption or "").startswith(caption))
    assert table.n_cols == 5
    assert [r[0] for r in table.rows if not any(r[1:])] == sections


def test_a_total_row_under_the_last_rule_beside_the_column_rule_eu026() -> None:
    """Regression: Table 1's total row stands under a double rule with no rule under it, the label
    column's vertical rule drawn on beside it: the box ended at the double rule and left the
    total row out (scored 0.6, cut short)."""
    table = _icdar_table("eu-026", 0)
    assert table.rows[-1] == ["Total", "458", "100.0", "13153", "18.7%"]
    assert table.score >= 0.95, table.reasons


def test_a_section_label_ending_in_a_year_over_the_first_figures_column_us002() -> None:
    """Regression: in Table 5, the section label 'Highest enrollment after bachelor's degree by
    2003' runs across the gutter into the first column of figures: its last words were read
    into that column and the group's three rows run into its row (adjacency F1 0.89)."""
    table = _icdar_table("us-002", 1)
    k = next(i for i, r in enumerate(table.rows) if r[0].startswith("Highest enrollment"))
    assert table.rows[k][1:] == [""] * (table.n_cols - 1)
    assert [r[0] for r in table.rows[k : k + 4]] == ["Highest enrollment after bachelor’s degree by 2003", "Master’s degree", "Doctoral degree", "First-professional degree"]


def test_group_labels_spanning_their_ruled_rows_us031a() -> None:
    """Regression: Table 4-1's group labels are cells spanning three rows each (the rules between
    the rows drawn beside them only), centred on them: their lines were read into whichever
    row they stood beside, a label of three lines cut into three cells."""
    table = _icdar_table("us-031a", 0)
    assert [r[0] for r in table.rows] == ["Per cycle fuel savings potential", "", "", "Frequency of opportunity occurrence in general population", "", "", "Combined savings opportunity (per cycle magnitude * frequency of occurrence)", "", "", ""]


def _icdar_table(doc: str, index: int) -> Table:
    """curate's table best overlapping the ICDAR ground truth's table ``index`` of ``doc``."""
    tables, gt = icdar(doc)
    page, bbox = gt[index].regions[0]
    score, table = best_iou(tables, page, bbox)
    assert table is not None and score >= 0.5
    return table


@pytest.mark.parametrize("index", range(7))
def test_a_header_of_ruled_bands_under_a_spanner_eu001(index: int) -> None:
    """Regression: each grid's header is a band holding 'THRESHOLD FOR RELEASES' over three
    columns and a band under it with the columns' own heads; the first band alone was read as
    the header and the second as a row of words, scored 0.81-0.95."""
    table = _icdar_table("eu-001", index)
    assert table.header[1:] == [f"THRESHOLD FOR RELEASES to {m} kg/year" for m in ("air", "water", "land")]
    assert table.rows[0][1] and not table.rows[0][0].startswith("to ")


@pytest.mark.parametrize(
    ("index", "col", "heads"),
    [
        (4, 2, ["Change in recent years** % points", "Change in recent years** period"]),
        (5, 1, ["hypermarkets 1996", "hypermarkets change since 1980"]),
        (6, 1, ["1996 % of national turnover", "1996 no. of stores"]),
    ],
)
def test_sub_heads_under_spanners_beside_single_cells_eu004(index: int, col: int, heads: list[str]) -> None:
    """Regression: Tables 6.5-6.7's top band mixes spanners with cells of one column; the
    spanned columns' heads in the band under it were read as the first row (adjacency F1
    0.91-0.93, one scored 0.958)."""
    table = _icdar_table("eu-004", index)
    assert table.header[col : col + 2] == heads, table.header
    assert table.rows[0][0] == "Austria"


def test_two_word_spanners_in_a_fixed_width_font_us033() -> None:
    """Regression: Table 2.3 is set in Courier (a word space 0.6 em, wider than half an em):
    'Non-Hispanic white' over 'Male | Female' was cut at its word space, 'Non-Hispanic' heading
    Male and 'white' Female, scored 0.99."""
    table = _icdar_table("us-033", 0)
    assert table.header[1:3] == ["Non-Hispanic white Male", "Non-Hispanic white Female"]
    assert table.header[5:7] == ["Mexican American Male", "Mexican American Female"]


def test_a_total_flush_right_under_labels_in_one_ruled_cell_eu012() -> None:
    """Regression: Table 2's 'Total' rows, set flush right in the ruled cell of 'Men' and
    'Women', were a column of their own (scored 0.90)."""
    table = _icdar_table("eu-012", 1)
    assert [r[1] for r in table.rows] == ["Men", "Women", "Total"] * 4
    assert len(table.header) == 5


@pytest.mark.parametrize("index", [0, 1])
def test_bullets_set_with_a_hanging_indent_stay_in_their_cells_us015(index: int) -> None:
    """Regression: the bullets of Tables 1 and 2's lists were a column of their own under the
    header repeated over it (scored 0.99)."""
    table = _icdar_table("us-015", index)
    assert not any(h and h == table.header[c + 1] for c, h in enumerate(table.header[:-1])), table.header
    assert any(cell.startswith("• ") for row in table.rows for cell in row)


def test_brands_with_their_shares_are_no_mixed_column_eu007() -> None:
    """Regression: Table 8.23 (brands with their shares in brackets beside plain shares), read
    right, scored 0.75: a false warning."""
    table = _icdar_table("eu-007", 5)
    assert table.score >= 0.8, table.reasons


def test_three_ruled_header_bands_eu009a() -> None:
    """Regression: of three header bands (a title over the grid, two group heads, the columns'
    heads) only the first was the header: the other two were rows, one split into columns."""
    table = _icdar_table("eu-009a", 0)
    assert table.header == [f"Assignment Categories {g} Categories {h}" for g, h in (("JASPERS", "Category"), ("JASPERS", "Description"), ("EV", "Category"), ("EV", "Description"))]
    assert [r[2] for r in table.rows] == ["1a", "1b", "2a", "2b", "3a", "3b"]


def test_a_ruled_label_broken_after_a_comma_eu007() -> None:
    """Regression: Table 8.19's one row, its label wrapped after a comma, was read as two rows."""
    table = _icdar_table("eu-007", 1)
    assert table.rows == [["Budget Coefficient for Coffee, Tea, Herb Tea", "0.323", "0.272", "0.265", "0.290", "0.340", "0.346"]]


def test_ruled_rows_of_several_lines_are_rows_eu007() -> None:
    """Regression: Table 8.23's ruled rows (a total, then a list under it, in each cell) were
    read line by line by camelot-stream, whose reading replaced curate's (adjacency F1 0.51)."""
    table = _icdar_table("eu-007", 5)
    assert [r[0] for r in table.rows] == ["Astra Calvé", "Besnier", "Cema", "CLE", "Laïta", "Vedial", "Own brands", "Others"]
    assert table.rows[1][1] == "Total: 18.1% Bfpridel (4.4%) Président (13.5%)"


@pytest.mark.parametrize("index", [0, 1])
def test_a_label_spanning_ruled_rows_wrapped_over_both_eu021(index: int) -> None:
    """Regression: a label cell spanning a 'Count' and a 'Percentage' row, wrapped over both
    rows' lines, had its last line read as the 'Percentage' row's label."""
    table = _icdar_table("eu-021", index)
    labels = [r[0] for r in table.rows]
    assert labels[1::2] == [""] * (len(labels) // 2)
    assert ("Chronic fatigue syndrome" if index == 0 else "Chronic illness and chronic pain") in labels


def test_a_text_grid_under_a_header_shaded_cell_by_cell_us032() -> None:
    """Regression: Table 1-1's header is a band shaded cell by cell over a full-width rule, its
    rows text beside short labels in two groups parted by a rule: the header ran down to that
    rule, and once the box kept its last row (its bottom rule under a last shaded label cell),
    the reading was dropped as prose."""
    table = _icdar_table("us-032", 0)
    assert table.header == ["Source", "Definition", "Examples"]
    assert [r[0] for r in table.rows] == ["Stationary:", "Major", "Area", "Mobile:", "On-road", "Non-road"]


def test_a_grid_row_ruled_as_one_cell_is_a_section_row_spanning_cells() -> None:
    """Regression: a section label centred in a grid row ruled as one cell ('Best practice
    scenario') was cut at the columns' bounds into two cells."""
    (table,) = [t for t in curate_tables("tables", "tabula-java", "spanning_cells.pdf") if t.n_cols == 6 and t.n_rows > 10]
    assert ["Best practice scenario", "", "", "", "", ""] in table.rows
    assert ["State-of-the-art scenario", "", "", "", "", ""] in table.rows


def test_cell_accuracy_forgives_line_rows_not_misreadings() -> None:
    """The corpus comparison pairs rows in order and lets one read row stand for a line-per-row
    expectation's wrapped lines (header lines joined, a label wrapped over its figures), but two
    rows of figures run together, a row of the expectation read as two and a column too many
    still cost (a line-per-row expectation cannot tell a wrapped label read as two rows); spanning text moved within the cells it spans counts only where camelot was
    told to move it."""
    def accuracy(want: list[list[str]], got: list[list[str]], spans: bool = False) -> float:
        return cell_accuracy(normalise_grid(want), normalise_grid(got), spans=spans)

    expected = [["", "Total", ""], ["State", "All", "Under 18"], ["Kerala", "5", "6"], ["Murder and", "", ""], ["manslaughter", "7", "8"], ["Goa", "1", "2"]]
    right = [["State", "Total All", "Total Under 18"], ["Kerala", "5", "6"], ["Murder and manslaughter", "7", "8"], ["Goa", "1", "2"]]
    assert accuracy(expected, right) == 1.0
    run_together = [right[0], ["Kerala Murder and manslaughter", "5 7", "6 8"], right[3]]
    assert accuracy(expected, run_together) < 0.8
    split = [*right[:3], ["Goa", "", ""], ["", "1", "2"]]  # a row of the expectation read as two
    assert accuracy(expected, split) < 0.9
    extra_column = [[r[0], "", *r[1:]] if i % 2 else [r[0], *r[1:], ""] for i, r in enumerate(right)]
    assert accuracy(expected, extra_column) < 0.8
    spanned = [["Plan", "County"], ["GMC", "Sacramento"], ["GMC", "Sacramento"], ["GMC", "San Diego"]]
    centred = [["Plan", "County"], ["", "Sacramento"], ["GMC", ""], ["", "San Diego"]]
    assert accuracy(spanned, centred) < 0.8
    assert accuracy(spanned, centred, spans=True) == 1.0
