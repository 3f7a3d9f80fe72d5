"""Exports for the tools a review team uses next: reference managers, spreadsheets, meta-analysis.

- ``bibtex``, ``ris``, ``csljson``: the registry of works (``curated/works.csv``), one record per
  work keyed by its stable ``work_id``, with every author of the fullest reference entry of
  that work (``curated/references.csv``), year, title, journal, volume, issue, pages and DOI.
  BibTeX values are escaped (LaTeX specials, unbalanced braces), RIS values are one line each
  (a value can never start a tag of its own), CSL-JSON is what Zotero imports.
- ``effects``: every effect estimate the papers print (``raw/*/claims.csv``, kind ``effect``)
  as one CSV row: paper, study, outcome, measure, estimate, CI, p, n per arm, page; the columns
  metafor (``escalc``/``rma`` with ``yi``, ``ci.lb``, ``ci.ub``) and RevMan's import read.
- ``xlsx``: the curated tables and the findings, one sheet each, numbers as numbers.

CSV files for spreadsheets can carry a byte-order mark (``excel=True``) so Excel on Windows
reads them as UTF-8.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from statistics import NormalDist
from typing import Any

import pandas as pd

from curate.cells import RATIO
from curate.extract.output import frame_csv, write_bytes, write_text
from curate.schemas.io import ReadError, read_frame, read_table

FORMATS = ("bibtex", "ris", "csljson", "effects", "xlsx")
#: File extension -> format, for ``curate export OUT`` without ``--to``.
EXTENSIONS = {".bib": "bibtex", ".ris": "ris", ".json": "csljson", ".xlsx": "xlsx", ".csv": "effects"}
EFFECT_COLUMNS = (
    "paper_id", "study", "outcome", "measure", "estimate", "ci_lower", "ci_upper", "ci_level", "yi", "sei",
    "p_value", "p_qualifier", "arm_1", "n_1", "arm_2", "n_2", "page", "claim_id", "printed",
)


class ExportError(ValueError):
    """An export that cannot be made (missing input, unknown format)."""


def _clean(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else " ".join(str(value).split())


def _read(path: Path, why: str) -> pd.DataFrame:
    if not path.is_file():
        raise ExportError(f"{path}: not found ({why})" if why else f"{path}: not found")
    try:
        return read_frame(path)
    except ReadError as exc:
        raise ExportError(str(exc)) from None


def works_with_authors(curated: Path) -> pd.DataFrame:
    """``works.csv`` with ``authors``: the author list of the work's entry that names the most authors."""
    works = _read(curated / "works.csv", "run `curate reconcile` first")
    entries_path = curated / "references.csv"
    authors: dict[str, str] = {}
    issues: dict[str, str] = {}
    if entries_path.is_file():
        entries = _read(entries_path, "the reference entries")
        for e in entries.to_dict("records"):
            names = _authors(e.get("authors", ""))
            if len(names) > len(_authors(authors.get(e.get("work_id", ""), ""))):
                authors[e["work_id"]] = e.get("authors", "")
            if e.get("issue") and e.get("work_id") not in issues:
                issues[e["work_id"]] = e["issue"]
    works = works.copy()
    works["authors"] = [authors.get(w, "") or f for w, f in zip(works["work_id"], works["first_author"])]
    works["issue"] = [issues.get(w, "") for w in works["work_id"]]
    return works


def _authors(value: str) -> list[str]:
    """``"Surname, I.; Other, J."`` -> ``["Surname, I.", "Other, J."]``."""
    return [a.strip() for a in str(value or "").split(";") if a.strip()]


# --------------------------------------------------------------------------------------------
# BibTeX
# --------------------------------------------------------------------------------------------

_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$", "^": r"\^{}", "~": r"\~{}"}


