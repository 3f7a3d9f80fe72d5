"""Reconcile bibliographic records (citations) into works.

A steward merging the reference lists of many papers needs one registry entry per work, while
the same work is cited in different styles (APA, Vancouver, "n." lists), with abbreviated
journals, truncated author lists, typos, missing fields and, now and then, a different year;
and two different works by the same group in the same year look alike. The steps:

1. **Normalise** every record once (:func:`normalise`): folded first-author surname without
   particles, title without case or punctuation, venue as stop-word-free tokens, expanded page
   range, bare DOI.
2. **Block** (:func:`candidate_pairs`) so that cost grows with the number of records, not its
   square: pairs are only formed inside blocks keyed by (first-author surname, year) and
   (surname, two consecutive years); by DOI; and by pairs of the rarest title tokens, which
   also catch a misspelt first author or a year that is off by more than one. A block larger
   than ``Thresholds.max_block`` is read as a sorted neighbourhood (each record against the
   next ``Thresholds.window`` records in title order), so no block is quadratic.
3. **Score** each candidate pair (:func:`score_pair`): per field a log-likelihood weight
   (title, authors, year, venue, volume, first page, DOI) is added; a missing field adds
   nothing. The sum becomes a probability-like score in [0, 1], and the decision is
   ``same`` / ``unsure`` / ``different``; ``unsure`` pairs go to the steward. At scale a
   vectorised upper bound of the score (rapidfuzz ``cpdist`` on the titles, numpy on the rest)
   first clears the pairs that cannot come near a match.
4. **Cluster** (:func:`match`): connected components of the ``same`` pairs (numpy label
   propagation); only components holding two records judged confidently different are
   clustered pair by pair (union-find, strongest first, refusing a merge that would join them).
   The steward's decisions are applied first and always win.

Rules on top of the weights, each with a case that needs it:

* Year: one year apart costs weight and, unless journal, volume or page agree, caps the pair at
  ``unsure`` (an abstract, then the paper). Two years apart (the Voltarelli JAMA trial is cited
  as 2007 and as 2009) is ``same`` only with a near-identical title and an agreeing venue,
  else at most ``unsure``. Three or more years apart is ``different`` unless the DOIs agree.
* DOI: equal DOIs decide ``same`` when the titles do not contradict it; on two unrelated
  titles (a supplement's DOI on two abstracts, as in the ASySD set) they only add weight and
  cap the pair at ``unsure``. Different DOIs decide ``different``, or ``unsure`` when title
  and year agree exactly (a mistyped DOI).
* Title: a title alone (or everything but a title) is never enough for ``same``; titles that
  differ by a number or a contrast word ("type 1" / "type 2", "mice" / "rats", "adults" /
  "children") are at most ``unsure``; an erratum or reply is not its article.
* Same volume, different first page: another article in that volume (strong penalty); same
  volume and first page with a re-worded or translated title: the title is discounted.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, combinations
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

Decision = Literal["same", "different", "unsure"]


# --------------------------------------------------------------------------------------------
# Records and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """One citation as parsed from a reference list or a database export."""

    key: str
    first_author: str = ""
    authors: str = ""
    year: int | None = None
    title: str = ""
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], key: str | None = None) -> Record:
        """Build a record from a dict or DataFrame row; NaN/None become empty, years are parsed."""
        values = {name: _text(data.get(name)) for name in _TEXT_FIELDS}
        return cls(key=key if key is not None else _text(data.get("key")), year=_year(data.get("year")), **values)


_TEXT_FIELDS = ("first_author", "authors", "title", "venue", "volume", "issue", "pages", "doi")


def _text(value: Any) -> str:
    """A field value as text; None and NaN (pandas' missing value) are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _year(value: Any) -> int | None:
    """The four-digit year in ``value`` (``2011``, ``"2011.0"``, ``"2011 Dec"``), else None."""
    found = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", _text(value))
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records compared: score in [0, 1], the decision and the evidence behind it."""

    key_a: str
    key_b: str
    score: float
    decision: Decision
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where scores become decisions, and how large a block may be before it is windowed."""

    #: At or above: the same work.
    same: float = 0.9
    #: Below: different works. Between ``different`` and ``same``: unsure, for the steward.
    different: float = 0.5
    #: A ``different`` pair at or below this score forbids any chain that joins its records.
    cannot_link: float = 0.05
    #: Blocks up to this size are compared all against all ...
    max_block: int = 20
    #: ... larger ones as a sorted neighbourhood: each record against the next ``window`` in
    #: title order (duplicates have near-identical titles; the title blocks catch the rest).
    window: int = 8


@dataclass(slots=True)
class MatchResult:
    """Works found: clusters of record keys, the evidence, and what the steward should review."""

    #: work id -> keys of its records (every record is in exactly one work).
    clusters: dict[str, list[str]]
    #: record key -> work id.
    work_of: dict[str, str]
    #: Scored candidate pairs: ``same`` and ``unsure`` always, ``different`` on request.
    pairs: list[ScoredPair]
    #: Pairs left for the steward: unsure pairs across two works, and merges refused because
    #: they would have joined records judged different.
    unsure: list[ScoredPair]


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

#: Letters NFKD does not decompose, and Greek letters that titles spell either way.
_FOLD = str.maketrans(
    {
        "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
        "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "α": " alpha ", "β": " beta ", "γ": " gamma ",
        "δ": " delta ", "κ": " kappa ", "μ": " mu ", "’": "'", "‘": "'",
    }
)


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: diacritics removed (NFKD), special letters spelled out."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text).translate(_FOLD)).lower()


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


_TRAILING_NOTE = re.compile(r"(?<=\S)\s*\[(?:erratum|comment|see|note|published|retract|correct|article in|abstract).*$")


def normalise_title(title: str) -> str:
    """Title for comparison: folded, a trailing "[Erratum appears in ...]" note, punctuation
    and extra spaces removed."""
    text = fold(title)
    if "[" in text:
        text = _TRAILING_NOTE.sub("", text)
    return _NON_ALNUM.sub(" ", text).strip()


#: Title openings of notices about an article (erratum, reply ...): a record of its own.
_NOTICE = (
    "erratum ", "errata ", "corrigendum ", "correction ", "retraction ", "retracted ", "expression of concern ",
    "reply ", "response ", "comment on ", "in reply ",
)


def _is_notice(title: str) -> bool:
    """A normalised title that announces a notice rather than an article."""
    return title.startswith(_NOTICE) or title.endswith(" reply")


#: Name particles dropped from surnames: "van der Berg", "De Witte", "El-Badawy" key as the rest.
_PARTICLES = frozenset("van von der den de del della degli di da das dos du la le les ter ten zu el al bin ibn".split())
_SUFFIXES = frozenset("jr sr ii iii iv 2nd 3rd".split())
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")
_NAME_SPLIT = re.compile(r"[\s\-]+")
_ET_AL = re.compile(r"\bet\s+al\b\.?", re.IGNORECASE)
_GLUED = re.compile(r"(?<=[A-Z]\.)(?=[A-Z][a-z])")
_AND = re.compile(r"\s+and\s+")
_COMMA_OR_AND = re.compile(r",|\s+and\s+")


@lru_cache(maxsize=1 << 18)
def surname_key(surname: str) -> str:
    """Surname for blocking: folded, hyphens and apostrophes joined, leading particles dropped."""
    tokens = [t for t in _NAME_SPLIT.split(fold(surname).replace("'", "").replace(".", " ")) if t]
    tokens = [t for t in tokens if t not in _SUFFIXES] or tokens
    while len(tokens) > 1 and tokens[0] in _PARTICLES:
        tokens = tokens[1:]
    return _NON_ALNUM.sub("", "".join(tokens))


def _is_initials(token: str) -> bool:
    return bool(_INITIALS.fullmatch(token))


def _name_parts(authors: str) -> list[str]:
    """Split an author string into one piece per person, whatever the citation style."""
    text = authors.replace("&", ",")
    if "et" in text:
        text = _ET_AL.sub("", text)
    if ";" in text:
        parts = text.split(";")
    else:
        text = _GLUED.sub("; ", text)  # "Adeli K.Lewis G. F." (EndNote export)
        by_and = text.split(";") if ";" in text else _AND.split(text)
        if len(by_and) > 1 and all(p.count(",") <= 1 for p in by_and):
            parts = by_and  # BibTeX: "Zuber, J and Le Quintrec, M"
        else:
            parts = []
            for piece in _COMMA_OR_AND.split(text):
                piece = piece.strip()
                if parts and piece and all(_is_initials(t) for t in piece.split()):
                    parts[-1] = f"{parts[-1]}, {piece}"  # APA: "Ammar, H. I., Sequiera, G. L."
                else:
                    parts.append(piece)
    names = (p.strip(" .,") for p in parts)
    return [p for p in names if p and p.lower() not in _SUFFIXES]  # "Lowe WL, Jr., Hering BJ"


def _surname_of(name: str) -> str:
    """The surname in one person's name: "Hu, J.", "Hu J", "Jianxia Hu", "A. Bhansali"."""
    if "," in name:
        surname, given = name.split(",", 1)
        surname = surname.strip()
        if surname.lower() in _PARTICLES:
            words = [t for t in given.split() if not _is_initials(t)]
            if words:
                surname = f"{surname} {words[0]}"  # "De, Sanctis L" (misplaced comma)
        return surname
    tokens = [t for t in name.split() if t.lower().strip(".") not in _SUFFIXES] or name.split()
    if len(tokens) == 1:
        return tokens[0]
    if _is_initials(tokens[-1]):
        end = len(tokens)
        while end > 1 and _is_initials(tokens[end - 1]):
            end -= 1
        return " ".join(tokens[:end])  # Vancouver: "Valderrama Vasquez A"
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])  # given names first: "Yannis E. Ioannidis", "Ludwig van Beethoven"


