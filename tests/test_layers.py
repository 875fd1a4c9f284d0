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


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: str(v))
def test_only_the_writer_opens_files_for_writing(module: str, path: Path) -> None:
    if module == "kamdocs.writer":
        return
    source = path.read_text(encoding="utf-8")
    for needle in ("write_bytes(", "write_text(", 'open(mode="w', "'wb')", '"wb")', '"w")'):
        assert needle not in source, f"{module} writes a file ({needle}); use kamdocs.writer"
