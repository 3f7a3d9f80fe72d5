"""Consistency checks: recompute what each paper reports from its own data.

Each check is a named rule that yields :class:`curate.findings.Finding` objects; a claim that
checks out yields an ``info`` finding ("verified"), so a steward sees what was checked, not
only what failed. No rule names a paper, a study or a number.

=========================== =================================================================
check                       rule
=========================== =================================================================
claim.recomputed            a linked claim (``curated/claims.csv``) against its computation,
                            rounding-aware: a printed 7.49 matches [7.485, 7.495)
claim.group_boundary        a subgroup figure that does not reproduce under the stated group
                            boundary: the nearby boundaries under which it does
claim.parts_vs_whole        the parts of a split ("42 male and 16 female") add up to the
                            paper's reported total
claim.proportion            "x of y (z%)": z is 100 x / y to the printed precision
claim.share                 "10 patients (5.9%)": z is 100 x / n for a cohort n counted before it
                            (in its sentence or the one before: "Of the 169 patients ...")
claim.grim                  a mean of integer data (age) is possible for the reported n
claim.effect_ci_centre      an effect lies in the middle of its 95% CI (to printed precision;
                            geometric middle for ratios)
claim.effect_p              the p implied by the estimate and its CI (normal approximation)
                            agrees with the printed p
citation.unresolved         cited in the text but not in the reference list
reference.uncited           in the reference list but never cited
reference.duplicate         the same work twice in one reference list
citation.label_year         a table label's year (``Bhansali 2017 [23]``) differs from its entry's
check.skipped               a check whose inputs are missing or unreadable, and why
study.*                     counts of included studies and what the text says of a cited study,
                            against the included-studies tables (:mod:`curate.studychecks`)
=========================== =================================================================
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from curate.cells import RATIO
from curate.claimlinks import Link, LinkError, evaluate, load_links, load_table, number
from curate.extract.citations import fold
from curate.extract.output import paper_folders
from curate.findings import Finding, Location, claim_location
from curate.review import Review, snapshot
from curate.rounding import matches, tolerance
from curate.schemas.io import read_frame
from curate.studychecks import study_checks, study_tables
from curate.tablechecks import implied_p, p_agrees


def _claims(raw: Path) -> pd.DataFrame:
    frames = []
    for path in (f / "claims.csv" for f in paper_folders(raw) if (f / "claims.csv").is_file()):
        frame = read_frame(path, ("claim_id", "kind", "values", "page", "span"))
        frame["paper_id"] = path.parent.name
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["claim_id", "paper_id", "kind", "values", "page", "span"])


def recomputed(claims: pd.DataFrame, curated: Path, review: Review) -> Iterable[Finding]:
    """claim.recomputed: every linked claim against its computation over the curated tables."""
    by_id = {(str(p), str(c)): row for (p, c), row in zip(zip(claims["paper_id"], claims["claim_id"]), claims.to_dict("records"))}
    tables: dict[str, pd.DataFrame] = {}
    patients = review.patient_tables()
    for row, link in enumerate(load_links(curated), start=1):
        claim = by_id.get((link.paper_id, link.claim_id))
        if claim is None:  # a steward's link to a claim the paper's text no longer has (or a typo)
            known = sorted(c for p, c in by_id if p == link.paper_id)
            shown = ", ".join(known[:3]) + (", ..." if len(known) > 3 else "")
            yield Finding("claim.link", "warning", f"claims.csv row {row}: claim_id {link.claim_id!r} is not a claim of {link.paper_id} in raw/{link.paper_id}/claims.csv (its ids: {shown or 'none'})", Location(file="claims.csv", row=row, column="claim_id"), link.paper_id, link.claim_id, None, f"{link.claim_id}:{link.value}")
            continue
        try:
            value, n = evaluate(link, curated, tables, patients)
        except LinkError as exc:
            yield Finding("claim.recomputed", "warning", str(exc), claim_location(claim), link.paper_id, link.reported, None, f"{link.claim_id}:{link.value}")
            continue
        integer = link.computation in ("rows", "count")
        shown = f"{link.computation}({link.expression or link.table}{' where ' + link.filter if link.filter else ''})"
        if matches(link.reported, value, integer):
            yield Finding("claim.recomputed", "info", f"verified: {link.reported} = {shown} over {n} rows of {link.table}.csv", claim_location(claim), link.paper_id, link.reported, round(value, 6), f"{link.claim_id}:{link.value}")
        else:
            severity = "error" if integer else "warning"
            yield Finding(
                "claim.recomputed", severity,
                f"reported {link.reported} but {shown} over {n} rows of {link.table}.csv gives {value:.4g} (tolerance ±{0 if integer else tolerance(link.reported):g})",
                claim_location(claim), link.paper_id, link.reported, round(value, 6), f"{link.claim_id}:{link.value}",
            )
            if link.filter:
                yield from group_boundary(link, curated, claim, tables, patients)


def _variants(condition: str, column: pd.Series) -> Iterable[str]:
    """The filter with each boundary moved to a nearby value of the column, or made strict/inclusive."""
    numbers = list(re.finditer(r"(?P<op>>=|<=|>|<|==)\s*(?P<num>-?\d+(?:\.\d+)?)", condition))
    values = sorted(set(pd.to_numeric(column, errors="coerce").dropna().round(4)))
    for m in numbers:
        stated = float(m.group("num"))
        for v in [x for x in values if abs(x - stated) <= 1.5]:
            for op in ((">", ">=") if m.group("op").startswith(">") else ("<", "<=") if m.group("op").startswith("<") else ("==",)):
                candidate = condition[: m.start()] + f"{op} {v:g}" + condition[m.end() :]
                if candidate != condition:
                    yield candidate


def group_boundary(link: Link, curated: Path, claim: pd.Series | None, tables: dict[str, pd.DataFrame], patients: dict[str, str | None]) -> Iterable[Finding]:
    """claim.group_boundary: when a subgroup figure does not reproduce under the stated group
    boundary, the boundaries (from nearby data values) under which it does."""
    frame = load_table(curated, link.table, tables)
    column = re.match(r"\s*([a-z_][a-z0-9_]*)", link.filter)
    if column is None or column.group(1) not in frame.columns:
        return
    works = []
    for condition in _variants(link.filter, frame[frame["paper_id"] == link.paper_id][column.group(1)]):
        try:
            value, n = evaluate(replace(link, filter=condition), curated, tables, patients)
        except LinkError:
            continue
        if matches(link.reported, value):
            works.append(f"{condition} ({n} rows)")
    if works:
        shown = "; ".join(works[:3]) + ("; ..." if len(works) > 3 else "")
        yield Finding("claim.group_boundary", "warning", f"{link.reported} reproduces only with a different group boundary than the stated '{link.filter}': {shown}", claim_location(claim), link.paper_id, link.filter, works[0], f"{link.claim_id}:{link.value}")


def parts_vs_whole(claims: pd.DataFrame) -> Iterable[Finding]:
    """claim.parts_vs_whole: a split's parts against every total the same paper reports for its cohort."""
    for paper, group in claims.groupby("paper_id"):
        totals = [(row, number(json.loads(row["values"])["n"])) for _, row in group[group["kind"] == "count"].iterrows() if "total" in row["span"].lower()]
        for _, split in group[group["kind"] == "split"].iterrows():
            v = json.loads(split["values"])
            a, b = number(v["a"]), number(v["b"])
            if a is None or b is None:
                continue
            for total_row, total in totals:
                if total is None:
                    continue
                subject = f"{split['claim_id']}|{total_row['claim_id']}"
                if a + b == total:
                    yield Finding("claim.parts_vs_whole", "info", f"verified: {v['a']} + {v['b']} = {total:g} ({total_row['span']})", claim_location(split), paper, f"{v['a']}+{v['b']}", total, subject)
                else:
                    printed = json.loads(total_row["values"])["n"]
                    yield Finding("claim.parts_vs_whole", "error", f"{v['a']} {v['ga']} + {v['b']} {v['gb']} = {a + b:g}, but the paper reports {printed} ('{total_row['span']}', page {total_row['page']})", claim_location(split), paper, printed, a + b, subject)


