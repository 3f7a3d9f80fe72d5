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

Run: ``python benchmarks/bench_checks.py`` (prints one line per paper and the totals).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "checkable"
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


def gold(paper_json: Path) -> dict:
    return json.loads(paper_json.read_text(encoding="utf-8"))


def _norm(printed: str) -> str:
    return printed.strip().replace("−", "-").replace("–", "-").lower()


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


def extract(truths: list[dict], out: Path) -> None:
    """Each annotated paper's PDF into ``out/<paper>/``, as ``curate extract`` would."""
    from curate.extract.paper import extract_paper

    for truth in truths:
        extract_paper(next((CORPUS / truth["pdf"]).glob("*.pdf")), out, truth["paper"])


def main() -> None:
    truths = [gold(p) for p in sorted(GOLD.glob("*.json"))]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        extract(truths, raw)
        scores = [score(raw, t) for t in truths]
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


if __name__ == "__main__":
    main()
