"""Bad inputs for the extractor tests, written into a (temporary) folder on demand.

Each helper writes one file and returns its path. They need neither the network
nor the real papers, so tests built on them run on any machine.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

USER_PASSWORD = "secret"

_PROSE = [
    "Four adults with type 2 diabetes received mesenchymal stem cells.",
    "HbA1c and blood glucose were lower at follow-up in all four of them.",
    "Only one patient came back for a third visit.",
    "The dose was one million cells per kilogram of body weight.",
]
_TABLE = [
    ("Patient", "Age", "Sex", "HbA1c (1) %", "HbA1c (2) %"),
    ("A", "68", "Female", "6.4", "6.1"),
    ("B", "56", "Male", "6.4", "5.7"),
    ("C", "56", "Male", "5.8", "5.7"),
    ("D", "70", "Female", "8.5", "7.5"),
]


def _draw_page(c: Canvas, with_table: bool) -> None:
    """Prose lines, then optionally a small ruled table, as a paper page would have."""
    y = A4[1] - 72
    c.setFont("Times-Roman", 11)
    for line in _PROSE:
        c.drawString(72, y, line)
        y -= 16
    if with_table:
        y -= 20
        c.setLineWidth(0.6)
        c.line(72, y + 12, 470, y + 12)
        for r, row in enumerate(_TABLE):
            c.setFont("Times-Bold" if r == 0 else "Times-Roman", 10)
            for k, cell in enumerate(row):
                c.drawString(72 + 80 * k, y, cell)
            if r == 0:
                c.line(72, y - 5, 470, y - 5)
            y -= 16
        c.line(72, y + 11, 470, y + 11)


def _pdf_bytes(with_table: bool, encrypt: StandardEncryption | None = None) -> bytes:
    """A one-page PDF with a text layer, built in memory."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt)
    _draw_page(c, with_table)
    c.showPage()
    c.save()
    return buf.getvalue()


def not_a_pdf(dir: Path) -> Path:
    """An HTML error page saved under a .pdf name, as a failed download leaves it."""
    path = Path(dir) / "not_a_pdf.pdf"
    path.write_text("<html><body><h1>404 Not Found</h1></body></html>\n", encoding="utf-8")
    return path


def truncated_pdf(dir: Path) -> Path:
    """A valid PDF cut in half, as an interrupted download leaves it."""
    data = _pdf_bytes(with_table=True)
    path = Path(dir) / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted_pdf(dir: Path) -> Path:
    """A PDF that opens only with the user password USER_PASSWORD."""
    path = Path(dir) / "encrypted.pdf"
    path.write_bytes(_pdf_bytes(True, StandardEncryption(USER_PASSWORD, ownerPassword="owner-" + USER_PASSWORD)))
    return path


def scanned_pdf(dir: Path) -> Path:
    """One page that is only a picture of text and a table: no text layer to extract."""
    page = pdfium.PdfDocument(_pdf_bytes(with_table=True))[0]
    image = page.render(scale=2).to_pil().convert("L")
    path = Path(dir) / "scanned.pdf"
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def no_tables_pdf(dir: Path) -> Path:
    """Prose only, so an extractor must report no tables rather than invent one."""
    path = Path(dir) / "no_tables.pdf"
    path.write_bytes(_pdf_bytes(with_table=False))
    return path
