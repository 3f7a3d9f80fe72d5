"""Each page's lines kept on disk while a paper is extracted, so memory stays flat in pages.

The steps after reading need every page's lines (tables, running heads, the reference list
that spans pages, the body text for citations and claims), but a page's lines as objects cost
about 0.3 MB for a dense page: a 500-page PDF held 150 MB of them. :class:`PageStore` writes
each page's whole-page lines and reading-order lines (:func:`curate.extract.references.page_pieces`)
to one file as the page is read (``marshal`` of plain tuples: fast, and only curate's own data)
and gives them back one page at a time; only the last page read is kept in memory.
"""

from __future__ import annotations

import marshal
import os
from array import array
from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar, cast

from curate.extract.layout import Line, Word
from curate.extract.lazyseq import LazySequence
from curate.extract.output import WriteError
from curate.extract.references import Piece

T = TypeVar("T")

#: A word as stored: its fields, in :class:`curate.extract.layout.Word`'s order (all of them,
#: whatever they are: a word read back equals the word stored).
_fields = attrgetter(*(f.name for f in fields(Word)))


def _words(line: Line) -> list[tuple[Any, ...]]:
    return [_fields(w) for w in line.words]


def _line(words: list[tuple[Any, ...]]) -> Line:
    return Line([Word(*w) for w in words])


class PageStore:
    """Pages' lines and reading-order lines in a file, read back one page at a time.

    Use as a context manager: the file is removed on exit. ``lines`` and ``pieces`` are
    sequences over the pages (what the steps take); asking for the page last read costs
    nothing, any other page is read from the file again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise WriteError(path, exc) from exc
        self._offsets = array("q", [0])
        self._last: tuple[int, list[Line], list[Piece]] | None = None
        self.lines: Sequence[list[Line]] = _View(self, 0)
        self.pieces: Sequence[list[Piece]] = _View(self, 1)

    def add(self, lines: list[Line], pieces: list[Piece]) -> None:
        """Store the next page: its whole-page lines and its reading-order lines (which may be
        those same lines: they are stored once)."""
        index = {id(ln): i for i, ln in enumerate(lines)}
        blob = memoryview(
            marshal.dumps(
                (
                    [_words(ln) for ln in lines],
                    [(p.region, p.slot, p.band, index.get(id(p.line), -1), [] if id(p.line) in index else _words(p.line)) for p in pieces],
                )
            )
        )
        try:
            os.lseek(self._fd, self._offsets[-1], os.SEEK_SET)
            done = 0
            while done < len(blob):
                done += os.write(self._fd, blob[done:])
        except OSError as exc:  # a full disk: one line, as every write
            raise WriteError(self.path, exc) from exc
        self._offsets.append(self._offsets[-1] + len(blob))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def page(self, index: int) -> tuple[list[Line], list[Piece]]:
        """Page ``index`` (0-based): its lines and its reading-order lines."""
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self._last is None or self._last[0] != index:
            os.lseek(self._fd, self._offsets[index], os.SEEK_SET)
            size = self._offsets[index + 1] - self._offsets[index]
            blob = os.read(self._fd, size)
            while len(blob) < size:  # a short read (never seen on a regular file)
                more = os.read(self._fd, size - len(blob))
                if not more:
                    raise OSError(f"{self.path}: page store cut short")
                blob += more
            stored, pieces = marshal.loads(blob)
            lines = [_line(words) for words in stored]
            self._last = (
                index,
                lines,
                [Piece(index + 1, region, slot, lines[at] if at >= 0 else _line(words), band) for region, slot, band, at, words in pieces],
            )
        return self._last[1], self._last[2]

    def close(self) -> None:
        """Close and remove the file."""
        self._last = None
        os.close(self._fd)
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> PageStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _View(LazySequence[T]):
    """One part of every stored page (0: lines, 1: reading-order lines), as a sequence."""

    def __init__(self, store: PageStore, part: int) -> None:
        self._store = store
        self._part = part

    def __len__(self) -> int:
        return len(self._store)

    def item(self, index: int) -> T:
        return cast(T, self._store.page(index)[self._part])
