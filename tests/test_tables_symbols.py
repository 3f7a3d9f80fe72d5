"""Tables whose symbols ('=', the '+' of an ion's charge) are set in a font whose metrics give an
odd descent: a deep one (PDFium takes a font program's, half an em and more) or none (a
descriptor's Descent 0, as pdfminer reads it). The glyph boxes of such a font sit off the line of
their neighbours; curate puts them back on it by the glyph's baseline, so rows are neither
merged nor split. Drawn here with reportlab (its bundled Type 1 Symbol font, embedded with the
descent under test) from invented figures, and read through both page readers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from curate.extract.fastpage import open_document
from curate.extract.tables import Table, extract_tables
from curate.extract.upright import UprightDocument

HEADER = ["Parameter", "Value"]
#: Each cell as drawn: a list of (text, font role) pieces; "sym" is the symbol font, "sup" a
#: raised small glyph of the text font, "symsup" a raised small glyph of the symbol font.
DRAWN: list[tuple[list[tuple[str, str]], list[tuple[str, str]], bool]] = [
    ([("Resolution (Å)", "text")], [("2.2", "text")], False),
    ([("Cell", "text")], [("a ", "text"), ("=", "sym"), (" 73.1, b ", "text"), ("=", "sym"), (" 77.3", "text")], False),
    ([("Bound ion", "text")], [("Zn", "text"), ("2", "sup"), ("+", "symsup")], False),
    ([("Bond length (Å)", "text")], [("0.008", "text")], False),
    ([("B-factor analysis", "text")], [], False),
    ([("Protein (chain A/B)", "text")], [("26.0/30.3", "text")], True),
    ([("Zinc ion (chain A/B)", "text")], [("17.6/14.2", "text")], True),
    ([("Solvent", "text")], [("25.8", "text")], True),
    ([("Ligand charge", "text")], [("+", "sym"), ("1", "text")], False),
    ([("PDB code", "text")], [("4ABC", "text")], False),
]
ROWS = [
    ["Resolution (Å)", "2.2"],
    ["Cell", "a = 73.1, b = 77.3"],
    ["Bound ion", "Zn^2+"],
    ["Bond length (Å)", "0.008"],
    ["B-factor analysis", ""],
    ["Protein (chain A/B)", "26.0/30.3"],
    ["Zinc ion (chain A/B)", "17.6/14.2"],
    ["Solvent", "25.8"],
    ["Ligand charge", "+1"],
    ["PDB code", "4ABC"],
]
FILLER = "the quick brown fox jumps over the lazy dog again and again while the day goes by"


def _symbol_font(descent: int) -> str:
    """reportlab's bundled Symbol font, embedded under a name of its own with ``descent`` (per 1000) as its metrics' descent."""
    import reportlab

    name = f"MathSym{descent:+d}".replace("+", "p").replace("-", "m")
    if name not in pdfmetrics.getRegisteredFontNames():
        folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        face = pdfmetrics.EmbeddedType1Face(os.path.join(folder, "sy______.afm"), os.path.join(folder, "sy______.pfb"))
        face.name = name
        face.descent = descent
        pdfmetrics.registerTypeFace(face)
        pdfmetrics.registerFont(pdfmetrics.Font(name, name, "SymbolEncoding"))
    return name


def _draw(path: Path, descent: int) -> None:
    """One page of two columns: prose on the left, the table (booktabs) in the right one."""
    symbol = _symbol_font(descent)
    c = Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    left, right = 310.0, width - 50.0
    value_x = left + 120
    c.setFont("Helvetica", 9)
    y = height - 80
    for i in range(60):  # the left column's prose, on its own baselines
        c.drawString(50, y - 11 * i, FILLER[:50])
    c.setFont("Helvetica-Bold", 8)
    c.drawString(left, y, "Table 2 Refinement statistics of the complex")
    y -= 14
    c.setLineWidth(0.8)
    c.line(left, y, right, y)
    y -= 10
    c.setFont("Helvetica", 8)
    c.drawString(left, y, HEADER[0])
    c.drawString(value_x, y, HEADER[1])
    y -= 4
    c.setLineWidth(0.4)
    c.line(left, y, right, y)
    y -= 11
    fonts = {"text": ("Helvetica", 8.0, 0.0), "sym": (symbol, 8.0, 0.0), "sup": ("Helvetica", 5.5, 3.2), "symsup": (symbol, 5.5, 3.2)}
    for label, value, indented in DRAWN:
        for x, pieces in ((left + (7 if indented else 0), label), (value_x, value)):
            for text, role in pieces:
                font, size, rise = fonts[role]
                c.setFont(font, size)
                c.drawString(x, y + rise, text)
                x += c.stringWidth(text, font, size)
        y -= 12
    c.setLineWidth(0.8)
    c.line(left, y + 7, right, y + 7)
    c.setFont("Helvetica", 9)
    for i in range(8):  # prose under the table, in its column
        c.drawString(left, y - 14 - 11 * i, FILLER[:50])
    c.showPage()
    c.save()


def _fast(path: Path) -> list[Table]:
    with open_document(path) as doc:
        return extract_tables(UprightDocument(doc), str(path))


def _plumber(path: Path) -> list[Table]:
    with pdfplumber.open(path) as doc:
        return extract_tables(UprightDocument(doc), str(path))


@pytest.mark.parametrize("reader", [_fast, _plumber], ids=["pdfium", "pdfminer"])
@pytest.mark.parametrize("descent", [-950, 0, -210], ids=["deep-descent", "no-descent", "usual-descent"])
def test_symbol_glyphs_stay_on_their_line(tmp_path: Path, descent: int, reader: Callable[[Path], Any]) -> None:
    """Regression: PDFium boxed a symbol font's '=' half an em low, so the row's baseline looked
    lower, the row pitch uneven, and a section row with the rows under it merged into one."""
    pdf = tmp_path / "symbols.pdf"
    _draw(pdf, descent)
    tables = reader(pdf)
    assert len(tables) == 1, [(t.caption, t.header) for t in tables]
    table = tables[0]
    assert table.header == HEADER
    assert [[" ".join(c.split()) for c in row] for row in table.rows] == ROWS
    assert table.score >= 0.8, table.reasons


def test_only_fonts_boxed_off_their_line_move() -> None:
    """A symbol font boxed deep (or with no descent) moves onto the text's baseline; text fonts
    a little apart stay; big delimiters (a font reaching three ems below its baseline, tall
    glyphs that hang by design) stay; moving twice is moving once."""
    from curate.extract.layout import page_glyphs

    def glyph(font: str, ratio: float, x: float) -> dict[str, Any]:
        size, baseline = 10.0, 100.0
        bottom = baseline + ratio * size
        return {"text": "x", "fontname": font, "size": size, "x0": x, "x1": x + 5, "top": bottom - size, "bottom": bottom, "y0": 700 - bottom, "y1": 710 - bottom, "descent": ratio * size}

    chars = [glyph("Text", 0.21, 10 * i) for i in range(20)] + [glyph("Sans", 0.18, 300), glyph("Sym", 0.95, 310), glyph("Sym0", 0.0, 320), glyph("Delim", 2.96, 330)]
    moved = page_glyphs(SimpleNamespace(chars=chars))
    bottoms = {c["fontname"]: round(c["bottom"], 2) for c in moved}
    assert bottoms == {"Text": 102.1, "Sans": 101.8, "Sym": 102.1, "Sym0": 102.1, "Delim": 129.6}
    assert page_glyphs(SimpleNamespace(chars=moved)) == moved


def test_rows_run_together_score_below_the_floor() -> None:
    """A reading whose section row and the rows under it were run into one row (as off-line
    glyphs made them) scores below 0.8: its number cell holds the figures of seven rows."""
    from curate.extract.quality import LOW, assess

    good = [[f"Parameter {k}", f"{k}.{k + 1}"] for k in range(8)] + [["B-factor analysis", ""]] + [[f"Chain {k}", f"{20 + k}.5/{30 - k}.1"] for k in range(6)]
    merged = good[:7] + [[" ".join(r[0] for r in good[7:]), " ".join(r[1] for r in good[7:] if r[1])]]
    words = [w for row in [HEADER, *good] for cell in row for w in cell.split()]
    assert assess(HEADER, good, words)[0] >= LOW
    score, reasons = assess(HEADER, merged, words)
    assert score < LOW and any("rows merged" in r for r in reasons), (score, reasons)
