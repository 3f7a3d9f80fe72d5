"""Adversarial inputs (issue 16): each test builds its bad input itself and asserts a one-line
error, untouched earlier output and writes confined to the output folder."""

from __future__ import annotations

import errno
import io
import json
import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

import curate.extract.output as output
from curate.cli import app
from curate.decisions import read_log, record_decision
from curate.extract.batch import Failure, extract_batch
from curate.extract.errors import PaperIdError
from curate.extract.output import csv_text, frame_csv, recover, write_csv
from curate.extract.paper import extract_paper
from curate.reconcile import ReconcileError, reconcile
from curate.schemas.io import read_table
from tests.conftest import ROOT

runner = CliRunner()

#: Cells a spreadsheet would run as formulas, as a hostile PDF could print them.
FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=already quoted"]
NUMBERS = ["-0.51", "+3", "12", "-1.5e-3", "-", "", "4.2%"]


def _table_pdf(path: Path, cells: list[str]) -> Path:
    """A one-page paper with prose and a booktabs table whose second column holds ``cells``."""
    c = Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 72
    c.setFont("Times-Roman", 11)
    for line in ("Adults with type 2 diabetes were treated.", "Their HbA1c was measured at baseline and after."):
        c.drawString(72, y, line)
        y -= 16
    y -= 24
    c.line(72, y + 12, 470, y + 12)
    c.setFont("Times-Bold", 10)
    for k, head in enumerate(("Patient", "Note", "Age")):
        c.drawString(72 + 140 * k, y, head)
    c.line(72, y - 5, 470, y - 5)
    c.setFont("Times-Roman", 10)
    for r, cell in enumerate(cells):
        y -= 16
        for k, text in enumerate((chr(ord("A") + r), cell, str(50 + r))):
            c.drawString(72 + 140 * k, y, text)
    c.line(72, y - 5, 470, y - 5)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _table_pdf(tmp_path_factory.mktemp("pdf") / "small.pdf", ["first", "second", "third"])


