"""A review as data: the bundled example review gives the findings it gave before the engine
was made review-agnostic; review files, mappings and projects fail in one line, never silently."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curate.cli import app
from curate.reconcile import reconcile
from curate.review import ReviewError, load_review, parse_review
from curate.validate import validate
from tests.conftest import REVIEW_DIR, ROOT

runner = CliRunner()
#: Findings (id, severity, check) of the shipped dataset, computed before the review moved
#: out of the engine (main at 84156cb): they must not change.
EXPECTED = ROOT / "tests" / "expected" / "findings_stemcell_diabetes.csv"


#: The same for the README quick start (the bundled example PDFs, extracted for the review).
EXPECTED_EXAMPLES = ROOT / "tests" / "expected" / "findings_stemcell_examples.csv"


def _expected(path: Path = EXPECTED) -> set[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["id"], r["severity"], r["check"]) for r in csv.DictReader(fh)}


def _found(curated: Path, raw: Path, expected: Path = EXPECTED) -> set[tuple[str, str, str]]:
    """The findings of the checks that existed then, and any about the review or its mappings
    (checks added since by other work are theirs to pin)."""
    known = {check for _, _, check in _expected(expected)}
    ours = ("mapping.", "review.", "check.skipped", "file.", "schema.")
    return {(f.id, f.severity, f.check) for f in validate(curated, raw) if f.check in known or f.check.startswith(ours)}


def test_shipped_findings_are_unchanged() -> None:
    assert _found(ROOT / "curated", ROOT / "raw") == _expected()


def test_findings_are_unchanged_when_reconciled_again_from_the_review_folder(tmp_path: Path) -> None:
    reconcile(ROOT / "raw", tmp_path / "curated", REVIEW_DIR / "mappings")
    assert (tmp_path / "curated" / "review.toml").read_text() == (REVIEW_DIR / "review.toml").read_text()
    assert _found(tmp_path / "curated", ROOT / "raw") == _expected()


def test_quick_start_findings_are_unchanged(tmp_path: Path) -> None:
    pdfs = sorted((ROOT / "examples" / "pdfs").glob("*.pdf"))
    args = ["-p", str(REVIEW_DIR), "--raw", str(tmp_path / "raw")]
    assert runner.invoke(app, ["extract", *map(str, pdfs), *args]).exit_code == 0
    assert runner.invoke(app, ["reconcile", *args, "--curated", str(tmp_path / "curated")]).exit_code == 0
    assert _found(tmp_path / "curated", tmp_path / "raw", EXPECTED_EXAMPLES) == _expected(EXPECTED_EXAMPLES)


def test_schemas_are_built_from_the_review() -> None:
    schemas = load_review(REVIEW_DIR).schemas()
    assert set(schemas) == {"studies.csv", "patients.csv", "case_series.csv"}
    assert schemas["patients.csv"].columns["sex"].nullable is False


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[tables.t]\ncolumns = { a = { type = 'float' } }", "tables.t.columns.a.type: 'float' is not a type (allowed: text, integer, number)"),
        ("[tables.t]\ncolums = 1", "tables.t.colums: unknown key (allowed:"),
        ("[tables.t]\nkey = ['b']\ncolumns = { a = {} }", "tables.t.key: 'b' is not a column"),
        ("[measures.m]\nunit = '%'", "measures.m.words: list the words"),
        ("[[plots]]\nkind = 'pie'", "plots[0].kind: 'pie' is not a plot (allowed: paired, per_visit, sizes)"),
        ("[tables", "not TOML"),
    ],
)
def test_review_mistakes_are_one_line_naming_key_and_allowed_values(text: str, named: str) -> None:
    with pytest.raises(ReviewError) as err:
        parse_review(text, Path("my/review.toml"))
    assert str(err.value).startswith("my/review.toml: ") and named in str(err.value) and "\n" not in str(err.value)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "proj"
    shutil.copytree(REVIEW_DIR, project)
    shutil.copytree(ROOT / "raw", project / "raw")
    return project


def test_a_missing_table_column_or_paper_costs_only_what_depends_on_it(tmp_path: Path) -> None:
    project = _project(tmp_path)
    patients = project / "mappings" / "patients.toml"
    patients.write_text(patients.read_text().replace('"HbA1c After Treatment"', '"HbA1c 2"'))
    studies = project / "mappings" / "studies.toml"
    studies.write_text(studies.read_text().replace("table = 1", "table = 7"))
    result = runner.invoke(app, ["reconcile", "--project", str(project)])
    assert result.exit_code == 1, result.output  # both tables are required
    assert "mapping.missing_column" in result.output and "mapping.missing_table" in result.output
    assert "Traceback" not in result.output
    curated = project / "curated"
    for name in ("papers.csv", "works.csv", "references.csv", "match_review.csv", "case_series.csv", "claims.csv"):
        assert (curated / name).stat().st_size > 0, name
    findings = validate(curated, project / "raw")
    checks = {f.check for f in findings}
    assert {"mapping.missing_column", "mapping.missing_table", "reference.duplicate", "claim.effect_p"} <= checks
    skipped = [f.message for f in findings if f.check == "check.skipped"]
    assert any(m.startswith("study.*: skipped") for m in skipped), skipped


def test_a_table_the_review_does_not_require_may_be_absent(tmp_path: Path) -> None:
    project = _project(tmp_path)
    review = project / "review.toml"
    review.write_text(review.read_text().replace('description = "A case series, one row per patient and visit."\nrequired = true', 'description = "A case series."\nrequired = false'))
    (project / "mappings" / "case_series.toml").unlink()
    assert runner.invoke(app, ["reconcile", "-p", str(project)]).exit_code == 0
    findings = validate(project / "curated", project / "raw")
    assert not [f for f in findings if f.check == "file.missing"]
    assert any(f.check == "check.skipped" and f.location.file == "case_series.csv" for f in findings)


def test_commands_find_the_project_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README pipeline run from elsewhere finds the same problems as from the project."""
    project = _project(tmp_path)
    assert runner.invoke(app, ["reconcile", "--project", str(project)]).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    far = runner.invoke(app, ["validate", "--project", str(project), "--format", "json"])
    monkeypatch.chdir(project / "curated")  # inside the project: found upward
    near = runner.invoke(app, ["validate", "--format", "json"])
    assert far.stdout == near.stdout and far.stdout.count('"id"') == len(_expected())


