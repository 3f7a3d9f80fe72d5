"""Tables of published articles: curate beside camelot (lattice, stream, network, hybrid) and
pdfplumber (lines, text), on every captioned table of the corpus's article PDFs.

Run from the repository root: ``python benchmarks/bench_articles.py [--tools ...] [--verbose]``
(a few minutes on one free core; needs ``../shared/corpus``).

The expected cells are ``tests/articles/<pdf>/table_<n>.csv``, transcribed by hand from the
rendered pages (``tests/articles/manifest.json`` gives each table's PDF, pages and kind).
Each tool runs in its own child process (``bench_zoo.py --child``: same runners, same timing
and peak RSS). A table is scored as in the zoo (``tablescore.best_match``: share of expected
cells, header and empty cells included, found at the same place under the best row/column
offset) against the tool's best table with a piece on the table's pages; cells are compared
without whitespace (``bench_corpus_tables.compare_key``: a PDF's text layer spaces ``p0 =
0.35`` and ``w1=1.0`` alike when printed alike). Peers read page by page, so a table over
several pages is scored against their best single piece. Beside curate's accuracy stands its
own quality score: a reading below 0.8 accuracy that curate scores 0.8 or more is
*overconfident*.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "tests" / "articles"

sys.path.insert(0, str(ROOT))
from benchmarks.bench_corpus_tables import CORPUS, compare_key  # noqa: E402
from benchmarks.bench_zoo import add_tools_option, chosen_tools  # noqa: E402
from benchmarks.tablescore import Grid, Match, best_match, print_cells, print_table, read_csv, run_child  # noqa: E402

#: A table read below this accuracy is a failure (issue 11's floor).
FLOOR = 0.8


def keyed(grid: Grid) -> Grid:
    """Every cell as compared: NFKC, minus as ``-``, no whitespace."""
    return [[compare_key(str(c)) for c in row] for row in grid]


def candidates(pieces: list[dict[str, Any]], pages: Sequence[int]) -> list[dict[str, Any]]:
    """A tool's tables (each once) with a piece on one of ``pages``, cells keyed."""
    tables: dict[int, dict[str, Any]] = {}
    for p in pieces:
        if p["page"] in pages and p["table"] not in tables:
            tables[p["table"]] = {**p, "cells": keyed(p["cells"])}
    return list(tables.values())


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    add_tools_option(ap)
    ap.add_argument("--verbose", action="store_true", help="the cells curate gets wrong in every table below 1.0")
    args = ap.parse_args(argv)
    tools = chosen_tools(ap, args.tools)
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    manifest = json.loads((ARTICLES / "manifest.json").read_text(encoding="utf-8"))["tables"]
    pdfs = list(dict.fromkeys(args.corpus / e["pdf"] for e in manifest))
    import pdfplumber

    n_pages = 0
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            n_pages += len(doc.pages)

    runs: dict[str, dict[str, Any]] = {}
    peak: dict[str, float] = {}
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}  # what survives the machine's load: compare tools on it
    for tool in tools:
        started = time.perf_counter()
        data, peak[tool] = run_child(ROOT / "benchmarks" / "bench_zoo.py", [tool, *map(str, pdfs)], ROOT)
        runs[tool] = {d["pdf"]: d for d in data["docs"]}
        wall[tool] = sum(d["seconds"] for d in data["docs"])
        cpu[tool] = sum(d["cpu"] for d in data["docs"])
        print(f"  {tool:<17} {time.perf_counter() - started:6.1f} s wall", file=sys.stderr)

    scores: dict[tuple[str, str], Match] = {}
    quality: dict[str, float | None] = {}
    rows = []
    for e in manifest:
        key = f"{Path(e['csv']).parent.name.split('_')[0]}/table_{e['caption']}"
        want = keyed(read_csv(ARTICLES / e["csv"]))
        line = [key, ",".join(map(str, e["pages"])), f"{len(want)}x{len(want[0])}", e["style"], e["layout"]]
        for tool in tools:
            found = candidates(runs[tool][str(args.corpus / e["pdf"])]["pieces"], e["pages"])
            scores[(tool, key)] = match = best_match(want, found)
            line.append(f"{match.accuracy:6.1%}")
            if tool == "curate":
                best = max(found, key=lambda f: best_match(want, [f]).accuracy, default=None)
                quality[key] = None if best is None else best.get("score")
        if "curate" in tools:
            q = quality[key]
            line.append("-" if q is None else f"{q:.2f}")
        rows.append(line)
    keys = [r[0] for r in rows]
    print("Article tables: cell accuracy per table (expected cells found, whitespace ignored); 'curate q' = curate's own quality score")
    print_table(
        f"{len(manifest)} captioned tables in {len(pdfs)} article PDFs ({n_pages} pages)",
        ["pdf/table", "pages", "expected", "style", "layout", *tools, *(["curate q"] if "curate" in tools else [])],
        rows,
    )
    for field in ("style", "layout"):
        groups: dict[str, list[str]] = defaultdict(list)
        for k, e in zip(keys, manifest):
            groups[e[field]].append(k)
        print_table(f"Mean accuracy per {field}", [field, *tools], [[g, *(f"{mean(scores[(t, k)].accuracy for k in ks):6.1%}" for t in tools)] for g, ks in groups.items()])
    summary = []
    for tool in tools:
        accs = [scores[(tool, k)].accuracy for k in keys]
        below = [k for k in keys if scores[(tool, k)].accuracy < FLOOR]
        summary.append([
            tool,
            f"{sum(a == 1 for a in accs)}/{len(accs)}",
            f"{mean(accs):.1%}",
            f"{min(accs):.1%}",
            str(len(below)),
            f"{wall[tool] / n_pages:.3f}",
            f"{cpu[tool] / n_pages:.3f}",
            f"{peak[tool]:.0f}",
            str(sum(1 for d in runs[tool].values() if d["error"])),
        ])
    print_table(
        f"Per tool ({len(keys)} tables, {n_pages} pages; seconds are the child's wall and CPU time per PDF, summed, per page)",
        ["tool", "exact", "mean acc", "min acc", f"below {FLOOR}", "s/page", "CPU s/page", "peak MB", "errors"],
        summary,
    )
    if "curate" in tools:
        below = [k for k in keys if scores[("curate", k)].accuracy < FLOOR]
        print(f"\ncurate below {FLOOR}: {', '.join(below) or 'none'}")
        over = [k for k in below if (quality[k] or 0) >= FLOOR]
        print(f"curate overconfident (accuracy < {FLOOR}, own score >= {FLOOR}): {', '.join(over) or 'none'}")
        beaten = [f"{k} ({', '.join(t for t in tools if scores[(t, k)].accuracy > scores[('curate', k)].accuracy)})"
                  for k in keys if any(scores[(t, k)].accuracy > scores[("curate", k)].accuracy for t in tools)]
        print(f"curate has the best accuracy on every table: {'yes (ties count as best)' if not beaten else 'NO; beaten on ' + '; '.join(beaten)}")
        if args.verbose:
            for k, e in zip(keys, manifest):
                if scores[("curate", k)].accuracy < 1:
                    print(f"\n{k}: curate {scores[('curate', k)].accuracy:.1%}")
                    print_cells("cells curate gets wrong", keyed(read_csv(ARTICLES / e["csv"])), scores[("curate", k)].wrong)
    for tool in tools:
        for name, doc in runs[tool].items():
            if doc["error"]:
                print(f"  {tool} on {name}: {doc['error']}")


if __name__ == "__main__":
    main()
