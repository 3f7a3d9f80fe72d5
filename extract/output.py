"""Writing extraction output so that nothing half-written is ever left behind.

Every file is written to a temporary name and renamed; a paper's folder is assembled as a
hidden staging folder beside its final place and renamed into place in one step.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; output is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Pretty, key-sorted JSON: stable diffs between runs."""
    write_text(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_csv(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """UTF-8 CSV with \\n line ends, every field as printed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    write_text(path, buf.getvalue())


def staging_dir(out: Path) -> Path:
    """A fresh hidden folder inside ``out`` to assemble one paper's output in."""
    out.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    staged.chmod(0o777 & ~_UMASK)
    return staged


def publish(staged: Path, final: Path) -> None:
    """Move a staged folder to ``final``, replacing an older extraction of the same PDF."""
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(staged, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, final)


def discard(staged: Path) -> None:
    """Remove a staging folder after a failure."""
    shutil.rmtree(staged, ignore_errors=True)
