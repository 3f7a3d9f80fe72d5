"""Table layout zoo benchmark: curate beside camelot, pdfplumber and tabula, on every zoo table.

The peers: camelot (lattice, stream, network, hybrid), pdfplumber (lines and text
strategies) and tabula-java through tabula-py (lattice, and stream with its Nurminen
detector; needs Java), on every table of ``examples/zoo``.

Run from anywhere: ``python benchmarks/bench_zoo.py [--producers reportlab,chromium,typst,libreoffice]
[--tools curate,camelot-stream,...] [--verbose]`` (a few minutes on one free core).

``--reprint none,gs,cairo,mutool`` scores the zoo re-printed by other PDF writers instead
(``examples/zoo/reprint.py``: Ghostscript, poppler's cairo, MuPDF; ``none`` is the zoo as
printed, for the side-by-side), with the seed papers (``../shared/papers``, their tables in
``tests/expected``) re-printed too when they are there; tools default to curate and
camelot-stream, and each re-printer gets its line: tables read exactly, mean accuracy and
misreadings scored confident (>= 0.95, curate only). The seeds have no part boxes: their
tables count for accuracy, not detection.

Each tool runs in its own fresh child process (this script with ``--child``) over every zoo
PDF, so its peak RSS is its own; the child times each PDF's extraction (opening the PDF
included, imports excluded: camelot's too, which curate imports for its peers). curate is timed doing the whole of ``curate extract`` (tables,
references, citations, claims), the peers reading tables only.

- Cell accuracy per zoo table: share of expected cells (header row and empty cells included)
  found with the same text at the same place in the tool's best-matching table of that PDF,
  under the best single row/column offset (``tablescore.best_match``, as bench_tables.py).
  The peers read page by page, so a table over three pages is scored against their best
  single piece; curate stitches pages into one table.
- Detection: each part of a zoo table (a page and the box of its cell text, measured by the
  generator, in the manifest) is found when a piece the tool reports on that page overlaps it
  at IoU >= 0.5 (one-to-one, ``bench_corpus_tables.match_regions``); a table is detected when
  all its parts are. Precision counts the pieces a tool reports that match a part.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT / "examples" / "zoo"
PAPERS = ROOT.parent / "shared" / "papers"
EXPECTED = ROOT / "tests" / "expected"
TOOLS = ("curate", "camelot-lattice", "camelot-stream", "camelot-network", "camelot-hybrid", "pdfplumber-lines", "pdfplumber-text", "tabula-lattice", "tabula-stream")

sys.path.insert(0, str(ROOT))
from benchmarks.bench_corpus_tables import Found, f1, match_regions, ratio, start_tabula, tabula_tables  # noqa: E402
from benchmarks.tablescore import Match, best_match, curate_extract, norm, print_cells, print_table, read_csv, run_child  # noqa: E402

Piece = dict[str, Any]  # {"table": id, "page": n, "bbox": [x0, top, x1, bottom], "pages": [...], "cells": grid}


# --- child side ---------------------------------------------------------------------------


def _runner(tool: str) -> Callable[[Path], list[Piece]]:
    """Import ``tool`` and return its call: PDF path -> table pieces, boxes in the page as displayed."""
    if tool == "curate":
        import pdfplumber

        from curate.extract.upright import unturn_box

        extract = curate_extract()

        def run_curate(path: Path) -> list[Piece]:
            tables, turned = extract(path)
            sizes = _page_sizes(pdfplumber, path) if turned else {}
            pieces = []
            for i, t in enumerate(tables):
                cells = [t.header, *t.rows] if any(t.header) else [list(r) for r in t.rows]
                pages = [p.page for p in t.parts]
                for p in t.parts:
                    box = tuple(p.bbox)
                    if p.page in turned:
                        box = unturn_box(turned[p.page], *sizes[p.page], box)
                    pieces.append({"table": i, "page": p.page, "bbox": list(box), "pages": pages, "cells": cells, "score": t.score, "reasons": list(t.reasons), "caption": t.caption})
            return pieces

        return run_curate
    if tool.startswith("pdfplumber-"):
        import pdfplumber

        strategy = tool.removeprefix("pdfplumber-")
        settings = {"vertical_strategy": strategy, "horizontal_strategy": strategy}

        def run_pdfplumber(path: Path) -> list[Piece]:
            pieces = []
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    for t in page.find_tables(table_settings=settings):
                        cells = [["" if v is None else v for v in row] for row in t.extract()]
                        pieces.append({"table": len(pieces), "page": page.page_number, "bbox": list(t.bbox), "pages": [page.page_number], "cells": cells})
            return pieces

        return run_pdfplumber
    if tool.startswith("tabula-"):
        return _tabula_runner(tool.removeprefix("tabula-"))
    import camelot
    import pdfplumber

    flavor = tool.removeprefix("camelot-")

    def run_camelot(path: Path) -> list[Piece]:
        heights = {n: h for n, (_, h) in _page_sizes(pdfplumber, path).items()}
        pieces = []
        for t in camelot.read_pdf(str(path), pages="all", flavor=flavor):
            x1, y1, x2, y2 = t._bbox
            page, h = int(t.page), heights[int(t.page)]
            cells = [["" if v is None else str(v) for v in row] for row in t.df.values.tolist()]
            pieces.append({"table": len(pieces), "page": page, "bbox": [x1, h - y2, x2, h - y1], "pages": [page], "cells": cells})
        return pieces

    return run_camelot


def _tabula_runner(mode: str) -> Callable[[Path], list[Piece]]:
    """tabula-java page by page (``bench_corpus_tables.tabula_tables``), its JVM started here
    so that its start-up counts as import time, as camelot's imports do."""
    import pdfplumber

    start_tabula()

    def run_tabula(path: Path) -> list[Piece]:
        pieces: list[Piece] = []
        for page in _page_sizes(pdfplumber, path):
            for f in tabula_tables(str(path), page, mode):
                pieces.append({"table": len(pieces), "page": page, "bbox": list(f.bbox), "pages": [page], "cells": f.grid})
        return pieces

    return run_tabula


