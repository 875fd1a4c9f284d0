"""Relationships (stage 3): the org chart, key stakeholders, access paths, coverage, quality.

Definitions (docs/analytics.md, "Relationships"):

- Depth: 0 for a contact whose ReportsToId is blank or not a contact of the account.
- Buying role: Contact.Buying_Role__c, else the highest-ranked known role among its
  AccountContactRelation.Roles, else among its OpportunityContactRole.Role values (ranked
  in schemas.BUYING_ROLES order; :data:`ROLE_SYNONYMS` maps Salesforce's own role names).
- Key stakeholder: a key buying role (``relationships.key_roles``), or influence >=
  ``relationships.key_influence``, or an executive title (``relationships.executive_titles``).
- Access path: *direct* when Access_Owner__c names our person; else *via* the nearest
  contact with direct access in the org chart (up or down; ties go to the more senior
  contact, then by name); else *none*.
- Last contact: the latest closed Task or Event on or before as_of whose WhoId is the contact.
- Coverage = key stakeholders with a direct path / key stakeholders; single-threaded = at
  most one contact with direct access; stale = a key stakeholder with no contact in
  ``relationships.stale_days`` days.
- Relationship quality (0-100) = 40 x coverage + 30 x champions / (champions + detractors)
  (15 when neither) + 20 x share of key stakeholders contacted within stale_days (of all
  contacts when there is no key stakeholder) + 10 when not single-threaded.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kamdocs.config import Settings
from kamdocs.data import schemas as s
from kamdocs.data.derive.frames import ACCOUNT, member, text_key, timestamp, tuples_by

#: Salesforce's standard contact role names -> our buying roles.
ROLE_SYNONYMS = {
    "economic decision maker": "Economic Buyer",
    "executive sponsor": "Economic Buyer",
    "business user": "User",
    "technical evaluator": "Technical Buyer",
    "evaluator": "Influencer",
}
CHAMPION = "champion"
DETRACTOR = "detractor"
#: Points of each part of the relationship quality score.
QUALITY_POINTS = {"coverage": 40.0, "advocacy": 30.0, "recency": 20.0, "breadth": 10.0}

DIRECT, INDIRECT, NONE = "direct", "indirect", "none"


def full_name(first: pd.Series, last: pd.Series) -> pd.Series:
    """"First Last", or the last name alone."""
    first_text = first.astype("object").where(first.notna(), "").astype(str).str.strip()
    last_text = last.astype("object").where(last.notna(), "").astype(str).str.strip()
    return (first_text + " " + last_text).str.strip()


def org_depth(contacts: pd.DataFrame) -> pd.Series:
    """Depth of each contact in its account's reports-to forest (0 = a root)."""
    parent = contacts[s.REPORTS_TO_ID].where(member(contacts[s.REPORTS_TO_ID], contacts[s.ID]))
    parent_of = pd.Series(parent.to_numpy(), index=contacts[s.ID].to_numpy())
    depth = pd.Series(np.zeros(len(contacts), dtype=np.int64), index=contacts.index)
    current = parent.copy()
    # Walk every chain up one level per pass; cycles were rejected at load, so the chain
    # ends within len(contacts) passes (the bound guards against a cycle slipping through).
    for _ in range(len(contacts)):
        alive = current.notna()
        if not alive.any():
            break
        depth += alive.astype(np.int64)
        current = current.map(parent_of).where(alive)
    return depth


def buying_roles(
    contacts: pd.DataFrame, relations: pd.DataFrame, contact_roles: pd.DataFrame
) -> pd.Series:
    """Each contact's buying role: its own field, else its relation roles, else its
    opportunity contact roles (best-ranked known role)."""
    own = contacts[s.BUYING_ROLE]
    relation_roles = relations[[s.CONTACT_ID, s.ROLES]].assign(
        role=relations[s.ROLES].astype("object").where(relations[s.ROLES].notna(), "")
        .astype(str).str.split(";")
    ).explode("role")
    from_relations = _best_role(relation_roles[s.CONTACT_ID], relation_roles["role"])
    from_opportunities = _best_role(contact_roles[s.CONTACT_ID], contact_roles[s.ROLE])
    role = own.where(own.notna(), contacts[s.ID].map(from_relations))
    return role.where(role.notna(), contacts[s.ID].map(from_opportunities))


