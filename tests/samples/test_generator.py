"""The sample generator: deterministic, in the Salesforce export format, internally consistent."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pandas as pd
import pytest

from kamdocs import samples
from kamdocs.data import schemas as sf
from kamdocs.data.schemas import Kind

AS_OF = samples.SAMPLES_AS_OF
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000")
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _digest(frames: dict[str, pd.DataFrame]) -> str:
    sha = hashlib.sha256()
    for name, frame in frames.items():
        sha.update(name.encode())
        sha.update(samples.csv_bytes(frame))
    return sha.hexdigest()


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    return [v for v in frame[column].tolist() if isinstance(v, str)]


def _d(text: str) -> date:
    return date.fromisoformat(text[:10])


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_csv_bytes() -> None:
    first = samples.generate(12, 99, AS_OF)
    second = samples.generate(12, 99, AS_OF)
    assert list(first) == list(second)
    for name in first:
        assert samples.csv_bytes(first[name]) == samples.csv_bytes(second[name]), name


def test_other_seed_gives_other_portfolio() -> None:
    first = samples.generate(12, 99, AS_OF)
    other = samples.generate(12, 100, AS_OF)
    assert samples.csv_bytes(first["Account"]) != samples.csv_bytes(other["Account"])
    assert samples.csv_bytes(first["Contact"]) != samples.csv_bytes(other["Contact"])


def test_output_does_not_depend_on_string_hashing() -> None:
    # Set or dict order keyed by str changes with PYTHONHASHSEED; the bytes must not.
    code = (
        "import hashlib; from datetime import date; from kamdocs import samples;"
        "f = samples.generate(6, 3, date(2026, 11, 23));"
        "print(hashlib.sha256(b''.join(samples.csv_bytes(v) for v in f.values())).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True, cwd=_ROOT)
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_zero_accounts_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        samples.generate(0, 1, AS_OF)


# --------------------------------------------------------------------------- format


def test_every_object_has_the_schema_columns_in_order(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    assert set(sample_frames) == set(sf.TABLES)
    for name, frame in sample_frames.items():
        expected = [c.name for c in sf.TABLES[name].columns if c.name != sf.IS_DELETED]
        assert list(frame.columns) == expected, name
        assert len(frame) > 0, name


def test_values_are_written_as_a_salesforce_export_writes_them(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    for name, frame in sample_frames.items():
        for column in sf.TABLES[name].columns:
            if column.name not in frame:
                continue
            values = _values(frame, column.name)
            assert all(v.strip() == v and v not in ("", "nan", "None", "NaN") for v in values)
            where = f"{name}.{column.name}"
            if column.kind is Kind.DATE:
                pattern = DATETIME if column.name.endswith("DateTime") else DATE
                assert all(pattern.fullmatch(v) for v in values), where
            elif column.kind is Kind.BOOL:
                assert set(values) <= {"true", "false"}, where
            elif column.kind is Kind.INT:
                assert all(v.isdigit() for v in values), where
            elif column.kind is Kind.NUM:
                assert all(re.fullmatch(r"\d+(\.\d{1,2})?", v) for v in values), where
            elif column.kind is Kind.PICK:
                assert set(values) <= set(column.allowed), where
            if column.low is not None or column.high is not None:
                numbers = [float(v) for v in values]
                assert column.low is None or min(numbers) >= column.low, where
                assert column.high is None or max(numbers) <= column.high, where


def test_csv_is_utf8_without_bom_with_lf_line_ends(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    data = samples.csv_bytes(sample_frames["Contact"])
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in data
    assert data.split(b"\n", 1)[0] == b",".join(c.encode() for c in sample_frames["Contact"])
    data.decode("utf-8")


# --------------------------------------------------------------------------- consistency


def _ids(frames: dict[str, pd.DataFrame], name: str) -> set[str]:
    return set(frames[name][sf.ID])


def test_every_reference_resolves(sample_frames: dict[str, pd.DataFrame]) -> None:
    frames = sample_frames
    for name, frame in frames.items():
        for column in sf.TABLES[name].columns:
            if column.kind is Kind.REF and column.target and column.name in frame:
                dangling = set(_values(frame, column.name)) - _ids(frames, column.target)
                assert not dangling, f"{name}.{column.name} -> {column.target}: {dangling}"
    accounts_and_opps = _ids(frames, "Account") | _ids(frames, "Opportunity")
    for name in ("Task", "Event"):
        assert set(_values(frames[name], "WhatId")) <= accounts_and_opps, name


def test_records_never_point_at_another_accounts_records(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    frames = sample_frames
    contact_account = dict(zip(frames["Contact"][sf.ID], frames["Contact"]["AccountId"],
                               strict=True))
    opp_account = dict(zip(frames["Opportunity"][sf.ID], frames["Opportunity"]["AccountId"],
                           strict=True))
    what_account = {**opp_account, **{a: a for a in frames["Account"][sf.ID]}}
    contacts = frames["Contact"].dropna(subset=["ReportsToId"])
    for contact, manager in zip(contacts[sf.ID], contacts["ReportsToId"], strict=True):
        assert contact_account[contact] == contact_account[manager]
    roles = frames["OpportunityContactRole"]
    for opp, contact in zip(roles["OpportunityId"], roles["ContactId"], strict=True):
        assert opp_account[opp] == contact_account[contact]
    for name in ("Task", "Event"):
        frame = frames[name]
        for account, what, who in zip(frame["AccountId"], frame["WhatId"], frame["WhoId"],
                                      strict=True):
            owner = what_account[what]
            assert not isinstance(account, str) or account == owner
            assert not isinstance(who, str) or contact_account[who] == owner
    relations = frames["AccountContactRelation"]
    for account, contact in zip(relations["AccountId"], relations["ContactId"], strict=True):
        assert contact_account[contact] == account


def test_each_account_has_5_to_40_contacts(sample_frames: dict[str, pd.DataFrame]) -> None:
    per_account = sample_frames["Contact"].groupby("AccountId").size()
    assert set(per_account.index) == set(sample_frames["Account"][sf.ID])
    assert per_account.min() >= 5 and per_account.max() <= 40
    assert per_account.max() - per_account.min() >= 15  # varied sizes


def test_org_charts_are_forests_without_cycles(sample_frames: dict[str, pd.DataFrame]) -> None:
    contacts = sample_frames["Contact"]
    manager = {c: m for c, m in zip(contacts[sf.ID], contacts["ReportsToId"], strict=True)
               if isinstance(m, str)}
    depths = []
    for contact in contacts[sf.ID]:
        seen = {contact}
        while contact in manager:
            contact = manager[contact]
            assert contact not in seen, "ReportsTo cycle"
            seen.add(contact)
        depths.append(len(seen) - 1)
    assert max(depths) >= 3  # real org charts, not flat lists
    assert len(manager) < len(contacts)  # roots exist


def test_parents_are_other_portfolio_accounts(sample_frames: dict[str, pd.DataFrame]) -> None:
    accounts = sample_frames["Account"]
    children = accounts.dropna(subset=["ParentId"])
    assert len(children) >= 1
    assert not (children["ParentId"] == children[sf.ID]).any()
    parents = set(children["ParentId"])
    assert not parents & set(children[sf.ID])  # one level: no parent is itself a child


def test_people_are_synthetic_with_example_com_addresses(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    for name in ("Contact", "User"):
        for email in _values(sample_frames[name], "Email"):
            domain = email.rsplit("@", 1)[1]
            assert domain == "example.com" or domain.endswith(".example.com"), email
            assert re.fullmatch(r"[a-z0-9.]+@[a-z0-9.\-]+", email), email


def test_names_tell_accounts_and_people_apart(sample_frames: dict[str, pd.DataFrame]) -> None:
    names = sample_frames["Account"][sf.NAME].tolist()
    assert len(set(names)) == len(names)
    for name in names:
        assert not any(other != name and other in name for other in names), name
    contacts = sample_frames["Contact"]
    people = (contacts["FirstName"] + " " + contacts["LastName"]).tolist()
    people += sample_frames["User"][sf.NAME].tolist()
    assert len(set(people)) == len(people)


# --------------------------------------------------------------------------- content


def test_accounts_vary_in_industry_country_region_and_tier(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    accounts = sample_frames["Account"]
    assert accounts["Industry"].nunique() >= 8
    countries = set(accounts["BillingCountry"])
    assert "United States" in countries
    assert countries & {"Germany", "France", "Netherlands", "Spain", "Italy", "Sweden", "Austria"}
    assert countries & {"Japan", "Singapore", "Australia", "India", "South Korea", "Hong Kong"}
    tiers = accounts["Account_Tier__c"].value_counts()
    assert {"Tier 1", "Tier 2", "Tier 3"} <= set(tiers.index)
    revenue = accounts["AnnualRevenue"].astype(float)
    assert revenue.max() / revenue.min() > 10


def test_stakeholders_carry_the_relationship_fields(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    contacts = sample_frames["Contact"]
    assert set(_values(contacts, "Stance__c")) == set(sf.STANCES)
    assert set(_values(contacts, "Engagement__c")) == set(sf.ENGAGEMENTS)
    assert set(_values(contacts, "Buying_Role__c")) == set(sf.BUYING_ROLES)
    titles = " ".join(_values(contacts, "Title"))
    for level in ("Chief", "SVP", "VP", "Director", "Manager"):
        assert level in titles
    assert contacts["Access_Owner__c"].notna().sum() > len(contacts) // 5
    # Accounts have champions, and some have detractors.
    by_account = contacts.groupby("AccountId")["Stance__c"]
    assert by_account.apply(lambda s: (s == "Champion").any()).mean() > 0.6
    assert by_account.apply(lambda s: (s == "Detractor").any()).sum() >= 5
    # A contact without a buying role gets it from AccountContactRelation.Roles.
    roleless = set(contacts[contacts["Buying_Role__c"].isna()][sf.ID])
    related = sample_frames["AccountContactRelation"].dropna(subset=["Roles"])
    assert roleless and roleless <= set(related["ContactId"])


def test_account_teams_name_our_people_by_role(sample_frames: dict[str, pd.DataFrame]) -> None:
    team = sample_frames["AccountTeamMember"]
    roles = set(team["TeamMemberRole"])
    assert {"Key Account Manager", "Executive Sponsor", "Sales Engineer",
            "Customer Success Manager"} <= roles
    kams = team[team["TeamMemberRole"] == "Key Account Manager"]
    assert kams.groupby("AccountId").size().eq(1).all()
    owners = dict(zip(kams["AccountId"], kams["UserId"], strict=True))
    accounts = sample_frames["Account"]
    assert all(owners[a] == o for a, o in zip(accounts[sf.ID], accounts["OwnerId"], strict=True))


def test_opportunities_span_three_years_with_every_outcome_and_type(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    opps = sample_frames["Opportunity"]
    closes = [_d(v) for v in opps["CloseDate"]]
    assert min(closes) >= AS_OF - timedelta(days=3 * 366)
    assert min(closes) <= AS_OF - timedelta(days=900)
    assert {"Renewal", "Expansion", "New Business", "Upsell", "Cross-sell"} <= set(opps["Type"])
    won = (opps["IsWon"] == "true")
    lost = (opps["IsClosed"] == "true") & ~won
    open_ = opps["IsClosed"] == "false"
    assert won.sum() and lost.sum() and open_.sum()
    assert set(opps[won]["StageName"]) == {"Closed Won"}
    assert set(opps[lost]["StageName"]) == {"Closed Lost"}
    assert len(set(opps[open_]["StageName"])) >= 5


def test_line_items_add_up_to_their_opportunity(sample_frames: dict[str, pd.DataFrame]) -> None:
    items = sample_frames["OpportunityLineItem"]
    totals = items.assign(p=items["TotalPrice"].astype(float)).groupby("OpportunityId")["p"].sum()
    amounts = sample_frames["Opportunity"].set_index(sf.ID)["Amount"].astype(float)
    assert len(totals) >= 0.9 * len(amounts)
    for opp, total in totals.items():
        assert abs(total - amounts[opp]) < 0.01, opp


def test_assets_are_active_and_inactive_with_annual_values(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    assets = sample_frames["Asset"]
    assert "Obsolete" in set(assets["Status"])
    assert {"Installed", "Registered", "Purchased"} & set(assets["Status"])
    inactive = assets[assets["Status"] == "Obsolete"]
    assert inactive["UsageEndDate"].notna().all()
    # Where Annual_Value__c is missing, Price x Quantity gives it.
    priced_only = assets[assets["Annual_Value__c"].isna()]
    assert len(priced_only) > 0
    assert priced_only["Price"].notna().all() and priced_only["Quantity"].notna().all()
    families = set(sample_frames["Product2"]["Family"])
    assert len(families) >= 4


def _renewal_statuses(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each account's renewal status, worked out here with the issue's rules (9 and 6 months,
    a renewal-type opportunity open or won within 90 days of the date)."""
    contracts = frames["Contract"]
    active = contracts[contracts["Status"] == "Activated"]
    latest_end = active.groupby("AccountId")["EndDate"].max().to_dict()
    opps = frames["Opportunity"]
    renewals = opps[(opps["Type"] == "Renewal") & ((opps["IsClosed"] == "false")
                                                  | (opps["IsWon"] == "true"))]
    out = {}
    for account, field_date in zip(frames["Account"][sf.ID], frames["Account"]["Renewal_Date__c"],
                                   strict=True):
        text = field_date if isinstance(field_date, str) else latest_end.get(account)
        if text is None:
            out[account] = "no date"
            continue
        when = _d(text)
        mine = renewals[renewals["AccountId"] == account]
        near = [(won == "true") for won, close in zip(mine["IsWon"], mine["CloseDate"],
                                                      strict=True)
                if abs((_d(close) - when).days) <= 90]
        if any(near) and when >= AS_OF - timedelta(days=30):
            out[account] = "renewed"
        elif when < AS_OF:
            out[account] = "lapsed"
        elif (when - AS_OF).days > 276:
            out[account] = "not yet in window"
        elif (when - AS_OF).days > 184:
            out[account] = "in window, covered" if near else "in window, missing"
        else:
            out[account] = "late, covered" if near else "late, missing"
    return out


