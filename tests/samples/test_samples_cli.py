"""``kamdocs samples generate``: writes the portfolio, deterministic, clean errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner, Result

from kamdocs.cli import main
from kamdocs.data import schemas as sf


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["samples", "generate", *args])


def test_generate_writes_every_object_and_a_config(tmp_path: Path) -> None:
    out = tmp_path / "portfolio"
    result = _run(str(out), "--accounts", "3", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.csv")) == sorted(f"{n}.csv" for n in sf.TABLES)
    accounts = pd.read_csv(out / "Account.csv", dtype=str, keep_default_na=False)
    assert len(accounts) == 3
    assert (out / "kamdocs.toml").is_file()
    assert "3 accounts" in result.output and "seed 5" in result.output


def test_same_command_twice_gives_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert _run(str(first), "-n", "4", "--seed", "9").exit_code == 0
    assert _run(str(second), "-n", "4", "--seed", "9").exit_code == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    assert not [p for p in first.iterdir() if p.name.startswith(".")]  # no temp files left


def test_as_of_moves_every_date(tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    assert _run(str(early), "-n", "2", "--as-of", "2025-06-30").exit_code == 0
    assert _run(str(late), "-n", "2", "--as-of", "2026-06-30").exit_code == 0
    kpi_early = pd.read_csv(early / "KPI_Measurement__c.csv", dtype=str)
    kpi_late = pd.read_csv(late / "KPI_Measurement__c.csv", dtype=str)
    assert kpi_early["Period_End__c"].max() == "2025-06-30"
    assert kpi_late["Period_End__c"].max() == "2026-06-30"


def test_existing_config_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "kamdocs.toml").write_text('[company]\nname = "Mine"\n', encoding="utf-8")
    result = _run(str(out), "-n", "1")
    assert result.exit_code == 0, result.output
    assert (out / "kamdocs.toml").read_text(encoding="utf-8") == '[company]\nname = "Mine"\n'
    assert "Kept the existing" in result.output


def test_output_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = _run(str(target))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_zero_accounts_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "x"), "--accounts", "0")
    assert result.exit_code == 2
    assert "--accounts" in result.output
    assert not (tmp_path / "x").exists()


def test_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "x"), "--as-of", "23/11/2026")
    assert result.exit_code == 2
    assert "--as-of" in result.output