def _best_role(contact_ids: pd.Series, roles: pd.Series) -> pd.Series:
    known = {r.casefold(): r for r in s.BUYING_ROLES} | ROLE_SYNONYMS
    rank = {r: i for i, r in enumerate(s.BUYING_ROLES)}
    role = text_key(roles).map(known)
    frame = pd.DataFrame({"contact": contact_ids.to_numpy(), "role": role.to_numpy()}).dropna()
    frame["rank"] = frame["role"].map(rank)
    best = frame.sort_values(["contact", "rank"]).drop_duplicates("contact")
    return best.set_index("contact")["role"]


def last_contacts(tasks: pd.DataFrame, events: pd.DataFrame, as_of: date) -> pd.Series:
    """Latest date of a closed Task or an Event on or before as_of, per WhoId."""
    when = timestamp(as_of)
    task_done = task_is_done(tasks)
    task_date = tasks[s.COMPLETED_DATE_TIME].where(
        tasks[s.COMPLETED_DATE_TIME].notna(), tasks[s.ACTIVITY_DATE]
    )
    event_date = events[s.ACTIVITY_DATE].where(
        events[s.ACTIVITY_DATE].notna(), events[s.START_DATE_TIME]
    )
    touches = pd.concat([
        pd.DataFrame({"who": tasks[s.WHO_ID][task_done], "date": task_date[task_done]}),
        pd.DataFrame({"who": events[s.WHO_ID], "date": event_date}),
    ], ignore_index=True)
    touches = touches[touches["who"].notna() & (touches["date"] <= when)]
    return touches.groupby("who")["date"].max().astype("datetime64[ns]")


#: Task.Status values that mean done, used when IsClosed is absent.
DONE_STATUSES = ("Completed", "Complete", "Closed", "Done")


def task_is_done(tasks: pd.DataFrame) -> pd.Series:
    """IsClosed, else a done Status (:data:`DONE_STATUSES`)."""
    by_status = text_key(tasks[s.STATUS]).isin({v.casefold() for v in DONE_STATUSES})
    return tasks[s.IS_CLOSED].astype("boolean").fillna(by_status).astype(bool)


def derive_stakeholders(
    contacts: pd.DataFrame,
    relations: pd.DataFrame,
    contact_roles: pd.DataFrame,
    team: pd.DataFrame,
    account_owner: pd.Series,
    user_names: pd.Series,
    last_contact: pd.Series,
    settings: Settings,
    as_of: date,
) -> pd.DataFrame:
    """One row per contact with depth, name, executive/key flags, access path, last contact,
    staleness; sorted by account, depth, name, id."""
    options = settings.relationships
    when = timestamp(as_of)
    frame = pd.DataFrame({
        ACCOUNT: contacts[s.ACCOUNT_ID],
        "id": contacts[s.ID],
        "name": full_name(contacts[s.FIRST_NAME], contacts[s.LAST_NAME]),
        "title": contacts[s.TITLE],
        "reports_to_id": contacts[s.REPORTS_TO_ID],
        "depth": org_depth(contacts),
        "buying_role": buying_roles(contacts, relations, contact_roles),
        "influence": contacts[s.INFLUENCE],
        "stance": contacts[s.STANCE],
        "access_owner": contacts[s.ACCESS_OWNER],
    })
    frame["name"] = frame["name"].where(frame["name"] != "", frame["id"])
    pattern = "|".join(f"(?:{p})" for p in options.executive_titles) or r"(?!x)x"
    title = frame["title"].astype("object").where(frame["title"].notna(), "").astype(str)
    frame["is_executive"] = title.str.contains(pattern, case=False, regex=True)
    frame["is_key"] = (
        frame["is_executive"]
        | is_in_roles(frame["buying_role"], options.key_roles)
        | (frame["influence"].astype("Float64") >= options.key_influence).fillna(False)
    ).astype(bool)
    frame["last_contact"] = pd.Series(
        last_contact.reindex(frame["id"]).to_numpy(), index=frame.index, dtype="datetime64[ns]"
    )
    age = (when - frame["last_contact"]).dt.days
    never = frame["last_contact"].isna()
    frame["is_stale"] = frame["is_key"] & (never | (age > options.stale_days))
    frame["is_recent"] = frame["last_contact"].notna() & (age <= options.stale_days)
    frame = frame.sort_values([ACCOUNT, "depth", "name", "id"], kind="stable").reset_index(
        drop=True
    )
    return _access_paths(frame, team, account_owner, user_names)


