"""A table's quality score: how well a candidate grid accounts for the words in its box.

The score multiplies four factors in [0, 1] so that any one failure shows:
- token F1: the words printed inside the table box against the words in the cells (a word
  cut in two, lost, or pulled in from outside costs here);
- column consistency: a column holds numbers or text, not a mix (a shifted cell costs here);
- no one-cell rows in a table of three or more columns (a wrapped cell split into rows);
- no empty columns (a spurious split).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

_NUMERIC = re.compile(r"^[<>≤≥~±+-]?\d")  # starts like a number: "63%", "<6 m", "8/10(A)"
_NEUTRAL = {"NA", "N/A", "NR", "-", "--", "—", "–", "ND", "n.a."}


def is_numeric(cell: str) -> bool:
    """A cell that starts like a number ("63%", "<6 m", "8/10(A)"); "NA"-like cells are not."""
    return cell.strip() not in _NEUTRAL and bool(_NUMERIC.match(cell.strip()))


def _tokens(texts: Sequence[str]) -> Counter[str]:
    return Counter(tok for t in texts for tok in t.split())


def token_f1(cells: Sequence[Sequence[str]], words: Sequence[str]) -> float:
    """F1 of cell tokens against printed words (multisets)."""
    got = _tokens([c for row in cells for c in row])
    want = _tokens(words)
    if not got or not want:
        return 0.0
    hit = sum((got & want).values())
    precision = hit / sum(got.values())
    recall = hit / sum(want.values())
    return 0.0 if hit == 0 else 2 * precision * recall / (precision + recall)


def column_consistency(rows: Sequence[Sequence[str]]) -> float:
    """Mean over columns of the share of the majority kind (number or text) among filled cells."""
    if not rows:
        return 0.0
    ncols = max(len(r) for r in rows)
    shares = []
    for c in range(ncols):
        kinds = [is_numeric(r[c]) for r in rows if c < len(r) and r[c].strip() and r[c].strip() not in _NEUTRAL]
        if kinds:
            numeric = sum(kinds)
            shares.append(max(numeric, len(kinds) - numeric) / len(kinds))
    return sum(shares) / len(shares) if shares else 0.0


def score(header: Sequence[str], rows: Sequence[Sequence[str]], words: Sequence[str]) -> float:
    """Quality in [0, 1] of a candidate (header + body rows) for a box whose printed words are ``words``."""
    if not rows:
        return 0.0
    ncols = max(len(r) for r in rows)
    f1 = token_f1([list(header), *rows], words)
    consistency = column_consistency(rows)
    single = sum(1 for r in rows if sum(1 for c in r if c.strip()) == 1) / len(rows) if ncols >= 3 else 0.0
    empty_cols = sum(1 for c in range(ncols) if not any(c < len(r) and r[c].strip() for r in rows)) / ncols
    return round(f1 * consistency * (1 - single) * (1 - empty_cols), 4)
