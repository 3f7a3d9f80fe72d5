"""Checks on included studies, on generated papers: a review whose table lists three studies
and a second paper that describes them. Correct texts raise no alarm; planted errors are found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from curate.checks import run_checks
from curate.extract.citations import extract_citations
from curate.extract.claims import extract_claims, write_claims_csv
from curate.extract.references import Reference
from curate.findings import Finding
from tests.conftest import REVIEW_DIR, VOCABULARY
from tests.textbody import body

#: The review's included-studies table: Beta has two arms sharing one control group.
STUDIES = pd.DataFrame([
    dict(label="Alpha 2010 [1]", work_id="w_a", arm=1, diabetes_type="T1DM", n_cell_therapy=10, n_control=10, mean_age_cell_therapy=30.0, mean_age_control=32.0, cell_type="BM-HSC", dose_value=5e6, dose_basis="per_kg", follow_up_printed="12 m", follow_up_months=12.0),
    dict(label="Beta 2012 [2]", work_id="w_b", arm=1, diabetes_type="T2DM", n_cell_therapy=20, n_control=20, mean_age_cell_therapy=50.0, mean_age_control=52.0, cell_type="MSC", dose_value=1e6, dose_basis="per_kg", follow_up_printed="6 m", follow_up_months=6.0),
    dict(label="Beta 2012 [2]", work_id="w_b", arm=2, diabetes_type="T2DM", n_cell_therapy=20, n_control=20, mean_age_cell_therapy=54.0, mean_age_control=52.0, cell_type="BM-MNC", dose_value=1e9, dose_basis="absolute", follow_up_printed="6 m", follow_up_months=6.0),
    dict(label="Gamma 2015 [3]", work_id="w_c", arm=1, diabetes_type="T2DM", n_cell_therapy=15, n_control=None, mean_age_cell_therapy=60.0, mean_age_control=None, cell_type="MSC", dose_value=2e6, dose_basis="absolute", follow_up_printed="24 m", follow_up_months=24.0),
])
ENTRIES = [("Alpha", 2010, "w_a"), ("Beta", 2012, "w_b"), ("Gamma", 2015, "w_c")]

REVIEW = [
    "Three studies met our inclusion criteria.",
    "The studies included patients with T1DM (1 study, 20 patients) or T2DM (2 studies, 75 patients, including 20 controls).",
    "MSC therapy was given in two trials with 35 patients [2, 3].",
    "T2DM (2 studies, mean age 53.6 years).",
]
REVIEW_PLANTED = [
    "Four studies met our inclusion criteria.",
    "The studies included patients with T1DM (1 study, 20 patients) or T2DM (2 studies, 80 patients, including 20 controls).",
    "MSC therapy was given in two trials with 36 patients [2, 3].",
    "T2DM (2 studies, mean age 53.3 years).",
]
OTHER = [
    "In a trial of 20 patients, Alpha et al. (2010) gave hematopoietic stem cells at 5×10^6 cells/kg.",
    "Patients were followed for 12 months (Alpha et al., 2010).",
    "In the study by Gamma et al. (2015), 40% of patients reduced their insulin.",
]
OTHER_PLANTED = [
    "In a trial of 24 patients, Alpha et al. (2010) gave mesenchymal stem cells at 5×10^6 cells.",
    "Patients were followed for 18 months (Alpha et al., 2010).",
    "In the study by Gamma et al. (2015), 45% of patients reduced their insulin.",
]


def _write(tmp: Path, review: list[str], other: list[str]) -> tuple[Path, Path]:
    """raw/ with both papers' claims (their citations resolved to ENTRIES) and curated/ with
    the review's studies table and every entry's work."""
    raw, curated = tmp / "raw", tmp / "curated"
    curated.mkdir(parents=True)
    shutil.copy(REVIEW_DIR / "review.toml", curated)  # the review the dataset is of
    rows = []
    for paper, sentences, numbered in (("review2020", review, True), ("other2021", other, False)):
        entries = [Reference(index=i, label=str(i) if numbered else "", first_author=a, authors=f"{a}, J.", year=y) for i, (a, y, _) in enumerate(ENTRIES, start=1)]
        pieces = body(*sentences)
        (raw / paper).mkdir(parents=True)
        write_claims_csv(extract_claims(pieces, extract_citations(pieces, [], entries), VOCABULARY), raw / paper / "claims.csv")
        rows += [dict(paper_id=paper, index=i, work_id=w) for i, (_, _, w) in enumerate(ENTRIES, start=1)]
    pd.DataFrame(rows).to_csv(curated / "references.csv", index=False)
    STUDIES.assign(paper_id="review2020", table="1", page=1, row=range(1, len(STUDIES) + 1)).to_csv(curated / "studies.csv", index=False)
    return raw, curated


def _study(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.check.startswith("study.")]


def test_correct_papers_raise_no_alarm_and_every_check_verifies(tmp_path: Path) -> None:
    found = _study(run_checks(*_write(tmp_path, REVIEW, OTHER)))
    assert [f.message for f in found if f.severity != "info"] == []
    verified = {f.check for f in found}
    assert verified == {"study.total", "study.cited_total", "study.sample_size", "study.cell_type", "study.dose", "study.follow_up", "study.percent"}
    totals = {f.reported: f.computed for f in found if f.check == "study.total"}
    assert totals == {"Three": 3, "1": 1, "20": 20, "2": 2, "75": 75, "53.6": 53.6}  # 20 controls are the 20 of the last entry


@pytest.mark.parametrize(("check", "reported"), [
    ("study.total", "Four"),  # four studies, the table has three
    ("study.total", "80"),  # T2DM patients: 60 (Beta, shared control once) + 15
    ("study.total", "53.3"),  # (20*50 + 20*54 + 20*52 + 15*60) / 75 = 53.6; 53.3 counts Beta's controls twice
    ("study.cited_total", "36"),  # MSC arms of the cited studies: 20 + 15 treated
    ("study.sample_size", "24"),  # Alpha has 10 treated, 20 in all
    ("study.cell_type", "mesenchymal stem cells"),  # Alpha is BM-HSC
    ("study.dose", "5×10^6 cells"),  # absolute in the text, per kg in the table
    ("study.follow_up", "followed for 18 months"),
    ("study.percent", "45"),  # no k of 15 (or 10 or 25) gives 45%
])
def test_planted_error_is_found(tmp_path: Path, check: str, reported: str) -> None:
    found = _study(run_checks(*_write(tmp_path, REVIEW_PLANTED, OTHER_PLANTED)))
    hits = [f for f in found if f.check == check and f.severity == "warning" and str(f.reported) == reported]
    assert hits, [(f.check, f.reported, f.message) for f in found if f.severity == "warning"]


def test_shared_control_is_counted_once(tmp_path: Path) -> None:
    """Beta's two arms share 20 controls: 'T2DM ... 75 patients' verifies only if they count once."""
    found = _study(run_checks(*_write(tmp_path, REVIEW, OTHER)))
    assert any(f.check == "study.total" and f.reported == "75" and f.severity == "info" for f in found)


