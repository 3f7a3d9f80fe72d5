#!/usr/bin/env python3
"""Build the PDFs of the second example review (blood-pressure lowering trials) from facts.json.

The facts are invented (no real paper, no real data); the layout reuses the machinery of
examples/generate.py: booktabs tables whose cells wrap as a typesetter would, running heads,
a numbered reference list, deterministic output (reportlab invariant mode).

Usage: python examples/reviews/bp-trials/generate.py [--out examples/reviews/bp-trials/pdfs]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.platypus import Frame, PageBreak, PageTemplate, Paragraph, Spacer

HERE = Path(__file__).resolve().parent
_SPEC = importlib.util.spec_from_file_location("example_generate", HERE.parents[1] / "generate.py")
assert _SPEC is not None and _SPEC.loader is not None
gen = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = gen  # its dataclasses look their module up
_SPEC.loader.exec_module(gen)


def build(paper: dict, out: Path) -> None:
    """One trial report or review: title block, text, its tables, its reference list."""
    meta = paper["metadata"]
    L = R = 64
    T, B = 70, 60
    W = gen.PAGE_W - L - R
    head = gen.running_head(meta["journal"], f"Vol. {meta['year'] - 2000}", "Helvetica", 8, gen.PAGE_H - 46, L, gen.PAGE_W - R)

    def furniture(c, doc) -> None:  # type: ignore[no-untyped-def]
        head(c)
        c.setFont("Helvetica", 8)
        c.drawRightString(gen.PAGE_W - R, 34, str(doc.page))

    frame = Frame(L, B, W, gen.PAGE_H - T - B, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = gen.new_doc(out, meta["title"], gen.authors(meta), (L, R, T, B), [PageTemplate("page", [frame], onPage=furniture)])
    body = gen.style("body", size=10, leading=12.5, alignment=TA_JUSTIFY, spaceAfter=6)
    cs = gen.CellStyle("Times-Roman", "Times-Bold", 8.5, 10)
    story = [
        Paragraph(escape(meta["title"]), gen.style("title", "Times-Bold", 15, 18, spaceAfter=8)),
        Paragraph(escape(gen.authors(meta)), gen.style("authors", "Times-Bold", 10.5, spaceAfter=4)),
        Paragraph(escape(gen.dated_note(meta)), gen.style("note", "Times-Italic", 8, spaceAfter=12)),
        *(Paragraph(escape(t), body) for t in paper["text"]),
    ]
    ref = gen.style("ref", size=8.5, leading=10.5, leftIndent=14, firstLineIndent=-14, spaceAfter=2)
    story += [Paragraph("References", gen.style("h1", "Times-Bold", 10.5, spaceBefore=8, spaceAfter=4)), *(Paragraph(escape(r), ref) for r in paper["references"])]
    story.append(PageBreak())  # the tables on a page of their own after the references, as many journals print them
    for table in paper["tables"]:
        widths = [W / len(table["header"])] * len(table["header"])
        spec = gen.simple_spec(table, widths, cs)
        story += [gen.caption(spec.caption, gen.style("cap", size=9, spaceAfter=5)), gen.booktabs(spec, cs), Spacer(1, 14)]
    doc.build(story)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "pdfs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for paper in json.loads((HERE / "facts.json").read_text(encoding="utf-8"))["papers"]:
        build(paper, args.out / f"{paper['key']}_example.pdf")


if __name__ == "__main__":
    main()
