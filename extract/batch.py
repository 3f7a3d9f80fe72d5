"""Extracting many PDFs: each in its own process, one bad file never stopping the rest.

Papers are staged in worker processes and published by the parent in the order given, so ids
that clash (two papers by the same first author in the same year) get the same suffixes on
every run, whatever order the workers finish in.

Each PDF gets a fresh worker process, so a worker that dies (out of memory, a crash in a C
library) or that runs past the per-file time limit (it is killed) costs only its own file.
Workers die with the command (Linux: the kernel kills them when the parent dies), and what a
killed run left behind is cleaned up by the next one (:func:`curate.extract.output.recover`).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from curate.extract.errors import ExtractError
from curate.extract.output import WriteError, discard, discard_worker, recover, set_owner
from curate.extract.paper import Extracted, Staged, check_paper_id, finish, stage
from curate.extract.settings import ExtractSettings

#: Seconds one PDF may take before its worker is killed (``curate extract --timeout``).
TIMEOUT = 600.0


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
    except WriteError as exc:
        return Failure(path, str(exc))
    except Exception as exc:  # an unforeseen crash must not end the batch
        return Failure(path, f"{path}: internal error ({type(exc).__name__}: {exc}); please report it with this PDF")


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this worker when the parent dies (Linux; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)


def _stage_for(path: Path, out: Path, settings: ExtractSettings, parent: int) -> Staged | Failure:
    """Stage ``path`` in a worker (a process of ours or a Dask worker) whose staging folders
    belong to the batch run by ``parent``, so that :func:`recover` leaves them alone while it runs."""
    set_owner(parent)
    return _stage(path, out, settings)


def _worker(conn: Connection, parent: int, path: Path, out: Path, settings: ExtractSettings) -> None:
    _die_with_parent(parent)
    # What the worker inherited (imports, the parent's state) is never its garbage: the
    # collector skips it, instead of walking it again and again while a PDF's glyphs are read
    # (gc.freeze, as Python advises for forked workers; the worker exits after its PDF).
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn.send(_stage_for(path, out, settings, parent))
    conn.close()


@dataclass(slots=True)
class _Running:
    index: int
    path: Path
    process: BaseProcess
    conn: Connection
    deadline: float


def _context() -> ForkContext | SpawnContext:
    """fork where it exists (a worker starts in milliseconds, imports already done)."""
    if "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def _staged_in_workers(paths: Sequence[Path], out: Path, settings: ExtractSettings, jobs: int, timeout: float) -> Iterator[Staged | Failure]:
    """Stage each path in its own process, ``jobs`` at a time; yield outcomes in the order given."""
    ctx = _context()
    done: dict[int, Staged | Failure] = {}
    running: list[_Running] = []
    queue = list(enumerate(paths))
    queue.reverse()
    nxt = 0
    try:
        while nxt < len(paths):
            while queue and len(running) < jobs:
                index, path = queue.pop()
                receive, send = ctx.Pipe(duplex=False)
                process = ctx.Process(target=_worker, args=(send, os.getpid(), path, out, settings), daemon=True)
                process.start()
                send.close()
                running.append(_Running(index, path, process, receive, time.monotonic() + timeout))
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
            if not running:
                continue
            now = time.monotonic()
            wait([r.conn for r in running] + [r.process.sentinel for r in running], timeout=max(0.0, min(r.deadline for r in running) - now))
            for r in list(running):
                outcome = _collect(r, out, timeout)
                if outcome is not None:
                    running.remove(r)
                    done[r.index] = outcome
    finally:
        for r in running:  # the caller stopped early (an error, Ctrl-C): no worker outlives it
            r.process.kill()
            r.process.join()
            r.conn.close()
            discard_worker(out, r.process.pid or 0)
        for item in done.values():
            if isinstance(item, Staged):
                discard(item.staged)


def _collect(r: _Running, out: Path, timeout: float) -> Staged | Failure | None:
    """The worker's outcome once it has one (or died, or ran out of time); None while it runs."""
    if r.conn.poll():
        try:
            outcome: Staged | Failure = r.conn.recv()
        except (EOFError, OSError):  # it died without a word
            return _dead(r, out, "the extraction process died")
        r.process.join()
        r.conn.close()
        return outcome
    if not r.process.is_alive():
        return _dead(r, out, "the extraction process died")
    if time.monotonic() >= r.deadline:
        r.process.kill()
        return _dead(r, out, f"took longer than {timeout:g} s and was stopped (raise --timeout to give it longer)")
    return None


def _dead(r: _Running, out: Path, what: str) -> Failure:
    """A worker that will not answer: reaped, its staging removed, its file a failure."""
    r.process.join()
    r.conn.close()
    discard_worker(out, r.process.pid or 0)
    code = r.process.exitcode
    if what.endswith("died"):
        what += f" ({f'killed by signal {-code}' if code is not None and code < 0 else f'exit status {code}'}; out of memory?); the other files are not affected"
    return Failure(r.path, f"{r.path}: {what}")


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
    timeout: float | None = TIMEOUT,
    cluster: str | None = None,
) -> Iterator[Outcome]:
    """Extract ``paths`` into ``out``; yields one outcome per path, in the order given.

    With a ``timeout`` (seconds per PDF) each PDF is read in a worker process (``jobs`` at a
    time); ``timeout=None`` reads them one by one in this process, without a time limit.
    ``cluster`` (``local:N`` or a scheduler address) stages each PDF as one Dask task; the
    parent still publishes in the order given, so the output is the same as a serial run's.
    """
    if paper_id is not None:
        if len(paths) > 1:
            raise ValueError("--id names one paper; give one PDF with it")
        check_paper_id(paper_id)
    settings = settings or ExtractSettings()
    recover(out)
    taken: dict[str, str] = {}
    if cluster is not None:
        yield from _on_cluster(cluster, paths, out, settings, taken, paper_id, on_done)
        return
    if timeout is not None:
        staged: Iterator[Staged | Failure] = _staged_in_workers(paths, out, settings, max(1, jobs), timeout)
    else:
        staged = (_stage(p, out, settings) for p in paths)
    yield from _publish(staged, out, taken, paper_id, on_done)


def _on_cluster(
    cluster: str, paths: Sequence[Path], out: Path, settings: ExtractSettings, taken: dict[str, str], paper_id: str | None, on_done: Callable[[Outcome], None] | None
) -> Iterator[Outcome]:
    """Each PDF staged as one Dask task; a cluster that cannot be reached fails every PDF, in one line each."""
    from curate.extract.cluster import ClusterError, connect, map_ordered

    # Workers may run elsewhere on the shared file system: give them absolute paths.
    absolute = [p.absolute() for p in paths]
    given = 0
    try:
        with connect(cluster) as client:
            remote = map_ordered(client, _stage_for, absolute, out.absolute(), settings, os.getpid(), on_error=_lost)
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
            except (ExtractError, WriteError) as exc:
                result = Failure(item.source, str(exc))
        if on_done:
            on_done(result)
        yield result
