"""``curate reconcile``: the curated dataset from raw/, never overwriting hand edits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from curate.cli import app
from tests.conftest import REVIEW_DIR

runner = CliRunner()
MAPPINGS = str(REVIEW_DIR / "mappings")


def test_reconcile_writes_papers_and_tidy_tables(extracted_papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "curated"
    result = runner.invoke(app, ["reconcile", str(extracted_papers), "--out", str(out), "--mappings", MAPPINGS])
    assert result.exit_code == 0, result.output
    papers = pd.read_csv(out / "papers.csv")
    assert sorted(papers["paper_id"]) == ["matsuoka2025", "vinski2023", "zhang2019"]
    assert papers["sha256"].str.len().eq(64).all()
    for name in ("studies.csv", "patients.csv", "case_series.csv"):
        assert (out / name).exists(), name


def test_hand_edited_curated_file_is_not_overwritten(extracted_papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "curated"
    args = ["reconcile", str(extracted_papers), "--out", str(out), "--mappings", MAPPINGS]
    assert runner.invoke(app, args).exit_code == 0
    edited = out / "patients.csv"
    edited.write_text(edited.read_text() + "hand edit\n")
    before = edited.read_bytes()
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "patients.csv" in result.stderr and "not overwritten" in result.stderr
    assert edited.read_bytes() == before
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert b"hand edit" not in edited.read_bytes()


def test_rerun_is_identical(extracted_papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "curated"
    args = ["reconcile", str(extracted_papers), "--out", str(out), "--mappings", MAPPINGS]
    assert runner.invoke(app, args).exit_code == 0
    first = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    assert runner.invoke(app, args).exit_code == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == first


def test_missing_raw_folder_is_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reconcile", str(tmp_path / "nope"), "--out", str(tmp_path / "c"), "--mappings", MAPPINGS])
    assert result.exit_code == 1
    assert "no such folder" in result.stderr and "Traceback" not in result.output
