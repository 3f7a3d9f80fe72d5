"""Checks with no configuration on real article PDFs, against hand-annotated checkable numbers
and inconsistencies (``tests/checkable/*.json``, facts only) and the hand classification of
every alarm they raise on the corpus (``tests/checkable/alarms.json``).
``benchmarks/bench_checks.py`` prints the same figures per paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_checks import Score, Verdicts, classify, corpus, extract, score, truths
from tests.conftest import need_shared

TRUTHS = truths()


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_shared("corpus", "pdfs")
    for truth in TRUTHS:
        need_shared("corpus", "pdfs", truth["pdf"])
    out = tmp_path_factory.mktemp("raw")
    extract(corpus(), out)
    return out


@pytest.fixture(scope="module")
def scores(raw: Path) -> list[Score]:
    return [score(raw, t) for t in TRUTHS]


def test_at_least_three_papers_are_annotated() -> None:
    assert sum(len(t["numbers"]) >= 25 for t in TRUTHS) >= 3 and all(len(t["numbers"]) >= 10 for t in TRUTHS)


def _recall(scores: list[Score]) -> float:
    return sum(s.captured for s in scores) / sum(s.annotated for s in scores)


def test_recall_of_checkable_numbers(scores: list[Score]) -> None:
    assert _recall(scores) >= 0.85, [m for s in scores for m in s.missed]


def test_recall_of_checkable_numbers_on_every_annotated_paper(scores: list[Score]) -> None:
    assert all(s.captured / s.annotated >= 0.85 for s in scores), {s.paper: s.missed for s in scores}


def test_precision_of_alarms_and_every_inconsistency_found(scores: list[Score]) -> None:
    alarms, true = sum(s.alarms for s in scores), sum(s.true_alarms for s in scores)
    assert alarms == 0 or true / alarms >= 0.9, [f for s in scores for f in s.false]
    assert all(s.issues_found == s.issues for s in scores)


def test_every_corpus_alarm_is_classified_and_precision_holds(raw: Path) -> None:
    verdicts: list[Verdicts] = classify(raw, list(corpus()))
    alarms, true = sum(v.alarms for v in verdicts), sum(len(v.true) for v in verdicts)
    assert alarms == 0 or true / alarms >= 0.9, [line for v in verdicts for line in v.false + v.unclassified]