def is_in_roles(values: pd.Series, roles: tuple[str, ...]) -> pd.Series:
    return text_key(values).isin({r.casefold() for r in roles})


def _access_paths(
    frame: pd.DataFrame, team: pd.DataFrame, account_owner: pd.Series, user_names: pd.Series
) -> pd.DataFrame:
    roles = (
        team.dropna(subset=[s.USER_ID])
        .drop_duplicates([s.ACCOUNT_ID, s.USER_ID])
        .set_index([s.ACCOUNT_ID, s.USER_ID])[s.TEAM_MEMBER_ROLE]
    )
    direct = frame["access_owner"].notna()
    pairs = pd.MultiIndex.from_arrays([frame[ACCOUNT], frame["access_owner"]])
    role = pd.Series(roles.reindex(pairs).to_numpy(), index=frame.index)
    owns_account = frame["access_owner"] == frame[ACCOUNT].map(account_owner)
    role = role.where(role.notna() | ~owns_account.fillna(False), "Account Owner")
    frame["direct_owner_role"] = role.where(direct)

    nearest = _nearest_direct(frame)
    via = nearest.reindex(frame["id"]).reset_index(drop=True)
    via.index = frame.index
    by_id = frame.set_index("id")
    frame["via_contact_id"] = via.where(~direct)
    frame["via_name"] = frame["via_contact_id"].map(by_id["name"])
    frame["via_title"] = frame["via_contact_id"].map(by_id["title"])
    frame["owner_id"] = frame["access_owner"].where(
        direct, frame["via_contact_id"].map(by_id["access_owner"])
    )
    frame["owner_role"] = frame["direct_owner_role"].where(
        direct, frame["via_contact_id"].map(by_id["direct_owner_role"])
    )
    frame["owner_name"] = frame["owner_id"].map(user_names)
    frame["owner_name"] = frame["owner_name"].where(frame["owner_name"].notna(), frame["owner_id"])
    frame["access"] = np.select(
        [direct, frame["via_contact_id"].notna()], [DIRECT, INDIRECT], default=NONE
    )
    frame["access_description"] = _describe(frame)
    return frame


def _nearest_direct(frame: pd.DataFrame) -> pd.Series:
    """Contact id -> the nearest contact with direct access (multi-source breadth-first
    search over the reports-to edges, both ways, all accounts at once; at equal distance
    the more senior source wins, then by name and id)."""
    known = set(frame["id"])
    edges = frame.loc[member(frame["reports_to_id"], known), ["id", "reports_to_id"]]
    links = pd.concat([
        pd.DataFrame({"a": edges["id"].to_numpy(), "b": edges["reports_to_id"].to_numpy()}),
        pd.DataFrame({"a": edges["reports_to_id"].to_numpy(), "b": edges["id"].to_numpy()}),
    ], ignore_index=True)
    sources = frame.loc[frame["access_owner"].notna(), ["id", "depth", "name"]]
    frontier = pd.DataFrame({
        "node": sources["id"].to_numpy(), "src_depth": sources["depth"].to_numpy(),
        "src_name": sources["name"].to_numpy(), "src": sources["id"].to_numpy(),
    })
    found = [frontier]
    reached = set(frontier["node"])
    # Each pass moves one step out from the nodes reached in the previous pass only.
    while len(frontier):
        step = links.merge(frontier, left_on="a", right_on="node")
        step = step[~member(step["b"], reached)]
        if step.empty:
            break
        step = step.sort_values(["b", "src_depth", "src_name", "src"], kind="stable")
        step = step.drop_duplicates("b")
        frontier = pd.DataFrame({
            "node": step["b"].to_numpy(), "src_depth": step["src_depth"].to_numpy(),
            "src_name": step["src_name"].to_numpy(), "src": step["src"].to_numpy(),
        })
        reached.update(frontier["node"])
        found.append(frontier)
    nearest = pd.concat(found, ignore_index=True)
    return pd.Series(nearest["src"].to_numpy(), index=nearest["node"].to_numpy(), dtype="object")


