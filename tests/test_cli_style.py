"""One CLI style, checked over the whole typer app (sqlite-utils style): every command has help
with an example, every command that prints rows takes ``--format table|json|csv|nl``, and in
``json``/``nl`` its output is JSON even when it fails (the error is an object with the file and
the reason)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from curate.cli import app
from curate.cli_format import Format, emit, stdout_console
from tests.conftest import REVIEW_DIR, ROOT

runner = CliRunner()
#: Commands that print a document, not rows (and why).
NO_ROWS = {"map suggest": "prints a mapping file (TOML) to save"}


def _walk(command: object, prefix: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    for name, sub in getattr(command, "commands", {}).items():
        path = f"{prefix} {name}".strip()
        if getattr(sub, "commands", None):
            found.update(_walk(sub, path))
        else:
            found[path] = sub
    return found


COMMANDS = _walk(get_command(app))


def _failing_args(tmp: Path) -> dict[str, list[str]]:
    """For each command, a command line that fails (a missing folder or file, a bad id)."""
    nowhere = str(tmp / "nowhere")
    (tmp / "taken").mkdir()
    (tmp / "taken" / "review.toml").write_text("")
    (tmp / "broken.toml").write_text("[[[ not toml")
    return {
        "extract": [str(tmp / "missing.pdf"), "--out", str(tmp / "raw")],
        "reconcile": ["--project", nowhere],
        "validate": ["--review", str(tmp / "broken.toml"), "--curated", nowhere],
        "init": [str(tmp / "taken")],
        "export": [str(tmp / "w.bib"), "--curated", nowhere],
        "report": [nowhere],
        "decide": ["x.y-1", "--accept", "--folder", nowhere],
        "map check": ["--mappings", nowhere],
    }


def test_every_command_is_known_to_this_test(tmp_path: Path) -> None:
    listed = set(_failing_args(tmp_path)) | set(NO_ROWS)
    assert set(COMMANDS) == listed, "a new command: give it --format (or a reason in NO_ROWS) and a failing line in _failing_args"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_format_where_it_prints_rows(name: str) -> None:
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Example" in result.output, f"`curate {name} --help` shows no example"
    params = {opt: p for p in COMMANDS[name].params for opt in getattr(p, "opts", [])}  # type: ignore[attr-defined]
    assert all(getattr(p, "help", None) for p in COMMANDS[name].params if getattr(p, "param_type_name", "") == "option"), f"{name}: an option without help"  # type: ignore[attr-defined]
    if name in NO_ROWS:
        assert "--format" not in params
        return
    fmt = params.get("--format")
    assert fmt is not None, f"`curate {name}` prints rows but has no --format"
    assert "-f" in fmt.opts and fmt.default in (Format.table, "table")  # type: ignore[attr-defined]
    wrong = runner.invoke(app, [*name.split(), "--format", "yaml"])
    assert wrong.exit_code == 2 and all(f"'{f.value}'" in wrong.stderr for f in Format), "the choices are table, json, csv, nl"


#: The parts of a project, and the commands that read or write them: one name each, everywhere.
PARTS = {"--project": set(COMMANDS) - {"init"}, "--raw": {"extract", "reconcile", "validate", "report", "decide", "export", "map suggest"},
         "--curated": {"reconcile", "validate", "report", "decide", "export"}, "--mappings": {"reconcile", "map check"}, "--review": {"extract", "reconcile", "validate", "report", "map suggest"}}


@pytest.mark.parametrize("option", sorted(PARTS))
def test_the_same_names_for_the_same_things_in_every_command(option: str) -> None:
    helps = set()
    for name in PARTS[option]:
        found = [p for p in COMMANDS[name].params if option in getattr(p, "opts", [])]  # type: ignore[attr-defined]
        assert found, f"`curate {name}` has no {option}"
        helps.add(found[0].help.split(" (default")[0])  # type: ignore[attr-defined]
    assert len(helps) == 1, f"{option} means one thing: {helps}"


@pytest.mark.parametrize("fmt", ["json", "nl"])
@pytest.mark.parametrize("name", sorted(set(COMMANDS) - set(NO_ROWS)))
def test_json_stays_json_when_a_command_fails(name: str, fmt: str, tmp_path: Path) -> None:
    args = _failing_args(tmp_path)[name]
    result = runner.invoke(app, [*name.split(), *args, "--format", fmt])
    assert result.exit_code != 0, result.stdout
    lines = result.stdout.splitlines()
    parsed = json.loads(result.stdout) if fmt == "json" else [json.loads(line) for line in lines]
    errors = [parsed] if isinstance(parsed, dict) else [r for r in parsed if r.get("error")]
    assert errors and all(e["error"] and "file" in e for e in errors), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith("error:") for line in result.stderr.splitlines()), "people still get the one-line error"


def test_a_command_line_that_does_not_parse_is_json_with_format_json(tmp_path: Path) -> None:
    for args in (["validate", "--bogus", "--format", "json"], ["decide", "-f", "nl", "x", "--accept", "--nope"], ["export", "a.bib", "--format=json", "--to"]):
        done = subprocess.run([sys.executable, "-m", "curate", *args], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
        assert done.returncode == 2, (args, done.stderr)
        assert json.loads(done.stdout)["error"], (args, done.stdout)
        assert "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "curate", "validate", "--bogus"], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 2 and done.stdout == "" and "No such option" in done.stderr


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    shutil.copytree(REVIEW_DIR / "mappings", tmp_path / "mappings")
    shutil.copy(REVIEW_DIR / "review.toml", tmp_path / "review.toml")
    return tmp_path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout


def test_the_same_rows_in_every_format(project: Path, tmp_path: Path) -> None:
    p = ["--project", str(project)]
    wrote = [json.loads(line) for line in _run("reconcile", *p, "--force", "--format", "nl").splitlines()]
    assert {"kind": "wrote", "file": str(project / "curated" / "papers.csv")} in wrote
    assert json.loads(_run("reconcile", *p, "--force", "-f", "json")) == wrote, "json and nl: the same rows"
    assert list(csv.DictReader(io.StringIO(_run("map", "check", *p, "-f", "csv")))) == [] and json.loads(_run("map", "check", *p, "-f", "json")) == []
    out = tmp_path / "refs.txt"
    (row,) = json.loads(_run("export", str(out), "--to", "ris", *p, "-f", "json"))
    assert row == {"kind": "wrote", "file": str(out), "to": "ris", "records": out.read_text().count("ER  -")}
    (sheet := tmp_path / "choices.csv").write_text("finding_id,decision,value,note\nx.y-1,fix,7.5,misprint\nx.y-2,reject,,\n")
    made = list(csv.DictReader(io.StringIO(_run("decide", "--from", str(sheet), "--force", "--folder", str(project / "curated"), "--format", "csv"))))
    assert [(r["finding_id"], r["decision"], r["value"]) for r in made] == [("x.y-1", "fix", "7.5"), ("x.y-2", "reject", "")] and made[0]["who"]
    assert json.loads(_run("decide", "x.y-2", "--reject", "--force", "--folder", str(project / "curated"), "-f", "json")) == [], "a retry records nothing"


def test_a_piped_table_of_rows_is_never_cut(capsys: pytest.CaptureFixture[str]) -> None:
    long = "a reason that goes on " * 12
    emit(stdout_console(), [{"file": "x.pdf", "note": long.strip()}], Format.table, "rows")
    assert long.strip() in capsys.readouterr().out, "one row on one line, at full width"
