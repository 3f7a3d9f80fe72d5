"""A paper's body text as one string whose every character knows the word (page, box) it is from.

Regular expressions run over running text that crosses line, column and page breaks; a match
is then located on the page by the words under it. Superscripts are left out (they are
footnote or citation marks, read separately), and a line ending in a hyphen joins the next
line without a space ('El-' + 'Badawy').

Only the text and each word's offsets (in arrays) are kept, never the words themselves: the
pieces may be read from disk page by page (:class:`curate.extract.references.Stream`), and a
word's box is read again when a match needs it, so the body of a long PDF stays small.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterator, Sequence

from curate.extract.layout import Word
from curate.extract.references import Piece


class BodyText:
    """Body lines joined into one string, each character mapped back to its word."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self._pieces = pieces  # read again for the boxes of the words a match covers
        lines: list[str] = []
        self._starts = array("i")  # offset of each word's first character, ascending
        self._ends = array("i")
        self._first_word = array("i")  # index of each piece's first word
        self._page = array("i")  # page of each piece
        #: Offsets at which a line starts (a bullet or a heading there starts a new sentence).
        self.line_starts = array("i")
        #: Each superscript word that follows a word of its line (superscripts are left out of
        #: the text): its page, its line's words, its index among them, and the offset in
        #: ``text`` of the end of the word before it (a citation mark's place).
        self.superscripts: list[tuple[int, list[Word], int, int]] = []
        #: Each line in a page's top or bottom band (where running heads are): its index among
        #: the pieces, its page and its text.
        self.band: list[tuple[int, int, str]] = []
        length = 0
        for i, piece in enumerate(pieces):
            self._first_word.append(len(self._starts))
            self._page.append(piece.page)
            if piece.band:
                self.band.append((i, piece.page, piece.line.text))
            words = piece.line.body_words
            if words:
                self.line_starts.append(length)
            last = words[-1] if words else None
            parts = []
            for j, word in enumerate(piece.line.words):
                if word.superscript:
                    if j:
                        self.superscripts.append((piece.page, piece.line.words, j, max(length - 1, 0)))
                    continue
                parts.append(word.text)
                self._starts.append(length)
                self._ends.append(length + len(word.text))
                length += len(word.text)
                if not (word is last and word.text.endswith("-")):
                    parts.append(" ")
                    length += 1
            lines.append("".join(parts))  # one string per line: never one per word of the whole body
        self.text = "".join(lines)

    def _piece(self, k: int) -> int:
        """Index of the piece that word ``k`` is from."""
        return bisect_right(self._first_word, k) - 1

    def _box(self, piece: int, k: int) -> tuple[float, float, float, float]:
        """Box of word ``k``, of piece ``piece`` (read again: the boxes are not kept)."""
        word = self._pieces[piece].line.body_words[k - self._first_word[piece]]
        return word.x0, word.top, word.x1, word.bottom

    def piece_of(self, offset: int) -> int | None:
        """Index of the piece whose word holds ``text[offset]``; None for a space between words."""
        k = bisect_right(self._starts, offset) - 1
        return self._piece(k) if k >= 0 and offset < self._ends[k] else None

    def words_between(self, start: int, end: int) -> range:
        """The words (by index) with a character in text[start:end], in text order."""
        first = max(bisect_right(self._starts, start) - 1, 0)
        if first < len(self._ends) and self._ends[first] <= start:
            first += 1
        return range(first, bisect_left(self._starts, end))

    def boxes_on(self, pages: Container[int]) -> Iterator[tuple[int, int, tuple[float, float, float, float]]]:
        """(index, page, box) of every word printed on one of ``pages`` (only their lines are read)."""
        for p, page in enumerate(self._page):
            if page in pages:
                words = self._pieces[p].line.body_words
                for k, w in enumerate(words, start=self._first_word[p]):
                    yield k, page, (w.x0, w.top, w.x1, w.bottom)

    def where(self, start: int, end: int) -> tuple[int, list[float]]:
        """Page and box [x0, top, x1, bottom] of the words covering text[start:end] (on its first page)."""
        words = self.words_between(start, end)
        pieces = [self._piece(k) for k in words]
        page = self._page[pieces[0]]
        boxes = [self._box(p, k) for k, p in zip(words, pieces) if self._page[p] == page]
        return page, [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
