"""The zoo's tables: facts of the three papers plus tables invented here, one neutral form.

A cell's text is what a reader sees: ``^x`` marks a raised ``x`` (a footnote mark, an exponent
such as ``10^6``), printed as a superscript and kept as ``^x`` in the expected CSV, as curate
writes exponents. A minus sign is printed as U+2212 where the font has it and expected as
``-`` (curate normalises minus signs). Invented numbers are computed (n and %, risk ratios
with their 95% CI), so every table is internally consistent.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

FACTS = Path(__file__).resolve().parents[1] / "facts"


@dataclass(frozen=True)
class HeadCell:
    """One printed header cell: its text and the columns it spans (``down``: it also fills the
    header lines below it)."""

    text: str
    span: int = 1
    down: bool = False


@dataclass(frozen=True)
class Spec:
    """A table as printed: header lines, body rows (section rows have text in column 0 only),
    the caption's words after "Table N." and the notes printed under it."""

    key: str
    title: str
    header: tuple[tuple[HeadCell, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    notes: str = ""
    sections: frozenset[int] = field(default_factory=frozenset)

    @property
    def n_cols(self) -> int:
        return sum(c.span for c in self.header[0])

    def header_grid(self) -> list[list[HeadCell | None]]:
        """Header cells placed on a line x column grid; None where a cell above reaches down
        or a span covers the place."""
        grid: list[list[HeadCell | None]] = [[None] * self.n_cols for _ in self.header]
        taken = [[False] * self.n_cols for _ in self.header]
        for level, line in enumerate(self.header):
            col = 0
            for cell in line:
                while taken[level][col]:
                    col += 1
                grid[level][col] = cell
                for lv in range(level, len(self.header) if cell.down else level + 1):
                    for c in range(col, col + cell.span):
                        taken[lv][c] = True
                col += cell.span
        return grid

    def expected(self) -> list[list[str]]:
        """The CSV curate should write: per column its header lines joined with a space (a
        spanning header repeated in each column it spans), then the body rows."""
        columns: list[list[str]] = [[] for _ in range(self.n_cols)]
        for line in self.header_grid():
            for col, cell in enumerate(line):
                if cell is not None and cell.text:
                    for c in range(col, col + cell.span):
                        columns[c].append(cell.text)
        header = [" ".join(parts) for parts in columns]
        return [[plain(c) for c in header], *[[plain(c) for c in row] for row in self.rows]]


def plain(text: str) -> str:
    """The expected form of printed text: minus signs as ASCII."""
    return text.replace("\u2212", "-")


def _simple(key: str, title: str, header: list[str], rows: list[list[str]], notes: str = "") -> Spec:
    return Spec(key, title, (tuple(HeadCell(h) for h in header),), tuple(tuple(r) for r in rows), notes)


def paper_tables() -> list[Spec]:
    """The tables of the three papers (examples/facts), captions shortened to their subject."""
    out = []
    for name in ("vinski2023", "zhang2019", "matsuoka2025"):
        facts = json.loads((FACTS / f"{name}.json").read_text(encoding="utf-8"))
        for n, table in enumerate(facts["tables"], start=1):
            title = table["caption"].split(". ", 1)[1].rstrip(".")
            out.append(_simple(f"{name}-{n}", title, table["header"], table["rows"], table.get("footnote", "")))
    return out


def _pct(n: int, total: int) -> str:
    return f"{n} ({100 * n / total:.1f})"


def baseline() -> Spec:
    """An n (%) baseline table with arm headers and section rows."""
    arms = (384, 377)
    counts = {
        "Women": (203, 196),
        "Current smoker": (71, 64),
        "Type 2 diabetes": (118, 109),
        "Hypertension": (167, 171),
        "Previous myocardial infarction": (29, 33),
        "Statin use^b": (201, 188),
    }
    head = ["Characteristic", f"Intervention (n={arms[0]})", f"Control (n={arms[1]})", f"Total (n={sum(arms)})"]
    rows: list[list[str]] = [["Demographics", "", "", ""], ["Age, years, mean (SD)", "54.2 (9.8)", "53.7 (10.1)", "54.0 (9.9)"]]
    sections = {0}
    for label, (a, b) in counts.items():
        if label == "Type 2 diabetes":
            sections.add(len(rows))
            rows.append(["Clinical history^a", "", "", ""])
        rows.append([label, _pct(a, arms[0]), _pct(b, arms[1]), _pct(a + b, sum(arms))])
    rows.append(["BMI, kg/m^2, median (IQR)", "29.1 (26.0 to 32.8)", "28.8 (25.7 to 32.5)", "29.0 (25.9 to 32.6)"])
    spec = _simple("baseline", "Baseline characteristics of the participants by randomised arm", head, rows,
                   "Data are n (%) unless stated otherwise. ^a Self-reported at enrolment. ^b At randomisation.")
    return Spec(spec.key, spec.title, spec.header, spec.rows, spec.notes, frozenset(sections))


def estimates() -> Spec:
    """Means per arm and differences with 95% CIs, under section rows."""
    head = ["Outcome", "Intervention, mean (SD)", "Control, mean (SD)", "Difference (95% CI)", "P value"]
    rows = [
        ["Primary outcome", "", "", "", ""],
        ["HbA1c, %", "7.1 (1.2)", "7.5 (1.3)", "\u22120.4 (\u22120.6 to \u22120.2)", "<0.001"],
        ["Secondary outcomes", "", "", "", ""],
        ["Fasting glucose, mmol/L", "7.9 (2.1)", "8.4 (2.3)", "\u22120.5 (\u22120.8 to \u22120.2)", "0.002"],
        ["Systolic blood pressure, mm Hg", "131.2 (14.8)", "133.0 (15.1)", "\u22121.8 (\u22123.9 to 0.3)", "0.09"],
        ["Weight, kg^a", "84.6 (15.3)", "85.9 (15.9)", "\u22121.3 (\u22122.6 to \u22120.1)", "0.04*"],
        ["Quality of life score^b", "71.4 (12.0)", "69.8 (12.6)", "1.6 (\u22120.1 to 3.3)", "0.07"],
    ]
    spec = _simple("estimates", "Outcomes at 12 months by arm", head, rows,
                   "* P < 0.05. ^a Measured without shoes. ^b Scale 0 to 100; higher is better.")
    return Spec(spec.key, spec.title, spec.header, spec.rows, spec.notes, frozenset({0, 2}))


def _risk_ratio(a: int, n1: int, c: int, n2: int) -> str:
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    lo, hi = rr * math.exp(-1.96 * se), rr * math.exp(1.96 * se)
    return f"{rr:.2f} ({lo:.2f} to {hi:.2f})"


def subgroups() -> Spec:
    """Two header lines: arm names spanning Events and Total; computed risk ratios."""
    groups = {
        "Age": {"Under 65 years": (31, 212, 45, 208), "65 years or older": (27, 172, 36, 169)},
        "Sex": {"Women": (24, 203, 33, 196), "Men": (34, 181, 48, 181)},
    }
    rows: list[list[str]] = []
    sections = set()
    for section, items in groups.items():
        sections.add(len(rows))
        rows.append([section, "", "", "", "", ""])
        for label, (a, n1, c, n2) in items.items():
            rows.append([label, str(a), str(n1), str(c), str(n2), _risk_ratio(a, n1, c, n2)])
    a, n1, c, n2 = 58, 384, 81, 377
    rows.append(["All participants", str(a), str(n1), str(c), str(n2), _risk_ratio(a, n1, c, n2)])
    header = (
        (HeadCell("Subgroup", down=True), HeadCell("Intervention", 2), HeadCell("Control", 2), HeadCell("Risk ratio (95% CI)", down=True)),
        (HeadCell("Events"), HeadCell("Total"), HeadCell("Events"), HeadCell("Total")),
    )
    return Spec("subgroups", "Primary outcome events by subgroup", header, tuple(tuple(r) for r in rows),
                "Risk ratios are intervention over control; CI from the log risk ratio.", frozenset(sections))


def adverse() -> Spec:
    """Long labels that wrap in a narrow column (each still one row), n (%) per arm."""
    arms = (384, 377)
    counts = {
        "Any adverse event": (211, 198),
        "Serious adverse event leading to hospital admission": (23, 27),
        "Hypoglycaemia requiring assistance from another person": (9, 4),
        "Injection-site reaction": (41, 6),
        "Treatment stopped because of an adverse event": (12, 7),
        "Death from any cause": (3, 4),
    }
    head = ["Event", f"Intervention (n={arms[0]})", f"Control (n={arms[1]})"]
    rows = [[label, _pct(a, arms[0]), _pct(b, arms[1])] for label, (a, b) in counts.items()]
    return _simple("adverse", "Adverse events by arm", head, rows, "Participants with at least one event, n (%).")


def all_tables() -> dict[str, Spec]:
    """Every zoo table by key."""
    specs = [*paper_tables(), baseline(), estimates(), subgroups(), adverse()]
    return {s.key: s for s in specs}