def test_renewals_fall_in_and_outside_the_window(sample_frames: dict[str, pd.DataFrame]) -> None:
    statuses = list(_renewal_statuses(sample_frames).values())
    for status in ("not yet in window", "in window, covered", "in window, missing",
                   "late, covered", "late, missing", "renewed", "lapsed", "no date"):
        assert statuses.count(status) >= 2, (status, sorted(statuses))
    accounts = sample_frames["Account"]
    with_date = accounts["Renewal_Date__c"].notna().sum()
    assert 0 < with_date < len(accounts)


def test_some_accounts_are_overdue_for_a_qbr(sample_frames: dict[str, pd.DataFrame]) -> None:
    events = sample_frames["Event"]
    is_qbr = (events["Type"] == "QBR") | events["Subject"].str.contains("QBR")
    qbrs = events[is_qbr & (events["ActivityDate"] <= AS_OF.isoformat())]
    last = qbrs.groupby("WhatId")["ActivityDate"].max()
    tiers = sample_frames["Account"].set_index(sf.ID)["Account_Tier__c"]
    overdue = [a for a, day in last.items()
               if (AS_OF - _d(day)).days > (92 if tiers.get(a) in ("Tier 1", "Tier 2") else 184)]
    assert 3 <= len(overdue) < len(last)
    assert (events["Type"] == "EBR").sum() >= 5
    assert (events["ActivityDate"] > AS_OF.isoformat()).any()  # scheduled, not held yet
    assert set(events["Type"]) - {"QBR", "EBR"}  # other meetings too


