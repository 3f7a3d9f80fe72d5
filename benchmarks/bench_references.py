"""Reference parsing and splitting benchmark: curate's rule-based parser against gold, with refextract.

Run from anywhere::

    python benchmarks/bench_references.py [--sample N] [--seed 7] [--no-refextract]

Parsing (one printed reference string in, fields out) is scored on three gold sets from
``../shared/corpus``:

* AnyStyle ``references/anystyle/gold.xml``: hand-labelled token spans; the raw string is the
  sequence's text, gold fields are ``author``, the year in ``date``, ``title`` and the venue
  (``journal`` or ``container-title``);
* JATS ``references/jats/*.xml``: every ``<mixed-citation>`` that carries its printed
  punctuation (flattened text is the raw string; tag-only citations are skipped, they were never
  printed strings); gold ``article-title``/``chapter-title``, ``source`` (for a book, with no
  article title, the source is the title and there is no venue, as AnyStyle labels books),
  ``year`` and the printed span from the first to the last author name;
* Tully ``pdfs/tully2010_rehabilrespract``: CERMINE's 17 parsed references (a peer tool's
  expected output), scored on its mixed-citation strings and, separately, on what curate reads
  from the PDF itself.

Fields compared: author (the printed author list), year, title and venue. Exact means equal
after normalisation (case, accents, punctuation and whitespace folded, a leading "In" dropped);
soft means rapidfuzz ``ratio`` >= 90 on the same normalised strings. Per field: precision over
the fields a tool filled, recall over the fields the gold has, F1. Instance accuracy: all four
fields right (an empty field is right when the gold is empty too). Where the gold names people
(JATS, CERMINE), the parsed surnames are also compared as a list.

refextract (INSPIRE's reference extractor) runs on the same strings in a private virtualenv
that this script creates under ``~/.cache/curate-bench`` (so that its dependencies never touch
the project's); if it cannot be installed, that is printed and the benchmark goes on. It has
no venue for journals outside its physics knowledge base, which its venue figures reflect.

Splitting is reported on the PDFs: the Datta reference list against CERMINE's 79 expected
strings (found, exact, split, merged), entry counts on the three papers, and counts against
GROBID's silver output where one exists. curate parses all 1,669 AnyStyle strings; both tools
parse a fixed-seed sample of 200 (``--sample``, ``--seed``), since refextract needs about 0.15 s
a string (and 10 s to load its knowledge bases, so it gets all strings in one call). The whole
run takes about two minutes here, refextract's first install excluded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from curate.extract.references import author_span, extract_references, parse_reference  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
PAPERS = ROOT.parent / "shared" / "papers"
FIELDS = ("author", "year", "title", "venue")
SOFT = 90.0
VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "curate-bench" / "refextract"
_JATS_NAME_TAGS = ("name", "string-name", "collab")


@dataclass
class Case:
    """One gold reference: the printed string, gold fields, and gold surnames when known."""

    raw: str
    gold: dict[str, str]
    surnames: list[str] | None = None


@dataclass
class Score:
    """Field counts for one tool on one gold set."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    soft_tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    expected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    all_right: int = 0
    all_right_soft: int = 0
    cases: int = 0
    surnames_right: int = 0
    surname_cases: int = 0

    def f1(self, name: str, soft: bool = False) -> float:
        tp = (self.soft_tp if soft else self.tp)[name]
        p = tp / self.predicted[name] if self.predicted[name] else 0.0
        r = tp / self.expected[name] if self.expected[name] else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------- gold sets


def _text(el: ET.Element | None) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip() if el is not None else ""


def _year(text: str) -> str:
    m = re.search(r"(1[5-9]\d{2}|20\d{2})", text)
    return m.group(1) if m else ""


