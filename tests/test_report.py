"""The review report: Markdown and HTML built from the same findings, evidence traced to the page,
self-contained HTML whose findings table filters in a real (headless) browser."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from curate.cli_report import decide, report
from curate.decisions import record_decision
from curate.findings import Finding, Location
from curate.report import Evidence, Paper, build_report, evidence_for, load_sources
from tests.conftest import ROOT, SHARED, need_shared

FINDINGS = [
    Finding("schema.range", "error", "patients.csv row 5, hba1c_before: '75' fails less_than_or_equal_to(20)", Location("patients.csv", 5, "hba1c_before", 3), "matsuoka2025", "75", 6.8),
    Finding("claim.recomputed", "error", "reported 61 but 58 rows", Location("claims.csv", 1, None, 2), "matsuoka2025", "61", 58.0),
    Finding("consistency.visit", "warning", "visit 1 HbA1c | 8.5 looks high", Location("case_series.csv", 8, "hba1c_percent"), "vinski2023", 8.5, 8.0),
    Finding("citation.unresolved", "warning", "(Kasoju et al., 2017) is not in the reference list", Location("citations.csv", 23, None, 3), "vinski2023", "Kasoju 2017", "48"),
    Finding("reference.duplicate", "warning", "entries 12 and 40 are the same work", Location("references.csv", 12), "vinski2023", "12", "40"),
    Finding("table.cell", "info", "glucose at visit 3 checked </script><b>", Location("raw/vinski2023/tables/table_2.csv", 3, "Glucose (3) mg/dL"), "vinski2023", 82, 82),
    Finding("studies.arm_total", "warning", "arm total differs", Location("studies.csv", 2, "n_cell_therapy", 5), "zhang2019", 65, 60),
    Finding("file.missing", "error", "works_extra.csv is missing", Location("works_extra.csv")),
]
ACCEPTED, FIXED, REJECTED = FINDINGS[0], FINDINGS[2], FINDINGS[3]
TRIAGED = [f for f in FINDINGS if f.severity != "info"]  # rows of the findings table; info is folded per check
STALE = "schema.range-0123456789"

app = typer.Typer(pretty_exceptions_enable=False)
app.command()(report)
app.command()(decide)
runner = CliRunner()


def _dataset(root: Path) -> tuple[Path, Path]:
    """The shipped raw/ and curated/, with decisions, a works registry and a match review added."""
    raw, curated = root / "raw", root / "curated"
    shutil.copytree(ROOT / "raw", raw)
    shutil.copytree(ROOT / "curated", curated)
    known = {f.id for f in FINDINGS}
    record_decision(curated, ACCEPTED.id, "accept", note="kept flagged", who="ann", known=known)
    record_decision(curated, FIXED.id, "reject", who="ann", known=known)
    record_decision(curated, FIXED.id, "fix", "8.0", "misprint", "bob", known=known)
    record_decision(curated, REJECTED.id, "reject", note="typo of Kasaju", who="bob", known=known)
    record_decision(curated, STALE, "accept", who="ann", force=True)
    (curated / "works.csv").write_text(
        "work_id,paper_id,first_author,year,title,conflict\n"
        "W1,zhang2019,Bhansali,2017,Autologous bone marrow cells,\n"
        "W1,vinski2023,Bhansali,2017,Autologous bone marrow cells,\n"
        "W2,zhang2019,Snarski,2010,Independence of exogenous insulin,year 2010 vs 2011\n"
    )
    (curated / "match_review.csv").write_text("key_a,key_b,score,reasons\nzhang2019:24,vinski2023:80,0.71,title;year+1\n")
    return raw, curated


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    """(report.html, report.md, raw, curated), with page images when the PDFs are at hand."""
    root = tmp_path_factory.mktemp("report")
    raw, curated = _dataset(root)
    pdfs = SHARED / "papers"
    html_path, md_path = build_report(curated, raw, FINDINGS, root / "out", pdfs if pdfs.is_dir() else None)
    return html_path, md_path, raw, curated


class _Page(HTMLParser):
    """The parts of a report page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[dict[str, str | None]] = []
        self.images: dict[str, str] = {}
        self.external: list[str] = []
        self.cards: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.groups: list[dict[str, str | None]] = []
        self.data: list[dict[str, Any]] = []
        self.counts: dict[tuple[str, str], int] = {}
        self.ready = False
        self._count: tuple[str, str] | None = None
        self._card: str | None = None
        self._data = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "finding" in (a.get("class") or "").split():
            self.rows.append(a)
        if tag == "tr" and "info-group" in (a.get("class") or ""):
            self.groups.append(a)
        if tag == "a" and a.get("id"):
            self.links[a["id"] or ""] = a.get("href") or ""
        self._data = tag == "script" and a.get("id") == "finding-data"
        if tag == "article" and "data-finding" in a:
            self._card = (a.get("id") or "")[2:]
        if tag == "img":
            self.images[a.get("alt") or ""] = a.get("src") or ""
            if self._card:
                self.cards[self._card] = a.get("src") or ""
        if tag == "span" and a.get("class") == "count":
            self._count = (a.get("data-facet") or "", a.get("data-value") or "")
        if tag == "body" and a.get("data-ready") == "true":
            self.ready = True
        for name in ("src", "href"):
            if re.match(r"(https?:)?//", a.get(name) or ""):
                self.external.append(a[name] or "")
        if tag == "link" or (tag == "script" and a.get("src")):
            self.external.append(tag)

    def handle_data(self, data: str) -> None:
        if self._data:
            self.data = json.loads(data)
        if self._count is not None:
            self.counts[self._count] = int(data)
            self._count = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._card = None
        self._data = False


