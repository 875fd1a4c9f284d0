"""Every error a user can cause, one class per exit code.

Expected failures are ``click.ClickException`` subclasses: the CLI prints one clean
message and exits with the class's code, never a traceback (``--debug`` shows one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_TEMPLATE = 4


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in the input. ``row`` is numbered as a spreadsheet shows it
    (the header is row 1), or None when the problem concerns a whole file or column."""

    file: str
    row: int | None
    column: str | None
    reason: str
    value: str | None = None
    severity: Severity = Severity.ERROR
    account_id: str | None = None

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        shown = f" ({self.value})" if self.value not in (None, "") else ""
        return f"{place}: {self.severity.value}: {self.reason}{shown}"


class KamdocsError(click.ClickException):
    """Root of every expected failure."""

    exit_code = EXIT_FINDINGS


class UsageError(KamdocsError):
    exit_code = EXIT_USAGE


class ConfigError(KamdocsError):
    """The config file is unreadable, has an unknown key or a value of the wrong type."""

    exit_code = EXIT_USAGE


class AccountNotFound(KamdocsError):
    exit_code = EXIT_USAGE


class InputErrors(KamdocsError):
    """The input cannot be used at all; holds every problem found, not the first only."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = "") -> None:
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        head = summary or f"input rejected: {len(errors)} error(s)"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class TemplateError(KamdocsError):
    """A template is missing, corrupt, unsafe or lacks a layout or style we need."""

    exit_code = EXIT_TEMPLATE


class TemplateNotFound(TemplateError):
    pass


class RenderError(KamdocsError):
    """A document could not be produced (for example LibreOffice failed to convert it)."""

    exit_code = EXIT_FINDINGS
