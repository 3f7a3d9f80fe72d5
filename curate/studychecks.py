"""Checks on included studies: what the papers' text says about a study against the row an
included-studies table gives it.

An included-studies table is a curated table of the review whose columns play the roles of
:data:`curate.review.ROLES` (a ``label`` role, and the ``work_id`` reconcile adds): one row
per study arm. Its columns are read by role (``n_treated``, ``n_control``, ``dose``,
``follow_up``...), its categories are the columns the review marks ``category``, and a
category with ``claims = true`` is checked against the text's mentions of it. A claim is about
a study when its sentence cites that one study (``refs`` in ``claims.csv``); the study's rows
may be in the same paper's table or in another paper's.

=================== =====================================================================
check               rule
=================== =====================================================================
study.total         "A (10 studies, 226 patients, mean age 19.51 years)": the table's
                    studies of that category (an abbreviation of the sentence that is a
                    value of the table) number that many, with that many patients (a shared
                    control group counted once) and that mean (the arms' means weighted by
                    their sizes)
study.cited_total   "six trials, including 115 patients [16, 18, 24-27]": the cited studies'
                    rows (of the category the words name) number that many, with that many
                    patients treated (or treated and controls)
study.sample_size   the size a paper's text gives a cited study ("21 patients participated")
                    is one the table's rows give it (all, treated, an arm)
study.percent       "59% of patients" of a cited study: some whole number of its patients
                    gives that percentage
study.<column>      the values of a claimed category (a column the review names in a
                    category with ``claims = true``) the text names for a cited study are among those of its table rows
study.dose          a dose the text gives a cited study is one of its table rows', in the
                    same unit (per kg or absolute)
study.follow_up     "followed for six months" is the table's follow-up; a time point
                    ("12 months after treatment") lies within it
=================== =====================================================================

Nothing here names a paper, a study, a number, a measure or a category.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd

from curate.claimlinks import number
from curate.findings import Finding, Location, claim_location
from curate.review import Category, Review
from curate.rounding import matches, tolerance
from curate.schemas.io import read_frame, read_typed

MONTHS_PER = {"day": 12 / 365.25, "week": 12 / 52.18, "month": 1.0, "year": 12.0}


@dataclass(frozen=True, slots=True)
class Study:
    """One study's rows in one paper's included-studies table."""

    paper_id: str
    table: str
    work_id: str
    rows: pd.DataFrame
    file: str = ""  # the curated file the rows are in (their index is their position in it)

    def places(self) -> tuple[Location, ...]:
        """Where the rows are: for the report to show them beside the sentence."""
        pages = self.rows["page"] if "page" in self.rows else [None] * len(self.rows)
        return tuple(Location(self.file, int(i) + 1, None, None if pd.isna(p) else str(p)) for i, p in zip(self.rows.index, pages))

    @property
    def label(self) -> str:
        labels = list(dict.fromkeys(self.rows["label"].astype(str)))
        return f"{self.paper_id} {self.table} row {'/'.join(labels)}" + (f" ({len(self.rows)} arms)" if len(self.rows) > 1 else "")

    def treated(self) -> float:
        return float(pd.to_numeric(self.rows.get("n_treated"), errors="coerce").fillna(0).sum()) if "n_treated" in self.rows else 0.0

    def controls(self) -> float:
        """Controls counted once: arms of one study with the same control size share it."""
        if "n_control" not in self.rows:
            return 0.0
        values = pd.to_numeric(self.rows["n_control"], errors="coerce").dropna()
        return float(values.iloc[0]) if values.nunique() == 1 else float(values.sum())

    def sizes(self) -> dict[float, str]:
        """Every size the rows give the study, with what it is."""
        treated, controls = self.treated(), self.controls()
        sizes = {treated + controls: "all patients", treated: "treated"}
        if controls:
            sizes.setdefault(controls, "controls")
        for _, row in self.rows.iterrows():
            n, c = number(str(row.get("n_treated", ""))), number(str(row.get("n_control", "")))
            if n is not None:
                sizes.setdefault(n, f"arm {row['arm']} treated")
                if c is not None and not math.isnan(c):
                    sizes.setdefault(n + c, f"arm {row['arm']} with its controls")
        return {k: v for k, v in sizes.items() if k > 0}


def study_tables(curated: Path, review: Review) -> dict[str, pd.DataFrame]:
    """Every included-studies table of the curated dataset: rows of a paper's table (with their
    provenance, ``table`` and ``row``) that each carry a study's ``label`` and ``work_id``;
    columns renamed to their roles (``n_treated``, ``mean_<measure>_treated``...), category
    columns that are not marked as such dropped from the category matching."""
    tables = {}
    for spec in review.tables.values():
        path = curated / spec.file
        if "label" not in spec.roles or not path.exists():
            continue
        head = read_frame(path)
        label = spec.roles["label"]
        if not {"work_id", label, "paper_id", "table", "row"} <= set(head.columns):
            continue
        names = {column: role for role, column in spec.roles.items() if "{measure}" not in column}
        for role in ("mean_treated", "mean_control"):
            if role in spec.roles:
                names |= {spec.roles[role].format(measure=m): role.replace("_", f"_{m}_", 1) for m in review.measures}
        tables[spec.name] = read_typed(path, dtype={label: str}).rename(columns=names)
    return tables


def _studies(tables: dict[str, pd.DataFrame]) -> dict[str, list[Study]]:
    """Studies by work id (a work may be in several papers' tables)."""
    found: dict[str, list[Study]] = {}
    for name, frame in tables.items():
        for (paper, work), rows in frame.dropna(subset=["work_id"]).groupby(["paper_id", "work_id"]):
            table = f"Table {rows['table'].iloc[0]}" if "table" in rows else name
            found.setdefault(str(work), []).append(Study(str(paper), table, str(work), rows, f"{name}.csv"))
    return found


def _refs(value: str) -> list[int]:
    return [int(r) for r in value.split(";") if r] if value else []


def _values(claim: pd.Series) -> dict[str, str]:
    values: dict[str, str] = json.loads(claim["values"])
    return values


def _norm(token: str) -> str:
    """'ABCs' -> 'ABC', 'xy-abc' -> 'XY-ABC': how an abbreviation is compared with a table value."""
    token = token.strip().upper()
    return token[:-1] if token.endswith("S") and len(token) > 3 else token


def _category_filter(frame: pd.DataFrame, tokens: Iterable[str], categories: set[str]) -> tuple[pd.Series | None, list[str]]:
    """Rows of ``frame`` carrying the categories the tokens name: any of the values named in
    one column, all the columns named (tokens naming no value are ignored); None when no token
    names a value of the table. ``categories``: the columns the review marks as categories."""
    wanted = {_norm(t) for t in tokens}
    mask: pd.Series | None = None
    named: list[str] = []
    for column in frame.columns:
        if column not in categories or pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column].dropna().astype(str).map(_norm)
        hit = wanted & set(values)
        if hit:
            named.append(f"{column} = {' or '.join(sorted(hit))}")
            column_mask = values.reindex(frame.index).isin(hit)
            mask = column_mask if mask is None else mask & column_mask
    return mask, named