def _page_sizes(pdfplumber: Any, path: Path) -> dict[int, tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return {p.page_number: (float(p.width), float(p.height)) for p in pdf.pages}


def _child(tool: str, paths: Sequence[str]) -> None:
    """Run one tool over the PDFs in this (fresh) process; print timings and pieces as JSON.
    A PDF the tool fails on is recorded with its error and no tables."""
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    start = time.perf_counter()
    run = _runner(tool)
    import_s = time.perf_counter() - start
    docs = []
    for path in paths:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            pieces, error = run(Path(path)), None
        except Exception as exc:  # a tool crashing on one PDF is a result, not a reason to stop
            pieces, error = [], f"{type(exc).__name__}: {exc}"[:160]
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        docs.append({"pdf": path, "seconds": seconds, "cpu": cpu, "pieces": pieces, "error": error})
    json.dump({"import_s": import_s, "docs": docs}, sys.stdout)


# --- parent side --------------------------------------------------------------------------


def _detected(entries: list[dict[str, Any]], pieces: list[Piece]) -> tuple[dict[int, bool], int]:
    """For one PDF: per zoo table (by number) whether every part was found, and how many
    parts were (each matched to a piece of its own)."""
    gt = [(e["table"], part["page"], tuple(part["bbox"])) for e in entries for part in e["parts"]]
    found = [Found(p["table"], p["page"], tuple(p["bbox"]), p["cells"]) for p in pieces]
    matched = match_regions([(page, box) for _, page, box in gt], found)
    per_table = {e["table"]: True for e in entries}
    for i, (number, _, _) in enumerate(gt):
        if i not in matched:
            per_table[number] = False
    return per_table, len(matched)


def add_tools_option(ap: argparse.ArgumentParser) -> None:
    """``--tools``: which of TOOLS a table benchmark runs (all by default)."""
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ", ".join(TOOLS))


def chosen_tools(ap: argparse.ArgumentParser, value: str) -> list[str]:
    """The tools ``--tools`` names, in its order; an unknown name is an argparse error."""
    tools = [t for t in value.split(",") if t]
    if unknown := sorted(set(tools) - set(TOOLS)):
        ap.error(f"unknown tool(s): {', '.join(unknown)}")
    return tools


