"""Table arithmetic with no mapping: generated tables, correct ones (no alarm) and ones with one
planted error of each kind (found, at its row and column)."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import pytest

from curate.cells import form_of, header_n, read_cell
from curate.findings import Finding
from curate.tablechecks import implied_p, table_checks
from curate.validate import validate


def _write(raw: Path, rows: list[list[str]], caption: str = "Table 1 Baseline characteristics", paper: str = "trial2024") -> Path:
    folder = raw / paper
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    with (folder / "tables" / "table_1.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    meta = [{"file": "tables/table_1.csv", "caption": caption, "pages": [3], "n": 1}]
    (folder / "tables.json").write_text(json.dumps(meta), encoding="utf-8")
    return raw


def _pct(n: int, d: int, decimals: int) -> str:
    return f"{math.floor(100 * n / d * 10**decimals + 0.5) / 10**decimals:.{decimals}f}"


def baseline(seed: int, decimals: int = 1, style: str = "n (%)") -> list[list[str]]:
    """A two-arm baseline table with a total column, built from random facts so every number adds up."""
    rng = random.Random(seed)
    arms = [rng.randint(40, 400), rng.randint(40, 400)]
    total = sum(arms)
    header = ["Characteristic", f"Intervention (n={arms[0]})", f"Control (n={arms[1]})", f"Total (n={total})"]
    rows = [header]
    ages = [round(rng.uniform(30, 70), 1) for _ in arms]
    rows.append(["Age, years, mean (SD)", *(f"{a} ({rng.uniform(5, 12):.1f})" for a in ages), f"{(ages[0] * arms[0] + ages[1] * arms[1]) / total:.1f} ({rng.uniform(5, 12):.1f})"])
    for variable, k in (("Sex, n (%)", 2), ("Smoking status, n (%)", 3), ("Education, n (%)", 4)):
        rows.append([variable, "", "", ""])
        splits = []
        for n in arms:
            cuts = sorted(rng.sample(range(1, n), k - 1))
            splits.append([b - a for a, b in zip([0, *cuts], [*cuts, n])])
        for c in range(k):
            counts = [splits[0][c], splits[1][c]]
            cells = [_cell(x, d, decimals, style) for x, d in zip([*counts, sum(counts)], [*arms, total])]
            rows.append([f"Category {c + 1}", *cells])
    median, q1, q3 = rng.randint(5, 9), rng.randint(1, 4), rng.randint(10, 15)
    rows.append(["Duration, median [IQR]", f"{median} [{q1}-{q3}]", f"{median + 1} [{q1}-{q3 + 1}]", f"{median} [{q1}-{q3}]"])
    return rows


def _cell(n: int, d: int, decimals: int, style: str) -> str:
    if style == "n/N (%)":
        return f"{n}/{d} ({_pct(n, d, decimals)})"
    if style == "n (%)":
        return f"{n} ({_pct(n, d, decimals)})"
    return f"{n} ({_pct(n, d, decimals)}%)"


def effects_table(seed: int) -> list[list[str]]:
    """Effect estimates with 95% CIs and the p they imply (ratios centred on the log scale)."""
    rng = random.Random(seed)
    rows = [["Outcome", "Odds ratio (95% CI)", "P value", "Mean difference (95% CI)", "P"]]
    for i in range(4):
        est, se = math.exp(rng.uniform(-0.8, 0.8)), rng.uniform(0.1, 0.3)
        lo, hi = est * math.exp(-1.96 * se), est * math.exp(1.96 * se)
        p = 2 * (1 - 0.5 * (1 + math.erf(abs(math.log(est)) / se / math.sqrt(2))))
        md, sd = rng.uniform(-5, 5), rng.uniform(0.5, 2)
        pm = 2 * (1 - 0.5 * (1 + math.erf(abs(md) / sd / math.sqrt(2))))
        rows.append([f"Outcome {i + 1}", f"{est:.2f} ({lo:.2f} to {hi:.2f})", _p(p), f"{md:.1f} ({md - 1.96 * sd:.1f} to {md + 1.96 * sd:.1f})", _p(pm)])
    return rows


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _alarms(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity != "info"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("style", ["n (%)", "n/N (%)", "n (%%)"])
def test_correct_tables_raise_no_alarm(tmp_path: Path, seed: int, style: str) -> None:
    rows = baseline(seed, decimals=seed % 2, style=style.replace("%%", "%"))
    findings = table_checks(_write(tmp_path, rows))
    assert _alarms(findings) == []
    checks = {f.check for f in findings}
    assert {"table.percent", "table.categories", "table.total"} <= checks  # they ran, and verified
    findings = table_checks(_write(tmp_path / "e", effects_table(seed), "Table 2 Outcomes"))
    assert _alarms(findings) == [], [f.message for f in _alarms(findings)]
    assert {"table.interval", "table.ci_p"} <= {f.check for f in findings}


def _find(rows: list[list[str]], label: str) -> int:
    return next(i for i, r in enumerate(rows) if r[0] == label)


def _planted(tmp_path: Path, rows: list[list[str]], caption: str = "Table 1 Baseline") -> list[Finding]:
    return _alarms(table_checks(_write(tmp_path, rows, caption)))


def test_a_percentage_off_its_column_n_is_an_error(tmp_path: Path) -> None:
    rows = baseline(1)
    i = _find(rows, "Category 2")
    n = int(rows[i][1].split()[0])
    rows[i][1] = f"{n} ({_pct(n, header_n(rows[0][1]) + 40, 1)})"  # type: ignore[operator]
    found = _planted(tmp_path, rows)
    assert [(f.check, f.severity, f.location.row, f.location.column) for f in found if f.check == "table.percent"] == [("table.percent", "error", i, rows[0][1])]


def test_a_fraction_whose_percentage_is_wrong(tmp_path: Path) -> None:
    rows = baseline(2, style="n/N (%)")
    i = _find(rows, "Category 1")
    n, rest = rows[i][2].split("/")
    rows[i][2] = f"{n}/{rest.split()[0]} ({float(_pct(int(n), int(rest.split()[0]), 1)) + 2.0:.1f})"
    found = _planted(tmp_path, rows)
    assert any(f.check == "table.percent" and f.location.row == i and f.location.column == rows[0][2] for f in found)


def test_percentages_over_the_column_n_when_a_footnote_names_the_denominator(tmp_path: Path) -> None:
    rows = [["Characteristic", "Intervention (n=384)", "Control (n=380)"], ["Current smoker*", "76 (19.8)", "70 (18.4)"], ["Diabetes", "40 (10.4)", "38 (10.0)"]]
    found = _planted(tmp_path, rows, "Table 1 Baseline * Percentages of the 300 participants with data on smoking")
    assert {(f.check, f.severity, f.location.row) for f in found} == {("table.percent", "error", 1)}
    assert len(found) == 2 and "footnote" in found[0].message
    rows[1][1:] = ["76 (25.3)", "70 (23.3)"]  # now over the footnote's 300: correct
    assert _planted(tmp_path, rows, "Table 1 Baseline * Percentages of the 300 participants with data on smoking") == []


def test_categories_that_add_to_110_percent(tmp_path: Path) -> None:
    rows = [["Item", "Yes (%)", "No (%)", "Respondents"]]
    rng = random.Random(3)
    for i in range(8):
        n = rng.randint(50, 99)
        k = rng.randint(1, n - 1)
        rows.append([f"Item {i}", _pct(k, n, 1), _pct(n - k, n, 1), str(n)])
    assert _planted(tmp_path, rows) == []
    yes = float(rows[4][1])
    rows[4][2] = f"{110 - yes:.1f}"
    found = _planted(tmp_path, rows)
    assert ("table.categories", "error", 4) in {(f.check, f.severity, f.location.row) for f in found}


def test_a_percentage_no_whole_count_gives(tmp_path: Path) -> None:
    rows = [["Item", "Yes (%)", "No (%)", "n"], ["A", "60.5", "39.5", "76"], ["B", "50.0", "50.0", "40"], ["C", "25.0", "75.0", "40"]]
    assert _planted(tmp_path, rows) == []
    rows[1][2] = "39.4"  # 30/76 is 39.47, so 39.5; 39.4 is no count of 76 (and 60.5 + 39.4 rounds to 100)
    found = _planted(tmp_path, rows)
    assert [(f.check, f.severity, f.location.row, f.location.column) for f in found] == [("table.percent_possible", "warning", 1, "No (%)")]


def test_a_block_of_categories_over_100_and_counts_over_n(tmp_path: Path) -> None:
    rows = baseline(4)
    i = _find(rows, "Smoking status, n (%)")
    n0 = header_n(rows[0][1])
    assert n0 is not None
    first = int(rows[i + 1][1].split()[0]) + 15
    rows[i + 1][1] = f"{first} ({_pct(first, n0, 1)})"
    found = _planted(tmp_path, rows)
    block = [f for f in found if f.check == "table.categories"]
    assert {(f.severity, f.location.row, f.location.column) for f in block} == {("error", i, rows[0][1]), ("warning", i, rows[0][1])} or {(f.severity, f.location.row) for f in block} == {("error", i)}
    assert any(f.check == "table.total" and f.location.row == i + 1 for f in found)  # the total column no longer adds up


def test_totals_that_do_not_add_up(tmp_path: Path) -> None:
    rows = baseline(5)
    rows[0][3] = rows[0][3].replace("n=", "n=1")
    found = _planted(tmp_path, rows)
    assert [(f.check, f.location.row) for f in found if f.check == "table.total"] == [("table.total", None)]
    counts = [["Site", "Men", "Women", "All"], ["North", "12", "14", "26"], ["South", "20", "18", "38"], ["Total", "32", "32", "65"]]
    found = _planted(tmp_path, counts)
    assert [(f.check, f.severity, f.location.row, f.location.column) for f in found] == [("table.total", "error", 3, "All")]


def test_estimates_outside_or_off_the_middle_of_their_ci(tmp_path: Path) -> None:
    rows = effects_table(7)
    rows[1][1] = "2.10 (0.95 to 1.60)"
    rows[2][1] = "1.23 (0.95 to 1.60)"  # arithmetic middle 1.275, geometric 1.233: fine for a ratio
    rows[3][3] = "2.0 (0.5 to 2.5)"  # a difference: middle 1.5
    rows[4][3] = "4 [5-9]"  # a median outside its IQR is not an estimate column's form: still outside
    found = _planted(tmp_path, rows, "Table 2 Outcomes")
    got = {(f.check, f.severity, f.location.row, f.location.column) for f in found}
    assert ("table.interval", "error", 1, "Odds ratio (95% CI)") in got
    assert ("table.interval", "warning", 3, "Mean difference (95% CI)") in got
    assert ("table.interval", "error", 4, "Mean difference (95% CI)") in got
    assert not any(f.location.row == 2 and f.location.column == "Odds ratio (95% CI)" for f in found)


def test_a_p_that_contradicts_its_ci(tmp_path: Path) -> None:
    rows = [["Outcome", "HR (95% CI)", "P value"], ["Death", "0.80 (0.70 to 0.91)", "0.001"], ["Stroke", "0.95 (0.80 to 1.13)", "0.56"], ["MI", "0.90 (0.75 to 1.08)", "0.03"]]
    found = _planted(tmp_path, rows, "Table 3 Outcomes")
    assert [(f.check, f.severity, f.location.row, f.location.column) for f in found] == [("table.ci_p", "error", 3, "P value")]


def test_means_sds_and_ranges_and_grim(tmp_path: Path) -> None:
    rows = [["Variable", "Group A (n=20)", "Group B (n=12)"], ["Score, mean ± SD (range)", "14.2 ± 3.1 (8-20)", "11.0 ± 2.5 (7-16)"], ["Number of visits, mean (SD)", "3.45 (1.23)", "2.50 (1.17)"]]
    assert _planted(tmp_path, rows) == []
    rows[1][1] = "14.2 ± 9.1 (8-20)"  # SD larger than a range of 12 allows for 20 values
    rows[1][2] = "18.0 ± 2.5 (7-16)"  # mean outside the range
    rows[2][1] = "3.47 (1.23)"  # 3.47 x 20 = 69.4: no whole total (GRIM)
    rows[2][2] = "2.50 (1.18)"  # a possible mean with an SD no 12 whole numbers give (GRIMMER)
    found = _planted(tmp_path, rows)
    got = {(f.check, f.location.row, f.location.column) for f in found}
    assert got == {("table.sd_range", 1, "Group A (n=20)"), ("table.sd_range", 1, "Group B (n=12)"), ("table.grim", 2, "Group A (n=20)"), ("table.grim", 2, "Group B (n=12)")}


def test_finding_ids_are_stable_and_located(tmp_path: Path) -> None:
    rows = baseline(1)
    rows[3][1] = "1 (50.0)"
    first = table_checks(_write(tmp_path, rows))
    again = table_checks(_write(tmp_path, rows))
    assert [f.id for f in first] == [f.id for f in again]
    bad = _alarms(first)
    assert bad and all(f.location.file == "tables/table_1.csv" and f.location.page == 3 and f.paper_id == "trial2024" for f in bad)


def test_validate_runs_the_table_checks_without_any_mapping(tmp_path: Path) -> None:
    rows = baseline(2)
    rows[3][1] = "1 (50.0)"
    raw = _write(tmp_path / "raw", rows)
    findings = validate(tmp_path / "curated", raw)  # no curated folder at all
    assert any(f.check == "table.percent" and f.severity == "error" for f in findings)


def test_the_cell_grammar() -> None:
    c = read_cell("76/357 (21)")
    assert c.kind == "fraction_pct" and [c.parts[k].printed for k in ("n", "d", "pct")] == ["76", "357", "21"]
    assert read_cell("12 (3.1%)").kind == "count_pct" and read_cell("12 (3.1)").kind == "paren"
    m = read_cell("54.5 ± 3.0 (40–70)")
    assert m.kind == "mean_sd" and (m.parts["s"].printed, m.parts["hi"].value) == ("3.0", 70.0)
    ci = read_cell("−0.5 (−1.2 to 0.3)")
    assert ci.kind == "interval" and (ci.parts["x"].value, ci.parts["lo"].value, ci.parts["hi"].value) == (-0.5, -1.2, 0.3)
    assert read_cell("0.85 (95% CI 0.70–1.02)").label == "95% CI"
    assert read_cell("<0.001").parts["x"].qualifier == "<" and read_cell("p = 0.03").kind == "p"
    assert read_cell("1,015").parts["x"].value == 1015 and read_cell("42-89").kind == "range"
    assert [read_cell(t).kind for t in ("NR", "–", "-", "", "n/a", "Male")] == ["missing"] * 5 + ["text"]
    assert read_cell("4 [2, 6]").kind == "interval" and read_cell("45 (12)a").kind == "paren"
    assert header_n("Intervention (n=384)") == 384 and header_n("N = 1,012") == 1012 and header_n("Control") is None
    assert [form_of(t) for t in ("Age, mean (SD)", "n (%)", "OR (95% CI)", "P value", "No (%)", "Median [IQR]", "Mean ± SEM")] == [
        "mean_sd", "count_pct", "estimate_ci", "p", "percent", "median_iqr", "mean_se"]


def test_implied_p() -> None:
    assert implied_p(1.0, 0.5, 2.0, ratio=True) == pytest.approx(1.0)
    assert implied_p(0.0, -1.0, 1.0, ratio=False) == pytest.approx(1.0)
    assert implied_p(1.96, 0.0, 3.92, ratio=False) == pytest.approx(0.05, abs=1e-3)


def test_a_table_whose_header_repeats_or_leaves_names_empty_is_still_checked(tmp_path: Path) -> None:
    rows = [["", "", "", ""], ["Item", "Yes (%)", "No (%)", "n"], ["A", "60.5", "39.5", "76"], ["B", "50.0", "50.0", "40"], ["C", "25.0", "85.0", "40"]]
    found = _planted(tmp_path, rows)
    assert [(f.check, f.location.row) for f in found] == [("table.categories", 4)]


def _with_missing(n: int, d: int, missing: int) -> list[list[str]]:
    """A baseline table whose smoking categories are percentages of those with data (n less the missing)."""
    counts = [100, 150, d - missing - 250]
    return [["Characteristic", f"Intervention (n={d})"], ["Age, mean (SD)", "54.1 (8.2)"], ["Smoking, n (%)", ""],
            *([label, f"{c} ({_pct(c, n, 1)})"] for label, c in zip(("Current", "Former", "Never"), counts)), ["Missing", f"{missing} ({_pct(missing, d, 1)})"]]


def test_percentages_of_those_with_data_when_a_note_says_so(tmp_path: Path) -> None:
    note = "Table 1 Baseline. Percentages are of those with data."
    assert _planted(tmp_path, _with_missing(350, 384, 34), note) == []
    assert _planted(tmp_path, _with_missing(350, 384, 34), "Table 1 Baseline") == []  # no note: n less the missing is still a denominator
    wrong = _with_missing(384, 384, 34)  # over the column's n although the note names those with data
    found = [(f.check, f.severity, f.location.row) for f in _planted(tmp_path, wrong, note) if f.check == "table.percent"]
    assert found == [("table.percent", "error", r) for r in (3, 4, 5)]
    assert _planted(tmp_path, wrong, "Table 1 Baseline") == []  # over the column's n: right when nothing says otherwise


def test_a_note_without_a_mark_names_every_percentage_s_denominator(tmp_path: Path) -> None:
    rows = [["Characteristic", "Intervention (n=384)", "Control (n=380)"], ["Diabetes", f"40 ({_pct(40, 350, 1)})", f"38 ({_pct(38, 350, 1)})"], ["Smoker", f"70 ({_pct(70, 350, 1)})", f"60 ({_pct(60, 350, 1)})"]]
    note = "Table 1 Baseline. Values are n (%); n = 350 analysed in each group"
    assert _planted(tmp_path, rows, note) == []
    rows[2][2] = f"60 ({_pct(60, 380, 1)})"
    found = _planted(tmp_path, rows, note)
    assert [(f.check, f.severity, f.location.row, f.location.column) for f in found] == [("table.percent", "error", 2, "Control (n=380)")]
    assert "the column's n 380, not over the footnote's n 350" in found[0].message


def test_numbers_beside_a_plus_minus_with_spaced_digit_groups_or_a_stray_space_after_the_point() -> None:
    c = read_cell("60 826±9 175")
    assert c.kind == "mean_sd" and (c.parts["x"].value, c.parts["x"].printed, c.parts["s"].value) == (60826, "60 826", 9175)
    c = read_cell("21. 03 ± 0.27")
    assert c.kind == "mean_sd" and (c.parts["x"].value, c.parts["x"].printed, c.parts["x"].decimals) == (21.03, "21.03", 2)
    assert read_cell("12 345").kind == "text" and read_cell("12. 5").kind == "text"  # two figures of merged columns stay unread


def test_a_first_body_row_that_heads_a_block_is_not_taken_into_the_header(tmp_path: Path) -> None:
    rows = [r for r in baseline(5) if not r[0].startswith("Age")]  # the table opens on "Sex, n (%)" and its empty cells
    assert rows[1][1:] == ["", "", ""]
    n0 = header_n(rows[0][1])
    assert n0 is not None and _planted(tmp_path / "a", rows) == []
    first = int(rows[2][1].split()[0]) + 15
    rows[2][1] = f"{first} ({_pct(first, n0, 1)})"
    found = _planted(tmp_path / "b", rows)
    assert ("table.categories", 1) in {(f.check, f.location.row) for f in found}


def test_a_column_that_is_a_quotient_of_others(tmp_path: Path) -> None:
    rows = [["Construct", "A Ki (nM)", "Fold selectivity (C/N)", "B Ki (nM)", "Fold selectivity (C/N)"],
            ["N-domain", "15.20±0.31", "2641", "8.40±0.52", "1148"], ["C-domain", "40 150±2 210", "", "9 640±410", ""],
            ["Mutant 1", "n.d.", "n.d.", "310.5±12.1", "31"], ["Mutant 2", "n.d.", "n.d.", "72.31±4.02", "133"], ["Mutant 3", "n.d.", "n.d.", "1905±98", "5"]]
    assert _planted(tmp_path / "a", rows) == []  # 40150/15.20 = 2641.4, 9640/8.40 = 1147.6, ...
    rows[1][2] = "2646"
    found = _planted(tmp_path / "b", rows)
    assert [(f.check, f.location.row, f.location.column) for f in found] == [("table.quotient", 1, "Fold selectivity (C/N)")]
    rates = [["Site", "Events", "Person-years", "Rate per 1000"], ["A", "12", "4010", "3.0"], ["B", "30", "5120", "5.9"], ["C", "7", "2100", "3.3"], ["D", "41", "8800", "4.7"]]
    assert _planted(tmp_path / "c", rates) == []
    rates[2][3] = "9.5"
    assert [(f.check, f.location.row) for f in _planted(tmp_path / "d", rates)] == [("table.quotient", 2)]
    shares = [["Arm", "Events", "n", "%"], ["A", "12", "40", "30.0"], ["B", "9", "41", "22.0"], ["C", "20", "80", "25.0"]]
    assert _planted(tmp_path / "e", shares) == [] and any(f.check == "table.quotient" for f in table_checks(_write(tmp_path / "f", shares)))
