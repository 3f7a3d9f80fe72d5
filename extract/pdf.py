"""Opening a PDF, with a clear reason for every way it can be unusable."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdfium2 as pdfium

from curate.extract.errors import ExtractError
from curate.extract.fastpage import open_document
from curate.extract.upright import UprightDocument


def sha256(path: Path) -> str:
    """Hex digest of the file's bytes: a paper's identity across runs."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_file(path: Path) -> None:
    """Raise ExtractError unless ``path`` is a readable file that looks like a whole PDF."""
    if not path.exists():
        raise ExtractError(path, "no such file")
    if not path.is_file():
        raise ExtractError(path, "not a file")
    size = path.stat().st_size
    if size == 0:
        raise ExtractError(path, "empty file")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise ExtractError(path, f"not a PDF (starts with {head[:8]!r})")
    if b"%%EOF" not in tail:
        raise ExtractError(path, "truncated or corrupt PDF (no end-of-file marker)")


def open_pdf(path: Path) -> UprightDocument:
    """An open PDF (pdfium-backed pages, see :mod:`curate.extract.fastpage`; sideways pages turned
    upright, see :mod:`curate.extract.upright`) with a text layer, or ExtractError saying why not."""
    check_file(path)
    try:
        doc = open_document(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractError(path, "encrypted PDF (needs a password); decrypt it first, e.g. with qpdf --decrypt") from exc
        raise ExtractError(path, f"corrupt PDF ({exc})") from exc
    if not doc.pages:
        doc.close()
        raise ExtractError(path, "corrupt PDF (no pages)")
    try:
        has_text = any(page.chars for page in doc.pages)
    except Exception as exc:  # a page whose content stream PDFium cannot read
        doc.close()
        raise ExtractError(path, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not has_text:
        doc.close()
        raise ExtractError(path, "no text layer (a scanned PDF?); run OCR first, e.g. ocrmypdf")
    return UprightDocument(doc)
