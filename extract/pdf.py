"""Opening a PDF, with a clear reason for every way it can be unusable."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from extract.errors import ExtractError


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


def open_pdf(path: Path) -> Any:
    """An open pdfplumber PDF with a text layer, or ExtractError saying why not."""
    check_file(path)
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractError(path, "encrypted PDF (needs a password); decrypt it first, e.g. with qpdf --decrypt") from exc
    except PDFSyntaxError as exc:
        raise ExtractError(path, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pdfminer raises many exception types on broken files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise ExtractError(path, "encrypted PDF (needs a password); decrypt it first, e.g. with qpdf --decrypt") from exc
        raise ExtractError(path, f"corrupt PDF ({name}: {exc})") from exc
    if not pages:
        pdf.close()
        raise ExtractError(path, "corrupt PDF (no pages)")
    try:
        has_text = any(page.chars for page in pages)
    except Exception as exc:  # a page stream that fails to parse
        pdf.close()
        raise ExtractError(path, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not has_text:
        pdf.close()
        raise ExtractError(path, "no text layer (a scanned PDF?); run OCR first, e.g. ocrmypdf")
    return pdf
