"""Regression: a claim finding's id held the claim's row number in claims.csv, so a
re-extraction that reordered the rows changed the ids and the steward's decisions stopped
applying. Claim findings are now keyed by the claim's content-derived claim_id, and decisions
recorded under the old row-keyed ids are carried over (never lost)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from curate.decisions import FILE, carry_over, collect_findings, load_decisions, read_log, record_decision
from curate.findings import Finding, Location


def _reorder_claims(raw: Path) -> None:
    """What a re-extraction may do: the same claims, pages in another order, rows renumbered."""
    for path in raw.glob("*/claims.csv"):
        claims = pd.read_csv(path, dtype=str, keep_default_na=False)
        page = claims["page"].astype(int)
        claims = pd.concat([claims[page == page.max()], claims[page != page.max()]], ignore_index=True)
        claims["index"] = [str(i) for i in range(1, len(claims) + 1)]
        claims.to_csv(path, index=False)


def _claim_findings(findings: list[Finding]) -> dict[tuple[str, str | None, str | None, str], Finding]:
    return {(f.check, f.paper_id, f.location.anchor, f.subject): f for f in findings if f.location.file == "claims.csv" and f.location.anchor}


def test_reordered_claims_keep_their_finding_ids_and_decisions(curated: Path) -> None:
    before = _claim_findings(collect_findings(curated))
    assert len(before) > 20, "the shipped papers have claim findings"
    chosen = next(f for f in before.values() if f.severity != "info")
    record_decision(curated, chosen.id, "reject", note="checked on p. 3")
    _reorder_claims(curated.parent / "raw")
    after = _claim_findings(collect_findings(curated))
    moved = [k for k in before if k in after and before[k].location.row != after[k].location.row]
    assert len(moved) > 10, "the reordering moved claims to other rows"
    assert all(after[k].id == before[k].id for k in moved), "same claim, same check: same id whatever its row"
    assert load_decisions(curated)[chosen.id].decision == "reject"


def test_decisions_under_the_old_row_keyed_ids_are_carried_over(curated: Path) -> None:
    findings = collect_findings(curated)
    old = [f for f in _claim_findings(findings).values() if f.severity != "info"][:2]
    log = curated / FILE
    log.write_text("finding_id,decision,value,note,who,when\n" + "".join(f"{f.legacy_id},fix,7.5,misprint,ann,2025-01-0{i + 1}T00:00:00+00:00\n" for i, f in enumerate(old)))
    before = log.read_bytes()
    collect_findings(curated)
    assert log.read_bytes().startswith(before), "the old rows stay as they were"
    decisions = load_decisions(curated)
    for f in old:
        d = decisions[f.id]
        assert (d.decision, d.value, d.who) == ("fix", "7.5", "ann") and f"carried over from {f.legacy_id}" in d.note
    collect_findings(curated)
    assert len(read_log(curated)) == 4, "carried over once"


def test_an_old_id_that_is_ambiguous_or_already_decided_is_not_carried_over(tmp_path: Path) -> None:
    def claim(anchor: str, row: int = 5) -> Finding:
        return Finding("text.parts", "error", "parts do not add up", Location("claims.csv", row, None, 2, anchor), "p2020", "10", "9")

    twins = [claim("c02-count-aaaaaa-1"), claim("c02-count-bbbbbb-1")]
    assert twins[0].legacy_id == twins[1].legacy_id and twins[0].id != twins[1].id
    record_decision(tmp_path, twins[0].legacy_id or "", "reject", force=True)
    assert carry_over(tmp_path, twins) == [], "one old id, two new ones: which is meant is unknown"
    single = claim("c02-count-cccccc-1", row=6)
    record_decision(tmp_path, single.legacy_id or "", "reject", force=True)
    record_decision(tmp_path, single.id, "accept", force=True)
    assert carry_over(tmp_path, [single]) == [] and load_decisions(tmp_path)[single.id].decision == "accept", "a decision of its own wins"
    assert Finding("x.y", "info", "m", Location("papers.csv", 3)).legacy_id is None, "only anchored findings had another id"
