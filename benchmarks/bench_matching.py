"""Citation matching benchmark: speed, memory and accuracy of ``curate.matching.match``,
serially and on a local Dask cluster (``curate.matchpart``), side by side.

Run as ``python benchmarks/bench_matching.py`` (a few minutes on 2 cores); ``--sizes 100000
1000000`` adds the million (about 10 minutes more); ``--ten-million`` (SLOW: ~35 CPU minutes,
80 wall minutes on a shared 2-core machine; never in the test suite) adds ten million records
on the cluster alone, since one process cannot hold them (~2.7 GB a million). Two parts:

1. **Synthetic corpora with known truth**, each size serially and on ``--cluster`` (default
   ``local:2``): wall and CPU seconds, peak memory (the cluster's whole process tree: driver
   and scheduler, nannies, workers, sampled), precision/recall, and whether every record got
   the same work id as serially. The cluster's workers read the records from CSV partitions
   written beforehand (:func:`write_partitions`, streamed from :func:`iter_generate`). A generator
   (:func:`generate`) invents works and cites each one to seven times with realistic
   variants: initials or full given names, truncated author lists, journal abbreviations,
   typos in titles and surnames, missing fields, a year off by one, DOIs with and without
   resolver prefix; and look-alikes: the same author list in the same or the next year with a
   related title, sometimes in the same journal; twins whose titles differ by one contrast
   ("type 1" / "type 2", "in mice" / "in rats"); a conference abstract a year before the paper
   with the same title (a separate record, as Rathbone et al. count). Each size runs in a fresh child
   process (this script with ``--child N``), which prints the time, the peak RSS
   (``ru_maxrss``, records included) and pairwise precision/recall. At 10k the child also runs
   a naive all-pairs baseline: ``rapidfuzz.process.cdist`` of token-sorted titles over all
   pairs, linked at >= 90 with a year difference of at most one.
2. **Real deduplication benchmarks** in ``../shared/corpus/dedup``: the four Rathbone et al.
   (2015) sets and bib-dedupe's special cases, the ASySD diabetes set, and the DBLP-ACM
   labelled pairs. Printed: pairwise precision/recall/F1 against the gold clusters, unique
   records against the gold count, and bib-dedupe's record-level measures (its
   ``compare_dedupe_id``: keep one record per predicted cluster, count removed duplicates) next
   to the figures published for the tool each set comes from. The weights of
   ``curate.matching`` were set while reading the errors on haematology, respiratory,
   cytology_screening, asysd_diabetes and DBLP-ACM, so those figures are in-sample; stroke
   (and the synthetic corpora) were not used for tuning.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from curate.matching import MatchResult, Record, match  # noqa: E402

DEDUP = ROOT.parent / "shared" / "corpus" / "dedup"

# --------------------------------------------------------------------------------------------
# Published figures (record-level, bib-dedupe's compare_dedupe_id), quoted with their source
# --------------------------------------------------------------------------------------------

#: CoLRev-Environment/bib-dedupe, output/current_results.md at commit 05c158cde54a1e443c27d80d8f959b13f387ff9f
#: ("Individual datasets"): tool -> (FP, TP, FN, TN, sensitivity, precision, F1).
BIB_DEDUPE_TABLE = "bib-dedupe output/current_results.md @05c158c"
PUBLISHED: dict[str, dict[str, tuple[int, int, int, int, float, float, float]]] = {
    "haematology": {"bib-dedupe": (0, 120, 15, 1278, 0.8889, 1.0, 0.9412), "asysd": (0, 109, 26, 1278, 0.8074, 1.0, 0.8934), "asreview": (46, 119, 16, 1232, 0.8815, 0.7212, 0.7933)},
    "respiratory": {"bib-dedupe": (0, 408, 28, 1552, 0.9358, 1.0, 0.9668), "asysd": (0, 399, 37, 1552, 0.9151, 1.0, 0.9557), "asreview": (14, 425, 11, 1538, 0.9748, 0.9681, 0.9714)},
    "stroke": {"bib-dedupe": (0, 312, 2, 978, 0.9936, 1.0, 0.9968), "asysd": (0, 302, 12, 978, 0.9618, 1.0, 0.9805), "asreview": (12, 314, 0, 966, 1.0, 0.9632, 0.9812)},
    "cytology_screening": {"bib-dedupe": (0, 766, 6, 1084, 0.9922, 1.0, 0.9961), "asysd": (1, 751, 21, 1083, 0.9728, 0.9987, 0.9856), "asreview": (12, 772, 0, 1072, 1.0, 0.9847, 0.9923)},
    "special_cases": {"bib-dedupe": (0, 1, 2, 9, 0.3333, 1.0, 0.5), "asysd": (0, 1, 2, 9, 0.3333, 1.0, 0.5), "asreview": (2, 2, 1, 7, 0.6667, 0.5, 0.5714)},
    "asysd_diabetes": {"bib-dedupe": (0, 1261, 0, 584, 1.0, 1.0, 1.0), "asysd": (0, 1259, 2, 584, 0.9984, 1.0, 0.9992), "asreview": (24, 1251, 10, 560, 0.9921, 0.9812, 0.9866)},
}
#: Rathbone et al. 2015, Syst Rev 4:6 (doi 10.1186/2046-4053-4-6), abstract: record-level
#: sensitivity of their SRA-DM on the respiratory development set (1,988 records) and on the
#: three validation sets (the abstract does not say which figure is which set).
RATHBONE = "Rathbone 2015 (Syst Rev 4:6): SRA-DM sensitivity 84% / specificity 100% on respiratory (EndNote 51%); validation sets 90%, 84%, 84% (EndNote 63%, 73%, 64%)"
#: anhaidgroup/py_entitymatching, notebooks/guides/step_wise_em_guides/"Evaluating the Selected
#: Matcher.ipynb" (commit 479ea99): a decision tree trained on half of labeled_data_demo.csv,
#: scored on the other half (225 pairs).
MAGELLAN_DEMO = "py_entitymatching guide 'Evaluating the Selected Matcher': decision tree, 50% test split: P 1.0000 R 0.9315 F1 0.9645"

# --------------------------------------------------------------------------------------------
# Scoring helpers
# --------------------------------------------------------------------------------------------


def pairwise(predicted: Sequence[object], truth: Sequence[object]) -> tuple[float, float, int, int, int]:
    """Pairwise precision, recall, and the counts behind them, from two labellings of records."""

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(Counter(zip(predicted, truth)).values())
    found = pairs(Counter(predicted).values())
    real = pairs(Counter(truth).values())
    return (both / found if found else 1.0), (both / real if real else 1.0), both, found, real


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def record_level(ids: Sequence[str], result: MatchResult, gold: Sequence[Sequence[str]]) -> tuple[int, int, int, int]:
    """bib-dedupe's ``compare_dedupe_id``: keep the smallest id of each predicted work, then count
    (FP, TP, FN, TN) over gold clusters and gold singletons."""
    kept = {min(keys) for keys in result.clusters.values()}
    in_gold = {k for cluster in gold for k in cluster}
    fp = tp = fn = tn = 0
    for key in ids:
        if key not in in_gold:
            tn, fp = (tn + 1, fp) if key in kept else (tn, fp + 1)
    for cluster in gold:
        left = sum(k in kept for k in cluster)
        if left == 0:
            fp, tp = fp + 1, tp + len(cluster) - 1
        else:
            tn, fn, tp = tn + 1, fn + left - 1, tp + len(cluster) - left
    return fp, tp, fn, tn


# --------------------------------------------------------------------------------------------
# Synthetic corpora
# --------------------------------------------------------------------------------------------

COMMON_SURNAMES = (
    "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He Gao Luo Kim Lee Park Choi Jung "
    "Nguyen Tran Le Pham Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Thomas Müller Schmidt "
    "Schneider Fischer Weber García Martínez Rodríguez López González Pérez Sánchez Rossi Russo Ferrari Bianchi "
    "Dubois Martin Bernard Petit Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Kumar Singh Sharma Patel "
    "Gupta Jain Khan Ali Ahmed Silva Santos Oliveira Souza Costa Novak Kowalski Nowak Ivanov Popov Jensen Hansen"
).split()
PARTICLES = ("van", "van der", "de", "De", "von", "El", "da", "Di")
SYLLABLES = (
    "ka ri to mi sa na lo be ra mu te ho ki va ne da si po lu ge ba fa ro zi mo ha ve ta ru go bi "
    "an el or in us ar en il os ur am em im om um ber ger man son sen ski ova ez ini elli ard ton ley"
).split()
ACCENTS = str.maketrans("aeiou", "áéíöú")
COMMON_WORDS = (
    "stem cells cell mesenchymal diabetes type patients therapy treatment clinical trial randomized study "
    "insulin glucose islet transplantation bone marrow derived human mice rats effect effects safety efficacy "
    "function regeneration disease acute chronic analysis outcome outcomes risk factors cohort expression "
    "protein gene receptor signaling pathway inflammation immune response injury model review meta "
    "controlled placebo phase pilot long term follow up umbilical cord adipose tissue blood serum children adults"
).split()
STOP = "of in and with for the a on by after during versus".split()
JOURNALS = [
    ("Stem Cells and Development", "Stem Cells Dev"), ("Diabetology & Metabolic Syndrome", "Diabetol Metab Syndr"),
    ("Journal of the American Medical Association", "JAMA"), ("Cell Transplantation", "Cell Transplant"),
    ("Experimental and Therapeutic Medicine", "Exp Ther Med"), ("Endocrine Journal", "Endocr J"),
    ("Stem Cell Research & Therapy", "Stem Cell Res Ther"), ("Frontiers of Medicine", "Front Med"),
    ("Nature Biotechnology", "Nat Biotechnol"), ("Diabetes Care", "Diabetes Care"), ("Diabetes", "Diabetes"),
    ("Diabetologia", "Diabetologia"), ("Cytotherapy", "Cytotherapy"), ("Transplantation", "Transplantation"),
    ("Proceedings of the National Academy of Sciences of the United States of America", "Proc Natl Acad Sci U S A"),
    ("New England Journal of Medicine", "N Engl J Med"), ("British Medical Journal", "BMJ"), ("PLoS One", "PLoS One"),
    ("Journal of Clinical Endocrinology and Metabolism", "J Clin Endocrinol Metab"), ("Bone Marrow Transplantation", "Bone Marrow Transplant"),
    ("BMC Medicine", "BMC Med"), ("Stem Cells Translational Medicine", "Stem Cells Transl Med"), ("Stem Cells", "Stem Cells"),
    ("Clinical Nuclear Medicine", "Clin Nucl Med"), ("World Journal of Diabetes", "World J Diabetes"),
    ("Journal of Diabetes Research", "J Diabetes Res"), ("Biochemical and Biophysical Research Communications", "Biochem Biophys Res Commun"),
    ("Cell Death & Disease", "Cell Death Dis"), ("Hepatology", "Hepatology"), ("The Lancet", "Lancet"),
]
TWINS = [("in type 1 diabetes", "in type 2 diabetes"), ("in adults", "in children"), ("phase II trial", "phase III trial"), ("in mice", "in rats")]
MEETINGS = [(f"Abstracts of the {k} Annual Meeting of the {s}", f"Abstr {k} Annu Meet {a}") for k, s, a in (
    ("45th", "European Association for the Study of Diabetes", "EASD"), ("72nd", "American Diabetes Association", "ADA"),
    ("21st", "International Society for Cell Therapy", "ISCT"), ("30th", "European Renal Association", "ERA"))]
VENUE_WORDS = "Clinical Experimental Molecular Cellular Applied International European American Translational Regenerative Pediatric Surgical".split()
VENUE_TOPICS = "Medicine Endocrinology Immunology Oncology Cardiology Nephrology Hepatology Pathology Pharmacology Physiology Biology Research Science".split()


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _abbreviate(word: str, rng: random.Random) -> str:
    """A plausible NLM-style abbreviation: a prefix of the word."""
    return word if len(word) <= 5 else word[: rng.randint(3, 5)]


def _venues(rng: random.Random, extra: int) -> list[tuple[str, str]]:
    """Real journals plus invented ones with their abbreviations."""
    out = list(JOURNALS)
    for _ in range(extra):
        a, b = rng.choice(VENUE_WORDS), rng.choice(VENUE_TOPICS)
        if rng.random() < 0.5:
            out.append((f"Journal of {a} {b}", f"J {_abbreviate(a, rng)} {_abbreviate(b, rng)}"))
        else:
            c = _word(rng, 3).capitalize()
            out.append((f"{c} {a} {b} and Research", f"{_abbreviate(c, rng)} {_abbreviate(a, rng)} {_abbreviate(b, rng)} Res"))
    return out


def _typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a substitution, deletion, insertion or swap of adjacent letters."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


class Work:
    """One publication: the truth that citations vary around."""

    __slots__ = ("authors", "year", "title", "venue", "volume", "issue", "first", "last", "doi")

    def __init__(self, authors: list[tuple[str, str, str]], year: int, title: str, venue: tuple[str, str], rng: random.Random) -> None:
        self.authors = authors  # (surname, initials, given name)
        self.year, self.title, self.venue = year, title, venue
        self.volume = str(rng.randint(1, 120))
        self.issue = str(rng.randint(1, 12))
        self.first = rng.randint(1, 3000)
        self.last = self.first + rng.randint(2, 14)
        self.doi = f"10.{rng.randint(1000, 9999)}/{_word(rng, 2)}.{year}.{rng.randint(1, 99999)}" if rng.random() < 0.6 else ""


def generate(n_records: int, seed: int = 7) -> tuple[list[Record], list[int]]:
    """``n_records`` citations of invented works, and the index of each one's true work."""
    records: list[Record] = []
    truth: list[int] = []
    for record, work in iter_generate(n_records, seed):
        records.append(record)
        truth.append(work)
    return records, truth