@lru_cache(maxsize=1 << 18)
def _name_key(name: str) -> str:
    """Surname key of one person's name, cached: the same people are cited again and again."""
    return surname_key(_surname_of(name))


@lru_cache(maxsize=1 << 18)
def author_keys(authors: str) -> tuple[str, ...]:
    """Surname keys of the authors, in order."""
    if ";" not in authors:
        keys = map(_name_key, _name_parts(authors))
        return tuple(k for k in keys if k)
    out = []
    for part in authors.split(";"):  # the Record convention, "Surname, Initials; ...": fast
        head, comma, _ = part.partition(",")
        surname_first = bool(comma)
        if not surname_first:
            head, _, tail = part.strip().rpartition(" ")  # Vancouver: "Valderrama Vasquez A"
            surname_first = _INITIALS.fullmatch(tail) is not None
        head = head.strip()
        if surname_first and head and head.lower() not in _PARTICLES:
            key = surname_key(head)
        else:
            name = part.strip(" .,&")
            if not name or name.lower() in _SUFFIXES or name.lower().startswith("et al"):
                continue
            key = _name_key(name)
        if key:
            out.append(key)
    return tuple(out)


#: Dropped from venues before comparing, in every language the benchmarks use.
_VENUE_STOP = frozenset("and of the for in on und de la le des du der et y e".split())
#: Acronyms that are not (only) the initials of the full name, expanded before comparing.
_VENUE_ACRONYMS = {
    "jama": "journal american medical association",
    "bmj": "british medical journal",
    "nejm": "new england journal medicine",
    "pnas": "proceedings national academy sciences",
    "proc natl acad sci u s a": "proceedings national academy sciences",
    "proc natl acad sci usa": "proceedings national academy sciences",
    "proceedings national academy sciences united states america": "proceedings national academy sciences",
    "plos": "public library science",
    "cmaj": "canadian medical association journal",
}


@lru_cache(maxsize=1 << 16)
def venue_tokens(venue: str) -> tuple[str, ...]:
    """Venue as comparable tokens: folded, parentheses and stop words dropped, acronyms expanded."""
    text = re.sub(r"\([^)]*\)", " ", fold(venue).replace("&", " and ").replace("'", ""))
    tokens = [t for t in _NON_ALNUM.split(text) if t and t not in _VENUE_STOP]
    if len(tokens) >= 3 and tokens[-1] == "".join(t[0] for t in tokens[:-1]):
        tokens.pop()  # "World Journal of Gastroenterology: WJG"
    joined = " ".join(tokens)
    for acronym, full in _VENUE_ACRONYMS.items():
        if joined == acronym or joined.startswith(acronym + " "):
            joined = full + joined[len(acronym) :]
            break
    return tuple(joined.split())


def _abbreviates(short: str, full: str) -> bool:
    """``short`` is ``full`` or an abbreviation of it: same first letter, letters in order."""
    if short == full:
        return True
    if not short or short[0] != full[0] or len(short) > len(full):
        return False
    rest = iter(full[1:])
    return all(c in rest for c in short[1:])


