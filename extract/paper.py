"""One paper PDF -> ``raw/<paper_id>/``: tables, references, their metadata, and a manifest.

File formats (stable; later steps read them):
- ``tables/table_<n>.csv``: header row, then one row per printed table row.
- ``tables.json``: a list, one object per table: ``n``, ``file``, ``caption``, ``pages``,
  ``parts`` (``page`` and ``bbox`` [x0, top, x1, bottom] in PDF points from the top-left),
  ``extractor``, ``settings``, ``score`` (0-1) and its ``reasons``, ``n_rows``, ``n_cols``, ``header_box`` and
  ``row_boxes`` ([page, x0, top, x1, bottom] of the header and of each body row, in the
  order of the CSV's rows; empty when the winning extractor gives no row positions).
- ``references.csv``: the reference list, one row per entry in printed order (see
  :mod:`curate.extract.references`); empty, with the reason in the manifest's warnings, when the
  paper has no reference section or it cannot be split.
- ``citations.csv``: every citation marker in the body and in table cells, with its page and
  box, resolved to a reference entry or marked unresolved with the closest candidate (see
  :mod:`curate.extract.citations`).
- ``claims.csv``: every number the body text reports that can be checked (counts, splits,
  means, medians, ranges, proportions, effects with CI and p, correlations, group
  definitions), with page, box, kind, subject and the numbers as printed (see
  :mod:`curate.extract.claims`).
- ``manifest.json``: ``paper_id``, ``source`` (file name), ``first_author``, ``year``,
  ``title``, ``doi`` (as the PDF tells them), ``sha256``, ``pages``, ``tool``, ``settings``,
  ``extracted_at``, ``warnings``, ``counts`` (tables, references, citations, claims),
  ``turned`` (page number -> degrees clockwise, for pages whose text runs sideways: their
  boxes are in the page turned upright, see :mod:`curate.extract.upright`).

Boxes are ``[x0, top, x1, bottom]`` in points from the top left of the page as displayed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curate import __version__
from curate.extract.bodytext import BodyText
from curate.extract.citations import extract_citations, write_citations_csv
from curate.extract.claims import extract_claims, write_claims_csv
from curate.extract.errors import ExtractError, PaperIdError
from curate.extract.fastpage import UNREAD
from curate.extract.identity import identify
from curate.extract.layout import running_furniture
from curate.extract.output import WriteError, clean_text, counting_repairs, discard, publish, staging_dir, write_csv, write_json
from curate.extract.pagestore import PageStore
from curate.extract.pdf import open_pdf, sha256
from curate.extract.quality import LOW
from curate.extract.references import extract_references, read_page, reading_order, write_references_csv
from curate.extract.settings import ExtractSettings
from curate.extract.tables import RowBox, Table, extract_tables
from curate.extract.upright import UprightDocument


@dataclass(slots=True)
class Staged:
    """A paper extracted into a staging folder, waiting for its final id."""

    source: Path
    staged: Path
    base_id: str
    sha256: str
    tables: list[Table]
    n_references: int
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Extracted:
    """A published extraction."""

    source: Path
    paper_id: str
    folder: Path
    n_tables: int
    n_references: int
    warnings: list[str]


#: The file in the staging folder that holds each page's lines while the paper is extracted
#: (:class:`PageStore`; removed before the folder is published).
_PAGES = ".pages"


def _box(box: RowBox) -> list[float]:
    """[page, x0, top, x1, bottom]: where a row is printed."""
    return [box.page, *(round(v, 2) for v in box.bbox)]


def _tables_json(tables: list[Table]) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "file": f"tables/table_{n}.csv",
            "caption": t.caption,
            "pages": sorted({p.page for p in t.parts}),
            "parts": [{"page": p.page, "bbox": [round(v, 2) for v in p.bbox]} for p in t.parts],
            "extractor": t.extractor,
            "settings": t.settings,
            "score": t.score,
            "reasons": t.reasons,
            "n_rows": t.n_rows,
            "n_cols": t.n_cols,
            "header_box": _box(t.header_box) if t.header_box else None,
            "row_boxes": [_box(b) for b in t.row_boxes],
        }
        for n, t in enumerate(tables, start=1)
    ]


#: The share of a PDF's glyphs mapped to no character above which its text is said unreadable.
UNMAPPED_SHARE = 0.05


def _read_pages(pdf: UprightDocument, store: PageStore) -> tuple[int, int]:
    """Read each page once: its whole-page lines and reading-order lines go to ``store`` (on
    disk), and the page is released, so that memory does not grow with the number of pages.
    Returns how many glyphs the pages hold and how many of them map to no character."""
    glyphs = unmapped = 0
    for number, page in enumerate(pdf.pages, start=1):
        lines, pieces = read_page(page, number)
        for line in lines:
            text = line.text.replace(" ", "")
            rest, n = UNREAD.subn("", text)
            glyphs += len(rest) + n
            unmapped += n
        store.add(lines, pieces)
        page.flush_cache()  # the page's chars are not kept while the next page is read
    return glyphs, unmapped


def unmapped_warning(glyphs: int, unmapped: int) -> str | None:
    """The manifest's warning when much of a PDF's text maps to no character (fonts without a
    ToUnicode map, as some writers re-print a PDF): what is read from it is not its text."""
    if not glyphs or unmapped <= UNMAPPED_SHARE * glyphs:
        return None
    return (
        f"{unmapped / glyphs:.0%} of the PDF's glyphs map to no character (its fonts lack a ToUnicode map, "
        "as some PDF writers re-print a file): their text is not read, so tables, references and claims are "
        "missing or garbled; extract the publisher's original PDF, or OCR this one"
    )


def stage(path: Path, out: Path, settings: ExtractSettings | None = None, progress: Callable[[int, int], None] | None = None) -> Staged:
    """Extract ``path`` into a staging folder under ``out``; raises ExtractError on bad input."""
    settings = settings or ExtractSettings()
    pdf = open_pdf(path)
    staged = staging_dir(out)
    try:
        with pdf:
            digest = sha256(path)
            try:
                # Every step reads the pages' lines from the store one page at a time and keeps
                # only its own (small) products: tables, the reference list, the body text.
                with PageStore(staged / _PAGES) as store:
                    glyphs, unmapped = _read_pages(pdf, store)
                    furniture = running_furniture(store.lines, [page.height for page in pdf.pages])
                    who = identify(pdf, store.lines, furniture)
                    tables = extract_tables(pdf, str(path), settings, progress, store.lines, furniture)
                    stream = reading_order(pdf, store.lines, store.pieces, furniture)
                    references = extract_references(pdf, stream=stream)
                    body = BodyText(stream[: references.heading] if references.heading is not None else stream)
                    citations = extract_citations(body, tables, references.entries)
                    claims = extract_claims(body, citations, settings.vocabulary, tables)
                    del body, stream
            except WriteError:  # the page store on a full disk: not the PDF's fault
                raise
            except Exception as exc:
                raise _reading_error(path, exc) from exc
            warnings = [w] if (w := unmapped_warning(glyphs, unmapped)) else []
            warnings += [] if tables else ["no tables found"]
            warnings += [f"table {n} read with low confidence ({t.score:.2f}): {'; '.join(t.reasons)}" for n, t in enumerate(tables, start=1) if t.score < LOW]
            if references.warning:
                warnings.append(references.warning)
            with counting_repairs() as repairs:
                write_references_csv(references.entries, staged / "references.csv")
                write_citations_csv(citations, staged / "citations.csv")
                write_claims_csv(claims, staged / "claims.csv")
                for n, t in enumerate(tables, start=1):
                    write_csv(staged / "tables" / f"table_{n}.csv", [t.header, *t.rows])
                write_json(staged / "tables.json", _tables_json(tables))
                clean_text(" ".join(str(v) for v in (who.first_author, who.title, who.doi)))  # counted too: the manifest holds them
            warnings.extend(repairs.warnings())
            write_json(
                staged / "manifest.json",
                {
                    "paper_id": None,
                    "source": path.name,
                    "first_author": who.first_author,
                    "year": who.year,
                    "title": who.title,
                    "doi": who.doi,
                    "sha256": digest,
                    "pages": len(pdf.pages),
                    "tool": f"curate {__version__}",
                    "settings": settings.as_dict(),
                    "extracted_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                    "warnings": warnings,
                    "counts": {"tables": len(tables), "references": len(references.entries), "citations": len(citations), "claims": len(claims)},
                    "turned": {str(n): turn for n, turn in pdf.turned.items()},
                },
            )
            return Staged(path, staged, who.paper_id(path.stem), digest, tables, len(references.entries), warnings)
    except BaseException:
        discard(staged)
        raise


#: A paper id: a folder name that cannot leave ``raw/`` or hide (letters, digits, ``.``, ``_``,
#: ``-``; starting with a letter or digit), short enough for any file system.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_paper_id(paper_id: str) -> str:
    """``paper_id`` if it is a safe folder name (see ``_SAFE_ID``); else :class:`PaperIdError`."""
    if not _SAFE_ID.fullmatch(paper_id):
        raise PaperIdError(
            f"paper id {paper_id!r} is not allowed: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (it names a folder inside --out)"
        )
    return paper_id


def _reading_error(path: Path, exc: Exception) -> ExtractError:
    """The one-line reason a PDF could not be read: a damaged PDF is "corrupt"; a crash of
    curate itself or of its environment (a missing dependency, no memory) says so instead."""
    name = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ImportError):
        return ExtractError(path, f"a required package is missing ({name}); reinstall curate (pip install -e .)")
    if isinstance(exc, MemoryError):
        return ExtractError(path, "out of memory while reading the PDF")
    if isinstance(exc, OSError):
        return ExtractError(path, f"cannot read ({exc.strerror or name})")
    if type(exc).__module__.split(".")[0] in ("pypdfium2", "pdfminer", "pdfplumber", "PIL"):
        return ExtractError(path, f"corrupt PDF ({name})")
    return ExtractError(path, f"internal error while reading ({name}); please report it with this PDF")


def _existing_sha(folder: Path) -> str | None:
    """The sha256 of the PDF curate extracted into ``folder``; "" when ``folder`` exists but is
    not curate's (no readable manifest naming a sha256): it must never be replaced."""
    if not folder.exists() and not folder.is_symlink():
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        digest = manifest.get("sha256") if isinstance(manifest, dict) and not folder.is_symlink() else None
    except (OSError, ValueError):
        digest = None
    return digest if isinstance(digest, str) and digest else ""


