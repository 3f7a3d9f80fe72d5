"""Consistency checks on generated papers with planted errors, and no false alarms on a correct one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from curate.checks import run_checks
from curate.claimlinks import refresh_links
from curate.extract.claims import extract_claims, write_claims_csv
from curate.rounding import matches, tolerance
from tests.conftest import REVIEW_DIR, VOCABULARY
from tests.textbody import body


def _paper(tmp: Path, sentences: list[str], patients: pd.DataFrame) -> tuple[Path, Path]:
    """raw/ with one paper's claims and curated/ with its patient table."""
    raw, curated = tmp / "raw", tmp / "curated"
    (raw / "paper2020").mkdir(parents=True)
    curated.mkdir()
    shutil.copy(REVIEW_DIR / "review.toml", curated)  # the review the dataset is of
    write_claims_csv(extract_claims(body(*sentences), vocabulary=VOCABULARY), raw / "paper2020" / "claims.csv")
    frame = patients.assign(paper_id="paper2020", table="1", page="1", row=range(1, len(patients) + 1))
    frame.to_csv(curated / "patients.csv", index=False)
    refresh_links(raw, curated)
    return raw, curated


def _cohort() -> pd.DataFrame:
    """Ten patients: 6 M, 4 F; ages 50..59 (mean 54.5); HbA1c before 6.5..11.0 (mean 8.48), after 1 lower."""
    before = [6.5, 7.0, 7.5, 7.8, 8.0, 8.5, 9.0, 9.5, 10.0, 11.0]
    return pd.DataFrame({
        "sex": ["M"] * 6 + ["F"] * 4,
        "age": list(range(50, 60)),
        "hba1c_before": before,
        "hba1c_after": [b - 1 for b in before],
        "months_observed": [6, 12, 12, 18, 24, 24, 30, 36, 40, 48],
    })


CORRECT = [
    "A total of 10 patients were included.",
    "There were 6 male and 4 female patients.",
    "The mean age was 54.5 years (range: 50 to 59 years).",
    "Before treatment, the mean HbA1c level was 8.48%.",
    "Patients were moderate (HbA1c 6.5-8%) or severe (HbA1c >8%).",
    "In the severe group, the mean HbA1c reduction was 1.00%.",
    "The correlation between age and baseline HbA1c was 0.988.",
]


def _by_severity(findings: list) -> dict[str, list]:
    out: dict[str, list] = {"error": [], "warning": [], "info": []}
    for f in findings:
        out[f.severity].append(f)
    return out


def test_a_correct_paper_raises_no_alarm(tmp_path: Path) -> None:
    raw, curated = _paper(tmp_path, CORRECT, _cohort())
    found = _by_severity(run_checks(raw, curated))
    assert found["error"] == [] and found["warning"] == [], [f.message for f in found["error"] + found["warning"]]
    checks = {f.check for f in found["info"]}
    assert {"claim.recomputed", "claim.parts_vs_whole", "claim.grim"} <= checks
    assert len([f for f in found["info"] if f.check == "claim.recomputed"]) >= 7


def test_reported_count_differs_from_rows(tmp_path: Path) -> None:
    text = ["A total of 12 patients were included.", "There were 6 male and 4 female patients."]
    raw, curated = _paper(tmp_path, text, _cohort())
    errors = [f for f in run_checks(raw, curated) if f.severity == "error"]
    assert any(f.check == "claim.recomputed" and f.reported == "12" and f.computed == 10 for f in errors)
    assert any(f.check == "claim.parts_vs_whole" and f.reported == "12" and f.computed == 10 for f in errors)


def test_mean_not_reproduced_to_printed_precision(tmp_path: Path) -> None:
    raw, curated = _paper(tmp_path, ["Before treatment, the mean HbA1c level was 8.50%."], _cohort())
    flagged = [f for f in run_checks(raw, curated) if f.check == "claim.recomputed" and f.severity == "warning"]
    assert flagged and flagged[0].computed == pytest.approx(8.48)