def _patients(rows: pd.DataFrame) -> tuple[float, float, float]:
    """Treated, controls (once per study) and all patients over the rows, study by study."""
    treated = controls = 0.0
    for work, group in rows.groupby(rows["work_id"].fillna(rows["label"])):
        study = Study("", "", str(work), group)
        treated += study.treated()
        controls += study.controls()
    return treated, controls, treated + controls


def _n_studies(rows: pd.DataFrame) -> int:
    return int(rows["work_id"].fillna(rows["label"]).nunique())


def _counts_in_sentence(claims: pd.DataFrame) -> Iterable[tuple[pd.Series, list[pd.Series]]]:
    """Each count of studies with the counts of patients and controls and the means that
    follow it in its sentence (up to the next count of studies)."""
    counts = claims[claims["kind"].isin(["count", "mean"])]
    for _, sentence in counts.groupby(["paper_id", "sentence"]):
        current: pd.Series | None = None
        companions: list[pd.Series] = []
        for _, claim in sentence.iloc[sentence["index"].astype(int).argsort()].iterrows():
            if claim["subject"] in ("studies", "trials"):
                if current is not None:
                    yield current, companions
                    companions = []
                current = claim  # patients counted before the first count of studies are its own
            elif claim["subject"] in ("patients", "controls") or claim["kind"] == "mean":
                companions.append(claim)
        if current is not None:
            yield current, companions