@lru_cache(maxsize=1 << 16)
def venue_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Similarity of two venues (token tuples from :func:`venue_tokens`) in [0, 1].

    Abbreviations match their full names token by token ("Stem Cells Dev" = "Stem Cells and
    Development", "Proc Natl Acad Sci" = "Proceedings of the National Academy of Sciences"),
    a single token matches the initials of the other venue; one venue extending the other is
    a sibling journal; else the fuzzy ratio decides.
    """
    if a == b:
        return 1.0
    aligned = all(_abbreviates(x, y) or _abbreviates(y, x) for x, y in zip(a, b))
    if aligned and len(a) == len(b):
        return 0.95
    if aligned:
        return 0.6  # "Stem Cells" / "Stem Cells Dev", "Diabetes" / "Diabetes Care": a different journal
    for one, other in ((a, b), (b, a)):
        if len(other) >= 2 and any(len(t) >= 3 and t == "".join(w[0] for w in other) for t in one):
            return 0.9
    return 0.9 * fuzz.ratio(" ".join(a), " ".join(b)) / 100.0


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def _page(text: str) -> str:
    """One page number: the last word with a digit ("Suppl 3 S3" -> "s3"), zeros dropped."""
    words = [_NON_ALNUM.sub("", w) for w in text.split()]
    numbered = [w for w in words if any(c.isdigit() for c in w)]
    return numbered[-1].lstrip("0") or numbered[-1] if numbered else ""


_SIMPLE_PAGES = re.compile(r"\s*([a-z]*)0*(\d+)\s*(?:[-\u2010-\u2015\u2212]+\s*([a-z]*)0*(\d+))?\s*")


def normalise_pages(pages: str) -> tuple[str, str]:
    """(first, last) page, leading zeros dropped; "1411-20" -> ("1411", "1420"), "e0151938" -> ("e151938", "").

    A side without any digit ("Suppl-87") is unknown, so it cannot disagree.
    """
    text = pages.lower()
    simple = _SIMPLE_PAGES.fullmatch(text)
    if simple:
        first, last = simple.group(1) + simple.group(2), (simple.group(3) or "") + (simple.group(4) or "")
    else:
        parts = _DASH.split(text.strip(), maxsplit=1)
        first = _page(parts[0])
        last = _page(parts[1]) if len(parts) > 1 and first else ""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def normalise_doi(doi: str) -> str:
    """Bare lower-case DOI ("10.xxxx/..."), without resolver prefix or trailing punctuation."""
    found = re.search(r"10\.\d{4,9}/\S+", doi.strip().lower())
    return found.group(0).rstrip(".,;") if found else ""


def _volume(volume: str) -> str:
    """Leading alphanumeric run of a volume: "18(10)" -> "18", "27 Suppl 1" -> "27"."""
    found = re.search(r"[a-z0-9]+", fold(volume))
    return found.group(0).lstrip("0") if found else ""


#: Title words that tell otherwise identical titles apart: numbers ("type 1" / "type 2"),
#: phases, populations and models ("adult" / "pediatric", "in vivo" / "in vitro", "mice" / "rats").
_CONTRAST_WORDS = re.compile(
    r"\b(?:\d+|i|ii|iii|iv|adults?|p(?:a)?ediatric|child(?:ren)?|adolescents?|infants?|neonatal|elderly|men|women"
    r"|male|female|vivo|vitro|mice|mouse|rats?|humans?|acute|chronic)\b"
)
_CONTRAST_CANON = {
    "adults": "adult", "paediatric": "pediatric", "children": "child", "adolescents": "adolescent", "infants": "infant",
    "mouse": "mice", "rats": "rat", "humans": "human",
}


@dataclass(slots=True)
class Normalised:
    """A record reduced to what the blocking and the scoring compare (read-only by convention;
    not frozen, because frozen construction is slow at a million records).

    The author keys and the title's contrast words are computed on first use: at scale most
    records never reach the exact scoring that needs them.
    """

    surname: str
    year: int | None
    title: str
    #: The title's words in alphabetical order, for the word-order-free ratio.
    title_sorted: str
    author_text: str
    venue: tuple[str, ...]
    volume: str
    first_page: str
    #: The pages are a range (an article), not a single page (often an abstract in a supplement).
    page_range: bool
    doi: str
    #: The title announces a notice (erratum, reply ...) rather than an article.
    notice: bool
    _authors: tuple[str, ...] | None = None
    _contrast: tuple[str, ...] | None = None

    @property
    def authors(self) -> tuple[str, ...]:
        """Surname keys of the authors, in order."""
        if self._authors is None:
            self._authors = author_keys(self.author_text) if self.author_text else ()
        return self._authors

    @property
    def contrast(self) -> tuple[str, ...]:
        """Numbers and contrast words of the title (``_CONTRAST_WORDS``), sorted, with repeats:
        when each title has one the other lacks, the titles describe different works."""
        if self._contrast is None:
            self._contrast = tuple(sorted(_CONTRAST_CANON.get(w, w) for w in _CONTRAST_WORDS.findall(self.title)))
        return self._contrast


def normalise(record: Record) -> Normalised:
    """All comparison keys of one record."""
    title = normalise_title(record.title)
    first_page, last_page = normalise_pages(record.pages) if record.pages else ("", "")
    norm = Normalised(
        surname=surname_key(_surname_of(record.first_author)) if record.first_author else "",
        year=record.year,
        title=title,
        title_sorted=" ".join(sorted(title.split())),
        author_text=record.authors,
        venue=venue_tokens(record.venue) if record.venue else (),
        volume=_volume(record.volume) if record.volume else "",
        # Page 1 is where most online-only articles start, so it identifies nothing.
        first_page="" if first_page == "1" else first_page,
        page_range=bool(last_page and last_page != first_page),
        doi=normalise_doi(record.doi) if record.doi else "",
        notice=_is_notice(title),
    )
    if not norm.surname and norm.authors:
        norm.surname = norm.authors[0]
    return norm


# --------------------------------------------------------------------------------------------
# Blocking
# --------------------------------------------------------------------------------------------

_TITLE_STOP = frozenset(
    "the and for with from into via are its their after between among during versus than that this "
    "what which when who how does not new study studies case report patients".split()
)


def _ids(values: Iterable[str], n: int) -> np.ndarray:
    """A small integer per distinct non-empty value (-1 for empty), for array comparisons."""
    codes, uniques = pd.factorize(np.fromiter(values, dtype=object, count=n))
    ids: np.ndarray = codes.astype(np.int64, copy=False)
    ids[np.isin(ids, np.flatnonzero(uniques == ""))] = -1
    return ids


def _block_pairs(keys: np.ndarray, members: np.ndarray, titles: Callable[[np.ndarray], Sequence[str]], n: int, max_block: int, window: int) -> np.ndarray:
    """Pair codes ``i * n + j`` (i < j) of records that share a key: all pairs in blocks of up
    to ``max_block`` records, neighbours up to ``window`` apart in title order (ties by record)
    in larger ones; ``titles(records)`` gives the titles of some records (ascending)."""
    if len(keys) == 0:
        return np.empty(0, dtype=np.int64)
    by_key = np.argsort(keys, kind="stable")
    keys, members = keys[by_key], members[by_key]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    big = np.repeat(sizes > max_block, sizes)
    if big.any():  # sort the large blocks' members by title (blocks stay in place)
        rank = np.zeros(len(members), dtype=np.int64)
        rank[big] = _title_ranks(members[big], titles)
        members = members[np.lexsort((rank, keys))]
    # How many partners after each member it is paired with: the rest of its block, at most
    # ``window`` in a large block. Pairing at distance d then touches only members that reach d.
    after = np.repeat(starts + sizes, sizes) - np.arange(len(keys)) - 1
    reach = np.where(big, np.minimum(after, window), after)
    by_reach = np.argsort(-reach, kind="stable")
    reaching = np.cumsum(np.bincount(reach, minlength=1)[::-1])[::-1]  # reaching[d]: members with reach >= d
    codes = []
    for d in range(1, len(reaching)):
        at = by_reach[: reaching[d]]
        a, b = members[at], members[at + d]
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)


def _title_words(titles: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word of every title as a code into the distinct words, the distinct words, and
    each title's number of words (normalised titles are words of [a-z0-9] between single spaces)."""
    words = [t.split() for t in titles]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(titles))
    codes, uniques = pd.factorize(np.fromiter(chain.from_iterable(words), dtype=object, count=int(lengths.sum())))
    return codes.astype(np.int64, copy=False), uniques, lengths