def _md_findings(md: str) -> dict[str, str]:
    """finding id -> status, from the Markdown findings table."""
    section = md.split("## Findings\n", 1)[1].split("\n## ", 1)[0]
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in section.splitlines() if line.startswith("| ") and not line.startswith("| status")]
    return {cells[-1].strip(): cells[0].strip() for cells in rows}


def test_markdown_has_every_section_and_every_finding(built: tuple[Path, Path, Path, Path]) -> None:
    md = built[1].read_text()
    for heading in ("# curate review report", "## Overview", "## Findings", "## Paper matsuoka2025", "## Paper vinski2023", "## Paper zhang2019", "## Findings not tied to a paper", "## Works registry", "## Match review", "## Decisions log"):
        assert f"\n{heading}\n" in f"\n{md}", heading
    for f in FINDINGS:
        assert f"#### `{f.id}`: {f.check} ({f.severity}," in md
    assert "visit 1 HbA1c \\| 8.5 looks high" in md, "pipes in cells are escaped"


def test_overview_counts_come_from_raw_and_the_findings(built: tuple[Path, Path, Path, Path]) -> None:
    md, raw = built[1].read_text(), built[2]
    papers = [Paper.load(p) for p in sorted(raw.iterdir())]
    expected = {
        "papers": len(papers),
        "tables": sum(len(p.tables) for p in papers),
        "references": sum(len(p.references) for p in papers),
        "citations": sum(len(p.citations) for p in papers),
        "works": 2,
        "findings: error": 3,
        "findings: warning": 4,
        "findings: info": 1,
        "decided": 3,
        "undecided": 5,
    }
    for what, count in expected.items():
        assert f"| {what} | {count} |" in md, what


def test_html_and_markdown_show_the_same_findings_and_statuses(built: tuple[Path, Path, Path, Path]) -> None:
    page = _Page(built[0].read_text())
    html_status = {d["id"]: d["status"] for d in page.data}
    md_status = _md_findings(built[1].read_text())
    assert html_status == md_status
    assert {r["data-id"]: r["data-status"] for r in page.rows} == {f.id: md_status[f.id] for f in TRIAGED}, "errors and warnings are rows"
    assert [(g["data-check"], g["data-count"]) for g in page.groups] == [("table.cell", "1")], "info folded into one row per check"
    assert [r["data-severity"] for r in page.rows] == sorted((r["data-severity"] for r in page.rows), key=["error", "warning"].index), "errors first"
    assert set(md_status) == {f.id for f in FINDINGS}
    assert (md_status[ACCEPTED.id], md_status[FIXED.id], md_status[REJECTED.id]) == ("accepted", "fixed", "rejected")
    assert sum(s == "open" for s in md_status.values()) == len(FINDINGS) - 3
    assert {d["paper"] for d in page.data} == {"matsuoka2025", "vinski2023", "zhang2019", ""}