def _compare_totals(check: str, claim: pd.Series, companions: list[pd.Series], rows: pd.DataFrame, what: str) -> Iterable[Finding]:
    """A count of studies and its patients/controls against the rows they should add up from."""
    paper = claim["paper_id"]
    treated, controls, everyone = _patients(rows)
    printed_n = _values(claim)["n"]
    n = number(printed_n)
    expected = _n_studies(rows)
    subject = claim["claim_id"]
    if n is not None and (n > 1 or companions):
        ok = n == expected
        yield Finding(check, "info" if ok else "warning", f"{'verified: ' if ok else ''}'{claim['span']}': {what} hold {expected} stud{'y' if expected == 1 else 'ies'}", claim_location(claim), paper, printed_n, expected, subject)
    for other in companions:
        if other["kind"] == "mean":
            yield from _compare_mean(check, subject, other, rows, what)
            continue
        printed = _values(other)["n"]
        value = number(printed)
        if value is None:
            continue
        options = {"controls": {controls: "controls"}}.get(other["subject"], {everyone: "treated and controls", treated: "treated"})
        match = options.get(value)
        if match:
            yield Finding(check, "info", f"verified: '{other['span']}' = {match} of {what}", claim_location(other), paper, printed, value, f"{subject}|{other['claim_id']}")
        else:
            shown = ", ".join(f"{k:g} {v}" for k, v in options.items())
            yield Finding(check, "warning", f"'{other['span']}' but {what} hold {shown}", claim_location(other), paper, printed, ", ".join(f"{k:g}" for k in options), f"{subject}|{other['claim_id']}")


def _weighted_mean(rows: pd.DataFrame, measure: str) -> tuple[float, float] | None:
    """The mean of a measure over all patients of the rows, from each arm's mean weighted by
    its size (``mean_<measure>_treated`` by ``n_treated``, the controls' once per study); with
    the number of patients it covers. None when the table has no such columns."""
    treated, control = f"mean_{measure}_treated", f"mean_{measure}_control"
    if treated not in rows or "n_treated" not in rows:
        return None
    total = weight = 0.0
    for _, group in rows.groupby(rows["work_id"].fillna(rows["label"])):
        arms = group.dropna(subset=[treated, "n_treated"])
        total += float((arms[treated] * arms["n_treated"]).sum())
        weight += float(arms["n_treated"].sum())
        if control in group and "n_control" in group:
            controls = group.dropna(subset=[control, "n_control"]).drop_duplicates(subset=[control, "n_control"])
            total += float((controls[control] * controls["n_control"]).sum())
            weight += float(controls["n_control"].sum())
    return (total / weight, weight) if weight else None


def _compare_mean(check: str, subject: str, claim: pd.Series, rows: pd.DataFrame, what: str) -> Iterable[Finding]:
    """A mean reported with a count of studies: the arms' means weighted by their sizes."""
    found = _weighted_mean(rows, claim["subject"])
    printed = _values(claim)["value"]
    if found is None or number(printed) is None:
        return
    value, n = found
    ok = matches(printed, value)
    how = f"the arms' mean {claim['subject']} weighted by their {n:g} patients, {what}"
    message = f"verified: '{claim['span']}' = {value:.4g}, {how}" if ok else f"'{claim['span']}' but {how}, give {value:.4g} (tolerance ±{tolerance(printed):g})"
    yield Finding(check, "info" if ok else "warning", message, claim_location(claim), claim["paper_id"], printed, round(value, 6), f"{subject}|{claim['claim_id']}")


