"""Decisions: an append-only, atomic log; the latest decision wins; unknown ids are refused."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from curate import decisions as dec
from curate.cli_report import decide, report
from curate.decisions import DecisionError, Request, collect_findings, current_facts, fact_groups, load_decisions, read_log, read_requests, record_decision, record_decisions, strict_exit
from curate.findings import Finding, Location

ERROR = Finding("schema.range", "error", "hba1c_before 75 is out of range", Location("patients.csv", 5, "hba1c_before", 3), "matsuoka2025", "75", 7.5)
WARNING = Finding("claim.recomputed", "warning", "reported 35, computed 35.5", Location("claims.csv", 6, None, 2), "matsuoka2025", "35", 35.5)
KNOWN = {ERROR.id, WARNING.id}

#: The commands as `curate` registers them (they are registered on the real app in curate/cli.py).
app = typer.Typer(pretty_exceptions_enable=False, rich_markup_mode="markdown")
app.command()(report)
app.command()(decide)
runner = CliRunner()



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

    monkeypatch.setattr(os, "replace", crash)  # the atomic write renames into place
    with pytest.raises(OSError):
        record_decision(curated, WARNING.id, "reject", known=KNOWN)
    assert (curated / "decisions.csv").read_bytes() == before
    left = sorted(p.name for p in curated.iterdir() if p.name.startswith(".") and p.name not in (dec.LOCK, dec.CACHE))
    assert left == [], "temporary file left behind"


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


def test_current_ids_are_reused_until_an_input_changes(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids, _ = current_facts(curated)
    assert ids == {f.id for f in collect_findings(curated)}
    calls = []
    real = dec.collect_findings
    monkeypatch.setattr(dec, "collect_findings", lambda *a: calls.append(a) or real(*a))
    assert current_facts(curated)[0] == ids and calls == [], "unchanged inputs: the checks are not run again"
    record_decision(curated, sorted(ids)[0], "accept")
    assert calls == [], "a decision is not an input of the findings"
    papers = curated / "papers.csv"
    papers.write_text(papers.read_text() + "\n")
    current_facts(curated)
    assert len(calls) == 1, "a changed input: the checks run again"


def test_decisions_from_a_file_are_all_recorded_in_one_write_or_none(curated: Path) -> None:
    sheet = curated.parent / "choices.csv"
    sheet.write_text(
        "finding_id,decision,value,note\n"
        f"{ERROR.id},fix,7.5,\"decimal point, p. 3\"\n"
        f"{WARNING.id},reject,,\n"
        "undecided-1,,,\n"
    )
    requests = read_requests(sheet)
    assert [(r.finding_id, r.decision, r.value, r.note) for r in requests] == [(ERROR.id, "fix", "7.5", "decimal point, p. 3"), (WARNING.id, "reject", "", "")]
    made = record_decisions(curated, requests, "ann", known=KNOWN)
    assert [d.finding_id for d in read_log(curated)] == [ERROR.id, WARNING.id] and {d.when for d in made} == {made[0].when}
    before = (curated / "decisions.csv").read_bytes()
    with pytest.raises(DecisionError, match="unknown finding id 'nope-1'"):
        record_decisions(curated, [Request(ERROR.id, "accept"), Request("nope-1", "accept")], known=KNOWN)
    with pytest.raises(DecisionError, match="needs the correct value"):
        record_decisions(curated, [Request(ERROR.id, "accept"), Request(WARNING.id, "fix")], known=KNOWN)
    assert (curated / "decisions.csv").read_bytes() == before, "a bad row records nothing"


def test_decide_from_a_file_on_the_command_line(curated: Path) -> None:
    findings = collect_findings(curated)
    sheet = curated.parent / "choices.csv"
    sheet.write_text("finding_id,decision,value,note\n" + "".join(f"{f.id},reject,,checked\n" for f in findings[:30]), encoding="utf-8-sig")
    result = runner.invoke(app, ["decide", "--from", str(sheet), "--folder", str(curated)])
    assert result.exit_code == 0, result.output + result.stderr
    assert {f.id for f in findings[:30]} <= set(load_decisions(curated))
    result = runner.invoke(app, ["decide", "--from", str(curated.parent / "missing.csv"), "--folder", str(curated)])
    assert result.exit_code == 1 and "missing.csv is missing" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["decide", findings[0].id, "--accept", "--from", str(sheet), "--folder", str(curated)])
    assert result.exit_code == 1 and "--from takes its decisions from the file" in result.stderr
    (curated.parent / "bad.csv").write_text("id,verdict\nx,accept\n")
    result = runner.invoke(app, ["decide", "--from", str(curated.parent / "bad.csv"), "--folder", str(curated)])
    assert result.exit_code == 1 and "column 'finding_id' is missing" in result.stderr


def test_one_fact_found_by_two_checks_is_decided_once(curated: Path) -> None:
    """A duplicated reference entry reported by the reference-list check and by the works registry."""
    findings = collect_findings(curated)
    groups = [g for g in fact_groups(findings) if len(g) > 1]
    dup = next(g for g in groups if {f.check for f in g} == {"reference.duplicate", "works.duplicate_in_list"})
    assert dup[0].check == "reference.duplicate", "the one with a row is the one to decide by"
    assert all(len({f.paper_id for f in g}) == 1 for g in groups)
    record_decision(curated, dup[0].id, "reject", note="two editions")
    decided = load_decisions(curated)
    assert {f.id for f in dup} <= set(decided) and decided[dup[1].id].note == "two editions"
    other = Finding("works.duplicate_in_list", "warning", "x", Location("references.csv"), "matsuoka2025", related=(Location("references.csv", 99),))
    assert len(fact_groups([dup[0], other])) == 2, "other rows: another fact"