def test_subgroup_reproduces_only_under_another_boundary(tmp_path: Path) -> None:
    # The 8.0 patient's HbA1c falls by 3, the others' by 1: over "> 8" (5 patients) the mean
    # reduction is 1.00; over ">= 8" (6 patients) it is 8/6 = 1.33, the printed figure.
    cohort = _cohort()
    cohort.loc[cohort["hba1c_before"] == 8.0, "hba1c_after"] = 5.0
    text = ["Patients were moderate (HbA1c 6.5-8%) or severe (HbA1c >8%).", "In the severe group, the mean HbA1c reduction was 1.33%."]
    raw, curated = _paper(tmp_path, text, cohort)
    boundary = [f for f in run_checks(raw, curated) if f.check == "claim.group_boundary"]
    assert boundary and "hba1c_before >= 8" in boundary[0].message


def test_effect_whose_p_contradicts_its_ci(tmp_path: Path) -> None:
    text = ["Insulin fell (MD, -35.76; 95% CI, -40.47 to -31.04; P = 0.13).", "Glucose fell (MD, -0.52; 95% CI, -1.38 to 0.34; P = 0.24)."]
    raw, curated = _paper(tmp_path, text, _cohort())
    effects = {(f.check, f.severity, f.reported) for f in run_checks(raw, curated) if f.check.startswith("claim.effect")}
    assert ("claim.effect_p", "error", "= 0.13") in effects
    assert ("claim.effect_p", "info", "= 0.24") in effects
    assert ("claim.effect_ci_centre", "info", "-0.52") in effects


def test_proportion_arithmetic(tmp_path: Path) -> None:
    text = ["Insulin stopped in 20 of 64 (31.25%) patients.", "It recurred in 9 of 30 (33.3%) patients."]
    raw, curated = _paper(tmp_path, text, _cohort())
    found = {(f.reported, f.severity) for f in run_checks(raw, curated) if f.check == "claim.proportion"}
    assert found == {("31.25", "info"), ("33.3", "error")}


def test_off_centre_ci(tmp_path: Path) -> None:
    raw, curated = _paper(tmp_path, ["It rose (MD, 0.50; 95% CI, 0.10 to 0.70)."], _cohort())
    assert any(f.check == "claim.effect_ci_centre" and f.severity == "warning" for f in run_checks(raw, curated))


def test_standard_deviation_and_n_in_brackets(tmp_path: Path) -> None:
    """'54.5 ± 3.03' is a mean and a sample SD; 'patients (n = 12)' a count of the cohort."""
    text = ["The mean age was 54.5 ± 3.03 years.", "Before treatment, the mean HbA1c was 8.48% (SD 2.5).", "We treated patients (n = 12) with cells."]
    raw, curated = _paper(tmp_path, text, _cohort())
    found = {(f.reported, f.severity) for f in run_checks(raw, curated) if f.check == "claim.recomputed"}
    assert {("54.5", "info"), ("3.03", "info"), ("8.48", "info"), ("2.5", "warning"), ("12", "error")} <= found


def test_a_part_with_its_percentage_against_the_cohort_counted_before_it(tmp_path: Path) -> None:
    text = [
        "Of the 169 patients who received cells, most had mild effects.",
        "However, 10 patients (5.9%) reported infection, 3 (1.8%) had fever, and 2 (0.59%) died.",
        "Independence was seen in 3 of 15 patients (20%), and in 8 patients (53.3%) the dose fell.",
    ]
    raw, curated = _paper(tmp_path, text, _cohort())
    found = {(f.reported, f.severity) for f in run_checks(raw, curated) if f.check == "claim.share"}
    assert found == {("5.9", "info"), ("1.8", "info"), ("0.59", "warning"), ("53.3", "info")}


def test_correlation_recomputed(tmp_path: Path) -> None:
    """Pearson's r between the two measures the sentence names, to the printed precision."""
    raw, curated = _paper(tmp_path, ["The correlation between age and baseline HbA1c was 0.95."], _cohort())
    found = [f for f in run_checks(raw, curated) if f.check == "claim.recomputed"]
    assert [(f.severity, f.computed) for f in found] == [("warning", pytest.approx(0.988182, abs=1e-6))]
    assert "corr(age; hba1c_before)" in found[0].message


