"""Shared builders for the scaffolding tests: a small deck and document made the way builders
make them, from the packaged default brand."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from kamdocs.render.docx import Document, DocumentInfo
from kamdocs.render.lookup import load_template
from kamdocs.render.package import CoreProperties
from kamdocs.render.pptx import Deck, DeckInfo

AS_OF = date(2026, 11, 23)
COMPANY = "Northwind Analytics"


def deck_core(title: str = "Acme Corp QBR 2026-Q4") -> CoreProperties:
    return CoreProperties(title=title, author=COMPANY, as_of=AS_OF, subject="QBR")


def make_deck(template=None, *, titles: tuple[str, ...] = ()) -> Deck:  # noqa: ANN001
    deck = Deck(template or load_template("qbr"),
                DeckInfo("Prepared for Acme Corp", "As of 23 Nov 2026",
                         "Source: Salesforce export"),
                deck_core())
    deck.add_slide("title", "Acme Corp quarterly business review", subtitle="2026-Q4")
    summary = deck.add_slide("content", "9 of 11 KPIs met; uptime SLA missed in August",
                             label="Value delivered", notes="Open with the uptime miss.")
    summary.add_bullets(["Uptime 99.2 % against 99.9 %", "Tickets closed within SLA: 97 %"])
    deck.add_slide("title_only", "Renewal on 30 Jun 2027", label="Renewal")
    for title in titles:
        deck.add_slide("content", title, label="Extra").add_bullets(["one point"])
    return deck


def make_document(locale: str = "en_GB") -> Document:
    document = Document(
        load_template("account_plan"),
        DocumentInfo("Internal - confidential", "As of 23 Nov 2026", "Source: Salesforce export",
                     "Acme Corp", locale),
        CoreProperties(title="Acme Corp account plan", author=COMPANY, as_of=AS_OF,
                       subject="Account plan"),
    )
    document.add_cover("Acme Corp", "Account plan",
                       [("As of", "23 Nov 2026"), ("Owner", "Sam Lee"), ("Tier", "1")])
    document.add_contents()
    document.heading("Executive summary")
    document.paragraph("Revenue grew 12 % year on year.")
    document.heading("Key figures", 2)
    document.bullets(["Annual revenue $1.2M", "Renewal 30 Jun 2027"])
    document.heading("Current state")
    document.heading("Products held", 2)
    document.heading("By region", 3)
    document.appendix("All actions")
    document.heading("Open actions", 2)
    return document


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture()
def deck_bytes() -> bytes:
    return make_deck().to_bytes()


@pytest.fixture()
def document_bytes() -> bytes:
    return make_document().to_bytes()


@pytest.fixture()
def build_deck():  # noqa: ANN201
    """The factory :func:`make_deck` (tests cannot import conftest under importlib mode)."""
    return make_deck


@pytest.fixture()
def build_document():  # noqa: ANN201
    return make_document


@pytest.fixture()
def unzip():  # noqa: ANN201
    return parts
