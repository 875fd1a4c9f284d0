"""``kamdocs build plan|qbr|ebr DATA ACCOUNT -o OUT``: one account's documents."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from kamdocs.cli import main
from kamdocs.model import Audience


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _quarter(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}-Q[1-4]", value):
        raise click.BadParameter(f"{value!r} is not a fiscal quarter like 2026-Q3")
    return value


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """The arguments every ``build`` command shares."""
    options = [
        click.argument("data", type=click.Path(exists=False)),
        click.argument("account"),
        click.option("-o", "--out", "out", type=click.Path(file_okay=False), default=".",
                     show_default=True, help="Output folder."),
        click.option("--template", type=click.Path(exists=True, dir_okay=False),
                     help="Your brand file (.pptx or .docx) instead of the default brand."),
        click.option("--as-of", "as_of", callback=_as_of,
                     help="Report date YYYY-MM-DD (default: today). Same date, same output."),
        click.option("--previous", type=click.Path(exists=True, dir_okay=False),
                     help="The model JSON of the last review, for 'changes since'."),
        click.option("--pdf", is_flag=True, help="Also write a PDF (needs LibreOffice)."),
        click.option("--config", type=click.Path(exists=True, dir_okay=False),
                     help="kamdocs.toml (default: the one beside DATA)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run(kind: str, data: str, account: str, out: str, *, audience: str | None,
         template: str | None, as_of: date | None, previous: str | None, pdf: bool,
         config: str | None, quarter: str | None = None, year: int | None = None) -> None:
    from kamdocs.documents import build_documents

    result = build_documents(
        kind, data, account, out,
        as_of=as_of,
        audience=Audience(audience) if audience else None,
        template=Path(template) if template else None,
        config=config,
        previous=Path(previous) if previous else None,
        quarter=quarter,
        year=year,
        pdf=pdf,
    )
    for path in result.paths:
        click.echo(str(path))
    for problem in result.problems:
        click.echo(f"kamdocs: {problem}", err=True)
    if result.problems:
        sys.exit(1)


@main.group()
def build() -> None:
    """Build one account's documents (ACCOUNT: an Id or the exact account name)."""


@build.command("plan")
@_common
@click.option("--audience", type=click.Choice(["internal", "customer"]), default="internal",
              show_default=True, help="internal plan, or the joint plan shared with the customer.")
def build_plan(**kwargs: Any) -> None:
    """The account plan (DOCX)."""
    _run("plan", **kwargs)


@build.command("qbr")
@_common
@click.option("--audience", type=click.Choice(["customer", "internal"]), default="customer",
              show_default=True, help="the deck shown to the customer, or the preparation deck.")
@click.option("--quarter", callback=_quarter, help="Fiscal quarter to review, e.g. 2026-Q3.")
def build_qbr(**kwargs: Any) -> None:
    """The quarterly business review deck (PPTX)."""
    _run("qbr", **kwargs)


@build.command("ebr")
@_common
@click.option("--year", type=click.IntRange(1990, 2100), help="Fiscal year to review "
              "(default: the 12 months ending at the as-of date). A past year is reported as "
              "its data stood at the year's end.")
def build_ebr(**kwargs: Any) -> None:
    """The executive business review pack: deck, briefing, manifest (and PDF)."""
    _run("ebr", audience=None, **kwargs)


