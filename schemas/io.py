"""The one reader of the CSV files curate writes (raw and curated), so damage is never a traceback.

A file a person may have edited can be missing, a folder, empty, not UTF-8, ragged, with
duplicate or unexpected column names: :func:`read_table` turns each of these into a finding
(when the caller collects findings) or a :class:`ReadError` (one line naming the file and
the reason). Every cell comes back as written before :func:`curate.extract.output.guard_cell`
guarded it against spreadsheets (:func:`unguard`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

_GUARDED = re.compile(r"'+[=+\-@\t\r]")


class ReadError(ValueError):
    """A file curate cannot read back; ``str()`` is the one-line message."""


def unguard(value: str) -> str:
    """A cell as it was before :func:`curate.extract.output.guard_cell` added its leading quote."""
    return value[1:] if value[:1] == "'" and _GUARDED.match(value) else value


@dataclass(slots=True)
class Damage:
    """One thing wrong with a file: ``check`` (``file.ragged_row``...), message, row, sizes."""

    check: str
    severity: str
    message: str
    row: int | None = None
    reported: object = None
    computed: object = None


@dataclass(slots=True)
class Table:
    """A CSV file read back: header, rows of the header's width, and what was wrong with it."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    damage: list[Damage] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The rows as strings (empty cells empty strings), one column per header name."""
        return pd.DataFrame(self.rows, columns=self.header) if self.header else pd.DataFrame()

    def fatal(self) -> Damage | None:
        """The first damage that makes the file unusable (not merely partly readable)."""
        return next((d for d in self.damage if d.check in _FATAL), None)


_FATAL = {"file.missing", "file.not_a_file", "file.empty", "file.unreadable", "file.duplicate_column", "file.missing_column"}


