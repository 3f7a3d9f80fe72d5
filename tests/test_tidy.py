"""Raw tables -> curated tables through the shipped mappings, on the real papers' extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.tidy import MappingError, apply_mapping, load_mapping, load_mappings
from tests.conftest import REVIEW_DIR

MAPPINGS = REVIEW_DIR / "mappings"


@pytest.fixture(scope="module")
def tidy(extracted_papers: Path) -> dict[str, object]:
    out = {}
    for mapping in load_mappings(MAPPINGS):
        frame, issues = apply_mapping(mapping, extracted_papers)
        out[mapping.target] = (frame, issues)
    return out


def test_patients_one_row_per_printed_row_with_provenance(tidy: dict) -> None:
    frame, issues = tidy["patients.csv"]
    assert issues == []
    assert len(frame) == 58
    assert list(frame["row"]) == list(range(1, 59))
    assert set(frame["sex"]) == {"M", "F"}
    assert frame["page"].is_monotonic_increasing and frame["page"].nunique() >= 2
    assert (frame["hba1c_before_printed"].astype(float) == frame["hba1c_before"]).all()


def test_case_series_drops_empty_visits(tidy: dict) -> None:
    frame, issues = tidy["case_series.csv"]
    assert issues == []
    per_patient = frame.groupby("patient")["visit"].max().to_dict()
    assert per_patient == {"A": 2, "B": 2, "C": 3, "D": 2}
    assert frame[["hba1c_percent", "glucose_mg_dl"]].notna().all().all()
    assert set(frame["table"]) == {"1;2"}


def test_studies_arms_doses_and_follow_up(tidy: dict) -> None:
    frame, issues = tidy["studies.csv"]
    assert len(frame) == 22
    shared = frame[frame["label"].duplicated(keep=False)]
    assert len(shared) == 2 and sorted(shared["arm"]) == [1, 2], "an arm sharing its study's label"
    assert set(frame["dose_basis"].dropna()) == {"per_kg", "absolute"}
    weeks = frame[frame["follow_up_printed"].str.endswith("w")]
    assert ((weeks["follow_up_months"] > 2) & (weeks["follow_up_months"] < 3)).all()
    assert all(i.printed == "New onset" for i in issues), issues


def test_unknown_header_is_a_clear_error(tmp_path: Path, extracted_papers: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('target = "x.csv"\n[[sources]]\npaper = "matsuoka2025"\ntable = 1\n[sources.columns]\nage = { from = "Years" }\n')
    with pytest.raises(MappingError, match="has no column 'Years'"):
        apply_mapping(load_mapping(bad), extracted_papers)


def test_table_number_is_a_plain_number_only() -> None:
    """'Table 2a' and 'Table S1' are captions of other tables than 'Table 2': a mapping of
    table 2 does not read them as its parts."""
    from curate.tidy import table_number

    assert [table_number(c) for c in ["Table 2. Baseline", "TABLE 2 (continued)", "Table 2a. Subgroups", "Table S1", "Table A.2: Ages"]] == [2, 2, None, None, None]
