"""Text snippets (``text/*.j2``) rendered in a jinja2 sandbox, checked before any account.

Brand owners reword generated sentences without touching code, so a snippet is untrusted
text: it runs in a :class:`~jinja2.sandbox.SandboxedEnvironment` (no attribute access to
dunders, no calling arbitrary methods), with ``StrictUndefined`` (a missing value raises,
never prints as a blank) and autoescape off (we write text runs, not HTML).

A misspelt field must fail before the first account renders, not as a blank in a customer
deck: :meth:`Snippets.check` walks every snippet's AST and validates each variable
reference (``account.renewal.date``, loop variables over ``account.stakeholders``) against
the dotted fields the caller exposes (see :func:`fields_of`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from kamdocs.errors import TemplateError

SUFFIX = ".j2"
#: The element of a sequence field: "account.stakeholders[]" -> each stakeholder.
ITEM = "[]"
#: Names every snippet may use without the caller exposing them (jinja's own globals).
_BUILTINS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop",
                       "true", "false", "none", "True", "False", "None"})


class _Loader(jinja2.BaseLoader):
    """Snippets from the user's folder first, then the default brand's (Traversables)."""

    def __init__(self, folders: Iterable[Any]) -> None:
        self.folders = tuple(folders)

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.folders:
            candidate = folder / template
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8"), str(candidate), lambda: True
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for folder in self.folders:
            if folder.is_dir():
                names.update(p.name for p in folder.iterdir() if p.name.endswith(SUFFIX))
        return sorted(names)


class Snippets:
    """The snippets of a brand: ``render("qbr_subtitle", quarter="2026-Q4")``."""

    def __init__(self, folders: Iterable[Any], filters: Mapping[str, Callable[..., Any]] = {}
                 ) -> None:
        self.env = SandboxedEnvironment(
            loader=_Loader(folders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(filters)
        #: Compiled snippets by name, with their file: each is read and compiled once.
        self._compiled: dict[str, tuple[jinja2.Template, str]] = {}

    def names(self) -> list[str]:
        return [n.removesuffix(SUFFIX) for n in self.env.loader.list_templates()]

    def _source(self, name: str) -> tuple[str, str]:
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name + SUFFIX)
        except jinja2.TemplateNotFound:
            raise TemplateError(
                f"text snippet {name}{SUFFIX} not found (have: {', '.join(self.names())})"
            ) from None
        return source, filename

    def render(self, name: str, /, **context: Any) -> str:
        """The snippet ``name`` (without .j2) rendered with ``context``, stripped."""
        template, filename = self._compile(name)
        try:
            return template.render(**context).strip()
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{filename}: {exc.message}") from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"{filename}: not allowed in a snippet: {exc}") from None

    def _compile(self, name: str) -> tuple[jinja2.Template, str]:
        """The snippet ``name`` compiled, with its file name: read and compiled once."""
        if name not in self._compiled:
            source, filename = self._source(name)
            try:
                template = self.env.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"{filename}:{exc.lineno}: {exc.message}") from None
            self._compiled[name] = template, filename
        return self._compiled[name]

    def check(self, fields: set[str], names: Iterable[str] | None = None) -> None:
        """Every variable every snippet uses must be in ``fields`` (dotted paths); the first
        problem raises a TemplateError naming the snippet file and line."""
        problems = []
        for name in sorted(names if names is not None else self.names()):
            source, filename = self._source(name)
            problems.extend(check_source(source, filename, fields, set(self.env.filters)))
        if problems:
            raise TemplateError("; ".join(problems))


def check_snippets(fields: set[str], folders: Iterable[Any],
                   filters: Mapping[str, Callable[..., Any]] = {}) -> None:
    """Check the snippets in ``folders`` against ``fields`` (see :meth:`Snippets.check`)."""
    Snippets(folders, filters).check(fields)


def check_source(source: str, filename: str, fields: set[str], filters: set[str]) -> list[str]:
    """Problems ("file:line: ...") of one snippet's references against ``fields``."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    env.filters.update(dict.fromkeys(filters, lambda v, *a, **k: v))
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return [f"{filename}:{exc.lineno}: {exc.message}"]
    walker = _Walker(fields, filename, set(env.filters))
    walker.visit(tree, {})
    return list(dict.fromkeys(walker.problems))


def _known_roots(fields: set[str]) -> set[str]:
    return {f.split(".")[0].removesuffix(ITEM) for f in fields}


