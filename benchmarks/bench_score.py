"""How honest curate's own quality score is: per table, the score beside the reading's accuracy.

Run from the repository root::

    python benchmarks/bench_score.py [--jobs 2] [--corpora zoo,articles,seeds,icdar,camelot,tabula] [--verbose]

(about 5 minutes on 2 free cores; the corpora other than the zoo need ``../shared``).

Every table the repo has gold for is read by the whole of ``curate extract`` (one child process
per worker, ``tablescore.curate_extract``), then each gold table is paired with curate's reading
that matches it best and the reading's own ``score`` is set beside its accuracy:

- zoo (``examples/zoo``, per producer), articles (``tests/articles``) and the seed papers
  (``tests/expected``): cell accuracy as ``bench_zoo.py`` / ``bench_articles.py`` score it
  (``tablescore.best_match``: header and empty cells included);
- camelot's and tabula's expected tables: cell accuracy as ``bench_corpus_tables.py`` (b)
  scores it (``cell_accuracy``: rows paired in order, a read row may join the expectation's
  wrapped lines), against the tables on the expected page (tabula's: the page its test reads,
  :func:`tabula_page`; their expectations are those tools'
  outputs, with their conventions for spanning cells, so 1.0 is rarer there; a tabula CSV that
  holds several tables, as its JSON says, is scored per table: :func:`tabula_tables`);
- ICDAR 2013: the adjacency-relation F1 of the readings that match the ground-truth table's
  regions (IoU >= 0.5), as ``bench_corpus_tables.py`` (a) scores structure, after the ground
  truth's header lines are joined into one row and a section row's cell spanning the table (or
  every column but the first) is put in its first column, as curate's tables are written
  (:func:`as_read`);
  a ground-truth table curate does not detect has no reading and no score, and is counted apart.

A reading is *over-confident* when its accuracy is below 0.9 and its score 0.95 or more, and a
*false warning* when its accuracy is 1.0 and its score below ``quality.LOW`` (the summary's
warning). The mean score is printed for right (accuracy 1.0) and wrong (below 0.9) readings.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.bench_articles import keyed  # noqa: E402
from benchmarks.bench_corpus_tables import (  # noqa: E402
    CORPUS,
    Found,
    adjacency,
    camelot_expectations,
    cell_accuracy,
    f1,
    grid_cells,
    icdar_documents,
    icdar_tables,
    match_regions,
    normalise_grid,
    ratio,
)
from benchmarks.bench_zoo import _page_sizes, _runner  # noqa: E402
from benchmarks.tablescore import Grid, best_match, norm, print_table, read_csv  # noqa: E402
from curate.extract.quality import LOW  # noqa: E402

ZOO = ROOT / "examples" / "zoo"
ARTICLES = ROOT / "tests" / "articles"
EXPECTED = ROOT / "tests" / "expected"
CORPORA = ("zoo", "articles", "seeds", "icdar", "camelot", "tabula")
#: Over-confident: accuracy below WRONG with a score at or above SURE.
WRONG, SURE = 0.9, 0.95

Reading = dict[str, Any]  # {"cells": header-first grid, "score", "reasons", "parts": [(page, bbox)]}


@dataclass(slots=True)
class Scored:
    """One gold table: curate's matching reading's score (None: not found) and its accuracy."""

    corpus: str
    name: str
    accuracy: float
    score: float | None
    reasons: list[str]


# --- child side ---------------------------------------------------------------------------

_run: Any = None


def _start() -> None:
    global _run
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    _run = _runner("curate")


def _read(path: str) -> tuple[str, list[Reading], list[float], float, str | None]:
    """curate's tables of one PDF (``bench_zoo``'s pieces joined per table: boxes in the page as
    displayed); its page heights (ICDAR's ground truth is in PDF space); CPU seconds; error."""
    import pdfplumber

    cpu = time.process_time()
    try:
        pieces, error = _run(Path(path)), None
    except Exception as exc:  # a PDF curate fails on is a result: no readings
        pieces, error = [], f"{type(exc).__name__}: {exc}"[:160]
    seconds = time.process_time() - cpu
    readings: dict[int, Reading] = {}
    for p in pieces:
        reading = readings.setdefault(p["table"], {"cells": p["cells"], "score": p["score"], "reasons": p["reasons"], "parts": []})
        reading["parts"].append((p["page"], p["bbox"]))
    return path, list(readings.values()), [h for _, h in _page_sizes(pdfplumber, Path(path)).values()], seconds, error


# --- gold ---------------------------------------------------------------------------------


def _best(readings: Sequence[Reading], accuracy: Any) -> tuple[float, Reading | None]:
    """The reading with the highest accuracy (the first on ties) and that accuracy."""
    best: tuple[float, Reading | None] = (0.0, None)
    for r in readings:
        acc = accuracy(r)
        if best[1] is None or acc > best[0]:
            best = (acc, r)
    return best


def _scored(corpus: str, name: str, best: tuple[float, Reading | None]) -> Scored:
    acc, r = best
    return Scored(corpus, name, acc, None if r is None else r["score"], [] if r is None else r["reasons"])


def _over_confident(s: Scored) -> bool:
    return s.score is not None and s.accuracy < WRONG and s.score >= SURE


def _false_warning(s: Scored) -> bool:
    return s.score is not None and s.accuracy == 1.0 and s.score < LOW


def _on(readings: Sequence[Reading], pages: Sequence[int]) -> list[Reading]:
    return [r for r in readings if any(p in pages for p, _ in r["parts"])]


def gold(corpora: Sequence[str], corpus: Path) -> tuple[dict[str, list[Any]], dict[Path, None]]:
    """Per corpus its gold entries, and every PDF to read."""
    entries: dict[str, list[Any]] = {}
    pdfs: dict[Path, None] = {}
    if "zoo" in corpora:
        entries["zoo"] = json.loads((ZOO / "manifest.json").read_text(encoding="utf-8"))
        pdfs.update(dict.fromkeys(ZOO / e["pdf"] for e in entries["zoo"]))
    if "seeds" in corpora:
        entries["seeds"] = sorted(EXPECTED.glob("*/table_*.csv"))
        pdfs.update(dict.fromkeys(corpus.parent / "papers" / f"{p.parent.name}.pdf" for p in entries["seeds"]))
    if "articles" in corpora:
        entries["articles"] = json.loads((ARTICLES / "manifest.json").read_text(encoding="utf-8"))["tables"]
        pdfs.update(dict.fromkeys(corpus / e["pdf"] for e in entries["articles"]))
    if "icdar" in corpora:
        entries["icdar"] = icdar_documents(corpus)
        pdfs.update(dict.fromkeys(entries["icdar"]))
    if "camelot" in corpora:
        entries["camelot"] = [(e.csv, pdf, e.page, e.spans, grid, None) for e in camelot_expectations(corpus) for grid in [read_csv(e.csv)] for pdf in e.pdfs]
        pdfs.update(dict.fromkeys(pdf for _, pdf, *_ in entries["camelot"]))
    if "tabula" in corpora:
        folder = corpus / "tables" / "tabula-java"
        sources = (corpus / "SOURCES.md").read_text(encoding="utf-8")
        entries["tabula"] = [
            (csv, folder / f"{csv.stem}.pdf", tabula_page(sources, csv.name), False, grid, number)
            for csv in sorted((folder / "expected").glob("*.csv"))
            if (folder / f"{csv.stem}.pdf").exists()
            for grid, number in tabula_tables(csv)
        ]
        pdfs.update(dict.fromkeys(pdf for _, pdf, *_ in entries["tabula"]))
    return entries, pdfs


def tabula_page(sources: str, name: str) -> int:
    """The page tabula-java's test reads for the expected CSV ``name``, as SOURCES.md records it
    ("...: page 2, area ..."); 1 when it names none."""
    row = next((ln for ln in sources.splitlines() if f"tabula-java/expected/{name} |" in ln), "")
    page = re.search(r"\bpage (\d+)", row)
    return int(page.group(1)) if page else 1


def tabula_tables(csv: Path) -> list[tuple[Grid, int | None]]:
    """The tables one tabula expected CSV holds: tabula writes all the tables it finds on a page
    into one CSV, one after the other; when its JSON of the same test lists several tables whose
    rows add up to the CSV's, each is scored on its own ((its rows, its number from 1)), as
    curate reads them; else the CSV is one table ((its rows, None))."""
    grid = read_csv(csv)
    sizes: list[int] = []
    if csv.with_suffix(".json").exists():
        tables = json.loads(csv.with_suffix(".json").read_text(encoding="utf-8"))
        sizes = [len(t.get("data", [])) for t in (tables if isinstance(tables, list) else [tables])]
    if len(sizes) < 2 or sum(sizes) != len(grid):
        return [(grid, None)]
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    return [(grid[a : a + n], i) for i, (a, n) in enumerate(zip(starts, sizes), 1)]


def as_read(cells: Sequence[tuple[int, int, int, int, str]]) -> list[tuple[int, int, int, int, str]]:
    """ICDAR's cells in curate's table model: its header rows (those its first row's cells span,
    the rows after them whose first cell is empty: a spanner's line over its columns' own, and
    a row of words under a row holding a cell that spans columns: the spanner's sub-heads; under
    such a row, a line with no stub label is its sub-heads whatever they hold, '15-24' too)
    joined into one header row, a spanning header heading each of its columns; body cells as
    they are, but a cell spanning the whole width from the first column, or alone in its row
    over every column but the first (a section row, or a spanner printed in the body centred over
    the columns of figures), which curate writes in the first column; such a row under the header
    is a section row of the body, not a header line. Without this every spanner, every line of a
    multi-line header and every section row counts as a misreading of a reading that is right by
    the model ``tables.json`` documents. A body cell spanning rows is written in the first row of
    its span, as curate writes it (one cell per row and column: the rows under it hold nothing
    there)."""
    if not cells:
        return []
    top = min(r0 for r0, *_ in cells)
    last = max(r1 for r0, r1, *_ in cells if r0 == top)
    left = min(c0 for _, _, c0, _, _ in cells)  # the ground truth numbers columns from 0 or from 1
    right = max(c1 for *_, c1, _ in cells)
    alone = Counter(r0 for r0, _, _, _, t in cells if t.strip())
    cells = [(r0, r1, left, left, t) if r0 > last and c0 == left + 1 and c1 == right > c0 and alone[r0] == 1 and t.strip() else (r0, r1, c0, c1, t) for r0, r1, c0, c1, t in cells]
    first_col = {r for r0, r1, c0, _, t in cells if c0 == left and t.strip() for r in range(r0, r1 + 1)}
    width = max(c1 for *_, c1, _ in cells) + 1

    def words(r: int) -> bool:  # a line of words (or years)
        texts = [t for r0, _, _, _, t in cells if r0 == r]
        return bool(texts) and not any(re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b", "", t)) for t in texts)

    def spans(r: int) -> bool:  # a row holding a cell over several columns
        return any(c1 > c0 and t.strip() for r0, _, c0, c1, t in cells if r0 == r)

    def sub_heads(r: int) -> bool:  # under a row of spanners, a line with no stub label: the spanned columns' own heads ('15-24' too)
        return spans(r - 1) and r not in first_col

    while last + 1 < max(r1 for _, r1, *_ in cells) and (sub_heads(last + 1) or words(last + 1) and (last + 1 not in first_col or spans(last))):
        last += 1
    header = [" ".join(t for r0, _, c0, c1, t in sorted(cells) if r0 <= last and c0 <= c <= c1 and t.strip()) for c in range(width)]
    body = [(r0 - last, r0 - last, c0, left if c0 == left and c1 == width - 1 else c1, t) for r0, r1, c0, c1, t in cells if r0 > last]
    return [(0, 0, c, c, h) for c, h in enumerate(header)] + body


def score_all(entries: dict[str, list[Any]], readings: dict[Path, list[Reading]], heights: dict[Path, list[float]], corpus: Path) -> list[Scored]:
    """Every gold table paired with curate's best-matching reading."""
    out: list[Scored] = []
    for e in entries.get("zoo", []):
        want = norm(read_csv(ZOO / e["expected"]))
        best = _best(readings[ZOO / e["pdf"]], lambda r, want=want: best_match(want, [{"cells": r["cells"], "pages": []}]).accuracy)
        out.append(_scored(f"zoo {e['producer']}", f"{Path(e['pdf']).stem}/{e['table']}", best))
    for csv in entries.get("seeds", []):
        want = norm(read_csv(csv))
        best = _best(readings[corpus.parent / "papers" / f"{csv.parent.name}.pdf"], lambda r, want=want: best_match(want, [{"cells": r["cells"], "pages": []}]).accuracy)
        out.append(_scored("seeds", f"{csv.parent.name}/{csv.stem}", best))
    for e in entries.get("articles", []):
        want = keyed(read_csv(ARTICLES / e["csv"]))
        found = _on(readings[corpus / e["pdf"]], e["pages"])
        best = _best(found, lambda r, want=want: best_match(want, [{"cells": keyed(r["cells"]), "pages": []}]).accuracy)
        out.append(_scored("articles", f"{Path(e['csv']).parent.name.split('_')[0]}/table_{e['caption']}", best))
    for name in ("camelot", "tabula"):
        for csv, pdf, page, spans, grid, number in entries.get(name, []):
            want = normalise_grid(grid)
            best = _best(_on(readings[pdf], [page]), lambda r, want=want, spans=spans: cell_accuracy(want, normalise_grid(r["cells"]), spans=spans))
            part = "" if number is None else f"#{number}"
            out.append(_scored(f"{name} expected", f"{csv.stem}{part} [{pdf.stem}]", best))
    for pdf in entries.get("icdar", []):
        got = readings[pdf]
        pieces = [Found(i, page, tuple(box), r["cells"]) for i, r in enumerate(got) for page, box in r["parts"]]  # type: ignore[arg-type]
        for n, table in enumerate(icdar_tables(pdf, heights[pdf]), 1):
            matched = match_regions(table.regions, pieces)
            hit = sorted({pieces[fi].table for fi in matched.values()})
            if not hit:
                out.append(Scored("icdar", f"{pdf.stem}/{n}", 0.0, None, []))
                continue
            want = adjacency(as_read(table.cells))
            have: set[tuple[str, str, str]] = set().union(*(adjacency(grid_cells(got[i]["cells"])) for i in hit))
            right = len(want & have)
            acc = f1(ratio(right, len(have)), ratio(right, len(want)))
            out.append(Scored("icdar", f"{pdf.stem}/{n}", acc, min(got[i]["score"] for i in hit), sorted({w for i in hit for w in got[i]["reasons"]})))
    return out


def summary(scored: Sequence[Scored]) -> list[list[str]]:
    """One line per corpus (zoo per producer) and one for all: tables, readings found,
    over-confident, false warnings, mean score on right and on wrong readings."""
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.corpus].append(s)
    groups["all"] = list(scored)
    rows = []
    for name, group in groups.items():
        read = [s for s in group if s.score is not None]
        right = [s.score for s in read if s.accuracy == 1.0]
        wrong = [s.score for s in read if s.accuracy < WRONG]
        over = sum(map(_over_confident, read))
        false = sum(map(_false_warning, read))
        rows.append([
            name, str(len(group)), str(len(read)), str(len(right)), str(len(wrong)), str(over), str(false),
            f"{mean(right):.3f}" if right else "-", f"{mean(wrong):.3f}" if wrong else "-",
        ])  # fmt: skip
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpora", default=",".join(CORPORA), help="comma-separated subset of " + ", ".join(CORPORA))
    ap.add_argument("--verbose", action="store_true", help="list every table read less than right: over-confident, false warnings, wrong, near misses, not found")
    args = ap.parse_args(argv)
    corpora = [c for c in args.corpora.split(",") if c]
    if unknown := sorted(set(corpora) - set(CORPORA)):
        ap.error(f"unknown corpora: {', '.join(unknown)}")
    if set(corpora) - {"zoo"} and not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    started = time.perf_counter()
    entries, pdfs = gold(corpora, args.corpus)
    order = sorted(pdfs, key=lambda p: -p.stat().st_size)  # biggest first
    readings: dict[Path, list[Reading]] = {}
    heights: dict[Path, list[float]] = {}
    cpu = 0.0
    errors = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), initializer=_start) as pool:
        for path, got, page_heights, seconds, error in pool.map(_read, map(str, order)):
            readings[Path(path)] = got
            heights[Path(path)] = page_heights
            cpu += seconds
            if error:
                errors.append(f"{Path(path).name}: {error}")
    scored = score_all(entries, readings, heights, args.corpus)
    print(f"curate's quality score against accuracy: {len(pdfs)} PDFs, {len(scored)} gold tables, {time.perf_counter() - started:.0f} s wall, {cpu:.0f} CPU s reading")
    print(f"over-confident: accuracy < {WRONG} and score >= {SURE}; false warning: accuracy 1.0 and score < {LOW} (ICDAR: adjacency F1 as accuracy)")
    print_table(
        "Per corpus (zoo per producer)",
        ["corpus", "tables", "read", "right (1.0)", f"wrong (<{WRONG})", "over-confident", "false warnings", "mean score right", "mean score wrong"],
        summary(scored),
    )
    if args.verbose:
        over = list(filter(_over_confident, scored))
        false = list(filter(_false_warning, scored))
        low = [s for s in scored if s.score is not None and s.accuracy < WRONG and s.score < SURE]
        near = [s for s in scored if s.score is not None and WRONG <= s.accuracy < 1.0]
        missed = [s for s in scored if s.score is None]
        groups = (("over-confident", over), ("false warnings", false), ("wrong, not called confident", low), (f"near misses ({WRONG} <= accuracy < 1)", near), ("not found", missed))
        for title, group in groups:
            print(f"\n{title}: {len(group)}")
            for s in group:
                score = "-" if s.score is None else f"{s.score:.3f}"
                print(f"  {s.corpus:<18} {s.name:<48} acc {s.accuracy:.3f} score {score}  {'; '.join(s.reasons)[:160]}")
    for e in errors:
        print(f"  error: {e}")


if __name__ == "__main__":
    main()