def _token_ranks(uniques: np.ndarray, frequency: np.ndarray) -> tuple[np.ndarray, int]:
    """Each word's blocking rank (-1 if it is no blocking token) and the number of ranks:
    tokens of three or more characters found two or more times, stop words excluded, ranked
    rarest first and ties by spelling."""
    eligible = (frequency > 1) & np.fromiter((len(t) >= 3 and t not in _TITLE_STOP for t in uniques), dtype=bool, count=len(uniques))
    by_spelling = np.empty(len(uniques), dtype=np.int64)
    by_spelling[np.argsort(uniques, kind="stable")] = np.arange(len(uniques))
    ordered = np.flatnonzero(eligible)[np.lexsort((by_spelling[eligible], frequency[eligible]))]
    rank = np.full(len(uniques), -1, dtype=np.int64)
    rank[ordered] = np.arange(len(ordered))
    return rank, len(ordered) + 1


def _rarest(ranks: np.ndarray, lengths: np.ndarray, width: int) -> np.ndarray:
    """Each title's (up to) four rarest tokens as ranks, -1 where it has fewer, from the rank
    of every word (``ranks``, -1 for no token) and each title's number of words."""
    n = len(lengths)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    keys = _sorted_distinct(owner[ranks >= 0] * width + ranks[ranks >= 0])  # per record, ranks rarest first
    owner, ranks = keys // width, keys % width
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    position = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    first4 = position < 4
    table = np.full((n, 4), -1, dtype=np.int64)
    table[owner[first4], position[first4]] = ranks[first4]
    return table


def _rare_tokens(titles: Sequence[str]) -> tuple[np.ndarray, int]:
    """Each title's (up to) four rarest tokens as ranks (-1 where it has fewer), and the number
    of ranks (see :func:`_token_ranks`).

    Vectorised over all titles at once (one split per title, one factorisation, sorts of integer
    arrays), since per-title Python loops dominated blocking at a million records.
    """
    codes, uniques, lengths = _title_words(titles)
    rank, width = _token_ranks(uniques, np.bincount(codes, minlength=len(uniques)))
    return _rarest(rank[codes], lengths, width), width


