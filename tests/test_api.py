"""One CLI style over a documented Python API: python -m curate, -v anywhere, --format table|json|csv|nl,
no 80-column cut when piped; the extras (peers, plots) say so when they are missing."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tomllib
from html import escape
from pathlib import Path

import pytest

from curate import api
from curate.findings import Finding, Location
from tests.conftest import ROOT


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder: the shipped raw/ and curated/ and the review they were built for."""
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    shutil.copy(ROOT / "examples" / "reviews" / "stemcell-diabetes" / "review.toml", tmp_path / "review.toml")
    return tmp_path


def _curate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "curate", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False)


def test_python_m_curate_with_formats_and_verbose_anywhere(project: Path) -> None:
    ids = [f.id for f in api.validate(project)]
    done = _curate("validate", "--project", str(project), "--format", "nl", "-v", cwd=project)
    assert done.returncode in (0, 1) and "No such option" not in done.stderr, done.stderr[-500:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["id"] for d in lines] == ids, "nl: one finding contract per line, the API's findings"
    probe = "import logging, sys\nfrom curate.cli import run\ntry:\n    run(sys.argv[1:])\nfinally:\n    print('level', logging.getLogger().level, file=sys.stderr)\n"
    for args in (["validate", "-p", str(project), "-f", "nl", "-v"], ["-v", "validate", "-p", str(project), "-f", "nl"], ["validate", "-p", str(project), "-f", "nl"]):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=project, timeout=300, check=False)
        assert f"level {logging.DEBUG if '-v' in args else logging.WARNING}" in done.stderr, (args, done.stderr[-300:])
    rows = list(csv.DictReader(io.StringIO(_curate("validate", "-p", str(project), "-f", "csv", cwd=project).stdout)))
    assert [r["id"] for r in rows] == ids and {"status", "file", "row", "page", "message"} <= set(rows[0])
    as_json = json.loads(_curate("-v", "validate", "-p", str(project), "--format", "json", cwd=project).stdout)
    assert [d["id"] for d in as_json] == ids


def test_a_piped_table_is_not_cut_at_80_columns(project: Path) -> None:
    done = _curate("validate", "-p", str(project), "--info", cwd=project)
    messages = [f.message for f in api.validate(project) if len(f.message) > 100]
    assert messages and max(len(line) for line in done.stdout.splitlines()) > 120
    assert all(any(m in line for line in done.stdout.splitlines()) for m in messages[:20]), "each long message on one line"


def test_the_api_does_what_the_commands_do(project: Path, tmp_path: Path) -> None:
    findings = api.validate(project)
    html, md = api.report(project, out=tmp_path / "report", findings=findings)
    assert html.is_file() and md.is_file()
    made = api.decide([(findings[0].id, "reject", "", "checked"), (findings[1].id, "fix", "7.5")], project, who="ann")
    assert [(d.finding_id, d.decision, d.who) for d in made[:2]] == [(findings[0].id, "reject", "ann"), (findings[1].id, "fix", "ann")]
    assert api.export(tmp_path / "works.ris", project_dir=project) == len((project / "curated" / "works.csv").read_text().splitlines()) - 1
    with pytest.raises(ValueError, match="unknown finding id"):
        api.decide([("nope-0", "accept")], project)


def test_the_test_extra_installs_the_peers_and_the_plots() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = data["project"]["optional-dependencies"]
    core = " ".join(data["project"]["dependencies"])
    assert "camelot" not in core and "opencv" not in core and "matplotlib" not in core, "only extras need them"
    assert any(r.startswith("camelot") for r in extras["peers"]) and any(r.startswith("matplotlib") for r in extras["plots"])
    assert "curate[peers,plots]" in extras["test"]
    assert data["project"]["scripts"]["curate"] == "curate.cli:run"


def test_without_matplotlib_the_report_says_how_to_get_plots(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from curate import report

    monkeypatch.setattr(report, "plots_available", lambda: False)
    finding = Finding("claim.recomputed", "error", "reported 61 but 58 rows", Location("claims.csv", 1, None, 2), "matsuoka2025", "61", 58.0)
    html, md = report.build_report(project / "curated", project / "raw", [finding], tmp_path / "out", None)
    page = html.read_text()
    assert escape(report.NO_PLOTS) in page and "data:image/svg" not in page and report.NO_PLOTS in md.read_text()


def test_without_camelot_extraction_goes_on_and_says_why(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from curate.extract import peers

    monkeypatch.setitem(sys.modules, "camelot", None)  # import camelot -> ImportError
    peers._missing_camelot.cache_clear()
    with caplog.at_level(logging.WARNING, logger="curate.extract.peers"):
        got = [peers.camelot_candidates("x.pdf", 1, 792.0, (50.0, 100.0, 500.0, 300.0), None, flavor) for flavor in ("lattice", "stream")]
    assert got == [[], []]
    warned = [r.getMessage() for r in caplog.records if "camelot is not installed" in r.getMessage()]
    assert len(warned) == 1 and "curate[peers]" in warned[0], "one clear message, not one per table"
    peers._missing_camelot.cache_clear()
