"""Page reading speed: pdfplumber against extract.fastpage (PDFium), same pages, same lists.

Run as ``python benchmarks/bench_fastpage.py [--repeat 3]`` from anywhere. For the three paper
PDFs in ``../shared/papers`` and the eight in ``../shared/corpus/pdfs`` each reader runs in a
fresh child process (this script with ``--child``) that opens every PDF and reads, page by page,
``chars``, ``lines``, ``rects`` and ``curves`` (what curate's layout code reads), ``--repeat``
times, keeping each PDF's fastest run. The parent prints seconds per page per PDF and overall,
and each child's peak resident memory (from ``os.wait4``) next to what its imports alone take.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
READERS = ("pdfplumber", "fastpage")


def _pdfs() -> list[Path]:
    found = sorted((SHARED / "papers").glob("*.pdf")) + sorted((SHARED / "corpus" / "pdfs").glob("*/*.pdf"))
    if not found:
        sys.exit(f"no PDFs under {SHARED} (../shared is needed)")
    return found


# --- child side ---------------------------------------------------------------------------


def _read_all(reader: str, path: Path) -> int:
    """Open ``path`` with ``reader`` and read every page's four lists; the page count."""
    if reader == "pdfplumber":
        import pdfplumber

        opened: Any = pdfplumber.open(path)
    else:
        from curate.extract.fastpage import open_document

        opened = open_document(path)
    with opened as pdf:
        for page in pdf.pages:
            _ = (page.chars, page.lines, page.rects, page.curves)  # each list is read on first use
        return len(pdf.pages)


def _child(reader: str, paths: list[str], repeat: int) -> None:
    started = time.perf_counter()
    if reader == "pdfplumber":
        import pdfplumber  # noqa: F401
    else:
        import curate.extract.fastpage  # noqa: F401
    import_s = time.perf_counter() - started
    import_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    runs = {}
    for path in paths:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            pages = _read_all(reader, Path(path))
            best = min(best, time.perf_counter() - started)
        runs[path] = {"pages": pages, "seconds": best}
    print(json.dumps({"import_s": import_s, "import_mb": import_mb, "runs": runs}))


# --- parent side --------------------------------------------------------------------------


def _run_child(reader: str, pdfs: list[Path], repeat: int) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", reader, "--repeat", str(repeat), *map(str, pdfs)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{reader} child failed (status {status})")
    data = json.loads(out)
    data["peak_mb"] = usage.ru_maxrss / 1024
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per PDF; the fastest counts")
    parser.add_argument("--child", choices=READERS, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.paths, args.repeat)
        return
    pdfs = _pdfs()
    results = {reader: _run_child(reader, pdfs, args.repeat) for reader in READERS}
    print(f"{'PDF':<40} {'pages':>5} {'pdfplumber s/page':>18} {'fastpage s/page':>16} {'speed-up':>9}")
    totals = {reader: 0.0 for reader in READERS}
    pages_total = 0
    for pdf in pdfs:
        pages = results["pdfplumber"]["runs"][str(pdf)]["pages"]
        seconds = {reader: results[reader]["runs"][str(pdf)]["seconds"] for reader in READERS}
        pages_total += pages
        for reader in READERS:
            totals[reader] += seconds[reader]
        print(f"{pdf.name:<40} {pages:>5} {seconds['pdfplumber'] / pages:>18.4f} {seconds['fastpage'] / pages:>16.4f} {seconds['pdfplumber'] / seconds['fastpage']:>8.1f}x")
    print(f"{'all':<40} {pages_total:>5} {totals['pdfplumber'] / pages_total:>18.4f} {totals['fastpage'] / pages_total:>16.4f} {totals['pdfplumber'] / totals['fastpage']:>8.1f}x")
    print()
    for reader in READERS:
        r = results[reader]
        print(f"{reader:<11} import {r['import_s']:.2f} s, {r['import_mb']:.0f} MB after import, peak {r['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
