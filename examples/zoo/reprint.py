#!/usr/bin/env python3
"""Re-print PDFs through other PDF writers: the same pages, another producer's text layer.

Why: the PDFs a steward gets are often not the publisher's own but a "Print to PDF" or a
repository's re-distilled copy. A re-printer rebuilds the content stream, the fonts (subsets
re-made, re-encoded, sometimes without a ToUnicode map) and how text is shown (a run per
word, per glyph...), while the page looks the same: the zoo's expected tables and its table
boxes still apply. Re-printers:

- ``gs``: Ghostscript's ``pdfwrite`` device (Debian package ``ghostscript``);
- ``cairo``: poppler's ``pdftocairo -pdf``, cairo's PDF writer (Debian ``poppler-utils``);
- ``mutool``: MuPDF's ``mutool convert -F pdf`` (Debian ``mupdf-tools``), which redraws the
  page through MuPDF's own PDF writer.

Writes ``<out>/<printer>/<name>.pdf`` and ``<out>/manifest.json``: the zoo manifest's entries
of the re-printed PDFs, each with ``pdf`` pointing to the copy (relative to ``<out>``), its
``reprinter`` and ``expected`` an absolute path to the zoo's CSV (the same table, expected the
same). ``--sample`` re-prints one document per producer (``SAMPLE``): the committed test
fixture ``examples/zoo/reprinted`` is ``--sample --out examples/zoo/reprinted`` (with relative
``expected`` paths, see ``--relative``); the benchmark re-prints the whole zoo
(``benchmarks/bench_zoo.py --reprint``).

Usage: python examples/zoo/reprint.py --out DIR [--printers gs,cairo,mutool] [--sample] [PDF ...]
(extra PDFs, such as the seed papers, are re-printed too and listed under ``others``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Re-printer -> the command re-printing ``{src}`` into ``{dst}``.
PRINTERS: dict[str, list[str]] = {
    "gs": ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", "{dst}", "{src}"],
    "cairo": ["pdftocairo", "-pdf", "{src}", "{dst}"],
    "mutool": ["mutool", "convert", "-F", "pdf", "-o", "{dst}", "{src}"],
}
#: One document per producer for the committed sample: two-column pages with ligatures, raised
#: marks and exponents, hyphens and a symbol font's '×' (what the re-printers change).
SAMPLE = ("reportlab-twocol-norules", "chromium-twocol-headerrule", "typst-twocol-headerrule", "libreoffice-airy-twocol-headerrule", "libreoffice-sideways-grid", "groff-headerrule")


def reprint(printer: str, src: Path, dst: Path) -> None:
    """Re-print ``src`` into ``dst`` with ``printer``; raises CalledProcessError if it fails."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    cmd = [part.format(src=src, dst=dst) for part in PRINTERS[printer]]
    # a fixed date where the writer honours one, so a re-print is the same from run to run
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    subprocess.run(cmd, check=True, capture_output=True, env=env, timeout=300)


def available(printers: Sequence[str]) -> list[str]:
    """The printers whose program is installed."""
    return [p for p in printers if shutil.which(PRINTERS[p][0])]


#: Per page of a PDF: the quarter turns clockwise its re-print shows it with, its width and height.
Turns = list[tuple[int, float, float]]


def page_turns(src: Path, dst: Path) -> Turns:
    """How a re-print ``dst`` shows each page of ``src``: Ghostscript turns a page whose text
    runs sideways (its /Rotate set by the text's direction). Read once per re-printed PDF."""
    from curate.extract.fastpage import open_document

    with open_document(src) as a, open_document(dst) as b:
        return [((pb.rotation - pa.rotation) % 360 // 90, pa.width, pa.height) for pa, pb in zip(a.pages, b.pages)]


def turned_parts(parts: list[dict[str, Any]], turns: Turns) -> list[dict[str, Any]]:
    """The table parts' boxes on the re-printed pages as displayed (``turns``: :func:`page_turns`):
    a box on a turned page turns with it."""
    out = []
    for part in parts:
        quarters, width, height = turns[part["page"] - 1]
        x0, top, x1, bottom = part["bbox"]
        for _ in range(quarters):  # a quarter turn clockwise
            x0, top, x1, bottom = height - bottom, x0, height - top, x1
            width, height = height, width
        out.append({**part, "bbox": [round(v, 1) for v in (x0, top, x1, bottom)]})
    return out


def reprint_zoo(out: Path, printers: Sequence[str], names: Sequence[str] = (), others: Sequence[Path] = (), relative: bool = False) -> list[dict[str, Any]]:
    """Re-print the zoo's PDFs (``names``: only these stems) and ``others`` with each printer
    into ``out``; write and return ``out/manifest.json``'s entries."""
    zoo = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = []
    for printer in printers:
        done: dict[str, Turns] = {}  # per re-printed PDF, its pages' turns
        for e in zoo:
            stem = Path(e["pdf"]).stem
            if names and stem not in names:
                continue
            dst = out / printer / f"{stem}.pdf"
            if stem not in done:
                reprint(printer, HERE / e["pdf"], dst)
                done[stem] = page_turns(HERE / e["pdf"], dst)
            expected = HERE / e["expected"]
            where = os.path.relpath(expected, out) if relative else str(expected)
            parts = turned_parts(e["parts"], done[stem])
            entries.append({**e, "pdf": f"{printer}/{stem}.pdf", "expected": where, "reprinter": printer, "parts": parts})
        for pdf in others:
            reprint(printer, pdf, out / printer / "others" / pdf.name)
    (out / "manifest.json").write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    return entries


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for <printer>/*.pdf and manifest.json")
    ap.add_argument("--printers", default=",".join(PRINTERS), help="comma-separated subset of " + ", ".join(PRINTERS))
    ap.add_argument("--sample", action="store_true", help="only the documents of SAMPLE (one per producer)")
    ap.add_argument("--relative", action="store_true", help="write expected paths relative to --out (for a committed fixture)")
    ap.add_argument("pdfs", nargs="*", type=Path, help="other PDFs to re-print (to <out>/<printer>/others/)")
    args = ap.parse_args(argv)
    printers = [p for p in args.printers.split(",") if p]
    if unknown := sorted(set(printers) - set(PRINTERS)):
        ap.error(f"unknown printer(s): {', '.join(unknown)}")
    if missing := sorted(set(printers) - set(available(printers))):
        sys.exit(f"not installed: {', '.join(PRINTERS[p][0] for p in missing)}")
    entries = reprint_zoo(args.out, printers, SAMPLE if args.sample else (), args.pdfs, args.relative)
    print(f"{len({e['pdf'] for e in entries})} PDFs, {len(entries)} tables re-printed into {args.out}")


if __name__ == "__main__":
    main()
