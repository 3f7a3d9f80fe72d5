"""curate runs on Windows too: no module of the toolkit imports a POSIX-only module (the
decisions log is locked with filelock, not fcntl, which made validate, report, reconcile and
decide fail on Windows)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

POSIX_ONLY = {"fcntl", "termios", "pwd", "grp", "resource", "posix", "tty", "pty"}


def test_no_posix_only_module_is_imported_anywhere_in_the_toolkit() -> None:
    found = []
    files = [p for d in ("curate", "extract", "schemas") for p in sorted((ROOT / d).rglob("*.py"))]
    assert len(files) > 30
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] in POSIX_ONLY]
    assert found == [], found

