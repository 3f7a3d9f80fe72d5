"""Settings of table extraction, validated where they are made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from curate.extract.vocabulary import GENERIC_VOCABULARY, Vocabulary

PEER_FLAVORS = ("camelot-lattice", "camelot-stream", "pdfplumber-lines", "pdfplumber-text")


@dataclass(frozen=True)
class ExtractSettings:
    """How tables are found and chosen. The defaults are the ones tests and benchmarks pin.

    ``peers`` are the third-party extractors run beside curate's own rule-and-alignment
    extractor; every table keeps the candidate with the best quality score.
    """

    peers: tuple[str, ...] = PEER_FLAVORS
    #: Horizontal rules shorter than this (points) are underlines, not table rules.
    min_rule_length: float = 40.0
    #: A table needs at least this many body rows and columns.
    min_rows: int = 1
    min_cols: int = 2
    #: A column gutter is at least this many ems wide.
    min_gutter_em: float = 0.5
    #: Stitch a table continued on the next page into one table.
    stitch_pages: bool = True
    #: The review's words: what a claim of the text is about (its measures, its categories).
    vocabulary: Vocabulary = field(default=GENERIC_VOCABULARY)

    def __post_init__(self) -> None:
        unknown = set(self.peers) - set(PEER_FLAVORS)
        if unknown:
            raise ValueError(f"unknown peer extractor(s) {sorted(unknown)}; choose from {list(PEER_FLAVORS)}")
        if self.min_rule_length <= 0:
            raise ValueError("min_rule_length must be positive")
        if self.min_rows < 1 or self.min_cols < 2:
            raise ValueError("a table needs at least 1 row and 2 columns")
        if not 0.1 <= self.min_gutter_em <= 5:
            raise ValueError("min_gutter_em must be between 0.1 and 5")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for manifests."""
        d = asdict(self)
        d["peers"] = list(self.peers)
        d["vocabulary"] = self.vocabulary.as_dict()
        return d
