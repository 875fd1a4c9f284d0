"""The ``kamdocs`` command line: parses argv, calls one library function, prints.

Each group of commands lives in its own module and registers itself on :data:`main`.
Expected failures are :class:`kamdocs.errors.KamdocsError` (one line, a defined exit
code); anything else is a bug and prints one line too, unless ``--debug`` is given.
"""

from __future__ import annotations

import sys

import click

from kamdocs import __version__


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug, not a user error: one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"kamdocs: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback)",
                err=True,
            )
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kamdocs")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn CRM data into key account management documents."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    # Imported for their side effect: each module adds its commands to ``main``.
    from kamdocs.cli import analytics, batch, build, data, render, samples_cmd  # noqa: F401


_register()
