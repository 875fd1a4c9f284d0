"""The plan's content: :func:`plan_document` lays out every section of one account's plan.

Each group of sections is planned by its own mixin (:mod:`.state`, :mod:`.relationships`,
:mod:`.execution`, :mod:`.commercial`); this module puts them in order with the cover, and
adds the review sections of the internal plan (scorecard, changes).
"""

from __future__ import annotations

from kamdocs.builders.account_plan.blocks import (
    Block,
    Column,
    Grid,
    PlanDocument,
    Section,
    Text,
    fold_section,
)
from kamdocs.builders.account_plan.commercial import CommercialSections
from kamdocs.builders.account_plan.execution import ExecutionSections
from kamdocs.builders.account_plan.parts import LIMITS
from kamdocs.builders.account_plan.relationships import RelationshipSections
from kamdocs.builders.account_plan.state import StateSections
from kamdocs.builders.account_plan.words import Words
from kamdocs.model import Account, RagStatus


def plan_document(account: Account, *, company: str, words: Words) -> PlanDocument:
    """Lay out the whole plan for ``account`` (already filtered for its audience)."""
    return _Planner(account, words).document(company=company)


class _Planner(StateSections, RelationshipSections, ExecutionSections, CommercialSections):
    """Builds each section from one account; one instance per document."""

    # ------------------------------------------------------------------ frame

    def document(self, *, company: str) -> PlanDocument:
        a = self.account
        audience = a.audience.value
        subtitle = self.w.snippet("plan_cover_subtitle", audience=audience)
        if self.is_internal:
            marking = self.w.snippet("marking_internal_document")
        else:
            marking = self.w.snippet("marking_customer", customer=a.name)
        title = f"{subtitle}: {a.name}"
        sections = tuple(
            s
            for s in (
                self.executive_summary(),
                self.current_state(),
                self.goals(),
                self.relationships(),
                self.whitespace(),
                self.risks(),
                self.action_plan(),
                self.renewal(),
                self.scorecard() if self.is_internal else None,
                self.changes() if self.is_internal else None,
            )
            if s is not None
        )
        return PlanDocument(
            title=title,
            cover_title=a.name,
            subtitle=subtitle,
            marking=marking,
            cover=self.cover(company),
            sections=tuple(fold_section(s) for s in sections),
            appendix=tuple(fold_section(s) for s in self.appendix),
        )

    def cover(self, company: str) -> tuple[tuple[str, str], ...]:
        a = self.account
        lines = [("Account", a.name), ("As of", self.w.date(a.as_of))]
        if a.owner is not None:
            lines.append(("Account owner", a.owner.name))
        if self.is_internal and a.tiering.current_tier is not None:
            lines.append(("Tier", f"Tier {a.tiering.current_tier}"))
        lines.append(("Prepared by", company))
        return tuple(lines)

    # ------------------------------------------------------------------ 9. scorecard

    def scorecard(self) -> Section:
        sc = self.account.scorecard
        if not sc.lines:
            return Section("Review scorecard", (self._missing("scorecard"),))
        rags = [rag for *_, rag in sc.lines]
        parts = [f"{rags.count(rag)} {rag.value}" for rag in RagStatus if rag in rags]
        unrated = rags.count(None)
        if unrated:
            # A question without data is not a green one: say how many could not be answered.
            parts.append(f"{unrated} not rated for lack of data")
        lead = f"{len(sc.lines)} review questions: {', '.join(parts)}"
        if sc.roster is not None:
            lead += f"; recommendation: {sc.roster.value}"
        cols = (Column("Question", min_cm=4.0), Column("Answer", min_cm=6.0), Column("Status"))
        rows = tuple(
            (q, answer, rag.value.capitalize() if rag is not None else None)
            for q, answer, rag in sc.lines
        )
        blocks: list[Block] = [Text(lead + ".", "lead"), Grid(cols, rows, "Review scorecard")]
        if sc.roster is not None:
            why = f" Why: {sc.roster_reason.rstrip('.')}." if sc.roster_reason else ""
            blocks.append(Text(f"Roster recommendation: {sc.roster.value}.{why}", "labelled"))
        return Section("Review scorecard", tuple(blocks))

    # ------------------------------------------------------------------ 10. changes

    def changes(self) -> Section:
        a, w = self.account, self.w
        title = "Changes since the last review"
        ch = a.changes
        if ch is None:
            return Section(title, (Text(w.snippet("plan_no_review", account=a.name), "note"),))
        since = f" since {w.date(ch.previous_as_of)}" if ch.previous_as_of else ""
        blocks: list[Block] = []
        if not ch.items:
            blocks.append(Text(f"Nothing changed{since}.", "lead"))
        else:
            blocks.append(
                Text(f"{len(ch.items)} change{'s' if len(ch.items) != 1 else ''}{since}.",
                     "lead")
            )
            rows = tuple((c.area, c.text) for c in ch.items)
            grid = Grid((Column("Area", min_cm=2.5), Column("Change", min_cm=9.0)), rows,
                        "Changes since the last review")
            blocks += self._limited("changes", grid, LIMITS["changes"], "changes")
        if ch.refresh_relationship_map:
            blocks.append(
                Text(
                    "The customer's leadership changed: refresh the relationship map.",
                    "warning",
                )
            )
        return Section(title, tuple(blocks))


