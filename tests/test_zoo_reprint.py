"""Zoo documents re-printed by other PDF writers (examples/zoo/reprinted, made by
examples/zoo/reprint.py --sample): the same tables, another producer's text layer (fonts
re-embedded and re-encoded, text shown glyph by glyph), read cell for cell against the zoo's
expected CSVs. The whole re-printed zoo is measured by ``benchmarks/bench_zoo.py --reprint``.

A case curate does not read yet is a strict xfail with the reason seen; every misreading must
still score below confident (0.95).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, extract_each
from tests.tables_compare import cell_mismatches, read_csv
from tests.test_zoo import captioned, read_cells

HERE = EXAMPLES / "zoo" / "reprinted"
MANIFEST: list[dict[str, Any]] = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
PDFS = sorted({HERE / e["pdf"] for e in MANIFEST})

#: MuPDF re-prints a TrueType or CFF subset without its ToUnicode map: no text to read.
NO_TEXT = {"mutool/typst-twocol-headerrule", "mutool/libreoffice-airy-twocol-headerrule", "mutool/libreoffice-sideways-grid"}

KNOWN: dict[str, str] = {
    **{f"{doc}/table_{n}": "fonts without a ToUnicode map: the text is not in the PDF (the manifest says so)" for doc in NO_TEXT for n in (1, 2, 3) if doc != "mutool/libreoffice-sideways-grid" or n == 1},
    "mutool/groff-headerrule/table_2": "MuPDF's ToUnicode for its stand-in of an unembedded Times is wrong (\"'\" read '©')",
    "gs/libreoffice-sideways-grid/table_1": "Ghostscript turns the page of vertical text upright (/Rotate): the '×' Writer set upright in it now stands sideways and is not read",
    "cairo/groff-headerrule/table_2": "poppler reads groff's Symbol '×' (0xB4) as Latin-1 '´' and cairo writes that into its ToUnicode",
}


def key(entry: dict[str, Any]) -> str:
    return f"{entry['pdf'].removesuffix('.pdf')}/table_{entry['table']}"


def cases() -> list[Any]:
    return [pytest.param(e, id=key(e), marks=[pytest.mark.xfail(strict=True, reason=KNOWN[key(e)])] if key(e) in KNOWN else []) for e in MANIFEST]


@pytest.fixture(scope="module")
def reprinted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every re-printed sample PDF extracted once; maps '<printer>/<stem>' to its raw folder."""
    by_printer: dict[str, Path] = {}
    for printer in sorted({p.parent.name for p in PDFS}):
        folders = extract_each([p for p in PDFS if p.parent.name == printer], tmp_path_factory.mktemp(printer))
        by_printer.update({f"{printer}/{stem}": folder for stem, folder in folders.items()})
    return by_printer


def test_sample_is_complete() -> None:
    """Each re-printer, one document of each zoo producer, every table of those; small."""
    assert {e["reprinter"] for e in MANIFEST} == {"gs", "cairo", "mutool"}
    assert {(e["reprinter"], e["producer"]) for e in MANIFEST} == {(r, p) for r in ("gs", "cairo", "mutool") for p in ("reportlab", "chromium", "typst", "libreoffice", "groff")}
    assert {e["layout"] for e in MANIFEST} >= {"twocol", "sideways"}
    assert sum(p.stat().st_size for p in PDFS) < 1_500_000
    assert set(KNOWN) <= {key(e) for e in MANIFEST}


@pytest.mark.parametrize("entry", cases())
def test_reprinted_table_matches(reprinted: dict[str, Path], entry: dict[str, Any]) -> None:
    folder = reprinted[entry["pdf"].removesuffix(".pdf")]
    table = captioned(folder, entry["table"])
    assert table is not None, f"no table captioned 'Table {entry['table']}' found"
    assert table["pages"] == entry["pages"]
    assert cell_mismatches(read_csv(HERE / entry["expected"]), read_cells(folder / table["file"])) == []
    assert table["score"] >= 0.95, table["reasons"]


