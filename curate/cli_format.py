"""How commands print findings and rows: ``--format table|json|csv|nl``, at the terminal's width.

``table`` is for people (rich, as wide as the terminal; when the output is piped, as wide as
its content, so nothing is cut at 80 columns); ``json`` a JSON array, ``nl`` one JSON object
per line (for ``jq`` and streaming), ``csv`` a CSV file with a header (spreadsheet formulas
guarded by curate's one CSV writer).

Every command that prints rows takes the same option (:func:`format_option`). In ``json`` and
``nl`` the output stays JSON when a command fails: the error is an object
``{"error": reason, "file": file}`` (:func:`print_error`), also in a batch where one file fails
among others (a row with an ``error`` key).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from curate.extract.output import csv_text


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    nl = "nl"


FORMAT_HELP = "table: for people; json: a JSON array; nl: one JSON object per line; csv: a CSV file with a header. In json and nl an error is a JSON object too."
#: The --format of the command running (errors raised anywhere in it are printed in it).
_chosen = {"format": Format.table}


def _remember(value: Format) -> Format:
    _chosen["format"] = value
    return value


def format_option(help: str = FORMAT_HELP) -> Any:
    """``--format/-f table|json|csv|nl``: the same option, values and default in every command."""
    return typer.Option(Format.table, "--format", "-f", help=help, callback=_remember, case_sensitive=False)


def chosen_format() -> Format:
    return _chosen["format"]


def reset_format() -> None:
    """Back to ``table`` (each invocation starts so; a command's option then says otherwise)."""
    _chosen["format"] = Format.table


def machine(fmt: Format | None = None) -> bool:
    """True for the formats a program reads (``json``, ``nl``): output there must stay JSON."""
    return (fmt or chosen_format()) in (Format.json, Format.nl)


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


def emit(console: Console, records: Sequence[Mapping[str, Any]], fmt: Format, title: str = "", columns: Sequence[str] | None = None, caption: str = "") -> None:
    """Print rows in ``fmt``: a rich table (``columns``, default every key, in order) or :func:`print_records`."""
    if fmt is not Format.table:
        print_records(console, records, fmt)
        return
    names = list(columns or dict.fromkeys(k for r in records for k in r))
    table = RichTable(title=escape(title) or None, caption=escape(caption) or None)
    for name in names:
        table.add_column(escape(name), overflow="fold")
    for r in records:
        table.add_row(*(escape("" if r.get(n) is None else str(_flat(r.get(n)))) for n in names))
    if records or caption:
        console.print(table)


def print_error(console: Console, message: str, file: str | None = None) -> None:
    """In ``json``/``nl``: the error as one JSON object on stdout (a program reading it still reads JSON)."""
    if machine():
        console.file.write(json.dumps({"error": message, "file": file}, ensure_ascii=False) + "\n")
        console.file.flush()


def _flat(value: Any) -> Any:
    """A cell: nested values (a finding's related places) as compact JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if isinstance(value, (list, dict)) else value
