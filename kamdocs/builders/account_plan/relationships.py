"""Section 4 of the plan: relationships (map, coverage, stakeholders) and the account team."""

from __future__ import annotations

from kamdocs.builders.account_plan.blocks import (
    DASH,
    Block,
    Column,
    Facts,
    Grid,
    MapBlock,
    MapNode,
    Section,
    Text,
)
from kamdocs.builders.account_plan.parts import LIMITS, PlanParts
from kamdocs.builders.account_plan.words import (
    CORE_ROLES,
    or_none,
    who,
)


class RelationshipSections(PlanParts):
    """Who we know, how well, and who works the account on our side."""

    # ------------------------------------------------------------------ 4. relationships

    def relationships(self) -> Section:
        if not self.is_internal:
            return Section("Our joint team", self._team_blocks())
        a = self.account
        blocks: list[Block] = []
        if not a.stakeholders:
            blocks.append(self._missing("stakeholders"))
            return Section(
                "Relationships", tuple(blocks), children=(self._team_section(),)
            )
        blocks.append(Text(self.relationship_sentence(), "lead"))
        blocks += self.relationship_warnings()
        if len(a.stakeholders) <= LIMITS["map"]:
            blocks.append(self._map())
        else:
            # A big org chart takes several pages: keep the section readable.
            letter = chr(ord("A") + len(self.appendix))
            self.appendix.append(Section("Relationship map", (self._map(),)))
            blocks.append(
                Text(f"The relationship map of all {len(a.stakeholders)} contacts is in "
                     f"appendix {letter}.", "note")
            )
        children = (
            Section("Coverage", (Facts(self._coverage_figures()),), level=2),
            Section("Stakeholders", self._stakeholder_blocks(), level=2),
            self._team_section(),
        )
        return Section("Relationships", tuple(blocks), children=children)

    def relationship_sentence(self) -> str:
        a, w = self.account, self.w
        r = a.relationships
        text = f"{len(a.stakeholders)} contacts mapped"
        if r.key_count:
            text += (
                f"; {r.key_direct_count} of {r.key_count} key stakeholders reached directly"
            )
            if r.coverage is not None:
                text += f" ({w.percent(r.coverage)} coverage)"
        else:
            text += "; no key stakeholder identified"
        if r.quality is not None:
            text += f"; relationship quality {w.number(round(r.quality))} of 100"
        return text + "."

    def relationship_warnings(self) -> list[Block]:
        a = self.account
        r = a.relationships
        by_id = {s.id: s for s in a.stakeholders}
        out: list[Block] = []
        w = self.w
        if r.is_single_threaded:
            # A key stakeholder reached directly is a direct line too, whatever the count says.
            direct = max(r.direct_count, r.key_direct_count)
            text = w.snippet("plan_single_threaded", account=a.name, direct=direct)
            out.append(Text(f"Warning: {text}", "warning"))
        if r.detractors:
            named = [who(by_id[i]) for i in r.detractors if i in by_id]
            text = w.snippet("plan_detractors", count=len(named), names="; ".join(named))
            out.append(Text(f"Warning: {text}", "warning"))
        if r.stale_key_stakeholders:
            named = [who(by_id[i]) for i in r.stale_key_stakeholders if i in by_id]
            text = w.snippet("plan_stale", count=len(named), names="; ".join(named),
                             days=w.settings.relationships.stale_days)
            out.append(Text(f"Warning: {text}", "warning"))
        return out

    def _coverage_figures(self) -> tuple[tuple[str, str | None, str], ...]:
        a, w = self.account, self.w
        r = a.relationships
        by_id = {s.id: s for s in a.stakeholders}
        champions = "; ".join(who(by_id[i]) for i in r.champions if i in by_id)
        detractors = "; ".join(who(by_id[i]) for i in r.detractors if i in by_id)
        return (
            ("Contacts mapped", str(len(a.stakeholders)), ""),
            ("Executives", str(sum(1 for s in a.stakeholders if s.is_executive)), ""),
            ("Key stakeholders", str(r.key_count), ""),
            ("Reached directly", str(r.key_direct_count), "key stakeholders"),
            ("Coverage", w.percent(r.coverage) if r.coverage is not None else None, ""),
            ("Champions", str(len(r.champions)), champions),
            ("Detractors", str(len(r.detractors)), detractors),
            (
                "Relationship quality",
                f"{w.number(round(r.quality))} of 100" if r.quality is not None else None,
                "; ".join(r.quality_drivers),
            ),
        )

    def _map(self) -> MapBlock:
        a = self.account
        r = a.relationships
        champions, detractors = set(r.champions), set(r.detractors)
        nodes = []
        known = {s.id for s in a.stakeholders}
        for s in a.stakeholders:
            stance = (
                "champion" if s.id in champions else "detractor" if s.id in detractors else ""
            )
            parts = [s.stance or stance.capitalize()]
            if s.influence is not None:
                parts.append(f"infl. {s.influence}")
            access = s.access
            if access is not None and access.kind == "direct" and access.owner is not None:
                parts.append(access.owner.name)
            via = access.via_contact_id if access is not None else None
            nodes.append(
                MapNode(
                    s.id, s.reports_to_id, s.name, s.title or "",
                    " \u00b7 ".join(p for p in parts if p), stance,
                    via if via in known else None,
                )
            )
        roots = sum(1 for s in a.stakeholders if s.depth == 0)
        alt = (
            f"Relationship map: {len(nodes)} contacts in {roots} reporting line"
            f"{'s' if roots != 1 else ''}; {len(champions)} champion"
            f"{'s' if len(champions) != 1 else ''}, {len(detractors)} detractor"
            f"{'s' if len(detractors) != 1 else ''}; {r.key_direct_count} of {r.key_count} key "
            "stakeholders reached directly."
        )
        return MapBlock(tuple(nodes), alt)

    def _stakeholder_blocks(self) -> tuple[Block, ...]:
        a, w = self.account, self.w
        cols = (
            Column("Name", min_cm=2.5),
            Column("Title", min_cm=2.5),
            Column("Buying role"),
            Column("Influence", "right", 1.6),
            Column("Stance"),
            Column("Access path", min_cm=3.0),
            Column("Last contact", "right"),
        )
        # Key people first: the map shows the hierarchy, the table shows who matters most.
        ordered = sorted(
            a.stakeholders,
            key=lambda s: (not s.is_key, -(s.influence or 0), s.depth, s.name, s.id),
        )
        rows = []
        emphasis = []
        for i, s in enumerate(ordered):
            stance = or_none(s.stance)
            if s.is_stale:
                stance = f"{stance or DASH}; no recent contact"
                emphasis.append(i)
            rows.append(
                (
                    s.name,
                    or_none(s.title),
                    or_none(s.buying_role),
                    str(s.influence) if s.influence is not None else None,
                    stance,
                    s.access.description if s.access else None,
                    w.date(s.last_contact) if s.last_contact else None,
                )
            )
        grid = Grid(cols, tuple(rows), "Stakeholders, key people first", tuple(emphasis))
        return self._limited("stakeholders", grid, LIMITS["stakeholders"], "stakeholders")

    def _team_blocks(self) -> tuple[Block, ...]:
        a = self.account
        if not a.team:
            return (self._missing("team"),)
        cols = (Column("Role", min_cm=3.5), Column("Name", min_cm=3.0), Column("Title"),
                Column("Email", min_cm=4.0))
        rows = tuple(
            (m.role, m.user.name, or_none(m.user.title), or_none(m.user.email)) for m in a.team
        )
        # "Customer Success Manager" fills the customer success role.
        roles = [m.role.lower() for m in a.team]
        missing = [r for r in CORE_ROLES if not any(x.startswith(r.lower()) for x in roles)]
        blocks: list[Block] = [Grid(cols, rows, "Account team and roles")]
        if missing and self.is_internal:
            blocks.append(
                Text(f"Warning: no {', no '.join(r.lower() for r in missing)} assigned.",
                     "warning")
            )
        return tuple(blocks)

    def _team_section(self) -> Section:
        return Section("Our account team", self._team_blocks(), level=2)

