"""The registry of works from the three papers' reference lists (curated/works.csv)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from curate.export import to_bibtex, to_ris
from curate.works import build_registry


@pytest.fixture(scope="module")
def registry(extracted_papers: Path):  # noqa: ANN201 - a Registry
    return build_registry(extracted_papers, {})


def _works_of(registry, surname: str, year: int | None = None, venue: str = "") -> set[str]:  # noqa: ANN001
    e = registry.entries
    rows = e[e["first_author"].str.contains(surname) & (e["year"] == str(year) if year else True) & e["venue"].str.contains(venue, regex=False)]
    return set(rows["work_id"])


@pytest.mark.parametrize("surname, year, n_papers", [("Bhansali", 2009, 2), ("Bhansali", 2014, 3), ("Jiang", 2011, 2), ("Skyler", 2015, 3), ("Hu", 2016, 2)])
def test_same_study_in_several_styles_is_one_work(registry, surname: str, year: int, n_papers: int) -> None:  # noqa: ANN001
    works = _works_of(registry, surname, year)
    assert len(works) == 1, works
    cited_by = registry.entries[registry.entries["work_id"].isin(works)]["paper_id"].nunique()
    assert cited_by == n_papers


def test_voltarelli_dated_differently_is_one_work(registry) -> None:  # noqa: ANN001
    e = registry.entries
    rows = e[e["first_author"] == "Voltarelli"]
    assert set(rows["year"]) == {"2007", "2009"} and rows["work_id"].nunique() == 1


@pytest.mark.parametrize("surname, year", [("Hu", None), ("Zang", None), ("Zhao", None), ("Carlsson", None)])
def test_different_works_stay_apart(registry, surname: str, year: None) -> None:  # noqa: ANN001
    e = registry.entries
    rows = e[e["first_author"].str.endswith(surname)]
    by_year = rows.groupby("year")["work_id"].agg(set)
    works_per_year = {y: w for y, w in by_year.items()}
    years = sorted(works_per_year)
    assert len(years) >= 2
    for a in years:
        for b in years:
            if a < b:
                assert not (works_per_year[a] & works_per_year[b]), f"{surname} {a} and {b} merged"


def test_same_author_same_year_different_journals_stay_apart(registry) -> None:  # noqa: ANN001
    stem = _works_of(registry, "Bhansali", 2017, "Stem Cell")
    diabetol = _works_of(registry, "Bhansali", 2017, "Diabetol")
    assert stem and diabetol and not (stem & diabetol)


def test_work_ids_do_not_change_when_a_paper_is_added(extracted_papers: Path, tmp_path: Path, registry) -> None:  # noqa: ANN001
    two = tmp_path / "raw"
    for paper in ("vinski2023", "zhang2019"):
        shutil.copytree(extracted_papers / paper, two / paper)
    smaller = build_registry(two, {})
    both = smaller.entries.merge(registry.entries, on=["paper_id", "index"], suffixes=("_2", "_3"))
    alone = both[both["work_id_2"].map(smaller.entries["work_id"].value_counts()) == both["work_id_3"].map(registry.entries["work_id"].value_counts())]
    assert len(alone) > 100
    assert (alone["work_id_2"] == alone["work_id_3"]).all()


def test_steward_verdict_is_honoured(extracted_papers: Path, registry) -> None:  # noqa: ANN001
    e = registry.entries
    hu = e[(e["first_author"].str.endswith("Hu")) & (e["year"] == "2016")]
    a, b = sorted(f"{r.paper_id}#{r.index}" for r in hu.itertuples())[:2]
    apart = build_registry(extracted_papers, {(a, b): False})
    works = apart.entries.set_index(apart.entries["paper_id"] + "#" + apart.entries["index"])["work_id"]
    assert works[a] != works[b]


def test_exports_have_one_record_per_work(registry) -> None:  # noqa: ANN001
    works = registry.works.astype(str)
    bib, ris = to_bibtex(works), to_ris(works)
    assert bib.count("@article{") == len(works) and ris.count("ER  - ") == len(works)
    assert bib.count("{") == bib.count("}")


def test_same_work_twice_in_one_list_is_found(registry) -> None:  # noqa: ANN001
    from curate.works import duplicates_in_lists

    found = list(duplicates_in_lists(registry.entries))
    assert any(f.paper_id == "matsuoka2025" for f in found), [f.message for f in found]
    for f in found:
        papers_rows = registry.entries[(registry.entries["paper_id"] == f.paper_id) & (registry.entries["work_id"] == f.computed)]
        assert len(papers_rows) >= 2
