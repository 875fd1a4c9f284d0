"""Time and peak memory to derive generated portfolios of 100, 1,000 and 10,000 accounts.

    python benchmarks/derive.py [SIZES ...]      (default: 100 1000 10000)

For each size: generate a portfolio (kamdocs.samples, seed 7), write it as CSV into a
temporary folder and load it with the real loader (not timed), then time
``derive`` (frames -> derived frames) and ``assemble`` (derived frames -> frozen model,
scorecards included) on one core, and measure their peak Python memory with tracemalloc
in a second, separate run (tracemalloc slows the code it watches). Target: under 2 s for
1,000 accounts, and growth close to linear.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from kamdocs import samples
from kamdocs.config import Settings
from kamdocs.data.assemble import assemble
from kamdocs.data.derive import derive
from kamdocs.data.loading import read_tables

AS_OF = date(2026, 11, 23)


def measure(accounts: int) -> tuple[float, float, float, float, int]:
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="kamdocs-bench-") as folder:
        samples.write_csv_folder(samples.generate(accounts, seed=7, as_of=AS_OF), folder)
        loaded = read_tables(Path(folder), settings)
    rows = sum(len(frame) for frame in loaded.tables.values())
    gc.collect()
    start, cpu_start = time.perf_counter(), time.process_time()
    derived = derive(loaded.tables, settings, AS_OF)
    middle = time.perf_counter()
    portfolio = assemble(derived, settings, source="benchmark")
    end, cpu_end = time.perf_counter(), time.process_time()
    assert len(portfolio.accounts) == accounts
    del derived, portfolio
    gc.collect()
    tracemalloc.start()
    assemble(derive(loaded.tables, settings, AS_OF), settings, source="benchmark")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return middle - start, end - middle, cpu_end - cpu_start, peak / 2**20, rows


def main(sizes: list[int]) -> None:
    # Wall time suffers when other processes share the cores; CPU time says what one core
    # spent on this work.
    print(f"{'accounts':>9} {'input rows':>11} {'derive s':>9} {'assemble s':>11} "
          f"{'wall s':>7} {'cpu s':>6} {'cpu s/1k':>9} {'peak MB':>8}")
    for accounts in sizes:
        derive_s, assemble_s, cpu_s, peak_mb, rows = measure(accounts)
        total = derive_s + assemble_s
        print(f"{accounts:>9,} {rows:>11,} {derive_s:>9.2f} {assemble_s:>11.2f} {total:>7.2f} "
              f"{cpu_s:>6.2f} {cpu_s / accounts * 1000:>9.2f} {peak_mb:>8.0f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
