"""Writing output so that nothing half-written, unsafe or invalid is ever left behind.

Every file is written to a temporary name and renamed; a paper's folder is assembled as a
hidden staging folder beside its final place and renamed into place in one step.

Every CSV curate writes goes through :func:`csv_text`, which makes each text cell safe for
people and programs: text from a PDF becomes valid Unicode (lone surrogates, private-use
glyphs and control characters are replaced, and counted: see :func:`counting_repairs`), and a
cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, and not a plain number such as ``-0.51``) gets a leading ``'``.
:func:`curate.schemas.io.unguard` (used by every reader) takes that quote off again.
"""

from __future__ import annotations

import contextvars
import csv
import errno
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_UMASK = os.umask(0)
os.umask(_UMASK)


#: A cell a spreadsheet would run as a formula starts with one of these (after any quotes
#: already guarding it, so that guarding is reversible).
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
#: Characters text from a PDF may carry that are not text: lone surrogates (broken font
#: maps), private-use glyphs (symbol fonts) and control characters other than tab and newline.
_BAD_CHARS = re.compile(r"[\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b-\x1f\x7f-\x9f]")

_repairs: contextvars.ContextVar[Repairs | None] = contextvars.ContextVar("repairs", default=None)


@dataclass(slots=True)
class Repairs:
    """How many characters of text were replaced to make it valid, shareable Unicode."""

    surrogates: int = 0
    private_use: int = 0
    control: int = 0

    def warnings(self) -> list[str]:
        """One manifest warning per kind of repair made."""
        said = [(self.surrogates, "invalid Unicode (lone surrogates)"), (self.private_use, "private-use glyphs (symbol fonts)"), (self.control, "control characters")]
        return [f"{n} characters of {what} in the PDF's text replaced by \N{REPLACEMENT CHARACTER}" if "control" not in what else f"{n} {what} in the PDF's text removed" for n, what in said if n]


@contextmanager
def counting_repairs() -> Iterator[Repairs]:
    """Count the repairs :func:`clean_text` makes in this block (e.g. while one paper is written)."""
    repairs = Repairs()
    token = _repairs.set(repairs)
    try:
        yield repairs
    finally:
        _repairs.reset(token)


def _repair(match: re.Match[str]) -> str:
    ch = match.group()
    repairs = _repairs.get()
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        kind, out = "surrogates", "\N{REPLACEMENT CHARACTER}"
    elif code >= 0xE000 and unicodedata.category(ch) == "Co":
        kind, out = "private_use", "\N{REPLACEMENT CHARACTER}"
    else:
        kind, out = "control", ""
    if repairs is not None:
        setattr(repairs, kind, getattr(repairs, kind) + 1)
    return out


def clean_text(text: str) -> str:
    """``text`` as valid Unicode without private-use glyphs or control characters (tab, newline kept)."""
    return _BAD_CHARS.sub(_repair, text) if _BAD_CHARS.search(text) else text


def guard_cell(value: Any) -> Any:
    """A cell safe to open in a spreadsheet: text a spreadsheet would run as a formula gets a
    leading ``'``; numbers (``-0.51``, ``+3``) and non-text values are left as they are."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if _FORMULA.match(value) and not _NUMBER.fullmatch(value) and value.strip("-+") != "":
        return "'" + value
    return value


def stage_text(path: Path, text: str) -> Path:
    """Write ``text`` to a hidden temporary file beside ``path`` and return it (for the caller
    to rename into place); a failure (full disk, read-only folder) is a :class:`WriteError`."""
    return _stage_bytes(path, clean_text(text).encode("utf-8"))


def _stage_bytes(path: Path, data: bytes, durable: bool = False) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise WriteError(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; output is for sharing
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(path, exc) from exc
        raise
    return Path(tmp)


def put_in_place(tmp: Path, path: Path) -> None:
    """Rename a file made by :func:`stage_text` to ``path`` (atomic; needs no space)."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(path, exc) from exc


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename).

    A failure (full disk, read-only folder) leaves the previous file as it was and raises
    :class:`WriteError`, a one-line message naming the file.
    """
    put_in_place(stage_text(path, text), path)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (on disk before the rename), like
    :func:`write_text`: for files that are the only record of a person's work."""
    put_in_place(_stage_bytes(path, data, durable=True), path)


