"""Checks with no configuration on real papers: recall of checkable numbers, precision of alarms.

The truth is hand-annotated in ``tests/checkable/<paper>.json`` (facts only: every checkable
number of the paper's results section and tables, as printed, with its page and kind; and the
real inconsistencies the paper contains). Each paper's PDF (``../shared/corpus/pdfs``) is
extracted with no mapping and no curated file, then:

* recall: the share of annotated numbers that curate reads as a checkable value on their page
  (a claim of the text holding that number, or a typed table cell: n (%), mean (SD), ...);
* precision: of the error and warning findings of the checks that need no configuration
  (table arithmetic, text against tables and itself, the claims' own arithmetic), the share
  that point at an annotated inconsistency; citation findings are counted apart.

Then every corpus article PDF is checked the same way and each of its error and warning
findings (numbers and citations alike) is looked up in ``tests/checkable/alarms.json``, where
each was classified by hand as a true or a false alarm: precision on real papers is the share
of true ones (an alarm nobody classified counts as false).

Run: ``python benchmarks/bench_checks.py`` (prints one line per paper and the totals).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "checkable"
ALARMS = GOLD / "alarms.json"
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from curate.cells import read_cell  # noqa: E402
from curate.checks import _claims, effects, parts_vs_whole, proportions, references, shares  # noqa: E402
from curate.findings import Finding  # noqa: E402
from curate.tablechecks import read_tables, table_checks  # noqa: E402
from curate.textchecks import text_checks  # noqa: E402


@dataclass(slots=True)
class Score:
    """One paper's figures."""

    paper: str
    annotated: int
    captured: int
    alarms: int
    true_alarms: int
    issues: int
    issues_found: int
    citation_alarms: int
    missed: list[str]
    false: list[str]


@dataclass(slots=True)
class Verdicts:
    """One corpus paper's error and warning findings against their hand classification."""

    paper: str
    alarms: int
    true: list[str]
    false: list[str]
    unclassified: list[str]


def gold(paper_json: Path) -> dict:
    return json.loads(paper_json.read_text(encoding="utf-8"))


def truths() -> list[dict]:
    """The hand-annotated papers (every checkable number of a results section and its tables)."""
    return [gold(p) for p in sorted(GOLD.glob("*.json")) if p != ALARMS]


def corpus() -> dict[str, Path]:
    """Every corpus article's folder by paper id (the folder name up to its first '_')."""
    return {d.name.split("_")[0]: d for d in sorted(CORPUS.iterdir()) if d.is_dir() and any(d.glob("*.pdf"))}


def _norm(printed: str) -> str:
    """A printed number compared as printed, its digit-group spaces and a plus sign aside ('10 395' as '10395', '+2.0' as '2.0')."""
    return re.sub(r"(?<=\d)[ \u2009\u202f](?=\d{3}\b)", "", printed.strip()).replace("−", "-").replace("–", "-").lower().removeprefix("+")


def captured_numbers(raw: Path, paper: str) -> dict[int, Counter[str]]:
    """Per page, the numbers curate reads as checkable values (claims' values, typed table cells)."""
    found: dict[int, Counter[str]] = {}
    claims_path = raw / paper / "claims.csv"
    if claims_path.exists():
        for row in pd.read_csv(claims_path, dtype=str, keep_default_na=False).itertuples():
            values = json.loads(row.values)
            found.setdefault(int(row.page), Counter()).update(_norm(v) for k, v in values.items() if any(ch.isdigit() for ch in v) or k in ("n", "x", "a", "b"))
    for table in read_tables(raw):
        if table.paper != paper or table.page is None:
            continue
        for _, cells in table.rows:
            for text in cells[1:]:
                cell = read_cell(text)
                found.setdefault(int(table.page), Counter()).update(_norm(p.printed) for p in cell.parts.values())
    return found


def no_config_findings(raw: Path) -> tuple[list[Finding], list[Finding]]:
    """(number findings, citation findings) of every check that needs no mapping or curated file."""
    claims = _claims(raw)
    numbers = table_checks(raw) + text_checks(raw)
    for rule in (parts_vs_whole, effects, proportions, shares):
        numbers.extend(rule(claims))
    return numbers, list(references(raw))


def _matches(finding: Finding, issue: dict) -> bool:
    return finding.check == issue["check"] and finding.location.page == issue["page"] and all(v in finding.message for v in issue["values"])


