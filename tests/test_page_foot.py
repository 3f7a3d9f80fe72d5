"""Page furniture (curate.extract.layout.running_furniture): a page's foot in small type set
apart from the body (a first-page footer printed once) is furniture; footnotes, captions and
small type run on from the body are not."""

from __future__ import annotations

import pytest

from curate.extract.layout import Line, Word, running_furniture

HEIGHT = 792.0


def _line(top: float, text: str, size: float, x: float = 72.0, raised: bool = False) -> Line:
    """A line of ``size`` pt words (0.5 em per letter), its first word raised if ``raised``."""
    words = []
    for k, word in enumerate(text.split()):
        first = raised and k == 0
        wsize = 0.6 * size if first else size
        words.append(Word(word, x, x + 0.5 * wsize * len(word), top, top + wsize if first else top + size, wsize, first))
        x += 0.5 * wsize * len(word) + 0.25 * size
    return Line(words)


WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau".split()


def _page(foot: list[tuple[float, str, float]], raised: bool = False, last_body: float = 680.0, page: int = 0) -> list[Line]:
    """Body lines of 11 pt at a 13.5 pt pitch down to ``last_body`` (no two alike, on no two
    pages), a page number, then ``foot``."""
    count = int((last_body - 72.0) / 13.5) + 1
    body = [_line(72.0 + 13.5 * k, " ".join(WORDS[(k * 7 + page * 3 + j) % len(WORDS)] for j in range(9)), 11.0) for k in range(count)]
    number = _line(740.0, "84", 11.0, x=300.0)
    return [*body, number, *(_line(top, text, size, raised=raised and k == 0) for k, (top, text, size) in enumerate(foot))]


FOOTER = [(757.0, "Proceedings of the Annual Meeting 2018, pages 84-91", 9.0), (768.0, "New Orleans, June 1-6, 2018. Association for Linguistics", 9.0)]


def _foot_found(first: list[Line]) -> set[str]:
    pages = [first, _page([], page=1), _page([], page=2)]
    found = running_furniture(pages, [HEIGHT] * 3)
    return {first[i].text for i in found[0]}


def test_a_first_page_footer_in_small_type_under_the_page_number_is_furniture() -> None:
    assert _foot_found(_page(FOOTER)) == {"84", *(text for _, text, _ in FOOTER)}


@pytest.mark.parametrize(
    ("case", "first"),
    [
        ("a footnote: its first word a raised mark", _page(FOOTER, raised=True)),
        ("a footnote numbered on its line", _page([(757.0, "12 See the annual report for the figures", 9.0)])),
        ("a figure's caption at the page's foot", _page([(757.0, "Figure 3 Rates by year, 2010-2018", 9.0)])),
        ("body-size type", _page([(757.0, "Proceedings of the Annual Meeting 2018", 11.0)])),
        ("small type run on from the body (no more white than a line's pitch above it)", _page([(757.0, "Proceedings of the Annual Meeting 2018", 9.0)], last_body=735.0)),
        ("a block too tall to be a footer", _page([(700.0 + 9.0 * k, f"small line {k} of a note set under the body", 8.0) for k in range(9)], last_body=600.0)),
    ],
)
def test_small_type_that_is_no_footer_stays(case: str, first: list[Line]) -> None:
    assert _foot_found(first) <= {"84"}, case
