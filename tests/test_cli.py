"""The command line: help that teaches, clean errors, atomic and repeatable output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from curate.cli import app
from tests import badpdfs

runner = CliRunner()


def _commands() -> list[str]:
    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_top_level_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in _commands():
        assert name in result.output


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`curate {command} --help` shows no example"


BAD = {
    "not_a_pdf": "not a PDF",
    "truncated_pdf": "truncated",
    "encrypted_pdf": "encrypted",
    "scanned_pdf": "no text layer",
}


def test_bad_inputs_get_one_line_errors_and_the_batch_goes_on(tmp_path: Path, papers: Path) -> None:
    bad = [getattr(badpdfs, name)(tmp_path) for name in BAD]
    missing = tmp_path / "missing.pdf"
    good = papers / "vinski2023.pdf"
    out = tmp_path / "raw"
    result = runner.invoke(app, ["extract", *map(str, bad), str(missing), str(good), "--out", str(out)])
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == len(BAD) + 1
    for path, reason in zip(bad, BAD.values()):
        assert any(str(path) in ln and reason in ln for ln in errors), (path, errors)
    assert any(str(missing) in ln and "no such file" in ln for ln in errors)
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["vinski2023"], "half-written or staging folders left behind"


def test_pdf_without_tables_is_extracted_with_a_warning(tmp_path: Path) -> None:
    pdf = badpdfs.no_tables_pdf(tmp_path)
    out = tmp_path / "raw"
    result = runner.invoke(app, ["extract", str(pdf), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no tables found" in result.stderr
    (folder,) = out.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert "no tables found" in manifest["warnings"]
    assert json.loads((folder / "tables.json").read_text()) == []


def _snapshot(folder: Path) -> dict[str, str]:
    snap = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if path.name == "manifest.json":
                data = json.loads(text)
                data.pop("extracted_at")
                text = json.dumps(data, sort_keys=True)
            snap[str(path.relative_to(folder))] = text
    return snap


def test_rerun_gives_the_same_output_in_the_same_folder(tmp_path: Path, papers: Path) -> None:
    out = tmp_path / "raw"
    pdf = papers / "zhang2019.pdf"
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(out)]).exit_code == 0
    first = _snapshot(out / "zhang2019")
    assert runner.invoke(app, ["extract", str(pdf), "--out", str(out)]).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["zhang2019"]
    assert _snapshot(out / "zhang2019") == first


def test_another_pdf_with_the_same_id_gets_a_suffix_not_the_folder(tmp_path: Path, papers: Path) -> None:
    out = tmp_path / "raw"
    original = papers / "zhang2019.pdf"
    variant = tmp_path / "zhang_copy.pdf"
    shutil.copy(original, variant)
    with variant.open("ab") as fh:  # same content, different bytes: another file
        fh.write(b"\n% appended comment\n")
    result = runner.invoke(app, ["extract", str(original), str(variant), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["zhang2019", "zhang2019b"]
    clash = runner.invoke(app, ["extract", str(variant), "--id", "zhang2019", "--out", str(out)])
    assert clash.exit_code == 1
    assert "already holds another PDF" in clash.stderr


def test_parallel_jobs_give_the_same_ids_as_serial(tmp_path: Path, papers: Path) -> None:
    pdfs = [str(p) for p in sorted(papers.glob("*.pdf"))]
    result = runner.invoke(app, ["extract", *pdfs, "--out", str(tmp_path / "raw"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["matsuoka2025", "vinski2023", "zhang2019"]