def test_a_count_of_studies_the_words_do_not_pick_out_is_not_checked(tmp_path: Path) -> None:
    """'two studies reported fever' names no category of the table and cites nothing."""
    found = _study(run_checks(*_write(tmp_path, ["Two studies reported fever in 12 patients."], OTHER)))
    assert not [f for f in found if f.check == "study.total"]


def test_a_smaller_count_of_a_cited_study_may_be_a_subgroup(tmp_path: Path) -> None:
    """'In two patients from the study (Alpha et al., 2010)' is a subgroup, not a wrong size."""
    found = _study(run_checks(*_write(tmp_path, REVIEW, ["In two patients from the study (Alpha et al., 2010), fever occurred."])))
    assert not [f for f in found if f.check == "study.sample_size"]


def test_real_papers(extracted_papers: Path, tmp_path: Path) -> None:
    """The three papers: zhang2019's totals over its own table verify; what the others say of
    its studies is compared with its table, and the disagreements a reader can confirm are found."""
    from curate.reconcile import reconcile
    from tests.conftest import REVIEW_DIR

    curated = tmp_path / "curated"
    reconcile(extracted_papers, curated, REVIEW_DIR / "mappings")
    found = _study(run_checks(extracted_papers, curated))
    totals = [f for f in found if f.check == "study.total"]
    assert len(totals) >= 20 and all(f.severity == "info" for f in totals), [f.message for f in totals if f.severity != "info"]
    assert {"19.51", "52.91"} <= {f.reported for f in totals}, "mean ages over the T1DM and T2DM studies, weighted by arm size"
    warned = {(f.check, f.paper_id, str(f.reported)) for f in found if f.severity == "warning"}
    assert ("study.cited_total", "zhang2019", "115") in warned  # six cited trials treat 114
    assert ("study.percent", "matsuoka2025", "59") in warned  # no k of 65 gives 59%
    assert ("study.dose", "vinski2023", "1.35×10^6 kg") in warned  # per kg in the text, absolute in the table
    assert sum(1 for c, p, _ in warned if c == "study.cell_type" and p == "vinski2023") == 2  # MSC in the text, MNC in the table
    verified = {f.check for f in found if f.severity == "info"}
    assert {"study.sample_size", "study.follow_up", "study.cell_type", "study.percent", "study.cited_total"} <= verified


def test_patients_after_a_total_over_several_categories_are_its_parts(tmp_path: Path) -> None:
    """Regression: 'Three studies were pooled: one in T1DM with 20 patients and two in T2DM with
    75 patients' compared 20 and 75 with the patients of all three studies."""
    text = ["Three studies were pooled: one in T1DM with 20 patients and two in T2DM with 75 patients."]
    found = _study(run_checks(*_write(tmp_path, text, OTHER)))
    totals = [(f.severity, f.reported) for f in found if f.check == "study.total"]
    assert totals == [("info", "Three")]


def test_a_steward_links_a_claim_to_a_sum_over_the_studies_table(tmp_path: Path) -> None:
    """A link the toolkit cannot infer, written by the steward: '75 patients' is the sum of
    both arms' patients over the T2DM rows (Beta's shared controls counted twice: 95)."""
    raw, curated = _write(tmp_path, REVIEW, OTHER)
    claims = pd.read_csv(raw / "review2020" / "claims.csv", dtype=str, keep_default_na=False)
    claim = claims[claims["span"] == "75 patients"].iloc[0]
    link = dict(claim_id=claim["claim_id"], paper_id="review2020", kind="count", subject="patients", value="n", reported="75", table="studies",
                computation="sum", expression="n_cell_therapy + n_control.fillna(0)", filter="diabetes_type == 'T2DM'", status="steward", note="")
    pd.DataFrame([link]).to_csv(curated / "claims.csv", index=False)
    found = [f for f in run_checks(raw, curated) if f.check == "claim.recomputed"]
    assert [(f.severity, f.computed) for f in found] == [("warning", 95.0)]