def grim(claims: pd.DataFrame, curated: Path) -> Iterable[Finding]:
    """claim.grim: a mean of integer values (ages) must be a possible mean for the reported n."""
    links = [lk for lk in load_links(curated) if lk.computation == "mean" and lk.expression == "age"]
    for link in links:
        totals = claims[(claims["paper_id"] == link.paper_id) & (claims["kind"] == "count") & claims["span"].str.lower().str.contains("total")]
        for _, total in totals.iterrows():
            printed = json.loads(total["values"])["n"].replace(",", "")
            n = int(printed) if printed.isdigit() else None
            if not n:
                continue
            mean = float(link.reported)
            possible = any(matches(link.reported, s / n) for s in (math.floor(mean * n), math.ceil(mean * n)))
            severity, word = ("info", "possible") if possible else ("error", "impossible")
            yield Finding("claim.grim", severity, f"a mean age of {link.reported} from {n} whole numbers is {word}", Location(file="claims.csv", page=int(total["page"])), link.paper_id, link.reported, n, f"{link.claim_id}|{total['claim_id']}")


def effects(claims: pd.DataFrame) -> Iterable[Finding]:
    """claim.effect_ci_centre and claim.effect_p for every effect estimate with a 95% CI
    (ratios, by any name the cell grammar knows, on the log scale)."""
    for _, row in claims[claims["kind"] == "effect"].iterrows():
        v = json.loads(row["values"])
        est, lo, hi = (float(v[k].replace("−", "-").replace("–", "-")) for k in ("est", "lo", "hi"))
        ratio = bool(RATIO.search(v["measure"]))
        if ratio and min(est, lo, hi) <= 0:
            continue
        centre = math.sqrt(lo * hi) if ratio else (lo + hi) / 2
        tol = tolerance(v["est"]) + max(tolerance(v["lo"]), tolerance(v["hi"]))
        where, paper = claim_location(row), row["paper_id"]
        if abs(centre - est) <= tol * (est if ratio else 1) + 1e-9:
            yield Finding("claim.effect_ci_centre", "info", f"verified: {v['measure']} {v['est']} is the middle of its 95% CI {v['lo']} to {v['hi']}", where, paper, v["est"], round(centre, 6), row["claim_id"])
        else:
            yield Finding("claim.effect_ci_centre", "warning", f"{v['measure']} {v['est']} is not the middle of its 95% CI {v['lo']} to {v['hi']} (middle {centre:.4g})", where, paper, v["est"], round(centre, 6), row["claim_id"])
        if "p" not in v:
            continue
        implied = implied_p(est, lo, hi, ratio)
        if implied is None:
            continue
        printed = float(v["p"])
        excludes_null = not (lo <= (1.0 if ratio else 0.0) <= hi)
        agrees = p_agrees(implied, v["pq"], printed, excludes_null)
        significant_ci, significant_p = excludes_null, (printed <= 0.05 if v["pq"] in "<≤=" else False)
        text = f"P {v['pq']} {v['p']} printed; the estimate and its CI imply P ≈ {implied:.2g}"
        if agrees:
            yield Finding("claim.effect_p", "info", f"verified: {text}", where, paper, f"{v['pq']} {v['p']}", round(implied, 6), row["claim_id"])
        else:
            severity = "error" if significant_ci != significant_p else "warning"
            why = " (the CI and the P disagree on significance)" if severity == "error" else ""
            yield Finding("claim.effect_p", severity, text + why, where, paper, f"{v['pq']} {v['p']}", round(implied, 6), row["claim_id"])


