"""Commands: ``kamdocs check FILE...`` (the document linter) and ``kamdocs render FILE``
(PDF / PNG through LibreOffice)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from kamdocs.cli import main
from kamdocs.errors import EXIT_FINDINGS, EXIT_OK, AccountNotFound, UsageError

_AUDIENCES = ("customer", "internal")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None


def _find_account(portfolio, wanted: str):  # noqa: ANN001, ANN202 - model objects
    """An account by Id (15 or 18 characters) or exact name."""
    for account in portfolio.accounts:
        if account.id == wanted or account.id[:15] == wanted[:15] and len(wanted) in (15, 18):
            return account
    named = [a for a in portfolio.accounts if a.name == wanted]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        ids = ", ".join(a.id for a in named)
        raise AccountNotFound(f"{wanted!r} names {len(named)} accounts ({ids}); give the Id")
    raise AccountNotFound(f"no account with Id or name {wanted!r} in the data")


def _terms(data: str, account_name: str, audience: str, config: str | None,
           as_of: date | None) -> list:
    import kamdocs
    from kamdocs.audience import view_for
    from kamdocs.config import find_config, load_settings
    from kamdocs.model import Audience
    from kamdocs.render.check import leak_terms, money_forms
    from kamdocs.render.lookup import default_brand

    settings = load_settings(find_config(data, config))
    portfolio = kamdocs.load_portfolio(data, config=settings, as_of=as_of)
    account = _find_account(portfolio, account_name)
    customer = view_for(account, Audience.CUSTOMER) if audience == "customer" else None
    others = [(a.id, a.name) for a in portfolio.accounts if a.id != account.id]
    others += [(r.id, r.name or "") for r in portfolio.rejected if r.id != account.id]
    return leak_terms(
        account, customer, others,
        money=money_forms(settings.locale.locale, settings.locale.currency),
        allow=(settings.company.name, portfolio.company, settings.company.data_source,
               # Opportunity types from the config are words documents use ("Renewal"),
               # not values that leak.
               *settings.opportunities.renewal_types, *settings.opportunities.expansion_types,
               # The default brand's own name sits in its theme and logo alt text.
               default_brand().name),
    )


@main.command("check")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data", default=None, metavar="DATA",
              help="The input the files were built from: enables the audience checks.")
@click.option("--account", "account_name", default=None, metavar="ACCOUNT",
              help="Id or exact name of the account the files are about (with --data).")
@click.option("--audience", type=click.Choice(_AUDIENCES), default="customer", show_default=True,
              help="Who the files are for: customer files must hold no internal value.")
@click.option("--config", default=None, metavar="FILE",
              help="Config file (default: kamdocs.toml beside DATA).")
@click.option("--as-of", "as_of", default=None, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="As-of date the files were built for (default: their created date).")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...], data: str | None,
          account_name: str | None, audience: str, config: str | None,
          as_of: datetime | None, as_json: bool) -> None:
    """Lint generated .pptx/.docx FILES: shapes off the slide, text overflow, empty
    placeholders, leftover {{ }}, missing alt text or titles, fonts LibreOffice lacks,
    macros, external links, comments, hidden content; with --data and --account, internal
    values (for --audience customer) and other accounts' names or Ids in EVERY part.

    Exit 0 when clean, 1 with findings (one located line each), 2 on usage errors.
    """
    from kamdocs.render.check import check_files, document_as_of

    if (data is None) != (account_name is None):
        raise UsageError("--data and --account go together (the audience checks need both)")
    contents = [(str(path), _read(path)) for path in files]
    terms = []
    if data is not None:
        # Without --as-of, the date the files were built for (their created property).
        day = as_of.date() if as_of is not None else document_as_of(contents[0][1])
        terms = _terms(data, account_name, audience, config, day)
    findings = check_files(contents, terms=terms)
    if as_json:
        click.echo(json.dumps({"files": [str(p) for p in files], "count": len(findings),
                               "findings": [f.as_dict() for f in findings]},
                              indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
        noun = "finding" if len(findings) == 1 else "findings"
        checked = f"{len(files)} file{'s' if len(files) != 1 else ''}"
        click.echo(f"{len(findings)} {noun} in {checked}" if findings else f"{checked}: clean",
                   err=bool(findings))
    ctx.exit(EXIT_FINDINGS if findings else EXIT_OK)


@main.command("render")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf", is_flag=True, help="Write FILE's PDF (beside it, or -o).")
@click.option("--png", "png_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Write one PNG per page into DIR.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Where the PDF goes (default: FILE with .pdf).")
@click.option("--dpi", default=80, show_default=True, type=click.IntRange(20, 600))
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(1, 3600),
              help="Seconds LibreOffice may take.")
def render(file: Path, pdf: bool, png_dir: Path | None, output: Path | None, dpi: int,
           timeout: float) -> None:
    """Convert a .pptx/.docx FILE to PDF (--pdf) or PNG pages (--png DIR) with headless
    LibreOffice. Exit 1 with one line when LibreOffice is missing, fails or times out."""
    from kamdocs.render.convert import pdf_to_png, to_pdf
    from kamdocs.writer import write_atomic

    if not pdf and png_dir is None:
        raise UsageError("say what to render: --pdf and/or --png DIR")
    if file.suffix.lower() not in (".pptx", ".docx"):
        raise UsageError(f"{file}: only .pptx and .docx files can be rendered")
    document = to_pdf(_read(file), file.suffix.lower(), timeout=timeout, name=str(file))
    if pdf:
        target = write_atomic(output or file.with_suffix(".pdf"), document)
        click.echo(f"{target}")
    if png_dir is not None:
        pages = pdf_to_png(document, dpi=dpi, timeout=timeout, name=str(file))
        for number, page in enumerate(pages, start=1):
            write_atomic(png_dir / f"{file.stem}-{number}.png", page)
        click.echo(f"{png_dir}: {len(pages)} page(s)")


@main.command("templates")
@click.argument("template", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--master", default=None, metavar="KIND",
              help="What the template is for: qbr, ebr (decks), account_plan, briefing "
                   "(documents). Default: from the file's extension.")
@click.option("--config", default=None, metavar="FILE",
              help="Config file with [templates] layouts to check the template against.")
def templates(template: Path | None, master: str | None, config: str | None) -> None:
    """Check a brand TEMPLATE (.pptx/.docx) before use, or list the default brand.

    Prints the layouts each deck role maps to (or the document's styles). Exit 4 when the
    template is corrupt, of the wrong kind, unsafe (macros, ActiveX, external links,
    DOCTYPE/ENTITY, zip bomb) or lacks a layout a role needs.
    """
    from kamdocs.config import load_settings
    from kamdocs.render.lookup import describe

    settings = load_settings(config)
    if master is None:
        master = "account_plan" if template is not None and template.suffix.lower() in (
            ".docx", ".dotx") else "qbr"
    for line in describe(master, template, layouts=settings.templates.layouts):
        click.echo(line)
