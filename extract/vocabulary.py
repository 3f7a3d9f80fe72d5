"""A review's words, for claim extraction: what a number in the text is about.

The engine knows only generic subjects (age, follow-up, dose, patients, studies); a review
adds its measures (the words papers use for each), the measures its groups are defined by
and the categories whose mentions are claims. :meth:`curate.review.Review.vocabulary` builds
one from a ``review.toml``; :class:`curate.extract.settings.ExtractSettings` carries it to the
extractors (and it is recorded in each manifest).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

NUM = r"[-−–]?\d+(?:[.,]\d+)?"

#: Generic subjects a claim can be about, in the words papers use (the first found near the
#: number wins); the review adds its own measures (:class:`Vocabulary`).
SUBJECTS = {
    "age": r"\bage\b|aged|years old",
    "follow_up": r"follow-?up|observ\w+ (?:period|duration|month)|duration",
    "dose": r"\bdose|billion cells|million cells",
    "patients": r"patients|participants|subjects|cases|individuals",
    "studies": r"studies|trials",
}
#: Generic measures a group may be defined by ("older (age > 65 years)"); the review adds its own.
GROUP_MEASURES = ("age", "BMI")


def group_pattern(measures: Sequence[str]) -> re.Pattern[str]:
    """A group definition: a name, then a measure and its bounds in brackets ("severe (X >8%)")."""
    words = "|".join(re.escape(m) for m in sorted(set(measures), key=len, reverse=True))
    return re.compile(
        rf"\b(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){{0,2}})\s*\(\s*(?P<measure>{words})\s*(?P<op>[<>≤≥]=?)?\s*"
        rf"(?P<lo>{NUM})\s*(?:(?:-|–|to)\s*(?P<hi>{NUM}))?\s*(?P<unit>%|years|kg/m2|mg/dL|mmHg|mmol/L)?\s*\)",
        re.I,
    )


def _abbreviation(word: str) -> bool:
    """'ABC', 'AbC', 'ABc': one token with two capitals or more (matched as printed)."""
    return bool(re.fullmatch(r"[A-Za-z0-9-]+", word)) and sum(c.isupper() for c in word) >= 2


def category_pattern(words: Sequence[str]) -> str:
    """A mention of a category value by its words: an abbreviation as printed, with an optional
    prefix and plural ('XY-ABCs' for 'ABC'), or a phrase in any case, singular or plural."""
    abbreviations = sorted((re.escape(w) for w in words if _abbreviation(w)), key=len, reverse=True)
    phrases = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words if not _abbreviation(w)), key=len, reverse=True)
    parts = [rf"(?:[A-Z]{{1,3}}-)?(?:{'|'.join(abbreviations)})s?"] if abbreviations else []
    parts += [rf"(?i:{'|'.join(phrases)})s?"] if phrases else []
    return rf"\b(?P<name>{'|'.join(parts)})\b" if parts else r"(?!)"


@dataclass(frozen=True)
class Vocabulary:
    """The words of a review, so that claims know what they are about with no domain in code:
    measures (name -> words), the measures groups are defined by, and the categories whose
    mentions are claims (name -> words). Built from a review's ``review.toml``
    (:meth:`curate.review.Review.vocabulary`); the default knows only generic subjects."""

    measures: tuple[tuple[str, tuple[str, ...]], ...] = ()
    categories: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def subjects(self) -> dict[str, str]:
        """Subject name -> pattern: the generic ones, then the review's (a generic name is kept)."""
        own = {name: "|".join(re.escape(w.lower()) for w in words) for name, words in self.measures if name not in SUBJECTS}
        return SUBJECTS | own

    def group(self) -> re.Pattern[str]:
        return group_pattern([*GROUP_MEASURES, *(w for _, words in self.measures for w in words if " " not in w)])

    def category_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(name, re.compile(category_pattern(words))) for name, words in self.categories]

    def as_dict(self) -> dict[str, Any]:
        return {"measures": {n: list(w) for n, w in self.measures}, "categories": {n: list(w) for n, w in self.categories}}


#: Only generic subjects: what a claim is about when no review says more.
GENERIC_VOCABULARY = Vocabulary()

