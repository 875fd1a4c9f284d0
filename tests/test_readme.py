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


def test_readme_config_reference_lists_every_key_with_its_default(tmp_path: Path) -> None:
    import dataclasses
    from datetime import date

    from kamdocs.config import Settings, load_settings

    text = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    start = text.index("```toml\n") + len("```toml\n")
    block = text[start : text.index("```", start)]
    config = tmp_path / "kamdocs.toml"
    config.write_text(block, encoding="utf-8")
    documented = load_settings(config)
    defaults = Settings()
    assert documented.as_of == date(2026, 11, 23)
    for section in dataclasses.fields(Settings):
        if section.name in ("path", "as_of"):
            continue
        assert getattr(documented, section.name) == getattr(defaults, section.name), section.name
