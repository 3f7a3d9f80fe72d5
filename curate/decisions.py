"""The steward's decisions about findings: ``curated/decisions.csv``, an append-only log.

A steward answers for every number, so a decision is never edited or lost: each one is a new
row (``finding_id, decision, value, note, who, when``), and the latest row for a finding is the
one in force. Earlier rows stay byte for byte as they were written, so the file is an audit
trail that diffs cleanly in version control.

Decisions are keyed by :attr:`curate.findings.Finding.id`, which is stable across runs, so a
decision stays attached to its problem when validation runs again.

- ``accept``: the finding is right; the value stays flagged as doubtful.
- ``reject``: the finding is a false alarm; the value stands as printed.
- ``fix``: the finding is right and ``value`` is the correct value.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import getpass
import os
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from curate.findings import Finding
from curate.review import Review
from extract.output import csv_text, write_bytes
from schemas.io import read_table

FILE = "decisions.csv"
COLUMNS = ("finding_id", "decision", "value", "note", "who", "when")
DECISIONS = ("accept", "reject", "fix")
#: decision -> the status a report shows; a finding without a decision is ``open``.
STATUS = {"accept": "accepted", "reject": "rejected", "fix": "fixed"}


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown finding, bad decision, damaged file)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of ``decisions.csv``."""

    finding_id: str
    decision: str
    value: str
    note: str
    who: str
    when: str

    @property
    def status(self) -> str:
        return STATUS[self.decision]


def collect_findings(curated: Path, raw: Path | None = None, review: Review | None = None) -> list[Finding]:
    """Every current finding: ``curate validate`` with its consistency checks (:mod:`curate.checks`).

    The checks need the extracted papers: ``raw`` (default: the ``raw`` folder beside
    ``curated``); without that folder the findings are those of validation alone, and say
    so. ``review``: default the copy of the review in ``curated``.
    """
    from curate.validate import validate

    raw = raw if raw is not None else curated.parent / "raw"
    return validate(curated, raw, review)


def _who() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "unknown"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` so two stewards deciding at once both keep their row."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of ``decisions.csv`` in file order ([] when there is none); damage (a wrong
    header, a ragged row, a folder in its place) is an error: a decision must not vanish."""
    if not path.exists() or (path.is_file() and not path.read_bytes().strip()):
        return []
    table = read_table(path)
    bad = next((d for d in table.damage if d.severity == "error"), None)
    if bad is not None:
        raise DecisionError(f"{path}{bad.message.removeprefix(path.name)}")
    if tuple(table.header) != COLUMNS:
        raise DecisionError(f"{path}: header is {','.join(table.header)}, expected {','.join(COLUMNS)}")
    return [dict(zip(COLUMNS, row)) for row in table.rows]


def read_log(folder: Path) -> list[Decision]:
    """Every decision ever recorded in ``folder``, oldest first (the audit trail).

    A row with an unknown decision (a hand edit gone wrong) is an error, not silently skipped:
    a decision the steward believes is in force must not vanish.
    """
    log = []
    for number, row in enumerate(_rows(folder / FILE), start=1):
        if row["decision"] not in DECISIONS:
            raise DecisionError(f"{folder / FILE} row {number}: decision {row['decision']!r} is not one of {', '.join(DECISIONS)}")
        log.append(Decision(**row))
    return log


def load_decisions(folder: Path) -> dict[str, Decision]:
    """finding id -> the decision in force (the last one recorded for it)."""
    return {d.finding_id: d for d in read_log(folder)}


def _line(values: tuple[str, ...]) -> str:
    return csv_text([values])


def record_decision(
    folder: Path,
    finding_id: str,
    decision: str,
    value: str | None = None,
    note: str = "",
    who: str | None = None,
    *,
    known: Collection[str] | None = None,
    force: bool = False,
) -> Decision:
    """Append one decision to ``folder/decisions.csv`` atomically and return it.

    The existing bytes are copied unchanged into a temporary file with the new row after them,
    and the temporary file replaces the log (``os.replace``): a crash leaves the old log or the
    new one, never half a row, and earlier rows are never rewritten. ``known`` is the set of
    current finding ids (computed with :func:`collect_findings` when not given); a decision
    about any other id is refused unless ``force``.
    """
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if decision == "fix" and not (value or "").strip():
        raise DecisionError("a fix needs the correct value")
    if decision != "fix" and value:
        raise DecisionError(f"only a fix takes a value ({decision} does not)")
    if not folder.is_dir():
        raise DecisionError(f"{folder} is not a folder")
    if not force:
        ids = set(known) if known is not None else {f.id for f in collect_findings(folder)}
        if finding_id not in ids:
            unchecked = "" if known is not None or (folder.parent / "raw").is_dir() else "; no raw/ beside it, so only validation ran"
            raise DecisionError(f"unknown finding id {finding_id!r}: not among the {len(ids)} current findings of {folder}{unchecked} (use --force to record it anyway)")
    made = Decision(finding_id, decision, (value or "").strip(), note, who or _who(), _now())
    path = folder / FILE
    with _locked(folder):
        in_force = {r["finding_id"]: r for r in _rows(path)}.get(finding_id)  # refuses a damaged log
        if in_force and (in_force["decision"], in_force["value"], in_force["note"]) == (made.decision, made.value, made.note):
            return Decision(**in_force)  # a retry of the decision in force records nothing twice
        old = path.read_bytes() if path.exists() else b""
        if not old.strip():
            old = _line(COLUMNS).encode("utf-8")
        elif not old.endswith(b"\n"):
            old += b"\n"
        write_bytes(path, old + _line(tuple(getattr(made, c) for c in COLUMNS)).encode("utf-8"))
    return made


def status_of(finding: Finding, decisions: Mapping[str, Decision]) -> str:
    """``open`` or the status of the decision in force for ``finding``."""
    found = decisions.get(finding.id)
    return found.status if found else "open"


def strict_exit(findings: Collection[Finding], decisions: Mapping[str, Decision]) -> int:
    """Exit status for ``curate validate --strict``: 1 while any error-level finding is undecided."""
    return int(any(f.severity == "error" and f.id not in decisions for f in findings))
