"""Time and peak memory to load and validate a generated 1,000-account portfolio.

    python benchmarks/load.py [--accounts 1000] [--seed 1] [--repeat 3]

Writes the portfolio (``kamdocs.samples.generate``) as a CSV folder in a temp directory,
then, in a fresh process pinned to one core, runs ``read_tables`` on it and prints the
wall time of each run and the process's peak resident memory (interpreter and libraries
included, so an upper bound). Target: under 3 s and under 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def _measure(folder: str, repeat: int) -> None:
    """Child process: load ``folder`` ``repeat`` times and print JSON figures."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from kamdocs.config import load_settings
    from kamdocs.data.loading import read_tables

    settings = load_settings(None)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    loaded = None
    for _ in range(repeat):
        start = time.perf_counter()
        loaded = read_tables(folder, settings)
        times.append(time.perf_counter() - start)
    assert loaded is not None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "seconds": times,
        "peak_rss_mb": peak,
        "rss_before_load_mb": before,
        "rows": sum(len(frame) for frame in loaded.tables.values()),
        "accounts": len(loaded.tables["Account"]),
        "problems": len(loaded.problems),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure(args.measure, args.repeat)
        return

    from kamdocs.samples import generate

    with tempfile.TemporaryDirectory(prefix="kamdocs-bench-") as folder:
        start = time.perf_counter()
        frames = generate(args.accounts, args.seed, date(2026, 11, 23))
        for name, frame in frames.items():
            frame.to_csv(Path(folder) / f"{name}.csv", index=False)
        rows = sum(len(frame) for frame in frames.values())
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        print(f"generated {args.accounts} accounts, {rows} rows ({rows / args.accounts:.0f}"
              f" per account), {size:.1f} MB of CSV in {time.perf_counter() - start:.1f} s")
        env = {**os.environ, "OMP_NUM_THREADS": "1", "ARROW_NUM_THREADS": "1"}
        child = subprocess.run(
            [sys.executable, __file__, "--measure", folder, "--repeat", str(args.repeat)],
            capture_output=True, text=True, env=env, check=False,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            raise SystemExit(child.returncode)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
    runs = ", ".join(f"{s:.2f}" for s in figures["seconds"])
    print(f"read_tables (load + validate), one core: {runs} s (best {min(figures['seconds']):.2f}"
          " s; target < 3 s)")
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB (process before loading:"
          f" {figures['rss_before_load_mb']:.0f} MB; target < 600 MB)")
    print(f"loaded {figures['rows']} rows, {figures['accounts']} accounts,"
          f" {figures['problems']} problems")


if __name__ == "__main__":
    main()