def test_unknown_computation_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    raw, curated = _paper(tmp_path, ["A total of 10 patients were included."], _cohort())
    links = pd.read_csv(curated / "claims.csv", dtype=str, keep_default_na=False)
    links.assign(computation="mode", status="steward").to_csv(curated / "claims.csv", index=False)
    found = [f for f in run_checks(raw, curated) if f.check == "claim.recomputed"]
    assert found and "unknown computation 'mode'" in found[0].message


def test_rounding_tolerance() -> None:
    assert tolerance("7.49") == pytest.approx(0.005) and tolerance("58") == 0.5
    assert matches("7.49", 7.4851) and matches("7.49", 7.4949) and not matches("7.49", 7.495)
    assert matches("58", 58.0, integer=True) and not matches("61", 58.0, integer=True)


def _refs(tmp: Path, refs: list[dict], cites: list[dict]) -> Path:
    raw = tmp / "raw"
    (raw / "paper2020").mkdir(parents=True)
    pd.DataFrame(refs).to_csv(raw / "paper2020" / "references.csv", index=False)
    pd.DataFrame(cites).to_csv(raw / "paper2020" / "citations.csv", index=False)
    return raw


def test_reference_list_checks(tmp_path: Path) -> None:
    ref = dict(label="", authors="", venue="", volume="", issue="", pages="", doi="", raw="", pages_in_pdf="[]", bbox="[]", confidence=1)
    refs = [
        {**ref, "index": 1, "first_author": "Smith", "year": 2001, "title": "A trial of cells"},
        {**ref, "index": 2, "first_author": "Jones", "year": 2005, "title": "Another trial"},
        {**ref, "index": 3, "first_author": "Smith", "year": 2001, "title": "A trial of cells."},
        {**ref, "index": 4, "first_author": "Lee", "year": 2010, "title": "Uncited work", "label": "4"},
    ]
    cite = dict(bbox="[1, 1, 2, 2]", kind="author-year", label="", score=1.0, candidate="")
    cites = [
        {**cite, "index": 1, "page": 1, "where": "body", "text": "(Smith et al., 2001)", "author": "Smith", "year": "2001", "reference": 1, "status": "resolved"},
        {**cite, "index": 2, "page": 1, "where": "body", "text": "(Brown et al., 2003)", "author": "Brown", "year": "2003", "reference": "", "status": "unresolved", "candidate": 2, "score": 0.3},
        {**cite, "index": 3, "page": 2, "where": "table 1", "text": "Jones 2004 [2]", "author": "Jones", "year": "2004", "reference": 2, "status": "resolved", "kind": "numeric"},
    ]
    raw = _refs(tmp_path, refs, cites)
    found = {(f.check, f.severity) for f in run_checks(raw, tmp_path / "curated")}
    assert ("citation.unresolved", "warning") in found
    assert ("reference.duplicate", "warning") in found
    assert ("reference.uncited", "info") in found
    assert ("citation.label_year", "warning") in found


def test_real_papers_findings(extracted_papers: Path, tmp_path: Path) -> None:
    """What must be found in the three papers (the list is not exhaustive)."""
    from curate.reconcile import reconcile
    from tests.conftest import REVIEW_DIR

    curated = tmp_path / "curated"
    reconcile(extracted_papers, curated, REVIEW_DIR / "mappings")
    findings = run_checks(extracted_papers, curated)
    errors = [(f.check, f.paper_id, str(f.reported), str(f.computed)) for f in findings if f.severity == "error"]
    assert ("claim.recomputed", "matsuoka2025", "61", "58.0") in errors
    assert any(c == "claim.parts_vs_whole" and p == "matsuoka2025" and r == "61" and v == "58.0" for c, p, r, v in errors)
    unresolved = [f for f in findings if f.check == "citation.unresolved" and f.paper_id == "vinski2023"]
    assert any("Madec" in f.message and "2009" in f.message for f in unresolved)
    years = [f for f in findings if f.check == "citation.label_year" and f.paper_id == "zhang2019"]
    assert len(years) >= 2