def test_validate_without_raw_lists_the_checks_it_skipped(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    result = runner.invoke(app, ["validate", str(tmp_path / "curated")])
    assert "skipped: consistency checks" in " ".join(result.output.split())


def test_mapping_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    project = _project(tmp_path)
    bad = project / "mappings" / "patients.toml"
    bad.write_text(bad.read_text().replace('get = "value" }\nhba1c_before_printed', 'get = "valu" }\nhba1c_before_printed'))
    result = runner.invoke(app, ["reconcile", "-p", str(project)])
    line = next(ln for ln in result.output.splitlines() if "valu" in ln)
    assert "patients.toml" in line and "'valu' is not a part (allowed: value, printed, decimals, qualifier, unit)" in " ".join(result.output.split())
    (project / "mappings" / "studies.toml").write_text('target = "studies.csv"\n[[sources]]\npaper = "zhang2019"\ntable = "one"\n')
    result = runner.invoke(app, ["map", "check", "-p", str(project)])
    assert result.exit_code == 1 and "sources[0].table: 'one' is not a printed table number" in " ".join(result.output.split())


def test_map_suggest_names_columns_by_the_review_measures() -> None:
    result = runner.invoke(app, ["map", "suggest", "matsuoka2025", "1", "--project", str(REVIEW_DIR), "--raw", str(ROOT / "raw")])
    assert result.exit_code == 0, result.output
    assert 'target = "patients.csv"' in result.stdout
    assert 'hba1c_before = { from = "HbA1c Before treatment", parse = "number", get = "value" }' in result.stdout
    assert 'sex = { from = "Sex", parse = "sex" }' in result.stdout


def test_init_makes_a_review_that_loads_and_is_never_overwritten(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "r"), "--title", "Trials"]).exit_code == 0
    assert load_review(tmp_path / "r").title == "Trials"
    again = runner.invoke(app, ["init", str(tmp_path / "r")])
    assert again.exit_code == 1 and "already exists" in again.output


