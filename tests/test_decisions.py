"""Decisions: an append-only, atomic log; the latest decision wins; unknown ids are refused."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from curate import decisions as dec
from curate.cli_report import decide, report
from curate.decisions import DecisionError, collect_findings, load_decisions, read_log, record_decision, strict_exit
from curate.findings import Finding, Location
from tests.conftest import ROOT

ERROR = Finding("schema.range", "error", "hba1c_before 75 is out of range", Location("patients.csv", 5, "hba1c_before", 3), "matsuoka2025", "75", 7.5)
WARNING = Finding("claim.recomputed", "warning", "reported 35, computed 35.5", Location("claims.csv", 6, None, 2), "matsuoka2025", "35", 35.5)
KNOWN = {ERROR.id, WARNING.id}

#: The commands as `curate` registers them (they are registered on the real app in curate/cli.py).
app = typer.Typer(pretty_exceptions_enable=False, rich_markup_mode="markdown")
app.command()(report)
app.command()(decide)
runner = CliRunner()


@pytest.fixture()
def curated(tmp_path: Path) -> Path:
    """A copy of the shipped curated/ with the shipped raw/ beside it (the checks need it)."""
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    return tmp_path / "curated"


def test_second_decision_appends_and_wins_keeping_the_first_row(curated: Path) -> None:
    record_decision(curated, ERROR.id, "accept", note="as printed", who="ann", known=KNOWN)
    first = (curated / "decisions.csv").read_bytes()
    record_decision(curated, ERROR.id, "fix", "7.5", "decimal point lost", "bob", known=KNOWN)
    after = (curated / "decisions.csv").read_bytes()
    assert after.startswith(first), "the first decision was rewritten"
    lines = after.decode().splitlines()
    assert lines[0] == "finding_id,decision,value,note,who,when"
    assert len(lines) == 3
    assert [d.decision for d in read_log(curated)] == ["accept", "fix"]
    latest = load_decisions(curated)[ERROR.id]
    assert (latest.decision, latest.value, latest.who, latest.status) == ("fix", "7.5", "bob", "fixed")
    assert latest.when.endswith("+00:00"), "when is ISO 8601 in UTC"


def test_earlier_rows_are_kept_byte_for_byte(curated: Path) -> None:
    hand = 'finding_id,decision,value,note,who,when\r\n"x-1","reject","","typed by hand","ann","2026-01-01T00:00:00+00:00"'
    (curated / "decisions.csv").write_bytes(hand.encode())
    record_decision(curated, ERROR.id, "reject", who="bob", known=KNOWN)
    data = (curated / "decisions.csv").read_bytes()
    assert data.startswith(hand.encode())
    assert set(load_decisions(curated)) == {"x-1", ERROR.id}


def test_unknown_finding_id_is_an_error_unless_forced(curated: Path) -> None:
    with pytest.raises(DecisionError, match="unknown finding id"):
        record_decision(curated, "schema.range-0000000000", "accept", known=KNOWN)
    assert not (curated / "decisions.csv").exists()
    record_decision(curated, "schema.range-0000000000", "accept", known=KNOWN, force=True)
    assert "schema.range-0000000000" in load_decisions(curated)


def test_current_findings_are_found_without_being_told(curated: Path) -> None:
    current = collect_findings(curated)
    assert current, "the shipped dataset has findings from the consistency checks"
    record_decision(curated, current[0].id, "reject", note="checked on the page")
    assert load_decisions(curated)[current[0].id].decision == "reject"


def test_a_failed_write_leaves_the_log_as_it_was(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record_decision(curated, ERROR.id, "accept", known=KNOWN)
    before = (curated / "decisions.csv").read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(dec.os, "replace", crash)
    with pytest.raises(OSError):
        record_decision(curated, WARNING.id, "reject", known=KNOWN)
    assert (curated / "decisions.csv").read_bytes() == before
    assert sorted(p.name for p in curated.iterdir() if p.name.startswith(".")) == [], "temporary file left behind"


def test_concurrent_decisions_are_all_kept(curated: Path) -> None:
    ids = [f"check-{i}" for i in range(12)]
    threads = [threading.Thread(target=record_decision, args=(curated, i, "accept"), kwargs={"known": ids}) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(d.finding_id for d in read_log(curated)) == sorted(ids)


@pytest.mark.parametrize(
    ("decision", "value", "message"),
    [("approve", None, "must be one of"), ("fix", None, "needs the correct value"), ("fix", "  ", "needs the correct value"), ("accept", "7.5", "only a fix takes a value")],
)
def test_bad_decisions_are_refused(curated: Path, decision: str, value: str | None, message: str) -> None:
    with pytest.raises(DecisionError, match=message):
        record_decision(curated, ERROR.id, decision, value, known=KNOWN)


def test_a_damaged_log_is_an_error_not_ignored(curated: Path) -> None:
    (curated / "decisions.csv").write_text("finding_id,decision\nx,accept\n")
    with pytest.raises(DecisionError, match="header"):
        record_decision(curated, ERROR.id, "accept", known=KNOWN)
    (curated / "decisions.csv").write_text("finding_id,decision,value,note,who,when\nx,acept,,,ann,2026-01-01T00:00:00+00:00\n")
    with pytest.raises(DecisionError, match="row 1"):
        load_decisions(curated)


def test_who_defaults_to_the_login_name(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dec.getpass, "getuser", lambda: "steward7")
    assert record_decision(curated, ERROR.id, "accept", known=KNOWN).who == "steward7"


def test_strict_exit_counts_undecided_errors_only(curated: Path) -> None:
    assert strict_exit([ERROR, WARNING], {}) == 1
    assert strict_exit([WARNING], {}) == 0
    record_decision(curated, ERROR.id, "reject", known=KNOWN)
    assert strict_exit([ERROR, WARNING], load_decisions(curated)) == 0


def test_decide_command_records_and_explains_errors(curated: Path) -> None:
    folder = ["--folder", str(curated)]
    result = runner.invoke(app, ["decide", "some-id", *folder])
    assert result.exit_code == 1 and "exactly one of --accept, --reject, --fix" in result.stderr
    result = runner.invoke(app, ["decide", "some-id", "--accept", "--fix", "3", *folder])
    assert result.exit_code == 1 and "exactly one" in result.stderr
    result = runner.invoke(app, ["decide", "no.such-finding", "--reject", *folder])
    assert result.exit_code == 1 and "unknown finding id 'no.such-finding'" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    target = collect_findings(curated)[0].id
    result = runner.invoke(app, ["decide", target, "--fix", "58", "--note", "the table has [58] rows", *folder])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"fix → 58 for {target}" in result.stdout.replace("\n", " ")
    assert load_decisions(curated)[target].note == "the table has [58] rows"


@pytest.mark.parametrize("command", ["report", "decide"])
def test_commands_have_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output