def load_anystyle() -> list[Case]:
    """AnyStyle's evaluation set: one ``<sequence>`` of labelled spans per reference."""
    cases = []
    for seq in ET.parse(CORPUS / "references/anystyle/gold.xml").getroot().iter("sequence"):
        parts = [(child.tag, _text(child)) for child in seq]
        first = lambda *tags, parts=parts: next((t for tag, t in parts if tag in tags), "")  # noqa: E731
        gold = {
            "author": first("author"),
            "year": _year(first("date")),
            "title": first("title"),
            "venue": first("journal", "container-title"),
        }
        cases.append(Case(" ".join(t for _, t in parts), gold))
    return cases


def _printed(citation: ET.Element) -> bool:
    """A mixed citation keeps the punctuation printed between its fields."""
    return any((child.tail or "").strip() for child in citation)


def _names(citation: ET.Element) -> list[ET.Element]:
    group = [g for g in citation.iter("person-group") if g.get("person-group-type", "author") == "author"]
    scope = group[0] if group else citation
    return [el for el in scope.iter() if el.tag in _JATS_NAME_TAGS]


def _flatten(citation: ET.Element) -> tuple[str, dict[ET.Element, tuple[int, int]]]:
    """The printed string of a mixed citation, and where each element's text sits in it.

    Layout whitespace of pretty-printed XML (runs containing a newline) is dropped; a space
    is put back where two words, or a closing punctuation mark and a word, would touch (the
    space publishers' renderers add between a surname and given names, or a journal and its
    volume). Database identifiers (``pub-id``), never part of the printed string, are left out.
    """
    out = ""
    spans: dict[ET.Element, tuple[int, int]] = {}

    def add(piece: str | None) -> None:
        nonlocal out
        if not piece:
            return
        if "\n" in piece:
            piece = piece.strip()
        piece = re.sub(r"\s+", " ", piece)
        if out and piece and re.search(r"[\w,;:.”)]$", out) and re.match(r"[\w“(]", piece):
            out += " "
        out += piece

    def walk(el: ET.Element) -> None:
        if el.tag != "pub-id":
            begin = len(out)
            add(el.text)
            for child in el:
                walk(child)
            spans[el] = (begin + (out[begin : begin + 1] == " "), len(out))
        if el is not citation:
            add(el.tail)

    walk(citation)
    return out, spans


def _jats_case(citation: ET.Element) -> Case:
    raw, spans = _flatten(citation)
    names = _names(citation)
    title = citation.find("article-title")
    if title is None:
        title = citation.find("chapter-title")
    source = _text(citation.find("source"))
    gold = {
        "author": raw[spans[names[0]][0] : spans[names[-1]][1]] if names else "",
        "year": _year(_text(citation.find("year"))),
        "title": _text(title) if title is not None else source,  # a book: its source is its title
        "venue": source if title is not None else "",
    }
    surnames = [_text(n.find("surname")) or _text(n) for n in names]
    return Case(raw.strip(), gold, surnames or None)


def load_jats() -> tuple[list[Case], int]:
    """Printed mixed citations with tagged fields from the publisher JATS files, and how many
    others (tag-only, or printed but untagged) were skipped."""
    cases, skipped = [], 0
    for path in sorted((CORPUS / "references/jats").glob("*.xml")):
        for citation in ET.parse(path).getroot().iter("mixed-citation"):
            case = _jats_case(citation) if _printed(citation) else None
            if case is not None and any(case.gold.values()):
                cases.append(case)
            else:
                skipped += 1
    return cases, skipped


def load_tully() -> list[Case]:
    """CERMINE's expected parse of the Tully reference list."""
    root = ET.parse(CORPUS / "pdfs/tully2010_rehabilrespract/expected_content.cermine.nlm.xml").getroot()
    return [_jats_case(ref.find("mixed-citation")) for ref in root.iter("ref")]


# --------------------------------------------------------------------------- tools


def curate_fields(raws: Sequence[str]) -> list[dict[str, str]]:
    out = []
    for raw in raws:
        ref = parse_reference(raw)
        surnames = [n.split(",")[0] for n in ref.authors.split("; ") if n and n != "et al."]
        out.append(
            {
                "author": author_span(raw),
                "year": str(ref.year or ""),
                "title": ref.title,
                "venue": ref.venue,
                "surnames": json.dumps(surnames),
            }
        )
    return out