def test_claim_link_mistakes_are_one_line_findings_naming_what_exists(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    shutil.copytree(ROOT / "curated", curated)
    with (curated / "claims.csv").open("a", encoding="utf-8") as fh:
        fh.write("c99-mean-000000-1,matsuoka2025,mean,age,value,60,patients,mean,age,,steward,typo in the id\n")
        fh.write("c02-count-c85c32-1,matsuoka2025,count,patients,n,61,patients,count,,sexx == 'M',steward,bad column\n")
        fh.write("c02-count-c85c32-1,matsuoka2025,count,patients,x,61,patiens,rows,,,steward,bad table\n")
    found = {f.check + ": " + f.message for f in validate(curated, ROOT / "raw") if f.check in ("claim.link", "claim.recomputed") and f.severity != "info"}
    text = "\n".join(found)
    assert "claim_id 'c99-mean-000000-1' is not a claim of matsuoka2025 in raw/matsuoka2025/claims.csv (its ids: " in text
    assert "filter names 'sexx', not a column of patients.csv (columns: paper_id, table, page, row, sex," in text
    assert "table 'patiens' is not a curated table (tables: " in text and "patients" in text


def test_a_table_printed_in_parts_is_addressed_by_its_number_and_read_as_one(tmp_path: Path) -> None:
    from curate.tidy import raw_table

    paper = tmp_path / "raw" / "smith2020"
    (paper / "tables").mkdir(parents=True)
    (paper / "tables" / "table_1.csv").write_text("Name,Age\nA,40\nB,50\n")
    (paper / "tables" / "table_2.csv").write_text("Name,Age\nC,60\n")  # the header repeated on the next page
    (paper / "tables" / "table_3.csv").write_text("D,70\nE,80\n")  # and a part without it
    parts = [("Table 2. Patients.", "tables/table_1.csv", 3), ("Table 2 (continued)", "tables/table_2.csv", 4), ("Table 2 (continued)", "tables/table_3.csv", 5)]
    meta = [{"caption": c, "file": f, "pages": [p]} for c, f, p in parts]
    (paper / "tables.json").write_text(json.dumps(meta))
    header, rows, pages = raw_table(tmp_path / "raw", "smith2020", 2)
    assert header == ["Name", "Age"] and [r[0] for r in rows] == ["A", "B", "C", "D", "E"] and pages == [3, 3, 4, 5, 5]


def test_cell_parser_parts_in_a_mapping_and_a_cell_without_that_part_is_an_issue(tmp_path: Path) -> None:
    from curate.tidy import apply_mapping, load_mapping

    paper = tmp_path / "raw" / "lee2021"
    (paper / "tables").mkdir(parents=True)
    (paper / "tables" / "table_1.csv").write_text('Group,Smokers\nA,76/357 (21)\nB,12 (4.5%)\n')
    (paper / "tables.json").write_text(json.dumps([{"caption": "Table 1. Smokers.", "file": "tables/table_1.csv", "pages": [2]}]))
    mapping = tmp_path / "m.toml"
    mapping.write_text('target = "t.csv"\n[[sources]]\npaper = "lee2021"\ntable = 1\n[sources.columns]\ngroup = { from = "Group" }\n'
                       'smokers = { from = "Smokers", parse = "cell", get = "parts.n.value" }\nsmokers_of = { from = "Smokers", parse = "cell", get = "parts.d.value" }\n')
    frame, issues = apply_mapping(load_mapping(mapping), tmp_path / "raw")
    assert frame["smokers"].tolist() == [76, 12] and frame["smokers_of"].iloc[0] == 357 and frame["smokers_of"].isna().iloc[1]
    assert [(i.row, i.column) for i in issues] == [(2, "Smokers")] and "no part 'd' (it has: n, pct)" in issues[0].message