def test_html_is_self_contained(built: tuple[Path, Path, Path, Path]) -> None:
    page = _Page(built[0].read_text())
    assert page.external == []
    assert page.images and all(src.startswith("data:image/") for src in page.images.values())


def test_plots_are_inline(built: tuple[Path, Path, Path, Path]) -> None:
    page = _Page(built[0].read_text())
    plots = {alt for alt, src in page.images.items() if src.startswith("data:image/svg+xml;base64,")}
    assert plots == {
        "hba1c_before → hba1c_after per row (patients.csv)",
        "hba1c_percent per visit and patient (case_series.csv)",
        "glucose_mg_dl per visit and patient (case_series.csv)",
        "patients per arm (cell_therapy, control) (studies.csv)",
        "Effect estimates with their 95% CI, as printed",
        "Reported vs recomputed",
    }, "chosen by the columns present and the effects the papers print"


def test_reference_health_works_registry_and_match_review(built: tuple[Path, Path, Path, Path]) -> None:
    md = built[1].read_text()
    vinski = md.split("## Paper vinski2023", 1)[1].split("\n## ", 1)[0]
    assert "| 23 | 3 | (Kasoju et al., 2017) | unresolved | #48: Kasaju 2017." in vinski, "unresolved citation with its closest candidate"
    assert f"- entries 12 and 40 are the same work (`{FINDINGS[4].id}`, open)" in vinski
    works = md.split("## Works registry", 1)[1].split("\n## ", 1)[0]
    assert "| work | vinski2023 | zhang2019 |" in works
    assert "| W1 Bhansali 2017 | 1 | 1 |" in works and "| W2 Snarski 2010 |  | 1 |" in works
    assert "Conflicts (1):" in works and "year 2010 vs 2011" in works
    assert "| key_a | key_b | score | reasons |" in md.split("## Match review", 1)[1]


def test_decisions_log_shows_every_row_and_which_is_in_force(built: tuple[Path, Path, Path, Path]) -> None:
    log = built[1].read_text().split("## Decisions log", 1)[1]
    rows = [line for line in log.splitlines() if line.startswith("| 20")]
    assert len(rows) == 5
    assert sum("superseded" in r for r in rows) == 1 and sum("in force" in r for r in rows) == 3
    assert any(STALE in r and "stale" in r for r in rows)
    assert "- decision: fix → 8.0 by bob" in built[1].read_text()


def test_evidence_traces_each_location_to_the_printed_row_and_page(built: tuple[Path, Path, Path, Path]) -> None:
    papers, frames, mappings = load_sources(built[3], built[2])

    def ev(f: Finding) -> Evidence:
        return evidence_for(f, papers, frames, mappings)

    patients = ev(FINDINGS[0])
    (printed,) = patients.printed
    assert (printed.table, printed.row, printed.header[printed.column], printed.cells[printed.column]) == ("1", 5, "HbA1c Before treatment", "6.8")
    assert patients.pages == ["3"] and patients.regions[0].cell == "6.8" and patients.regions[0].header
    visit = ev(FINDINGS[2])  # a melted column: only the table and column of that visit
    assert [(p.table, p.header[p.column]) for p in visit.printed] == [("1", "HbA1c (1) %")] and visit.pages == ["9"]
    citation = ev(FINDINGS[3])
    assert citation.text[0] == "(Kasoju et al., 2017)" and [r.page for r in citation.regions] == [3]
    reference = ev(FINDINGS[4])
    assert reference.text[0].startswith("Chandravanshi") and reference.pages == ["11"]
    claim = ev(FINDINGS[1])
    assert "61" in claim.text[0] and claim.regions[0].page == 2
    cell = ev(FINDINGS[5])
    assert cell.printed[0].cells[cell.printed[0].column] == "82" and cell.pages == ["10"]
    assert ev(FINDINGS[7]).regions == []


