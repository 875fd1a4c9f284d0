"""The plan's content before drawing: sections, sentences and the long-text rules."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from kamdocs.audience import view_for
from kamdocs.builders.account_plan import (
    LONG_CELL,
    Column,
    Grid,
    Text,
    Words,
    _fold_grid,
    plan_document,
)
from kamdocs.config import Settings
from kamdocs.model import Audience, RagStatus, RelationshipSummary, RenewalStatus
from kamdocs.render.lookup import text_folders
from kamdocs.render.snippets import Snippets
from tests.builders.plan_accounts import minimal_account, rich_account


def words() -> Words:
    return Words(Settings(), Snippets(text_folders(None)))


def plan(account):
    return plan_document(account, company="Northwind Analytics", words=words())


def section_text(document, title: str) -> str:
    def walk(section):
        yield section
        for child in section.children:
            yield from walk(child)

    for top in document.sections:
        if top.title == title:
            return "\n".join(b.text for s in walk(top) for b in s.blocks if isinstance(b, Text))
    raise AssertionError(f"no section {title!r}")


def test_escalation_is_calm_when_the_account_is_not_in_danger() -> None:
    account = dataclasses.replace(rich_account(), relationships=RelationshipSummary())
    text = section_text(plan(account), "Risks")
    assert "The account is not in danger today." in text


def test_a_late_renewal_puts_the_account_in_danger() -> None:
    account = rich_account()
    account = dataclasses.replace(
        account,
        relationships=RelationshipSummary(),
        renewal=dataclasses.replace(account.renewal, status=RenewalStatus.LATE),
        health=dataclasses.replace(account.health, status=RagStatus.RED),
    )
    text = section_text(plan(account), "Risks")
    assert "The account is in danger (health is red; renewal late): escalate now." in text


def test_customer_view_plans_no_internal_sections() -> None:
    document = plan(view_for(rich_account(), Audience.CUSTOMER))
    titles = [s.title for s in document.sections]
    assert "Review scorecard" not in titles and "Changes since the last review" not in titles
    assert document.marking == "Prepared for Acme Corp"
    assert document.cover == (("Account", "Acme Corp"), ("As of", "Nov 23, 2026"),
                              ("Account owner", "Sam Lee"), ("Prepared by", "Northwind Analytics"))


def test_customer_summary_speaks_of_the_partnership_and_joint_actions() -> None:
    document = plan(view_for(rich_account(), Audience.CUSTOMER))
    lead = document.sections[0].blocks[0].text
    # one open customer-visible action (overdue) and the done one; renewal 31 May 2027
    assert lead == ("Our partnership covers $190,000 a year (+19% year on year); 1 of 2 KPIs "
                    "and 1 of 1 SLAs met; 1 joint action open, 1 overdue; renewal due "
                    "May 31, 2027.")


def test_a_bare_account_gets_a_summary_that_says_so() -> None:
    lead = plan(minimal_account()).sections[0].blocks[0].text
    assert lead.startswith("The data holds little about Bare Minimum Ltd yet")


@given(st.text(min_size=LONG_CELL + 1, max_size=2000).filter(lambda t: t.strip()))
def test_a_long_cell_keeps_its_opening_and_its_full_text_in_a_note(text: str) -> None:
    grid = Grid((Column("Name"), Column("Description")), (("Goal one", text),))
    folded, note = _fold_grid(grid)
    cell = folded.rows[0][1]
    assert cell.endswith("(note 1)") and len(cell) < LONG_CELL
    assert note.text.endswith(text) and note.text.startswith("Note 1 (description, Goal one): ")


def test_short_cells_are_left_alone() -> None:
    grid = Grid((Column("Name"),), (("x" * LONG_CELL,),))
    assert _fold_grid(grid) == (grid,)
