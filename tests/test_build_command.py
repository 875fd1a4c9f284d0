"""``kamdocs build``: file names, audiences, --previous, --year, and clean errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from kamdocs.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
AS_OF = "2026-11-23"
QUARRYSTONE = "001Kd00000tqor5IAA"
CHANDRAPUR = "001Kd00000tqor7IAA"


def _build(*args: str) -> object:
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def test_plan_is_named_after_account_id_kind_and_date(tmp_path: Path) -> None:
    result = _build("plan", str(SAMPLES), QUARRYSTONE, "-o", str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"quarrystone-bank-corp_{QUARRYSTONE}_plan_{AS_OF}.docx"]
    assert zipfile.is_zipfile(tmp_path / names[0])


def test_the_other_audience_gets_its_own_file_beside_the_usual_one(tmp_path: Path) -> None:
    for audience in ("internal", "customer"):
        result = _build("qbr", str(SAMPLES), QUARRYSTONE, "-o", str(tmp_path), "--as-of", AS_OF,
                        "--audience", audience)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"quarrystone-bank-corp_{QUARRYSTONE}_qbr-internal_{AS_OF}.pptx",
        f"quarrystone-bank-corp_{QUARRYSTONE}_qbr_{AS_OF}.pptx",
    ]


def test_account_can_be_named_exactly(tmp_path: Path) -> None:
    result = _build("plan", str(SAMPLES), "Quarrystone Bank Corp.", "-o", str(tmp_path),
                    "--as-of", AS_OF, "--audience", "customer")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [
        f"quarrystone-bank-corp_{QUARRYSTONE}_plan-customer_{AS_OF}.docx"
    ]


def test_unknown_account_is_a_usage_error_with_candidates(tmp_path: Path) -> None:
    result = _build("plan", str(SAMPLES), "Quarrystone", "-o", str(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "Quarrystone Bank Corp." in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_previous_model_of_another_account_is_refused(tmp_path: Path) -> None:
    model = CliRunner().invoke(main, ["model", str(SAMPLES), CHANDRAPUR, "--json",
                                      "--as-of", "2026-08-23"])
    assert model.exit_code == 0, model.output
    previous = tmp_path / "previous.json"
    previous.write_text(model.output, encoding="utf-8")
    out = tmp_path / "out"
    result = _build("plan", str(SAMPLES), QUARRYSTONE, "-o", str(out), "--as-of", AS_OF,
                    "--previous", str(previous))
    assert result.exit_code == 2
    assert CHANDRAPUR in result.output and QUARRYSTONE in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_ebr_of_a_past_year_reports_the_data_at_that_years_end(tmp_path: Path) -> None:
    result = _build("ebr", str(SAMPLES), CHANDRAPUR, "-o", str(tmp_path), "--as-of", AS_OF,
                    "--year", "2025")
    assert result.exit_code == 0, result.output
    (pack,) = tmp_path.iterdir()
    assert pack.name == f"chandrapur-capital-ltd_{CHANDRAPUR}_ebr_2025-12-31"
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2025-12-31"