def proportions(claims: pd.DataFrame) -> Iterable[Finding]:
    """claim.proportion: 'x of y (z%)' where z must be 100 x / y to the printed precision."""
    for _, row in claims[claims["kind"] == "proportion"].iterrows():
        v = json.loads(row["values"])
        x, y = number(v["x"]), number(v["y"])
        if "pct" not in v or x is None or not y:
            continue
        computed = 100 * x / y
        ok = matches(v["pct"], computed)
        yield Finding(
            "claim.proportion", "info" if ok else "error",
            f"{'verified: ' if ok else ''}{v['x']} of {v['y']} is {computed:.4g}%{'' if ok else ', not ' + v['pct'] + '%'}",
            claim_location(row), row["paper_id"], v["pct"], round(computed, 6), row["claim_id"],
        )


def shares(claims: pd.DataFrame) -> Iterable[Finding]:
    """claim.share: a part printed with its percentage ('10 patients (5.9%)') against the cohorts
    counted before it, nearest first: in its sentence, else in the sentence before."""
    for paper, group in claims.groupby("paper_id"):
        group = group.assign(_i=group["index"].astype(int), _s=pd.to_numeric(group["sentence"], errors="coerce")).sort_values("_i")
        wholes = []  # (sentence, index, n as printed, claim)
        for _, row in group.iterrows():
            v = json.loads(row["values"])
            if row["kind"] == "count" and row["subject"] == "patients":
                wholes.append((row["_s"], row["_i"], v["n"], row))
            elif row["kind"] == "proportion":
                wholes.append((row["_s"], row["_i"], v["y"], row))
            elif row["kind"] == "share":
                x = number(v["x"])
                if x is None:
                    continue
                near = [w for w in reversed(wholes) if w[0] == row["_s"]] or [w for w in reversed(wholes) if w[0] == row["_s"] - 1]
                candidates = [(printed, n, w) for _, _, printed, w in near if (n := number(printed)) and n >= x]
                if not candidates:
                    continue
                fits = [(printed, n, w) for printed, n, w in candidates if matches(v["pct"], 100 * x / n)]
                printed, n, whole = (fits or candidates)[0]
                text = f"{v['x']} of {printed} ('{whole['span']}') is {100 * x / n:.4g}%"
                if fits:
                    yield Finding("claim.share", "info", f"verified: {text}", claim_location(row), paper, v["pct"], round(100 * x / n, 6), row["claim_id"])
                else:
                    implied = 100 * x / pct if (pct := number(v["pct"])) else float("nan")
                    yield Finding("claim.share", "warning", f"{v['x']} ({v['pct']}%) fits no cohort counted before it: {text}; {v['pct']}% of {v['x']} implies about {implied:.3g} patients", claim_location(row), paper, v["pct"], round(100 * x / n, 6), row["claim_id"])