def test_page_images_are_crops_of_the_extracted_pdf(built: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    from PIL import Image

    papers = need_shared("papers")
    page = _Page(built[0].read_text())
    src = page.cards[FINDINGS[0].id]
    assert src.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert image.width > 600 and image.height < 300, "a strip around the row (and the header), not the whole page"
    assert image.mode == "P" and len(src) < 60_000, "a small palette PNG"
    assert set(page.cards) >= {FINDINGS[1].id, FINDINGS[3].id, FINDINGS[4].id}
    assert FINDINGS[5].id not in page.cards, "a check that passed: no crop, its evidence is opened on demand"
    info = next(d for d in page.data if d["id"] == FINDINGS[5].id)
    assert info["printed"][0]["cells"][info["printed"][0]["column"]] == "82"
    wrong = tmp_path / "pdfs"
    wrong.mkdir()
    shutil.copy(papers / "zhang2019.pdf", wrong / "matsuoka2025.pdf")
    _, md = build_report(built[3], built[2], FINDINGS[:1], tmp_path / "out", wrong)
    html = (tmp_path / "out" / "report.html").read_text()
    assert "not the file that was extracted" in html and "data:image/png" not in html
    assert md.exists()


def test_report_command_writes_both_files(built: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    raw, curated = built[2], built[3]
    result = runner.invoke(app, ["report", str(curated), "--raw", str(raw), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output + result.stderr
    assert (tmp_path / "r" / "report.html").exists() and (tmp_path / "r" / "report.md").exists()
    assert "report.html" in result.stdout
    result = runner.invoke(app, ["report", str(tmp_path / "nope"), "--raw", str(raw)])
    assert result.exit_code == 1 and "no such folder" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(app, ["report", str(raw), "--raw", str(raw), "--out", str(tmp_path / "r2")])
    assert result.exit_code == 1 and "not a curated dataset" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r2").exists(), "nothing written"


# --------------------------------------------------------------------------------------------
# In a real browser
# --------------------------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _browse(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *args, url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _console(stderr: str) -> list[str]:
    """Console messages and uncaught errors of the page (the report logs nothing when all is well)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def test_report_renders_and_filters_in_headless_chromium(built: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    url = built[0].resolve().as_uri()
    cases = {
        "#filter=severity:error": lambda r: r["data-severity"] == "error",
        "#filter=severity:warning,status:open": lambda r: r["data-severity"] == "warning" and r["data-status"] == "open",
        "#filter=severity:error|warning,status:open|fixed": lambda r: r["data-status"] in ("open", "fixed"),
        "?paper=vinski2023": lambda r: r["data-paper"] == "vinski2023",
        "#filter=q:kasoju": lambda r: r["data-id"] == REJECTED.id,
        "": lambda r: True,
    }
    for suffix, wanted in cases.items():
        done = _browse(url + suffix, tmp_path / "profile", "--dump-dom")
        assert done.returncode == 0, done.stderr[-2000:]
        assert _console(done.stderr) == [], suffix
        page = _Page(done.stdout)
        assert page.ready, "the filter script did not run to its end"
        assert len(page.rows) == len(TRIAGED)
        visible = [r for r in page.rows if "hidden" not in r]
        assert visible and visible == [r for r in page.rows if wanted(r)], suffix
        shown = list(csv.DictReader(io.StringIO(unquote(page.links["download-csv"].split(",", 1)[1]).lstrip("\ufeff"))))
        assert [r["id"] for r in shown if r["severity"] != "info"] == [r["data-id"] for r in visible], "the CSV holds the rows shown"
    done = _browse(url + "#filter=severity:error|warning,sort:-paper", tmp_path / "profile", "--dump-dom")
    page = _Page(done.stdout)
    papers = [r["data-paper"] or "" for r in page.rows if "hidden" not in r]
    assert len(set(papers)) > 1 and papers == sorted(papers, reverse=True), "sorted by paper, descending, from the address"
    severity = Counter(d["severity"] for d in page.data)
    chosen = Counter(d["paper"] for d in page.data if d["severity"] in ("error", "warning"))
    assert {v: n for (k, v), n in page.counts.items() if k == "severity"} == {s: severity[s] for s in ("error", "warning", "info")}, "a facet counts over the other facets' choice"
    assert {v: n for (k, v), n in page.counts.items() if k == "paper" and n} == dict(chosen), "paper counts within severity error|warning"
    done = _browse(url + "#filter=severity:info,open:*", tmp_path / "profile", "--dump-dom")
    page = _Page(done.stdout)
    assert [r["data-id"] for r in page.rows if "hidden" not in r] == [FINDINGS[5].id], "info opened on demand, from the page's data"
    assert _console(done.stderr) == [] and "</script><b>" not in done.stdout.split("finding-data", 1)[0]
    assert unquote(page.links["export-decisions"].split(",", 1)[1]).lstrip("\ufeff").splitlines() == ["finding_id,decision,value,note"]
    shot = tmp_path / "report.png"
    done = _browse(url + "#filter=status:open", tmp_path / "profile", "--window-size=1400,2400", "--hide-scrollbars", f"--screenshot={shot}")
    assert done.returncode == 0 and _console(done.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.copy(shot, Path(tempfile.gettempdir()) / "curate-report.png")  # for a person to look at


def test_exported_decisions_are_what_decide_from_reads(tmp_path: Path) -> None:
    """The page writes finding_id,decision,value,note (quoted as CSV, BOM first); `curate decide --from` reads it."""
    from curate.decisions import read_requests
    from curate.report import _JS

    assert "['finding_id', 'decision', 'value', 'note']" in _JS
    sheet = tmp_path / "decisions.csv"
    sheet.write_bytes('\ufefffinding_id,decision,value,note\r\nx-1,fix,7.5,"p. 3, ""misprint"""\r\n'.encode())
    assert [(r.finding_id, r.decision, r.value, r.note) for r in read_requests(sheet)] == [("x-1", "fix", "7.5", 'p. 3, "misprint"')]


def test_new_since_the_last_report_and_one_row_per_fact(built: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    raw, curated = built[2], built[3]
    out = tmp_path / "out"
    build_report(curated, raw, FINDINGS[:5], out, None)
    dup = Finding("works.duplicate_in_list", "warning", "entries 12, 40 of vinski2023's list are one work", Location("references.csv"), "vinski2023", "12, 40", "w_x", "w_x",
                  (Location("references.csv", 12), Location("references.csv", 40)))
    first = Finding("reference.duplicate", "warning", "entries 12 and 40 are the same work", Location("references.csv", 40), "vinski2023", "40", "12", "12|40", (Location("references.csv", 12),))
    _, md = build_report(curated, raw, [*FINDINGS, dup, first], out, None)
    page = _Page((out / "report.html").read_text())
    since = {d["id"]: d["since"] for d in page.data}
    assert {i for i, v in since.items() if v == "new"} == {f.id for f in FINDINGS[5:]} | {first.id}
    assert dup.id not in since and next(d for d in page.data if d["id"] == first.id)["also"] == [dup.id], "one row for the fact found twice"
    assert f"#### `{first.id}`: reference.duplicate (warning, open, new)" in md.read_text()
    assert json.loads((out / "findings.json").read_text())["findings"][-1]["id"] == first.id


def test_plots_follow_the_data_of_any_review(tmp_path: Path) -> None:
    """A review of blood pressure, not HbA1c: the plots are the ones its columns allow, or the ones it declares."""
    from curate.report import PlotSpec, declared_plots, draw_plot, infer_plots
    from curate.review import parse_review

    trial = pd.DataFrame({"paper_id": ["p"] * 3, "row": ["1", "2", "3"], "sbp_before": ["150", "142", "160"], "sbp_after": ["138", "140", "149"], "n_drug": ["20", "21", "19"], "n_placebo": ["20", "20", "18"]})
    visits = pd.DataFrame({"paper_id": ["p"] * 4, "patient": ["1", "1", "2", "2"], "visit": ["0", "1", "0", "1"], "sbp": ["150", "140", "160", "150"], "age": ["50", "50", "61", "61"]})
    specs = infer_plots({"trial.csv": trial, "visits.csv": visits}, pd.DataFrame())
    assert specs == [PlotSpec("paired", "trial.csv", ("sbp_before", "sbp_after")), PlotSpec("arms", "trial.csv", ("n_drug", "n_placebo")), PlotSpec("series", "visits.csv", ("sbp", "visit", "patient")), PlotSpec("reported")]
    review = parse_review('[review]\ntitle = "BP"\n[tables.visits.columns]\npatient = { type = "text" }\nvisit = { type = "integer" }\nsbp = { type = "number" }\n'
                          '[[plots]]\nkind = "per_visit"\ntable = "visits"\nvisit = "visit"\nvalue = "sbp"\npatient = "patient"\n')
    (declared,) = declared_plots(review.plots)
    assert (declared.kind, declared.table, declared.columns[0]) == ("series", "visits.csv", "sbp")
    assert draw_plot(declared, {"visits.csv": visits}, [], {}, pd.DataFrame()).startswith("data:image/svg+xml")


def test_the_plots_a_review_declares_are_the_ones_drawn(built: tuple[Path, Path, Path, Path], tmp_path: Path) -> None:
    from curate.report import declared_plots
    from curate.review import load_review

    review = load_review(ROOT / "examples" / "reviews" / "stemcell-diabetes" / "review.toml")
    build_report(built[3], built[2], FINDINGS, tmp_path / "out", None, declared_plots(review.plots))
    page = _Page((tmp_path / "out" / "report.html").read_text())
    drawn = [alt for alt, src in page.images.items() if src.startswith("data:image/svg+xml")]
    assert drawn == [p.title for p in review.plots] + ["Effect estimates with their 95% CI, as printed", "Reported vs recomputed"]


def test_crops_take_whole_words_and_stay_in_their_column() -> None:
    from curate.report import crop_view

    # two columns: words every 30 pt from 50 to 260, a gutter, then from 300 on
    line = [(x, 100.0, x + 25.0, 110.0) for x in range(50, 260, 30)] + [(x, 100.0, x + 25.0, 110.0) for x in range(300, 540, 30)]
    above = [(50.0, 86.0, 250.0, 96.0)]
    view = crop_view(line + above, (112.0, 100.0, 118.0, 110.0), widen=True)  # a citation marker inside the word at 110
    assert view[0] < 50 + 1 and 255 <= view[2] < 300, "widened along its line up to the gutter, never across it"
    assert view[1] >= 96, "not into the line above"
    cut = crop_view(line, (60.0, 100.0, 95.0, 110.0), widen=False)
    assert cut[0] <= 50 and cut[2] >= 105 and cut[2] <= 110, "whole words at both edges, padding short of the next word"


def test_evidence_of_a_sentence_compared_with_another_papers_table_shows_both(built: tuple[Path, Path, Path, Path]) -> None:
    """A study.* finding points at the sentence; its related row of the other paper's table is
    shown with it (printed row and page region)."""
    papers, frames, mappings = load_sources(built[3], built[2])
    studies = frames["studies.csv"]
    row = int(studies.index[studies["label"].astype(str).str.startswith("Jiang")][0]) + 1
    claims = pd.read_csv(built[2] / "vinski2023" / "claims.csv", dtype=str, keep_default_na=False)
    dose = claims[claims["kind"] == "dose"].iloc[0]
    finding = Finding("study.dose", "warning", "per kg vs absolute", Location("claims.csv", int(dose["index"]), None, int(dose["page"])), "vinski2023",
                      related=(Location("studies.csv", row, None, "5"),))
    ev = evidence_for(finding, papers, frames, mappings)
    assert ev.text == [dose["span"]]
    assert [(p.paper_id, p.cells[0]) for p in ev.printed] == [("zhang2019", studies.loc[row - 1, "label"])]
    assert {r.paper_id for r in ev.regions} == {"vinski2023", "zhang2019"}
