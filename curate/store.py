"""Writing the curated dataset without ever silently overwriting what a person changed.

Every file curate writes into ``curated/`` is recorded with its sha256 in
``curated/manifest.json``. Before a file is replaced, its current bytes are checked against
that record: a file edited since curate wrote it (or one curate never wrote) is not
overwritten unless the caller forces it. Writes are atomic (temp file, then rename).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Any

from curate import __version__
from extract.output import write_json, write_text

MANIFEST = "manifest.json"


class OverwriteError(Exception):
    """Files in the curated folder were changed by hand since curate wrote them."""

    def __init__(self, paths: list[Path]) -> None:
        names = ", ".join(str(p) for p in paths)
        super().__init__(
            f"{names}: changed since curate wrote it; not overwritten "
            "(use --force to replace it: the hand edits would be lost)"
        )
        self.paths = paths


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}}


def edited_files(folder: Path, names: list[str]) -> list[Path]:
    """Those of ``names`` that exist in ``folder`` but differ from what curate last wrote there."""
    recorded = _manifest(folder).get("files", {})
    edited = []
    for name in names:
        path = folder / name
        if path.exists():
            current = hashlib.sha256(path.read_bytes()).hexdigest()
            if recorded.get(name, {}).get("sha256") != current:
                edited.append(path)
    return edited


def write_all(folder: Path, files: dict[str, str], command: str, force: bool = False) -> list[Path]:
    """Write ``files`` (name -> text) into ``folder``; refuse (OverwriteError) to replace edited ones."""
    folder.mkdir(parents=True, exist_ok=True)
    edited = edited_files(folder, list(files))
    if edited and not force:
        raise OverwriteError(edited)
    manifest = _manifest(folder)
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    written = []
    for name, text in files.items():
        write_text(folder / name, text)
        manifest.setdefault("files", {})[name] = {"sha256": _digest(text), "written_by": f"curate {__version__} {command}", "at": now}
        written.append(folder / name)
    write_json(folder / MANIFEST, manifest)
    return written
