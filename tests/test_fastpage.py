"""extract.fastpage (PDFium) reports what pdfplumber reports, on real papers and made-up pages.

On the 11 real PDFs (113 pages) the two readers are compared page by page:

- text: the multisets of char texts may differ by under 0.5%. PDFium's text page drops a space
  right after another and text objects with no visible glyph (a lone space), maps a few glyphs
  through the font's encoding where pdfminer prints "(cid:N)" (or the other way round), and
  whether a ligature reads "ﬁ" or "fi" has to be guessed (see the module's docstring);
- boxes: chars are paired in reading order (difflib on the text sequences); at least 99% of
  the pairs agree on x0, x1, top and bottom within 0.5 pt. Nearly all the rest are glyphs of
  fonts whose FontDescriptor says Descent 0: pdfminer sits them on the baseline, PDFium uses
  the font program's descent;
- ``size`` within 0.1 pt and ``upright`` equal for all but one pair in a thousand;
- every horizontal or vertical rule pdfplumber finds (a line, thin rect or flat curve at most
  2.5 pt thick and at least 40 pt long) has a counterpart within 1 pt.

The fractions are printed (``pytest -s``) and carried in the assertion messages.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from curate.extract.fastpage import FastPage, open_document
from tests.conftest import need_shared

CORPUS = (
    "agyemanduah2014_bmchealthservres",
    "ammar2018_naacl_N18-3011",
    "cohan2020_acl_2020.acl-main.207",
    "datta2010_jtraumamanagoutcomes",
    "demarchis2016_jneuroengrehabil",
    "douglas2014_clinsci",
    "tully2010_rehabilrespract",
    "webb2017_peerjcs",
)
PAPERS = ("matsuoka2025.pdf", "vinski2023.pdf", "zhang2019.pdf")
EDGES = ("x0", "x1", "top", "bottom")


@dataclass
class Agreement:
    """How far fastpage agrees with pdfplumber over some pages."""

    chars: int = 0  # pdfplumber's
    text_diff: int = 0  # chars in one multiset but not the other (both ways)
    paired: int = 0
    box_ok: int = 0
    size_ok: int = 0
    upright_ok: int = 0
    rules: int = 0
    rules_found: int = 0
    missing_rules: list[str] = field(default_factory=list)
    worst: list[str] = field(default_factory=list)

    def report(self, name: str) -> str:
        return (
            f"{name}: text differs {self.text_diff}/{self.chars} ({self.text_diff / max(self.chars, 1):.3%}), "
            f"boxes within 0.5 pt {self.box_ok}/{self.paired} ({self.box_ok / max(self.paired, 1):.3%}), "
            f"size within 0.1 {self.size_ok / max(self.paired, 1):.4%}, upright {self.upright_ok / max(self.paired, 1):.4%}, "
            f"rules {self.rules_found}/{self.rules}; e.g. {self.worst[:3]} {self.missing_rules[:3]}"
        )


def _pdf(name: str) -> Path:
    """A paper (``*.pdf``) or the one PDF of a corpus folder."""
    if name.endswith(".pdf"):
        return need_shared("papers", name)
    (path,) = need_shared("corpus", "pdfs", name).glob("*.pdf")
    return path


def _rules(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal or vertical strokes as curate's region finder reads them."""
    out = []
    for obj in objects:
        width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if (height <= 2.5 or width <= 2.5) and max(width, height) >= 40:
            out.append(obj)
    return out


