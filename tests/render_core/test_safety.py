"""A brand template is untrusted: each unsafe kind is rejected with exit 4 and one line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamdocs.cli import main
from kamdocs.errors import TemplateError
from kamdocs.render.lookup import load_template
from kamdocs.render.safety import Limits, check_package
from kamdocs.writer import write_atomic

MASTER_RELS = "ppt/slideMasters/_rels/slideMaster1.xml.rels"


def _default(kind: str = "qbr") -> bytes:
    return load_template(kind).data


def _rezip(data: bytes, changes: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    entries.update(changes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as target:
        for name, blob in entries.items():
            target.writestr(name, blob)
    return buffer.getvalue()


def _cli(tmp_path: Path, data: bytes, name: str = "brand.pptx", *args: str):  # noqa: ANN202
    path = write_atomic(tmp_path / name, data)
    return CliRunner().invoke(main, ["templates", str(path), *args])


def _assert_rejected(result, *words: str) -> None:  # noqa: ANN001
    assert result.exit_code == 4, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_the_default_brand_passes(tmp_path: Path) -> None:
    result = _cli(tmp_path, _default())
    assert result.exit_code == 0, result.output
    assert "layout content: 'Title and Content'" in result.output


def test_a_corrupt_file_is_rejected(tmp_path: Path) -> None:
    _assert_rejected(_cli(tmp_path, b"PK\x03\x04 this is not really a zip"), "not a zip")


def test_a_document_given_for_a_deck_is_rejected(tmp_path: Path) -> None:
    result = _cli(tmp_path, _default("account_plan"), "brand.docx", "--master", "qbr")
    _assert_rejected(result, "wrong kind", ".pptx is needed")


def test_a_template_with_macros_is_rejected(tmp_path: Path) -> None:
    data = _rezip(_default(), {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    _assert_rejected(_cli(tmp_path, data), "macros", "vbaProject.bin")


def test_a_template_with_activex_is_rejected(tmp_path: Path) -> None:
    data = _rezip(_default(), {"ppt/activeX/activeX1.xml": b"<ax:ocx/>"})
    _assert_rejected(_cli(tmp_path, data), "ActiveX")


def test_an_external_relationship_is_rejected(tmp_path: Path) -> None:
    rels = _default_part(MASTER_RELS).replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://attacker.example/track.png" '
        b'TargetMode="External"/></Relationships>',
    )
    data = _rezip(_default(), {MASTER_RELS: rels})
    _assert_rejected(_cli(tmp_path, data), "external relationship",
                     "http://attacker.example/track.png")


def test_a_doctype_in_any_part_is_rejected(tmp_path: Path) -> None:
    xml = _default_part("ppt/presProps.xml").replace(
        b"?>", b'?><!DOCTYPE lol [<!ENTITY lol "lol">]>', 1)
    data = _rezip(_default(), {"ppt/presProps.xml": xml})
    _assert_rejected(_cli(tmp_path, data), "DOCTYPE/ENTITY", "presProps.xml")


def test_a_zip_bomb_is_rejected(tmp_path: Path) -> None:
    data = _rezip(_default(), {"ppt/media/bomb.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(data) < 200_000  # 20 MB of zeros inflate from a few kB
    _assert_rejected(_cli(tmp_path, data), "zip bomb", "bomb.bin")


def test_too_many_entries_or_bytes_are_rejected() -> None:
    data = _rezip(_default(), {f"ppt/media/x{i}.bin": b"" for i in range(50)})
    with pytest.raises(TemplateError, match="entries"):
        check_package(data, "pptx", "brand.pptx", Limits(max_entries=40))
    with pytest.raises(TemplateError, match="inflates to"):
        check_package(_default(), "pptx", "brand.pptx", Limits(max_total_bytes=10_000))


def test_a_missing_template_file_is_exit_4(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["templates", str(tmp_path / "nope.pptx")])
    assert result.exit_code == 4 and "not found" in result.output


def test_a_missing_layout_is_exit_4_listing_the_files_layouts(tmp_path: Path) -> None:
    config = write_atomic(tmp_path / "kamdocs.toml",
                          b'[templates]\nlayouts = { content = "Body Copy" }\n')
    result = _cli(tmp_path, _default(), "brand.pptx", "--config", str(config))
    _assert_rejected(result, "'Body Copy'", "'Title and Content'", "'Two Content'")


def _default_part(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_default())) as archive:
        return archive.read(name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=st.binary(max_size=2000), cut=st.integers(min_value=0, max_value=20_000))
def test_junk_or_truncated_files_only_ever_raise_template_error(junk: bytes, cut: int) -> None:
    for data in (junk, _default()[:cut], b"PK" + junk):
        try:
            check_package(data, "pptx", "brand.pptx")
        except TemplateError as exc:
            assert exc.exit_code == 4 and "\n" not in exc.message