def choose_id(out: Path, base: str, digest: str, taken: dict[str, str], explicit: bool) -> str:
    """The folder name for a PDF: ``base``, or ``base`` + b, c, ... z when another PDF has it,
    then ``base-`` + the start of its sha256 (a corpus holds far more than 26 papers by one
    surname in one year).

    A folder holding the same PDF (same sha256) is reused, so re-runs replace their own output.
    A folder curate did not write (no manifest) is never touched: an automatic id moves on to
    the next letter. An explicit ``--id`` is never changed: a clash is an error.
    """
    check_paper_id(base)
    for suffix in [""] + [chr(c) for c in range(ord("b"), ord("z") + 1)] + [f"-{digest[:10]}"]:
        candidate = base + suffix
        owner = taken.get(candidate) or _existing_sha(out / candidate)
        if owner is None or owner == digest:
            return candidate
        if explicit:
            if owner == "":
                raise ExtractError(out / candidate, "exists and was not written by curate extract; not replaced (choose another --id or move it away)")
            raise ExtractError(out / candidate, f"paper id {candidate!r} already holds another PDF (sha256 {owner[:12]}); choose another --id")
    raise ExtractError(out / base, "too many papers share this id; pass --id")


def finish(staged: Staged, out: Path, taken: dict[str, str], explicit_id: str | None = None) -> Extracted:
    """Give a staged extraction its id and move it into ``out/<paper_id>``."""
    try:
        pid = choose_id(out, explicit_id or staged.base_id, staged.sha256, taken, explicit_id is not None)
        manifest = json.loads((staged.staged / "manifest.json").read_text(encoding="utf-8"))
        manifest["paper_id"] = pid
        write_json(staged.staged / "manifest.json", manifest)
        publish(staged.staged, out / pid)
    except BaseException:
        discard(staged.staged)
        raise
    taken[pid] = staged.sha256
    return Extracted(staged.source, pid, out / pid, len(staged.tables), staged.n_references, staged.warnings)


def extract_paper(path: Path | str, out: Path | str = "raw", paper_id: str | None = None, settings: ExtractSettings | None = None) -> Extracted:
    """Extract one PDF into ``out/<paper_id>/`` (the library form of ``curate extract``)."""
    out = Path(out)
    if paper_id is not None:
        check_paper_id(paper_id)
    return finish(stage(Path(path), out, settings), out, {}, paper_id)
