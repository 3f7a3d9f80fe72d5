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
from curate.extract.output import clean_text, put_in_place, stage_text, write_json

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
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict) or not isinstance(manifest.get("pending", {}), dict):
        return {"files": {}}
    return manifest


def edited_files(folder: Path, names: list[str]) -> list[Path]:
    """Those of ``names`` that exist in ``folder`` but differ from what curate last wrote there
    (or was writing, when a run was stopped half-way: see :func:`write_all`)."""
    manifest = _manifest(folder)
    recorded, pending = manifest.get("files", {}), manifest.get("pending", {})
    edited = []
    for name in names:
        path = folder / name
        if path.exists():
            if not path.is_file():
                edited.append(path)
                continue
            current = hashlib.sha256(path.read_bytes()).hexdigest()
            if current not in (recorded.get(name, {}).get("sha256"), pending.get(name)):
                edited.append(path)
    return edited


def write_all(folder: Path, files: dict[str, str], command: str, force: bool = False) -> list[Path]:
    """Write ``files`` (name -> text) into ``folder``; refuse (OverwriteError) to replace edited ones.

    All or nothing as far as it can be: every file is first written beside its place (where a
    full disk or a read-only folder fails, leaving everything as it was: :class:`WriteError`),
    the manifest then notes the files about to be renamed into place (``pending``), they are
    renamed (needs no space) and the manifest records them. A run stopped between those steps
    leaves files the next run recognises as its own, so it simply runs again.
    """
    edited = edited_files(folder, list(files))
    if edited and not force:
        raise OverwriteError(edited)
    if any(p.exists() and not p.is_file() for p in edited):
        raise OverwriteError([p for p in edited if not p.is_file()])  # a folder is never replaced, even with --force
    manifest = _manifest(folder)
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    staged: dict[str, Path] = {}
    try:
        for name, text in files.items():
            staged[name] = stage_text(folder / name, text)
        manifest["pending"] = {name: _digest(clean_text(text)) for name, text in files.items()}
        write_json(folder / MANIFEST, manifest)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    for name, tmp in staged.items():
        put_in_place(tmp, folder / name)
        manifest.setdefault("files", {})[name] = {"sha256": manifest["pending"][name], "written_by": f"curate {__version__} {command}", "at": now}
    del manifest["pending"]
    write_json(folder / MANIFEST, manifest)
    return [folder / name for name in files]