def _compare_page(plumber: Any, fast: FastPage, into: Agreement) -> None:
    assert fast.rotation == plumber.rotation
    assert (fast.width, fast.height) == pytest.approx((float(plumber.width), float(plumber.height)), abs=0.01)
    theirs, ours = plumber.chars, fast.chars
    into.chars += len(theirs)
    counts_theirs, counts_ours = Counter(c["text"] for c in theirs), Counter(c["text"] for c in ours)
    into.text_diff += sum(((counts_theirs - counts_ours) + (counts_ours - counts_theirs)).values())
    matcher = difflib.SequenceMatcher(None, [c["text"] for c in theirs], [c["text"] for c in ours], autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        for their, our in zip(theirs[a : a + n], ours[b : b + n]):
            into.paired += 1
            off = max(abs(their[k] - our[k]) for k in EDGES)
            if off <= 0.5:
                into.box_ok += 1
            elif len(into.worst) < 10:
                into.worst.append(f"p{fast.page_number} {their['text']!r} {their['fontname']} off {off:.2f}")
            into.size_ok += abs(their["size"] - our["size"]) <= 0.1
            into.upright_ok += their["upright"] == our["upright"]
    ours_drawn = fast.lines + fast.rects + fast.curves
    for rule in _rules(plumber.lines + plumber.rects + plumber.curves):
        into.rules += 1
        if any(max(abs(rule[k] - obj[k]) for k in EDGES) <= 1.0 for obj in ours_drawn):
            into.rules_found += 1
        else:
            into.missing_rules.append(f"p{fast.page_number} {rule['object_type']} {[round(rule[k], 1) for k in EDGES]}")


def _compare(path: Path, pages: list[int] | None = None) -> Agreement:
    agreement = Agreement()
    with pdfplumber.open(path, pages=pages) as plumber, open_document(path) as fast:
        for page in plumber.pages:
            _compare_page(page, fast.pages[page.page_number - 1], agreement)
    return agreement


def _check(agreement: Agreement, name: str, boxes: float = 0.99) -> None:
    report = agreement.report(name)
    print(report)
    assert agreement.text_diff < 0.005 * agreement.chars, report
    assert agreement.box_ok >= boxes * agreement.paired, report
    assert agreement.size_ok >= 0.999 * agreement.paired, report
    assert agreement.upright_ok >= 0.999 * agreement.paired, report
    assert agreement.rules_found == agreement.rules, report


@pytest.mark.shared
@pytest.mark.parametrize("name", PAPERS + CORPUS)
def test_matches_pdfplumber_on_real_pdfs(name: str) -> None:
    path = _pdf(name)
    _check(_compare(path), path.name)


@pytest.mark.shared
@pytest.mark.parametrize(
    "name, pages, rotated, boxes",
    [
        ("agyemanduah2014_bmchealthservres", [5, 6, 7], {5, 6}, 0.99),
        # The tables on these pages set their decimal points in RMTMI, a font whose descriptor
        # says Descent 0: 84 of 3005 chars sit 1.9 pt lower than pdfplumber has them.
        ("webb2017_peerjcs", [8, 9, 10], {8, 9, 10}, 0.97),
    ],
    ids=["agyemanduah2014", "webb2017"],
)
def test_rotated_pages(name: str, pages: list[int], rotated: set[int], boxes: float) -> None:
    """/Rotate 90 landscape tables: width and height swapped, coordinates turned, text upright."""
    path = _pdf(name)
    with open_document(path) as fast:
        for number in pages:
            page = fast.pages[number - 1]
            assert page.rotation == (90 if number in rotated else 0)
            assert (page.width > page.height) == (number in rotated)
            upright = [c for c in page.chars if c["upright"]]
            assert len(upright) > 0.9 * len(page.chars)
            assert all(0 <= c["x0"] <= c["x1"] <= page.width and 0 <= c["top"] <= c["bottom"] <= page.height for c in upright)
    _check(_compare(path, pages=pages), f"{path.name} pages {pages}", boxes)


@pytest.mark.shared
def test_metadata() -> None:
    """The standard Info entries pdfplumber reports, where not empty."""
    keys = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")
    for path in map(_pdf, PAPERS + CORPUS):
        with pdfplumber.open(path) as plumber, open_document(path) as fast:
            for key in keys:
                assert fast.metadata.get(key) == (plumber.metadata.get(key) or None), (path.name, key)


def test_made_up_pages(tmp_path: Path) -> None:
    """Every /Rotate, offset MediaBoxes, Tz, Ts, Tc, rotated text, a scaled form and all path kinds."""
    canvas_module = pytest.importorskip("reportlab.pdfgen.canvas")
    pikepdf = pytest.importorskip("pikepdf")
    made = tmp_path / "made.pdf"
    c = canvas_module.Canvas(str(made), pagesize=(595.28, 841.89))
    for rotation in (0, 90, 180, 270):
        c.setPageRotation(rotation)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, f"Plain text, rotation {rotation}")
        text = c.beginText(72, 660)
        text.setFont("Times-Roman", 12)
        text.setHorizScale(60)
        text.textLine("Squeezed by Tz 60")
        text.setHorizScale(100)
        text.setRise(4)
        text.textOut("Raised")
        text.setRise(0)
        text.textOut(" and not")
        c.drawText(text)
        text = c.beginText(72, 600)
        text.setFont("Courier", 10)
        text.setCharSpace(2)
        text.setWordSpace(5)
        text.textLine("Spaced out words")
        text.setCharSpace(0)
        text.setWordSpace(0)
        c.drawText(text)
        for angle, y in ((90, 500), (30, 300)):
            c.saveState()
            c.translate(300, y)
            c.rotate(angle)
            c.drawString(0, 0, f"Turned {angle}")
            c.restoreState()
        c.line(72, 560, 500, 560)
        c.rect(72, 520, 200, 20, stroke=1, fill=0)
        c.rect(300, 520, 100, 1.5, stroke=0, fill=1)
        c.bezier(72, 100, 100, 150, 150, 50, 200, 100)
        path = c.beginPath()
        path.moveTo(400, 100)
        path.lineTo(450, 120)
        path.lineTo(420, 160)
        path.close()
        c.drawPath(path, fill=1)
        c.beginForm(f"form{rotation}")
        c.setFont("Helvetica", 8)
        c.drawString(10, 10, "in a form")
        c.line(0, 0, 120, 0)
        c.rect(0, 20, 60, 10)
        c.endForm()
        c.saveState()
        c.translate(350, 400)
        c.scale(1.5, 0.8)
        c.doForm(f"form{rotation}")
        c.restoreState()
        c.showPage()
    c.save()
    with pikepdf.open(made, allow_overwriting_input=True) as pdf:
        pdf.pages[0].MediaBox = pikepdf.Array([30, 40, 625, 880])
        pdf.pages[1].MediaBox = pikepdf.Array([-20, 15, 600, 850])
        pdf.pages[1].CropBox = pikepdf.Array([50, 60, 500, 700])
        pdf.Root.Pages.MediaBox = pikepdf.Array([0, 0, 700, 900])
        del pdf.pages[2].obj["/MediaBox"]  # inherited from the page tree
        pdf.save(made)
    with pdfplumber.open(made) as plumber, open_document(made) as fast:
        for theirs, ours in zip(plumber.pages, fast.pages, strict=True):
            assert ours.rotation == theirs.rotation
            assert (ours.width, ours.height) == pytest.approx((theirs.width, theirs.height), abs=0.01)
            assert [c["text"] for c in ours.chars] == [c["text"] for c in theirs.chars]
            for their, our in zip(theirs.chars, ours.chars):
                assert our["upright"] == their["upright"]
                assert [our[k] for k in (*EDGES, "size")] == pytest.approx([their[k] for k in (*EDGES, "size")], abs=0.05), their["text"]
            for kind in ("lines", "rects", "curves"):
                pairs = list(zip(getattr(theirs, kind), getattr(ours, kind), strict=True))
                for their, our in pairs:
                    assert [our[k] for k in EDGES] == pytest.approx([their[k] for k in EDGES], abs=0.01), kind
                    assert (our["fill"], our["stroke"]) == (their["fill"], their["stroke"]), kind


