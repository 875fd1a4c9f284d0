"""Sections 6 and 7 of the plan: risks with the escalation plan, and the action plan."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from kamdocs.builders.account_plan.blocks import (
    Block,
    Bullets,
    Column,
    Grid,
    Section,
    Text,
)
from kamdocs.builders.account_plan.parts import LIMITS, PlanParts
from kamdocs.builders.account_plan.words import (
    HIGH_WORDS,
    action_status,
    count,
    or_none,
    status_word,
)
from kamdocs.model import ActionStatus, RagStatus, RenewalStatus


class ExecutionSections(PlanParts):
    """What could go wrong and what we are doing about it."""

    # ------------------------------------------------------------------ 6. risks

    def risks(self) -> Section | None:
        a = self.account
        title = "Risks" if self.is_internal else "Shared risks"
        blocks: list[Block] = []
        if not a.risks:
            if not self.is_internal:
                return None
            blocks.append(self._missing("risks"))
        else:
            high = [r for r in a.risks if (r.severity or "").lower() in HIGH_WORDS]
            lead = f"{len(a.risks)} risk{'s' if len(a.risks) != 1 else ''} on the register"
            lead += f", {len(high)} of high severity" if high else ", none of high severity"
            blocks.append(Text(lead + ".", "lead"))
            cols = (
                Column("Risk", min_cm=3.5),
                Column("Severity"),
                Column("Likelihood"),
                Column("Mitigation", min_cm=4.0),
                Column("Owner"),
                Column("Status"),
            )
            rows = tuple(
                (
                    r.name,
                    status_word(r.severity) if r.severity else None,
                    status_word(r.likelihood) if r.likelihood else None,
                    or_none(r.mitigation),
                    or_none(r.owner),
                    status_word(r.status) if r.status else None,
                )
                for r in a.risks
            )
            emphasis = tuple(i for i, r in enumerate(a.risks) if r in high)
            blocks += self._limited("risks", Grid(cols, rows, "Risk register", emphasis),
                                    LIMITS["risks"], "risks")
        children = (Section("Escalation plan", self.escalation(), level=2),) if (
            self.is_internal
        ) else ()
        return Section(title, tuple(blocks), children=children)

    def in_danger(self) -> list[str]:
        """Why the account is in danger (empty when it is not)."""
        a = self.account
        reasons = []
        if a.health.status is RagStatus.RED:
            reasons.append("health is red")
        if a.renewal.status is RenewalStatus.LATE:
            reasons.append("renewal late")
        elif a.renewal.status is RenewalStatus.LAPSED:
            reasons.append("renewal lapsed")
        if a.renewal.meets_target is False:
            reasons.append("retention below target")
        if a.relationships.is_single_threaded and a.relationships.detractors:
            reasons.append("single-threaded with detractors")
        return reasons

    def escalation(self) -> tuple[Block, ...]:
        a = self.account
        roles = {m.role: m.user.name for m in a.team}
        kam = roles.get("Key Account Manager") or (a.owner.name if a.owner else None)
        sponsor = roles.get("Executive Sponsor")
        reasons = self.in_danger()
        text = self.w.snippet("plan_escalation", kam=kam or "not assigned",
                              sponsor=sponsor or "not assigned")
        steps = [line.strip() for line in text.splitlines() if line.strip()]
        if reasons:
            lead = f"The account is in danger ({'; '.join(reasons)}): escalate now."
            return (Text(lead, "warning"), Bullets(tuple(steps)))
        # Without a health status the data cannot clear the account: do not claim it is safe.
        today = ("The account is not in danger today." if a.health.status is not None else
                 "The data does not show whether the account is in danger (no health status).")
        lead = (
            f"{today} If it becomes so (health red, renewal late, "
            "retention below target), escalate along this path:"
        )
        return (Text(lead), Bullets(tuple(steps)))

    # ------------------------------------------------------------------ 7. actions

    def action_plan(self) -> Section:
        a = self.account
        title = "Action plan" if self.is_internal else "Joint action plan"
        if not a.actions:
            return Section(title, (self._missing("actions"),))
        blocks: list[Block] = [Text(self.action_sentence(), "lead")]
        blocks += self._action_table()
        children: list[Section] = []
        if self.is_internal:
            children.append(Section("Actions by owner", self._by_owner(), level=2))
            children.append(Section("Data gaps", self._gaps(), level=2))
        return Section(title, tuple(blocks), children=tuple(children))

    def _action_table(self) -> list[Block]:
        """The actions, overdue first. A list too long for the section keeps the open ones
        here and goes complete, done ones too, to the appendix."""
        a, w = self.account, self.w
        # The escalation path is our own chain of command: the joint plan leaves it out.
        escalation = (Column("Escalation path"),) if self.is_internal else ()
        cols = (
            Column("What", min_cm=3.5),
            Column("Due", "right"),
            Column("Owner"),
            Column("Success measure", min_cm=3.0),
            Column("Status"),
            *escalation,
        )
        rows = []
        emphasis = []
        for i, x in enumerate(a.actions):
            row = (
                x.subject,
                w.date(x.due) if x.due else None,
                x.owner.name if x.owner else None,
                or_none(x.success_measure),
                action_status(x),
            )
            rows.append(row + ((or_none(x.escalation_path),) if escalation else ()))
            if x.is_overdue:
                emphasis.append(i)
        grid = Grid(cols, tuple(rows), "Actions, overdue first", tuple(emphasis))
        # The plan is what is still to do: done actions are the record, kept in the appendix.
        still_open = [i for i, x in enumerate(a.actions) if x.status is not ActionStatus.DONE]
        done = len(a.actions) - len(still_open)
        if not done or len(a.actions) <= LIMITS["actions"]:
            return list(self._limited("action plan", grid, LIMITS["actions"], "actions"))
        shown = still_open[: LIMITS["actions"]]
        letter = chr(ord("A") + len(self.appendix))
        full = dataclasses.replace(grid, caption=f"All {len(a.actions)} actions")
        self.appendix.append(Section("Action plan", (full,)))
        overdue = set(emphasis)
        head = Grid(cols, tuple(grid.rows[i] for i in shown), "Open actions, overdue first",
                    tuple(n for n, i in enumerate(shown) if i in overdue))
        where = (f"all {len(a.actions)} actions, with the {done} done, are in appendix "
                 f"{letter}.")
        if not shown:
            return [Text(f"No open action: {where}", "note")]
        opened = count(len(still_open), "open action")
        pointer = (f"{opened} shown; {where}" if len(shown) == len(still_open)
                   else f"{len(shown)} of {opened} shown; {where}")
        return [head, Text(pointer[0].upper() + pointer[1:], "note")]

    def action_sentence(self) -> str:
        a, w = self.account, self.w
        open_ = [x for x in a.actions if x.status is ActionStatus.OPEN]
        overdue = [x for x in a.actions if x.is_overdue]
        text = f"{count(len(open_), 'open action')}"
        if overdue:
            oldest = max(x.days_overdue for x in overdue)
            text += f", {len(overdue)} overdue (oldest by {oldest} day{'s' if oldest != 1 else ''})"
        else:
            text += ", none overdue"
        soon = sum(1 for x in a.actions if x.is_due_soon)
        if soon:
            text += f", {soon} due soon"
        if self.is_internal and a.action_summary.on_time_rate is not None:
            text += f"; {w.percent(a.action_summary.on_time_rate)} of last quarter's done on time"
        return text + "."

    def _by_owner(self) -> tuple[Block, ...]:
        s = self.account.action_summary
        if not s.by_owner:
            return (Text("No open action has an owner.", "note"),)
        rows = tuple((name, str(n_open), str(n_late)) for name, n_open, n_late in s.by_owner)
        cols = (Column("Owner", min_cm=4.0), Column("Open", "right"), Column("Overdue", "right"))
        return (Grid(cols, rows, "Open and overdue actions per owner"),)

    def _gaps(self) -> tuple[Block, ...]:
        a = self.account
        # Gaps matter on what is still to do; a done action's missing measure changes nothing.
        still_open = [x for x in a.actions if x.status is not ActionStatus.DONE]
        gapped = [x for x in still_open if x.data_gaps]
        if not gapped:
            return (Text("Every open action has an owner, a due date and a success measure.",
                         "note"),)
        counts: dict[str, int] = defaultdict(int)
        for x in gapped:
            for gap in x.data_gaps:
                counts[gap] += 1
        summary = "; ".join(f"{n} with {gap}" for gap, n in sorted(counts.items(),
                                                                   key=lambda kv: (-kv[1], kv[0])))
        blocks: list[Block] = [
            Text(f"{len(gapped)} of {count(len(still_open), 'open action')} have data gaps: "
                 f"{summary}.", "warning")
        ]
        cols = (Column("Action", min_cm=5.0), Column("Gaps", min_cm=5.0))
        rows = tuple((x.subject, ", ".join(x.data_gaps)) for x in gapped)
        blocks += self._limited("actions with data gaps", Grid(cols, rows, "Actions with gaps"),
                                LIMITS["actions"], "actions with gaps")
        return tuple(blocks)

