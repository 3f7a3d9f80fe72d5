"""The text against its own tables and against itself, with no mapping: planted disagreements
found, agreeing papers silent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from curate.extract.claims import extract_claims, write_claims_csv
from curate.textchecks import measure, text_checks
from tests.textbody import body

TABLE = [
    ["Outcome", "Intervention (n=384)", "Control (n=380)", "Odds ratio (95% CI)", "P value"],
    ["Remission", "111 (28.9)", "80 (21.1)", "1.23 (0.95 to 1.60)", "0.12"],
    ["Readmission", "40 (10.4)", "61 (16.1)", "0.61 (0.40 to 0.93)", "0.02"],
]


def _paper(tmp: Path, sentences: list[str], table: list[list[str]] = TABLE) -> Path:
    folder = tmp / "raw" / "trial2024"
    (folder / "tables").mkdir(parents=True)
    write_claims_csv(extract_claims(body(*sentences)), folder / "claims.csv")
    with (folder / "tables" / "table_2.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(table)
    (folder / "tables.json").write_text(json.dumps([{"file": "tables/table_2.csv", "caption": "Table 2 Outcomes", "pages": [5]}]), encoding="utf-8")
    return tmp / "raw"


def _alarms(raw: Path) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in text_checks(raw) if f.severity != "info"]


AGREEING = [
    "Remission was more frequent with the intervention (odds ratio 1.23, 95% confidence interval 0.95 to 1.60).",
    "Remission occurred in 28.9% in the intervention group v 21.1% in the control group.",
    "Readmission was less frequent (OR 0.61, 95% CI 0.40 to 0.93; P = 0.02).",
]


def test_an_agreeing_paper_raises_no_alarm(tmp_path: Path) -> None:
    findings = text_checks(_paper(tmp_path, AGREEING))
    assert [f for f in findings if f.severity != "info"] == []
    assert {f.check for f in findings} == {"text.repeated_effect", "text.group_order"}


def test_an_abstract_whose_effect_differs_from_the_results_and_the_table(tmp_path: Path) -> None:
    abstract = "The intervention raised remission (OR 1.32, 95% CI 0.95 to 1.60)."
    findings = [f for f in text_checks(_paper(tmp_path, [abstract, *AGREEING])) if f.severity == "warning"]
    assert len(findings) == 2 and all(f.check == "text.repeated_effect" for f in findings)
    assert {r.file for f in findings for r in f.related} == {"claims.csv", "tables/table_2.csv"}


def test_groups_in_the_opposite_order_to_the_table(tmp_path: Path) -> None:
    swapped = "Remission occurred in 21.1% in the intervention group versus 28.9% in the control group."
    assert _alarms(_paper(tmp_path, [swapped])) == [("text.group_order", "warning")]


def test_measures_by_any_name() -> None:
    assert [measure(t) for t in ("Adjusted odds ratio (95% CI)", "aOR", "HR", "relative risk", "Mean difference", "Outcome")] == ["OR", "OR", "HR", "RR", "MD", None]


def test_shares_listed_in_one_sentence_add_up(tmp_path: Path) -> None:
    raw = _paper(tmp_path, ["Overall, 59% rated it very good, 40% as good and only 1% as poor.", "Of 80 visitors 51% came by car, 34% by bus and 25% on foot."])
    found = [(f.check, f.severity) for f in text_checks(raw) if f.check == "text.percent_sum"]
    assert found == [("text.percent_sum", "info"), ("text.percent_sum", "warning")]


def test_a_count_split_into_named_parts(tmp_path: Path) -> None:
    raw = _paper(tmp_path, ["The team had seven medical doctors (four expatriates and three nationals).", "There were 12 nurses (5 midwives and 8 technicians)."])
    found = [(f.check, f.severity) for f in text_checks(raw) if f.check == "text.parts"]
    assert found == [("text.parts", "info"), ("text.parts", "error")]


def test_a_number_given_with_a_row_label_against_the_table(tmp_path: Path) -> None:
    agreeing = ["Remission occurred in 111 (28.9%) patients of the intervention group.", "Readmission was seen in 16.1% of patients in the control group (Table 2)."]
    findings = [f for f in text_checks(_paper(tmp_path / "a", agreeing)) if f.check == "text.table_value"]
    assert len(findings) == 3 and all(f.severity == "info" for f in findings)
    wrong = ["Remission was seen in 29.8% of patients (table 2)."]  # no cell of the row prints it
    found = [f for f in text_checks(_paper(tmp_path / "b", wrong)) if f.severity != "info"]
    assert [(f.check, f.related[0].file, f.related[0].row) for f in found] == [("text.table_value", "tables/table_2.csv", 1)]
    swapped = ["Readmission was seen in 16.1% of patients in the intervention group."]  # the control group's
    found = [f for f in text_checks(_paper(tmp_path / "c", swapped)) if f.severity != "info"]
    assert [f.check for f in found] == ["text.table_value"] and "swapped" in found[0].message
    unnamed = ["Remission was seen in 29.8% of patients."]  # no group, no pointer: nothing to say
    assert [f for f in text_checks(_paper(tmp_path / "d", unnamed)) if f.check == "text.table_value"] == []


def test_the_same_quantity_of_any_kind_given_twice(tmp_path: Path) -> None:
    def alarms(sentences: list[str], sub: str) -> list[str]:
        return [f.severity for f in text_checks(_paper(tmp_path / sub, sentences, [["Outcome", "A"]])) if f.check == "text.repeated_value"]

    agreeing = ["The mean length of stay was 6.4 days in the ward.", "The median waiting time was 12 days at the clinic.", "Satisfaction was 29% v 21% among the nurses.",
                "The mean length of stay was 6.4 days in the ward again.", "The median waiting time was 12 days at the clinic again.", "Satisfaction was 29% v 21% among the nurses again."]
    assert alarms(agreeing, "a") == ["info"] * 3
    slips = ["The mean length of stay was 6.4 days in the ward.", "The median waiting time was 12 days at the clinic.", "Satisfaction was 29% v 21% among the nurses.",
             "The mean length of stay was 4.6 days in the ward.", "The median waiting time was 13 days at the clinic.", "Satisfaction was 21% v 29% among the nurses."]
    assert alarms(slips, "b") == ["warning"] * 3
    different = ["The mean length of stay was 6.4 days in the ward.", "The mean length of stay was 19.0 days in the ward."]  # not a slip: another figure
    assert alarms(different, "c") == []


def test_two_groups_named_in_order_then_their_numbers_respectively(tmp_path: Path) -> None:
    def table_value(sentence: str, sub: str) -> list[tuple[str, str]]:
        return [(f.severity, f.message) for f in text_checks(_paper(tmp_path / sub, [sentence])) if f.check == "text.table_value"]

    assert [s for s, _ in table_value("Remission in the intervention and control groups was 28.9% and 21.1%, respectively.", "a")] == ["info", "info"]
    swapped = table_value("Remission in the intervention and control groups was 21.1% and 28.9%, respectively.", "b")
    assert [s for s, _ in swapped] == ["warning", "warning"] and all("swapped" in m for _, m in swapped)
    assert [s for s, _ in table_value("Remission in the control and intervention groups was 21.1% and 28.9%, respectively.", "c")] == ["info", "info"]


def test_two_shares_of_one_whole_and_so_many_for_each(tmp_path: Path) -> None:
    sentences = ["41% of the 1077 admissions were during the day shift and 59% during the night shift.",
                 "45% of the patients were women and 60% were smokers.",
                 "40% of the 300 visits were by day and the remaining 70% were at night.",
                 "We explored 1440 stimulation patterns, i.e. 180 patterns in each of the 8 subjects.",
                 "We recorded 1400 stimulation patterns, i.e. 180 patterns in each of the 8 subjects."]
    found = [(f.check, f.severity, f.computed) for f in text_checks(_paper(tmp_path, sentences)) if f.check in ("text.percent_sum", "text.product")]
    assert found == [("text.percent_sum", "info", 100), ("text.percent_sum", "info", 100), ("text.percent_sum", "warning", 100),
                     ("text.product", "info", 1440), ("text.product", "warning", 1440)]


def test_a_lab_value_against_its_table_cell(tmp_path: Path) -> None:
    table = [["Construct", "A Ki (nM)", "B Ki (nM)"], ["N-domain", "21. 03±0.27", "11.21±0.74"], ["C-domain", "60 826±9 175", "10 395±593"]]
    agreeing = ["Compound B inhibited the C-domain (Ki = 10 395 ± 593 nM; Table 2)."]
    found = [(f.severity, f.reported) for f in text_checks(_paper(tmp_path / "a", agreeing, table)) if f.check == "text.table_value"]
    assert found == [("info", "10 395"), ("info", "593")]
    slipped = ["Compound B inhibited the C-domain (Ki = 10 359 ± 593 nM; Table 2)."]
    found = [(f.severity, f.reported) for f in text_checks(_paper(tmp_path / "b", slipped, table)) if f.check == "text.table_value"]
    assert found == [("warning", "10 359"), ("info", "593")]
    as_se = ["Compound B inhibited the C-domain (Ki = 10 395 ± 342 nM; Table 2)."]  # an SE where the table prints the SD: no alarm
    found = [(f.severity, f.reported) for f in text_checks(_paper(tmp_path / "c", as_se, table)) if f.check == "text.table_value"]
    assert found == [("info", "10 395")]


def test_a_score_the_text_gives_for_a_model_against_its_table_cell(tmp_path: Path) -> None:
    table = [["Model", "Linking MAP", "Linking nDCG", "Ranking MAP", "Ranking nDCG"], ["Baseline (2018)", "70.1", "85.0", "68.2", "84.4"], ["Ours (this work)", "72.6", "86.1", "71.0", "85.5"]]
    agreeing = ["Ours achieves a MAP score of 72.6 on the linking task, improving over the baseline by 2.5 points."]
    found = [(f.severity, f.reported) for f in text_checks(_paper(tmp_path / "a", agreeing, table)) if f.check == "text.table_value"]
    assert found == [("info", "72.6")]
    slipped = ["Ours achieves a MAP score of 72.8 on the linking task, improving over the baseline by 2.7 points."]
    found = [(f.severity, f.reported, f.computed) for f in text_checks(_paper(tmp_path / "b", slipped, table)) if f.check == "text.table_value"]
    assert found == [("warning", "72.8", "72.6")]
    unnamed = ["A model achieves a MAP score of 72.8 on the linking task."]  # no row named: nothing to say
    assert [f for f in text_checks(_paper(tmp_path / "c", unnamed, table)) if f.check == "text.table_value"] == []
