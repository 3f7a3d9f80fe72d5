"""Validation at scale: `curate validate` on a generated patients.csv of N rows (default 1M).

Prints wall and CPU seconds (of the work; the one-off imports of pandera, the same for both, are
timed apart) and peak memory (max RSS of a fresh
process per run) for curate's validate (defensive CSV reading, lazy pandera validation, foreign
keys, findings) beside the baseline it wraps: pandas.read_csv + the same pandera schema
validated lazily. Run:
    python benchmarks/bench_validate.py [--rows 1000000] [--errors 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REVIEW = Path(__file__).resolve().parents[1] / "examples" / "reviews" / "stemcell-diabetes" / "review.toml"


def generate(folder: Path, rows: int, errors: int, seed: int = 7) -> None:
    """papers.csv (one paper) and patients.csv with ``errors`` planted range and value faults."""
    rng = np.random.default_rng(seed)
    pd.DataFrame([{"paper_id": "bench2026", "title": "t", "first_author": "Bench", "year": 2026, "doi": "", "source": "b.pdf", "sha256": "0" * 64, "pages": 1}]).to_csv(folder / "papers.csv", index=False)
    before = np.round(rng.normal(7.5, 1.2, rows).clip(4, 15), 1)
    frame = pd.DataFrame({
        "paper_id": "bench2026", "table": "1", "page": "1", "row": np.arange(1, rows + 1),
        "sex": rng.choice(["M", "F"], rows), "age": rng.integers(18, 95, rows),
        "dose_million_cells": rng.choice([100, 500, 1000, 2000], rows),
        "hba1c_before": before, "hba1c_before_printed": before.astype(str),
        "hba1c_after": np.round(before - rng.normal(0.8, 0.5, rows), 1).clip(3, 20), "hba1c_after_printed": "",
        "months_observed": rng.integers(6, 70, rows),
    })
    bad = rng.choice(rows, errors, replace=False)
    frame.loc[bad[: errors // 2], "sex"] = "X"
    frame.loc[bad[errors // 2 :], "hba1c_before"] = 75.0
    frame.to_csv(folder / "patients.csv", index=False)
    (folder / "review.toml").write_text(REVIEW.read_text(encoding="utf-8"), encoding="utf-8")  # the review the dataset is of


def child(tool: str, folder: Path) -> None:
    # One-off imports, the same for both and apart from the rows: pandera and, for its model
    # classes, its typing modules (which import dask.dataframe when dask is installed).
    warm, warm_cpu = time.perf_counter(), time.process_time()
    import pandera.pandas  # noqa: F401
    from pandera.typing import get_index_types

    get_index_types()
    warm, warm_cpu = time.perf_counter() - warm, time.process_time() - warm_cpu
    start, cpu = time.perf_counter(), time.process_time()
    if tool == "curate":
        from curate.validate import validate

        n = len(validate(folder))
    else:
        import pandera.pandas as pa

        from curate.review import load_review

        schema = load_review(REVIEW).schemas()["patients.csv"]
        frame = pd.read_csv(folder / "patients.csv", dtype=str, keep_default_na=False).replace("", pd.NA)
        try:
            schema.validate(frame, lazy=True)
            n = 0
        except pa.errors.SchemaErrors as exc:
            n = len(exc.failure_cases)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "findings": n, "imports_cpu": warm_cpu}))


def run(tool: str, folder: Path) -> dict:
    """One fresh process per tool: its own peak RSS, from wait4."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", tool, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--errors", type=int, default=1000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.rows, args.errors)
        size = (folder / "patients.csv").stat().st_size / 1e6
        print(f"patients.csv: {args.rows:,} rows, {size:.0f} MB, {args.errors} planted faults")
        print(f"{'tool':<28}{'wall s':>8}{'CPU s':>8}{'peak MB':>10}{'findings':>10}{'imports CPU s (excluded)':>26}")
        for tool, label in (("baseline", "pandas + pandera (lazy)"), ("curate", "curate validate")):
            r = run(tool, folder)
            print(f"{label:<28}{r['seconds']:>8.1f}{r['cpu']:>8.1f}{r['peak_mb']:>10.0f}{r['findings']:>10}{r['imports_cpu']:>26.1f}")


if __name__ == "__main__":
    main()
