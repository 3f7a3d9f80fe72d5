"""Extracting many PDFs: in parallel processes, one bad file never stopping the rest.

Papers are staged in workers and published by the parent in the order given, so ids that
clash (two papers by the same first author in the same year) get the same suffixes on
every run, whatever order the workers finish in.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

from extract.errors import ExtractError
from extract.paper import Extracted, Staged, finish, stage
from extract.settings import ExtractSettings


@dataclass(slots=True)
class Failure:
    """A PDF that could not be extracted, with the one-line reason."""

    source: Path
    message: str


Outcome = Extracted | Failure


def _stage(path: Path, out: Path, settings: ExtractSettings) -> Staged | Failure:
    try:
        return stage(path, out, settings)
    except ExtractError as exc:
        return Failure(path, str(exc))
    except Exception as exc:  # an unforeseen parser crash must not end the batch
        return Failure(path, f"{path}: unexpected error ({type(exc).__name__}: {exc})")


def _result(future: Future[Staged | Failure], path: Path) -> Staged | Failure:
    """A worker's outcome; a worker that died (out of memory, a crash in a C library) is a failure."""
    try:
        return future.result()
    except Exception as exc:
        return Failure(path, f"{path}: extraction process failed ({type(exc).__name__}: {exc})")


def _lost(path: Path, exc: BaseException) -> Failure:
    return Failure(path, f"{path}: extraction task failed on the cluster ({type(exc).__name__}: {exc})")


def _named(item: Staged | Failure, path: Path) -> Staged | Failure:
    """An outcome named by the path as the user gave it (workers were given absolute paths)."""
    item.source = path
    if isinstance(item, Failure):
        item.message = item.message.replace(str(path.absolute()), str(path))
    return item


def extract_batch(
    paths: Sequence[Path],
    out: Path,
    *,
    paper_id: str | None = None,
    jobs: int = 1,
    settings: ExtractSettings | None = None,
    on_done: Callable[[Outcome], None] | None = None,
    cluster: str | None = None,
) -> Iterator[Outcome]:
    """Extract ``paths`` into ``out``; yields one outcome per path, in the order given.

    ``cluster`` (``local:N`` or a scheduler address) stages each PDF as one Dask task; the
    parent still publishes in the order given, so the output is the same as a serial run's.
    """
    if paper_id is not None and len(paths) > 1:
        raise ValueError("--id names one paper; give one PDF with it")
    settings = settings or ExtractSettings()
    taken: dict[str, str] = {}
    if cluster is not None:
        yield from _on_cluster(cluster, paths, out, settings, taken, paper_id, on_done)
    elif jobs > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_stage, p, out, settings) for p in paths]
            staged_iter: Iterator[Staged | Failure] = (_result(f, p) for f, p in zip(futures, paths))
            yield from _publish(staged_iter, out, taken, paper_id, on_done)
    else:
        yield from _publish((_stage(p, out, settings) for p in paths), out, taken, paper_id, on_done)


def _on_cluster(
    cluster: str, paths: Sequence[Path], out: Path, settings: ExtractSettings, taken: dict[str, str], paper_id: str | None, on_done: Callable[[Outcome], None] | None
) -> Iterator[Outcome]:
    """Each PDF staged as one Dask task; a cluster that cannot be reached fails every PDF, in one line each."""
    from extract.cluster import ClusterError, connect, map_ordered

    # Workers may run elsewhere on the shared file system: give them absolute paths.
    absolute = [p.absolute() for p in paths]
    given = 0
    try:
        with connect(cluster) as client:
            remote = map_ordered(client, _stage, absolute, out.absolute(), settings, on_error=_lost)
            for outcome in _publish((_named(item, p) for item, p in zip(remote, paths)), out, taken, paper_id, on_done):
                given += 1
                yield outcome
    except ClusterError as exc:
        for path in paths[given:]:
            failure = Failure(path, f"{path}: {exc}")
            if on_done:
                on_done(failure)
            yield failure


def _publish(staged: Iterator[Staged | Failure], out: Path, taken: dict[str, str], paper_id: str | None, on_done: Callable[[Outcome], None] | None) -> Iterator[Outcome]:
    for item in staged:
        result: Outcome
        if isinstance(item, Failure):
            result = item
        else:
            try:
                result = finish(item, out, taken, paper_id)
            except ExtractError as exc:
                result = Failure(item.source, str(exc))
        if on_done:
            on_done(result)
        yield result
