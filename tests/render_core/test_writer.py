"""The writer: atomic files and folders, safe names, no two outputs on one path."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamdocs import writer
from kamdocs.errors import UsageError
from kamdocs.writer import Writer, output_name, write_atomic, write_folder_atomic


def test_a_crash_mid_write_leaves_no_file_at_the_final_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writer.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(tmp_path / "deck.pptx", b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_a_crash_mid_write_keeps_the_previous_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = write_atomic(tmp_path / "deck.pptx", b"old")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    path = write_atomic(tmp_path / "a.docx", b"data")
    assert path.stat().st_mode & 0o777 == 0o644


def test_output_name_has_slug_id_kind_and_as_of() -> None:
    name = output_name("Müller & Söhne GmbH", "001A000001", "qbr", date(2026, 11, 23), ".pptx")
    assert name == "muller-sohne-gmbh_001A000001_qbr_2026-11-23.pptx"


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=300), account_id=st.text(max_size=40))
def test_any_account_gives_a_safe_file_name(name: str, account_id: str) -> None:
    result = output_name(name, account_id, "plan", date(2026, 1, 1), ".docx")
    assert "/" not in result and "\\" not in result and "\0" not in result
    assert len(result.encode()) <= 200
    assert result.endswith("_plan_2026-01-01.docx")
    assert result.split("_")[0] not in ("con", "nul", "prn", "aux", "")


def test_two_outputs_claiming_one_path_is_an_error(tmp_path: Path) -> None:
    out = Writer(tmp_path)
    out.write_file("acme_001_qbr_2026-11-23.pptx", b"one", owner="account 001")
    with pytest.raises(UsageError, match="two outputs claim") as caught:
        out.write_file("ACME_001_qbr_2026-11-23.pptx", b"two", owner="account 001 again")
    assert caught.value.exit_code == 2
    assert (tmp_path / "acme_001_qbr_2026-11-23.pptx").read_bytes() == b"one"


def test_a_claim_outside_the_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Writer(tmp_path).claim("../escape.pptx")


def test_a_folder_is_written_complete(tmp_path: Path) -> None:
    pack = Writer(tmp_path).write_folder("acme_001_ebr_2026-11-23",
                                         {"deck.pptx": b"d", "briefing.docx": b"b",
                                          "manifest.json": b"{}"})
    assert sorted(p.name for p in pack.iterdir()) == ["briefing.docx", "deck.pptx",
                                                       "manifest.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["acme_001_ebr_2026-11-23"]


def test_a_crash_while_writing_a_folder_leaves_no_folder(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def crash_on_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError("crash")

    monkeypatch.setattr(writer.os, "fsync", crash_on_second)
    with pytest.raises(OSError):
        write_folder_atomic(tmp_path / "pack", {"a.pptx": b"a", "b.docx": b"b"})
    assert list(tmp_path.iterdir()) == []


def test_a_folder_replaces_the_previous_one_whole(tmp_path: Path) -> None:
    write_folder_atomic(tmp_path / "pack", {"old.pptx": b"o", "keep.docx": b"k"})
    write_folder_atomic(tmp_path / "pack", {"new.pptx": b"n"})
    assert [p.name for p in (tmp_path / "pack").iterdir()] == ["new.pptx"]
    assert [p.name for p in tmp_path.iterdir()] == ["pack"]


def test_a_failed_folder_replacement_keeps_the_previous_pack(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    write_folder_atomic(tmp_path / "pack", {"old.pptx": b"o"})
    real_replace = os.replace

    def fail_on_final(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == tmp_path / "pack" and ".tmp" in str(src):
            raise OSError("rename failed")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", fail_on_final)
    with pytest.raises(OSError):
        write_folder_atomic(tmp_path / "pack", {"new.pptx": b"n"})
    assert [p.name for p in (tmp_path / "pack").iterdir()] == ["old.pptx"]
    assert [p.name for p in tmp_path.iterdir()] == ["pack"]