def _describe(frame: pd.DataFrame) -> pd.Series:
    """ "direct (Sam Lee, Key Account Manager)", "via Dana Ruiz (VP IT), owner Sam Lee", "none"."""
    def text(column: str) -> pd.Series:
        values = frame[column].astype("object")
        return values.where(values.notna(), "").astype(str)

    owner, role = text("owner_name"), text("owner_role")
    via, via_title = text("via_name"), text("via_title")
    direct = "direct (" + owner + (", " + role).where(role != "", "") + ")"
    who = via + (" (" + via_title + ")").where(via_title != "", "")
    indirect = "via " + who + ", owner " + owner
    kind = frame["access"]
    return direct.where(kind == DIRECT, indirect.where(kind == INDIRECT, NONE))


def relationship_summary(stakeholders: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per account: counts, coverage, champions, detractors, single-threading, stale key
    stakeholders and the relationship quality with its drivers."""
    frame = stakeholders.assign(
        is_direct=stakeholders["access"] == DIRECT,
        key_direct=stakeholders["is_key"] & (stakeholders["access"] == DIRECT),
        is_champion=text_key(stakeholders["stance"]) == CHAMPION,
        is_detractor=text_key(stakeholders["stance"]) == DETRACTOR,
        key_recent=stakeholders["is_key"] & stakeholders["is_recent"],
    )
    grouped = frame.groupby(ACCOUNT, sort=True)
    summary = pd.DataFrame({
        "contact_count": grouped.size(),
        "key_count": grouped["is_key"].sum(),
        "key_direct_count": grouped["key_direct"].sum(),
        "direct_count": grouped["is_direct"].sum(),
        "champion_count": grouped["is_champion"].sum(),
        "detractor_count": grouped["is_detractor"].sum(),
        "key_recent_count": grouped["key_recent"].sum(),
        "recent_count": grouped["is_recent"].sum(),
    })
    key = summary["key_count"]
    summary["coverage"] = (summary["key_direct_count"] / key).where(key > 0)
    summary["is_single_threaded"] = summary["direct_count"] <= 1
    recency_base = summary["key_count"].where(key > 0, summary["contact_count"])
    recency_hits = summary["key_recent_count"].where(key > 0, summary["recent_count"])
    summary["recency"] = recency_hits / recency_base
    sides = summary["champion_count"] + summary["detractor_count"]
    summary["advocacy"] = (summary["champion_count"] / sides).where(sides > 0, 0.5)
    points = QUALITY_POINTS
    summary["points_coverage"] = (points["coverage"] * summary["coverage"].fillna(0)).round(1)
    summary["points_advocacy"] = (points["advocacy"] * summary["advocacy"]).round(1)
    summary["points_recency"] = (points["recency"] * summary["recency"]).round(1)
    summary["points_breadth"] = np.where(summary["is_single_threaded"], 0.0, points["breadth"])
    summary["quality"] = (
        summary["points_coverage"] + summary["points_advocacy"] + summary["points_recency"]
        + summary["points_breadth"]
    ).round(1)
    summary["quality_drivers"] = [
        _drivers(row, settings.relationships.stale_days) for row in summary.itertuples()
    ]
    lists = {
        "champions": frame[frame["is_champion"]],
        "detractors": frame[frame["is_detractor"]],
        "stale": frame[frame["is_stale"]],
    }
    for name, rows in lists.items():
        summary[name] = tuples_by(rows[ACCOUNT], rows["id"]).reindex(summary.index)
    return summary


def _drivers(row: object, stale_days: int) -> tuple[str, ...]:
    key = int(row.key_count)
    if key:
        coverage = (f"coverage: {int(row.key_direct_count)} of {key} key stakeholders reached "
                    f"directly (+{row.points_coverage:g})")
        recency = (f"recency: {int(row.key_recent_count)} of {key} key stakeholders contacted "
                   f"in {stale_days} days (+{row.points_recency:g})")
    else:
        coverage = "coverage: no key stakeholders identified (+0)"
        recency = (f"recency: {int(row.recent_count)} of {int(row.contact_count)} contacts "
                   f"contacted in {stale_days} days (+{row.points_recency:g})")
    champions, detractors = int(row.champion_count), int(row.detractor_count)
    advocacy = (f"advocacy: {champions} champion{'s' * (champions != 1)}, {detractors} "
                f"detractor{'s' * (detractors != 1)} (+{row.points_advocacy:g})")
    direct = int(row.direct_count)
    breadth = (f"breadth: {direct} contact{'s' * (direct != 1)} with direct access"
               f"{' (single-threaded)' if row.is_single_threaded else ''} "
               f"(+{row.points_breadth:g})")
    return (coverage, advocacy, recency, breadth)