def bibtex_value(value: str) -> str:
    """A value safe inside ``{...}``: LaTeX specials escaped; braces kept when balanced, spelled out when not.

    BibTeX counts every brace (a backslash does not hide one), so a lone brace must become a command.
    """
    depth, balanced = 0, True
    for c in value:
        depth += {"{": 1, "}": -1}.get(c, 0)
        balanced = balanced and depth >= 0
    table = _LATEX if balanced and not depth else {**_LATEX, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
    return "".join(table.get(c, c) for c in value)


def to_bibtex(works: pd.DataFrame) -> str:
    """One @article per work, every author joined with ``and``."""
    records = []
    for w in works.to_dict("records"):
        fields = {
            "author": " and ".join(_authors(w.get("authors", "")) or [_clean(w.get("first_author"))]),
            "year": _clean(w.get("year")), "title": _clean(w.get("title")), "journal": _clean(w.get("venue")),
            "volume": _clean(w.get("volume")), "number": _clean(w.get("issue")),
            "pages": re.sub(r"\s*[-–]+\s*", "--", _clean(w.get("pages"))), "doi": _clean(w.get("doi")),
        }
        body = ",\n".join(f"  {k} = {{{bibtex_value(v)}}}" for k, v in fields.items() if v)
        key = re.sub(r"[^\w:-]", "_", _clean(w.get("work_id")))
        records.append(f"@article{{{key},\n{body}\n}}\n")
    return "\n".join(records)


# --------------------------------------------------------------------------------------------
# RIS
# --------------------------------------------------------------------------------------------


def _ris_value(value: str) -> str:
    """One line, so no value can start a tag (``ER  -``) of its own."""
    return " ".join(str(value).split())


def to_ris(works: pd.DataFrame) -> str:
    """One JOUR record per work, one AU line per author, ending with ER."""
    records = []
    for w in works.to_dict("records"):
        pages = re.split(r"\s*[-–]+\s*", _clean(w.get("pages")), maxsplit=1)
        lines = ["TY  - JOUR", f"ID  - {_ris_value(w.get('work_id', ''))}"]
        tags = [("AU", a) for a in _authors(w.get("authors", "")) or [_clean(w.get("first_author"))]]
        tags += [("PY", _clean(w.get("year"))), ("TI", _clean(w.get("title"))), ("JO", _clean(w.get("venue"))), ("VL", _clean(w.get("volume"))),
                 ("IS", _clean(w.get("issue"))), ("SP", pages[0]), ("EP", pages[1] if len(pages) > 1 else ""), ("DO", _clean(w.get("doi")))]
        lines += [f"{tag}  - {_ris_value(value)}" for tag, value in tags if _ris_value(value)]
        lines.append("ER  - ")
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)


# --------------------------------------------------------------------------------------------
# CSL-JSON
# --------------------------------------------------------------------------------------------


def _csl_name(author: str) -> dict[str, str]:
    family, _, given = author.partition(",")
    return {"family": family.strip(), "given": given.strip()} if given.strip() else {"literal": family.strip()}


def to_csljson(works: pd.DataFrame) -> str:
    """A CSL-JSON array (what Zotero, Mendeley and pandoc import), one ``article-journal`` per work."""
    items = []
    for w in works.to_dict("records"):
        item: dict[str, Any] = {"id": _clean(w.get("work_id")), "type": "article-journal"}
        names = _authors(w.get("authors", "")) or [_clean(w.get("first_author"))]
        if any(names):
            item["author"] = [_csl_name(a) for a in names if a]
        year = _clean(w.get("year"))
        if year.isdigit():
            item["issued"] = {"date-parts": [[int(year)]]}
        for key, column in (("title", "title"), ("container-title", "venue"), ("volume", "volume"), ("issue", "issue"), ("page", "pages"), ("DOI", "doi")):
            if value := _clean(w.get(column)):
                item[key] = value
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------------------------
# Effect estimates
# --------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    try:
        number = float(str(value).replace("−", "-"))
    except (TypeError, ValueError):
        return None
    return number if number == number else None


