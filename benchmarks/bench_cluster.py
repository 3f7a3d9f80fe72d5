"""Past one machine: `curate extract` and the works matcher serially and on local Dask clusters.

Extraction: N PDFs (default 300: the bundled examples, each copy made distinct by a trailing
PDF comment so that every copy is its own paper), serially in this process's child, then with
`--cluster local:1` and `local:2`: wall seconds, CPU seconds of the whole process tree (the
child and its workers, cluster start included: wall time on a shared machine measures its
load), PDFs and pages per second, peak RSS of the parent and of each worker. The outputs of every cluster run are compared file by file with the
serial run (all but `extracted_at`).
Matching: bench_matching.py's side-by-side runs (the synthetic corpus at each size, serially
and on local:2, the same work ids checked). Run:
    python benchmarks/bench_cluster.py [--pdfs 300] [--match-sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import output_files  # noqa: E402


def make_pdfs(folder: Path, n: int) -> list[Path]:
    """``n`` distinct PDFs: the bundled examples, copies told apart by a trailing comment."""
    sources = sorted((ROOT / "examples" / "pdfs").glob("*.pdf"))
    paths = []
    for i in range(n):
        source = sources[i % len(sources)]
        path = folder / f"{source.stem}_{i:04d}.pdf"
        path.write_bytes(source.read_bytes() + f"\n% copy {i}\n".encode())
        paths.append(path)
    return paths


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (a local cluster's workers)."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def child_extract(pdfs: Path, out: Path, cluster: str) -> None:
    from curate.extract.batch import extract_batch

    paths = sorted(pdfs.glob("*.pdf"))
    workers_peak: list[float] = []
    start = time.perf_counter()
    if cluster == "serial":
        outcomes = list(extract_batch(paths, out))
    else:
        from curate.extract.cluster import connect

        # The batch connects to this cluster by its address (as to a remote scheduler), so that
        # the workers' peak memory can be read afterwards.
        with connect(cluster) as client:
            start = time.perf_counter()
            outcomes = list(extract_batch(paths, out, cluster=client.scheduler.address))
            workers_peak = [v / 1024 for v in client.run(_peak_kb).values()]
    seconds = time.perf_counter() - start
    failed = sum(1 for o in outcomes if not hasattr(o, "paper_id"))
    pages = sum(json.loads((o.folder / "manifest.json").read_text())["pages"] for o in outcomes if hasattr(o, "folder"))
    print(json.dumps({"seconds": seconds, "cpu_s": _cpu_s(), "failed": failed, "pages": pages, "workers_peak_mb": workers_peak, "parent_peak_mb": _peak_kb() / 1024}))


def run(args: list[str]) -> dict:
    """A fresh process per run; its JSON result line (which carries its own peak RSS)."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--match-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--child-extract", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_extract:
        child_extract(Path(args.child_extract[0]), Path(args.child_extract[1]), args.child_extract[2])
        return
    modes = ["serial", "local:1", "local:2"]
    if args.pdfs:
        with tempfile.TemporaryDirectory() as tmp:
            pdfs = Path(tmp) / "pdfs"
            pdfs.mkdir()
            make_pdfs(pdfs, args.pdfs)
            print(f"Extraction of {args.pdfs} PDFs ({len(list((ROOT / 'examples' / 'pdfs').glob('*.pdf')))} bundled examples, distinct copies)")
            print(f"{'mode':<10}{'seconds':>9}{'CPU s':>8}{'CPU s/page':>11}{'PDFs/s':>8}{'pages/s':>9}{'failed':>8}{'parent MB':>11}  {'worker MB':<12} same as serial")
            serial: dict[str, bytes] | None = None
            for mode in modes:
                out = Path(tmp) / mode.replace(":", "_")
                r = run(["--child-extract", str(pdfs), str(out), mode])
                files = output_files(out)
                same = "-" if serial is None else ("yes" if files == serial else "NO")
                serial = files if serial is None else serial
                workers = " + ".join(f"{mb:.0f}" for mb in r["workers_peak_mb"]) or "-"
                print(
                    f"{mode:<10}{r['seconds']:>9.1f}{r['cpu_s']:>8.1f}{r['cpu_s'] / max(r['pages'], 1):>11.3f}{args.pdfs / r['seconds']:>8.2f}{r['pages'] / r['seconds']:>9.1f}"
                    f"{r['failed']:>8}{r['parent_peak_mb']:>11.0f}  {workers:<12} {same}"
                )
                shutil.rmtree(out, ignore_errors=True)
    if args.match_sizes:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench_matching import synthetic

        print()
        synthetic(args.match_sizes, "local:2", ten_million=False)


if __name__ == "__main__":
    main()
