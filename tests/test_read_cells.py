"""The fast reader of large files gives what the exact reader gives, and steps aside on damage.

``read_cells`` parses a clean file with pandas' C reader (numeric columns straight into their
dtypes) and anything else with ``read_table``; forcing the fast path on small generated files
(``fast_bytes=0``) compares the two on every variety of cell.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from curate.schemas.io import read_cells

HEADER = ["paper_id", "table", "label", "age", "hba1c"]
NUMBERS = {"age": "Int64", "hba1c": np.float64}


def _cells(rng: random.Random) -> list[str]:
    label = rng.choice(["", "arm A", "'=SUM(A1)", "'+1", "O'Brien", "naïve", "x;y", "  padded  ", "'-"])
    age = rng.choice(["", "0", "45", "007", "120"])
    hba1c = rng.choice(["", "7.5", "1e1", "-0.25", "12"])
    return [rng.choice(["p2019", "zhang2019"]), str(rng.randint(1, 3)), label, age, hba1c]


def _write(path: Path, rows: list[list[str]], newline: str = "\n", header: list[str] = HEADER) -> Path:
    path.write_text(newline.join(",".join(r) for r in [header, *rows]) + newline, encoding="utf-8")
    return path


def _exact(path: Path) -> tuple[pd.DataFrame | None, list]:
    return read_cells(path, fast_bytes=1 << 62)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fast_path_reads_what_the_exact_reader_reads(tmp_path: Path, newline: str) -> None:
    rng = random.Random(len(newline))
    path = _write(tmp_path / "t.csv", [_cells(rng) for _ in range(400)], newline)
    fast, damage = read_cells(path, numbers=NUMBERS, fast_bytes=0)
    exact, exact_damage = _exact(path)
    assert damage == exact_damage == []
    assert fast is not None and exact is not None
    assert fast["age"].dtype == "Int64" and fast["hba1c"].dtype == np.float64  # parsed, not text
    # As pandera would coerce them: the exact reader's text, converted.
    exact["age"] = exact["age"].astype("Int64")
    exact["hba1c"] = exact["hba1c"].astype(np.float64)
    pd.testing.assert_frame_equal(fast, exact)
    assert "=SUM(A1)" in set(fast["label"])  # the spreadsheet guard is taken off as row by row


@pytest.mark.parametrize(
    "damage",
    [
        "narrow",  # a row with a cell too few: pandas would pad it
        "wide",  # a row with a cell too many
        "blank",  # a line of blanks: csv's row, pandas' nothing
        "quoted",  # quotes: commas no longer separate cells
        "not_a_number",  # a number column holding text: pandera must name the cell
        "latin1",
        "bom",
        "duplicate",
    ],
)
def test_damaged_files_go_through_the_exact_reader(tmp_path: Path, damage: str) -> None:
    rng = random.Random(3)
    rows = [_cells(rng) for _ in range(50)]
    header = HEADER
    if damage == "narrow":
        rows[10] = rows[10][:-1]
    elif damage == "wide":
        rows[10] = [*rows[10], "extra"]
    elif damage == "blank":
        rows.insert(10, ["  "])
    elif damage == "quoted":
        rows[10][2] = '"a, b"'
    elif damage == "not_a_number":
        rows[10][3] = "forty"
    elif damage == "duplicate":
        header = [*HEADER[:-1], "age"]
    path = _write(tmp_path / "t.csv", rows, header=header)
    if damage == "latin1":
        path.write_bytes(path.read_bytes().replace("naïve".encode(), "naïve".encode("latin-1")) + "é,1,x,2,3\n".encode("latin-1"))
    elif damage == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    fast, fast_damage = read_cells(path, numbers=NUMBERS, fast_bytes=0)
    exact, exact_damage = _exact(path)
    assert fast_damage == exact_damage
    if exact is None:
        assert fast is None
    else:
        pd.testing.assert_frame_equal(fast, exact)  # text throughout: pandera coerces and reports
    if damage in ("narrow", "wide", "blank"):
        assert [d.check for d in fast_damage] == ["file.ragged_row"]
