"""The engine names no disease, measure or category: every domain word of the bundled example
reviews lives in their review.toml, none in extract/, curate/ or schemas/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curate.extract.vocabulary import SUBJECTS
from curate.review import PROVENANCE, ROLES, load_review
from tests.conftest import EXAMPLES, ROOT

REVIEWS = sorted((EXAMPLES / "reviews").glob("*/review.toml"))
ENGINE = sorted(p for folder in ("extract", "curate", "schemas") for p in (ROOT / folder).rglob("*.py"))
#: Words the engine may use: its generic subjects, column roles and provenance, and the
#: generic columns of any clinical table (who, which arm, which visit).
GENERIC = {*SUBJECTS, "aged", "years old", "follow-up", "followup", *ROLES, *PROVENANCE, "work_id", "sex", "patient", "visit", "country", "route"}


def domain_words(review: Path) -> set[str]:
    """The words a review brings: its measures and their words, its categories' values and
    words, its tables' column names."""
    r = load_review(review)
    words = {m.name for m in r.measures.values()} | {w for m in r.measures.values() for w in m.words}
    words |= {v for c in r.categories.values() for v in c.values} | {w for c in r.categories.values() for ws in c.values.values() for w in ws}
    words |= {c for t in r.tables.values() for c in t.columns}
    return {w for w in words if w.lower() not in {g.lower() for g in GENERIC}}


def test_there_are_two_example_reviews_on_different_topics() -> None:
    assert len(REVIEWS) >= 2
    first, second = (domain_words(r) for r in REVIEWS[:2])
    assert len(first) > 10 and len(second) > 10


@pytest.mark.parametrize("review", REVIEWS, ids=lambda p: p.parent.name)
def test_no_domain_word_in_the_engine(review: Path) -> None:
    patterns = {w: re.compile(rf"(?<![A-Za-z0-9]){re.escape(w)}(?![A-Za-z0-9])", re.I) for w in domain_words(review)}
    found = sorted({(str(p.relative_to(ROOT)), w) for p in ENGINE for w, pattern in patterns.items() if pattern.search(p.read_text(encoding="utf-8"))})
    assert found == [], f"domain words of {review.parent.name} in the engine: {found}"