def _reprinted(out: Path, printers: Sequence[str], producers: Sequence[str]) -> list[dict[str, Any]]:
    """The manifest of the zoo (only ``producers``' documents, if given) and the seed papers
    re-printed by ``printers`` into ``out`` (``none``: as printed); each entry's ``pdf`` an
    absolute path, its ``expected`` too, its ``key`` '<printer>/<document>/<table>'."""
    from reprint import reprint, reprint_zoo

    zoo = json.loads((ZOO / "manifest.json").read_text(encoding="utf-8"))
    names = sorted({Path(e["pdf"]).stem for e in zoo if not producers or e["producer"] in producers})
    seeds = sorted(PAPERS.glob("*.pdf")) if PAPERS.is_dir() else []
    entries = []
    for printer in printers:
        if printer == "none":
            made = [{**e, "pdf": str(ZOO / e["pdf"]), "expected": str(ZOO / e["expected"]), "reprinter": "none"} for e in zoo if Path(e["pdf"]).stem in names]
        else:
            made = [{**e, "pdf": str(out / e["pdf"])} for e in reprint_zoo(out, [printer], names)]
        for pdf in seeds:
            copy = pdf if printer == "none" else out / printer / "seeds" / pdf.name
            if printer != "none":
                reprint(printer, pdf, copy)
            for csv_path in sorted((EXPECTED / pdf.stem).glob("table_*.csv"), key=lambda p: int(p.stem.split("_")[1])):
                made.append({"pdf": str(copy), "expected": str(csv_path), "table": int(csv_path.stem.split("_")[1]), "source": "seed", "producer": "seed",
                             "style": "-", "layout": "-", "density": "-", "parts": [], "reprinter": printer})
        for e in made:
            e["key"] = f"{printer}/{Path(e['pdf']).stem}/{e['table']}"
        entries += made
    return entries


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--producers", default="", help="comma-separated producers to score (default: all in the manifest)")
    add_tools_option(ap)
    ap.add_argument("--reprint", default="", help="score the zoo re-printed by these (comma-separated: none, gs, cairo, mutool; see examples/zoo/reprint.py)")
    ap.add_argument("--verbose", action="store_true", help="list the tables peers beat curate on, the cells curate gets wrong, the tools' errors")
    ap.add_argument("--zoo", type=Path, default=ZOO, help="a zoo folder (manifest.json, pdfs/, expected/): e.g. generate.py --unsampled --out DIR (default: the committed zoo)")
    args = ap.parse_args(argv)
    if args.reprint and args.tools == ",".join(TOOLS):  # (not chosen: curate beside camelot-stream)
        args.tools = "curate,camelot-stream"
    tools = chosen_tools(ap, args.tools)
    producers = [p for p in args.producers.split(",") if p]
    printers = [p for p in args.reprint.split(",") if p]
    sys.path.insert(0, str(ZOO))
    from reprint import PRINTERS, available

    if printers and args.zoo.resolve() != ZOO.resolve():
        ap.error("--zoo cannot be combined with --reprint (the zoo re-printed is the committed one)")
    if unknown := sorted(set(printers) - {"none", *PRINTERS}):
        ap.error(f"unknown re-printer(s): {', '.join(unknown)}")
    if missing := sorted(set(printers) - {"none", *available(list(PRINTERS))}):
        ap.error(f"not installed: {', '.join(PRINTERS[p][0] for p in missing)}")
    with tempfile.TemporaryDirectory() as tmp:
        if printers:
            manifest = _reprinted(Path(tmp), printers, producers)
        else:
            manifest = json.loads((args.zoo / "manifest.json").read_text(encoding="utf-8"))
            manifest = [{**e, "pdf": str(args.zoo / e["pdf"]), "expected": str(args.zoo / e["expected"]), "key": f"{Path(e['pdf']).stem}/{e['table']}"} for e in manifest if not producers or e["producer"] in producers]
        score_tools(manifest, tools, args.verbose)


