"""Time and peak memory against a document's size: pages and page width (issue 16).

Run as ``python benchmarks/bench_scale.py [--pages 50 200] [--width 14400]``. It generates, with
reportlab, dense text PDFs of the given numbers of pages (70 lines of words a page) and one page
of two text columns as wide as ``--width`` points (14,400 is the PDF limit), then runs, each in a
fresh child process, ``curate extract`` (:func:`curate.extract.paper.stage`) and, as the peer, pdfplumber
reading every page's words (``extract_words``), and prints wall and CPU seconds and peak resident
memory side by side (CPU seconds are the steady figure on a loaded machine). Memory that grows
with pages shows as MB per page; time that grows with width shows on the wide page.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = "the patients were treated with cells and their glucose fell over months of follow up in all groups".split()


def _make(folder: Path, pages: int, width: float = 595.0) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    rng = random.Random(pages)
    path = folder / f"p{pages}-w{int(width)}.pdf"
    c = Canvas(str(path), pagesize=(width, 842), invariant=1)
    columns = [50.0] if width < 1000 else [50.0, width / 2 + 50]
    for _ in range(pages):
        c.setFont("Times-Roman", 9)
        for x in columns:
            for i in range(70):
                c.drawString(x, 792 - 11 * i, " ".join(rng.choice(WORDS) for _ in range(16)))
        c.showPage()
    c.save()
    return path


def _child(tool: str, pdf: Path) -> None:
    sys.path.insert(0, str(ROOT))
    if tool == "curate":
        from curate.extract.paper import stage

        stage(pdf, Path(tempfile.mkdtemp()))
    else:
        import pdfplumber

        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                page.extract_words()
                page.flush_cache()


def _run(tool: str, pdf: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MB of ``tool`` on ``pdf`` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", tool, str(pdf)])
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        sys.exit(f"{tool} failed on {pdf}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--width", type=float, default=144000.0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:  # the generated PDFs are large: never left behind
        folder = Path(tmp)
        cases = [(f"{n} pages", _make(folder, n)) for n in args.pages] + [(f"1 page {args.width:g} pt wide", _make(folder, 1, args.width))]
        print(f"{'document':28s} {'curate s':>9s} {'CPU s':>6s} {'MB':>5s}   {'pdfplumber s':>12s} {'CPU s':>6s} {'MB':>5s}")
        for name, pdf in cases:
            (cw, cc, cm), (pw, pc, pm) = _run("curate", pdf), _run("pdfplumber", pdf)
            print(f"{name:28s} {cw:9.1f} {cc:6.1f} {cm:5.0f}   {pw:12.1f} {pc:6.1f} {pm:5.0f}", flush=True)


if __name__ == "__main__":
    main()