def test_actions_include_overdue_done_and_customer_visible(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    tasks = sample_frames["Task"]
    open_ = tasks["IsClosed"] == "false"
    due = tasks["ActivityDate"].fillna("9999-12-31")
    overdue = open_ & (due < AS_OF.isoformat())
    assert overdue.sum() >= 20
    assert (~open_).sum() > overdue.sum()
    done = tasks[~open_]
    assert done["CompletedDateTime"].notna().all()
    assert set(tasks["Priority"]) == {"High", "Normal", "Low"}
    visible = tasks["Customer_Visible__c"] == "true"
    assert 0.2 < visible.mean() < 0.7
    high = tasks[tasks["Priority"] == "High"]
    assert high["Escalation_Path__c"].notna().mean() > 0.6
    assert tasks["Success_Measure__c"].notna().mean() > 0.6
    # Data gaps the action review must flag.
    assert tasks["OwnerId"].isna().any() and tasks["ActivityDate"].isna().any()


def test_whitespace_has_cells_above_potential(sample_frames: dict[str, pd.DataFrame]) -> None:
    assets = sample_frames["Asset"]
    active = assets[assets["Status"] != "Obsolete"].copy()
    value = active["Annual_Value__c"].astype(float)
    priced = active["Price"].astype(float) * active["Quantity"].astype(float)
    active["value"] = value.fillna(priced)
    products = sample_frames["Product2"].set_index(sf.ID)[sf.NAME]
    active["product"] = active["Product2Id"].map(products)
    key = ["AccountId", "product", "Business_Unit__c", "Region__c", "Use_Case__c"]
    current = active.groupby(key)["value"].sum()
    cells = sample_frames["Whitespace_Potential__c"]
    above = 0
    for row in cells.itertuples(index=False):
        held = current.get((row.Account__c, row.Product__c, row.Business_Unit__c, row.Region__c,
                            row.Use_Case__c), 0.0)
        above += held > float(row.Potential__c)
    assert above >= 3
    assert len(cells) > 10 * above  # most cells still have room
    per_account = cells.groupby("Account__c").size()
    assert per_account.max() >= 2 * per_account.min()  # small and large accounts
    assert len(per_account) < len(sample_frames["Account"])  # some accounts have none


def test_kpis_have_quarterly_history_met_and_missed(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    kpis = sample_frames["KPI_Measurement__c"]
    assert set(kpis["Kind__c"]) == {"KPI", "SLA"}
    history = kpis.groupby(["Account__c", "Name"])["Period_End__c"].agg(["min", "max", "size"])
    assert history["size"].max() == 12 and (history["size"] >= 8).mean() > 0.7
    assert (history["max"] == "2026-09-30").all()  # the last quarter end before as_of
    ends = {_d(v) for v in kpis["Period_End__c"]}
    assert all((d + timedelta(days=1)).day == 1 and d.month in (3, 6, 9, 12) for d in ends)
    lower = kpis[kpis["Higher_Is_Better__c"] == "false"]
    assert "P1 response time" in set(lower["Name"]) or "Report turnaround time" in set(
        lower["Name"])
    latest = kpis.sort_values("Period_End__c").groupby(["Account__c", "Name"]).tail(1)
    actual, target = latest["Actual__c"].astype(float), latest["Target__c"].astype(float)
    higher = latest["Higher_Is_Better__c"] == "true"
    met = (higher & (actual >= target)) | (~higher & (actual <= target))
    assert 0.15 < met.mean() < 0.85
    assert kpis["Account__c"].nunique() < len(sample_frames["Account"])  # some have no KPIs


def test_goals_and_risks_are_mostly_shared_and_mostly_internal(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    goals = sample_frames["Account_Goal__c"]
    risks = sample_frames["Account_Risk__c"]
    assert 0.6 < (goals["Customer_Visible__c"] == "true").mean() < 0.95
    visible_risks = (risks["Customer_Visible__c"] == "true").mean()
    assert 0.05 < visible_risks < 0.5
    assert set(risks["Severity__c"]) == set(sf.LEVELS)
    assert {"Achieved", "On Track", "At Risk"} <= set(goals["Status__c"])


# A sentence ends at . ! ? before a capital or the end, but not after a middle initial ("K.").
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s+[A-Z0-9\"'(]|\s*$)")


def test_plan_narratives_are_short_and_specific_to_the_account(
        sample_frames: dict[str, pd.DataFrame]) -> None:
    plans = sample_frames["Account_Plan__c"]
    names = sample_frames["Account"].set_index(sf.ID)[sf.NAME]
    assert 0.8 * len(names) <= len(plans) < len(names)
    for row in plans.itertuples(index=False):
        for field in ("Executive_Summary__c", "Strategy__c", "Value_Proposition__c",
                      "Customer_Objectives__c"):
            text = getattr(row, field)
            text = text.replace(samples.INTERNAL_STRATEGY_MARKER, "")
            assert 2 <= len(_SENTENCE_END.findall(text)) <= 4, (field, text)
        # The summary names the account (its name without the legal form).
        first_word = names[row.Account__c].split()[0]
        assert first_word in row.Executive_Summary__c


# --------------------------------------------------------------------------- markers


def test_markers_sit_only_in_internal_places(sample_frames: dict[str, pd.DataFrame]) -> None:
    frames = sample_frames
    marked = samples.account_ids_with_markers(frames)
    assert len(marked) == 4
    risks = frames["Account_Risk__c"]
    planted = risks[risks[sf.NAME] == samples.INTERNAL_RISK_MARKER]
    assert (planted["Customer_Visible__c"] == "false").all()
    assert (planted["Mitigation__c"] == samples.INTERNAL_MITIGATION_MARKER).all()
    tasks = frames["Task"]
    planted_tasks = tasks[tasks["Description"] == samples.INTERNAL_TASK_MARKER]
    assert len(planted_tasks) == 4 and (planted_tasks["Customer_Visible__c"] == "false").all()
    goals = frames["Account_Goal__c"]
    planted_goals = goals[goals[sf.NAME] == samples.INTERNAL_GOAL_MARKER]
    assert sorted(planted_goals["Account__c"]) == marked
    assert (planted_goals["Customer_Visible__c"] == "false").all()
    plans = frames["Account_Plan__c"]
    with_strategy = plans[plans["Strategy__c"].str.endswith(samples.INTERNAL_STRATEGY_MARKER)]
    assert sorted(with_strategy["Account__c"]) == marked
    events = frames["Event"]
    assert (events["Description"] == samples.INTERNAL_MEETING_MARKER).sum() == 4
    # Nowhere else: not in customer-visible records, nor in any other column.
    internal_cells = {("Account_Risk__c", sf.NAME), ("Account_Risk__c", "Mitigation__c"),
                      ("Task", "Description"), ("Account_Goal__c", sf.NAME),
                      ("Account_Plan__c", "Strategy__c"), ("Event", "Description")}
    for name, frame in frames.items():
        rows = frame
        if "Customer_Visible__c" in frame:
            rows = frame[frame["Customer_Visible__c"] == "true"]
            assert not rows.apply(lambda col: col.str.contains(samples.MARKER_PREFIX,
                                                                regex=False)).any().any(), name
        for column in frame.columns:
            if (name, column) in internal_cells:
                continue
            assert not frame[column].str.contains(samples.MARKER_PREFIX, regex=False).any(), (
                name, column)