def totals(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], work_of: dict[tuple[str, int], str], categories: set[str]) -> Iterable[Finding]:
    """study.total and study.cited_total: counts of studies and their patients against the
    paper's own included-studies table."""
    by_paper = {(name, str(paper)): own for name, frame in tables.items() for paper, own in frame.groupby("paper_id")}
    for claim, companions in _counts_in_sentence(claims):
        paper = claim["paper_id"]
        values = _values(claim)
        tokens = values.get("scope", "").split()
        cited = {work_of.get((paper, r)) for r in _refs(claim["refs"])}
        for name in tables:
            own = by_paper.get((name, paper))
            if own is None:
                continue
            if cited and cited <= set(own["work_id"].dropna()):
                rows = own[own["work_id"].isin(cited)]
                mask, named = _category_filter(rows, tokens, categories)
                if mask is not None:
                    rows = rows[mask]
                what = f"the rows of {name}.csv the sentence cites" + (f" ({', '.join(named)})" if named else "")
                places = Study(paper, "", "", rows, f"{name}.csv").places()
                yield from (replace(f, related=places) for f in _compare_totals("study.cited_total", claim, companions, rows, what))
            elif not cited:
                mask, named = _category_filter(own, tokens, categories)
                if mask is None and values.get("whole") != "yes":
                    continue  # a count of some studies the words do not let us pick out
                rows = own if mask is None else own[mask]
                what = f"{name}.csv" + (f" where {' and '.join(named)}" if named else " (all rows)")
                if any(" or " in n for n in named):
                    companions = []  # "21 studies: ten in A with 226 patients, eleven in B...": the patients are parts
                yield from _compare_totals("study.total", claim, companions, rows, what)


def _work_index(entries: pd.DataFrame) -> dict[tuple[str, int], str]:
    """(paper, entry index) -> work id, from curated/references.csv."""
    if entries.empty:
        return {}
    return {(str(p), int(i)): str(w) for p, i, w in zip(entries["paper_id"], entries["index"], entries["work_id"]) if pd.notna(w)}


def described(claims: pd.DataFrame, tables: dict[str, pd.DataFrame], work_of: dict[tuple[str, int], str], claimed: list[Category]) -> Iterable[Finding]:
    """study.sample_size, study.percent, study.<category column>, study.dose, study.follow_up:
    what a paper's text says of one cited study against that study's rows in any
    included-studies table (``claimed``: the review's categories the text's mentions name)."""
    by_work = _studies(tables)
    tallied = set(claims.loc[(claims["kind"] == "count") & claims["subject"].isin(["studies", "trials"]), ["paper_id", "sentence"]].itertuples(index=False, name=None))
    # patients counted beside a count of studies are a total (study.cited_total), not one study's size
    about = claims[claims["refs"].str.fullmatch(r"\d+") & ~((claims["kind"] == "count") & pd.Series([k in tallied for k in zip(claims["paper_id"], claims["sentence"])], index=claims.index))]
    about = about.assign(work_id=[work_of.get((p, int(r))) for p, r in zip(about["paper_id"], about["refs"])])
    for (_paper, work), group in about.dropna(subset=["work_id"]).groupby(["paper_id", "work_id"]):
        for study in by_work.get(str(work), []):
            rules: list[Callable[[pd.DataFrame, Study], Iterable[Finding]]] = [_sample_size, _percent, *(partial(_category, category=c) for c in claimed), _dose, _follow_up]
            for rule in rules:
                yield from (replace(f, related=study.places()) for f in rule(group, study))


