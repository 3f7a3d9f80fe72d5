"""The one exception extraction raises for bad input: it names the file and the reason."""

from __future__ import annotations

from pathlib import Path


class ExtractError(Exception):
    """A PDF that cannot be extracted; ``str()`` is the one-line message a steward sees."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class PaperIdError(ValueError):
    """A paper id (``--id``) that is not a safe folder name; ``str()`` is the one-line message."""