def _one_line_error(result: object) -> str:
    out = result.output  # type: ignore[attr-defined]
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception  # type: ignore[attr-defined]
    assert "Traceback" not in out
    errors = [ln for ln in out.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, out
    return errors[0]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- 1. paper ids and confinement ----------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../escape", "/tmp/abs-escape", ".", "..", "a/b", "", "   ", ".hidden", "x" * 65, "..\\up", "nul\x00l"])
def test_unsafe_paper_id_is_a_one_line_error_and_nothing_is_written(tmp_path: Path, small_pdf: Path, bad: str) -> None:
    out = tmp_path / "work" / "raw"
    out.mkdir(parents=True)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = runner.invoke(app, ["extract", str(small_pdf), "--out", str(out), "--id", bad])
    assert result.exit_code == 2
    assert "paper id" in _one_line_error(result)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/abs-escape").exists()


def test_library_rejects_unsafe_paper_id(tmp_path: Path, small_pdf: Path) -> None:
    with pytest.raises(PaperIdError):
        extract_paper(small_pdf, tmp_path / "raw", paper_id="../curated")
    with pytest.raises(PaperIdError):
        list(extract_batch([small_pdf], tmp_path / "raw", paper_id="a/b"))
    assert not (tmp_path / "curated").exists()


def test_id_naming_a_foreign_folder_keeps_the_users_file(tmp_path: Path, small_pdf: Path) -> None:
    notes = tmp_path / "raw" / "notes"
    notes.mkdir(parents=True)
    (notes / "my_notes.txt").write_text("steward's notes\n")
    result = runner.invoke(app, ["extract", str(small_pdf), "--out", str(tmp_path / "raw"), "--id", "notes"])
    assert result.exit_code == 1
    assert "not written by curate" in _one_line_error(result)
    assert (notes / "my_notes.txt").read_text() == "steward's notes\n"
    assert [p.name for p in notes.iterdir()] == ["my_notes.txt"]


def test_automatic_id_passes_over_a_foreign_folder(tmp_path: Path, small_pdf: Path) -> None:
    first = extract_paper(small_pdf, tmp_path / "probe")
    raw = tmp_path / "raw"
    (raw / first.paper_id).mkdir(parents=True)
    (raw / first.paper_id / "mine.txt").write_text("keep")
    got = extract_paper(small_pdf, raw)
    assert got.paper_id == first.paper_id + "b"
    assert _tree(raw / first.paper_id) == {"mine.txt": b"keep"}


def test_publish_refuses_a_folder_outside_the_output(tmp_path: Path) -> None:
    staged = output.staging_dir(tmp_path / "raw")
    with pytest.raises(ValueError):
        output.publish(staged, tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()


# --- 2. text from the PDF is valid Unicode; internal crashes are not "corrupt PDF" --------------


def test_surrogates_private_use_and_control_characters_are_repaired_and_counted(tmp_path: Path, small_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import curate.extract.paper as paper

    real = paper.extract_tables

    def dirty(*args: object, **kw: object) -> list:
        tables = real(*args, **kw)  # type: ignore[arg-type]
        tables[0].rows[0][1] = "bad \ud83d half \ue001 glyph \x07 bell"
        return tables

    monkeypatch.setattr(paper, "extract_tables", dirty)
    got = extract_paper(small_pdf, tmp_path / "raw")
    text = (got.folder / "tables" / "table_1.csv").read_bytes().decode("utf-8")
    assert "bad \N{REPLACEMENT CHARACTER} half \N{REPLACEMENT CHARACTER} glyph  bell" in text
    warnings = " | ".join(json.loads((got.folder / "manifest.json").read_text())["warnings"])
    assert "1 characters of invalid Unicode" in warnings and "1 characters of private-use" in warnings and "1 control characters" in warnings


@pytest.mark.parametrize(("crash", "said"), [(ModuleNotFoundError("No module named 'cv2'"), "package is missing"), (TypeError("unsupported operand"), "internal error")])
def test_internal_crash_is_not_called_a_corrupt_pdf(tmp_path: Path, small_pdf: Path, monkeypatch: pytest.MonkeyPatch, crash: Exception, said: str) -> None:
    import curate.extract.paper as paper

    def boom(*args: object, **kw: object) -> None:
        raise crash

    monkeypatch.setattr(paper, "extract_tables", boom)
    (outcome,) = extract_batch([small_pdf], tmp_path / "raw", timeout=None)
    assert isinstance(outcome, Failure)
    assert said in outcome.message and "corrupt" not in outcome.message
    assert "\n" not in outcome.message


# --- 3. spreadsheet formulas, Markdown HTML, rich markup -------------------------------------


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(tmp_path: Path) -> None:
    import csv

    path = tmp_path / "t.csv"
    write_csv(path, [["h1"], *[[c] for c in FORMULAS + NUMBERS]])
    cells = [r[0] for r in csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline=""))][1:]
    for raw_cell, cell in zip(FORMULAS, cells):
        assert cell.startswith("'"), (raw_cell, cell)
    assert cells[len(FORMULAS) :] == NUMBERS
    # the one reader gives back what was written (a carriage return is a control character: dropped)
    assert [r[0] for r in read_table(path).rows] == [c.replace("\r", "") for c in FORMULAS] + NUMBERS


def test_formula_cells_from_a_pdf_are_neutralised_in_the_table_csv(tmp_path: Path) -> None:
    pdf = _table_pdf(tmp_path / "inject.pdf", ["=1+2", "@SUM(A1)", "-0.51", "+cmd|calc"])
    got = extract_paper(pdf, tmp_path / "raw")
    import csv

    rows = list(csv.reader((got.folder / "tables" / "table_1.csv").open(newline="")))
    column = [r[1] for r in rows[1:]]
    assert column == ["'=1+2", "'@SUM(A1)", "-0.51", "'+cmd|calc"]


def test_dataframe_csvs_share_the_guard() -> None:
    import pandas as pd

    frame = pd.DataFrame({"a": ["=cmd", "x"], "b": [-0.51, None]})
    assert frame_csv(frame) == csv_text([["a", "b"], ["=cmd", -0.51], ["x", None]]) == "a,b\n'=cmd,-0.51\nx,\n"


def test_decision_note_with_a_formula_is_guarded_and_read_back_as_written(tmp_path: Path) -> None:
    record_decision(tmp_path, "x.y-1", "reject", note="=HYPERLINK(\"http://evil\")", force=True)
    assert "'=HYPERLINK" in (tmp_path / "decisions.csv").read_text()
    assert read_log(tmp_path)[0].note == "=HYPERLINK(\"http://evil\")"


@pytest.mark.parametrize("name", ["Smith 2020 [supplement].pdf", "nope[/b].pdf", "[bold red]x[/].pdf"])
def test_file_names_with_markup_are_printed_as_they_are(tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / name), "--out", str(tmp_path / "raw")])
    assert result.exit_code == 1
    assert name in _one_line_error(result)