def _sample_size(group: pd.DataFrame, study: Study) -> Iterable[Finding]:
    """The largest cohort size the text gives the study: a count tagged 'size' or the
    denominator of 'x of y'. A smaller number than any the table gives may be a subgroup."""
    sizes = study.sizes()
    if not sizes:
        return
    said: list[tuple[float, str, pd.Series]] = []
    for _, claim in group.iterrows():
        v = _values(claim)
        if claim["kind"] == "count" and claim["subject"] == "patients" and "size" in claim["context"].split(";"):
            said.append((number(v["n"]) or 0, v["n"], claim))
        elif claim["kind"] == "proportion":
            said.append((number(v["y"]) or 0, v["y"], claim))
    if not said:
        return
    value, printed, claim = max(said, key=lambda t: t[0])
    subject = f"{study.paper_id}|{study.work_id}"
    if value in sizes:
        yield Finding("study.sample_size", "info", f"verified: '{claim['span']}' = {sizes[value]} of {study.label}", claim_location(claim), claim["paper_id"], printed, value, subject)
    elif value > study.treated():
        shown = ", ".join(f"{k:g} {v}" for k, v in sizes.items())
        yield Finding("study.sample_size", "warning", f"'{claim['span']}' but {study.label} gives {shown}", claim_location(claim), claim["paper_id"], printed, max(sizes), subject)


def _percent(group: pd.DataFrame, study: Study) -> Iterable[Finding]:
    """A percentage of the study's patients must be k/n for a whole k and a size n it has."""
    sizes = study.sizes()
    for _, claim in group[group["kind"] == "percent"].iterrows():
        pct = _values(claim)["pct"]
        value = number(pct)
        if value is None or not sizes:
            continue
        fits = [f"{k}/{n:g} ({what})" for n, what in sizes.items() for k in (math.floor(value * n / 100), math.ceil(value * n / 100)) if matches(pct, 100 * k / n)]
        subject = f"{claim['claim_id']}|{study.paper_id}|{study.work_id}"
        if fits:
            yield Finding("study.percent", "info", f"verified: {pct}% = {fits[0]} of {study.label}", claim_location(claim), claim["paper_id"], pct, fits[0], subject)
        else:
            shown = ", ".join(f"{n:g}" for n in sizes)
            yield Finding("study.percent", "warning", f"{pct}% is no whole number of the {shown} patients {study.label} gives", claim_location(claim), claim["paper_id"], pct, shown, subject)


def _category(group: pd.DataFrame, study: Study, category: Category) -> Iterable[Finding]:
    """The category values the text names for a study (the kind of intervention...) are
    among those of the study's rows; check ``study.<column>``."""
    column = category.column
    if column not in study.rows:
        return
    table = {c for c in (category.value_of(str(v)) for v in study.rows[column].dropna()) if c}
    mentions = group[(group["kind"] == "category") & (group["subject"] == category.name)]
    said = {c for c in (category.value_of(_values(m)["name"]) for _, m in mentions.iterrows()) if c}
    if not table or not said:
        return
    first = mentions.iloc[0]
    names = ", ".join(dict.fromkeys(_values(m)["name"] for _, m in mentions.iterrows()))
    subject = f"{study.paper_id}|{study.work_id}"
    shown = ", ".join(dict.fromkeys(study.rows[column].dropna().astype(str)))
    check = f"study.{column}"
    if said <= table:
        yield Finding(check, "info", f"verified: the text's {names} agree with {study.label} ({shown})", claim_location(first), first["paper_id"], names, shown, subject)
    else:
        yield Finding(check, "warning", f"the text names {names} ({', '.join(sorted(said - table))}) but {study.label} gives {shown}", claim_location(first), first["paper_id"], names, shown, subject)


