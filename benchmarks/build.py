"""Median warm build time of one document per sample account, and the peak memory.

    python benchmarks/build.py plan|qbr|ebr [--data samples] [--audience internal|customer]
        [--repeat 5] [--pdf N]

Loads the sample portfolio once, prepares the builder once (templates, snippets: as a batch
worker does, printed apart), builds every account once to warm the process (imports, font
metrics), then builds each account ``--repeat`` times and prints the median and the slowest
account. Peak memory is the process's maximum resident set size. For ``ebr``
one build is the whole pack without PDF (deck + briefing + manifest); ``--pdf N`` times the
LibreOffice conversion of N documents separately.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamdocs import load_portfolio
from kamdocs.audience import view_for
from kamdocs.builders.base import Artifact, BuildOptions, PortfolioContext
from kamdocs.builders.registry import get_builder
from kamdocs.config import find_config, load_settings
from kamdocs.model import Account, Audience

AS_OF = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", help="document kind: plan, qbr or ebr")
    parser.add_argument("--data", default=str(ROOT / "samples"))
    parser.add_argument("--audience", choices=[a.value for a in Audience], default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf", type=int, default=0, metavar="N",
                        help="also time the LibreOffice PDF of the first N accounts' main "
                        "document (the EBR deck), separately from the build")
    args = parser.parse_args()

    settings = load_settings(find_config(args.data, None))
    started = time.perf_counter()
    portfolio = load_portfolio(args.data, config=settings, as_of=AS_OF)
    load_s = time.perf_counter() - started
    cls = get_builder(args.kind)
    audience = Audience(args.audience) if args.audience else cls.default_audience
    builder = cls(BuildOptions(settings=settings, audience=audience, as_of=AS_OF))
    # As a batch worker does: prepare (templates, snippets) once, then render each account.
    context = PortfolioContext.of(portfolio)
    c0 = time.process_time()
    builder.prepare(context)
    prepare_s = time.process_time() - c0

    def build_one(account: Account) -> list[Artifact]:
        return list(builder.render(view_for(account, audience), context))

    accounts = portfolio.accounts
    for account in accounts:  # warm-up: imports, font metrics, caches
        build_one(account)

    per_account: list[tuple[float, str]] = []
    cpu: list[float] = []
    for account in accounts:
        times = []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            build_one(account)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        per_account.append((statistics.median(times), account.id))

    medians = sorted(t for t, _ in per_account)
    slowest = max(per_account)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.kind} ({audience.value}): {len(accounts)} sample accounts, "
          f"loaded in {load_s:.2f} s; prepare (once per run, as in a batch worker) "
          f"{prepare_s * 1000:.0f} ms CPU")
    print(f"median warm build: {statistics.median(medians) * 1000:.1f} ms per document")
    # CPU time of this process only: steadier than wall time on a shared, busy machine.
    print(f"median CPU time:   {statistics.median(cpu) * 1000:.1f} ms per document")
    print(f"slowest account:   {slowest[0] * 1000:.1f} ms ({slowest[1]})")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")
    if args.pdf:
        pdf_times(builder, portfolio, args.pdf)


def pdf_times(builder, portfolio, count: int) -> None:  # builder, portfolio: any kind
    """Median wall time of converting the first .pptx/.docx of ``count`` accounts to PDF."""
    from kamdocs.render.convert import to_pdf

    times = []
    for account in portfolio.accounts[:count]:
        artifacts = list(builder.build(portfolio, [account]))
        main_file = next(a for a in artifacts if a.suffix in (".pptx", ".docx"))
        t0 = time.perf_counter()
        to_pdf(main_file.data, main_file.suffix, name=account.id)
        times.append(time.perf_counter() - t0)
    print(f"median PDF conversion: {statistics.median(times):.2f} s per document "
          f"({len(times)} converted, LibreOffice, not part of the build time)")


if __name__ == "__main__":
    main()
