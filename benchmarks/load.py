"""Time and peak memory to load and validate a generated 1,000-account portfolio.

    python benchmarks/load.py [--accounts 1000] [--seed 1] [--repeat 3]

Writes the portfolio (``kamdocs.samples.generate``) as a CSV folder in a temp directory,
then, in a fresh single-threaded process (Arrow and BLAS limited to one thread), runs
``read_tables`` on it and prints the wall and CPU time of each run and the process's peak
resident memory (interpreter and libraries included, so an upper bound). On a busy
machine the CPU time is the fairer figure. Target: under 3 s and under 600 MB.
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


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it restarts at exec,
    so the parent that generated the portfolio does not count)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(folder: str, repeat: int) -> None:
    """Child process: load ``folder`` ``repeat`` times and print JSON figures."""
    from kamdocs.config import load_settings
    from kamdocs.data.loading import read_tables

    settings = load_settings(None)
    before = _peak_rss_mb()
    walls, cpus = [], []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        loaded = read_tables(folder, settings)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        counts = {
            "rows": sum(len(frame) for frame in loaded.tables.values()),
            "accounts": len(loaded.tables["Account"]),
            "problems": len(loaded.problems),
        }
        # Release this run's tables before the next, so the peak is that of one load.
        del loaded
    print(json.dumps({
        "wall": walls,
        "cpu": cpus,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_load_mb": before,
        **counts,
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
    walls = ", ".join(f"{s:.2f}" for s in figures["wall"])
    cpus = ", ".join(f"{s:.2f}" for s in figures["cpu"])
    print(f"read_tables (load + validate), single-threaded: wall {walls} s; CPU {cpus} s"
          f" (best wall {min(figures['wall']):.2f} s; target < 3 s)")
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB (process before loading:"
          f" {figures['rss_before_load_mb']:.0f} MB; target < 600 MB)")
    print(f"loaded {figures['rows']} rows, {figures['accounts']} accounts,"
          f" {figures['problems']} problems")


if __name__ == "__main__":
    main()
