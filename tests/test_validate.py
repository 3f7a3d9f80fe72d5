"""``curate validate``: the shipped-style dataset is clean; each planted fault yields its finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curate.cli import app
from curate.reconcile import reconcile
from curate.validate import validate
from tests.conftest import REVIEW_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def clean(extracted_papers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("curated")
    reconcile(extracted_papers, out, REVIEW_DIR / "mappings")
    return out


@pytest.fixture()
def copy(clean: Path, tmp_path: Path) -> Path:
    target = tmp_path / "curated"
    shutil.copytree(clean, target)
    return target


def _checks(folder: Path) -> set[tuple[str, str | None, int | None, str | None]]:
    return {(f.check, f.location.file, f.location.row, f.location.column) for f in validate(folder)}


def test_reconciled_dataset_is_clean(clean: Path) -> None:
    assert [f for f in validate(clean) if f.check.startswith(("schema.", "file."))] == []
    result = runner.invoke(app, ["validate", str(clean)])
    assert result.exit_code == 0, result.output


def _edit(path: Path, row: int, column: str, value: str) -> None:
    import csv

    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_sex_x_and_hba1c_75_are_found_with_their_rows(copy: Path) -> None:
    _edit(copy / "patients.csv", 3, "sex", "X")
    _edit(copy / "patients.csv", 5, "hba1c_before", "75")
    checks = _checks(copy)
    assert ("schema.allowed_values", "patients.csv", 3, "sex") in checks
    assert ("schema.range", "patients.csv", 5, "hba1c_before") in checks


def test_duplicated_key_and_dangling_paper_id(copy: Path) -> None:
    _edit(copy / "patients.csv", 2, "row", "1")
    _edit(copy / "studies.csv", 1, "paper_id", "nobody2020")
    checks = {c[:2] for c in _checks(copy)}
    assert ("schema.duplicate_key", "patients.csv") in checks
    assert ("schema.foreign_key", "studies.csv") in checks


def test_dangling_work_id(copy: Path) -> None:
    _edit(copy / "studies.csv", 3, "work_id", "w_0000000000")
    assert ("schema.foreign_key", "studies.csv", 3, "work_id") in _checks(copy)


def test_ragged_bom_latin1_empty_missing_and_unknown_columns(copy: Path) -> None:
    with (copy / "case_series.csv").open("a", encoding="utf-8") as fh:
        fh.write("vinski2023,1\n")
    (copy / "papers.csv").write_bytes(b"\xef\xbb\xbf" + (copy / "papers.csv").read_bytes())
    (copy / "studies.csv").write_bytes((copy / "studies.csv").read_bytes().replace(b"India", b"Indi\xe9"))
    text = (copy / "patients.csv").read_text().replace("months_observed", "months_seen")
    (copy / "patients.csv").write_text(text)
    checks = {c[0] for c in _checks(copy)}
    assert {"file.ragged_row", "file.bom", "file.encoding", "schema.unknown_column", "schema.missing_column"} <= checks
    (copy / "patients.csv").write_text("")
    assert ("file.empty", "patients.csv", None, None) in _checks(copy)


def test_json_format_is_the_findings_contract(copy: Path) -> None:
    _edit(copy / "patients.csv", 3, "sex", "X")
    result = runner.invoke(app, ["validate", str(copy), "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert findings and set(findings[0]) == {"id", "check", "severity", "paper_id", "message", "reported", "computed", "location", "related"}
    assert set(findings[0]["location"]) == {"file", "row", "column", "page"}
    again = json.loads(runner.invoke(app, ["validate", str(copy), "--format", "json"]).stdout)
    assert [f["id"] for f in again] == [f["id"] for f in findings], "ids must be stable across runs"