class _Walker:
    """Resolve every ``Name`` / ``Getattr`` / ``Getitem`` chain to a dotted path and check it."""

    def __init__(self, fields: set[str], filename: str, filters: set[str]) -> None:
        self.fields = fields
        self.prefixes = {".".join(f.split(".")[:i]) for f in fields
                         for i in range(1, f.count(".") + 2)}
        self.filename = filename
        self.filters = filters
        self.problems: list[str] = []

    def _known(self, path: str) -> bool:
        return path in self.fields or path in self.prefixes

    def _path(self, node: nodes.Node, scope: dict[str, str | None]) -> str | None:
        """The dotted path of an expression, "" for a local without a known path, None if it
        is not a plain reference (a call, a literal, ...)."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name] or ""
            return node.name
        if isinstance(node, nodes.Getattr):
            base = self._path(node.node, scope)
            if base is None or base == "":
                return base
            return f"{base}.{node.attr}"
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = self._path(node.node, scope)
            if base is None or base == "":
                return base
            if isinstance(node.arg.value, int):
                return f"{base}{ITEM}"
            return f"{base}.{node.arg.value}"
        return None

    def _report(self, node: nodes.Node, path: str) -> None:
        root = path.split(".")[0]
        close = sorted(f for f in self.fields if f.startswith(root + ".") or f == root)
        if path.split(".")[0] not in _known_roots(self.fields) | set(self.fields):
            hint = f"known names: {', '.join(sorted(_known_roots(self.fields)))}"
        else:
            parent = path.rsplit(".", 1)[0]
            children = sorted({f[len(parent) + 1:].split(".")[0] for f in close
                               if f.startswith(parent + ".")})
            hint = f"{parent} has: {', '.join(children)}" if children else "unknown field"
        self.problems.append(
            f"{self.filename}:{node.lineno}: unknown field {path!r} ({hint})"
        )

    def visit(self, node: nodes.Node, scope: dict[str, str | None]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            iterated = self._path(node.iter, scope)
            inner = dict(scope)
            for target in _targets(node.target):
                inner[target] = f"{iterated}{ITEM}" if iterated else None
            inner["loop"] = None
            for child in node.body + node.else_:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.visit(node.node, scope)
            else:
                for child in node.body:
                    self.visit(child, scope)
            for target in _targets(node.target):
                scope[target] = self._path(node.node, scope) if isinstance(
                    node, nodes.Assign) else None
            return
        if isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = None
            for child in node.body:
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            # ``account.name.upper()``: check ``account.name``; the method is the sandbox's job.
            self.visit(node.node.node, scope)
            for child in (*node.args, *node.kwargs):
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Filter | nodes.Test) and node.name not in self.filters:
            if isinstance(node, nodes.Filter):
                self.problems.append(
                    f"{self.filename}:{node.lineno}: unknown filter {node.name!r}"
                )
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            path = self._path(node, scope)
            if path:
                if not self._known(path) and path not in _BUILTINS:
                    self._report(node, path)
                return
            if path == "":
                return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def _targets(node: nodes.Node) -> list[str]:
    if isinstance(node, nodes.Name):
        return [node.name]
    if isinstance(node, nodes.Tuple):
        return [n for item in node.items for n in _targets(item)]
    return []


def fields_of(name: str, cls: type, depth: int = 6) -> set[str]:
    """Dotted paths a dataclass type exposes under ``name``: ``fields_of("account", Account)``
    gives "account.name", "account.renewal.date", "account.stakeholders[].name", ...

    Works on any dataclass (render/ does not import the model); ``depth`` stops recursion.
    """
    found: set[str] = set()
    _collect(name, cls, depth, found)
    return found


def _collect(path: str, hint: Any, depth: int, found: set[str]) -> None:
    found.add(path)
    if depth <= 0:
        return
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        for arg in args:
            if arg is not type(None):
                _collect(path, arg, depth, found)
        return
    if origin is tuple and args:
        element = args[0]
        if len(args) == 2 and args[1] is Ellipsis and (
            dataclasses.is_dataclass(element) or typing.get_origin(element) is not None
        ):
            _collect(f"{path}{ITEM}", element, depth - 1, found)
        return
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        try:
            hints = typing.get_type_hints(hint)
        except (NameError, TypeError):
            hints = {f.name: Any for f in dataclasses.fields(hint)}
        for f in dataclasses.fields(hint):
            _collect(f"{path}.{f.name}", hints.get(f.name, Any), depth - 1, found)


def default_folders() -> tuple[Any, ...]:
    """The default brand's snippet folder (and nothing else)."""
    from kamdocs.render.lookup import text_folders

    return text_folders(None)


__all__ = ["Snippets", "check_snippets", "check_source", "default_folders", "fields_of"]