_REFEXTRACT_DRIVER = r"""
import json, sys
from refextract import extract_references_from_string
raws = json.load(sys.stdin)
# one call on a numbered block (refextract loads its knowledge bases per call); its line
# markers map what it found back to the input strings
found = extract_references_from_string("\n".join(f"[{i}] {raw}" for i, raw in enumerate(raws, 1)))
merged = {}
for ref in found:
    marker = (ref.get("linemarker") or [""])[0]
    for key, value in ref.items():
        merged.setdefault(marker, {}).setdefault(key, value)
out = []
for i in range(1, len(raws) + 1):
    ref = merged.get(str(i), {})
    first = lambda k: (ref.get(k) or [""])[0]
    out.append({"author": first("author"), "year": first("year"), "title": first("title"),
                "venue": first("journal_title")})
json.dump(out, sys.stdout)
"""


def refextract_python() -> Path | None:
    """The interpreter of a private virtualenv holding refextract, created on first use."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        install = [str(python), "-m", "pip", "install", "-q", "refextract"]
        subprocess.run(install, check=True, capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"refextract could not be installed ({exc.__class__.__name__}); continuing without it")
        return None
    return python


def refextract_fields(python: Path, raws: Sequence[str]) -> list[dict[str, str]]:
    done = subprocess.run(
        [str(python), "-I", "-c", _REFEXTRACT_DRIVER],  # isolated: nothing from the working directory
        input=json.dumps(list(raws)),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- scoring


def norm(text: str) -> str:
    """Case, accents, punctuation and whitespace folded; "et al", "and", a leading "In" dropped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b(?:et al|and)\b", " ", text)
    return re.sub(r"^in\s+", "", re.sub(r"\s+", " ", text).strip())


def score(cases: Sequence[Case], predictions: Sequence[dict[str, str]]) -> Score:
    result = Score()
    for case, pred in zip(cases, predictions):
        result.cases += 1
        right = right_soft = True
        for name in FIELDS:
            g, p = norm(case.gold.get(name, "")), norm(pred.get(name, "") or "")
            exact = g == p
            soft = exact or (bool(g) and bool(p) and fuzz.ratio(g, p) >= SOFT)
            result.expected[name] += bool(g)
            result.predicted[name] += bool(p)
            result.tp[name] += bool(g) and exact
            result.soft_tp[name] += bool(g) and soft
            right &= exact
            right_soft &= soft
        result.all_right += right
        result.all_right_soft += right_soft
        if case.surnames and "surnames" in pred:
            result.surname_cases += 1
            result.surnames_right += [norm(s) for s in json.loads(pred["surnames"])] == [norm(s) for s in case.surnames]
    return result


def print_table(rows: Iterable[tuple[str, str, Score]]) -> None:
    head = f"{'gold set':<22}{'tool':<11}{'n':>5}  " + "  ".join(f"{f:>13}" for f in FIELDS)
    head += f"  {'all four':>13}  {'surnames':>8}"
    print(head)
    print(f"{'':<38}" + "  ".join(f"{'exact/soft':>13}" for _ in FIELDS) + f"  {'exact/soft':>13}")
    for gold, tool, s in rows:
        cells = "  ".join(f"{s.f1(f):>6.3f}/{s.f1(f, True):.3f}" for f in FIELDS)
        inst = f"{s.all_right / s.cases:>6.3f}/{s.all_right_soft / s.cases:.3f}" if s.cases else "-"
        surn = f"{s.surnames_right / s.surname_cases:>8.3f}" if s.surname_cases else f"{'-':>8}"
        print(f"{gold:<22}{tool:<11}{s.cases:>5}  {cells}  {inst:>13}  {surn}")


# --------------------------------------------------------------------------- splitting


def _fold(text: str) -> str:
    text = text.translate(str.maketrans("’‘“”", "''\"\""))
    return re.sub(r"[\s\-‐–—]+", "", text)


