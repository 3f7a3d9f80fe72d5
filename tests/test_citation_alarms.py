"""Fewer false alarms from citations on real papers: running heads, 'How to cite this article'
boxes, method names with years, ACL-style 'Given Surname' entries, a phrase before the authors."""

from __future__ import annotations

from curate.extract.citations import _method_name, extract_citations
from curate.extract.references import Reference
from tests.textbody import body


def _entry(index: int, first_author: str, year: int, authors: str = "") -> Reference:
    return Reference(index=index, label="", raw=f"{first_author}. {year}. A title.", authors=authors or first_author, first_author=first_author, year=year, title="A title")


def test_given_surname_entries_and_a_leading_phrase_resolve() -> None:
    entries = [_entry(1, "Xiang Wang", 2013), _entry(2, "Sepp Hochreiter", 1997)]
    cites = extract_citations(body("As shown before (Wang et al., 2013), memory helps (Long Short-Term Memory, Hochreiter and Schmidhuber, 1997)."), [], entries)
    assert [(c.status, c.reference) for c in cites] == [("resolved", 1), ("resolved", 2)]


def test_method_names_with_years_are_not_citations_unless_they_resolve() -> None:
    entries = [_entry(1, "Beltagy", 2019), _entry(2, "DeLong", 1988)]
    cites = extract_citations(body("We compare SciBERT (2019), Doc2vec (2014) and ELMo (2018) with Beltagy et al. (2019) and DeLong (1988)."), [], entries)
    assert [(c.author, c.status) for c in cites] == [("Beltagy", "resolved"), ("DeLong", "resolved")]
    assert [w for w in ("SciBERT", "Doc2vec", "Fasttext-sum", "SGC", "McDonald", "MacArthur", "LeBlanc", "El-Badawy", "O'Brien") if _method_name(w)] == ["SciBERT", "Doc2vec", "Fasttext-sum", "SGC"]


def test_how_to_cite_this_article_is_not_a_citation() -> None:
    cites = extract_citations(body("How to cite this article Webb et al. (2017) A pipeline. PeerJ Comput. Sci.", "Earlier work (Smith, 2010) did this."), [], [_entry(1, "Smith", 2010)])
    assert [(c.author, c.status) for c in cites] == [("Smith", "resolved")]


def test_a_name_and_year_followed_by_numbers_is_a_table_row_or_a_masthead() -> None:
    entries = [_entry(1, "Bhagavatula", 2018)]
    text = body("Clinical Science (2014) 126, 305-313 doi:10.1042/CS1", "Citeomatic (2018) 67.1 75.7 81.1 90.2", "As Bhagavatula (2018) 12 showed, and Smith (2015) 3 times.")
    assert [(c.author, c.status) for c in extract_citations(text, [], entries)] == [("Bhagavatula", "resolved"), ("Smith", "unresolved")]


def test_raised_numbers_in_a_formula_are_exponents_not_citations() -> None:
    from curate.extract.layout import Line, Word
    from curate.extract.references import Piece

    def line(*tokens: tuple[str, bool]) -> Piece:
        words, x = [], 50.0
        for text, raised in tokens:
            words.append(Word(text, x, x + 6 * len(text), 100.0 if not raised else 96.0, 110.0 if not raised else 104.0, 10.0, superscript=raised))
            x += 6 * len(text) + 3
        return Piece(1, 0, "full", Line(words))

    entries = [_entry(i, f"Author{i}", 2000 + i) for i in range(1, 5)]
    for e in entries:
        e.label = str(e.index)
    formula = line(("S", False), ("=", False), ("A", False), ("/", False), ("sqrt", False), ("A", False), ("2", True), ("+", False), ("B", False), ("2", True))
    prose = line(("as", False), ("shown", False), ("before", False), ("2", True), ("and", False), ("x", False), ("2", True), ("again.", False))
    cited = [c.label for c in extract_citations([formula, prose], [], entries)]
    assert cited == ["2"]  # 'before²' cites; 'A²', 'B²' and 'x²' are powers
