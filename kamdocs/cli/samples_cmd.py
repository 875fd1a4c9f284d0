"""Command: ``kamdocs samples generate OUT`` writes a synthetic portfolio in the export layout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from kamdocs import samples
from kamdocs.cli import main
from kamdocs.config import CONFIG_NAME
from kamdocs.errors import KamdocsError, UsageError


@main.group("samples")
def samples_group() -> None:
    """Synthetic demo data (the bundled samples/ folder is one such portfolio)."""


@samples_group.command("generate")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--accounts", "-n", type=click.IntRange(min=1), default=samples.SAMPLES_ACCOUNTS,
              show_default=True, help="How many accounts.")
@click.option("--seed", type=int, default=samples.SAMPLES_SEED, show_default=True,
              help="Random seed: the same seed gives the same files, byte for byte.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              default=samples.SAMPLES_AS_OF.isoformat(), show_default=True,
              help="The date the portfolio is seen from (all history is relative to it).")
def generate(out: Path, accounts: int, seed: int, as_of: datetime) -> None:
    """Write a portfolio of ACCOUNTS accounts into OUT as Salesforce-named CSV files.

    Account.csv, Contact.csv, Opportunity.csv, ... as a Salesforce Data Export writes them,
    plus a kamdocs.toml (only when OUT has none). Existing CSVs of the same names are
    replaced; other files are left alone.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    frames = samples.generate(accounts, seed, as_of.date())
    config = out / CONFIG_NAME
    try:
        paths = samples.write_csv_folder(frames, out)
        wrote_config = not config.exists()
        if wrote_config:
            samples.write_config(out)
    except OSError as exc:
        raise KamdocsError(f"{out}: cannot write the portfolio ({exc.strerror or exc})") from exc
    rows = sum(len(frame) for frame in frames.values())
    click.echo(f"Wrote {len(paths)} CSV files ({rows:,} rows, {accounts:,} accounts, "
               f"seed {seed}, as of {as_of.date().isoformat()}) to {out}")
    if wrote_config:
        click.echo(f"Wrote {config}")
    else:
        click.echo(f"Kept the existing {config}")
