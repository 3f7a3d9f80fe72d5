"""The second bundled example review (blood-pressure lowering trials, invented facts) runs end
to end from its review.toml and mappings with no code of its own: each planted disagreement is
found, and everything else verifies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from curate.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
BP = EXAMPLES / "reviews" / "bp-trials"
PDFS = sorted((BP / "pdfs").glob("*.pdf"))


def test_generator_is_deterministic(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(BP / "generate.py"), "--out", str(tmp_path)], check=True, capture_output=True)
    assert len(PDFS) == 2
    for pdf in PDFS:
        assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """extract, reconcile and report as a steward runs them, from another folder."""
    out = tmp_path_factory.mktemp("bp")
    args = ["-p", str(BP), "--raw", str(out / "raw")]
    for command in (["extract", *map(str, PDFS), *args], ["reconcile", *args, "--curated", str(out / "curated")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
    return out


def _findings(project: Path) -> list[dict]:
    result = runner.invoke(app, ["validate", str(project / "curated"), "--format", "json"])
    return json.loads(result.stdout)


def test_each_planted_disagreement_is_found_and_the_rest_verifies(project: Path) -> None:
    findings = _findings(project)
    flagged = sorted((f["check"], f["paper_id"], str(f["reported"])) for f in findings if f["severity"] != "info")
    assert flagged == [
        ("claim.recomputed", "okafor2021", "142.1"),  # mean SBP after: the table gives 143.25
        ("study.drug_class", "haddad2022", "ARB"),  # Park 2020 is a CCB trial
        ("study.total", "haddad2022", "450"),  # the CCB trials hold 440 patients
    ]
    verified = {f["check"] for f in findings if f["severity"] == "info" and f["message"].startswith("verified")}
    assert {"claim.recomputed", "claim.parts_vs_whole", "claim.effect_ci_centre", "study.total", "study.sample_size", "study.follow_up"} <= verified
    recomputed = [f for f in findings if f["check"] == "claim.recomputed"]
    assert len(recomputed) >= 10, "counts, sexes, ages and both blood pressures are recomputed over the per-patient table"


def test_its_report_draws_its_own_plots(project: Path) -> None:
    result = runner.invoke(app, ["report", str(project / "curated"), "--raw", str(project / "raw"), "--out", str(project / "report")])
    assert result.exit_code == 0, result.output
    html = (project / "report" / "report.html").read_text(encoding="utf-8")
    assert "Systolic blood pressure before → after, per patient" in html and "Patients per trial arm" in html
