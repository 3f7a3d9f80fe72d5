"""A paper's id: first author's surname and publication year, e.g. ``matsuoka2025``.

The surname comes from the PDF's Author metadata, else from the author line of page 1;
the year from a copyright or posting/acceptance date, else from page 1's running head or foot,
else the latest year the paper cites (a paper is never older than what it cites). When
nothing is found the file name is used, so an id always exists and is deterministic.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from curate.extract.layout import Line, page_lines, running_furniture

_PARTICLES = {"de", "da", "del", "della", "der", "di", "du", "la", "le", "van", "von", "dos", "das", "ten", "ter", "st"}
_YEAR = r"(19[5-9]\d|20\d\d)"
_COPYRIGHT = re.compile(r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{1,2}\s+\w+\s+)?" + _YEAR, re.I)
_DATED = re.compile(r"(?:Published|Posted|Accepted|Received|Revised)[^0-9]{0,30}(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?" + _YEAR)
_ANY_YEAR = re.compile(r"(?<![\d./-])" + _YEAR + r"(?![\d])")
#: A year as citations print it: "(2019)", "2019;", "et al., 2017)", "2010." - not a bare 2000 in a table.
_CITED_YEAR = re.compile(r"(?<=[(\s,])" + _YEAR + r"[a-z]?(?=[);.])")
_NAME_LINE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]*)+")


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only (diacritics folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def surname(full_name: str) -> str:
    """Surname of a 'Given Middle Surname' name, keeping particles ('Cristiano De Marchis' -> 'De Marchis')."""
    tokens = [t for t in re.split(r"\s+", re.sub(r"[\d*†‡§∗¹²³⁴⁵⁶⁷⁸⁹⁰,]+", " ", full_name).strip()) if t]
    if not tokens:
        return ""
    if "," in full_name.split(" ")[0]:  # 'Surname, Given'
        return full_name.split(",")[0].strip()
    out = [tokens[-1]]
    for tok in reversed(tokens[:-1]):
        if tok.lower() in _PARTICLES:
            out.insert(0, tok)
        else:
            break
    return " ".join(out)


def _first_author(pdf: Any, first_page: list[Line]) -> str:
    author = (pdf.metadata or {}).get("Author")
    if isinstance(author, bytes):
        author = author.decode("latin-1", "ignore")
    if isinstance(author, str) and re.search(r"[A-Za-z]", author):
        author = re.sub(r"\{?\bet al\.?\}?", "", author)
        return surname(re.split(r"[;,]|\band\b", author)[0])
    for ln in first_page[:25]:
        text = ln.text
        if (text.count(",") >= 1 or " and " in text) and _NAME_LINE.match(text) and len(text) < 300:
            names = re.split(r",|\band\b", text)
            first = names[0].strip()
            words = re.sub(r"[\d*†‡§∗]+", " ", first).split()
            if 1 < len(words) <= 5 and all(re.fullmatch(r"[A-Z][\w'’.-]*", w) for w in words) and not re.search(r"\b(University|Department|Hospital|Institute)\b", text):
                return surname(first)
    return ""


def _year(pdf: Any, pages: Sequence[list[Line]], now: int, furniture: Sequence[set[int]] | None = None) -> int | None:
    """The earliest copyright year, else the latest posting/acceptance date, else a year in page
    1's running head or foot, else the latest year cited (pages read once, in order)."""
    copyrighted: list[int] = []  # every year found by each pattern (a few per page at most)
    dated: list[int] = []
    cited: set[int] = set()
    for lines in pages:
        text = " ".join(ln.text for ln in lines)
        copyrighted += [int(y) for y in _COPYRIGHT.findall(text) if int(y) <= now]
        dated += [int(y) for y in _DATED.findall(text) if int(y) <= now]
        cited.update(int(y) for y in _CITED_YEAR.findall(text) if int(y) <= now)
    if copyrighted or dated:
        return min(copyrighted) if copyrighted else max(dated)
    furniture = furniture if furniture is not None else running_furniture(pages, [p.height for p in pdf.pages])
    band = " ".join(ln.text for i, ln in enumerate(pages[0]) if i in furniture[0])
    found = [int(y) for y in _ANY_YEAR.findall(band) if int(y) <= now]
    if found:
        return max(found)
    return max(cited) if cited else None


_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who and what a paper is, as far as its PDF tells."""

    first_author: str
    year: int | None
    title: str
    doi: str

    def paper_id(self, fallback: str) -> str:
        """``surnameYYYY``; the slug of ``fallback`` (the file stem) when either is unknown."""
        name = slug(self.first_author)
        if name and self.year:
            return f"{name}{self.year}"
        return slug(fallback) or "paper"


def _title(pdf: Any, first_page: list[Line]) -> str:
    """The PDF's Title metadata when it reads like a title, else page 1's largest-type lines."""
    meta = (pdf.metadata or {}).get("Title")
    if isinstance(meta, bytes):
        meta = meta.decode("latin-1", "ignore")
    if isinstance(meta, str) and len(meta.split()) >= 3 and not re.fullmatch(r"[\w.-]+\.(docx?|pdf|tex)", meta.strip()):
        return meta.strip()
    if not first_page:
        return ""
    biggest = max(ln.size for ln in first_page)
    return " ".join(ln.text for ln in first_page if ln.size >= biggest - 0.5)


def identify(pdf: Any, pages: Sequence[list[Line]] | None = None, furniture: Sequence[set[int]] | None = None) -> Identity:
    """First author, year, title and DOI of an open PDF.

    ``pages`` are the PDF's lines per page and ``furniture`` their
    :func:`curate.extract.layout.running_furniture`, when the caller already has them.
    """
    pages = pages if pages is not None else [page_lines(p) for p in pdf.pages]
    first_text = " ".join(ln.text for ln in pages[0])
    doi = _DOI.search(first_text)
    return Identity(
        first_author=_first_author(pdf, pages[0]),
        year=_year(pdf, pages, _dt.date.today().year, furniture),
        title=_title(pdf, pages[0]),
        doi=doi.group(1).rstrip(".,;)") if doi else "",
    )


def paper_id(pdf: Any, fallback: str, pages: Sequence[list[Line]] | None = None) -> str:
    """Deterministic id ``surnameYYYY`` of an open PDF; ``fallback`` (file stem) if unknown."""
    return identify(pdf, pages).paper_id(fallback)
