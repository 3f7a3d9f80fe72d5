"""The works matcher on a Dask cluster, over partitions of the records.

:func:`curate.matching.match` holds every record and its normalised form in one process,
about 2.7 GB a million entries. Here no process holds them all, and the records are read and
normalised where they are processed:

1. **Normalise** (a task per partition of records, read on the worker: a list of records, or a
   function that reads them such as :func:`read_records` of a CSV file): each record is
   normalised and written to the partition's column store in the work folder (:class:`_Part`),
   and its surname/year and DOI blocking keys to the key bucket their value hashes to. The
   task's title-word counts are summed on the workers (a tree), so that the driver learns
   which title tokens are rare.
2. **Token keys** (a task per partition): pairs of each record's rarest title tokens, to
   their buckets.
3. **Block** (a task per key bucket): a block never straddles buckets, so each bucket forms
   its blocks' candidate pairs alone (large blocks in title order, the titles of their members
   read from the store) and writes them to the pair bucket of their first record.
4. **Score** (a task per pair bucket): the distinct pairs, the vectorised bound, then the
   exact score of the rest, reading from the store only the records the pairs name. The kept
   pairs return to the driver as arrays; the cannot-links (and, for a :class:`MatchResult`,
   the pairs' reasons) stay on disk.
5. **Cluster** (the driver): connected components of the "same" pairs over integer arrays;
   the cannot-links are read bucket by bucket and only those inside a component kept; those
   components are clustered pair by pair as serially.
6. **Work ids** (a task per range of works), from the rows of each work's records.

Blocks, pairs, scores and clustering are those of a serial run, so are the works, their ids
and the pairs: ``tests/test_cluster.py`` compares them.
"""

from __future__ import annotations

import marshal
import mmap
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from curate.matching import (
    _CHUNK,
    Decision,
    MatchResult,
    Normalised,
    Record,
    Thresholds,
    _block_pairs,
    _bound_fields,
    _card,
    _cluster,
    _Columns,
    _filled,
    _gc_paused,
    _Kept,
    _name_keys,
    _rarest,
    _result,
    _score_pairs,
    _Scored,
    _sorted_distinct,
    _steward_pairs,
    _title_words,
    _token_keys,
    _token_ranks,
    _unique_ids,
    _work_base,
    _work_order,
    normalise,
)

#: Records per partition when the records are given in memory.
PARTITION = 100_000

#: The fields of a record as its CSV file (:func:`write_records`) holds them.
FIELDS = ("key", "first_author", "authors", "year", "title", "venue", "volume", "issue", "pages", "doi")

Source = Sequence[Record] | Callable[[], Sequence[Record]]
_DECISIONS: tuple[Decision, ...] = ("same", "unsure", "different")


# --------------------------------------------------------------------------------------------
# Records on disk
# --------------------------------------------------------------------------------------------


def write_records(records: Sequence[Record], path: Path) -> None:
    """Records as a CSV file that :func:`read_records` reads on a worker."""
    frame = pd.DataFrame([[getattr(r, f) for f in FIELDS] for r in records], columns=list(FIELDS))
    frame["year"] = frame["year"].astype("Int64")
    frame.to_csv(path, index=False)


