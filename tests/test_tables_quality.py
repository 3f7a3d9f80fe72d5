"""The table quality score is honest: each kind of misreading scores low and says why."""

from __future__ import annotations

from curate.extract.quality import LOW, assess

HEADER = ["Group", "n", "Mean (SD)"]
ROWS = [["Insulin", "42", "54.2 (8.1)"], ["Placebo", "40", "55.0 (7.9)"], ["Total", "82", "54.6 (8.0)"]]


def _words(header: list[str], rows: list[list[str]]) -> list[str]:
    return [w for row in [header, *rows] for cell in row for w in cell.split()]


def test_clean_reading_scores_one_with_no_reasons() -> None:
    assert assess(HEADER, ROWS, _words(HEADER, ROWS)) == (1.0, [])


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