def iter_generate(n_records: int, seed: int = 7) -> Iterator[tuple[Record, int]]:
    """The citations of :func:`generate` one at a time (with their true work's index), keeping
    only the last works: ten million records fit in a few hundred MB this way."""
    rng = random.Random(seed)
    tail = [_word(rng, rng.randint(2, 3)).capitalize() for _ in range(max(2000, n_records // 6))]
    for i in range(0, len(tail), 20):
        tail[i] = tail[i].translate(ACCENTS)
    for i in range(7, len(tail), 40):
        tail[i] = f"{tail[i]}-{tail[i + 1] if i + 1 < len(tail) else 'Ruiz'}"
    for i in range(11, len(tail), 50):
        tail[i] = f"{rng.choice(PARTICLES)} {tail[i]}"
    vocabulary = [_word(rng, rng.randint(2, 4)) for _ in range(max(5000, n_records // 10))]
    venues = _venues(rng, 400)

    def person() -> tuple[str, str, str]:
        surname = rng.choice(COMMON_SURNAMES) if rng.random() < 0.3 else tail[int(len(tail) * rng.random() ** 1.5)]
        initials = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.choice((1, 1, 2))))
        given = _word(rng, 2).capitalize()
        return surname, initials, initials[0] + given[1:] if given else initials

    def title_words(k: int) -> list[str]:
        return [rng.choice(COMMON_WORDS) if rng.random() < 0.5 else vocabulary[int(len(vocabulary) * rng.random() ** 2)] for _ in range(k)]

    def make_title(words: list[str]) -> str:
        out = []
        for w in words:
            out.append(w)
            if rng.random() < 0.15:
                out.append(rng.choice(STOP))
        text = " ".join(out)
        return text[0].upper() + text[1:]

    made = 0  # records so far
    works: deque[Work] = deque(maxlen=50)  # the last works (look-alikes and abstracts refer back)
    n_works = 0

    def cite(work: Work) -> Iterator[tuple[Record, int]]:
        nonlocal made
        for _ in range(min(7, 1 + int(rng.expovariate(1 / 1.2)))):
            if made < n_records:
                yield _cite(work, f"r{made}", rng), n_works - 1
                made += 1

    while made < n_records:
        roll = rng.random()
        if works and roll < 0.12:
            # A look-alike: the same group, the same or next year, a related title.
            sib = works[-rng.randint(1, min(n_works, 50))]
            words = sib.title.lower().split()
            keep = set(rng.sample(range(len(words)), len(words) // 2))
            new = [w if i in keep else rng.choice(COMMON_WORDS + vocabulary[:500]) for i, w in enumerate(words)]
            venue = sib.venue if rng.random() < 0.5 else rng.choice(venues)
            work = Work(list(sib.authors), sib.year + rng.choice((0, 0, 1)), make_title(new), venue, rng)
        elif roll < 0.18:
            # Twins: one title but for a contrast ("type 1" / "type 2", "in adults" / "in
            # children", "phase II" / "phase III"), same group, year and journal.
            one, other = rng.choice(TWINS)
            authors = [person() for _ in range(min(12, 1 + int(rng.expovariate(1 / 4))))]
            base = make_title(title_words(rng.randint(5, 12)))
            first = Work(authors, rng.randint(1985, 2024), f"{base} {one}", rng.choice(venues), rng)
            works.append(first)
            n_works += 1
            yield from cite(first)
            work = Work(list(authors), first.year, f"{base} {other}", first.venue, rng)
        elif works and roll < 0.22:
            # The conference abstract of a later paper: same title and group, a year earlier,
            # a meeting's abstract book (a separate record in the Rathbone et al. sense).
            sib = works[-1]
            work = Work(list(sib.authors), sib.year - 1, sib.title, rng.choice(MEETINGS), rng)
            work.first = work.last = rng.randint(1, 900)
        else:
            authors = [person() for _ in range(min(12, 1 + int(rng.expovariate(1 / 4))))]
            work = Work(authors, rng.randint(1985, 2024), make_title(title_words(rng.randint(5, 14))), rng.choice(venues), rng)
        works.append(work)
        n_works += 1
        yield from cite(work)


def _cite(work: Work, key: str, rng: random.Random) -> Record:
    """One citation of ``work`` in a random style with random errors."""
    people = list(work.authors)
    cut = rng.random()
    if cut < 0.3 and len(people) > 6:
        people = people[:6]
    elif cut < 0.4 and len(people) > 3:
        people = people[:3]
    full = rng.random() < 0.2
    vancouver = rng.random() < 0.5
    names = []
    printed = []
    for surname, initials, given in people:
        if rng.random() < 0.1:
            surname = surname.translate(str.maketrans("áéíöúüñç", "aeiouunc"))
        if not printed and rng.random() < 0.02:
            surname = _typo(surname, rng)
        printed.append(surname)
        names.append(f"{surname}, {given}" if full else f"{surname} {initials}" if vancouver else f"{surname}, {'. '.join(initials)}.")

    title = work.title
    roll = rng.random()
    if roll < 0.2:
        title = _typo(title, rng)
    elif roll < 0.3:
        title = title.upper() if rng.random() < 0.3 else title.title()
    elif roll < 0.35:
        title = title + "."
    if rng.random() < 0.02:
        title = ""

    year = work.year
    if rng.random() < 0.05:
        year += rng.choice((-1, 1))
    full_venue, short_venue = work.venue
    venue = "" if rng.random() < 0.1 else short_venue if rng.random() < 0.5 else full_venue
    volume = "" if rng.random() < 0.3 else work.volume
    issue = work.issue if volume and rng.random() < 0.5 else ""
    if rng.random() < 0.3:
        pages = ""
    elif rng.random() < 0.3:
        last = str(work.last)
        pages = f"{work.first}-{last[-2:] if len(last) > 2 and last[:-2] == str(work.first)[:-2] else last}"
    else:
        pages = f"{work.first}–{work.last}"
    doi = ""
    if work.doi and rng.random() < 0.5:
        doi = rng.choice((work.doi, work.doi.upper(), f"https://doi.org/{work.doi}", f"doi:{work.doi}"))
    return Record(key, printed[0], "; ".join(names), year if rng.random() > 0.02 else None, title, venue, volume, issue, pages, doi)


def naive_all_pairs(records: Sequence[Record], truth: Sequence[int]) -> dict[str, float]:
    """The obvious baseline: fuzzy titles over all pairs (cdist), year within one, union-find."""
    import numpy as np
    from rapidfuzz import fuzz, process, utils

    start = time.perf_counter()
    # token_sort_ratio = ratio of the token-sorted strings: sort once, then the SIMD ratio.
    titles = [" ".join(sorted(utils.default_process(r.title).split())) for r in records]
    matrix = process.cdist(titles, titles, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8, workers=-1)
    rows, cols = np.nonzero(np.triu(matrix, 1))
    del matrix
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(rows.tolist(), cols.tolist()):
        a, b = records[i], records[j]
        if titles[i] and (a.year is None or b.year is None or abs(a.year - b.year) <= 1):
            parent[find(i)] = find(j)
    labels = [find(i) for i in range(len(records))]
    precision, recall, *_ = pairwise(labels, truth)
    return {"seconds": time.perf_counter() - start, "precision": precision, "recall": recall}


def _rss_kb() -> int:
    """Current resident set size of this process (KB)."""
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))


class Tree:
    """Peak memory and CPU time of this process and all its descendants (a Dask cluster's
    scheduler, nannies and workers), sampled every 0.2 s: resident memory, and its anonymous
    part (without the file pages of the work folder's memory maps, which the kernel can drop)."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak_rss = self.peak_anon = self.peak_driver = 0
        self.cpu_seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        rss = anon = 0
        for proc in [self.me, *self.me.children(recursive=True)]:
            try:
                mem, cpu = proc.memory_info(), proc.cpu_times()
            except psutil.Error:
                continue
            rss += mem.rss
            anon += mem.rss - mem.shared
            if proc.pid != self.me.pid:
                self.cpu_seen[proc.pid] = cpu.user + cpu.system
            else:
                self.peak_driver = max(self.peak_driver, mem.rss - mem.shared)
        self.peak_rss, self.peak_anon = max(self.peak_rss, rss), max(self.peak_anon, anon)

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def stop(self) -> dict[str, float]:
        """Peaks (MB) and the CPU seconds of the descendants (as last seen) and of this process."""
        self._sample()
        self._stop.set()
        self._thread.join()
        return {
            "peak_rss_mb": self.peak_rss / 2**20, "peak_anon_mb": self.peak_anon / 2**20, "peak_driver_mb": self.peak_driver / 2**20,
            "cpu_children_s": sum(self.cpu_seen.values()),
        }


def measures(labels: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of work labels against the true works (numpy: ten million)."""

    def pairs(*columns: np.ndarray) -> int:
        _, counts = np.unique(np.stack(columns, axis=1), axis=0, return_counts=True) if len(columns) > 1 else np.unique(columns[0], return_counts=True)
        return int((counts * (counts - 1) // 2).sum())

    both, found, real = pairs(labels, truth), pairs(labels), pairs(truth)
    return (both / found if found else 1.0), (both / real if real else 1.0)


def digest(ids: Iterable[str]) -> str:
    """A fingerprint of each record's work id, in record order (same works and ids as serial)."""
    h = hashlib.sha256()
    for wid in ids:
        h.update(wid.encode() + b"\n")
    return h.hexdigest()[:16]


def child(n: int, naive: bool) -> None:
    """One synthetic size serially, in its own process: prints a JSON line with the measurements."""
    start = time.perf_counter()
    records, truth = generate(n)
    generated = time.perf_counter() - start
    before = _rss_kb()
    start, cpu = time.perf_counter(), time.process_time()
    result = match(records)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    labels = [result.work_of[r.key] for r in records]
    precision, recall, _, found, real = pairwise(labels, truth)
    out = {
        "n": n, "works": len(set(truth)), "found_works": len(result.clusters), "generate_s": generated, "match_s": seconds, "cpu_s": cpu,
        "rss_before_mb": before / 1024, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "precision": precision, "recall": recall, "true_pairs": real, "found_pairs": found, "unsure": len(result.unsure), "digest": digest(labels),
    }
    if naive:
        out["naive"] = naive_all_pairs(records, truth)
    print(json.dumps(out))


def write_partitions(n: int, folder: Path, size: int) -> None:
    """The records of ``generate(n)`` as CSV files of ``size`` records (and a truth file),
    written as they are generated: ten million records never sit in memory at once."""
    from curate.matchpart import write_records

    batch: list[Record] = []
    truth = np.empty(n, dtype=np.int64)
    part = 0
    for k, (record, work) in enumerate(iter_generate(n)):
        batch.append(record)
        truth[k] = work
        if len(batch) == size or k == n - 1:
            write_records(batch, folder / f"part{part:04d}.csv")
            batch, part = [], part + 1
    np.save(folder / "truth.npy", truth)


def child_cluster(folder: Path, spec: str) -> None:
    """One synthetic size on a Dask cluster, its records read from CSV files by the workers:
    prints a JSON line (time, CPU and peak memory of the whole process tree)."""
    from curate.extract.cluster import connect
    from curate.matchpart import csv_sources, match_partitions

    tree = Tree()
    start, cpu = time.perf_counter(), time.process_time()
    with connect(spec) as client:
        started = time.perf_counter() - start
        found = match_partitions(csv_sources(sorted(folder.glob("part*.csv"))), client, detail=False, workdir=folder)
        seconds = time.perf_counter() - start
        used = tree.stop()
    truth = np.load(folder / "truth.npy")
    precision, recall = measures(found.work, truth)
    group = np.searchsorted(np.unique(found.work), found.work)
    out = {
        "n": len(truth), "works": len(np.unique(truth)), "found_works": len(found.ids), "match_s": seconds, "start_s": started,
        "cpu_s": time.process_time() - cpu + used["cpu_children_s"], **used, "precision": precision, "recall": recall,
        "stages": found.seconds, "digest": digest(found.ids[g] for g in group.tolist()),
    }
    print(json.dumps(out))


def _run_child(args: list[str]) -> dict | str:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def synthetic(sizes: Sequence[int], cluster: str, ten_million: bool) -> None:
    print("Synthetic corpora (truth known), serially and on a local Dask cluster, each run in a fresh process.")
    print("serial: records generated in the process (peak RSS includes them); cluster: the workers read the records from CSV")
    print("partitions; peak memory and CPU of the whole process tree (driver and scheduler, nannies, workers), resident and anonymous")
    print(f"{'records':>9} {'mode':<8} {'works':>8} {'found':>8} {'match s':>8} {'cpu s':>7} {'peak MB':>8} {'anon MB':>8} {'precision':>9} {'recall':>7}  same ids")
    runs = [(n, True) for n in sizes] + ([(10_000_000, False)] if ten_million else [])
    for n, serial in runs:
        first = None
        if serial:
            r = _run_child(["--child", str(n)] + (["--naive"] if n <= 10_000 else []))
            if isinstance(r, str):
                print(f"{n:>9} {'serial':<8} failed: {r}")
            else:
                first = r["digest"]
                print(
                    f"{r['n']:>9} {'serial':<8} {r['works']:>8} {r['found_works']:>8} {r['match_s']:>8.1f} {r['cpu_s']:>7.1f} {r['peak_rss_mb']:>8.0f} {'':>8} "
                    f"{r['precision']:>9.4f} {r['recall']:>7.4f}  -"
                )
                if "naive" in r:
                    nv = r["naive"]
                    print(f"{'':>9} naive all-pairs cdist (token_sort_ratio >= 90, year +-1): {nv['seconds']:.1f} s, precision {nv['precision']:.4f}, recall {nv['recall']:.4f}")
        else:
            print(f"{n:>9} {'serial':<8} not run: one process holds every record (~2.7 GB a million), more than this machine's memory")
        with tempfile.TemporaryDirectory() as tmp:
            size = max(1, -(-n // max(4, -(-n // 250_000))))
            write_partitions(n, Path(tmp), size)
            r = _run_child(["--child-cluster", tmp, cluster])
        if isinstance(r, str):
            print(f"{n:>9} {cluster:<8} failed: {r}")
            continue
        same = "-" if first is None else ("yes" if r["digest"] == first else "NO")
        print(
            f"{r['n']:>9} {cluster:<8} {r['works']:>8} {r['found_works']:>8} {r['match_s']:>8.1f} {r['cpu_s']:>7.1f} {r['peak_rss_mb']:>8.0f} {r['peak_anon_mb']:>8.0f} "
            f"{r['precision']:>9.4f} {r['recall']:>7.4f}  {same}"
        )
        print(f"{'':>9} cluster start {r['start_s']:.1f} s; driver (and scheduler) peak {r['peak_driver_mb']:.0f} MB anonymous; stages (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items()))


# --------------------------------------------------------------------------------------------
# Real benchmarks
# --------------------------------------------------------------------------------------------


def load_bib_dedupe(folder: Path) -> tuple[list[Record], list[list[str]]]:
    """A bib-dedupe style folder: records_pre_merged.csv and merged_record_ids.csv."""
    with open(folder / "records_pre_merged.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    records = [
        Record.from_mapping({**row, "authors": row.get("author"), "venue": row.get("journal") or row.get("booktitle"), "issue": row.get("number") or row.get("issue")}, key=row["ID"])
        for row in rows
    ]
    with open(folder / "merged_record_ids.csv", newline="", encoding="utf-8") as handle:
        gold = [row["merged_ids"].split(";") for row in csv.DictReader(handle)]
    return records, gold


def load_diabetes(folder: Path) -> tuple[list[Record], list[list[str]]]:
    """The ASySD diabetes set (Windows-1252); ids follow merged_record_ids.csv (id_0000699)."""
    with open(folder / "labelled_test_set.csv", newline="", encoding="cp1252") as handle:
        rows = list(csv.DictReader(handle))
    records = [
        Record.from_mapping({**row, "authors": row["author"], "venue": row["journal"], "issue": row["number"]}, key=f"id_{int(row['record_id']):07d}")
        for row in rows
    ]
    with open(folder / "merged_record_ids.csv", newline="", encoding="utf-8") as handle:
        gold = [row["merged_ids"].split(";") for row in csv.DictReader(handle)]
    return records, gold


def report_clusters(name: str, records: list[Record], gold: list[list[str]]) -> None:
    start = time.perf_counter()
    result = match(records)
    seconds = time.perf_counter() - start
    label_of = {k: i for i, cluster in enumerate(gold) for k in cluster}
    keys = [r.key for r in records]
    truth = [label_of.get(k, k) for k in keys]
    precision, recall, *_ = pairwise([result.work_of[k] for k in keys], truth)
    fp, tp, fn, tn = record_level(keys, result, gold)
    sens = tp / (tp + fn) if tp + fn else 1.0
    prec = tp / (tp + fp) if tp + fp else 1.0
    print(
        f"{name:<19} {len(records):>6} {len(result.clusters):>7} {len(set(truth)):>7} {precision:>8.4f} {recall:>7.4f} {f1(precision, recall):>7.4f}"
        f"   rec-level FP {fp:>3} TP {tp:>5} FN {fn:>4} TN {tn:>5} sens {sens:.4f} prec {prec:.4f} F1 {f1(prec, sens):.4f}  unsure {len(result.unsure):>3}  {seconds:.1f}s"
    )
    for tool, (pfp, ptp, pfn, ptn, psens, pprec, pf1) in PUBLISHED.get(name, {}).items():
        print(f"{'':<19} published {tool:<10} FP {pfp:>3} TP {ptp:>5} FN {pfn:>4} TN {ptn:>5} sens {psens:.4f} prec {pprec:.4f} F1 {pf1:.4f}")


def report_pairs(name: str, left: Path, right: Path, labels: Path, id_columns: tuple[str, str], gold_column: str) -> None:
    """Cross-source matching: cluster both tables together, score only the labelled pairs."""
    records = []
    for side, path in (("L", left), ("R", right)):
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                records.append(Record.from_mapping({**row, "venue": row.get("venue", "")}, key=f"{side}:{row['id']}"))
    start = time.perf_counter()
    result = match(records)
    seconds = time.perf_counter() - start
    flagged = {frozenset((p.key_a, p.key_b)) for p in result.unsure}
    tp = fp = fn = tn = to_steward = 0
    with open(labels, newline="", encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            left, right = f"L:{row[id_columns[0]]}", f"R:{row[id_columns[1]]}"
            same = result.work_of[left] == result.work_of[right]
            gold = row[gold_column] == "1"
            tp += same and gold
            fp += same and not gold
            fn += gold and not same
            tn += not gold and not same
            to_steward += gold and not same and frozenset((left, right)) in flagged
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"{name:<19} {len(records):>6} records, {tp + fp + fn + tn} labelled pairs: TP {tp} FP {fp} FN {fn} (of which {to_steward} in the unsure list) TN {tn}"
        f"  precision {precision:.4f} recall {recall:.4f} F1 {f1(precision, recall):.4f}  {seconds:.1f}s"
    )


def real() -> None:
    if not DEDUP.exists():
        print(f"{DEDUP} is missing: real benchmarks skipped")
        return
    print(f"\nReal deduplication benchmarks ({DEDUP}); pairwise = all pairs inside gold clusters; record-level = bib-dedupe's compare_dedupe_id")
    print(f"{'set':<19} {'records':>6} {'works':>7} {'gold':>7} {'pair P':>8} {'pair R':>7} {'pair F1':>7}")
    for name in ("haematology", "respiratory", "stroke", "cytology_screening", "special_cases"):
        report_clusters(name, *load_bib_dedupe(DEDUP / name))
    report_clusters("asysd_diabetes", *load_diabetes(DEDUP / "asysd_diabetes"))
    print(f"published figures: {BIB_DEDUPE_TABLE} (record-level); {RATHBONE}")
    folder = DEDUP / "dblp_acm"
    report_pairs("dblp_acm", folder / "DBLP.csv", folder / "ACM.csv", folder / "dblp_acm_labelled_pairs.csv", ("ltable.id", "rtable.id"), "gold")
    demo = folder / "demo"
    report_pairs("dblp_acm demo", demo / "dblp_demo.csv", demo / "acm_demo.csv", demo / "labeled_data_demo.csv", ("ltable_id", "rtable_id"), "label")
    print(f"published figures: {MAGELLAN_DEMO}; none found for the 415 DBLP-ACM labelled pairs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="synthetic corpus sizes (add 1000000 for 1M)")
    parser.add_argument("--cluster", default="local:2", help="the Dask cluster of the side-by-side runs (default local:2)")
    parser.add_argument("--ten-million", action="store_true", help="SLOW (~35 CPU minutes): also 10M records on the cluster")
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic corpora")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-cluster", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.naive)
        return
    if args.child_cluster:
        child_cluster(Path(args.child_cluster[0]), args.child_cluster[1])
        return
    print(f"curate.matching benchmark on {os.cpu_count()} cores")
    synthetic(args.sizes, args.cluster, args.ten_million)
    if not args.skip_real:
        real()


if __name__ == "__main__":
    main()