def read_table(path: Path, required: Sequence[str] = (), *, rectangular: bool = True) -> Table:
    """``path`` read defensively; everything wrong with it is in ``damage`` (never raises).

    Rows of another width than the header are left out (``file.ragged_row``), unless the file
    is a table as printed (``rectangular=False``: a row may hold fewer or more cells than the
    header); ``required`` columns missing from the header are ``file.missing_column``.
    """
    name = path.name
    table = Table(path, [], [])

    def hurt(check: str, message: str, severity: str = "error", row: int | None = None, reported: object = None, computed: object = None) -> Table:
        table.damage.append(Damage(check, severity, message, row, reported, computed))
        return table

    if not path.exists():
        return hurt("file.missing", f"{name} is missing")
    if not path.is_file():
        return hurt("file.not_a_file", f"{name} is not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return hurt("file.unreadable", f"{name} cannot be read ({exc.strerror or exc})")
    if not data.strip():
        return hurt("file.empty", f"{name} is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        hurt("file.bom", f"{name} starts with a byte-order mark (read anyway)", "warning")
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        hurt("file.encoding", f"{name} is not UTF-8 (byte {exc.start}); read as Latin-1")
        text = data.decode("latin-1")
    try:
        rows = [[unguard(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        return hurt("file.unreadable", f"{name} is not a readable CSV file ({exc})")
    rows = [r for r in rows if r]
    if not rows:
        return hurt("file.empty", f"{name} is empty")
    table.header = header = rows[0]
    seen: set[str] = set()
    for col in header if rectangular else ():  # a printed table may repeat a heading
        if col in seen:
            hurt("file.duplicate_column", f"{name}: column {col!r} appears more than once in the header")
        seen.add(col)
    for col in required:
        if col not in seen:
            hurt("file.missing_column", f"{name}: column {col!r} is missing (the header is {','.join(header)})")
    for number, row in enumerate(rows[1:], start=1):
        if rectangular and len(row) != len(header):
            hurt("file.ragged_row", f"{name} row {number} has {len(row)} fields, the header {len(header)}", row=number, reported=len(row), computed=len(header))
        else:
            table.rows.append(row)
    return table


#: Files from this size on are parsed by pandas' C reader when they are clean (see :func:`read_cells`).
FAST_BYTES = 1 << 20
_GUARDED_BYTES = re.compile(rb"'+[=+\-@\t\r]")
_BLANKISH = re.compile(rb"(?m)^[ \t]+\r?$")


def read_cells(path: Path, required: Sequence[str] = (), *, numbers: Mapping[str, Any] | None = None, fast_bytes: int = FAST_BYTES) -> tuple[pd.DataFrame | None, list[Damage]]:
    """The file as a frame with empty cells missing (None when the file is unusable) and its
    damage, as :func:`read_table` gives them, but fast for a large file.

    A file of ``fast_bytes`` or more that is plainly clean (UTF-8 without BOM, no NUL, no
    quote character, no row narrower or wider than the header, no duplicate or missing column)
    is parsed by pandas' C reader, the ``numbers`` columns straight into their dtypes (what a
    schema would coerce them to): a million rows in under a second instead of ten, row by row
    in Python. A cell that does not parse, and anything else, goes through :func:`read_table`,
    which names each fault.
    """
    if path.is_file() and path.stat().st_size >= fast_bytes:
        frame = _read_clean(path.read_bytes(), required, numbers or {})
        if frame is not None:
            return frame, []
    table = read_table(path, required)
    return (None if table.fatal() else table.frame().replace("", pd.NA)), table.damage


def _blankish(data: bytes) -> bool:
    """A line of blanks: a (ragged) row to csv, nothing to pandas. Substring tests first, as a
    regex scan of a large file costs more than parsing it."""
    return (data[:1] in (b" ", b"\t") or b"\n " in data or b"\n\t" in data) and _BLANKISH.search(data) is not None


def _read_clean(data: bytes, required: Sequence[str], numbers: Mapping[str, Any]) -> pd.DataFrame | None:
    """``data`` parsed by pandas when nothing in it needs :func:`read_table`'s care, else None."""
    if data.startswith(b"\xef\xbb\xbf") or b"\x00" in data or b'"' in data or _blankish(data):
        return None
    try:
        header = [unguard(c) for c in data[: data.find(b"\n") if b"\n" in data else len(data)].decode("utf-8").rstrip("\r").split(",")]
    except UnicodeDecodeError:
        return None
    if len(header) < 2 or len(set(header)) != len(header) or not set(required) <= set(header):
        return None
    dtypes = {c: numbers.get(c, str) for c in header}
    try:
        frame = pd.read_csv(io.BytesIO(data), header=None, skiprows=1, names=header, dtype=dtypes, keep_default_na=False, na_values=[""], engine="c")
    except (ValueError, TypeError, OverflowError):  # a wider row (ParserError), a cell that is no number, not UTF-8
        return None
    # pandas pads a narrower row: without quotes every comma separates two cells, so the file
    # must hold exactly (columns - 1) commas per row, header included.
    if data.count(b",") != (len(header) - 1) * (len(frame) + 1):
        return None
    if b"'" in data and _GUARDED_BYTES.search(data):
        for column in frame.columns:
            if column not in numbers:
                cells = frame[column]
                guarded = cells.str.match(_GUARDED, na=False)
                if guarded.any():
                    frame.loc[guarded, column] = cells[guarded].map(unguard)
    return frame


def read_frame(path: Path, required: Sequence[str] = ()) -> pd.DataFrame:
    """The file as a frame of strings, for code that needs it whole: any damage (missing,
    ragged rows, encoding slips, ``required`` columns absent) is a :class:`ReadError`."""
    table = read_table(path, required)
    bad = next((d for d in table.damage if d.severity == "error"), None)
    if bad is not None:
        raise ReadError(f"{path}{bad.message.removeprefix(path.name)}")  # every message starts with the file's name
    return table.frame()


def read_typed(path: Path, required: Sequence[str] = (), dtype: dict[str, type] | None = None) -> pd.DataFrame:
    """The file with pandas' type inference (numbers as numbers), for code that computes on it:
    checked first like :func:`read_frame` (damage is a :class:`ReadError`), text cells unguarded."""
    read_frame(path, required)
    frame = pd.read_csv(path, dtype=dtype, encoding="utf-8-sig")
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: unguard(v) if isinstance(v, str) else v)
    return frame


def numbers(frame: pd.DataFrame, column: str, path: Path, parse: Callable[[str], float] = float) -> list[float]:
    """``column`` of ``frame`` as numbers; a cell that is not one is a :class:`ReadError` naming its row."""
    out = []
    for row, value in enumerate(frame[column], start=1):
        try:
            out.append(parse(value))
        except (TypeError, ValueError):
            raise ReadError(f"{path} row {row}: {column} {value!r} is not a number") from None
    return out
