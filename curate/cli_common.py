"""The options every command shares, with the same names and meanings everywhere.

A project is one folder (``--project``): ``review.toml``, ``mappings/``, ``raw/`` and
``curated/``; ``--raw``, ``--curated``, ``--mappings`` and ``--review`` move one part of it.
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from curate.cli_format import print_error, stdout_console
from curate.review import Project, Review, ReviewError

err_console = Console(stderr=True)
out_console = stdout_console()


def project_option() -> Any:
    return typer.Option(None, "--project", "-p", help="The project folder: review.toml, mappings/, raw/, curated/ (default: the nearest folder upward holding a review.toml, else the current one).", show_default=False)


def raw_option(extra: tuple[str, ...] = ()) -> Any:
    return typer.Option(None, "--raw", *extra, help="Folder of extracted papers (default: PROJECT/raw).", show_default=False)


def curated_option(extra: tuple[str, ...] = ()) -> Any:
    return typer.Option(None, "--curated", "-c", *extra, help="Folder of the curated dataset (default: PROJECT/curated).", show_default=False)


def mappings_option() -> Any:
    return typer.Option(None, "--mappings", help="Folder of table mappings, *.toml (default: PROJECT/mappings).", show_default=False)


def review_option() -> Any:
    return typer.Option(None, "--review", help="The review file (default: PROJECT/review.toml).", show_default=False)


def fail(message: str, code: int = 1, file: object = None) -> NoReturn:
    """A one-line error on stderr (and, in ``--format json|nl``, a JSON error object on stdout); a non-zero exit."""
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    print_error(out_console, message, None if file is None else str(file))
    raise typer.Exit(code)


def load(where: Project, curated_fallback: bool = True) -> Review | None:
    """The project's review (or the curated folder's copy), or a one-line error."""
    try:
        return where.load(curated_fallback)
    except ReviewError as exc:
        fail(str(exc))
