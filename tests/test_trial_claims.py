"""Claims in the language of trials: effects written out and abbreviated, two groups' percentages
side by side, relative changes, medians with their IQR; and numbers that are never counts."""

from __future__ import annotations

import pytest

from curate.extract.claims import extract_claims
from tests.textbody import body


def _claims(sentence: str) -> list[tuple[str, dict[str, str]]]:
    return [(c.kind, c.values) for c in extract_claims(body(sentence))]


@pytest.mark.parametrize(
    "sentence, measure, est, lo, hi, p",
    [
        ("The odds ratio was 1.23, 95% confidence interval 0.95 to 1.60.", "odds ratio", "1.23", "0.95", "1.60", None),
        ("Mortality was lower (HR 0.80, 95% CI 0.70 to 0.91; P < 0.001).", "HR", "0.80", "0.70", "0.91", "0.001"),
        ("The risk ratio was 1.4 (1.1-1.8).", "risk ratio", "1.4", "1.1", "1.8", None),
        ("Adjusted OR = 2.10 (95% CI: 1.30-3.40), p=0.002.", "OR", "2.10", "1.30", "3.40", "0.002"),
        ("The mean difference was -2.1 (95% CI -3.0 to -1.2).", "mean difference", "-2.1", "-3.0", "-1.2", None),
        ("Falls were rarer with the programme (relative risk 0.72, 95% CI 0.60 to 0.87).", "relative risk", "0.72", "0.60", "0.87", None),
    ],
)
def test_effects_written_out_or_abbreviated(sentence: str, measure: str, est: str, lo: str, hi: str, p: str | None) -> None:
    effects = [v for k, v in _claims(sentence) if k == "effect"]
    assert len(effects) == 1
    got = effects[0]
    assert (got["measure"], got["est"], got["lo"], got["hi"], got.get("p")) == (measure, est, lo, hi, p)


def test_two_groups_percentages_side_by_side() -> None:
    assert ("comparison", {"a": "29", "b": "21"}) in _claims("Remission occurred in 29% v 21% of participants.")
    got = dict(_claims("Remission occurred in 29% in the intervention group versus 21% in the control group."))["comparison"]
    assert got == {"a": "29", "ga": "intervention group", "b": "21", "gb": "control group"}
    assert ("comparison", {"a": "29", "b": "21"}) in _claims("Rates were 29% and 21%, respectively.")


def test_relative_change_and_median_with_its_iqr() -> None:
    assert ("relative", {"pct": "40", "direction": "greater", "what": "increase in"}) in _claims("There was a 40% greater increase in activity.")
    got = _claims("The median stay was 4 (IQR 2 to 6) days.")
    assert ("median", {"value": "4"}) in got and ("iqr", {"lo": "2", "hi": "6"}) in got


@pytest.mark.parametrize(
    "sentence",
    [
        "Table 1 further describes the patient flow.",
        "In June 2010 patients attended the clinic.",
        "Figure 2 patients by site are shown.",
        "As shown previously [12] patients improve.",
    ],
)
def test_labels_and_years_are_never_counts(sentence: str) -> None:
    assert not [v for k, v in _claims(sentence) if k == "count"]


def test_four_of_fourteen_is_not_a_median_of_fourteen() -> None:
    assert not [v for k, v in _claims("The median length of stay in four of 14 wards was long.") if k == "median"]
    assert ("proportion", {"x": "Nine", "y": "14", "what": "patients"}) in _claims("Nine of 14 patients improved.")
    counts = [v["n"] for k, v in _claims("A total of 1015 patients were seen in (12 wards) and 2010 patients later.") if k == "count"]
    assert "1015" in counts


