"""In-text citations: every marker in the body text and in table cells, resolved to its entry.

Three forms are found, whatever the paper's style:

* numeric: ``[16, 18, 24-27]`` (expanded to one citation per number) and superscript numbers
  after a word (``research¹⁾``), when the reference list is numbered;
* author-year, parenthetical ``(Bhansali et al., 2009)``, ``(Kong et al., 2014); (Liu et al.,
  2014)``, ``(El-Badawy & El-Badri, 2016)``, ``(A. Bhansali et al., 2009)``, and narrative
  ``Hu et al. (2016)``;
* table-cell labels such as ``Bhansali 2017 [23]`` (the label resolves it; the printed author and
  year are kept so a later check can compare them with the entry's).

A numeric citation resolves to the entry with its label. An author-year citation resolves to
the entry whose first author's surname (diacritics folded) matches closely and whose year is
the same; initials printed before the surname choose between namesakes. A citation that
resolves to nothing keeps its closest candidate and that candidate's score, for the steward.

Not citations: author-years in running heads and footers (band lines that recur on other
pages), in a "How to cite this article" box, and an unresolved "name (year)" whose name is
shaped like a method's ("SciBERT (2019)", "Doc2vec (2014)") or followed by numbers rather than
words (a results table's row "Citeomatic (2018) 67.1 75.7", a masthead "Clinical Science (2014)
126, 305-313"). An entry printed "Given Surname"
(ACL style) is matched by its surname.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from curate.extract.bodytext import BodyText
from curate.extract.layout import Word
from curate.extract.output import write_csv
from curate.extract.references import Piece, Reference
from curate.extract.tables import Table

#: Surname similarity (0-100) at or above which an author-year citation names an entry's first author.
SAME_NAME = 90.0

_NUMERIC = re.compile(r"\[(\d+(?:\s*[-–,]\s*\d+)*)\]")
_SUPER = re.compile(r"^(\d+(?:[-–,]\d+)*)\)?$")
_PAREN = re.compile(r"\(([^()]{0,1000}?\b\d{4}[a-z]?)\)")
_NARRATIVE = re.compile(
    r"(?P<authors>(?:[A-Z]\.\s*(?:-?[A-Z]\.\s*){0,12}+)?(?:(?:van|von|de|der|da|di|le|la)\s+){0,3}[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][\w'’-]+))?)"
    r"\s+\((?P<year>\d{4}[a-z]?)\)"
)
_PART = re.compile(
    r"^(?:(?:e\.g\.|i\.e\.|see|cf\.)[,\s]+)?(?P<authors>[^;]*?),?\s+(?P<year>\d{4}[a-z]?)$"
)
_INITIALS = re.compile(r"^([A-Z]\.\s*+(?:-?[A-Z]\.\s*+)*+)(?=[A-Z][a-z])")
_CELL_LABEL = re.compile(r"^(?P<author>[A-Z][\w'’-]+(?:\s+(?:et al\.?|[A-Z][\w'’-]+))?)\s+(?P<year>\d{4}[a-z]?)\s*\[(?P<label>\d+)\]")

COLUMNS = ["index", "page", "bbox", "where", "text", "kind", "label", "author", "year", "reference", "status", "candidate", "score"]
_BBOX = COLUMNS.index("bbox")


@dataclass(slots=True)
class Citation:
    """One citation marker (one per cited number or work) and what it points to."""

    index: int
    page: int
    bbox: list[float]
    where: str  # "body" or "table <n>"
    text: str  # the marker as printed
    kind: str  # "numeric" or "author-year"
    label: str = ""
    author: str = ""
    year: str = ""
    reference: int | None = None  # index of the entry it resolves to
    status: str = "unresolved"  # "resolved", "ambiguous" or "unresolved"
    candidate: int | None = None  # closest entry when unresolved (or the first of several)
    score: float = 0.0  # how well it matches ``reference`` or ``candidate`` (0-1)
    _sort: tuple[int, float, float] = field(default=(0, 0.0, 0.0), repr=False)
    #: Where the marker stands in the body text (:class:`curate.extract.bodytext.BodyText` offset);
    #: None in table cells. Claims use it to know what their sentence cites.
    offset: int | None = field(default=None, repr=False)
    #: Numbers, not words, follow a narrative "Name (year)": a table row's label ("Citeomatic
    #: (2018) 67.1 75.7") or a journal's masthead ("Clinical Science (2014) 126, 305-313").
    numbers_after: bool = field(default=False, repr=False)


@functools.lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """Lower-case ASCII letters of a surname ('Mäkelä' -> 'makela', "D'Addio" -> 'daddio');
    remembered, as every citation folds every entry's names."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def _expand(numbers: str) -> list[str]:
    """'16, 18, 24-27' -> ['16', '18', '24', '25', '26', '27'] (a reversed or huge range stays as its ends)."""
    out: list[str] = []
    for part in re.split(r"\s*,\s*", numbers.strip()):
        bounds = re.split(r"\s*[-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit() and 0 < int(bounds[1]) - int(bounds[0]) <= 50:
            out.extend(str(n) for n in range(int(bounds[0]), int(bounds[1]) + 1))
        else:
            out.extend(b for b in bounds if b.isdigit())
    return out


def _first_surname(authors: str) -> tuple[str, str]:
    """(initials, surname) of the first author of a printed author list ('A. Bhansali et al.')."""
    authors = authors.strip()
    m = _INITIALS.match(authors)
    initials = m.group(1).replace(" ", "") if m else ""
    rest = authors[m.end() :] if m else authors
    first = re.split(r"\s+et\s+al\.?|\s+(?:and|&)\s+|,", rest)[0].strip()
    names = first.split()
    # 'Yi Zhang', 'Anne-Marie Madec': given names printed to tell namesakes apart; the surname is last
    # (particles stay with it: 'van der Berg').
    if len(names) > 1 and all(n[:1].isupper() for n in names):
        return initials or "".join(n[0] + "." for n in names[:-1]), names[-1]
    return initials, first


def _authors_part(printed: str) -> str:
    """The author list of '(Long Short-Term Memory, Hochreiter and Schmidhuber, 1997)': what
    follows a leading phrase of several words when the rest names authors ('and', '&', 'et al')."""
    segments = [x.strip() for x in printed.split(",")]
    if len(segments) > 1 and len(segments[0].split()) > 2 and re.search(r"\bet al\b|\band\b|&|^[A-Z][\w'’-]+$", segments[-1]):
        return segments[-1]
    return printed


def _numeric_in_body(text: BodyText, where: str) -> Iterable[Citation]:
    for m in _NUMERIC.finditer(text.text):
        page, box = text.where(m.start(), m.end())
        for number in _expand(m.group(1)):
            yield Citation(0, page, box, where, m.group(0), "numeric", label=number, _sort=(page, box[1], box[0]), offset=m.start())


def _superscripts(max_label: int, text: BodyText) -> Iterable[Citation]:
    """Superscript numbers right after a lower-case word or punctuation (not affiliation marks,
    not the exponents of a formula: 'x²', or any raised number in a line of symbols)."""
    for page, words, j, offset in text.superscripts:
        prev, word = words[j - 1], words[j]
        m = _SUPER.match(word.text)
        if not (m and not prev.superscript) or _formula(words):
            continue
        if not re.search(r"[a-z.,;:)\]]$", prev.text) or re.fullmatch(r"[A-Za-z]", prev.text):
            continue
        numbers = [n for n in _expand(m.group(1)) if 0 < int(n) <= max_label]
        box = [word.x0, word.top, word.x1, word.bottom]
        for number in numbers:
            yield Citation(0, page, box, "body", word.text, "numeric", label=number, _sort=(page, word.top, word.x0), offset=offset)


def _formula(words: Sequence[Word]) -> bool:
    """A displayed formula's line: most of its (baseline) words are single symbols ('¼ ð Þ ¼ ...')."""
    base = [w for w in words if not w.superscript]
    return len(base) >= 4 and sum(len(w.text) == 1 for w in base) * 2 >= len(base)


#: Where a paper tells how to cite itself: the author-year that follows is the paper, not a citation.
_HOW_TO_CITE = re.compile(r"how to cite (?:this|the) (?:article|paper)|cite this (?:article|paper) as|please cite (?:this|the) (?:article|paper)", re.I)


def _furniture(text: BodyText) -> set[int]:
    """Pieces (by index) that are running heads and footers: lines in a page's top or bottom band
    whose text, numbers aside, recurs on another page ('Journal of X (2016) 13:22 Page 3 of 9')."""
    pages: dict[str, set[int]] = {}
    shapes = [(i, page, re.sub(r"\d+", "#", line).strip().lower()) for i, page, line in text.band]
    for _, page, shape in shapes:
        pages.setdefault(shape, set()).add(page)
    return {i for i, _, shape in shapes if len(pages[shape]) > 1}


def _year_after(text: str, start: int) -> int:
    """The end of the first year after ``start`` (the cited paper's own year ends its 'How to cite' box)."""
    m = re.compile(r"\b\d{4}[a-z]?\b\)?").search(text, start, start + 300)
    return m.end() if m else start


def _not_cited(text: BodyText, start: int, furniture: set[int], boxes: list[tuple[int, int]]) -> bool:
    """A match in a running head or footer, or in a 'How to cite this article' box."""
    return text.piece_of(start) in furniture or any(a <= start < b for a, b in boxes)


#: Two numbers after a narrative "Name (year)", before any word: a table row or a volume and pages.
_NUMBERS_AFTER = re.compile(r"\s*\d[\d.,]*\s*[,;:]?\s*\d")


def _method_name(word: str) -> bool:
    """A word shaped like a method's or a product's name, not a surname: a digit, two capitals in
    a row, a capital after a lower-case letter (prefixes such as Mc, Mac, De, Le aside), or a
    lower-case part after a hyphen ('SciBERT', 'ELMo', 'Doc2vec', 'Fasttext-sum', 'SGC')."""
    if re.search(r"\d|[A-Z]{2}|-[a-z]", word):
        return True
    return bool(re.search(r"[a-z][A-Z]", re.sub(r"^(?:Mc|Mac|D[aeiu]|L[ae]|Van|Von|O')", "", word)))


def _author_year_in_body(text: BodyText, furniture: set[int] = frozenset()) -> Iterable[Citation]:  # type: ignore[assignment]
    taken: list[tuple[int, int]] = []
    boxes = [(m.start(), _year_after(text.text, m.end())) for m in _HOW_TO_CITE.finditer(text.text)]
    for m in _PAREN.finditer(text.text):
        if _not_cited(text, m.start(), furniture, boxes):
            continue
        inner, offset = m.group(1), m.start(1)
        for part in re.finditer(r"[^;]+", inner):
            pm = _PART.match(part.group(0).strip())
            if not pm or not re.search(r"[A-Z]", pm.group("authors")):  # (also: authors hold a letter)
                continue
            initials, surname = _first_surname(_authors_part(pm.group("authors")))
            if not surname or not surname[0].isupper():
                continue
            start, end = offset + part.start(), offset + part.end()
            page, box = text.where(start, end)
            taken.append((m.start(), m.end()))
            yield Citation(0, page, box, "body", f"({part.group(0).strip()})", "author-year", author=(initials + " " + surname).strip(), year=pm.group("year"), _sort=(page, box[1], box[0]), offset=start)
    for m in _NARRATIVE.finditer(text.text):
        if any(a <= m.start("year") < b for a, b in taken) or _not_cited(text, m.start(), furniture, boxes):
            continue
        initials, surname = _first_surname(m.group("authors"))
        page, box = text.where(m.start(), m.end())
        numbers_after = bool(_NUMBERS_AFTER.match(text.text, m.end()))
        yield Citation(0, page, box, "body", m.group(0), "author-year", author=(initials + " " + surname).strip(), year=m.group("year"), _sort=(page, box[1], box[0]), offset=m.start("year"), numbers_after=numbers_after)


def _in_tables(tables: Sequence[Table]) -> Iterable[Citation]:
    for n, table in enumerate(tables, start=1):
        for r, row in enumerate(table.rows):
            box = table.row_boxes[r] if r < len(table.row_boxes) else None
            page = box.page if box else table.parts[0].page
            bbox = list(box.bbox) if box else list(table.parts[0].bbox)
            for cell in row:
                label = _CELL_LABEL.match(cell)
                if label:
                    _, surname = _first_surname(label.group("author"))
                    yield Citation(0, page, bbox, f"table {n}", cell, "numeric", label=label.group("label"), author=surname, year=label.group("year"), _sort=(page, bbox[1], bbox[0]))
                    continue
                for m in _NUMERIC.finditer(cell):
                    for number in _expand(m.group(1)):
                        yield Citation(0, page, bbox, f"table {n}", m.group(0), "numeric", label=number, _sort=(page, bbox[1], bbox[0]))


def _same_title(a: Reference, b: Reference) -> bool:
    return bool(a.title) and fuzz.token_sort_ratio(a.title.lower(), b.title.lower()) >= SAME_NAME


def _resolve(cite: Citation, entries: Sequence[Reference]) -> None:
    if cite.kind == "numeric":
        for e in entries:
            if e.label == cite.label:
                cite.reference, cite.status, cite.score = e.index, "resolved", 1.0
                return
        return
    initials, surname = _first_surname(cite.author)
    want = fold(surname)
    year = int(cite.year[:4])
    scored = []
    for e in entries:
        name = fold(e.first_author)
        surname = fold(e.first_author.split()[-1]) if e.first_author.split() else ""
        # 'Xiang Wang' (ACL lists print given names first): the surname is the last name
        similarity = max(fuzz.ratio(want, name), fuzz.ratio(want, surname) if len(e.first_author.split()) > 1 else 0.0) if name else 0.0
        year_score = 100.0 if e.year == year else 50.0 if e.year is not None and abs(e.year - year) == 1 else 0.0
        scored.append((similarity, year_score, e))
    matches = [e for sim, ys, e in scored if sim >= SAME_NAME and ys == 100.0]
    if initials and len(matches) > 1:
        first = initials.replace("-", "")[0]
        narrowed = [e for e in matches if fold(e.authors.split(",")[1] if "," in e.authors else "")[:1] == first.lower()]
        matches = narrowed or matches
    if len(matches) > 1 and all(_same_title(matches[0], m) for m in matches[1:]):
        matches = matches[:1]  # one work listed twice (reported as a duplicate entry): the first
    if len(matches) == 1:
        cite.reference, cite.status, cite.score = matches[0].index, "resolved", 1.0
        return
    if matches:
        cite.status, cite.candidate, cite.score = "ambiguous", matches[0].index, 1.0
        return
    if scored:
        sim, ys, best = max(scored, key=lambda t: (0.7 * t[0] + 0.3 * t[1], -t[2].index))
        cite.candidate, cite.score = best.index, round((0.7 * sim + 0.3 * ys) / 100, 3)


def extract_citations(body: Sequence[Piece] | BodyText, tables: Sequence[Table], entries: Sequence[Reference]) -> list[Citation]:
    """Every citation in ``body`` (reading-order lines before the reference list, or their
    :class:`BodyText`) and in ``tables``."""
    numbered = any(e.label for e in entries)
    text = body if isinstance(body, BodyText) else BodyText(body)
    found: list[Citation] = list(_author_year_in_body(text, _furniture(text)))
    if numbered:
        found += list(_numeric_in_body(text, "body"))
        labels = [int(e.label) for e in entries if e.label.isdigit()]
        found += list(_superscripts(max(labels, default=0), text))
    found += list(_in_tables(tables))
    found.sort(key=lambda c: (c.where != "body", c._sort))
    for cite in found:
        _resolve(cite, entries)
    # 'SciBERT (2019)' in a results table is a method and its year, 'Citeomatic (2018) 67.1 75.7' a
    # table row, 'Science (2014) 126, 305' a masthead: not citations unless they resolve
    found = [c for c in found if not (c.kind == "author-year" and c.status == "unresolved" and (c.numbers_after or _method_name(c.author.split()[-1] if c.author else "")))]
    for index, cite in enumerate(found, start=1):
        cite.index = index
    return found


def write_citations_csv(citations: Iterable[Citation], path: Path) -> None:
    """``citations.csv``: one row per citation (boxes as [x0, top, x1, bottom]), written atomically."""
    rows = []
    for c in citations:  # the fields read as they are (all plain values): no deep copy of each citation
        row = ["" if (v := getattr(c, k)) is None else v for k in COLUMNS]
        row[_BBOX] = "[" + ", ".join(f"{v:.2f}" for v in c.bbox) + "]"
        rows.append(row)
    write_csv(path, [COLUMNS, *rows])
