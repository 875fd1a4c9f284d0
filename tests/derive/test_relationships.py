"""Relationships: org chart, key stakeholders, access paths, coverage and quality by hand."""

from __future__ import annotations

from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from kamdocs.config import RelationshipSettings, Settings

A, B = "001A", "001B"
U1, U2 = "005U1", "005U2"


def _contact(cid: str, first: str, last: str, title: str, reports_to: str | None = None,
             account: str = A, **extra: object) -> dict:
    row = {"Id": cid, "AccountId": account, "FirstName": first, "LastName": last,
           "Title": title, "ReportsToId": reports_to}
    row.update(extra)
    return row


def _frames(make_tables) -> dict:  # noqa: ANN001
    return make_tables(
        Account=[{"Id": A, "Name": "Acme", "OwnerId": U2}, {"Id": B, "Name": "Other"}],
        User=[{"Id": U1, "Name": "Sam Lee"}, {"Id": U2, "Name": "Pat Owner"}],
        AccountTeamMember=[{"AccountId": A, "UserId": U1,
                            "TeamMemberRole": "Key Account Manager"}],
        Contact=[
            _contact("C1", "Dana", "Ruiz", "VP IT", Access_Owner__c=U1, Stance__c="Champion"),
            _contact("C2", "Lee", "Kim", "Director", "C1", Influence__c=4,
                     Stance__c="Detractor"),
            _contact("C3", "Max", "Roe", "Engineer", "C2"),
            _contact("C4", "Ann", "Bo", "Manager", "C1", Access_Owner__c=U2,
                     Buying_Role__c="User"),
            _contact("C5", "Zed", "Young", "CFO"),
            _contact("C6", "Bea", "Low", "Analyst", "C4"),
            _contact("C10", "Aaron", "Up", "Intern", "C6", Access_Owner__c=U1),
            _contact("C99", "Dana", "Ruiz", "VP IT", account=B),
        ],
        AccountContactRelation=[{"AccountId": A, "ContactId": "C2",
                                 "Roles": "Influencer;Economic Buyer"}],
        Opportunity=[{"Id": "006X", "AccountId": A, "Name": "x", "StageName": "Proposal",
                      "CloseDate": "2027-01-01"}],
        OpportunityContactRole=[{"OpportunityId": "006X", "ContactId": "C3",
                                 "Role": "Technical Buyer"}],
        Task=[
            {"Id": "T1", "AccountId": A, "Subject": "call", "Status": "Completed",
             "IsClosed": True, "WhoId": "C2", "ActivityDate": "2026-10-01"},
            {"Id": "T2", "AccountId": A, "Subject": "planned", "Status": "Not Started",
             "IsClosed": False, "WhoId": "C1", "ActivityDate": "2026-11-01"},
        ],
        Event=[{"Id": "E1", "AccountId": A, "Subject": "lunch", "WhoId": "C5",
                "ActivityDate": "2026-06-01"}],
    )


def _account(make_tables, build_portfolio, settings: Settings | None = None):  # noqa: ANN001, ANN202
    return build_portfolio(_frames(make_tables), settings).accounts[0]


def test_stakeholders_sorted_by_depth_then_name(make_tables, build_portfolio) -> None:
    people = _account(make_tables, build_portfolio).stakeholders
    assert [(p.name, p.depth) for p in people] == [
        ("Dana Ruiz", 0), ("Zed Young", 0), ("Ann Bo", 1), ("Lee Kim", 1), ("Bea Low", 2),
        ("Max Roe", 2), ("Aaron Up", 3)]


def test_buying_role_falls_back_to_relation_then_opportunity_roles(make_tables,
                                                                   build_portfolio) -> None:
    roles = {p.id: p.buying_role for p in _account(make_tables, build_portfolio).stakeholders}
    assert roles["C2"] == "Economic Buyer"  # best of "Influencer;Economic Buyer"
    assert roles["C3"] == "Technical Buyer"  # from OpportunityContactRole
    assert roles["C4"] == "User"  # the contact's own field
    assert roles["C1"] is None


def test_key_stakeholders_by_role_influence_or_executive_title(make_tables,
                                                               build_portfolio) -> None:
    people = _account(make_tables, build_portfolio).stakeholders
    assert sorted(p.id for p in people if p.is_key) == ["C1", "C2", "C5"]
    assert sorted(p.id for p in people if p.is_executive) == ["C1", "C5"]


def test_access_paths_direct_via_nearest_or_none(make_tables, build_portfolio) -> None:
    paths = {p.id: p.access for p in _account(make_tables, build_portfolio).stakeholders}
    assert paths["C1"].description == "direct (Sam Lee, Key Account Manager)"
    assert paths["C4"].description == "direct (Pat Owner, Account Owner)"
    assert paths["C2"].description == "via Dana Ruiz (VP IT), owner Sam Lee"
    # Two steps up to Dana beats three steps to Ann.
    assert paths["C3"].via_contact_id == "C1" and paths["C3"].kind == "indirect"
    # Ann (parent) and Aaron (child) are both one step away: the more senior one wins.
    assert paths["C6"].description == "via Ann Bo (Manager), owner Pat Owner"
    assert paths["C5"].kind == "none" and paths["C5"].owner is None


def test_last_contact_and_stale_key_stakeholders(make_tables, build_portfolio) -> None:
    account = _account(make_tables, build_portfolio)
    people = {p.id: p for p in account.stakeholders}
    assert str(people["C2"].last_contact) == "2026-10-01"
    assert people["C1"].last_contact is None  # an open task is not a contact
    assert str(people["C5"].last_contact) == "2026-06-01"
    assert account.relationships.stale_key_stakeholders == ("C1", "C5")


