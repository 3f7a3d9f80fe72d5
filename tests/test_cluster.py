"""``--cluster``: extraction on a local Dask cluster writes what a serial run writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curate.extract.batch import Failure, extract_batch
from curate.extract.cluster import ClusterError, ClusterSpec, connect, map_ordered
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


def test_matcher_on_a_cluster_gives_the_serial_works() -> None:
    from curate.matching import match
    from tests.test_matching import load_benchmark

    records, _ = load_benchmark(need_shared("corpus", "dedup", "cytology_screening"))
    serial = match(records)
    with connect("local:2") as client:
        clustered = match(records, client=client)
    assert len(serial.clusters) < len(records)
    assert clustered.clusters == serial.clusters
    assert clustered.pairs == serial.pairs and clustered.unsure == serial.unsure
