"""Findings: the one contract shared by ``curate validate``, the checks and the report.

JSON form (``Finding.as_dict``)::

    {"id": "<stable>", "check": "<check name>", "severity": "error"|"warning"|"info",
     "paper_id": ..., "message": ..., "reported": ..., "computed": ...,
     "location": {"file": ..., "row": ..., "column": ..., "page": ...},
     "related": [{"file": ..., "row": ..., "column": ..., "page": ...}, ...]}

``related`` lists other places the evidence is in (the row of another paper's table that a
sentence is compared with); it is empty for most checks and is not part of the id.

The id is a hash of the check, the location and the subject of the finding (not of its
message or values), so the same problem found again on a later run keeps its id and a
steward's decision about it stays attached. A location whose row number is not stable (a
claim of ``raw/<paper>/claims.csv``, whose rows a re-extraction may reorder) is keyed by its
``anchor`` (the claim's content-derived ``claim_id``) instead; :attr:`Finding.legacy_id` is
the id such a finding had before, so decisions recorded under it are carried over.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a curated (or raw) file, its data row (1-based), column, PDF page.

    ``anchor``: a stable name of the row (a claim's id) that keys the finding's id instead of
    ``row`` (shown for people; not part of the JSON contract).
    """

    file: str | None = None
    row: int | None = None
    column: str | None = None
    page: int | str | None = None
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a steward should look at."""

    check: str
    severity: str
    message: str
    location: Location = field(default_factory=Location)
    paper_id: str | None = None
    reported: Any = None
    computed: Any = None
    subject: str = ""  # what the finding is about, when location alone does not say (part of the id)
    related: tuple[Location, ...] = ()  # other places its evidence is in (not part of the id)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    @property
    def id(self) -> str:
        return self._key(self.location.anchor or self.location.row)

    @property
    def legacy_id(self) -> str | None:
        """The id keyed by the row number, for an anchored finding (what earlier versions called it); else None."""
        return self._key(self.location.row) if self.location.anchor else None

    def _key(self, row: object) -> str:
        loc = self.location
        key = "|".join(str(v) for v in (self.check, self.paper_id, loc.file, row, loc.column, self.subject))
        return f"{self.check}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "check": self.check,
            "severity": self.severity,
            "paper_id": self.paper_id,
            "message": self.message,
            "reported": _plain(self.reported),
            "computed": _plain(self.computed),
            "location": _location(self.location),
            "related": [_location(r) for r in self.related],
        }


def claim_location(claim: Any) -> Location:
    """Where a claim of ``raw/<paper>/claims.csv`` (a row with ``index``, ``page`` and ``claim_id``) points:
    anchored on its ``claim_id`` (page, kind and printed span), which survives a re-extraction that reorders rows."""
    if claim is None:
        return Location(file="claims.csv")
    return Location(file="claims.csv", row=int(claim["index"]), column=None, page=int(claim["page"]), anchor=str(claim.get("claim_id") or "") or None)


def _location(loc: Location) -> dict[str, Any]:
    return {"file": loc.file, "row": loc.row, "column": loc.column, "page": _plain(loc.page)}


def _plain(value: Any) -> Any:
    """JSON-safe scalars (numpy and pandas values become Python ones; NaN becomes None)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
