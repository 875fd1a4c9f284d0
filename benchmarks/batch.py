"""Batch throughput, scaling and memory: prints the figures issue 9 asks for.

    python benchmarks/batch.py                       # 100 and 1,000 accounts plan+qbr, 10,000 plan
    python benchmarks/batch.py --sizes 100 --kinds plan,qbr
    python benchmarks/batch.py --sizes 100 1000 --jobs1-max 100   # --jobs 1 at 100 only
    python benchmarks/batch.py --sizes 100 1000 --kinds fakeplan --plugin batch_fakes

For each size: a generated portfolio (kamdocs.samples), then `kamdocs batch` in a fresh
process with --jobs 1 and --jobs 2 (wall time, speed-up, documents per second, peak
memory of the parent and of each worker from the --json summary), then a rerun on
unchanged data (must build nothing). Targets (issue 9): 1,000 accounts plan+qbr under
150 s with 2 jobs, speed-up >= 1.8, rerun under 10 s, memory flat as the portfolio grows.
Sizes above --full-max (default 1,000) run plan only and --jobs 2 only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 23)
SEED = 20261123


def _generate(accounts: int, folder: Path) -> float:
    from kamdocs.samples import generate, write_csv_folder

    start = time.perf_counter()
    write_csv_folder(generate(accounts, SEED, AS_OF), folder)
    return time.perf_counter() - start


def _batch(data: Path, out: Path, kinds: str, jobs: int, plugins: list[str]) -> dict:
    command = [sys.executable, "-m", "kamdocs", "batch", str(data), "-o", str(out),
               "--kinds", kinds, "--jobs", str(jobs), "--as-of", AS_OF.isoformat(), "--json"]
    for plugin in plugins:
        command += ["--plugin", plugin]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise SystemExit(f"kamdocs batch failed ({done.returncode}):\n{done.stderr[-3000:]}")
    summary = json.loads(done.stdout)
    summary["wall_s"] = wall
    return summary


def _line(label: str, summary: dict) -> str:
    workers = summary["worker_peak_mb"]
    worker_text = ", ".join(f"{mb:.0f}" for mb in workers.values()) or "-"
    rate = summary["built"] / summary["duration_s"] if summary["duration_s"] else 0.0
    return (f"  {label:<18} wall {summary['wall_s']:7.1f} s  (batch {summary['duration_s']:7.1f}"
            f" s)  built {summary['built']:6d}  skipped {summary['skipped']:6d}  failed "
            f"{summary['failed']:4d}  {rate:6.1f} docs/s  parent peak "
            f"{summary['parent_peak_mb']:6.0f} MB  worker peaks [{worker_text}] MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--kinds", default="plan,qbr")
    parser.add_argument("--full-max", type=int, default=1000,
                        help="larger sizes build only the first kind, with --jobs 2 only")
    parser.add_argument("--jobs1-max", type=int, default=None,
                        help="larger sizes skip the --jobs 1 run (default: --full-max)")
    parser.add_argument("--plugin", action="append", default=[],
                        help="module registering extra builders (e.g. test stand-ins)")
    args = parser.parse_args()
    if args.plugin:
        here = Path(__file__).resolve().parents[1] / "tests" / "batch"
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(here),
                                                                 os.environ.get("PYTHONPATH")]))
    print(f"kamdocs batch benchmark: kinds {args.kinds}, as-of {AS_OF}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="kamdocs-bench-") as scratch:
        root = Path(scratch)
        for size in args.sizes:
            full = size <= args.full_max
            serial = size <= (args.full_max if args.jobs1_max is None else args.jobs1_max)
            kinds = args.kinds if full else args.kinds.split(",")[0]
            data = root / f"data-{size}"
            seconds = _generate(size, data)
            print(f"{size} accounts ({kinds}); generated in {seconds:.1f} s")
            runs = {}
            if full and serial:
                runs["jobs 1"] = _batch(data, root / f"out-{size}-1", kinds, 1, args.plugin)
                print(_line("--jobs 1", runs["jobs 1"]), flush=True)
            runs["jobs 2"] = _batch(data, root / f"out-{size}-2", kinds, 2, args.plugin)
            print(_line("--jobs 2", runs["jobs 2"]), flush=True)
            rerun = _batch(data, root / f"out-{size}-2", kinds, 2, args.plugin)
            print(_line("rerun, no change", rerun), flush=True)
            if "jobs 1" in runs:
                speedup = runs["jobs 1"]["duration_s"] / runs["jobs 2"]["duration_s"]
                print(f"  speed-up --jobs 2 vs 1: {speedup:.2f}x (batch time; target >= 1.8x)")
            per_account = runs["jobs 2"]["duration_s"] / size
            print(f"  {per_account * 1000:.1f} ms per account with --jobs 2 (linear growth: "
                  "compare across sizes)", flush=True)


if __name__ == "__main__":
    main()
