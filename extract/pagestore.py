"""Each page's lines kept on disk while a paper is extracted, so memory stays flat in pages.

The steps after reading need every page's lines (tables, running heads, the reference list
that spans pages, the body text for citations and claims), but a page's lines as objects cost
about 0.3 MB for a dense page: a 500-page PDF held 150 MB of them. :class:`PageStore` writes
each page's whole-page lines and reading-order lines (:func:`curate.extract.references.page_pieces`)
to one file as the page is read (``marshal`` of plain tuples: fast, and only curate's own data)
and gives them back one page at a time; only the last page read is kept in memory, and a line
read back makes its words only when they are asked for (each line's words are a blob of their
own, unpacked then: most of a page's lines are read back for their text or box only).
"""

from __future__ import annotations

import marshal
import os
from array import array
from collections.abc import Callable, Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from curate.extract.layout import Line, Word
from curate.extract.lazyseq import LazySequence
from curate.extract.output import WriteError
from curate.extract.references import Piece

T = TypeVar("T")

#: A word as stored: its fields, in :class:`curate.extract.layout.Word`'s order (all of them,
#: whatever they are: a word read back equals the word stored).
_fields = attrgetter(*(f.name for f in fields(Word)))


#: A line as stored: its words' fields (marshalled), its box, its text and its size.
Stored = tuple[bytes | None, tuple[float, float, float, float], str, float]
#: The slot :class:`Line` keeps its words in.
_WORDS: Any = Line.__dict__["words"]


def _stored(line: Line) -> Stored:
    """A line as stored (its box, text and size measured once, when stored)."""
    return marshal.dumps([_fields(w) for w in line.words]), line.bbox, line.text, line.size


class _StoredLine(Line):
    """A line read back from the store: its box, text and size as stored, its words made only
    when first asked for (most reads of a page want a few lines' words, or only their text)."""

    __slots__ = ("_raw", "_size")

    def __init__(self, stored: Stored) -> None:  # (not Line's __init__: its words are not made yet)
        self._raw, self._box, self._text, self._size = stored

    @property
    def words(self) -> list[Word]:
        if self._raw is None:
            made: list[Word] = _WORDS.__get__(self)
            return made
        words = [Word(*w) for w in marshal.loads(self._raw)]
        self.words = words
        return words

    @words.setter
    def words(self, words: list[Word]) -> None:
        """A line's words, as a :class:`Line`'s field (those stored are not made again)."""
        _WORDS.__set__(self, words)
        self._raw = None

    @property
    def size(self) -> float:
        return self._size


class PageStore:
    """Pages' lines and reading-order lines in a file, read back one page at a time.

    Use as a context manager: the file is removed on exit. ``lines`` and ``pieces`` are
    sequences over the pages (what the steps take); asking for the page last read costs
    nothing, any other page is read from the file again. A page's lines and its pieces are
    stored apart and read apart: most steps need only one of them.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise WriteError(path, exc) from exc
        self._offsets = array("q", [0])  # where each page's lines, then its pieces, start: two per page
        self._lines: tuple[int, list[Line]] | None = None  # the page whose lines were read last
        self._pieces: tuple[int, list[Piece]] | None = None
        self.lines: Sequence[list[Line]] = _View(self, self.page_lines)
        self.pieces: Sequence[list[Piece]] = _View(self, self.page_pieces)

    def add(self, lines: list[Line], pieces: list[Piece]) -> None:
        """Store the next page: its whole-page lines and its reading-order lines (which may be
        those same lines: they are stored once)."""
        index = {id(ln): i for i, ln in enumerate(lines)}
        for blob in (
            marshal.dumps([_stored(ln) for ln in lines]),
            marshal.dumps([(p.region, p.slot, p.band, index.get(id(p.line), -1), None if id(p.line) in index else _stored(p.line)) for p in pieces]),
        ):
            self._write(memoryview(blob))

    def _write(self, blob: memoryview) -> None:
        try:
            os.lseek(self._fd, self._offsets[-1], os.SEEK_SET)
            done = 0
            while done < len(blob):
                done += os.write(self._fd, blob[done:])
        except OSError as exc:  # a full disk: one line, as every write
            raise WriteError(self.path, exc) from exc
        self._offsets.append(self._offsets[-1] + len(blob))

    def __len__(self) -> int:
        return (len(self._offsets) - 1) // 2

    def _index(self, index: int) -> int:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return index

    def _read(self, part: int) -> Any:
        """Blob ``part`` of the file (page n's lines are part 2n, its pieces 2n + 1), unmarshalled."""
        os.lseek(self._fd, self._offsets[part], os.SEEK_SET)
        size = self._offsets[part + 1] - self._offsets[part]
        blob = os.read(self._fd, size)
        while len(blob) < size:  # a short read (never seen on a regular file)
            more = os.read(self._fd, size - len(blob))
            if not more:
                raise OSError(f"{self.path}: page store cut short")
            blob += more
        return marshal.loads(blob)

    def page_lines(self, index: int) -> list[Line]:
        """Page ``index``'s (0-based) whole-page lines."""
        index = self._index(index)
        if self._lines is None or self._lines[0] != index:
            self._lines = (index, [_StoredLine(stored) for stored in self._read(2 * index)])
        return self._lines[1]

    def page_pieces(self, index: int) -> list[Piece]:
        """Page ``index``'s (0-based) reading-order lines (those that are whole-page lines are
        the objects :meth:`page_lines` gives, when it gives that page)."""
        index = self._index(index)
        if self._pieces is None or self._pieces[0] != index:
            stored = self._read(2 * index + 1)
            lines = self.page_lines(index) if any(at >= 0 for _, _, _, at, _ in stored) else []
            self._pieces = (index, [Piece(index + 1, region, slot, lines[at] if at >= 0 else _StoredLine(line), band) for region, slot, band, at, line in stored])
        return self._pieces[1]

    def close(self) -> None:
        """Close and remove the file."""
        self._lines = self._pieces = None
        os.close(self._fd)
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> PageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _View(LazySequence[T]):
    """One part of every stored page (its lines, or its reading-order lines), as a sequence."""

    def __init__(self, store: PageStore, part: Callable[[int], T]) -> None:
        self._store = store
        self._part = part

    def __len__(self) -> int:
        return len(self._store)

    def item(self, index: int) -> T:
        return self._part(index)