def _dose(group: pd.DataFrame, study: Study) -> Iterable[Finding]:
    if "dose" not in study.rows:
        return
    rows = study.rows.assign(_value=pd.to_numeric(study.rows["dose"], errors="coerce")).dropna(subset=["_value"])
    table = [(float(v), str(b)) for v, b in zip(rows["_value"], rows.get("dose_basis", [""] * len(rows)))]
    printed = rows.get("dose_printed", rows["_value"]).astype(str)
    shown = "; ".join(f"{p} ({b.replace('_', ' ')})" for p, (_, b) in zip(printed, table))
    for _, claim in group[group["kind"] == "dose"].iterrows():
        v = _values(claim)
        mantissa, exponent = number(v["value"]), number(v["exp"].replace("−", "-"))
        if mantissa is None or exponent is None or not table:
            continue
        value = mantissa * 10**exponent
        unit = v.get("unit", "").replace(" ", "").lower()
        basis = "per_kg" if "kg" in unit else "absolute" if "cells" in unit else ""
        same = [(t, b) for t, b in table if math.isclose(t, value, rel_tol=1e-6)]
        subject = f"{claim['claim_id']}|{study.paper_id}|{study.work_id}"
        if same and (not basis or any(b == basis for _, b in same)):
            yield Finding("study.dose", "info", f"verified: {claim['span']} is the dose of {study.label}", claim_location(claim), claim["paper_id"], claim["span"], shown, subject)
        elif same:
            yield Finding("study.dose", "warning", f"{claim['span']} is {basis.replace('_', ' ')} but {study.label} gives {shown} (same number, another unit)", claim_location(claim), claim["paper_id"], claim["span"], shown, subject)
        else:
            yield Finding("study.dose", "warning", f"{claim['span']} but {study.label} gives {shown}", claim_location(claim), claim["paper_id"], claim["span"], shown, subject)


def _months(printed: str, unit: str) -> float | None:
    value = number(printed)
    per = MONTHS_PER.get(unit.lower().rstrip("s"))
    return None if value is None or per is None else value * per


def _follow_up(group: pd.DataFrame, study: Study) -> Iterable[Finding]:
    if "follow_up" not in study.rows:
        return
    table = sorted(set(pd.to_numeric(study.rows["follow_up"], errors="coerce").dropna()))
    if not table:
        return
    shown = ", ".join(dict.fromkeys(study.rows.get("follow_up_printed", study.rows["follow_up"]).astype(str)))
    for _, claim in group[group["kind"].isin(["duration", "timepoint"])].iterrows():
        v = _values(claim)
        months = _months(v["value"], v["unit"])
        if months is None:
            continue
        subject = f"{claim['claim_id']}|{study.paper_id}|{study.work_id}"
        close = [t for t in table if abs(t - months) <= max(0.5, 0.05 * t)]
        if claim["kind"] == "duration":
            ok, relation = bool(close), "is"
        else:
            ok, relation = months <= max(table) + max(0.5, 0.05 * max(table)), "lies within"
        if ok:
            yield Finding("study.follow_up", "info", f"verified: '{claim['span']}' {relation} the follow-up of {study.label} ({shown})", claim_location(claim), claim["paper_id"], claim["span"], shown, subject)
        else:
            why = "a different follow-up than" if claim["kind"] == "duration" else "a time point beyond the follow-up of"
            yield Finding("study.follow_up", "warning", f"'{claim['span']}' is {why} {study.label} ({shown})", claim_location(claim), claim["paper_id"], claim["span"], shown, subject)


def study_checks(claims: pd.DataFrame, curated: Path, review: Review) -> list[Finding]:
    """Every study.* finding for the claims of all papers against the review's included-studies tables."""
    tables = study_tables(curated, review)
    if not tables or claims.empty or "refs" not in claims:
        return []
    path = curated / "references.csv"
    entries = read_typed(path, ("paper_id", "index", "work_id"))[["paper_id", "index", "work_id"]] if path.exists() else pd.DataFrame()
    work_of = _work_index(entries)  # (paper, entry index) -> work id, for both kinds of check
    return [*totals(claims, tables, work_of, review.category_columns()), *described(claims, tables, work_of, review.claim_categories())]
