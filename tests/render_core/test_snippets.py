"""Jinja snippets: sandboxed, strict, and checked against the model's fields before use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamdocs.errors import TemplateError
from kamdocs.model import Account
from kamdocs.render.snippets import Snippets, check_snippets, default_folders, fields_of
from kamdocs.writer import write_atomic


@dataclass(frozen=True)
class Person:
    name: str


@dataclass(frozen=True)
class Thing:
    name: str
    renewal: date | None = None
    contacts: tuple[Person, ...] = ()
    owner: Person | None = None
    tags: tuple[str, ...] = field(default=())


def _folder(tmp_path: Path, **snippets: str) -> Path:
    for name, text in snippets.items():
        write_atomic(tmp_path / f"{name}.j2", text.encode())
    return tmp_path


def test_fields_of_walks_nested_dataclasses_and_sequences() -> None:
    fields = fields_of("account", Thing)
    assert {"account.name", "account.renewal", "account.owner.name",
            "account.contacts[].name", "account.tags"} <= fields


def test_the_model_exposes_its_fields() -> None:
    fields = fields_of("account", Account)
    assert "account.renewal.date" in fields
    assert "account.stakeholders[].name" in fields


def test_a_misspelt_field_names_the_snippet_file_and_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path, title="Renewal for {{ account.name }}\n"
                                      "on {{ account.renewl }}\n")
    with pytest.raises(TemplateError) as caught:
        check_snippets(fields_of("account", Thing), [folder])
    message = caught.value.message
    assert f"{folder / 'title.j2'}:2:" in message
    assert "'account.renewl'" in message and "renewal" in message
    assert caught.value.exit_code == 4


def test_loop_variables_resolve_to_the_sequence_elements(tmp_path: Path) -> None:
    good = _folder(tmp_path / "good", people="{% for c in account.contacts %}{{ c.name }}, "
                                             "{% endfor %}{{ account.owner.name | upper }}")
    check_snippets(fields_of("account", Thing), [good])
    bad = _folder(tmp_path / "bad", people="{% for c in account.contacts %}\n{{ c.nmae }}"
                                           "{% endfor %}")
    with pytest.raises(TemplateError, match=r"people\.j2:2: unknown field 'account\.contacts"
                                            r"\[\]\.nmae'"):
        check_snippets(fields_of("account", Thing), [bad])


def test_an_unknown_root_name_is_rejected(tmp_path: Path) -> None:
    folder = _folder(tmp_path, x="{{ acount.name }}")
    with pytest.raises(TemplateError, match="x.j2:1: unknown field 'acount.name'"):
        check_snippets(fields_of("account", Thing), [folder])


def test_the_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    folder = _folder(tmp_path, evil="{{ name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateError, match="evil.j2"):
        Snippets([folder]).render("evil", name="x")


def test_a_missing_value_is_an_error_not_a_blank(tmp_path: Path) -> None:
    folder = _folder(tmp_path, hello="Prepared for {{ customer }}")
    with pytest.raises(TemplateError, match="customer"):
        Snippets([folder]).render("hello")


def test_user_snippets_override_the_default_ones(tmp_path: Path) -> None:
    folder = _folder(tmp_path, marking_customer="For {{ customer }} only")
    snippets = Snippets([folder, *default_folders()])
    assert snippets.render("marking_customer", customer="Acme") == "For Acme only"
    assert snippets.render("footer_source", data_source="CRM") == "Source: CRM"


def test_the_scaffolding_snippets_use_only_their_documented_context() -> None:
    context = {"customer", "as_of", "data_source"}
    Snippets(default_folders()).check(context, names=[
        "marking_customer", "marking_internal_deck", "marking_internal_document",
        "footer_as_of", "footer_source"])


@given(text=st.text(max_size=200))
def test_text_is_written_verbatim_without_html_escaping(text: str) -> None:
    snippets = Snippets(default_folders())
    assert snippets.render("marking_customer", customer=text) == f"Prepared for {text}".strip()
