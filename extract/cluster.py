"""Running curate's per-item work on a Dask cluster (``--cluster local:N`` or ``tcp://HOST:PORT``).

Dask's distributed scheduler does the scheduling, retries and worker bookkeeping; curate only
says what one task is (one PDF, one chunk of candidate pairs) and collects the results in the
order it submitted them, so a cluster run writes the same files as a serial one. Workers must
share the file system that holds the inputs and the output folder.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How often a task whose worker died is tried again on another worker.
RETRIES = 2

#: How long to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = "10s"

#: Dask's periodic diagnostics, turned down on a local cluster: the statistical profiler (a stack
#: sample of the running task every 10 ms), the system and memory monitors and the event-loop
#: tick cost a 2-worker cluster ~7% of a core, idle or busy (0.25 instead of 1.3 CPU s per 20
#: idle seconds, measured): minutes of CPU on a long matching run, nothing curate reads. The
#: memory monitor still stops a worker that outgrows its limit, within a second.
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}

_LOCAL = re.compile(r"local(?::(\d+))?")
_REMOTE = re.compile(r"(tcp|tls|ucx|inproc)://\S+")


class ClusterError(ValueError):
    """A cluster address that cannot be used, or work that failed on it, in one line."""


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where to run: ``workers`` local processes, or the scheduler at ``address``."""

    workers: int = 0
    address: str = ""

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        """``local`` (one worker per core), ``local:N`` (N >= 1) or a scheduler address such as ``tcp://host:8786``."""
        text = text.strip()
        local = _LOCAL.fullmatch(text)
        if local:
            workers = int(local.group(1)) if local.group(1) else (os.cpu_count() or 1)
            if workers < 1:
                raise ClusterError(f"--cluster {text!r}: a local cluster needs at least one worker (local:N)")
            return cls(workers=workers)
        if _REMOTE.fullmatch(text):
            return cls(address=text)
        raise ClusterError(f"--cluster {text!r}: expected local:N or a scheduler address such as tcp://HOST:8786")


def _require() -> Any:
    try:
        import distributed
    except ImportError as exc:  # the extra is optional; say how to get it
        raise ClusterError("--cluster needs Dask's distributed scheduler: pip install 'curate[cluster]'") from exc
    return distributed


@contextmanager
def connect(spec: ClusterSpec | str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``; a local cluster is started here and closed on exit,
    so its worker processes never outlive the command."""
    if isinstance(spec, str):
        spec = ClusterSpec.parse(spec)
    distributed = _require()
    for name in ("distributed", "bokeh", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if spec.address:
        try:
            client = distributed.Client(spec.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"--cluster {spec.address}: no scheduler answers there ({exc})") from exc
        with client:
            yield client
        return
    import dask

    with dask.config.set(QUIET), distributed.LocalCluster(
        n_workers=spec.workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster, distributed.Client(cluster) as client:
        yield client


def map_ordered(client: Any, fn: Callable[..., R], items: Sequence[T], *args: Any, on_error: Callable[[T, BaseException], R]) -> Iterator[R]:
    """``fn(item, *args)`` for each item on the cluster, yielded in the order of ``items``.

    A task whose worker dies is retried (``RETRIES``) on another; one that still fails, or
    raises, becomes ``on_error(item, exc)`` and the others go on.
    """
    # The shared arguments go to each worker once, not with every task.
    shared = [client.scatter([a], broadcast=True)[0] for a in args]
    futures = [client.submit(fn, item, *shared, retries=RETRIES, pure=False) for item in items]
    try:
        for item, future in zip(items, futures):
            try:
                yield future.result()
            except Exception as exc:
                yield on_error(item, exc)
            finally:
                future.release()
    finally:
        client.cancel(futures)
