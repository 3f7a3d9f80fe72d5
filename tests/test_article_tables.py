"""Every captioned table of the corpus's article PDFs, as ``curate extract`` writes it, cell
for cell against the CSVs transcribed by hand from the rendered pages (tests/articles). Cells are compared as
``benchmarks/bench_articles.py`` scores them (NFKC, minus as ``-``, whitespace ignored: a
text layer's spacing is not a fact). What curate does not read right yet is a strict xfail
naming the failure, so a fix shows up as an XPASS to promote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_articles import FLOOR, keyed
from benchmarks.bench_corpus_tables import caption_number
from benchmarks.tablescore import best_match
from curate.schemas.io import unguard
from tests.conftest import extract_each, need_shared
from tests.tables_compare import cell_mismatches, read_csv
from tests.test_corpus_tables import xfail

pytestmark = pytest.mark.shared

ARTICLES = Path(__file__).resolve().parent / "articles"
MANIFEST = json.loads((ARTICLES / "manifest.json").read_text(encoding="utf-8"))["tables"]

#: Readings below the accuracy floor that curate still scores at or above it.
OVERCONFIDENT: dict[str, str] = {}

#: Why a table is not read cell for cell yet (key: "<pdf folder>/<caption number>").
FAILING: dict[str, str] = {}


def key(entry: dict) -> str:
    return f"{entry['csv'].split('/')[0]}/{entry['caption']}"


def params() -> list[object]:
    return [pytest.param(e, id=key(e), marks=[xfail(FAILING[key(e)])] if key(e) in FAILING else []) for e in MANIFEST]


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``curate extract`` run once on every article PDF with a table; PDF stem -> raw folder."""
    pdfs = list(dict.fromkeys(need_shared("corpus", *e["pdf"].split("/")) for e in MANIFEST))
    return extract_each(pdfs, tmp_path_factory.mktemp("articles"))


def captioned(extracted: dict[str, Path], entry: dict) -> list[tuple[dict[str, Any], list[list[str]]]]:
    """curate's tables (tables.json entry, cells as written) captioned 'Table N' with a part on the caption's page."""
    folder = extracted[Path(entry["pdf"]).stem]
    found = []
    for table in json.loads((folder / "tables.json").read_text(encoding="utf-8")):
        if caption_number(table["caption"]) == entry["caption"] and entry["pages"][0] in table["pages"]:
            found.append((table, [[unguard(c) for c in row] for row in read_csv(folder / table["file"])]))
    return found


def test_every_reason_names_a_table() -> None:
    assert set(FAILING) | set(OVERCONFIDENT) <= {key(e) for e in MANIFEST}


@pytest.mark.parametrize("entry", params())
def test_article_table_cell_for_cell(extracted: dict[str, Path], entry: dict) -> None:
    tables = captioned(extracted, entry)
    assert len(tables) == 1, f"{len(tables)} tables captioned 'Table {entry['caption']}'"
    table, cells = tables[0]
    assert table["pages"] == entry["pages"]
    assert cell_mismatches(keyed(read_csv(ARTICLES / entry["csv"])), keyed(cells)) == []


@pytest.mark.parametrize("entry", [pytest.param(e, id=key(e), marks=[xfail(OVERCONFIDENT[key(e)])] if key(e) in OVERCONFIDENT else []) for e in MANIFEST])
def test_a_poor_reading_is_never_called_confident(extracted: dict[str, Path], entry: dict) -> None:
    """A table curate reads below the accuracy floor must score below it too (a warning in
    the extract summary), with the reasons in tables.json."""
    want = keyed(read_csv(ARTICLES / entry["csv"]))
    scored = [(best_match(want, [{"cells": keyed(cells), "pages": []}]).accuracy, table) for table, cells in captioned(extracted, entry)]
    if scored:
        accuracy, table = max(scored, key=lambda s: s[0])
        if accuracy < FLOOR:
            assert table["score"] < FLOOR and table["reasons"], f"accuracy {accuracy:.2f} but scored {table['score']:.2f}"
