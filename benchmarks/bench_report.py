"""The review report at scale: `curate report` on a generated review of N findings (default 2,000).

The review is the shipped dataset (raw/, curated/, the seed PDFs from ../shared/papers) copied
as many times as it takes: each copy of a paper is a paper of its own (same PDF, same sha256),
and each copy of a real finding points at its copy's paper. Prints, side by side, seconds,
peak memory and the size of report.html for this checkout and for the report of another git
revision (``--rev``, e.g. the commit before the triage report), each in a fresh process.
Targets: report.html <= 10 MB, built in <= 10 s. Run:
    python benchmarks/bench_report.py [--findings 2000] [--rev 84156cb]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDFS = ROOT.parent / "shared" / "papers"


def generate(folder: Path, n: int) -> Path:
    """raw/, curated/ and findings.json of a review with about ``n`` findings; returns the findings file."""
    sys.path.insert(0, str(ROOT))
    from curate.decisions import collect_findings

    raw, curated = folder / "raw", folder / "curated"
    shutil.copytree(ROOT / "curated", curated)
    raw.mkdir()
    real = collect_findings(curated, ROOT / "raw")
    copies = math.ceil(n / len(real))
    for k in range(copies):
        for paper in (p for p in (ROOT / "raw").iterdir() if (p / "manifest.json").is_file()):
            shutil.copytree(paper, raw / (paper.name if k == 0 else f"{paper.name}x{k}"))
    findings = []
    for k in range(copies):
        for f in real:
            paper = f.paper_id if k == 0 or not f.paper_id else f"{f.paper_id}x{k}"
            findings.append(replace(f, paper_id=paper, subject=f"{f.subject}|{k}").as_dict())
    path = folder / "findings.json"
    path.write_text(json.dumps(findings[:n]))
    return path


def child(folder: Path, out: Path, module: str) -> None:
    """Build the report in this process with the report module at ``module`` (a file path, or "" for this checkout)."""
    sys.path.insert(0, str(ROOT))
    import importlib.util

    from curate.findings import Finding, Location

    data = json.loads((folder / "findings.json").read_text())
    findings = [Finding(d["check"], d["severity"], d["message"], Location(**d["location"]), d["paper_id"], d["reported"], d["computed"], d["id"],
                        tuple(Location(**r) for r in d["related"])) for d in data]
    if module:
        spec = importlib.util.spec_from_file_location("report_rev", module)
        report = importlib.util.module_from_spec(spec)
        sys.modules["report_rev"] = report
        spec.loader.exec_module(report)  # type: ignore[union-attr]
    else:
        from curate import report  # type: ignore[no-redef]
    start, cpu = time.perf_counter(), time.process_time()
    report.build_report(folder / "curated", folder / "raw", findings, out, PDFS if PDFS.is_dir() else None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    html = (out / "report.html").stat().st_size
    print(json.dumps({"seconds": seconds, "cpu": cpu, "mb": html / 1e6, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "findings": len(findings)}))


def run(folder: Path, out: Path, module: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", str(folder), str(out), module], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=2000)
    parser.add_argument("--rev", default="", help="also time the report module of this git revision")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.child[2])
        return
    if not PDFS.is_dir():
        print(f"note: {PDFS} is missing: no page images are rendered", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.findings)
        rows = [("this checkout", run(folder, folder / "out-now", ""))]
        if args.rev:
            old = folder / "report_rev.py"
            old.write_text(subprocess.run(["git", "-C", str(ROOT), "show", f"{args.rev}:curate/report.py"], capture_output=True, text=True, check=True).stdout)
            rows.append((f"report.py of {args.rev}", run(folder, folder / "out-rev", str(old))))
    print(f"curate report on a generated review of {rows[0][1]['findings']} findings (targets: <= 10 s, <= 10 MB)")
    print(f"{'':<28}{'seconds':>10}{'CPU s':>8}{'HTML MB':>10}{'peak RSS MB':>14}")
    for name, r in rows:
        print(f"{name:<28}{r['seconds']:>10.1f}{r['cpu']:>8.1f}{r['mb']:>10.1f}{r['rss_mb']:>14.0f}")


if __name__ == "__main__":
    main()