def read_records(path: Path) -> list[Record]:
    """The records of a CSV file written by :func:`write_records` (missing year: empty)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    return [
        Record(key, first, authors, int(year) if year else None, title, venue, volume, issue, pages, doi)
        for key, first, authors, year, title, venue, volume, issue, pages, doi in zip(*(frame[f].tolist() for f in FIELDS))
    ]


def partitions(records: Sequence[Record], client: Any) -> list[Any]:
    """Records in memory as partitions sent once each to a worker (futures of functions that
    unpickle them: Dask would serialise a list item by item), enough of them to keep every
    worker busy."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    count = max(2 * workers, -(-len(records) // PARTITION))
    size = max(1, -(-len(records) // count))
    parts = [partial(_unpickle, pickle.dumps([tuple(getattr(r, f) for f in FIELDS) for r in records[start : start + size]], protocol=5)) for start in range(0, max(len(records), 1), size)]
    scattered: list[Any] = client.scatter(parts, hash=False)
    return scattered


def _unpickle(data: bytes) -> list[Record]:
    return [Record(*fields) for fields in pickle.loads(data)]


# --------------------------------------------------------------------------------------------
# The column store: one folder per partition
# --------------------------------------------------------------------------------------------


def _write_column(folder: Path, name: str, encoded: Sequence[bytes]) -> None:
    """One column: its values' bytes end to end, and where each starts (read by :class:`_Part`)."""
    np.save(folder / f"{name}.off.npy", np.cumsum([0, *map(len, encoded)], dtype=np.int64))
    (folder / f"{name}.bin").write_bytes(b"".join(encoded))


def _write_strings(folder: Path, name: str, values: Sequence[str]) -> None:
    _write_column(folder, name, [v.encode() for v in values])


def _write_blobs(folder: Path, name: str, values: Sequence[Any]) -> None:
    _write_column(folder, name, [marshal.dumps(v) for v in values])


class _Part:
    """One partition's stored rows, read through memory maps (only the rows asked for are read)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._maps: dict[str, tuple[Any, np.ndarray]] = {}
        self._num: np.ndarray | None = None

    def _column(self, name: str) -> tuple[Any, np.ndarray]:
        if name not in self._maps:
            path = self.folder / f"{name}.bin"
            offsets = np.load(self.folder / f"{name}.off.npy")
            if path.stat().st_size:
                with open(path, "rb") as handle:
                    data: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                data = b""
            self._maps[name] = (data, offsets)
        return self._maps[name]

    def _values(self, name: str, rows: np.ndarray, decode: Callable[[bytes], Any]) -> list[Any]:
        data, offsets = self._column(name)
        return [decode(data[a:b]) for a, b in zip(offsets[rows].tolist(), offsets[rows + 1].tolist())]

    def strings(self, name: str, rows: np.ndarray) -> list[str]:
        return self._values(name, rows, bytes.decode)

    def blobs(self, name: str, rows: np.ndarray) -> list[Any]:
        return self._values(name, rows, marshal.loads)

    def num(self) -> np.ndarray:
        if self._num is None:
            self._num = np.load(self.folder / "num.npy", mmap_mode="r")
        return self._num

    def close(self) -> None:
        for data, _ in self._maps.values():
            if isinstance(data, mmap.mmap):
                data.close()
        self._maps.clear()
        self._num = None


class _Store:
    """Every partition's stored rows, addressed by global record number."""

    def __init__(self, root: Path, offsets: np.ndarray) -> None:
        self.root, self.offsets = root, offsets
        self._parts: dict[int, _Part] = {}

    def __enter__(self) -> _Store:
        return self

    def __exit__(self, *exc: object) -> None:
        for part in self._parts.values():
            part.close()

    def _split(self, gids: np.ndarray) -> Iterator[tuple[_Part, np.ndarray, np.ndarray]]:
        """Per partition: its store, the positions in ``gids`` and its local rows."""
        which = np.searchsorted(self.offsets, gids, side="right") - 1
        order = np.argsort(which, kind="stable")
        bounds = np.flatnonzero(np.diff(which[order])) + 1
        for at in np.split(order, bounds) if len(gids) else []:
            p = int(which[at[0]])
            if p not in self._parts:
                self._parts[p] = _Part(self.root / "store" / str(p))
            yield self._parts[p], at, gids[at] - self.offsets[p]

    def _values(self, gids: np.ndarray, read: Callable[[_Part, np.ndarray], list[Any]]) -> list[Any]:
        """``read``'s values for the records ``gids``, in their order, each partition read once."""
        out: list[Any] = [None] * len(gids)
        for part, at, rows in self._split(gids):
            for k, value in zip(at.tolist(), read(part, rows)):
                out[k] = value
        return out

    def strings(self, name: str, gids: np.ndarray) -> list[str]:
        return self._values(gids, lambda part, rows: part.strings(name, rows))

    def blobs(self, name: str, gids: np.ndarray) -> list[Any]:
        return self._values(gids, lambda part, rows: part.blobs(name, rows))

    def num(self, gids: np.ndarray) -> np.ndarray:
        out = np.empty((len(gids), 5), dtype=np.int64)
        for part, at, rows in self._split(gids):
            out[at] = part.num()[rows]
        return out


def _row(norm: Normalised) -> tuple[Any, ...]:
    """A stored row: the fields of :class:`Normalised` in order."""
    return (norm.surname, norm.year, norm.title, norm.title_sorted, norm.author_text, norm.venue, norm.volume, norm.first_page, norm.page_range, norm.doi, norm.notice)


# --------------------------------------------------------------------------------------------
# The tasks
# --------------------------------------------------------------------------------------------


def _bucket_of(values: np.ndarray, buckets: int) -> np.ndarray:
    bucket: np.ndarray = (pd.util.hash_array(values) % np.uint64(buckets)).astype(np.int64)
    return bucket


def _write_keys(root: Path, p: int, family: str, buckets: int, rows: np.ndarray, values: np.ndarray, extra: np.ndarray | None = None) -> None:
    """A partition's blocking keys of one family, split by bucket (rows are local)."""
    which = _bucket_of(values, buckets)
    for b in range(buckets):
        at = which == b
        if at.any():
            with open(root / "keys" / str(b) / f"{p}.{family}.pkl", "wb") as handle:
                pickle.dump((rows[at], values[at], None if extra is None else extra[at]), handle, protocol=5)


def _normalise_part(source: Source, p: int, root: Path, buckets: int) -> tuple[int, pd.Series]:
    """Stage 1: a partition normalised and stored, its surname/year and DOI keys bucketed;
    returns its size and its title-word counts."""
    records = source() if callable(source) else source
    with _gc_paused():
        norms = [normalise(r) for r in records]
        folder = root / "store" / str(p)
        folder.mkdir(parents=True, exist_ok=True)  # exists when the task is retried
        n = len(records)
        _write_blobs(folder, "rows", [_row(norm) for norm in norms])
        _write_blobs(folder, "card", [_card(r.key, _filled(r), len(r.title), norm) for r, norm in zip(records, norms)])
        _write_strings(folder, "key", [r.key for r in records])
        titles = [r.title for r in norms]
        _write_strings(folder, "title", titles)
        _write_strings(folder, "title_sorted", [r.title_sorted for r in norms])
        fields = _bound_fields(norms)
        np.save(folder / "num.npy", fields)
        year = fields[:, 0]  # _NO_YEAR (negative) when unknown
        surnames = np.array([r.surname for r in norms], dtype=object)
        dois = np.array([r.doi for r in norms], dtype=object)
        rows = np.arange(n, dtype=np.int64)
        dated = (surnames != "") & (year >= 0)
        _write_keys(root, p, "name", buckets, rows[dated], surnames[dated], year[dated])
        _write_keys(root, p, "doi", buckets, rows[dois != ""], dois[dois != ""])
        words = _title_words(titles)
        with open(folder / "words.pkl", "wb") as handle:
            pickle.dump(words, handle, protocol=5)
        counts = pd.Series(np.bincount(words[0], minlength=len(words[1])), index=words[1])
    return n, counts


def _add_counts(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.add(b, fill_value=0).astype(np.int64)


def _token_part(p: int, root: Path, ranks: pd.Series, width: int, buckets: int) -> None:
    """Stage 2: a partition's rare-title-token keys, to their buckets."""
    with open(root / "store" / str(p) / "words.pkl", "rb") as handle:
        codes, uniques, lengths = pickle.load(handle)
    rank = ranks.reindex(uniques).fillna(-1).to_numpy(dtype=np.int64)
    keys, rows = _token_keys(_rarest(rank[codes], lengths, width), width)
    _write_keys(root, p, "token", buckets, rows, keys)


def _load_keys(root: Path, b: int, family: str, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One bucket's keys of one family from every partition: records (global), values, extra."""
    gids, values, extras = [], [], []
    for p in range(len(offsets) - 1):
        path = root / "keys" / str(b) / f"{p}.{family}.pkl"
        if path.exists():
            with open(path, "rb") as handle:
                rows, value, extra = pickle.load(handle)
            gids.append(rows + offsets[p])
            values.append(value)
            extras.append(extra)
    if not gids:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=object), None
    return np.concatenate(gids), np.concatenate(values), None if extras[0] is None else np.concatenate(extras)


def _block_bucket(b: int, root: Path, offsets: np.ndarray, pair_buckets: int, max_block: int, window: int) -> int:
    """Stage 3: the candidate pairs of one key bucket's blocks, to the pair buckets of their
    first records; returns how many were written."""
    n = int(offsets[-1])
    found = []
    with _Store(root, offsets) as store:
        for family in ("name", "doi", "token"):
            gids, values, extra = _load_keys(root, b, family, offsets)
            if not len(gids):
                continue
            if extra is not None:  # surname and year
                surname, _ = pd.factorize(values)
                keys, at = _name_keys(surname.astype(np.int64), extra)
                gids = gids[at]
            else:
                keys = pd.factorize(values)[0].astype(np.int64) if family == "doi" else values.astype(np.int64)
            members, local = np.unique(gids, return_inverse=True)
            m = len(members)

            def titles(rows: np.ndarray, members: np.ndarray = members) -> list[str]:
                return store.strings("title", members[rows])  # large blocks only

            codes = _block_pairs(keys, local.astype(np.int64), titles, m, max_block, window)
            found.append(members[codes // m] * n + members[codes % m])
    codes = _sorted_distinct(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)
    which = (codes // n) * pair_buckets // max(n, 1)
    for c in range(pair_buckets):
        np.save(root / "pairs" / str(c) / f"{b}.npy", codes[which == c])
    return len(codes)


def _score_bucket(c: int, root: Path, offsets: np.ndarray, key_buckets: int, thresholds: Thresholds, keep_different: bool, reasons: bool) -> tuple[np.ndarray, ...]:
    """Stage 4: one pair bucket's distinct pairs scored. Returns the kept pairs as arrays
    (first, second, score, decision code); writes the cannot-link codes and, if asked (for a
    :class:`MatchResult`), the kept pairs' reasons."""
    n = int(offsets[-1])
    pieces = [np.load(root / "pairs" / str(c) / f"{b}.npy") for b in range(key_buckets)]
    codes = _sorted_distinct(np.concatenate(pieces))
    kept: list[_Scored] = []
    cannot = [np.empty(0, dtype=np.int64)]
    with _Store(root, offsets) as store, _gc_paused():
        for start in range(0, len(codes), _CHUNK):
            chunk = codes[start : start + _CHUNK]
            i, j = chunk // n, chunk % n
            members = _sorted_distinct(np.concatenate((i, j)))
            columns = _Columns(np.array(store.strings("title", members), dtype=object), np.array(store.strings("title_sorted", members), dtype=object), store.num(members))

            def norms(needed: np.ndarray, members: np.ndarray = members) -> Callable[[int], Normalised]:
                return dict(zip(needed.tolist(), (Normalised(*row) for row in store.blobs("rows", members[needed])))).__getitem__

            found, clear = _score_pairs(np.searchsorted(members, i), np.searchsorted(members, j), columns, norms, thresholds, keep_different)
            kept.extend((int(members[a]), int(members[b]), score, decision, why) for a, b, score, decision, why in found)
            cannot.append(chunk[clear])
    np.save(root / "cannot" / f"{c}.npy", np.concatenate(cannot))
    if reasons:
        with open(root / "reasons" / f"{c}.pkl", "wb") as handle:
            pickle.dump([p[4] for p in kept], handle, protocol=5)
    count = len(kept)
    return (
        np.fromiter((p[0] for p in kept), dtype=np.int64, count=count), np.fromiter((p[1] for p in kept), dtype=np.int64, count=count),
        np.fromiter((p[2] for p in kept), dtype=np.float64, count=count), np.fromiter((_DECISIONS.index(p[3]) for p in kept), dtype=np.int8, count=count),
    )


def _work_bases(root: Path, offsets: np.ndarray, members: np.ndarray, starts: np.ndarray) -> tuple[list[str], list[str]]:
    """Stage 6: content ids and canonical keys of works whose records are ``members``, each
    work a run starting at ``starts``."""
    with _Store(root, offsets) as store:
        cards = store.blobs("card", members)
    bounds = [*starts.tolist(), len(members)]
    found = [_work_base(cards[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    return [f[0] for f in found], [f[1] for f in found]


# --------------------------------------------------------------------------------------------
# The driver
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class PartitionedMatch:
    """What a partitioned run found: each record's work (numbered in input order), the works'
    ids, and, when asked for, the whole :class:`MatchResult` (by record key)."""

    #: Each record's work label: the smallest record number of its work.
    work: np.ndarray
    #: Work ids in the order of the works' smallest records.
    ids: list[str]
    #: Scored pairs kept (same, unsure; different with ``keep_different``).
    n_pairs: int
    result: MatchResult | None
    #: Wall seconds of each stage, in order.
    seconds: dict[str, float]


def match_partitions(
    sources: Sequence[Any],
    client: Any,
    *,
    thresholds: Thresholds = Thresholds(),
    decisions: dict[tuple[str, str], bool] | None = None,
    keep_different: bool = False,
    workdir: Path | None = None,
    detail: bool = True,
) -> PartitionedMatch:
    """Cluster the records of ``sources`` (partitions in order: lists of records, functions
    that read them, or futures of either) into works on the cluster of ``client``.

    The work files go to a folder in ``workdir`` (the system's temporary folder by default;
    one the workers share when they run on other machines), removed at the end. ``detail``
    also builds the :class:`MatchResult` (every pair and key, in memory: for a registry, not
    for tens of millions of records).
    """
    root = Path(tempfile.mkdtemp(prefix="curate-match-", dir=workdir))
    try:
        return _run(sources, client, root, thresholds, decisions, keep_different, detail)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _gather(client: Any, futures: list[Any], what: str) -> list[Any]:
    """The futures' results; a task that failed on every try (an unreadable partition, a lost
    work folder) is a one-line :class:`ClusterError`: the matching cannot be completed without it."""
    from curate.extract.cluster import ClusterError

    try:
        gathered: list[Any] = client.gather(futures)
        return gathered
    except Exception as exc:
        raise ClusterError(f"matching on the cluster failed while {what}: {' '.join(str(exc).split())}") from exc


def _run(
    sources: Sequence[Any], client: Any, root: Path, thresholds: Thresholds, decisions: dict[tuple[str, str], bool] | None, keep_different: bool, detail: bool
) -> PartitionedMatch:
    from curate.extract.cluster import RETRIES

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    parts = len(sources)
    buckets = max(2 * workers, parts)
    for sub in ("keys", "pairs"):
        for b in range(buckets):
            (root / sub / str(b)).mkdir(parents=True)
    (root / "cannot").mkdir()
    (root / "reasons").mkdir()
    submit = partial(client.submit, pure=False, retries=RETRIES)
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(stage: str) -> None:
        now = time.perf_counter()
        seconds[stage] = now - clock[0]
        clock[0] = now

    stage1 = [submit(_normalise_part, source, p, root, buckets) for p, source in enumerate(sources)]
    sizes = [submit(_item, f, 0) for f in stage1]
    counts = [submit(_item, f, 1) for f in stage1]
    while len(counts) > 1:  # summed on the workers, pairwise
        counts = [submit(_add_counts, *counts[k : k + 2]) if k + 1 < len(counts) else counts[k] for k in range(0, len(counts), 2)]
    size_list = _gather(client, sizes, "normalising the records")
    offsets = np.cumsum([0, *size_list], dtype=np.int64)
    n = int(offsets[-1])
    total = _gather(client, counts, "counting title words")[0]
    lap("normalise")
    del stage1
    rank, width = _token_ranks(total.index.to_numpy(dtype=object), total.to_numpy(dtype=np.int64))
    ranks = pd.Series(rank[rank >= 0], index=total.index[rank >= 0])
    del total, rank
    [ranks_f] = client.scatter([ranks], broadcast=True)
    _gather(client, [submit(_token_part, p, root, ranks_f, width, buckets) for p in range(parts)], "keying title tokens")
    del ranks_f
    lap("token keys")
    _gather(client, [submit(_block_bucket, b, root, offsets, buckets, thresholds.max_block, thresholds.window) for b in range(buckets)], "blocking")
    lap("block")
    scored = _gather(client, [submit(_score_bucket, c, root, offsets, buckets, thresholds, keep_different, detail) for c in range(buckets)], "scoring pairs")
    lap("score")
    shutil.rmtree(root / "keys")
    shutil.rmtree(root / "pairs")

    with _Store(root, offsets) as store, _gc_paused():
        keys: dict[int, str] = {}

        def read_key(i: int) -> str:
            if i not in keys:
                keys[i] = store.strings("key", np.array([i], dtype=np.int64))[0]
            return keys[i]

        key: Callable[[int], str] = read_key

        lookup: dict[str, int] = {}
        every: list[str] = []
        if detail or decisions:  # every key in memory: only for a registry's sizes
            every = store.strings("key", np.arange(n, dtype=np.int64))
            lookup = {k: i for i, k in enumerate(every)}
            if len(lookup) != n:
                raise ValueError("record keys must be unique")
            key = every.__getitem__
        steward = _steward_pairs(decisions, lookup.get)
        first, second, score, decision = (np.concatenate([s[k] for s in scored]) for k in range(4))
        del scored
        steward_codes = np.array([i * n + j for i, j in steward], dtype=np.int64)
        plain = ~np.isin(first * n + second, steward_codes)
        kept = _Kept(first[plain], second[plain], score[plain], decision[plain] == 0)
        work, blocked = _cluster(n, kept, (np.load(root / "cannot" / f"{c}.npy") for c in range(buckets)), steward, key)
        order, bounds = _work_order(work)
        starts = np.r_[0, bounds] if n else np.empty(0, dtype=np.int64)

    lap("cluster")
    # Work ids: ranges of works, a task each.
    tasks = []
    step = max(1, -(-len(starts) // (4 * workers)))
    for a in range(0, len(starts), step):
        lo, hi = starts[a], starts[a + step] if a + step < len(starts) else n
        tasks.append(submit(_work_bases, root, offsets, order[lo:hi], starts[a : a + step] - lo))
    bases: list[str] = []
    canon: list[str] = []
    for found in _gather(client, tasks, "naming the works"):
        bases.extend(found[0])
        canon.extend(found[1])
    ids = _unique_ids(bases, canon)
    lap("work ids")
    result = None
    if detail:
        reasons = [r for c in range(buckets) for r in pickle.loads((root / "reasons" / f"{c}.pkl").read_bytes())]
        pairs: list[_Scored] = [
            (i, j, s, _DECISIONS[d], reasons[k]) for k, (i, j, s, d) in enumerate(zip(first.tolist(), second.tolist(), score.tolist(), decision.tolist())) if plain[k]
        ]
        groups = [g.tolist() for g in np.split(order, bounds)] if n else []
        result = _result(every.__getitem__, groups, ids, pairs, steward, blocked)
        lap("result")
    return PartitionedMatch(work=work, ids=ids, n_pairs=int(plain.sum()), result=result, seconds=seconds)


def _item(pair: tuple[Any, ...], k: int) -> Any:
    return pair[k]


def csv_sources(paths: Sequence[Path]) -> list[Source]:
    """Partitions read from CSV files (:func:`write_records`) by the workers themselves."""
    return [partial(read_records, Path(path)) for path in paths]


