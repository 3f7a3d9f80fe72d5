"""In-text citations of the three papers (citations.csv), and the parsers on plain strings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from curate.extract.citations import _expand, _first_surname, fold
from tests.conftest import extract_each, need_shared


def test_expand_numeric_ranges() -> None:
    assert _expand("16, 18, 24-27") == ["16", "18", "24", "25", "26", "27"]
    assert _expand("3–5") == ["3", "4", "5"]


@pytest.mark.parametrize(
    "printed, expected",
    [("A. Bhansali et al.", ("A.", "Bhansali")), ("El-Badawy & El-Badri", ("", "El-Badawy")), ("Yi Zhang et al.", ("Y.", "Zhang")), ("H.-J. Kim et al.", ("H.-J.", "Kim"))],
)
def test_first_surname(printed: str, expected: tuple[str, str]) -> None:
    assert _first_surname(printed) == expected


def test_fold_diacritics() -> None:
    assert fold("Mäkelä") == "makela" and fold("D'Addio") == "daddio"


def _citations(raw: Path, paper: str) -> pd.DataFrame:
    return pd.read_csv(raw / paper / "citations.csv", dtype=str, keep_default_na=False)


def test_author_year_citations_resolve_and_the_two_strays_do_not(extracted_papers: Path) -> None:
    cites = _citations(extracted_papers, "vinski2023")
    refs = pd.read_csv(extracted_papers / "vinski2023" / "references.csv", dtype=str, keep_default_na=False)
    assert len(cites) > 150 and set(cites["kind"]) == {"author-year"}
    unresolved = cites[cites["status"] != "resolved"]
    assert (cites["status"] == "resolved").mean() > 0.95
    madec = unresolved[unresolved["author"].str.endswith("Madec")]
    assert len(madec) >= 1 and (madec["year"] == "2009").all(), "Madec 2009 is cited but not in the list"
    kasoju = unresolved[unresolved["author"] == "Kasoju"]
    assert len(kasoju) >= 1
    candidate = refs[refs["index"] == kasoju.iloc[0]["candidate"]].iloc[0]
    assert (candidate["first_author"], candidate["year"]) == ("Kasaju", "2017")
    assert float(kasoju.iloc[0]["score"]) >= 0.8


def test_initials_choose_between_namesakes(extracted_papers: Path) -> None:
    cites = _citations(extracted_papers, "vinski2023")
    refs = pd.read_csv(extracted_papers / "vinski2023" / "references.csv", dtype=str, keep_default_na=False).set_index("index")
    for initial in ("A.", "S."):
        rows = cites[cites["author"] == f"{initial} Bhansali"]
        assert len(rows) and (rows["status"] == "resolved").all()
        for ref in rows["reference"]:
            assert refs.loc[ref, "authors"].split(",")[1].strip().startswith(initial[0])


def test_numeric_citations_expand_and_resolve(extracted_papers: Path) -> None:
    cites = _citations(extracted_papers, "zhang2019")
    body = cites[cites["where"] == "body"]
    assert (cites["status"] == "resolved").all()
    ranged = body[body["text"].str.contains("24-27")]
    assert set(ranged["label"]) >= {"24", "25", "26", "27"}
    table = cites[cites["where"] == "table 1"]
    assert len(table) == 22 and (table["year"].str.len() == 4).all() and (table["author"] != "").all()


def test_superscript_citations(extracted_papers: Path) -> None:
    cites = _citations(extracted_papers, "matsuoka2025")
    numeric = cites[cites["kind"] == "numeric"]
    assert set(numeric["label"]) >= {"1", "2"} and (numeric["status"] == "resolved").all()


def test_every_citation_has_a_place(extracted_papers: Path) -> None:
    for paper in ("vinski2023", "zhang2019", "matsuoka2025"):
        for _, c in _citations(extracted_papers, paper).iterrows():
            x0, top, x1, bottom = (float(v) for v in c["bbox"].strip("[]").split(","))
            assert int(c["page"]) >= 1 and 0 <= x0 < x1 <= 612 and 0 <= top < bottom <= 842


def test_a_work_listed_twice_resolves_to_its_first_entry() -> None:
    """Regression: 'Hu et al. (2016)' was ambiguous between two entries of one list that are the
    same work (a duplicate the reference checks report); it resolves to the first of them."""
    from curate.extract.citations import extract_citations
    from curate.extract.references import Reference
    from tests.textbody import body

    title = "Long term effect and safety of a cell therapy"
    entries = [Reference(index=1, label="1", first_author="Hu", authors="Hu, J.", year=2016, title=title),
               Reference(index=2, label="2", first_author="Hu", authors="Hu, J.", year=2016, title=title + "."),
               Reference(index=3, label="3", first_author="Hu", authors="Hu, K.", year=2016, title="Another study")]
    (cite,) = extract_citations(body("As Hu et al. (2016) found."), [], entries[:2])
    assert (cite.status, cite.reference) == ("resolved", 1)
    (cite,) = extract_citations(body("As Hu et al. (2016) found."), [], entries)
    assert cite.status == "ambiguous", "two different works by Hu in 2016 stay ambiguous"


@pytest.mark.shared
def test_a_first_page_footer_is_no_body_text_ammar2018(tmp_path: Path) -> None:
    """Regression: ammar2018's first-page footer ('Proceedings of NAACL-HLT 2018, pages 84–91',
    the venue and a copyright line, in small type under the page number on that page only) was
    read as body text between the page's last line and the next page's first, inside a citation
    broken there. The citation is read as printed and no citation holds the footer."""
    pdf = next(need_shared("corpus", "pdfs", "ammar2018_naacl_N18-3011").glob("*.pdf"))
    folder = extract_each([pdf], tmp_path)[pdf.stem]
    cites = pd.read_csv(folder / "citations.csv", dtype=str, keep_default_na=False)
    assert not cites["text"].str.contains("Proceedings|Association for", regex=True).any()
    assert "(e.g., Lample et al., 2016)" in set(cites["text"])