def pooling_scale(measure: str, estimate: float | None, lower: float | None, upper: float | None, level: float = 95) -> tuple[float | None, float | None]:
    """``(yi, sei)``: the estimate on the scale meta-analysis pools (natural log for a ratio:
    OR, RR, HR...) and its standard error from the CI, ``(g(upper) - g(lower)) / (2 z)``.

    What metafor's ``escalc(measure = "GEN", yi, sei)`` and RevMan's generic inverse variance
    import ("Estimate", "SE") take; ``None`` where the CI is missing or a ratio is not positive.
    """
    ratio = bool(RATIO.fullmatch(measure.strip()))

    def scaled(value: float | None) -> float | None:
        return None if value is None or (ratio and value <= 0) else (math.log(value) if ratio else value)

    yi, lo, hi = scaled(estimate), scaled(lower), scaled(upper)
    if lo is None or hi is None:
        return yi, None
    return yi, (hi - lo) / (2 * NormalDist().inv_cdf(1 - (1 - level / 100) / 2))


def effects_table(raw: Path, curated: Path | None = None) -> pd.DataFrame:
    """Every effect estimate printed in the papers of ``raw``, one row each (:data:`EFFECT_COLUMNS`).

    ``study`` is the included study the sentence cites, when it cites exactly one that the
    curated studies table lists (its label); the arms and their sizes are that row's ``n_*``
    columns when it has exactly two. Estimates stay as printed (numbers, no rounding).
    """
    entries = _optional(curated / "references.csv") if curated else None
    studies = _optional(curated / "studies.csv") if curated else None
    work_of = {(r["paper_id"], str(r["index"])): r.get("work_id", "") for r in entries.to_dict("records")} if entries is not None and "work_id" in entries else {}
    rows_of: dict[str, list[dict[str, str]]] = {}
    if studies is not None and "work_id" in studies:
        for r in studies.to_dict("records"):
            if r.get("work_id"):
                rows_of.setdefault(r["work_id"], []).append(r)
    found = []
    for folder in sorted(p for p in raw.iterdir() if (p / "claims.csv").is_file()) if raw.is_dir() else []:
        claims = _optional(folder / "claims.csv")
        if claims is None or "kind" not in claims:
            continue
        for c in claims[claims["kind"] == "effect"].to_dict("records"):
            try:
                values = json.loads(c.get("values") or "{}")
            except ValueError:
                continue
            if not isinstance(values, dict) or _number(values.get("est")) is None:
                continue
            works = {w for r in _split_refs(c.get("refs", "")) if (w := work_of.get((folder.name, r)))}
            study_rows = rows_of.get(next(iter(works)), []) if len(works) == 1 else []
            row = study_rows[0] if len(study_rows) == 1 else {}
            arms = [k for k in row if k.startswith("n_")]
            two = len(arms) == 2
            est, lo, hi = _number(values.get("est")), _number(values.get("lo")), _number(values.get("hi"))
            yi, sei = pooling_scale(str(values.get("measure", "")), est, lo, hi)
            found.append({
                "paper_id": folder.name, "study": row.get("label", ""), "outcome": c.get("subject", ""),
                "measure": values.get("measure", ""), "estimate": est, "ci_lower": lo, "ci_upper": hi,
                "ci_level": 95 if lo is not None and hi is not None else None, "yi": yi, "sei": sei,
                # an exact p has no qualifier (a lone "=" would be a spreadsheet formula)
                "p_value": _number(values.get("p")), "p_qualifier": ("" if values.get("pq") == "=" else values.get("pq", "")) if values.get("p") else "",
                "arm_1": arms[0].removeprefix("n_") if two else "", "n_1": _number(row.get(arms[0])) if two else None,
                "arm_2": arms[1].removeprefix("n_") if two else "", "n_2": _number(row.get(arms[1])) if two else None,
                "page": int(c["page"]) if str(c.get("page", "")).isdigit() else None,
                "claim_id": c.get("claim_id", ""), "printed": _clean(c.get("span", "")),
            })
    frame = pd.DataFrame(found, columns=list(EFFECT_COLUMNS))
    for column in ("page", "n_1", "n_2", "ci_level"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _split_refs(value: str) -> list[str]:
    return [r for r in re.split(r"[;,\s]+", str(value or "")) if r]


def _optional(path: Path) -> pd.DataFrame | None:
    table = read_table(path)
    return None if table.fatal() else table.frame()


# --------------------------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------------------------


def _typed(value: Any) -> Any:
    """A cell as a number when it is one as printed (``"007"`` and ``"1-9"`` stay text), else the text."""
    if value is None or value == "":
        return None
    text = str(value)
    if re.fullmatch(r"-?(0|[1-9]\d{0,14})(\.\d+)?", text):
        return int(text) if "." not in text else float(text)
    return text


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    chosen, n = base, 2
    while chosen.lower() in taken:
        chosen = f"{base[:28]}~{n}"
        n += 1
    taken.add(chosen.lower())
    return chosen


def write_xlsx(out: Path, sheets: Mapping[str, pd.DataFrame]) -> None:
    """One sheet per frame: header row bold and frozen, numbers as numbers, text as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        sheet = book.create_sheet(_sheet_name(name, taken))
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in frame.itertuples(index=False):
            sheet.append([_typed(v) for v in record])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # "=1+1" is text a paper printed, not a formula
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    write_bytes(out, buf.getvalue())


def findings_frame(findings: Iterable[Any], statuses: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Findings as a table: one row each, location flattened."""
    rows = []
    for f in findings:
        d = f.as_dict()
        loc = d.pop("location")
        d.pop("related")
        rows.append({"id": d["id"], "status": (statuses or {}).get(d["id"], "open"), "severity": d["severity"], "check": d["check"], "paper_id": d["paper_id"] or "",
                     "file": loc["file"] or "", "row": loc["row"], "column": loc["column"] or "", "page": loc["page"], "message": d["message"],
                     "reported": d["reported"], "computed": d["computed"]})
    columns = ["id", "status", "severity", "check", "paper_id", "file", "row", "column", "page", "message", "reported", "computed"]
    return pd.DataFrame(rows, columns=columns).astype(object).where(lambda f: f.notna(), "")


# --------------------------------------------------------------------------------------------
# The export
# --------------------------------------------------------------------------------------------


def export(curated: Path, out: Path, fmt: str, *, raw: Path | None = None, excel: bool = False, findings: Sequence[Any] | None = None) -> int:
    """Write ``fmt`` of the dataset in ``curated`` (and ``raw``) to ``out``; return how many records.

    ``findings`` (for ``xlsx``) are written on a sheet of their own when given.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "effects":
        raw = raw if raw is not None else curated.parent / "raw"
        if not raw.is_dir():
            raise ExportError(f"{raw}: no such folder (the extracted papers, where effect estimates are printed)")
        effects = effects_table(raw, curated if curated.is_dir() else None)
        write_text(out, ("\ufeff" if excel else "") + frame_csv(effects))
        return len(effects)
    if fmt == "xlsx":
        if not curated.is_dir():
            raise ExportError(f"{curated}: no such folder (the curated dataset)")
        sheets = {p.stem: _read(p, "") for p in sorted(curated.glob("*.csv"))}
        if not sheets:
            raise ExportError(f"{curated}: no curated tables in it")
        if findings is not None:
            sheets["findings"] = findings_frame(findings)
        write_xlsx(out, sheets)
        return sum(len(f) for f in sheets.values())
    works = works_with_authors(curated)
    text = {"bibtex": to_bibtex, "ris": to_ris, "csljson": to_csljson}[fmt](works)
    write_text(out, ("\ufeff" if excel and fmt == "ris" else "") + text)
    return len(works)