def classify(raw: Path, papers: list[str]) -> list[Verdicts]:
    """Each paper's error and warning findings (numbers and citations) against ``alarms.json``."""
    verdicts = gold(ALARMS)["papers"]
    numbers, citations = no_config_findings(raw)
    out = []
    for paper in papers:
        alarms = [f for f in numbers + citations if f.paper_id == paper and f.severity != "info"]
        known = verdicts.get(paper, [])
        by_verdict: dict[str, list[str]] = {"true": [], "false": [], "": []}
        for f in alarms:
            entry = next((e for e in known if _matches(f, e)), None)
            by_verdict[entry["verdict"] if entry else ""].append(f"{f.check} p{f.location.page}: {f.message}")
        out.append(Verdicts(paper, len(alarms), by_verdict["true"], by_verdict["false"], by_verdict[""]))
    return out


def score(raw: Path, truth: dict) -> Score:
    """Recall of the annotated numbers and precision of the alarms for one extracted paper."""
    paper = truth["paper"]
    found = captured_numbers(raw, paper)
    missed = []
    for number in truth["numbers"]:
        pool = found.get(number["page"], Counter())
        key = _norm(number["value"])
        if pool[key] > 0:
            pool[key] -= 1
        else:
            missed.append(f"p{number['page']} {number['kind']} {number['value']}")
    numbers, citations = no_config_findings(raw)
    alarms = [f for f in numbers if f.paper_id == paper and f.severity != "info"]
    true = [f for f in alarms if any(_matches(f, issue) for issue in truth["issues"])]
    found_issues = [i for i in truth["issues"] if any(_matches(f, i) for f in alarms)]
    cites = [f for f in citations if f.paper_id == paper and f.severity != "info"]
    return Score(paper, len(truth["numbers"]), len(truth["numbers"]) - len(missed), len(alarms), len(true), len(truth["issues"]), len(found_issues), len(cites), missed, [f.message for f in alarms if f not in true])


def extract(papers: dict[str, Path], out: Path) -> None:
    """Each corpus paper's PDF into ``out/<paper>/``, as ``curate extract`` would."""
    from curate.extract.paper import extract_paper

    for paper, folder in papers.items():
        extract_paper(next(folder.glob("*.pdf")), out, paper)


def main() -> None:
    annotated, papers = truths(), corpus()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        extract(papers, raw)
        scores = [score(raw, t) for t in annotated]
        verdicts = classify(raw, list(papers))
    print(f"{'paper':<18} {'numbers':>8} {'read':>5} {'recall':>7} {'alarms':>7} {'true':>5} {'precision':>9} {'issues found':>13} {'citation alarms':>16}")
    for s in scores:
        precision = s.true_alarms / s.alarms if s.alarms else 1.0
        print(f"{s.paper:<18} {s.annotated:>8} {s.captured:>5} {s.captured / s.annotated:>7.2f} {s.alarms:>7} {s.true_alarms:>5} {precision:>9.2f} {f'{s.issues_found}/{s.issues}':>13} {s.citation_alarms:>16}")
    n, c = sum(s.annotated for s in scores), sum(s.captured for s in scores)
    a, t = sum(s.alarms for s in scores), sum(s.true_alarms for s in scores)
    i, fi = sum(s.issues for s in scores), sum(s.issues_found for s in scores)
    print(f"{'total':<18} {n:>8} {c:>5} {c / n:>7.2f} {a:>7} {t:>5} {(t / a if a else 1.0):>9.2f} {f'{fi}/{i}':>13} {sum(s.citation_alarms for s in scores):>16}")
    print("goals: recall >= 0.85, precision >= 0.90, every annotated issue found")
    for s in scores:
        for m in s.missed:
            print(f"  missed  {s.paper} {m}")
        for f in s.false:
            print(f"  false   {s.paper} {f}")
    print(f"\nevery corpus article, error and warning findings classified by hand ({ALARMS.relative_to(ROOT)})")
    print(f"{'paper':<18} {'alarms':>7} {'true':>5} {'false':>6} {'unclassified':>13} {'precision':>9}")
    for v in verdicts:
        print(f"{v.paper:<18} {v.alarms:>7} {len(v.true):>5} {len(v.false):>6} {len(v.unclassified):>13} {(len(v.true) / v.alarms if v.alarms else 1.0):>9.2f}")
    a, t = sum(v.alarms for v in verdicts), sum(len(v.true) for v in verdicts)
    print(f"{'total':<18} {a:>7} {t:>5} {sum(len(v.false) for v in verdicts):>6} {sum(len(v.unclassified) for v in verdicts):>13} {(t / a if a else 1.0):>9.2f}")
    for v in verdicts:
        for line in v.false:
            print(f"  false         {v.paper} {line}")
        for line in v.unclassified:
            print(f"  unclassified  {v.paper} {line}")


if __name__ == "__main__":
    main()
