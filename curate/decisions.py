"""The steward's decisions about findings: ``curated/decisions.csv``, an append-only log.

A steward answers for every number, so a decision is never edited or lost: each one is a new
row (``finding_id, decision, value, note, who, when``), and the latest row for a finding is the
one in force. Earlier rows stay byte for byte as they were written, so the file is an audit
trail that diffs cleanly in version control.

Decisions are keyed by :attr:`curate.findings.Finding.id`, which is stable across runs, so a
decision stays attached to its problem when validation runs again. A decision recorded under an
id a finding no longer has (:attr:`~curate.findings.Finding.legacy_id`: claim findings were once
keyed by their row in claims.csv) is carried over when the findings are next collected
(:func:`carry_over`): a new row, same decision, who and when, its note naming the old id.

- ``accept``: the finding is right; the value stays flagged as doubtful.
- ``reject``: the finding is a false alarm; the value stands as printed.
- ``fix``: the finding is right and ``value`` is the correct value.

Some checks report the same fact in different words (a duplicated reference entry is found by
the reference-list check and by the works registry): :func:`fact_groups` puts them together,
and a decision about the first of a group is recorded for all of it, so nothing is asked twice.
Many decisions at once (``curate decide --from``, or the file the report exports) are checked
first and then appended in one atomic write.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from curate import __version__
from curate.extract.output import csv_text, write_bytes, write_text
from curate.findings import SEVERITIES, Finding
from curate.review import Review
from curate.schemas.io import read_table

FILE = "decisions.csv"
COLUMNS = ("finding_id", "decision", "value", "note", "who", "when")
DECISIONS = ("accept", "reject", "fix")
#: decision -> the status a report shows; a finding without a decision is ``open``.
STATUS = {"accept": "accepted", "reject": "rejected", "fix": "fixed"}
LOCK = ".decisions.lock"  # held while the log is replaced, so concurrent deciders both keep their rows
CACHE = ".findings.json"  # the current finding ids, with the fingerprint of the inputs they came from
#: Checks that report one fact in other words: findings of one family about the same paper and the
#: same rows (location and related) are one thing to decide.
SAME_FACT = {"reference.duplicate": "duplicate entry", "works.duplicate_in_list": "duplicate entry"}
#: Columns of a file of decisions to record (``curate decide --from``); who/when may be there too.
REQUEST_COLUMNS = ("finding_id", "decision", "value", "note")


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
    findings = validate(curated, raw, review)
    try:
        carry_over(curated, findings)
    except (OSError, DecisionError):
        pass  # a read-only folder or a damaged log: the log is left as it is (validate reports the damage)
    return findings


def carry_over(folder: Path, findings: Iterable[Finding]) -> list[Decision]:
    """Carry decisions recorded under a finding's legacy id over to its current id; return the rows appended.

    An old id is carried over only when it maps to exactly one current finding that has no
    decision of its own; the old rows stay in the log as they were (nothing is lost).
    """
    if not (folder / FILE).is_file():
        return []
    current: set[str] = set()
    new_of: dict[str, set[str]] = {}
    for f in findings:
        current.add(f.id)
        if f.legacy_id is not None:
            new_of.setdefault(f.legacy_id, set()).add(f.id)
    if not new_of:
        return []
    decisions = load_decisions(folder)
    moved = []
    for old, d in decisions.items():
        targets = new_of.get(old, set())
        if old not in current and len(targets) == 1 and (new := next(iter(targets))) not in decisions:
            moved.append(Decision(new, d.decision, d.value, f"{d.note} [carried over from {old}]".strip(), d.who, d.when))
    return _append(folder, moved)


def fact_groups(findings: Iterable[Finding]) -> list[list[Finding]]:
    """Findings grouped by the fact they report, in first-seen order; each group's first is the one to decide by.

    The first is the most severe, then the one with a row (the most precise place).
    """
    groups: dict[object, list[Finding]] = {}
    for f in findings:
        family = SAME_FACT.get(f.check)
        places = frozenset((loc.file, loc.row) for loc in (f.location, *f.related) if loc.row is not None)
        groups.setdefault((family, f.paper_id, places) if family and places else f.id, []).append(f)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return [sorted(g, key=lambda f: (rank[f.severity], f.location.row is None, f.check)) for g in groups.values()]


def _fingerprint(curated: Path, raw: Path) -> str:
    """Sizes and times of every input of the findings (and of curate's own code): equal means same findings."""
    code = [Path(__file__).parent, Path(__file__).parent.parent / "extract", Path(__file__).parent.parent / "schemas"]
    files = [p for p in curated.rglob("*") if p.name not in (FILE, CACHE, LOCK)]
    files += list(raw.rglob("*")) if raw.is_dir() else []
    files += [p for d in code for p in d.glob("*.py")]
    digest = hashlib.sha1(__version__.encode())
    for path in sorted(files):
        st = path.stat()
        digest.update(f"{path}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def current_facts(curated: Path, raw: Path | None = None) -> tuple[set[str], dict[str, list[str]]]:
    """(current finding ids, decide-by id -> the other ids of its fact), without re-running unchanged checks.

    Running every check takes seconds; deciding should not. The ids are kept in
    ``curated/.findings.json`` with a fingerprint of the inputs and reused while it matches.
    """
    raw = raw if raw is not None else curated.parent / "raw"
    stamp = _fingerprint(curated, raw)
    try:
        cached = json.loads((curated / CACHE).read_text(encoding="utf-8"))
        if cached.get("fingerprint") == stamp:
            return set(cached["ids"]), {k: list(v) for k, v in cached["facts"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    findings = collect_findings(curated, raw)
    ids = {f.id for f in findings}
    facts = {g[0].id: [f.id for f in g[1:]] for g in fact_groups(findings) if len(g) > 1}
    try:
        write_text(curated / CACHE, json.dumps({"fingerprint": stamp, "ids": sorted(ids), "facts": facts}))
    except OSError:
        pass  # a read-only dataset: decide is slower next time, not wrong
    return ids, facts


def _who() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "unknown"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder``'s log so two stewards deciding at once both keep their row (any OS)."""
    with FileLock(folder / LOCK):
        yield


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


@dataclass(frozen=True, slots=True)
class Request:
    """A decision to record: one row of a decisions file (``curate decide --from``)."""

    finding_id: str
    decision: str
    value: str = ""
    note: str = ""


def read_requests(path: Path) -> list[Request]:
    """The decisions in a CSV file (``finding_id, decision[, value, note]``; who/when are ignored).

    Rows without a decision are skipped (a sheet the steward has not finished); anything else
    that is wrong is an error naming the row, before anything is recorded.
    """
    table = read_table(path, REQUEST_COLUMNS[:2])
    bad = next((d for d in table.damage if d.severity == "error"), None)
    if bad is not None:
        raise DecisionError(f"{path}{bad.message.removeprefix(path.name)}")
    found = []
    for number, cells in enumerate(table.rows, start=1):
        row = dict(zip(table.header, cells))
        get = {k: (row.get(k) or "").strip() for k in REQUEST_COLUMNS}
        if not get["decision"]:
            continue
        if not get["finding_id"]:
            raise DecisionError(f"{path} row {number}: no finding_id")
        found.append(Request(get["finding_id"], get["decision"].lower(), get["value"], row.get("note") or ""))
    return found


def _check(request: Request) -> None:
    if request.decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, not {request.decision!r}")
    if request.decision == "fix" and not request.value.strip():
        raise DecisionError("a fix needs the correct value")
    if request.decision != "fix" and request.value:
        raise DecisionError(f"only a fix takes a value ({request.decision} does not)")


def record_decisions(
    folder: Path,
    requests: Sequence[Request],
    who: str | None = None,
    *,
    known: Collection[str] | None = None,
    facts: Mapping[str, Sequence[str]] | None = None,
    force: bool = False,
) -> list[Decision]:
    """Append ``requests`` to ``folder/decisions.csv`` in one atomic write; return the rows written.

    Every request is checked first (all or nothing). ``known`` is the set of current finding
    ids (from :func:`current_facts` when not given); a decision about any other id is refused
    unless ``force``; a request equal to the decision in force is not recorded twice (a retry).
    A decision about the first finding of a fact (``facts``) is recorded for
    the others of that fact too. The existing bytes are copied unchanged into a temporary file
    with the new rows after them, which then replaces the log (``os.replace``): a crash leaves
    the old log or the new one, never half a row, and earlier rows are never rewritten.
    """
    if not folder.is_dir():
        raise DecisionError(f"{folder} is not a folder")
    for request in requests:
        try:
            _check(request)
        except DecisionError as exc:
            raise DecisionError(f"{request.finding_id}: {exc}" if len(requests) > 1 else str(exc)) from None
    if known is None and not force:
        known, facts = current_facts(folder)
    facts = facts or {}
    if not force:
        ids = set(known or ())
        unknown = [r.finding_id for r in requests if r.finding_id not in ids]
        if unknown:
            unchecked = "" if (folder.parent / "raw").is_dir() else "; no raw/ beside it, so only validation ran"
            more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
            raise DecisionError(f"unknown finding id {unknown[0]!r}{more}: not among the {len(ids)} current findings of {folder}{unchecked} (use --force to record it anyway)")
    who, when = who or _who(), _now()
    made = []
    for r in requests:
        made.append(Decision(r.finding_id, r.decision, r.value.strip(), r.note, who, when))
        made += [Decision(other, r.decision, r.value.strip(), r.note or f"same fact as {r.finding_id}", who, when) for other in facts.get(r.finding_id, ())]
    return _append(folder, made)


def _append(folder: Path, made: list[Decision]) -> list[Decision]:
    """Append ``made`` to the log in one atomic write under the lock, except those equal to the decision in force."""
    if not made:
        return []
    path = folder / FILE
    with _locked(folder):
        in_force = {r["finding_id"]: r for r in _rows(path)}  # refuses a damaged log
        # a retry of the decision in force records nothing twice
        made = [d for d in made if (d.decision, d.value, d.note) != tuple(in_force.get(d.finding_id, {}).get(k) for k in ("decision", "value", "note"))]
        if made:
            old = path.read_bytes() if path.exists() else b""
            if not old.strip():
                old = _line(COLUMNS).encode("utf-8")
            elif not old.endswith(b"\n"):
                old += b"\n"
            write_bytes(path, old + "".join(_line(tuple(getattr(d, c) for c in COLUMNS)) for d in made).encode("utf-8"))
    return made


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
    """Append one decision to ``folder/decisions.csv`` atomically and return it (see :func:`record_decisions`).

    A retry of the decision in force records nothing and returns the one recorded.
    """
    made = record_decisions(folder, [Request(finding_id, decision, value or "", note)], who, known=known, force=force)
    return made[0] if made else load_decisions(folder)[finding_id]


def status_of(finding: Finding, decisions: Mapping[str, Decision]) -> str:
    """``open`` or the status of the decision in force for ``finding``."""
    found = decisions.get(finding.id)
    return found.status if found else "open"


def strict_exit(findings: Collection[Finding], decisions: Mapping[str, Decision]) -> int:
    """Exit status for ``curate validate --strict``: 1 while any error-level finding is undecided."""
    return int(any(f.severity == "error" and f.id not in decisions for f in findings))