def references(raw: Path) -> Iterable[Finding]:
    """Unresolved citations, uncited entries, duplicate entries and table-label years."""
    for folder in (p for p in paper_folders(raw) if (p / "references.csv").exists()):
        paper = folder.name
        refs = read_frame(folder / "references.csv", ("index", "label", "first_author", "year", "title"))
        cites = read_frame(folder / "citations.csv", ("status", "author", "year", "label")) if (folder / "citations.csv").exists() else pd.DataFrame()
        by_index = refs.set_index("index")
        if not cites.empty:
            for (author, year), group in cites[cites["status"] == "unresolved"].groupby(["author", "year"]):
                first = group.iloc[0]
                label = first["label"] or f"{author} {year}"
                candidate = by_index.loc[first["candidate"]] if first["candidate"] in by_index.index else None
                near = f"; closest entry: {candidate['first_author']} {candidate['year']} (score {float(first['score']):.2f})" if candidate is not None else ""
                yield Finding("citation.unresolved", "warning", f"cited {len(group)}x as {first['text']} but not in the reference list{near}", Location("citations.csv", int(first["index"]), None, int(first["page"])), paper, label, first["candidate"] or None, f"{author}|{year}|{first['label']}")
            cited = set(cites["reference"]) | set(cites.loc[cites["status"] == "ambiguous", "candidate"])
            for _, ref in refs[~refs["index"].isin(cited)].iterrows():
                yield Finding("reference.uncited", "info", f"entry {ref['label'] or ref['index']} ({ref['first_author']} {ref['year']}) is never cited in the text", Location("references.csv", int(ref["index"])), paper, None, None, ref["index"])
            for _, cite in cites[(cites["where"] != "body") & (cites["status"] == "resolved") & (cites["year"] != "")].iterrows():
                entry = by_index.loc[cite["reference"]]
                if entry["year"] and entry["year"] != cite["year"][:4]:
                    yield Finding("citation.label_year", "warning", f"{cite['where']} labels {cite['text']!r} with {cite['year']} but entry {entry['label'] or cite['reference']} is dated {entry['year']}", Location("citations.csv", int(cite["index"]), None, int(cite["page"])), paper, cite["year"], entry["year"], cite["text"])
        yield from _duplicates(paper, refs)


