"""Export the registry of works for reference managers: BibTeX and RIS.

Each work of ``curated/works.csv`` becomes one record, keyed by its stable ``work_id``, with
the canonical fields (first author, year, title, journal, volume, pages, DOI). Only the first
author is known for certain across papers, so the author list is that name followed by
"others" (BibTeX) or a single AU line (RIS).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from extract.output import write_text
from schemas.io import read_frame

FORMATS = ("bibtex", "ris")


def _clean(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def to_bibtex(works: pd.DataFrame) -> str:
    """One @article per work; braces in values are escaped so the file always parses."""
    records = []
    for w in works.itertuples():
        fields = {
            "author": f"{_clean(w.first_author)} and others" if _clean(w.first_author) else "",
            "year": _clean(w.year), "title": _clean(w.title), "journal": _clean(w.venue),
            "volume": _clean(w.volume), "pages": _clean(w.pages).replace("-", "--"), "doi": _clean(w.doi),
        }
        body = ",\n".join(f"  {k} = {{{v.replace('{', '').replace('}', '')}}}" for k, v in fields.items() if v)
        records.append(f"@article{{{w.work_id},\n{body}\n}}\n")
    return "\n".join(records)


def to_ris(works: pd.DataFrame) -> str:
    """One JOUR record per work, in RIS tag order, ending with ER."""
    records = []
    for w in works.itertuples():
        pages = _clean(w.pages).split("-")
        lines = ["TY  - JOUR", f"ID  - {w.work_id}"]
        for tag, value in (("AU", _clean(w.first_author)), ("PY", _clean(w.year)), ("TI", _clean(w.title)), ("JO", _clean(w.venue)),
                           ("VL", _clean(w.volume)), ("SP", pages[0] if pages[0] else ""), ("EP", pages[1] if len(pages) > 1 else ""), ("DO", _clean(w.doi))):
            if value:
                lines.append(f"{tag}  - {value}")
        lines.append("ER  - ")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)


def export(curated: Path, out: Path, fmt: str) -> int:
    """Write the works of ``curated/works.csv`` to ``out`` as ``fmt``; return how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    path = curated / "works.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no registry of works (run `curate reconcile` first)")
    works = read_frame(path, ("work_id", "first_author", "year", "title", "venue", "volume", "pages", "doi"))
    write_text(out, to_bibtex(works) if fmt == "bibtex" else to_ris(works))
    return len(works)
