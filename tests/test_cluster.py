"""``--cluster``: extraction and the works matcher on a local Dask cluster give what a serial run gives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from curate.extract.batch import Failure, extract_batch
from curate.extract.cluster import ClusterError, ClusterSpec, connect, map_ordered
from curate.matching import MatchResult, Record, match
from curate.matchpart import csv_sources, match_partitions, write_records
from tests.conftest import need_shared, output_files

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "pdfs"


def test_cluster_extraction_matches_serial(tmp_path: Path) -> None:
    pdfs = sorted(EXAMPLES.glob("*.pdf")) + [tmp_path / "missing.pdf"]
    serial = list(extract_batch(pdfs, tmp_path / "serial"))
    clustered = list(extract_batch(pdfs, tmp_path / "cluster", cluster="local:2"))
    assert [type(o) for o in serial] == [type(o) for o in clustered]
    assert [getattr(o, "paper_id", None) for o in serial] == [getattr(o, "paper_id", None) for o in clustered]
    assert isinstance(clustered[-1], Failure) and clustered[-1].message == serial[-1].message
    one, two = output_files(tmp_path / "serial"), output_files(tmp_path / "cluster")
    assert len(one) > 20 and one == two


def _dies_once(marker: Path) -> str:
    """Kills its worker process the first time it runs, succeeds on the retry."""
    if not marker.exists():
        marker.write_text("died")
        os._exit(1)
    return marker.name


def _raises(item: int) -> int:
    if item == 2:
        raise RuntimeError("bad item")
    return item * 10


def test_lost_worker_task_is_retried_and_a_failing_task_costs_only_itself(tmp_path: Path) -> None:
    with connect("local:1") as client:
        assert list(map_ordered(client, _dies_once, [tmp_path / "a"], on_error=lambda item, exc: "failed")) == ["a"]
        got = list(map_ordered(client, _raises, [1, 2, 3], on_error=lambda item, exc: -item))
    assert got == [10, -2, 30]


@pytest.mark.parametrize("text", ["", "local:0", "remote", "tcp//x:1", "local:-1"])
def test_bad_cluster_addresses_are_one_line_errors(text: str) -> None:
    with pytest.raises(ClusterError, match="--cluster"):
        ClusterSpec.parse(text)


def test_unreachable_scheduler_fails_each_pdf_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("curate.extract.cluster.CONNECT_TIMEOUT", "1s")
    pdf = EXAMPLES / "ruled_example.pdf"
    (outcome,) = extract_batch([pdf], tmp_path, cluster="tcp://127.0.0.1:9")
    assert isinstance(outcome, Failure)
    assert "no scheduler answers" in outcome.message and "\n" not in outcome.message
    assert not any(tmp_path.iterdir())


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect("local:2") as client:
        yield client


@pytest.fixture(scope="module")
def dedup() -> list[Record]:
    """A real deduplication set: duplicates, look-alikes, unsure pairs and merges refused for a cannot-link."""
    from tests.test_matching import load_benchmark

    records, _ = load_benchmark(need_shared("corpus", "dedup", "respiratory"))
    return records


def _same(one: MatchResult, two: MatchResult) -> None:
    assert one.clusters == two.clusters and one.work_of == two.work_of
    assert one.pairs == two.pairs and one.unsure == two.unsure


def test_matcher_on_a_cluster_gives_the_serial_works(client: Any, dedup: list[Record]) -> None:
    serial = match(dedup)
    assert len(serial.clusters) < len(dedup) and any("not merged" in " ".join(p.reasons) for p in serial.unsure)
    _same(match(dedup, client=client), serial)


def test_partitions_read_by_the_workers_and_the_stewards_decisions(client: Any, dedup: list[Record], tmp_path: Path) -> None:
    """Records read from CSV files on the workers (one file empty), the steward's verdicts
    (one unsure pair merged, one automatic merge undone) and every pair kept: as serially."""
    base = match(dedup)
    unsure, same = base.unsure[0], next(p for p in base.pairs if p.decision == "same")
    decisions = {(unsure.key_a, unsure.key_b): True, (same.key_a, same.key_b): False}
    serial = match(dedup, decisions=decisions, keep_different=True)
    assert serial.work_of[unsure.key_a] == serial.work_of[unsure.key_b] and serial.work_of[same.key_a] != serial.work_of[same.key_b]
    paths = [tmp_path / f"{k}.csv" for k in range(3)]
    for path, part in zip(paths, (dedup[:900], [], dedup[900:])):
        write_records(part, path)
    found = match_partitions(csv_sources(paths), client, decisions=decisions, keep_different=True, workdir=tmp_path)
    assert found.result is not None
    _same(found.result, serial)
    assert found.n_pairs == len(serial.pairs) - len(decisions)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # the work folder is gone


def test_registry_of_works_on_a_remote_scheduler_is_the_serial_one(client: Any, extracted_papers: Path, tmp_path: Path) -> None:
    """``reconcile --cluster tcp://...``: the same works.csv and references.csv; the work files
    go to the folder given (one the workers share) and are removed."""
    from curate.works import build_registry

    serial = build_registry(extracted_papers, {})
    clustered = build_registry(extracted_papers, {}, cluster=client.scheduler.address, workdir=tmp_path)
    assert len(serial.works) < len(serial.entries)
    pd.testing.assert_frame_equal(clustered.works, serial.works)
    pd.testing.assert_frame_equal(clustered.entries, serial.entries)
    assert not any(tmp_path.iterdir())


def test_a_partition_the_workers_cannot_read_is_a_one_line_error(client: Any, tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="failed while normalising the records") as caught:
        match_partitions(csv_sources([tmp_path / "missing.csv"]), client, workdir=tmp_path)
    assert "missing.csv" in str(caught.value) and "\n" not in str(caught.value)
    assert not any(tmp_path.iterdir())  # the work folder is removed
