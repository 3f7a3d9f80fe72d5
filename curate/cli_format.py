"""How commands print findings and rows: ``--format table|json|csv|nl``, at the terminal's width.

``table`` is for people (rich, as wide as the terminal; when the output is piped, as wide as
its content, so nothing is cut at 80 columns); ``json`` a JSON array, ``nl`` one JSON object
per line (for ``jq`` and streaming), ``csv`` a CSV file with a header (spreadsheet formulas
guarded by curate's one CSV writer).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from rich.console import Console

from curate.extract.output import csv_text


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    nl = "nl"


FORMAT_HELP = "table: for people; json: a JSON array; nl: one JSON object per line; csv: a CSV file with a header."


def stdout_console() -> Console:
    """The console for a command's output: the terminal's width, or no width limit when piped."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return Console()
    return Console(width=100_000, soft_wrap=True)


def print_records(console: Console, records: Sequence[Mapping[str, Any]], fmt: Format) -> None:
    """``records`` (JSON-able dicts) as ``json``, ``nl`` or ``csv`` on ``console``'s file, as is."""
    out = console.file
    if fmt is Format.json:
        out.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.nl:
        out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    elif fmt is Format.csv:
        columns = list(dict.fromkeys(k for r in records for k in r))
        out.write(csv_text([columns, *([_flat(r.get(c)) for c in columns] for r in records)]))
    else:
        raise ValueError(f"{fmt} is not a records format")
    out.flush()


def _flat(value: Any) -> Any:
    """A cell: nested values (a finding's related places) as compact JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if isinstance(value, (list, dict)) else value