def _write_pdf(path: Path, objects: list[bytes]) -> None:
    """A PDF of these objects, numbered from 1 (the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _pdf_with_tex_glyphs(path: Path) -> None:
    """A page "P2" in Helvetica, then codes 48-50 in a Type1 font with no ToUnicode whose
    /Differences names them 'prime' (TeX's name, not the AGL's), 'lessmuch' and 'Sigma1' (no
    list's), drawn once on the page and once inside a form XObject; then codes 0 and 16 of a
    font with no /Encoding, as pdfTeX writes cmex: its program's own encoding names them
    'parenleftbig' and 'parenleftBig'."""
    show = b"BT /F1 12 Tf 72 700 Td (P2) Tj /F2 12 Tf (012) Tj /F3 12 Tf <0010> Tj ET"
    program = b"%!PS-AdobeFont-1.0: CMEX10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 0 /parenleftbig put\ndup 16 /parenleftBig put\nreadonly def\ncurrentfile eexec\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R >> /XObject << /X1 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s q 1 0 0 1 0 -100 cm /X1 Do Q\nendstream" % (len(show) + 29, show),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+CMSY10 /FirstChar 48 /LastChar 50 /Widths [275 1000 600]"
        b" /Encoding << /Type /Encoding /Differences [48 /prime /lessmuch /Sigma1] >> >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R >> >>"
        b" /Length %d >>\nstream\n%s\nendstream" % (len(show), show),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /UVWXYZ+CMEX10 /FirstChar 0 /LastChar 16 /Widths [%s] /FontDescriptor 9 0 R >>" % b" ".join([b"458"] * 17),
        b"<< /Type /FontDescriptor /FontName /UVWXYZ+CMEX10 /Flags 4 /FontBBox [-24 -2960 1454 772] /ItalicAngle 0 /Ascent 40 /Descent -600"
        b" /CapHeight 0 /StemV 47 /FontFile 10 0 R >>",
        b"<< /Length %d /Length1 %d /Length2 0 /Length3 0 >>\nstream\n%s\nendstream" % (len(program), len(program), program),
    ]
    _write_pdf(path, objects)


def test_glyphs_named_by_tex_names_read_as_their_characters(tmp_path: Path) -> None:
    """A glyph its font maps to no character but names in its /Differences by a TeX math
    name reads as that character (P2′, ≪), on the page and in a form; a name no list knows
    stays "(cid:N)", as pdfminer prints it; a font with no /Encoding is read by its program's."""
    made = tmp_path / "tex.pdf"
    _pdf_with_tex_glyphs(made)
    with open_document(made) as doc:
        texts = "".join(c["text"] for c in doc.pages[0].chars)
    assert texts == "P2′≪(cid:50)((" * 2
    with pdfplumber.open(made) as pdf:  # pdfminer knows only the AGL's names: the codes read as StandardEncoding's
        assert "".join(c["text"] for c in pdf.pages[0].chars).startswith("P2012")


def test_glyph_names() -> None:
    """TeX's names, cmex's size variants as their base glyph, the AGL's own names and
    ``uniXXXX``; the AGL's private-use forms and unknown names read as nothing."""
    from curate.extract.glyphnames import glyph_char

    names = ["prime", "floorleft", "summationdisplay", "parenleftbigg", "integraltext", "minus", "uni2264", "prime.alt", "dotlessj", "a114", "Sigma1", "zerooldstyle"]
    assert [glyph_char(n) for n in names] == ["′", "⌊", "∑", "(", "∫", "−", "≤", "′", "ȷ", None, None, None]


def test_unread_glyph_with_a_glyph_drawn_over_it_is_named_not_a_crash(tmp_path: Path) -> None:
    """Regression: a glyph drawn at an unread glyph's origin is appended to its text
    ("(cid:54)∈", TeX's \\not over ∈); naming the unread part raised ValueError on int("54)∈"),
    which failed the whole page read as a corrupt PDF."""
    from curate.extract.fastpage import _name_unread
    from curate.extract.glyphnames import NamedGlyphs

    class Named(NamedGlyphs):
        def char(self, index: int, fontname: str, code: int) -> str | None:
            return {54: "\u0338"}.get(code)

    chars: list[dict[str, Any]] = [{"text": t, "fontname": "CMSY10"} for t in ("(cid:54)∈", "(cid:54)", "(cid:7)x", "(cid:")]
    _name_unread(chars, Named(tmp_path / "none.pdf"), 0)
    assert [c["text"] for c in chars] == ["\u0338∈", "\u0338", "(cid:7)x", "(cid:"]


def _pdf_with_marked_leader(path: Path) -> None:
    """A line 'Robbery', a dot leader and '102.1' in Helvetica 6 pt, the leader drawn as a space
    and five dots inside a marked span whose ActualText is '. ' five times (as InDesign exports
    leaders); then 'ﬁle' with the ligature's glyph (StandardEncoding's 'fi'), which PDFium splits
    into two chars at one origin and in one box."""
    leader = b"FEFF" + b"002E0020" * 5
    show = (
        b"BT /F1 6 Tf 1 0 0 1 36 700 Tm (Robbery) Tj ET\n"
        b"BT /F1 6 Tf /Span << /ActualText <%s> >> BDC 1 0 0 1 60 700 Tm [( .) -278 (.) -278 (.) -278 (.) -278 (.)] TJ EMC ET\n"
        b"BT /F1 6 Tf 1 0 0 1 100 700 Tm (102.1) Tj ET\n"
        b"BT /F1 6 Tf 1 0 0 1 36 680 Tm (\\256le) Tj ET" % leader
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(show), show),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    _write_pdf(path, objects)


def test_a_leader_marked_with_actual_text_reads_as_dots_across_it(tmp_path: Path) -> None:
    """PDFium reads a marked span's ActualText in place of its glyphs, every char at the span's
    origin, with boxes laid out one after another over the span. Regression: those chars were
    taken for a ligature's pieces and joined into one 1.7 pt char '. . . . . ' at the leader's
    start, so the leader stopped short of the figures. Each is a char of its own where PDFium
    boxes it, the dots running across the leader as the page shows them; a ligature's pieces
    (one box) are still one char."""
    made = tmp_path / "leader.pdf"
    _pdf_with_marked_leader(made)
    with open_document(made) as doc:
        chars = doc.pages[0].chars
    leader = [c for c in chars if 59 < c["x0"] < 99 and c["top"] < 100]
    assert [c["text"] for c in leader] == [".", " "] * 5
    assert all(a["x0"] < b["x0"] < a["x1"] + 0.5 for a, b in zip(leader, leader[1:]))  # one after another, as PDFium boxes them
    with pdfplumber.open(made) as pdf:
        drawn = [c for c in pdf.pages[0].chars if c["text"] == "." and 59 < c["x0"] < 99]
        ligature = [c["text"] for c in pdf.pages[0].chars if c["top"] > 100]
    assert leader[0]["x0"] == pytest.approx(60, abs=0.1) and leader[-1]["x1"] == pytest.approx(drawn[-1]["x1"], abs=0.5)
    assert [c["text"] for c in chars if c["top"] > 100] == ligature == ["ﬁ", "l", "e"]


@pytest.mark.shared
def test_a_tab_glyph_is_white_space_not_an_unread_character() -> None:
    """Regression: a word processor's tab glyphs, mapped to U+0009 by the font, were read as
    control characters passed through from a font with no ToUnicode map: "(cid:9)" in cells and
    the whole file warned as partly unreadable. pdfminer reads them as tabs too."""
    path = need_shared("corpus", "tables", "tabula-java", "Publication_of_award_of_Bids_for_Transport_Sector__August_2016.pdf")
    with pdfplumber.open(path) as plumber:
        tabs = sum(c["text"] == "\t" for c in plumber.pages[0].chars)
    assert tabs > 0  # the case the test is about
    with open_document(path) as fast:
        chars = fast.pages[0].chars
        assert sum(c["text"] == "\t" for c in chars) > tabs / 2  # PDFium gives fewer of them than pdfminer here
        assert not [c["text"] for c in chars if c["text"].startswith("(cid:")]
