"""The README's two set-up commands are the ones CI runs and they name real things."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    lines = ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("```bash")
    end = lines.index("```", start + 1)
    return lines[start + 1 : end]


def test_readme_opens_with_two_commands() -> None:
    assert len(_commands()) == 2


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _commands()[1]
    assert "pytest" in test_command
    assert test_command in ROOT.joinpath(".ci/run").read_text(encoding="utf-8")


def test_readme_main_command_uses_the_bundled_samples() -> None:
    main_command = _commands()[0]
    assert "samples" in main_command
    assert ROOT.joinpath("samples").is_dir()
