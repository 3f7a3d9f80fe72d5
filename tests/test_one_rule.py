"""The rules folded into one definition each (raised marks, running text, joining rule pieces)
hold the bounds their callers rely on."""

from __future__ import annotations

from curate.extract.layout import LIFT, MARK_SMALL, RISE, SMALL, Word, is_mark
from curate.extract.regions import is_prose_run, join_pieces


def test_a_raised_mark_is_smaller_and_raised_or_lifted_and_solid() -> None:
    size = 10.0
    assert is_mark(0.7 * size, 0.3 * size, size, False)  # a footnote mark in small type
    assert not is_mark(0.7 * size, 0.0, size, False)  # small type on the baseline: a subscript's line, no mark
    lifted = (LIFT + RISE) / 2 * size
    assert is_mark(0.9 * size, lifted, size, False)  # WeasyPrint's <sup>: 0.9 of the text, 0.47 em up
    assert not is_mark(MARK_SMALL * size, lifted, size, False)  # as large, apart from the glyph before
    assert is_mark(size, lifted, size, lambda: True)  # as large, set solid after a glyph
    assert not is_mark(size, lifted, size * 0.99, True)  # larger than its line: no mark of it
    assert not is_mark(0.9 * size, (RISE + 0.1) * size, size, True)  # lifted more: a line above
    assert not is_mark(0.9 * size, (LIFT - 0.1) * size, size, True) and SMALL < 0.9


def test_a_lazy_solid_test_is_called_only_when_it_decides() -> None:
    def never() -> bool:
        raise AssertionError("called")

    assert is_mark(5.0, 3.0, 10.0, never)  # smaller than SMALL: decided without it
    assert not is_mark(10.0, 9.0, 10.0, never)  # out of LIFT..RISE


def test_rule_pieces_join_at_one_position_where_their_ends_meet() -> None:
    pieces = [(100.4, 0.0, 50.0), (100.4, 200.0, 250.0), (100.6, 51.5, 100.0), (300.0, 0.0, 100.0), (100.2, 103.0, 150.0)]
    groups = join_pieces(pieces, lambda p: p)
    spans = [(g[0][0], g[0][1], max(p[2] for p in g)) for g in groups]
    # within 2 points they join (cell by cell); a 3-point gap parts two rules; another x is another rule
    assert spans == [(100.4, 0.0, 100.0), (100.2, 103.0, 150.0), (100.4, 200.0, 250.0), (300.0, 0.0, 100.0)]


def _words(texts: list[str], x0: float = 0.0, width: float = 20.0, gap: float = 3.0) -> list[Word]:
    return [Word(t, x0 + k * (width + gap), x0 + k * (width + gap) + width, 0.0, 10.0, 10.0) for k, t in enumerate(texts)]


def test_running_text_is_many_words_or_several_across_the_column_mostly_no_figures() -> None:
    column = 400.0
    assert is_prose_run(_words("the patients were followed for two more years".split()), column)
    five = _words("followed up by the clinic".split(), width=70.0)  # 5 words over 0.55 of the column
    assert is_prose_run(five, column)
    assert not is_prose_run(_words("followed up by the clinic".split()), column)  # a narrow cell's label
    assert not is_prose_run(_words("Age 54 61 (12) 0.42 years at onset".split()), column)  # figures: a row
