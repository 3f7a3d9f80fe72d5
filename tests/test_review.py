"""A review as data: the bundled example review gives the findings it gave before the engine
was made review-agnostic; review files, mappings and projects fail in one line, never silently."""

from __future__ import annotations

import csv
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


def _expected() -> set[tuple[str, str, str]]:
    with EXPECTED.open(encoding="utf-8", newline="") as fh:
        return {(r["id"], r["severity"], r["check"]) for r in csv.DictReader(fh)}


def _found(curated: Path, raw: Path) -> set[tuple[str, str, str]]:
    """The findings of the checks that existed then, and any about the review or its mappings
    (checks added since by other work are theirs to pin)."""
    known = {check for _, _, check in _expected()}
    ours = ("mapping.", "review.", "check.skipped", "file.", "schema.")
    return {(f.id, f.severity, f.check) for f in validate(curated, raw) if f.check in known or f.check.startswith(ours)}


def test_shipped_findings_are_unchanged() -> None:
    assert _found(ROOT / "curated", ROOT / "raw") == _expected()


def test_findings_are_unchanged_when_reconciled_again_from_the_review_folder(tmp_path: Path) -> None:
    reconcile(ROOT / "raw", tmp_path / "curated", REVIEW_DIR / "mappings")
    assert (tmp_path / "curated" / "review.toml").read_text() == (REVIEW_DIR / "review.toml").read_text()
    assert _found(tmp_path / "curated", ROOT / "raw") == _expected()


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