def test_decide_fix_with_markup_records_once_and_prints_it(tmp_path: Path) -> None:
    args = ["decide", "x.y-1", "--fix", "[/b]", "--force", "--folder", str(tmp_path)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "[/b]" in first.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    assert [d.value for d in read_log(tmp_path)] == ["[/b]"]


def test_markdown_text_from_a_pdf_carries_no_raw_html() -> None:
    from curate.report import _md_cell, _md_text

    for text in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a & <b>b</b>"):
        assert "<" not in _md_text(text) and "<" not in _md_cell(text)


# --- 4. damaged files read back: findings or one-line errors --------------------------------


@pytest.fixture()
def curated(tmp_path: Path) -> Path:
    target = tmp_path / "curated"
    shutil.copytree(ROOT / "curated", target)
    return target


def _damage_duplicate_column(folder: Path) -> None:
    text = (folder / "papers.csv").read_text().split("\n", 1)
    (folder / "papers.csv").write_text(text[0].replace("title", "paper_id") + "\n" + text[1])


def _damage_folder(folder: Path) -> None:
    (folder / "patients.csv").unlink()
    (folder / "patients.csv").mkdir()


def _damage_ragged_review(folder: Path) -> None:
    with (folder / "match_review.csv").open("a") as fh:
        fh.write("only,three,fields\n")


def _damage_review_score(folder: Path) -> None:
    (folder / "match_review.csv").write_text("finding_id,score,key_a,key_b,entry_a,entry_b,reasons\nworks.x-1,high,a#1,b#2,,,\n")


def _damage_review_header(folder: Path) -> None:
    (folder / "match_review.csv").write_text("who,what\nme,this\n")


DAMAGE = {
    "duplicate_column": _damage_duplicate_column,
    "folder_named_csv": _damage_folder,
    "ragged_match_review": _damage_ragged_review,
    "non_numeric_score": _damage_review_score,
    "wrong_headers": _damage_review_header,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_curated_file_is_a_finding_and_json_stays_json(curated: Path, damage: str) -> None:
    DAMAGE[damage](curated)
    result = runner.invoke(app, ["validate", str(curated), "--format", "json"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    findings = json.loads(result.stdout)
    assert any(f["severity"] == "error" and f["check"].startswith(("file.", "schema.")) for f in findings)
    table = runner.invoke(app, ["validate", str(curated)])
    assert table.exit_code == 1 and isinstance(table.exception, SystemExit), table.exception


@pytest.mark.parametrize("damage", ["ragged_match_review", "wrong_headers", "folder_named_csv"])
def test_reconcile_over_a_damaged_curated_folder_is_a_one_line_error(curated: Path, damage: str) -> None:
    DAMAGE[damage](curated)
    before = _tree(curated)
    result = runner.invoke(app, ["reconcile", str(ROOT / "raw"), "--out", str(curated), "--mappings", str(curated / "mappings")])
    assert result.exit_code == 1
    _one_line_error(result)
    assert _tree(curated) == before


def test_bad_decisions_log_keeps_validate_json_json(curated: Path) -> None:
    (curated / "decisions.csv").write_text("finding_id,decision\nx,maybe\n")
    result = runner.invoke(app, ["validate", str(curated), "--format", "json"])
    assert result.exit_code == 1
    assert any(f["check"] == "file.decisions" for f in json.loads(result.stdout))


def test_export_of_a_damaged_registry_is_a_one_line_error(curated: Path, tmp_path: Path) -> None:
    (curated / "works.csv").write_text("work_id\nw1,extra\n")
    result = runner.invoke(app, ["export", str(tmp_path / "w.bib"), "--curated", str(curated)])
    assert result.exit_code == 1
    assert "works.csv" in _one_line_error(result)


# --- 5. batch robustness, killed runs, full disk ---------------------------------------------


def _slow_or_dying_stage(real):  # type: ignore[no-untyped-def]
    def stage(path: Path, out: Path, settings: object = None, progress: object = None):  # type: ignore[no-untyped-def]
        if path.name.startswith("hang"):
            time.sleep(60)
        if path.name.startswith("die"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, out, settings)

    return stage


def test_a_hung_pdf_is_stopped_and_a_dead_worker_costs_only_its_file(tmp_path: Path, small_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import curate.extract.batch as batch

    monkeypatch.setattr(batch, "stage", _slow_or_dying_stage(batch.stage))
    pdfs = [shutil.copy(small_pdf, tmp_path / name) for name in ("hang.pdf", "die.pdf", "good.pdf")]
    started = time.monotonic()
    outcomes = list(extract_batch([Path(p) for p in pdfs], tmp_path / "raw", jobs=2, timeout=3))
    assert time.monotonic() - started < 30
    hang, die, good = outcomes
    assert isinstance(hang, Failure) and "longer than 3 s" in hang.message
    assert isinstance(die, Failure) and "died" in die.message
    assert not isinstance(good, Failure)
    assert [p.name for p in (tmp_path / "raw").iterdir()] == [good.paper_id]  # no staging debris


def test_leftovers_of_a_killed_run_are_never_papers_and_are_cleaned(tmp_path: Path, small_pdf: Path) -> None:
    raw = tmp_path / "raw"
    got = extract_paper(small_pdf, raw)
    dead = 2**22 + 12345  # above Linux's default pid_max: no such process
    shutil.copytree(got.folder, raw / f".staging-{dead}-{dead}-abc")
    shutil.copytree(got.folder, raw / f".{got.paper_id}b.old-{dead}")  # moved aside, never replaced
    out = tmp_path / "curated"
    reconcile(raw, out, tmp_path / "no-mappings")
    assert (out / "papers.csv").read_text().count("\n") == 2  # header + the one paper
    recover(raw)
    assert sorted(p.name for p in raw.iterdir()) == sorted([got.paper_id, got.paper_id + "b"])


def test_workers_die_with_the_command(tmp_path: Path, small_pdf: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    script = textwrap.dedent(
        f"""
        import os, time
        from pathlib import Path
        import curate.extract.batch as batch
        def stage(path, out, settings=None, progress=None):
            Path({str(pids)!r}, str(os.getpid())).touch()
            time.sleep(120)
        batch.stage = stage
        list(batch.extract_batch([Path({str(small_pdf)!r})] * 2, Path({str(tmp_path / 'raw')!r}), jobs=2, timeout=300))
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class _FullDisk:
    """Monkeypatches file writes in ``curate.extract.output`` to fail with ENOSPC after ``allow`` writes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, allow: int = 0, code: int = errno.ENOSPC) -> None:
        self.left = allow
        real = os.fdopen

        def fdopen(fd: int, *args: object, **kw: object):  # type: ignore[no-untyped-def]
            fh = real(fd, *args, **kw)  # type: ignore[arg-type]
            if self.left <= 0:
                fh.close()
                raise OSError(code, os.strerror(code))
            self.left -= 1
            return fh

        monkeypatch.setattr(output.os, "fdopen", fdopen)


@pytest.mark.parametrize("allow", [0, 3])
def test_reconcile_on_a_full_disk_changes_nothing_and_reruns(curated: Path, monkeypatch: pytest.MonkeyPatch, allow: int) -> None:
    raw, mappings = ROOT / "raw", curated / "mappings"
    before = _tree(curated)
    with monkeypatch.context() as m:
        _FullDisk(m, allow)
        result = runner.invoke(app, ["reconcile", str(raw), "--out", str(curated), "--mappings", str(mappings)])
    assert result.exit_code == 1
    assert "no space left" in _one_line_error(result)
    assert _tree(curated) == before
    assert reconcile(raw, curated, mappings).written  # no --force needed after the space is freed


def test_reconcile_stopped_between_its_renames_runs_again(curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import curate.store as store

    real, calls = store.put_in_place, []

    def stop_after_two(tmp: Path, path: Path) -> None:
        calls.append(path)
        if len(calls) > 2:
            raise KeyboardInterrupt  # the process is stopped mid-way
        real(tmp, path)

    (curated / "papers.csv").write_text((curated / "papers.csv").read_text())  # unchanged content
    with monkeypatch.context() as m:
        m.setattr(store, "put_in_place", stop_after_two)
        with pytest.raises(KeyboardInterrupt):
            reconcile(ROOT / "raw", curated, curated / "mappings")
    assert reconcile(ROOT / "raw", curated, curated / "mappings").written


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_decide_on_a_full_disk_or_read_only_folder_is_one_line_and_keeps_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    record_decision(tmp_path, "x.y-1", "accept", force=True)
    before = (tmp_path / "decisions.csv").read_bytes()
    _FullDisk(monkeypatch, 0, code)
    result = runner.invoke(app, ["decide", "x.y-2", "--reject", "--force", "--folder", str(tmp_path)])
    assert result.exit_code == 1
    assert "decisions.csv: cannot write" in _one_line_error(result)
    assert (tmp_path / "decisions.csv").read_bytes() == before


def test_export_to_a_full_disk_is_one_line(curated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _FullDisk(monkeypatch)
    result = runner.invoke(app, ["export", str(tmp_path / "w.ris"), "--curated", str(curated)])
    assert result.exit_code == 1
    assert "no space left" in _one_line_error(result)
    assert not (tmp_path / "w.ris").exists()


def test_extract_on_a_full_disk_is_one_line_and_keeps_the_earlier_output(tmp_path: Path, small_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    extract_paper(small_pdf, raw)
    before = _tree(raw)
    _FullDisk(monkeypatch)
    result = runner.invoke(app, ["extract", str(small_pdf), "--out", str(raw)])
    assert result.exit_code == 1
    assert "no space left" in _one_line_error(result)
    assert _tree(raw) == before


def _decide(folder: Path, n: int) -> None:
    record_decision(folder, f"x.y-{n}", "accept", force=True)


def test_concurrent_decisions_all_land(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_decide, args=(tmp_path, n)) for n in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    assert sorted(d.finding_id for d in read_log(tmp_path)) == [f"x.y-{n}" for n in range(6)]


def test_reconcile_error_names_a_damaged_raw_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    paper = sorted(p for p in raw.iterdir() if p.is_dir())[0]
    (paper / "references.csv").write_text("index,raw\n1,a,b\n")
    with pytest.raises(ReconcileError, match="references.csv"):
        reconcile(raw, tmp_path / "curated", ROOT / "curated" / "mappings")


# --- 6. time independent of a page's size in points ------------------------------------------


def test_column_gutter_search_does_not_walk_every_point_of_a_wide_page(tmp_path: Path) -> None:
    from curate.extract.references import _gutter

    rows = [[(50.0, 60_000.0), (80_000.0, 140_000.0)] for _ in range(30)]
    started = time.perf_counter()
    assert _gutter(rows, 144_000.0) == 70_000.0  # the middle of the gap between the columns
    assert time.perf_counter() - started < 1.0  # walking every point took ~10 s
    narrow = [[(a / 240, b / 240) for a, b in spans] for spans in rows]
    assert _gutter(narrow, 600.0) == 292.0  # whole points 251-333


@pytest.mark.parametrize("damaged", ["claims.csv", "references.csv", "tables/table_1.csv"])
def test_damaged_raw_file_under_validate_is_a_finding(tmp_path: Path, damaged: str) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    shutil.copytree(ROOT / "curated", tmp_path / "curated")
    paper = sorted(p for p in raw.iterdir() if (p / "tables" / "table_1.csv").exists())[0]
    (paper / damaged).write_text("x,x\n1,2,3\n\xff\n")
    result = runner.invoke(app, ["validate", str(tmp_path / "curated"), "--raw", str(raw), "--format", "json"])
    assert isinstance(result.exception, SystemExit), result.exception
    json.loads(result.stdout)


def test_a_printed_table_with_ragged_rows_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "table_1.csv"
    write_csv(path, [["Patient", "Age"], ["A", "50", "note"], ["B"], ["-0.5 (-1.2 to 0.3)", "=1"]])
    table = read_table(path, rectangular=False)
    assert table.damage == [] and table.rows == [["A", "50", "note"], ["B"], ["-0.5 (-1.2 to 0.3)", "=1"]]
    assert [d.check for d in read_table(path).damage] == ["file.ragged_row", "file.ragged_row"]


def test_extract_with_no_space_for_its_page_store_is_one_line_and_keeps_the_earlier_output(tmp_path: Path, small_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's lines wait on disk in the staging folder (extract.pagestore) while a paper is
    extracted: a full disk there is the same one-line error, and nothing is left behind."""
    from curate.extract import pagestore

    raw = tmp_path / "raw"
    extract_paper(small_pdf, raw)
    before = _tree(raw)

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pagestore, "os", SimpleNamespace(**{**vars(os), "write": full}))  # this module's writes only
    result = runner.invoke(app, ["extract", str(small_pdf), "--out", str(raw)])
    assert result.exit_code == 1
    error = _one_line_error(result)
    assert ".pages: cannot write (no space left" in error, error
    assert _tree(raw) == before
    assert not list(raw.glob(".staging-*"))
