"""Build the documents of one account: load, pick the account, render, write.

This is what ``kamdocs build <kind>`` runs; the batch runs the same builders over many
accounts (kamdocs.batch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kamdocs.builders.base import Artifact, BuildOptions
from kamdocs.builders.registry import get_builder
from kamdocs.config import Settings, find_config, load_settings
from kamdocs.errors import UsageError
from kamdocs.formatting import quarter_bounds
from kamdocs.model import Audience
from kamdocs.writer import Writer, output_name


@dataclass(frozen=True)
class BuildResult:
    paths: tuple[Path, ...]
    #: Non-fatal problems (e.g. the PDF could not be made): the command exits 1.
    problems: tuple[str, ...]


def build_documents(
    kind: str,
    source: str | Path,
    account_key: str,
    out: str | Path,
    *,
    as_of: date | None = None,
    audience: Audience | None = None,
    template: Path | None = None,
    config: str | Path | Settings | None = None,
    previous: Path | None = None,
    quarter: str | None = None,
    year: int | None = None,
    pdf: bool = False,
) -> BuildResult:
    """Build one kind of document for one account into ``out`` and return what was written.

    ``as_of`` defaults to the config's ``as_of``, then to today's date (the one clock read
    in kamdocs; pass it to make a build reproducible). ``previous`` is a model JSON written by
    ``kamdocs model DATA ACCOUNT --json`` at the last review.
    """
    from kamdocs.data import load_portfolio  # pandas only when a build really runs
    from kamdocs.pipeline import find_account, read_previous

    builder_cls = get_builder(kind)
    settings = (
        config if isinstance(config, Settings) else load_settings(find_config(source, config))
    )
    earlier = None
    if previous is not None:
        before = read_previous(previous)
        earlier = {before.id: before}
    when = as_of or settings.as_of or date.today()
    if year is not None:
        # An EBR of a past fiscal year reports the data as it stood at that year's end, so
        # that the ARR bridge, KPIs and scorecard all cover the same twelve months.
        _, year_end = quarter_bounds(f"{year}-Q4", settings.locale.fiscal_year_start_month)
        when = min(when, year_end)
    portfolio = load_portfolio(source, config=settings, as_of=when, previous=earlier)
    account = find_account(portfolio, account_key)
    if earlier is not None and account.id not in earlier:
        raise UsageError(
            f"{previous}: the previous model is of account {next(iter(earlier))}, "
            f"not {account.id} {account.name}"
        )
    options = BuildOptions(
        settings=settings,
        audience=audience or builder_cls.default_audience,
        as_of=portfolio.as_of,
        template=template,
        pdf=pdf,
        quarter=quarter,
        year=year,
    )
    artifacts = list(builder_cls(options).build(portfolio, [account]))
    return write_artifacts(artifacts, out, kind=kind, as_of=portfolio.as_of,
                           is_pack=builder_cls.is_pack,
                           default_audience=builder_cls.default_audience)


def write_artifacts(
    artifacts: list[Artifact],
    out: str | Path,
    *,
    kind: str,
    as_of: date,
    is_pack: bool,
    default_audience: Audience,
) -> BuildResult:
    """Write one account's artifacts: single files, or one pack folder written atomically.

    A document for its kind's usual audience is named ``<slug>_<id>_<kind>_<as_of>``; the
    other audience adds it to the kind (``plan-customer``, ``qbr-internal``) so that both
    versions can sit in one folder.
    """
    writer = Writer(out)
    problems = tuple(p for a in artifacts for p in a.problems)
    if not artifacts:
        return BuildResult((), problems)
    if is_pack:
        first = artifacts[0]
        name = output_name(first.account_name, first.account_id, kind, as_of)
        writer.write_folder(name, {a.member or f"{a.kind}{a.suffix}": a.data for a in artifacts})
    else:
        for artifact in artifacts:
            label = artifact.kind if artifact.audience is default_audience else (
                f"{artifact.kind}-{artifact.audience.value}"
            )
            name = output_name(artifact.account_name, artifact.account_id, label, as_of,
                               artifact.suffix)
            writer.write_file(name, artifact.data, owner=f"{artifact.account_id} {kind}")
    return BuildResult(tuple(writer.written), problems)
