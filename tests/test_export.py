"""Exports other tools read: BibTeX (parsed with bibtexparser), RIS (rispy), CSL-JSON, effects.csv, xlsx."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pandas as pd
import rispy
from openpyxl import load_workbook
from typer.testing import CliRunner

from curate.cli import app
from curate.export import EFFECT_COLUMNS, bibtex_value, effects_table, export, to_bibtex, to_csljson, to_ris, works_with_authors

runner = CliRunner()

#: A work whose fields hold what breaks naive writers: LaTeX specials, braces, a line break and a forged RIS tag.
TRICKY = {
    "work_id": "w_tricky", "first_author": "O'Brien", "year": "2020",
    "authors": "O'Brien, J.; van der Berg, A. B.; Müller, C.; Smith & Sons, D.",
    "title": "HbA1c & C-peptide: 50% of {MSC} #1 cells_x in $\\alpha$ } cases\nER  - \nTY  - JOUR\nTI  - forged",
    "venue": "J. Cell_Ther.", "volume": "3", "issue": "2", "pages": "1-9", "doi": "10.1/x_y%z",
}



def _works(curated: Path) -> pd.DataFrame:
    works = works_with_authors(curated)
    return pd.concat([works, pd.DataFrame([TRICKY])], ignore_index=True).fillna("")


def test_bibtex_parses_with_every_author_and_escaped_values(curated: Path) -> None:
    works = _works(curated)
    parser = bibtexparser.bparser.BibTexParser(common_strings=True)
    entries = {e["ID"]: e for e in bibtexparser.loads(to_bibtex(works), parser=parser).entries}
    assert set(entries) == set(works["work_id"]), "every work is one record that parses"
    entries_csv = pd.read_csv(curated / "references.csv", dtype=str, keep_default_na=False)
    most = entries_csv.assign(n=entries_csv["authors"].str.count(";") + 1).groupby("work_id")["n"].max()
    for work, n in most.items():
        assert len(entries[work]["author"].split(" and ")) == n, work
    tricky = entries["w_tricky"]
    assert tricky["author"].split(" and ") == ["O'Brien, J.", "van der Berg, A. B.", "Müller, C.", "Smith \\& Sons, D."]
    assert "\\&" in tricky["title"] and "50\\%" in tricky["title"] and "\\#1" in tricky["title"] and "cells\\_x" in tricky["title"]
    assert "\\textbraceright{}" in tricky["title"] and "{MSC}" not in tricky["title"], "an unbalanced brace is spelled out"
    assert tricky["pages"] == "1--9" and tricky["number"] == "2"
    assert bibtex_value("{MSC} cells") == "{MSC} cells", "balanced braces (protected capitals) are kept"


def test_ris_has_every_author_and_no_forged_record(curated: Path) -> None:
    works = _works(curated)
    records = rispy.loads(to_ris(works))
    assert len(records) == len(works)
    tricky = next(r for r in records if r["id"] == "w_tricky")
    assert tricky["authors"] == ["O'Brien, J.", "van der Berg, A. B.", "Müller, C.", "Smith & Sons, D."]
    assert tricky["title"].startswith("HbA1c & C-peptide") and "forged" in tricky["title"], "the line break stays inside the title"
    assert (tricky["start_page"], tricky["end_page"], tricky["number"]) == ("1", "9", "2")


def test_csl_json_is_what_zotero_imports(curated: Path) -> None:
    items = json.loads(to_csljson(_works(curated)))
    tricky = next(i for i in items if i["id"] == "w_tricky")
    assert tricky["type"] == "article-journal" and tricky["issued"] == {"date-parts": [[2020]]}
    assert [a.get("family") for a in tricky["author"]] == ["O'Brien", "van der Berg", "Müller", "Smith & Sons"]
    assert all(i["author"] for i in items if i["id"] != "w_tricky")


def test_effects_csv_has_every_printed_estimate_as_numbers(curated: Path, tmp_path: Path) -> None:
    raw = curated.parent / "raw"
    claims = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(raw.glob("*/claims.csv"))])
    printed = claims[claims["kind"] == "effect"]
    out = tmp_path / "effects.csv"
    assert export(curated, out, "effects", raw=raw, excel=True) == len(printed) > 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf"), "--excel: a byte-order mark first"
    effects = pd.read_csv(out, encoding="utf-8-sig")
    assert tuple(effects.columns) == EFFECT_COLUMNS
    for column in ("estimate", "ci_lower", "ci_upper", "page"):
        assert pd.api.types.is_numeric_dtype(effects[column]), column
    assert (effects["ci_lower"] <= effects["estimate"]).all() and (effects["estimate"] <= effects["ci_upper"]).all()
    first = json.loads(printed.iloc[0]["values"])
    assert effects.iloc[0]["estimate"] == float(first["est"]) and effects.iloc[0]["measure"] == first["measure"]
    assert not out.read_bytes()[3:].startswith(b"\xef\xbb\xbf") and export(curated, tmp_path / "plain.csv", "effects", raw=raw) == len(printed)
    assert not (tmp_path / "plain.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_effects_link_to_the_included_study_their_sentence_cites(tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    (raw / "p2020").mkdir(parents=True)
    curated.mkdir()
    (raw / "p2020" / "claims.csv").write_text(
        "claim_id,page,kind,subject,values,span,refs\n"
        'c1,4,effect,sbp,"{""measure"": ""OR"", ""est"": ""1.8"", ""lo"": ""1.1"", ""hi"": ""2.9"", ""pq"": ""="", ""p"": ""0.02""}","OR 1.8 (95% CI 1.1-2.9)",7\n'
        'c2,5,effect,sbp,"{""measure"": ""MD"", ""est"": ""n/a""}",x,\n'
    )
    (curated / "references.csv").write_text("paper_id,index,work_id\np2020,7,w_a\n")
    (curated / "studies.csv").write_text("paper_id,table,page,row,label,work_id,n_drug,n_placebo\np2020,1,3,1,Lee 2019 [7],w_a,40,38\n")
    (row,) = effects_table(raw, curated).to_dict("records")
    assert (row["study"], row["arm_1"], row["n_1"], row["arm_2"], row["n_2"]) == ("Lee 2019 [7]", "drug", 40, "placebo", 38)
    assert (row["estimate"], row["ci_lower"], row["ci_upper"], row["p_value"], row["p_qualifier"], row["page"]) == (1.8, 1.1, 2.9, 0.02, "", 4)


def test_xlsx_has_a_sheet_per_table_and_the_findings_with_typed_cells(curated: Path, tmp_path: Path) -> None:
    (curated / "notes.csv").write_text("paper_id,pages,code,formula,value\nmatsuoka2025,1-9,007,=1+1,-3.46\n")
    out = tmp_path / "dataset.xlsx"
    result = runner.invoke(app, ["export", str(out), "--curated", str(curated)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert set(book.sheetnames) == {p.stem for p in curated.glob("*.csv")} | {"findings"}
    notes = [c.value for c in book["notes"][2]]
    assert notes == ["matsuoka2025", "1-9", "007", "=1+1", -3.46], "numbers as numbers; pages, codes and formulas as text"
    assert book["notes"]["D2"].data_type == "s"
    patients = book["patients"]
    header = [c.value for c in patients[1]]
    assert isinstance(patients.cell(2, header.index("age") + 1).value, int)
    findings = book["findings"]
    assert findings.max_row - 1 == len(json.loads(runner.invoke(app, ["validate", str(curated), "--format", "json"]).stdout))


def test_export_command_explains_misuse_in_one_line(curated: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "works.txt"), "--curated", str(curated)])
    assert result.exit_code == 2 and "unknown extension" in result.output
    result = runner.invoke(app, ["export", str(tmp_path / "works.bib"), "--curated", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "works.csv: not found" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "works.bib").exists()
    result = runner.invoke(app, ["export", str(tmp_path / "works.json"), "--curated", str(curated)])
    assert result.exit_code == 0 and json.loads((tmp_path / "works.json").read_text())