def _duplicates(paper: str, refs: pd.DataFrame) -> Iterable[Finding]:
    rows = refs.to_dict("records")
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a["year"] != b["year"] or fold(a["first_author"]) != fold(b["first_author"]) or not a["title"] or not b["title"]:
                continue
            if fuzz.token_sort_ratio(a["title"].lower(), b["title"].lower()) >= 90:
                yield Finding("reference.duplicate", "warning", f"entries {a['label'] or a['index']} and {b['label'] or b['index']} are the same work ({a['first_author']} {a['year']})", Location("references.csv", int(b["index"])), paper, b["index"], a["index"], f"{a['index']}|{b['index']}",
                              (Location("references.csv", int(a["index"])),))


def run_checks(raw: Path, curated: Path, review: Review | None = None) -> list[Finding]:
    """Every consistency finding for the papers in ``raw`` and the dataset in ``curated`` (of
    ``review``, default the copy in ``curated``); a rule whose inputs are missing or
    unreadable is skipped with a ``check.skipped`` finding saying why, and the others still run."""
    review = review if review is not None else snapshot(curated) or Review(None)
    findings: list[Finding] = []
    claims = _claims(raw)  # every paper's claims, read once for all the rules
    rules: list[tuple[str, Callable[[], Iterable[Finding]], str]] = [
        ("claim.recomputed", lambda: recomputed(claims, curated, review), "" if (curated / "claims.csv").exists() else "no curated/claims.csv (run `curate reconcile`)"),
        ("claim.parts_vs_whole", lambda: parts_vs_whole(claims), ""),
        ("claim.grim", lambda: grim(claims, curated), ""),
        ("claim.effect_*", lambda: effects(claims), ""),
        ("claim.proportion", lambda: proportions(claims), ""),
        ("claim.share", lambda: shares(claims), ""),
        ("citation.*, reference.*", lambda: references(raw), ""),
        ("study.*", lambda: study_checks(claims, curated, review), "" if any(len(t) for t in study_tables(curated, review).values()) else "no rows of an included-studies table (a review table with a `label` role) in the curated folder"),
    ]
    for name, rule, missing in rules:
        if missing:
            findings.append(skipped(name, missing))
            continue
        try:
            findings.extend(rule())
        except (OSError, ValueError, KeyError, pd.errors.ParserError) as exc:  # a file a rule reads is broken
            findings.append(skipped(name, f"an input cannot be read ({type(exc).__name__}: {exc})"))
    return findings


def skipped(check: str, why: str, file: str | None = None) -> Finding:
    """An ``info`` finding saying a check did not run and why (so nothing is silently left out)."""
    return Finding("check.skipped", "info", f"{check}: skipped: {why}", Location(file=file), subject=check)
