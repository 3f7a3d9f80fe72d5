"""A paper's body text as one string whose every character knows the word (page, box) it is from.

Regular expressions run over running text that crosses line, column and page breaks; a match
is then located on the page by the words under it. Superscripts are left out (they are
footnote or citation marks, read separately), and a line ending in a hyphen joins the next
line without a space ('El-' + 'Badawy').
"""

from __future__ import annotations

from collections.abc import Sequence

from curate.extract.layout import Word
from curate.extract.references import Piece


class BodyText:
    """Body lines joined into one string, each character mapped back to its word."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        parts: list[str] = []
        self.owners: list[tuple[int, Word] | None] = []
        #: Offsets at which a line starts (a bullet or a heading there starts a new sentence).
        self.line_starts: list[int] = []
        #: Offset in ``text`` of each word (by ``id``), superscripts included: a superscript
        #: (a citation mark) takes the offset where it stands, the end of the word before it.
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
                self.offsets[id(word)] = length
                parts.append(word.text)
                self.owners.extend([(piece.page, word)] * len(word.text))
                length += len(word.text)
                if not (word is last and word.text.endswith("-")):
                    parts.append(" ")
                    self.owners.append(None)
                    length += 1
        self.text = "".join(parts)

    def where(self, start: int, end: int) -> tuple[int, list[float]]:
        """Page and box [x0, top, x1, bottom] of the words covering text[start:end] (on its first page)."""
        words = [o for o in self.owners[start:end] if o is not None]
        page = words[0][0]
        on_page = [w for p, w in words if p == page]
        return page, [min(w.x0 for w in on_page), min(w.top for w in on_page), max(w.x1 for w in on_page), max(w.bottom for w in on_page)]