class WriteError(OSError):
    """A file that could not be written (full disk, read-only folder...); ``str()`` is one line."""

    def __init__(self, path: Path, cause: OSError) -> None:
        reason = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "disk quota exceeded", errno.EROFS: "read-only file system", errno.EACCES: "permission denied", errno.EPERM: "permission denied"}.get(cause.errno or 0, cause.strerror or str(cause))
        super().__init__(cause.errno, f"{path}: cannot write ({reason}); nothing was changed")
        self.path = path

    def __str__(self) -> str:
        return str(self.strerror)


def write_json(path: Path, data: Any) -> None:
    """Pretty, key-sorted JSON: stable diffs between runs."""
    write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """UTF-8 CSV text with \\n line ends, every cell as printed but guarded (:func:`guard_cell`).

    The one CSV writer of curate: every CSV file it writes goes through here.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else guard_cell(v) for v in row])
    return buf.getvalue()


def frame_csv(frame: Any) -> str:
    """A pandas DataFrame as :func:`csv_text` (header row, no index; missing values empty)."""
    values = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    return csv_text([list(map(str, frame.columns)), *values])


def write_csv(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """Write rows as a CSV file (:func:`csv_text`), atomically."""
    write_text(path, csv_text(rows))


#: The process a staging folder belongs to: this one, or the batch a worker stages for.
_owner = os.getpid()


def set_owner(pid: int) -> None:
    """Name this worker's staging folders after ``pid``, the batch it works for."""
    global _owner
    _owner = pid


def staging_dir(out: Path) -> Path:
    """A fresh hidden folder inside ``out`` to assemble one paper's output in, named after the
    run and the process (so that :func:`recover` and :func:`discard_worker` can tell a dead
    process's leftovers from a live one's)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".staging-{_owner}-{os.getpid()}-", dir=out))
    except OSError as exc:
        raise WriteError(out, exc) from exc
    staged.chmod(0o777 & ~_UMASK)
    return staged


def discard_worker(out: Path, pid: int) -> None:
    """Remove what a worker process (dead or killed) was staging."""
    for entry in out.glob(f".staging-*-{pid}-*"):
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


_LEFTOVER = re.compile(r"\.staging-(\d+)-.*|\.(.+)\.old-(\d+)")


def recover(out: Path) -> None:
    """Clean up after runs that were killed: their staging folders are removed, and a paper
    folder moved aside to be replaced (``.<id>.old-<pid>``) is put back if its replacement
    never arrived, else removed. Leftovers of runs still alive are left alone."""
    if not out.is_dir():
        return
    for entry in out.iterdir():
        m = _LEFTOVER.fullmatch(entry.name)
        if not m or not entry.is_dir() or _alive(int(m.group(1) or m.group(3))):
            continue
        final = out / m.group(2) if m.group(2) else None
        if final is not None and not final.exists():
            os.replace(entry, final)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def paper_folders(raw: Path) -> list[Path]:
    """The paper folders of ``raw``, in name order: the hidden staging and ``.old`` folders of
    an extraction in progress (or killed) are never papers."""
    return sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")) if raw.is_dir() else []


def publish(staged: Path, final: Path) -> None:
    """Move a staged folder to ``final``, replacing an older extraction of the same PDF.

    ``final`` must sit beside ``staged`` (inside the output folder): nothing is ever written
    or replaced elsewhere.
    """
    if final.parent.resolve() != staged.parent.resolve() or final.name.startswith("."):
        raise ValueError(f"{final}: outside the output folder {staged.parent}")
    try:
        if final.exists():
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
            try:
                os.replace(staged, final)
            except OSError:
                os.replace(old, final)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staged, final)
    except OSError as exc:
        raise WriteError(final, exc) from exc


def discard(staged: Path) -> None:
    """Remove a staging folder after a failure."""
    shutil.rmtree(staged, ignore_errors=True)