def splitting_report() -> None:
    import pdfplumber

    print("\nSplitting, from the PDFs")
    datta = CORPUS / "pdfs/datta2010_jtraumamanagoutcomes"
    expected = [ln for ln in (datta / "expected_reference_strings.cermine.txt").read_text().splitlines() if ln.strip()]
    with pdfplumber.open(datta / "datta2010_jtraumamanagoutcomes.pdf") as pdf:
        got = [e.raw for e in extract_references(pdf, "datta2010").entries]
    folded = [_fold(g) for g in got]
    targets = [_fold(e) for e in expected]
    exact = sum(t in set(folded) for t in targets)
    found = sum(any(f.startswith(t[:40]) for f in folded) for t in targets)
    merged = sum(sum(t[:40] in f for t in targets) > 1 for f in folded)
    split = sum(sum(f in t for f in folded if f != t) > 1 for t in targets)
    print(
        f"  datta2010 vs CERMINE: {len(expected)} expected, {len(got)} entries; exact {exact}, "
        f"found (same start) {found}, entries merging several {merged}, expected split in pieces {split}"
    )
    for name in ("vinski2023", "zhang2019", "matsuoka2025"):
        with pdfplumber.open(PAPERS / f"{name}.pdf") as pdf:
            result = extract_references(pdf, name)
        print(f"  {name}: {len(result.entries)} entries" + (f" ({result.warning})" if result.warning else ""))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for tei in sorted((CORPUS / "pdfs").glob("*/reference_output.grobid.tei.xml")):
        silver = len(ET.parse(tei).getroot().findall(".//t:listBibl/t:biblStruct", ns))
        pdf_path = next(tei.parent.glob("*.pdf"))
        with pdfplumber.open(pdf_path) as pdf:
            n = len(extract_references(pdf, tei.parent.name).entries)
        print(f"  {tei.parent.name}: {n} entries (GROBID silver {silver})")


def tully_from_pdf(cases: Sequence[Case]) -> Score:
    """curate's fields read from the Tully PDF, against CERMINE's parse, entry by entry."""
    import pdfplumber

    with pdfplumber.open(CORPUS / "pdfs/tully2010_rehabilrespract/tully2010_rehabilrespract.pdf") as pdf:
        raws = [e.raw for e in extract_references(pdf, "tully2010").entries]
    return score(cases, curate_fields(raws[: len(cases)]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=200, help="AnyStyle strings given to both tools (0: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-refextract", action="store_true")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"{CORPUS} is missing")
        return 1
    anystyle = load_anystyle()
    sample = anystyle
    if args.sample and args.sample < len(anystyle):
        sample = random.Random(args.seed).sample(anystyle, args.sample)
    jats, skipped = load_jats()
    tully = load_tully()
    print(f"AnyStyle: {len(anystyle)} strings; both tools on a sample of {len(sample)} (seed {args.seed})")
    print(f"JATS: {len(jats)} printed, tagged mixed citations ({skipped} tag-only or untagged skipped)")
    shared_sets = [("anystyle sample", sample), ("jats mixed", jats), ("tully cermine", tully)]
    rows = [("anystyle all", "curate", score(anystyle, curate_fields([c.raw for c in anystyle])))]
    rows += [(gold, "curate", score(cases, curate_fields([c.raw for c in cases]))) for gold, cases in shared_sets]
    python = None if args.no_refextract else refextract_python()
    if python is not None:
        started = time.perf_counter()
        try:
            predictions = refextract_fields(python, [c.raw for _, cases in shared_sets for c in cases])  # one KB load
        except (RuntimeError, subprocess.SubprocessError, ValueError) as exc:
            print(f"refextract failed ({exc}); continuing without it")
            predictions = []
        print(f"  refextract: {time.perf_counter() - started:.1f}s", file=sys.stderr)
        for gold, cases in shared_sets if predictions else []:
            rows.append((gold, "refextract", score(cases, predictions[: len(cases)])))
            predictions = predictions[len(cases) :]
    rows.append(("tully from PDF", "curate", tully_from_pdf(tully)))
    print()
    print_table(sorted(rows, key=lambda r: [g for g, _, _ in rows].index(r[0])))
    splitting_report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
