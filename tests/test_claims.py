"""Claims: numbers reported in the text, found in generated sentences and in the real papers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from curate.extract.citations import extract_citations
from curate.extract.claims import extract_claims
from curate.extract.references import Reference
from tests.conftest import VOCABULARY
from tests.textbody import body


def _kinds(*sentences: str) -> dict[str, dict[str, str]]:
    return {c.kind: c.values for c in extract_claims(body(*sentences), vocabulary=VOCABULARY)}


def test_counts_splits_means_ranges() -> None:
    got = _kinds("A total of 58 patients were enrolled.", "There were 30 male and 28 female patients.", "The mean age was 61.40 years (range: 40 to 80 years).")
    assert got["count"]["n"] == "58"
    assert (got["split"]["a"], got["split"]["b"]) == ("30", "28")
    assert got["mean"]["value"] == "61.40", "printed precision kept"
    assert (got["range"]["lo"], got["range"]["hi"]) == ("40", "80")


def test_effect_with_ci_and_p() -> None:
    got = _kinds("Glucose fell (MD, -0.52; 95% CI, -1.38 to 0.34; P = 0.24).")
    assert got["effect"] == {"measure": "MD", "est": "-0.52", "lo": "-1.38", "hi": "0.34", "pq": "=", "p": "0.24"}
    assert "p_value" not in got, "the p of an effect is not a second claim"


def test_proportion_and_group_definition() -> None:
    got = _kinds("Insulin was stopped in 20 of 64 (31.25%) patients.", "Patients were severe (HbA1c > 8.0%).")
    assert got["proportion"] == {"x": "20", "y": "64", "pct": "31.25"}
    assert got["group"]["name"] == "severe" and got["group"]["op"] == ">" and got["group"]["lo"] == "8.0"


def test_word_numbers_and_no_false_counts() -> None:
    got = extract_claims(body("Four patients took part; two were women and two were men.", "About 424.9 million people and type 2 diabetes patients."))
    kinds = [(c.kind, c.values.get("n") or c.values.get("a")) for c in got]
    assert ("count", "Four") in kinds and ("split", "two") in kinds
    assert not any(v in ("9", "2") for k, v in kinds if k == "count")


def test_count_inside_an_abbreviation_is_not_a_count() -> None:
    """Regression: 'DMT2 patients' was read as a count of 2 patients."""
    got = extract_claims(body("Insulin resistance in DMT2 patients and T-2 patients fell."))
    assert not [c for c in got if c.kind == "count"]


def test_compound_number_words_and_singular_only_after_one() -> None:
    got = extract_claims(body("Twenty-one studies met the criteria; one patient withdrew.", "The 2 study groups differed."))
    counts = {c.values["n"]: c.subject for c in got if c.kind == "count"}
    assert counts == {"Twenty-one": "studies", "one": "patients"}


def test_doses_durations_time_points_percentages_and_categories() -> None:
    entries = [Reference(index=1, first_author="Alpha", authors="Alpha, J.", year=2010)]
    pieces = body(
        "Alpha et al. (2010) gave BM-MSCs at 1.35×10^6 kg to 59% of patients.",
        "Patients were followed for six months (Alpha et al., 2010).",
        "HbA1c improved 12 months after the end of treatment (Alpha et al., 2010).",
    )
    got = {c.kind: c for c in extract_claims(pieces, extract_citations(pieces, [], entries), VOCABULARY)}
    assert got["dose"].values == {"value": "1.35", "exp": "6", "unit": "kg"}
    assert got["percent"].values == {"pct": "59", "what": "patients"}
    assert got["category"].values == {"name": "BM-MSCs"} and got["category"].subject == "cell_product"
    assert got["duration"].values == {"value": "six", "unit": "months"} and got["duration"].subject == "follow_up"
    assert got["timepoint"].values == {"value": "12", "unit": "months"}
    assert "mean" not in got, "'average of 1.35×10^6' is a dose"


def _refs(*sentences: str) -> list[list[int]]:
    entries = [Reference(index=1, first_author="Alpha", authors="Alpha, J.", year=2010), Reference(index=2, first_author="Beta", authors="Beta, K.", year=2012)]
    pieces = body(*sentences)
    by_sentence = {c.sentence: c.refs for c in extract_claims(pieces, extract_citations(pieces, [], entries))}
    return [by_sentence.get(i, []) for i in range(1, len(sentences) + 1)]


def test_a_claim_knows_what_its_sentence_cites() -> None:
    assert _refs("Alpha et al. (2010) treated 10 patients.", "Another 12 patients were treated (Alpha et al., 2010; Beta et al., 2012).") == [[1], [1, 2]]


def test_a_sentence_between_two_about_one_study_is_about_it_too() -> None:
    inherited = _refs("In 10 patients (Alpha et al., 2010).", "Of them 4 patients relapsed.", "The 10 patients were treated (Alpha et al., 2010).")
    assert inherited[1] == [1]
    mixed = _refs("In 10 patients (Alpha et al., 2010).", "Of them 4 patients relapsed.", "The 12 patients were treated (Beta et al., 2012).")
    assert mixed[1] == [], "between two different studies: about neither"


def test_counts_of_studies_carry_their_scope() -> None:
    got = [c.values for c in extract_claims(body("BM-HSC (T1DM, 8 studies, 179 patients), MSC (T1DM, 2 studies, 47 patients; T2DM, 6 studies, 180 patients).", "We found 21 eligible trials."))]
    scopes = [v.get("scope") for v in got if v.get("what") in ("studies", "eligible trials")]
    assert scopes == ["BM-HSC T1DM", "MSC T1DM", "MSC T2DM", None]
    assert got[-1]["whole"] == "yes"


def test_claim_ids_are_unique_and_stable() -> None:
    pieces = body("We saw 2 patients.", "Then 2 patients more.")
    first = [c.claim_id for c in extract_claims(pieces)]
    assert len(set(first)) == len(first) == 2
    assert [c.claim_id for c in extract_claims(pieces)] == first


@pytest.mark.parametrize("paper, kind, values", [
    ("matsuoka2025", "count", {"n": "61", "what": "patients"}),
    ("matsuoka2025", "split", {"a": "42", "ga": "male", "b": "16", "gb": "female"}),
    ("matsuoka2025", "mean", {"value": "7.49", "unit": "%"}),
    ("matsuoka2025", "iqr", {"lo": "15.25", "hi": "45.75", "unit": "months"}),
    ("zhang2019", "effect", {"measure": "MD", "est": "-35.76", "lo": "-40.47", "hi": "-31.04", "pq": "=", "p": "0.13"}),
    ("zhang2019", "proportion", {"x": "20", "y": "64", "pct": "31.25"}),
    ("vinski2023", "split", {"a": "two", "ga": "women", "b": "two", "gb": "men"}),
])
def test_real_papers_report(extracted_papers: Path, paper: str, kind: str, values: dict[str, str]) -> None:
    claims = pd.read_csv(extracted_papers / paper / "claims.csv", dtype=str, keep_default_na=False)
    found = [json.loads(v) for v in claims[claims["kind"] == kind]["values"]]
    assert values in found


def test_afterwards_and_a_fall_in_are_timing_and_change() -> None:
    """Regression: 'afterwards (range 4.6% to 10.9%)' was read as the baseline range and 'the
    fall in HbA1c' as HbA1c itself (the example paper's correlation was linked to the wrong column)."""
    got = extract_claims(body("HbA1c was 6.7% afterwards (range 4.6% to 10.9%).", "The correlation between duration and the fall in HbA1c was 0.041."), vocabulary=VOCABULARY)
    assert "after" in got[0].context.split(";")
    from curate.extract.claims import subject_of

    assert subject_of(got[1].values["y"], VOCABULARY) == ("hba1c", {"change"})
    assert subject_of(got[1].values["y"]) == ("", {"change"}), "without the review, no measure is known"


def test_pattern_hints_are_what_their_word_lists_need() -> None:
    """The words a sentence must hold before the count and score patterns are tried are
    derived from those patterns' own word lists: every word either list matches holds its
    alternative's hint (a hint a match can lack would lose claims silently)."""
    import re

    from curate.extract import claims

    samples = (
        "patient patients participant participants subject subjects case cases individuals people studies study trial trials women men arms eyes controls "
        "respondents responses admissions outpatients inpatients adults children households visits sensitivity specificity accuracy precision recall F1 "
        "Fscore F-score Fmeasure F-measure AUC AUROC Cstatistic C-statistic PPV NPV kappa κ ICC MAP MRR nDCG NDCG BLEU ROUGE ROUGE-L ROUGE-2 RMSE MAE "
        "R2 R² P@1 P@10"
    ).split() + ["ROC AUC", "ROC  AUC"]
    lists = ((claims._COUNTED_NOUNS, claims._COUNTED_HINTS, re.I), (claims._METRICS, claims._METRIC_HINTS, 0))
    for alternatives, hints, flags in lists:
        assert len(hints[0]) == len(alternatives) and all(hints[0])
        for alternative, hint in zip(alternatives, hints[0]):
            matched = [s for s in samples if re.fullmatch(alternative, s, flags)]
            assert matched, f"no sample for {alternative!r}"
            assert all(hint in s.lower() for s in matched), (alternative, hint, matched)
    assert claims._needed(r"F-?score") == "score" and claims._needed("patients?") == "patient" and claims._needed(r"ROUGE(?:-\w+)?") == "rouge"


def test_count_with_digit_groups_set_apart_is_one_number() -> None:
    """Regression: "15 455 patients" (thousands set apart by a space) was no count at all."""
    assert _kinds("A total of 15 455 patients were enrolled.")["count"]["n"] == "15 455"
    assert _kinds("A total of 1\u2009649\u2009692 participants took part.")["count"]["n"] in ("1 649 692", "1\u2009649\u2009692")
    assert "count" not in _kinds("In 2004 150 patients were enrolled.")  # a year and a count, not 2 004 150
