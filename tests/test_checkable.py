"""Checks with no configuration on real article PDFs, against hand-annotated checkable numbers
and inconsistencies (``tests/checkable/*.json``, facts only). ``benchmarks/bench_checks.py``
prints the same figures per paper."""

from __future__ import annotations

import pytest

from benchmarks.bench_checks import GOLD, Score, extract, gold, score
from tests.conftest import need_shared

TRUTHS = [gold(p) for p in sorted(GOLD.glob("*.json"))]


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> list[Score]:
    for truth in TRUTHS:
        need_shared("corpus", "pdfs", truth["pdf"])
    raw = tmp_path_factory.mktemp("raw")
    extract(TRUTHS, raw)
    return [score(raw, t) for t in TRUTHS]


def test_at_least_two_papers_are_annotated() -> None:
    assert len(TRUTHS) >= 2 and all(len(t["numbers"]) >= 25 for t in TRUTHS)


def test_recall_of_checkable_numbers(scores: list[Score]) -> None:
    read, annotated = sum(s.captured for s in scores), sum(s.annotated for s in scores)
    assert read / annotated >= 0.85, [m for s in scores for m in s.missed]


def test_precision_of_alarms_and_every_inconsistency_found(scores: list[Score]) -> None:
    alarms, true = sum(s.alarms for s in scores), sum(s.true_alarms for s in scores)
    assert alarms == 0 or true / alarms >= 0.9, [f for s in scores for f in s.false]
    assert all(s.issues_found == s.issues for s in scores)