def test_summary_and_quality_formula(make_tables, build_portfolio) -> None:
    summary = _account(make_tables, build_portfolio).relationships
    assert (summary.key_count, summary.key_direct_count, summary.direct_count) == (3, 1, 3)
    assert round(summary.coverage, 4) == round(1 / 3, 4)
    assert summary.champions == ("C1",) and summary.detractors == ("C2",)
    assert summary.is_single_threaded is False
    # 40 x 1/3 = 13.3; 30 x 1/(1+1) = 15; 20 x 1/3 = 6.7; 10 (not single-threaded)
    assert summary.quality == 45.0
    assert summary.quality_drivers == (
        "coverage: 1 of 3 key stakeholders reached directly (+13.3)",
        "advocacy: 1 champion, 1 detractor (+15)",
        "recency: 1 of 3 key stakeholders contacted in 90 days (+6.7)",
        "breadth: 3 contacts with direct access (+10)",
    )


def test_stale_days_and_key_influence_come_from_config(make_tables, build_portfolio) -> None:
    settings = Settings(relationships=RelationshipSettings(stale_days=200, key_influence=5))
    account = _account(make_tables, build_portfolio, settings)
    assert sorted(p.id for p in account.stakeholders if p.is_key) == ["C1", "C2", "C5"]
    assert account.relationships.stale_key_stakeholders == ("C1",)


def test_single_contact_with_access_is_single_threaded(make_tables, build_portfolio) -> None:
    frames = make_tables(
        Account=[{"Id": A, "Name": "Acme"}],
        Contact=[_contact("C1", "Dana", "Ruiz", "CEO", Access_Owner__c=U1),
                 _contact("C2", "Lee", "Kim", "Buyer", "C1")],
    )
    summary = build_portfolio(frames).accounts[0].relationships
    assert summary.is_single_threaded is True and summary.direct_count == 1
    # coverage 1/1 -> 40; no stances -> 15; nobody contacted -> 0; single-threaded -> 0
    assert summary.quality == 55.0


def test_no_contacts_means_no_quality(make_tables, build_portfolio) -> None:
    account = build_portfolio(make_tables(Account=[{"Id": A, "Name": "Acme"}])).accounts[0]
    assert account.stakeholders == () and account.relationships.quality is None


def test_an_account_never_gets_another_accounts_contacts(make_tables, build_portfolio) -> None:
    portfolio = build_portfolio(_frames(make_tables))
    assert [p.id for p in portfolio.accounts[1].stakeholders] == ["C99"]
    assert "C99" not in {p.id for p in portfolio.accounts[0].stakeholders}


@hyp_settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=11), st.booleans(),
                          st.sampled_from([0, 1])), min_size=1, max_size=12))
def test_every_contact_gets_its_own_accounts_path(make_tables, build_portfolio,
                                                  shape: list) -> None:
    contacts = []
    for i, (parent, access, account) in enumerate(shape):
        owner = (A, B)[account]
        boss = f"K{parent}" if parent < i and shape[parent][2] == account else None
        contacts.append(_contact(f"K{i}", "N", f"{i:02d}", "Staff", boss, account=owner,
                                 Access_Owner__c=U1 if access else None))
    frames = make_tables(Account=[{"Id": A, "Name": "a"}, {"Id": B, "Name": "b"}],
                         Contact=contacts)
    portfolio = build_portfolio(frames)
    mine = {acc.id: {p.id for p in acc.stakeholders} for acc in portfolio.accounts}
    for account in portfolio.accounts:
        for person in account.stakeholders:
            assert person.id in mine[account.id]
            if person.access.via_contact_id is not None:
                assert person.access.via_contact_id in mine[account.id]
            assert (person.access.kind == "direct") == (
                contacts[int(person.id[1:])]["Access_Owner__c"] is not None)


@hyp_settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["contact", "opportunity", "task", "asset", "goal"]),
                          st.sampled_from([A, B, "001C"])), min_size=1, max_size=25))
def test_every_record_lands_in_its_own_account_only(make_tables, build_portfolio,
                                                    records: list) -> None:
    rows: dict[str, list[dict]] = {"contact": [], "opportunity": [], "task": [], "asset": [],
                                   "goal": []}
    for i, (kind, account) in enumerate(records):
        rid = f"R{i:03d}"
        rows[kind].append({
            "contact": {"Id": rid, "AccountId": account, "LastName": rid},
            "opportunity": {"Id": rid, "AccountId": account, "Name": rid,
                            "StageName": "Proposal", "CloseDate": "2027-01-01"},
            "task": {"Id": rid, "AccountId": account, "Subject": rid, "Status": "Open"},
            "asset": {"Id": rid, "AccountId": account, "Name": rid, "Annual_Value__c": 1.0},
            "goal": {"Id": rid, "Account__c": account, "Name": rid},
        }[kind])
    frames = make_tables(
        Account=[{"Id": a, "Name": a} for a in (A, B, "001C")],
        Contact=rows["contact"], Opportunity=rows["opportunity"], Task=rows["task"],
        Asset=rows["asset"], Account_Goal__c=rows["goal"],
    )
    expected: dict[tuple[str, str], set[str]] = {}
    for i, (kind, account) in enumerate(records):
        expected.setdefault((kind, account), set()).add(f"R{i:03d}")
    for account in build_portfolio(frames).accounts:
        found = {
            "contact": {s.id for s in account.stakeholders},
            "opportunity": {o.id for o in account.opportunities},
            "task": {t.id for t in account.actions},
            "asset": {h.id for h in account.holdings},
            "goal": {g.id for g in account.goals},
        }
        for kind, ids in found.items():
            assert ids == expected.get((kind, account.id), set()), (kind, account.id)
