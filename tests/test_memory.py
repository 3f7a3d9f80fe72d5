"""Memory stays flat with the number of pages (issue 16): pages are read and released one at a
time and their lines wait on disk, so a long PDF costs only its body text per page, never every
page's chars or lines; the report renders only the crop it shows, whatever the page's size."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from curate.extract.paper import stage

WORDS = "patients were treated with insulin and their glucose fell over months of follow up".split()


def _text_pdf(path: Path, pages: int) -> Path:
    """``pages`` pages of 40 lines of words (about 3,000 characters a page)."""
    rng = random.Random(pages)
    c = Canvas(str(path), invariant=1)
    for _ in range(pages):
        c.setFont("Times-Roman", 9)
        for i in range(40):
            c.drawString(50, 780 - 18 * i, " ".join(rng.choice(WORDS) for _ in range(14)))
        c.showPage()
    c.save()
    return path


def _peak_bytes(pdf: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        stage(pdf, out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_extraction_memory_stays_flat_with_the_number_of_pages(tmp_path: Path) -> None:
    few, many = 2, 12
    small = _peak_bytes(_text_pdf(tmp_path / "few.pdf", few), tmp_path / "out")
    large = _peak_bytes(_text_pdf(tmp_path / "many.pdf", many), tmp_path / "out")
    per_page = (large - small) / (many - few)
    # The peak is one page being read (its chars as dicts, ~2.5 MB here); every page's lines
    # wait on disk (extract.pagestore), and what is kept of each page (its body text and its
    # words' offsets in arrays) is ~8 kB: the peak grows ~2 kB a page. Keeping every page's
    # lines in memory grew it by 0.14 MB a page; keeping every page's chars (before that) by 2.6 MB.
    assert per_page < 20_000, f"peak memory grows {per_page / 1e3:.0f} kB per page"
    assert not list((tmp_path / "out").glob(".staging-*/.pages")), "the page store is removed"


def test_report_renders_only_the_crop_it_needs_under_a_memory_cap(tmp_path: Path) -> None:
    """A 14,400 pt square page (the PDF limit) rendered whole at the report's 2x takes 3.3 GB;
    the report renders only the box around the row, so it runs under a 1 GB data cap."""
    pdf = tmp_path / "huge.pdf"
    c = Canvas(str(pdf), pagesize=(14400, 14400), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(7000, 7000, "HbA1c fell by 0.51 percent")
    c.showPage()
    c.save()
    script = textwrap.dedent(
        """
        import resource, sys
        from contextlib import ExitStack
        from pathlib import Path
        from types import SimpleNamespace
        from curate.report import PageImages, Region

        pdf = Path(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_DATA, (1 << 30, 1 << 30))
        with ExitStack() as stack:
            images = PageImages(pdf.parent, {"p": SimpleNamespace(manifest={"source": pdf.name})}, stack)
            print(len(images.render([Region("p", 1, (6990.0, 7385.0, 7200.0, 7405.0))])))
        """
    )
    done = subprocess.run([sys.executable, "-c", script, str(pdf)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert 1_000 < int(done.stdout) < 100_000, "a small image of the row"


def test_report_keeps_a_bounded_number_of_pages_open(tmp_path: Path) -> None:
    """The report used to keep every page it cropped open (parsed page and text) until the end,
    so its memory grew with the pages it showed; now the least recently used pages are closed."""
    from contextlib import ExitStack
    from types import SimpleNamespace

    from curate.report import _OPEN_PAGES, PageImages, Region

    pdf = _text_pdf(tmp_path / "long.pdf", _OPEN_PAGES + 8)
    with ExitStack() as stack:
        images = PageImages(pdf.parent, {"p": SimpleNamespace(manifest={"source": pdf.name})}, stack)
        for number in range(1, _OPEN_PAGES + 9):
            assert images.render([Region("p", number, (50.0, 55.0, 300.0, 75.0))]), f"no crop of page {number}"
            assert len(images._pages) <= _OPEN_PAGES
        assert images.render([Region("p", 1, (50.0, 55.0, 300.0, 75.0))]), "a closed page is opened again"


def test_the_page_store_gives_back_every_page_as_it_was_stored(tmp_path: Path) -> None:
    """Pages read back from disk equal the pages read from the PDF, words, superscripts and
    reading-order pieces alike (a piece that is a whole-page line stays that same line)."""
    from curate.extract.layout import page_lines
    from curate.extract.pagestore import PageStore
    from curate.extract.pdf import open_pdf
    from curate.extract.references import page_pieces

    pdf = tmp_path / "two-columns.pdf"
    c = Canvas(str(pdf), invariant=1)
    for page in range(3):
        for i in range(30):
            c.setFont("Times-Roman", 9)
            c.drawString(50, 780 - 12 * i, f"patients {page} were treated {i}")
            text = f"glucose fell over {i} months"
            if page == 2:  # one column: its reading-order lines are its whole-page lines
                c.drawString(50 + c.stringWidth(f"patients {page} were treated {i} ", "Times-Roman", 9), 780 - 12 * i, text)
                continue
            c.drawString(320, 780 - 12 * i, text)
            c.setFont("Times-Roman", 5)
            c.drawString(320.5 + c.stringWidth(text, "Times-Roman", 9), 784 - 12 * i, str(i + 1))  # a raised citation mark
        c.showPage()
    c.save()
    with open_pdf(pdf) as doc, PageStore(tmp_path / ".pages") as store:
        read = []
        for number, page in enumerate(doc.pages, start=1):
            lines = page_lines(page)
            pieces = page_pieces(page, number, lines)
            read.append((lines, pieces))
            store.add(lines, pieces)
        assert any(w.superscript for lines, _ in read for ln in lines for w in ln.words)
        assert [any(p.line is ln for p in pieces for ln in lines) for lines, pieces in read] == [False, False, True]
        for index in (2, 0, 1, 1):  # in any order, and again
            lines, pieces = read[index]
            assert store.lines[index] == lines
            assert store.pieces[index] == pieces
            whole = {id(ln) for ln in store.lines[index]}
            assert [id(p.line) in whole for p in store.pieces[index]] == [any(p.line is ln for ln in lines) for p in pieces]
    assert not (tmp_path / ".pages").exists()
