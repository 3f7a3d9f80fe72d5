"""A paper's body text as one string whose every character knows the word (page, box) it is from.

Regular expressions run over running text that crosses line, column and page breaks; a match
is then located on the page by the words under it. Superscripts are left out (they are
footnote or citation marks, read separately), and a line ending in a hyphen joins the next
line without a space ('El-' + 'Badawy').
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import overload

from curate.extract.layout import Word
from curate.extract.references import Piece


class Owners(Sequence[tuple[int, Word] | None]):
    """Per character of the body text, the (page, word) it is from, None for a space between
    words; stored once per word (a list per character took as much memory as the lines)."""

    def __init__(self) -> None:
        self.starts = array("q")  # offset of each word's first character, ascending
        self.ends = array("q")
        self.pages = array("i")
        self.words: list[Word] = []
        self.length = 0

    def add(self, start: int, page: int, word: Word) -> None:
        self.starts.append(start)
        self.ends.append(start + len(word.text))
        self.pages.append(page)
        self.words.append(word)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> tuple[int, Word] | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, Word] | None]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, Word] | None | list[tuple[int, Word] | None]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if index < 0:
            index += self.length
        if not 0 <= index < self.length:
            raise IndexError(index)
        k = bisect_right(self.starts, index) - 1
        return (self.pages[k], self.words[k]) if k >= 0 and index < self.ends[k] else None

    def between(self, start: int, end: int) -> list[tuple[int, Word]]:
        """The (page, word) of every word with a character in [start, end), in text order."""
        first = max(bisect_right(self.starts, start) - 1, 0)
        if first < len(self.ends) and self.ends[first] <= start:
            first += 1
        return [(self.pages[k], self.words[k]) for k in range(first, bisect_left(self.starts, end))]


class BodyText:
    """Body lines joined into one string, each character mapped back to its word."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        parts: list[str] = []
        self.owners = Owners()
        #: Offsets at which a line starts (a bullet or a heading there starts a new sentence).
        self.line_starts: list[int] = []
        #: Offset in ``text`` of each superscript word (by ``id``; superscripts are left out of
        #: the text): where it stands, the end of the word before it (a citation mark's place).
        self.offsets: dict[int, int] = {}
        length = 0
        for piece in pieces:
            words = [w for w in piece.line.words if not w.superscript]
            if words:
                self.line_starts.append(length)
            last = words[-1] if words else None
            for word in piece.line.words:
                if word.superscript:
                    self.offsets[id(word)] = max(length - 1, 0)
                    continue
                parts.append(word.text)
                self.owners.add(length, piece.page, word)
                length += len(word.text)
                if not (word is last and word.text.endswith("-")):
                    parts.append(" ")
                    length += 1
        self.owners.length = length
        self.text = "".join(parts)

    def where(self, start: int, end: int) -> tuple[int, list[float]]:
        """Page and box [x0, top, x1, bottom] of the words covering text[start:end] (on its first page)."""
        words = self.owners.between(start, end)
        page = words[0][0]
        on_page = [w for p, w in words if p == page]
        return page, [min(w.x0 for w in on_page), min(w.top for w in on_page), max(w.x1 for w in on_page), max(w.bottom for w in on_page)]