def test_ratios_by_any_name_are_centred_on_the_log_scale(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from curate.checks import effects
    from curate.extract.claims import write_claims_csv

    write_claims_csv(extract_claims(body("Falls were rarer (relative risk 0.72, 95% CI 0.60 to 0.87; P < 0.001).", "Visits rose (adjusted rate ratio 1.50, 95% CI 1.20 to 1.87).")), tmp_path / "claims.csv")
    claims = pd.read_csv(tmp_path / "claims.csv", dtype=str, keep_default_na=False).assign(paper_id="trial2024")
    found = list(effects(claims))
    assert {f.check for f in found} == {"claim.effect_ci_centre", "claim.effect_p"} and all(f.severity == "info" for f in found)


def test_a_part_with_its_percentage_after_any_noun() -> None:
    assert ("share", {"x": "50", "pct": "3"}) in _claims("Overall 50 stimulation patterns (about 3 %) were excluded.")
    assert not [v for k, v in _claims("Results for 4 of the (10%) sites differ.") if k == "share"]


def test_lab_values_given_as_a_symbol_with_mean_and_its_plus_minus() -> None:
    got = _claims("Compound A inhibited the N-domain (Ki = 11.21 ± 0.74 nM, n = 5) and the C-domain (Ki =60 826±9 175 nM).")
    means = [v for k, v in got if k == "mean"]
    assert means == [{"value": "11.21", "pm": "0.74", "unit": "nM"}, {"value": "60 826", "pm": "9 175", "unit": "nM"}]
    assert ("mean", {"value": "27.4", "pm": "2.6", "unit": "years"}) in _claims("Subjects were aged 27.4 ± 2.6 years.")
    # a label, a year or a reference number beside a '±' is no mean
    for sentence in ("Table 2 ± 4 shows it.", "In Figure 3 mM values are shown.", "As in ref. 12 ± 3 was used."):
        assert not [v for k, v in _claims(sentence) if k in ("mean", "measure")], sentence


def test_fold_changes_measures_with_units_and_counts_a_table_prints() -> None:
    got = _claims("Selectivity fell to 4-fold, from ∼927-fold, a two-fold drop, at 2.2 Å and 16 °C with 2 molecules per unit (Table 2).")
    assert [v["value"] for k, v in got if k == "fold"] == ["4", "927", "two"]
    assert [(v["value"], v["unit"]) for k, v in got if k == "measure"] == [("2.2", "Å"), ("16", "°C")]
    assert [v["x"] for k, v in got if k == "per"] == ["2"]
    assert ("count", {"n": "three", "what": "crystals"}) in _claims("We grew three crystals (Table 1).")
    # without a table pointer, a count of anything is no claim; a unit must be one ('3 M patients', 'page 5 mm')
    assert _claims("We grew three crystals.") == []
    assert not [v for k, v in _claims("In 3 M patients and on page 5 mm were drawn.") if k == "measure"]


def test_values_in_a_notation_the_sentence_defines() -> None:
    got = _claims("The number of increments (N: mean/median) differed: NA = 2.25/2, NB = 2.71/3 and NC = 1.25/1.")
    assert [v for k, v in got if k == "mean"] == [{"value": "2.25", "median": "2"}, {"value": "2.71", "median": "3"}, {"value": "1.25", "median": "1"}]
    assert [v for k, v in _claims("Scores (median/IQR) were: A = 4/2.") if k == "median"] == []  # an IQR is two numbers: not this notation
    assert not [k for k, _ in _claims("Doses (mean/SD) were high; in 2010/11 they fell.") if k == "mean"]  # a season is no value


def test_a_word_broken_at_a_line_end_reads_whole() -> None:
    got = [(c.kind, c.values) for c in extract_claims(body("We explored 1440 patterns, i.e. 180 patterns in each of the 8 sub-", "jects; twenty-", "one patients declined."))]
    assert ("per", {"x": "180", "what": "patterns", "n": "8", "of": "subjects"}) in got
    assert ("count", {"n": "twenty-one", "what": "patients"}) in got


def test_two_shares_of_one_whole() -> None:
    got = _claims("Of all visits, 41% of the 1077 admissions were during the day shift (8 am to 4 pm) and 59% during the night shift.")
    assert ("percents", {"p1": "41", "p2": "59"}) in got
    assert not [k for k, _ in _claims("Overall 45% of the patients were women and 60% of the patients smoked.") if k == "percents"]


def test_scores_in_a_measure_and_differences_in_points() -> None:
    got = _claims("Our model reaches a MAP score of 71.2 on the co-view task, and 70.4 on co-read, improving by 1.9 and 3.3 points.")
    assert [v for k, v in got if k == "score"] == [{"metric": "MAP", "value": "71.2"}, {"value": "70.4"}]
    assert ("points", {"value": "1.9", "value2": "3.3"}) in got
    got = _claims("On the A (B) set we obtain a 64.1 (59.0) F1 score, a + 1.2 (+0.8) point gain (+2.0 nDCG); sensitivity was 85.2% and kappa = 0.71.")
    assert ("score", {"value": "64.1", "alt": "59.0", "metric": "F1"}) in got and ("points", {"value": "+1.2", "alt": "+0.8"}) in got
    assert ("points", {"value": "+2.0", "metric": "nDCG"}) in got
    assert ("score", {"metric": "sensitivity", "value": "85.2"}) in got and ("score", {"metric": "kappa", "value": "0.71"}) in got
    # a year or a table number before a measure's name is no score; 'and 12 on site' is one only after a score; '+3 patients' is no gain in points
    assert not [k for k, _ in _claims("Since 2019 F1 ranks rose; Table 3 F1 is high; prices fell, and 12 on site were hit; +3 patients came.") if k in ("score", "points")]
