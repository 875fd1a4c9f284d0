"""The layering of STYLE.md, checked on the source: who may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kamdocs"

# module prefix -> imports it must never make
FORBIDDEN = {
    "kamdocs.model": ("pandas", "kamdocs.", "docx", "pptx", "matplotlib", "click"),
    "kamdocs.render": ("kamdocs.model", "kamdocs.data", "pandas", "kamdocs.builders"),
    "kamdocs.builders": ("pandas", "kamdocs.data"),
    "kamdocs.data": ("kamdocs.builders", "kamdocs.render", "docx", "pptx"),
    "kamdocs.writer": ("kamdocs.render", "kamdocs.builders", "docx", "pptx"),
    "kamdocs.cli": ("docx", "pptx"),
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        yield name, path


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: str(v))
def test_module_respects_layering(module: str, path: Path) -> None:
    bad = []
    for prefix, forbidden in FORBIDDEN.items():
        if module == prefix or module.startswith(prefix + "."):
            for imported in _imports(path):
                for banned in forbidden:
                    if imported == banned.rstrip(".") or imported.startswith(banned):
                        if not (banned == "kamdocs." and imported == module):
                            bad.append(imported)
    assert not bad, f"{module} imports {sorted(set(bad))}"


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: str(v))
def test_no_print_outside_cli(module: str, path: Path) -> None:
    if module.startswith("kamdocs.cli"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]
    assert not calls, f"{module} calls print() at lines {calls}"


def _file_writes(tree: ast.AST) -> list[int]:
    """Lines that open a file for writing or write one through pathlib."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("write_bytes", "write_text"):
            lines.append(node.lineno)
        is_open = (isinstance(func, ast.Name) and func.id == "open") or (
            isinstance(func, ast.Attribute) and func.attr == "open"
            and not (isinstance(func.value, ast.Name) and func.value.id == "os")
        )
        if is_open:
            modes = [a for a in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
            for mode in modes:
                if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+"):
                    lines.append(node.lineno)
    return lines


# The writer owns document output; the batch owns its run folder (manifest database, logs).
_WRITERS = ("kamdocs.writer", "kamdocs.batch")


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: str(v))
def test_only_the_writer_opens_files_for_writing(module: str, path: Path) -> None:
    if module.startswith(_WRITERS):
        return
    lines = _file_writes(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"{module} writes a file at lines {lines}; use kamdocs.writer"