def _name_keys(surname: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Blocking keys (and their records) of (surname id, year) and of the surname with two
    consecutive years; records without a surname or a year have none."""
    dated = (surname >= 0) & (year >= 0)
    base = (surname[dated] << 15) | ((year[dated] & 8191) << 1)
    # The exact year (even keys), and the spans (year - 1, year) and (year, year + 1) (odd keys).
    return np.concatenate((base, base - 1, base + 1)), np.tile(np.flatnonzero(dated), 3)


def _token_keys(table: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Blocking keys (and their records) of each pair of a record's four rarest title tokens
    (its one token when it has only one)."""
    everyone = np.arange(len(table), dtype=np.int64)
    counts = (table >= 0).sum(axis=1)
    keys, members = [table[counts == 1, 0] * width + width - 1], [everyone[counts == 1]]
    for a, b in combinations(range(4), 2):
        has = table[:, b] >= 0
        keys.append(table[has, a] * width + table[has, b])
        members.append(everyone[has])
    return np.concatenate(keys), np.concatenate(members)


def candidate_pairs(norms: Sequence[Normalised], max_block: int = 20, window: int = 8) -> np.ndarray:
    """Unique candidate pairs as sorted codes ``i * len(norms) + j`` with i < j.

    Blocks: (surname, year), and (surname, year or year + 1); equal DOI; and each pair of a
    record's four rarest title tokens among those found in at least two records (so a mistyped
    word or an added subtitle still leaves a shared key). Records without a year rely on the
    DOI and title blocks. Blocks are formed by sorting (key, record) arrays, not dicts of
    lists, to stay small at a million records.
    """
    n = len(norms)
    titles = [r.title for r in norms]
    year = np.fromiter((r.year if r.year is not None else -1 for r in norms), dtype=np.int64, count=n)
    doi = _ids((r.doi for r in norms), n)
    everyone = np.arange(n, dtype=np.int64)
    families = (_name_keys(_ids((r.surname for r in norms), n), year), (doi[doi >= 0], everyone[doi >= 0]), _token_keys(*_rare_tokens(titles)))

    def some(records: np.ndarray) -> list[str]:
        return [titles[i] for i in records.tolist()]

    return _sorted_distinct(np.concatenate([_block_pairs(k, m, some, n, max_block, window) for k, m in families]))


def _title_ranks(records: np.ndarray, titles: Callable[[np.ndarray], Sequence[str]]) -> np.ndarray:
    """Each of ``records``' rank in title order among them (ties by record number): only the
    members of blocks larger than ``max_block`` are ranked, a sort of their titles alone
    (ranking every record's title cost more than the pairing)."""
    distinct, where = np.unique(records, return_inverse=True)
    text = titles(distinct)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[sorted(range(len(distinct)), key=text.__getitem__)] = np.arange(len(distinct))
    return rank[where]


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: a sort and a shifted compare, much faster than np.unique's
    hashing on the tens of millions of integer codes of a million records."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


# --------------------------------------------------------------------------------------------
# Pair scoring
# --------------------------------------------------------------------------------------------


def _interpolate(x: float, points: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear weight of a similarity."""
    if x <= points[0][0]:
        return points[0][1]
    k = bisect_left(points, (x, -math.inf))
    if k == len(points):
        return points[-1][1]
    (x0, y0), (x1, y1) = points[k - 1], points[k]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


#: Log-likelihood weight of the title similarity: identical titles are strong evidence,
#: titles below ~0.8 (token-sorted ratio) are different papers of the same group.
_TITLE_WEIGHT = ((0.5, -7.0), (0.7, -3.5), (0.8, -1.0), (0.85, 0.5), (0.9, 2.5), (0.93, 4.0), (0.97, 5.5), (1.0, 6.0))
#: Weight of the share of shared authors (of the shorter list).
_AUTHOR_WEIGHT = ((0.0, -4.0), (0.5, 0.0), (0.8, 1.5))
#: Weight of the venue similarity: a clearly different venue (a journal against a conference,
#: two journals) argues against one work, but abbreviation quirks keep it from vetoing.
_VENUE_WEIGHT = ((0.4, -3.5), (0.6, -1.5), (0.75, -0.5), (0.9, 1.0))
_YEAR_WEIGHT = {0: 0.5, 1: -1.5, 2: -3.0}
_PRIOR = -1.0


def _title_similarity(a: Normalised, b: Normalised) -> float:
    """Best of the plain and the word-order-free ratio (titles with a moved clause)."""
    plain = fuzz.ratio(a.title, b.title)
    return (plain if plain >= 97 else max(plain, fuzz.ratio(a.title_sorted, b.title_sorted))) / 100.0


def _same_surname(a: str, b: str) -> bool:
    """Surname keys that name one person despite a typo or a dropped second part."""
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True  # "andresgamboa" / "andres"
    return fuzz.ratio(a, b) >= 80


def _author_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[float, int, int]:
    """Share of the shorter author list found in the other one (surname keys; up to two typos
    are forgiven, more unmatched names mean another list anyway)."""
    if len(a) > len(b):
        a, b = b, a
    if a == b[: len(a)] or set(a) <= set(b):
        return 1.0, len(a), len(a)
    left = list(b)
    missing = []
    for name in a:
        if name in left:
            left.remove(name)
        else:
            missing.append(name)
    found = len(a) - len(missing)
    if len(missing) <= 2:
        for name in missing:
            close = next((o for o in left if _same_surname(name, o)), None)
            if close is not None:
                left.remove(close)
                found += 1
    return found / len(a), found, len(a)


def _logit(a: Normalised, b: Normalised, reasons: list[str] | None) -> tuple[float, Decision | None]:
    """Sum of field weights, and a decision forced by a rule (DOI, year, lone title) or None."""
    same_doi = bool(a.doi) and a.doi == b.doi
    t = _title_similarity(a, b) if a.title and b.title else None
    if same_doi and (t is None or t >= 0.8):
        if reasons is not None:
            reasons.append("same DOI")
        return 8.0, "same"
    total = _PRIOR
    title_weight = 0.0
    contrast = False
    if t is not None:
        title_weight = _interpolate(t, _TITLE_WEIGHT)
        if title_weight > 0 and min(len(a.title), len(b.title)) < 25:
            title_weight /= 2  # "Editorial", "Introduction": short titles identify little
        total += title_weight
        if a.contrast != b.contrast:
            only_a, only_b = Counter(a.contrast) - Counter(b.contrast), Counter(b.contrast) - Counter(a.contrast)
            contrast = bool(only_a and only_b)
            if contrast:
                total -= 3.0
                if reasons is not None:
                    reasons.append("title contrast: " + "/".join(sorted(only_a | only_b)))
        if a.notice != b.notice:
            total -= 4.0
            if reasons is not None:
                reasons.append("notice vs article")
        if reasons is not None:
            reasons.append(f"title {t:.2f}")
    elif reasons is not None:
        reasons.append("title missing")
    # "c37" = "37": a letter prefix is the journal's section, not another page.
    pages_agree = bool(a.first_page and a.first_page.lstrip(_LETTERS) == b.first_page.lstrip(_LETTERS))
    if t is not None and t < 0.55 and not pages_agree and not same_doi:
        # The rest can add at most ~4.5: the pair stays "different" below the cannot-link score.
        if reasons is not None:
            reasons.append("titles unrelated")
        return total, None
    support = 0  # fields other than the title that agree
    same_first = (a.surname == b.surname or _same_surname(a.surname, b.surname)) if a.surname and b.surname else None
    reordered = 0.0  # weight of another first author
    if a.authors and b.authors:
        share, found, of = _author_similarity(a.authors, b.authors)
        reordered = 0.5 if share == 1.0 and of > 1 else 1.5  # the same people in another order
        weight = _interpolate(share, _AUTHOR_WEIGHT)
        total += (weight / 2 if weight > 0 else -3.0) if of == 1 else weight
        support += share >= 0.5
        if reasons is not None:
            reasons.append(f"authors {found}/{of}")
    elif same_first is not None:
        total += 0.5 if same_first else 0.0
        support += same_first
        reordered = 1.5
    if same_first is False:
        total -= reordered  # another first author: likely another paper of the group
    if same_first is not None and reasons is not None:
        reasons.append("first author " + ("=" if same_first else "≠"))
    gap = abs(a.year - b.year) if a.year is not None and b.year is not None else None
    if gap is not None:
        total += _YEAR_WEIGHT.get(gap, -8.0)
        support += gap == 0
        if reasons is not None:
            reasons.append(f"year ±{gap}" if gap else "year =")
    v = venue_similarity(a.venue, b.venue) if a.venue and b.venue else None
    if v is not None:
        total += _interpolate(v, _VENUE_WEIGHT)
        support += v >= 0.9
        if reasons is not None:
            reasons.append(f"venue {v:.2f}")
    same_volume = bool(a.volume and a.volume == b.volume)
    if a.volume and b.volume:
        # Another volume in another year: another publication (an abstract, then the paper).
        total += 1.5 if same_volume else -4.5 if gap else -3.0
        support += same_volume
        if reasons is not None:
            reasons.append("volume " + ("=" if same_volume else "≠"))
    if a.first_page and b.first_page:
        # Another first page in the same volume is another article (erratum, part 2, abstract).
        total += 2.5 if pages_agree else -6.0 if same_volume else -4.0
        support += pages_agree
        if reasons is not None:
            reasons.append("pages " + ("=" if pages_agree else "≠"))
        if pages_agree and same_volume and (a.page_range or b.page_range) and title_weight < -1.0:
            total += -1.0 - title_weight  # same volume and page: a translated or re-worded title
            if reasons is not None:
                reasons.append("same volume and page outweigh the title")

    forced: Decision | None = None
    if same_doi:
        total += 4.0
        forced = "unsure"  # one DOI on two titles: a supplement's DOI, or a database error
        if reasons is not None:
            reasons.append("same DOI but titles differ")
    elif a.doi and b.doi:
        total -= 6.0
        forced = "unsure" if t is not None and t >= 0.97 and gap == 0 else "different"
        if reasons is not None:
            reasons.append("DOIs differ")
    elif gap is not None and gap >= 3:
        forced = "different"
    elif gap == 2 and not (t is not None and t >= 0.95 and v is not None and v >= 0.9):
        forced = "unsure"  # at most: two years apart needs a near-identical title and venue
    elif t is None and same_first and gap == 0 and same_volume and pages_agree and v is not None and v >= 0.9 and (support >= 5 or not (a.authors and b.authors)):
        pass  # no title, but authors, year, journal, volume and first page agree: one article
    elif t is None or not support or contrast:
        # A title alone, or everything but the title, is a hint, not proof; titles that differ
        # by "type 1" / "type 2" or "mice" / "rats" are two studies unless the steward says not.
        forced = "unsure"
    elif gap == 1 and not (same_volume or pages_agree or (v is not None and v >= 0.9)):
        forced = "unsure"  # a year apart (an abstract, then the paper?) needs the journal to agree
    return total, forced


def _decide(total: float, forced: Decision | None, thresholds: Thresholds) -> tuple[float, Decision]:
    """Score in [0, 1] (logistic of the weight sum) and the decision, after the rules' say."""
    score = 1.0 / (1.0 + math.exp(-total))
    decision: Decision = "same" if score >= thresholds.same else "unsure" if score >= thresholds.different else "different"
    if forced == "same" or forced == "different":
        decision = forced
    elif forced == "unsure" and decision == "same":
        decision = "unsure"
    return score, decision


def score_pair(a: Record, b: Record, thresholds: Thresholds = Thresholds()) -> ScoredPair:
    """Compare two records directly (no blocking): score, decision and reasons."""
    reasons: list[str] = []
    total, forced = _logit(normalise(a), normalise(b), reasons)
    score, decision = _decide(total, forced, thresholds)
    return ScoredPair(a.key, b.key, round(score, 4), decision, tuple(reasons))


# --------------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------------


class _Clusters:
    """Union-find that refuses merges joining two records linked by a cannot-link."""

    def __init__(self, n: int, cannot: Mapping[int, Iterable[int]]) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}
        self.cannot = cannot

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def conflict(self, a: int, b: int) -> tuple[int, int] | None:
        """A cannot-link pair that merging the clusters of a and b would join, if any."""
        ra, rb = self.find(a), self.find(b)
        small, large = (ra, rb) if len(self.members.get(ra, (ra,))) <= len(self.members.get(rb, (rb,))) else (rb, ra)
        for x in self.members.get(small, [small]):
            for y in self.cannot.get(x, ()):
                if self.find(y) == large:
                    return x, y
        return None

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ma, mb = self.members.pop(ra, [ra]), self.members.pop(rb, [rb])
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        self.parent[rb] = ra
        ma.extend(mb)
        self.members[ra] = ma


def _filled(record: Record) -> int:
    """How many of the record's fields are given."""
    r = record
    return (
        bool(r.first_author) + bool(r.authors) + bool(r.title) + bool(r.venue) + bool(r.volume) + bool(r.issue)
        + bool(r.pages) + bool(r.doi) + (r.year is not None)
    )


#: What a record contributes to its work's id: the sort key of the most complete record (most
#: fields, then longest title, then smallest key), its DOI and its content (a plain tuple: a
#: million of them are made).
_Card = tuple[tuple[int, int, str], str, str]


def _card(key: str, filled: int, title_length: int, norm: Normalised) -> _Card:
    return (-filled, -title_length, key), norm.doi, f"{norm.surname}|{norm.year}|{norm.title}"


def _work_base(cards: Sequence[_Card]) -> tuple[str, str]:
    """A work's content id (from its DOI, else its most complete record's author, year and
    title) and its canonical record's key. It depends on the work's own records only, so
    adding an unrelated record changes no id."""
    if len(cards) == 1:
        best = cards[0]
        doi = best[1]
    else:
        best = min(cards)
        dois = Counter(c[1] for c in cards if c[1])
        doi = min(dois, key=lambda d: (-dois[d], d)) if dois else ""
    content = f"doi:{doi}" if doi else best[2]
    return "w_" + hashlib.sha1(content.encode()).hexdigest()[:10], best[0][2]


def _unique_ids(bases: Sequence[str], canon: Sequence[str]) -> list[str]:
    """Work ids from their content ids: two works with the same content id (rare) are told
    apart by their canonical record's key, the one with the smallest key keeps the plain id."""
    by_base: dict[str, list[int]] = defaultdict(list)
    for g, base in enumerate(bases):
        by_base[base].append(g)
    ids = list(bases)
    for base, gs in by_base.items():
        for g in sorted(gs, key=lambda g: canon[g])[1:]:
            ids[g] = "w_" + hashlib.sha1(f"{base}|{canon[g]}".encode()).hexdigest()[:10]
    return ids


def _work_ids(groups: list[list[int]], records: Sequence[Record], norms: Sequence[Normalised]) -> list[str]:
    """Stable ids of the works (lists of record indices); see :func:`_work_base`."""
    def card(i: int) -> _Card:
        r = records[i]
        return _card(r.key, _filled(r), len(r.title), norms[i])

    bases, canon = zip(*(_work_base([card(i) for i in members]) for members in groups)) if groups else ((), ())
    return _unique_ids(bases, canon)


def _codes(values: Sequence[str]) -> np.ndarray:
    """A 62-bit hash per value, -1 for empty: equal where the values are, whatever records are
    coded together (a cluster's partitions are coded apart). Two values sharing a hash, about 1
    in 10^18 per pair, would only loosen the score bound, except that it could then skip the
    early exit."""
    codes: np.ndarray = (pd.util.hash_array(np.array(values, dtype=object)) >> np.uint64(2)).astype(np.int64)
    codes[np.array([not v for v in values], dtype=bool)] = -1
    return codes


def _bound_fields(norms: Sequence[Normalised]) -> np.ndarray:
    """What the score bound needs of each record but its titles, one row each: the year
    (``_NO_YEAR`` when unknown); codes (:func:`_codes`) of the volume, the first page (section
    letters stripped) and the DOI; flags: authors (1), first author (2), venue (4) given.
    Serially for every record, on a cluster stored per partition (:mod:`curate.matchpart`)."""
    n = len(norms)
    if not n:
        return np.empty((0, 5), dtype=np.int64)
    flags = (
        np.fromiter((bool(r.author_text) for r in norms), dtype=np.int64, count=n)
        | np.fromiter((bool(r.surname) for r in norms), dtype=np.int64, count=n) << 1
        | np.fromiter((bool(r.venue) for r in norms), dtype=np.int64, count=n) << 2
    )
    year = np.fromiter((r.year if r.year is not None else _NO_YEAR for r in norms), dtype=np.int64, count=n)
    pieces = (_codes([r.volume for r in norms]), _codes([r.first_page.lstrip(_LETTERS) for r in norms]), _codes([r.doi for r in norms]))
    return np.stack((year, *pieces, flags), axis=1)


class _Columns:
    """The fields the score bound needs, as arrays indexed by record: titles, and the rest of
    :func:`_bound_fields`."""

    def __init__(self, title: np.ndarray, title_sorted: np.ndarray, fields: np.ndarray) -> None:
        self.title, self.title_sorted = title, title_sorted
        self.has_title = np.fromiter(map(bool, title), dtype=bool, count=len(title))
        self.year, self.volume, self.page, self.doi, flags = (np.ascontiguousarray(fields[:, k]) for k in range(5))
        self.authors, self.surname, self.venue = (flags & 1).astype(bool), (flags & 2).astype(bool), (flags & 4).astype(bool)

    @classmethod
    def of(cls, norms: Sequence[Normalised]) -> _Columns:
        return cls(np.array([r.title for r in norms], dtype=object), np.array([r.title_sorted for r in norms], dtype=object), _bound_fields(norms))

    def bound(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """An upper bound of :func:`_logit` for each pair (i, j): every field that is not
        computed here is assumed to agree fully, penalties are left out."""
        both_title = self.has_title[i] & self.has_title[j]
        plain = process.cpdist(self.title[i], self.title[j], scorer=fuzz.ratio, dtype=np.float64, workers=-1)
        moved = process.cpdist(self.title_sorted[i], self.title_sorted[j], scorer=fuzz.ratio, dtype=np.float64, workers=-1)
        t = np.maximum(plain, moved) / 100.0
        weight = np.where(both_title, np.interp(t, _TITLE_X, _TITLE_Y), 0.0)
        pages_known = (self.page[i] >= 0) & (self.page[j] >= 0)
        pages_agree = pages_known & (self.page[i] == self.page[j])
        volume_known = (self.volume[i] >= 0) & (self.volume[j] >= 0)
        same_volume = volume_known & (self.volume[i] == self.volume[j])
        weight = np.where(pages_agree & same_volume, np.maximum(weight, -1.0), weight)
        rest = np.where(self.authors[i] & self.authors[j], 1.5, np.where(self.surname[i] & self.surname[j], 0.5, 0.0))
        gap = np.abs(self.year[i] - self.year[j])
        years_known = (self.year[i] > 0) & (self.year[j] > 0)
        rest += np.where(years_known, np.select([gap == 0, gap == 1, gap == 2], [0.5, -1.5, -3.0], -8.0), 0.0)
        rest += np.where(self.venue[i] & self.venue[j], 1.0, 0.0)
        rest += np.where(volume_known, np.where(same_volume, 1.5, np.where(years_known & (gap > 0), -4.5, -3.0)), 0.0)
        rest += np.where(pages_known, np.where(pages_agree, 2.5, np.where(same_volume, -6.0, -4.0)), 0.0)
        dois_known = (self.doi[i] >= 0) & (self.doi[j] >= 0)
        rest += np.where(dois_known, np.where(self.doi[i] == self.doi[j], np.inf, -6.0), 0.0)
        # As in _logit's early exit (with a margin, so rounding cannot make the bound too low).
        unrelated = both_title & (t < 0.55 - 1e-4) & ~pages_agree & ~(dois_known & (self.doi[i] == self.doi[j]))
        return _PRIOR + weight + np.where(unrelated, 0.0, rest)


_NO_YEAR = -(1 << 20)
_TITLE_X = np.array([x for x, _ in _TITLE_WEIGHT])
_TITLE_Y = np.array([y for _, y in _TITLE_WEIGHT])
_CHUNK = 1 << 20


_Scored = tuple[int, int, float, Decision, tuple[str, ...]]


def _score_pairs(
    i: np.ndarray, j: np.ndarray, columns: _Columns, norms: Callable[[np.ndarray], Callable[[int], Normalised]], thresholds: Thresholds, keep_different: bool
) -> tuple[list[_Scored], np.ndarray]:
    """Pairs (i[k], j[k]) of records (indices into ``columns``; ``norms(needed)`` gives the
    normalised form of each of the records ``needed``): the scored pairs worth keeping (with
    their reasons), and a mask of the cannot-link pairs.

    A vectorised upper bound first clears the bulk of the candidates, pairs that cannot score
    above the cannot-link threshold (they are ``different`` and cannot-links); only the rest
    are scored one by one. ``keep_different`` scores every pair exactly.
    """
    edge = min(thresholds.cannot_link, thresholds.different)
    limit = math.log(edge / (1 - edge)) - 1e-4 if 0 < edge < 1 else (-math.inf if edge <= 0 else math.inf)
    cannot = np.zeros(len(i), dtype=bool)
    todo = np.arange(len(i))
    if not keep_different:
        cannot = columns.bound(i, j) < limit
        todo = np.flatnonzero(~cannot)
    kept: list[_Scored] = []
    norm = norms(np.unique(np.concatenate((i[todo], j[todo]))))
    for k, a, b in zip(todo.tolist(), i[todo].tolist(), j[todo].tolist()):
        reasons: list[str] = []
        total, forced = _logit(norm(a), norm(b), reasons)
        score, decision = _decide(total, forced, thresholds)
        if decision != "different" or keep_different:
            kept.append((a, b, score, decision, tuple(reasons)))
        if decision == "different" and score <= thresholds.cannot_link:
            cannot[k] = True
    return kept, cannot


def _score_candidates(norms: Sequence[Normalised], codes: np.ndarray, thresholds: Thresholds, keep_different: bool) -> tuple[list[_Scored], np.ndarray]:
    """Every chunk of candidate pair codes scored, in order: the pairs kept and the sorted
    codes of the cannot-link pairs."""
    columns = _Columns.of(norms)
    n = len(norms)
    kept: list[_Scored] = []
    cannot = [np.empty(0, dtype=np.int64)]
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        chunk_kept, chunk_cannot = _score_pairs(chunk // n, chunk % n, columns, lambda _: norms.__getitem__, thresholds, keep_different)
        kept.extend(chunk_kept)
        cannot.append(chunk[chunk_cannot])
    return kept, np.concatenate(cannot)


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components of n nodes joined by the edges (left[k], right[k]): each node's
    label is the smallest node of its component (label propagation with pointer jumping)."""
    label = np.arange(n, dtype=np.int64)
    while len(left):
        low = np.minimum(label[left], label[right])
        np.minimum.at(label, label[left], low)
        np.minimum.at(label, label[right], low)
        while True:  # pointer jumping: every node straight to its root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label[left], label[right]):
            break
    return label


@dataclass(slots=True)
class _Kept:
    """The scored pairs kept, as arrays in pair order (reasons aside)."""

    i: np.ndarray
    j: np.ndarray
    score: np.ndarray
    same: np.ndarray

    @classmethod
    def of(cls, kept: Sequence[_Scored]) -> _Kept:
        n = len(kept)
        return cls(
            np.fromiter((p[0] for p in kept), dtype=np.int64, count=n), np.fromiter((p[1] for p in kept), dtype=np.int64, count=n),
            np.fromiter((p[2] for p in kept), dtype=np.float64, count=n), np.fromiter((p[3] == "same" for p in kept), dtype=bool, count=n),
        )


def _steward_pairs(decisions: Mapping[tuple[str, str], bool] | None, index: Callable[[str], int | None]) -> dict[tuple[int, int], bool]:
    """The steward's decisions as (i, j) pairs of record indices, i < j."""
    steward: dict[tuple[int, int], bool] = {}
    for (ka, kb), same in (decisions or {}).items():
        ia, ib = index(ka), index(kb)
        if ia is None or ib is None:
            raise ValueError(f"decision on unknown record: {ka!r}, {kb!r}")
        i, j = sorted((ia, ib))
        steward[(i, j)] = same
    return steward


def _cluster(n: int, kept: _Kept, cannot: Iterable[np.ndarray], steward: Mapping[tuple[int, int], bool], key: Callable[[int], str]) -> tuple[np.ndarray, list[tuple[int, tuple[int, int]]]]:
    """Each record's work label (the smallest record of its work), and the merges refused:
    (position in ``kept``, the cannot-link pair the merge would have joined).

    ``kept`` holds no steward pair; ``cannot`` are the cannot-link codes ``i * n + j`` in
    ascending order, in pieces. Merges happen only along "same" pairs and the steward's
    merges, so a work never leaves its connected component of those edges; a component
    holding no cannot-link (a confident "different", or the steward's) is one work as it is.
    Only the others are clustered pair by pair, refusing merges, strongest first.
    """
    joined = [pair for pair, same in steward.items() if same]
    merge_i = np.concatenate((kept.i[kept.same], np.array([i for i, _ in joined], dtype=np.int64)))
    merge_j = np.concatenate((kept.j[kept.same], np.array([j for _, j in joined], dtype=np.int64)))
    component = _components(n, merge_i, merge_j)
    del merge_i, merge_j
    steward_codes = np.array([i * n + j for i, j in steward], dtype=np.int64)
    links = [np.empty(0, dtype=np.int64)]
    for codes in cannot:
        codes = codes[component[codes // n] == component[codes % n]]
        links.append(codes[~np.isin(codes, steward_codes)])
    links.append(np.array([i * n + j for (i, j), same in steward.items() if not same], dtype=np.int64))
    both = np.concatenate(links)
    left, right = both // n, both % n
    inside = component[left] == component[right]
    left, right = left[inside], right[inside]
    work = component.copy()
    if not len(left):
        return work, []
    hot = np.zeros(n, dtype=bool)
    hot[component[left]] = True
    return work, _cluster_hot(hot[component], left, right, steward, kept, key, work)


def _cluster_hot(
    hot: np.ndarray, left: np.ndarray, right: np.ndarray, steward: Mapping[tuple[int, int], bool], kept: _Kept, key: Callable[[int], str], work: np.ndarray
) -> list[tuple[int, tuple[int, int]]]:
    """Cluster the records of components holding cannot-links (``hot``), writing each one's
    work label (its cluster's smallest record) into ``work``; returns the merges refused.

    The steward's merges go first, checked only against the steward's own "different"; then
    the "same" pairs, strongest first (ties by key, so the outcome does not depend on the
    input order), each refused if it would join a cannot-link pair.
    """
    cannot: dict[int, list[int]] = defaultdict(list)
    for i, j in zip(left.tolist(), right.tolist()):
        cannot[i].append(j)
        cannot[j].append(i)
    apart: dict[int, list[int]] = defaultdict(list)
    for (i, j), same in steward.items():
        if not same and hot[i]:
            apart[i].append(j)
            apart[j].append(i)
    clusters = _Clusters(len(hot), apart)
    for (i, j), same in sorted(steward.items()):
        if same and hot[i]:
            if clusters.conflict(i, j):
                raise ValueError(f"steward decisions contradict each other at {key(i)!r}, {key(j)!r}")
            clusters.union(i, j)
    clusters.cannot = cannot
    blocked: list[tuple[int, tuple[int, int]]] = []
    hot_same = np.flatnonzero(kept.same & hot[kept.i])
    strongest = sorted(
        (-s, key(i), key(j), k, i, j) for k, i, j, s in zip(hot_same.tolist(), kept.i[hot_same].tolist(), kept.j[hot_same].tolist(), kept.score[hot_same].tolist())
    )
    for *_, k, i, j in strongest:
        hit = clusters.conflict(i, j)
        if hit is None:
            clusters.union(i, j)
        else:
            blocked.append((k, hit))
    members = np.flatnonzero(hot)
    roots = np.fromiter((clusters.find(i) for i in members.tolist()), dtype=np.int64, count=len(members))
    lowest = np.full(len(hot), len(hot), dtype=np.int64)
    np.minimum.at(lowest, roots, members)
    work[members] = lowest[roots]
    return blocked


def _work_order(work: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The records sorted by work (members ascending) and where each work after the first starts."""
    order = np.argsort(work, kind="stable")
    return order, np.flatnonzero(work[order][1:] != work[order][:-1]) + 1


def _groups(work: np.ndarray) -> list[np.ndarray]:
    """The records of each work (members ascending), works in the order of their first record."""
    order, bounds = _work_order(work)
    return np.split(order, bounds) if len(work) else []  # labels are each work's smallest record


def _result(
    key: Callable[[int], str], groups: Sequence[Sequence[int]], ids: Sequence[str], kept: Sequence[_Scored],
    steward: Mapping[tuple[int, int], bool], blocked: Sequence[tuple[int, tuple[int, int]]],
) -> MatchResult:
    """The works, the pairs and the unsure list, by record key."""
    clusters = {wid: [key(i) for i in members] for wid, members in zip(ids, groups)}
    work_of = {k: wid for wid, keys in clusters.items() for k in keys}
    pairs = [ScoredPair(key(i), key(j), round(score, 4), decision, reasons) for i, j, score, decision, reasons in kept]
    pairs.extend(
        ScoredPair(key(i), key(j), 1.0 if same else 0.0, "same" if same else "different", ("steward",)) for (i, j), same in sorted(steward.items())
    )
    unsure = [p for p in pairs if p.decision == "unsure" and work_of[p.key_a] != work_of[p.key_b]]
    for k, (x, y) in blocked:
        i, j, score, _, reasons = kept[k]
        why = f"not merged: would join {key(x)} and {key(y)}, judged different"
        unsure.append(ScoredPair(key(i), key(j), round(score, 4), "unsure", (*reasons, why)))
    return MatchResult(clusters=clusters, work_of=work_of, pairs=pairs, unsure=unsure)


def match(
    records: Sequence[Record],
    *,
    thresholds: Thresholds = Thresholds(),
    decisions: Mapping[tuple[str, str], bool] | None = None,
    keep_different: bool = False,
    client: Any = None,
    workdir: Path | None = None,
) -> MatchResult:
    """Cluster records into works.

    ``decisions`` are the steward's: ``True`` forces a pair into one work, ``False`` keeps it
    apart (no chain may join them). They are applied before any automatic merge; contradictory
    decisions raise ValueError. ``keep_different`` also returns the ``different`` pairs.
    ``client`` (a ``distributed.Client``) runs the matcher on a Dask cluster
    (:mod:`curate.matchpart`: the same works, ids and pairs), its work files in ``workdir``
    (a temporary folder by default; one the workers share when they run on other machines).
    """
    if client is not None:
        from curate.matchpart import match_partitions, partitions

        found = match_partitions(partitions(records, client), client, thresholds=thresholds, decisions=dict(decisions or {}), keep_different=keep_different, workdir=workdir)
        assert found.result is not None
        return found.result
    with _gc_paused():
        return _match(records, thresholds, decisions, keep_different)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration: the matcher allocates millions of small
    acyclic objects, and the collections they trigger cost a third of its time at a million
    records while finding nothing to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _match(records: Sequence[Record], thresholds: Thresholds, decisions: Mapping[tuple[str, str], bool] | None, keep_different: bool) -> MatchResult:
    """:func:`match` in this process, with the collector paused."""
    index = {r.key: i for i, r in enumerate(records)}
    if len(index) != len(records):
        raise ValueError("record keys must be unique")
    n = len(records)
    norms = [normalise(r) for r in records]
    codes = candidate_pairs(norms, thresholds.max_block, thresholds.window)
    steward = _steward_pairs(decisions, index.get)
    scored, cannot = _score_candidates(norms, codes, thresholds, keep_different)
    del codes
    kept = [p for p in scored if (p[0], p[1]) not in steward]
    del scored

    def key(i: int) -> str:
        return records[i].key

    work, blocked = _cluster(n, _Kept.of(kept), [cannot], steward, key)
    groups = [g.tolist() for g in _groups(work)]
    return _result(key, groups, _work_ids(groups, records, norms), kept, steward, blocked)
