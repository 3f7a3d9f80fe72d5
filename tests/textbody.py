"""Generated body text for tests: sentences laid out as lines of words on page 1."""

from __future__ import annotations

from curate.extract.layout import Line, Word
from curate.extract.references import Piece


def body(*sentences: str) -> list[Piece]:
    """Pieces whose lines hold the given text, one line each, on page 1."""
    pieces = []
    for i, sentence in enumerate(sentences):
        x, words = 50.0, []
        for token in sentence.split():
            words.append(Word(token, x, x + 6 * len(token), 100 + 12 * i, 110 + 12 * i, 10.0))
            x += 6 * len(token) + 3
        pieces.append(Piece(1, 0, "full", Line(words)))
    return pieces