def score_tools(manifest: list[dict[str, Any]], tools: list[str], verbose: bool) -> None:
    """Run ``tools`` over the manifest's PDFs and print the scores (see the module's docstring)."""
    by_pdf: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in manifest:
        by_pdf[e["pdf"]].append(e)
    pdfs = list(by_pdf)
    import pdfplumber

    n_pages = {}
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            n_pages[pdf] = len(doc.pages)
    total_pages = sum(n_pages.values())

    runs: dict[str, dict[str, Any]] = {}
    peak: dict[str, float] = {}
    for tool in tools:
        started = time.perf_counter()
        data, peak[tool] = run_child(Path(__file__).resolve(), [tool, *pdfs], ROOT)
        runs[tool] = {d["pdf"]: d for d in data["docs"]}
        print(f"  {tool:<17} {time.perf_counter() - started:6.1f} s wall", file=sys.stderr)

    scores: dict[tuple[str, str], Match] = {}
    detected: dict[tuple[str, str], bool] = {}
    parts_found = {t: 0 for t in tools}
    pieces_total = {t: 0 for t in tools}
    n_parts = sum(len(e["parts"]) for e in manifest)
    rows = []
    for name, entries in by_pdf.items():
        for tool in tools:
            doc = runs[tool][name]
            per_table, found = _detected(entries, doc["pieces"])
            parts_found[tool] += found
            pieces_total[tool] += len(doc["pieces"])
            tables: dict[int, dict[str, Any]] = {}
            for p in doc["pieces"]:
                tables.setdefault(p["table"], p)
            for e in entries:
                key = e["key"]
                scores[(tool, key)] = best_match(norm(read_csv(Path(e["expected"]))), list(tables.values()))
                detected[(tool, key)] = per_table[e["table"]]
        for e in entries:
            key = e["key"]
            expected = read_csv(Path(e["expected"]))
            line = [key, e["source"], f"{len(expected)}x{len(expected[0])}"]
            for tool in tools:
                line.append(f"{scores[(tool, key)].accuracy:6.1%} {'D' if detected[(tool, key)] else '-'}")
            rows.append(line)
    print("Table layout zoo: cell accuracy per table (D = every part detected at IoU >= 0.5)")
    print_table(f"{len(manifest)} tables in {len(pdfs)} PDFs ({total_pages} pages)", ["pdf/table", "source", "expected", *tools], rows)

    keys = list(dict.fromkeys(k for _, k in scores))
    meta = {e["key"]: e for e in manifest}

    def exact(tool: str, group: list[str]) -> str:
        return f"{sum(scores[(tool, k)].accuracy == 1 for k in group)}/{len(group)}"

    for field in ("reprinter", "producer", "style", "layout", "density") if "reprinter" in manifest[0] else ("producer", "style", "layout", "density"):
        groups: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            groups[meta[k][field]].append(k)
        print_table(
            f"Tables read exactly (accuracy 1.0) and mean accuracy, per {field}",
            [field, *tools],
            [[g, *(f"{exact(t, ks):>6} {mean(scores[(t, k)].accuracy for k in ks):6.1%}" for t in tools)] for g, ks in groups.items()],
        )

    boxed = [k for k in keys if meta[k]["parts"]]  # (the seeds' tables have no boxes to detect)
    summary = []
    for tool in tools:
        seconds = sum(d["seconds"] for d in runs[tool].values())
        cpu = sum(d["cpu"] for d in runs[tool].values())  # what survives the machine's load
        p, r = ratio(parts_found[tool], pieces_total[tool]), ratio(parts_found[tool], n_parts)
        summary.append([
            tool,
            exact(tool, keys),
            f"{mean(scores[(tool, k)].accuracy for k in keys):.1%}",
            f"{sum(detected[(tool, k)] for k in boxed)}/{len(boxed)}",
            f"{100 * r:.1f}", f"{100 * p:.1f}", f"{100 * f1(p, r):.1f}",
            f"{seconds / total_pages:.3f}",
            f"{cpu / total_pages:.3f}",
            f"{peak[tool]:.0f}",
            str(sum(1 for d in runs[tool].values() if d["error"])),
        ])
    print_table(
        f"Per tool ({len(keys)} tables, {n_parts} table parts, {total_pages} pages)",
        ["tool", "exact", "mean acc", "tables detected", "part recall%", "piece precision%", "F1%", "s/page", "CPU s/page", "peak MB", "errors"],
        summary,
    )
    if "curate" in tools:
        beaten = [f"{k} ({', '.join(t for t in tools if scores[(t, k)].accuracy > scores[('curate', k)].accuracy)})"
                  for k in keys if any(scores[(t, k)].accuracy > scores[("curate", k)].accuracy for t in tools)]
        print(f"\ncurate has the best accuracy on every table: {'yes (ties count as best)' if not beaten else 'NO; beaten on ' + str(len(beaten))}")
        if verbose:
            for line in beaten:
                print(f"  {line}")
    if "curate" in tools and "reprinter" in manifest[0]:
        _print_reprinters(manifest, tools, scores)
    if verbose and "curate" in tools:
        for k in keys:
            if scores[("curate", k)].accuracy < 1:
                print(f"\n{k}: curate {scores[('curate', k)].accuracy:.1%} (scored {scores[('curate', k)].score})")
                print_cells("cells curate gets wrong", norm(read_csv(Path(meta[k]["expected"]))), scores[("curate", k)].wrong)
    if verbose:
        for tool in tools:
            for name, doc in runs[tool].items():
                if doc["error"]:
                    print(f"  {tool} on {name}: {doc['error']}")


def _print_reprinters(manifest: list[dict[str, Any]], tools: list[str], scores: dict[tuple[str, str], Match]) -> None:
    """Per re-printer (zoo and seeds apart): tables read exactly, mean accuracy per tool, and
    curate's misreadings it scores confident (accuracy below 1, own score >= 0.95)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in manifest:
        groups[(e["reprinter"], "seeds" if e["source"] == "seed" else "zoo")].append(e["key"])
    rows = []
    for (printer, what), ks in groups.items():
        line = [printer, what]
        for tool in tools:
            line.append(f"{sum(scores[(tool, k)].accuracy == 1 for k in ks)}/{len(ks)} {mean(scores[(tool, k)].accuracy for k in ks):6.1%}")
        wrong = [k for k in ks if scores[("curate", k)].accuracy < 1]
        line.append(f"{sum((scores[('curate', k)].score or 0) >= 0.95 for k in wrong)}/{len(wrong)}")
        rows.append(line)
    print_table("Per re-printer: tables read exactly, mean accuracy; curate's misreadings scored confident", ["reprinter", "tables", *tools, "curate over-confident"], rows)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
    else:
        main()
