"""SHA-1 of every document built for the first sample accounts: to show that a change (a
faster way to write the same thing) leaves the output byte for byte as it was.

    python scripts/document_hashes.py [--data samples] [--accounts 6] > after.txt

Run it from the root of two checkouts (e.g. ``git worktree add /tmp/before HEAD~1``, then
``cd /tmp/before`` and its own script) and ``diff`` the two lists: one line per file, "kind
audience account member sha1". ``--data`` is relative on purpose: the EBR manifest records the
data files' paths as given, so an absolute path would differ between the checkouts.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kamdocs import load_portfolio
from kamdocs.audience import view_for
from kamdocs.builders.base import BuildOptions, PortfolioContext
from kamdocs.builders.registry import get_builder
from kamdocs.config import find_config, load_settings

AS_OF = date(2026, 11, 23)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="samples")
    parser.add_argument("--accounts", type=int, default=6)
    args = parser.parse_args()

    settings = load_settings(find_config(args.data, None))
    portfolio = load_portfolio(args.data, config=settings, as_of=AS_OF)
    context = PortfolioContext.of(portfolio)
    for kind in ("plan", "qbr", "ebr"):
        cls = get_builder(kind)
        for audience in cls.audiences:
            builder = cls(BuildOptions(settings=settings, audience=audience, as_of=AS_OF))
            builder.prepare(context)
            for account in portfolio.accounts[: args.accounts]:
                for artifact in builder.render(view_for(account, audience), context):
                    digest = hashlib.sha1(artifact.data).hexdigest()
                    print(kind, audience.value, account.id, artifact.member or "-", digest)


if __name__ == "__main__":
    main()