@pytest.mark.parametrize("entry", [pytest.param(e, id=key(e)) for e in MANIFEST if key(e) in KNOWN])
def test_reprinted_misreadings_are_not_scored_confident(reprinted: dict[str, Path], entry: dict[str, Any]) -> None:
    folder = reprinted[entry["pdf"].removesuffix(".pdf")]
    table = captioned(folder, entry["table"])
    if table is not None and cell_mismatches(read_csv(HERE / entry["expected"]), read_cells(folder / table["file"])):
        assert table["score"] < 0.95, table["reasons"]
    for other in json.loads((folder / "tables.json").read_text(encoding="utf-8")):
        if key(entry).rsplit("/", 1)[0] in NO_TEXT:  # nothing read from such a PDF is confident
            assert other["score"] < 0.95, other


@pytest.mark.parametrize("doc", sorted({e["pdf"].removesuffix(".pdf") for e in MANIFEST}))
def test_unreadable_text_is_said(reprinted: dict[str, Path], doc: str) -> None:
    """A PDF whose fonts map their glyphs to no character gets a manifest warning saying its
    text is not read (and why); a readable one does not."""
    warnings = json.loads((reprinted[doc] / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    said = [w for w in warnings if "map to no character" in w]
    assert bool(said) == (doc in NO_TEXT), warnings


def test_ligature_written_one_byte_off_reads_its_letters() -> None:
    """Ghostscript writes a ligature's ToUnicode entry of two characters one byte off: 'ti'
    <00740069> as <74006900> (U+7400 U+6900); its letters are read back, and an entry cut short
    (no ASCII behind it) is a glyph mapped to no character, never CJK text."""
    from curate.extract.fastpage import _byte_shifted

    assert _byte_shifted("\u7400\u6900") == "ti"
    assert _byte_shifted("\u6600\u6600") == "ff"
    assert _byte_shifted("\u6600\ucf00").startswith("(cid:")
    assert _byte_shifted("ff") is None and _byte_shifted("\u6600") is None and _byte_shifted("\u4e2d\u6587") is None


def test_soft_hyphen_inside_a_word_is_a_hyphen() -> None:
    """A soft hyphen shows only where a line breaks: one inside a word was printed (MuPDF maps
    every hyphen glyph to U+00AD); at a word's end it is dropped as before."""
    from curate.extract.text import normalise

    assert normalise("BM\u00adHSC") == "BM-HSC"
    assert normalise("treat\u00ad") == "treat"


def test_raised_mark_is_grouped_by_its_baseline_not_its_box() -> None:
    """A raised 'b' whose box (a re-embedded font's deeper descent) ends within a fifth of an em
    of the box of the next column's centred cell, set 2.2 pt higher, still goes on its own line:
    rows are grouped by baseline (box bottom less descent), not by box bottom."""
    from curate.extract.layout import glyph_lines

    def glyph(text: str, x0: float, baseline: float, size: float, descent: float) -> dict[str, Any]:
        bottom = baseline + descent
        return {"text": text, "fontname": "F", "size": size, "upright": True, "x0": x0, "x1": x0 + 0.5 * size, "top": bottom - size, "bottom": bottom, "descent": descent}

    line = [glyph(c, 100 + 4.5 * i, 600.0, 9.0, 1.5) for i, c in enumerate("use")]
    mark = [glyph("b", 113.6, 596.3, 5.2, 0.9)]  # raised 3.7 pt; its box's bottom 597.2
    beside = [glyph(c, 200 + 4.5 * i, 594.1, 9.0, 1.5) for i, c in enumerate("188")]  # box bottom 595.6
    lines = glyph_lines(line + mark + beside)
    assert [w.text for ln in lines for w in ln.words if w.superscript] == ["b"]
    assert [[w.text for w in ln.words] for ln in lines] == [["188"], ["use", "b"]]


def test_a_cell_mapped_to_no_character_is_never_confident() -> None:
    """One header cell holding a glyph the PDF maps to no character (MuPDF's re-print of a TeX
    'ff' ligature: 'Di(cid:15)erence') among forty right cells: the table is misread, and
    scored so."""
    from curate.extract.quality import assess

    header = ["Outcome", "Intervention", "Control", "Di(cid:15)erence (95% CI)", "P value"]
    rows = [[f"Outcome {i}", f"{i}.1 (1.2)", f"{i}.5 (1.3)", f"-0.{i} (-0.6 to -0.2)", "0.01"] for i in range(1, 9)]
    words = [w for r in (header, *rows) for c in r for w in c.split()]
    value, reasons = assess(header, rows, words)
    assert value < 0.95 and any("no character" in r for r in reasons)
