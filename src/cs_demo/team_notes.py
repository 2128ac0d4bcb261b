"""The demo's notes of seeds 001 §二.1, §二.8 and 003: a few best practices per
classification cell (by the first manager), business changes reported on some accounts at
risk, and each CSM's brief of last week with its problems followed up. Everything is
derived from the seed's ids and `today` (no random draws: the rest of the demo's stream
stays as it was)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from cs_demo.context import DemoContext
from cs_domain.base import LedgerAggregate
from cs_domain.business_change import BusinessChange
from cs_domain.classification import BestPractice
from cs_domain.weekly_brief import WeeklyBrief

BEST_PRACTICES = (
    ("strategic", "heavy", "Monthly joint review of the booking funnel with the clinic "
                           "director; the wins go into the QBR deck."),
    ("growth", "regular", "Second training on the marketing module in week 6: adoption "
                          "follows within a month."),
    ("basic", "light", "A 15-minute call after each usage report below 2 days a week; "
                       "front-desk staff rather than the director."),
    ("strategic", "inactive", "Escalate to the regional manager within a week; visit on site "
                              "before the next renewal conversation."),
)
CHANGES = (
    ("budget_cut", "The group froze software budgets for the next two quarters."),
    ("leadership_change", "The clinic director who chose us has left; the successor is "
                          "unknown to us."),
    ("merger", "Acquired by a regional dental chain; purchasing moves to the group."),
)
BRIEF_PROBLEMS = (
    "A head customer has not answered the last two weekly reports",
    "Training material for the new booking module is missing",
)


def best_practices(ctx: DemoContext) -> list[LedgerAggregate]:
    actor = str(ctx.team.managers[0].id)
    return [BestPractice.record(actor=actor, level=level, usage_class=usage, text=text,
                                practice_id=ctx.ids.of("best_practice", i))
            for i, (level, usage, text) in enumerate(BEST_PRACTICES)]


def business_change(ctx: DemoContext, index: int, customer_id: UUID, actor: str
                    ) -> BusinessChange:
    """A change of business on an account at risk, a few weeks before today."""
    kind, note = CHANGES[index % len(CHANGES)]
    return BusinessChange.report(actor=actor, customer_id=customer_id, kind=kind,
                                 occurred_on=ctx.today - timedelta(days=10 + index % 30),
                                 note=note, change_id=ctx.ids.of("business_change", index))


# What a CSM writes: the week's figures sit beside the brief (GET /team/weekly), so the
# text speaks of what figures cannot say.
BRIEF_SUMMARIES = (
    "Renewals on track; two accounts need the director's attention.",
    "Quiet week: training sessions held, one escalation handed to support.",
    "Onboarding of the new accounts going to plan; usage dropping at one clinic.",
)


def last_week(today: date) -> tuple[str, date]:
    monday = today - timedelta(days=today.weekday() + 7)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", monday


def weekly_briefs(ctx: DemoContext) -> list[LedgerAggregate]:
    """Each CSM's brief of last week, submitted on its Friday; the manager gives the first
    problem to its CSM and closes the second one of every other brief."""
    week, monday = last_week(ctx.today)
    manager = str(ctx.team.managers[0].id)
    support = ctx.team.support[0].id if ctx.team.support else None
    briefs: list[LedgerAggregate] = []
    for i, csm in enumerate(ctx.team.csms):
        brief = WeeklyBrief.submit(
            actor=str(csm.id), owner_id=csm.id, week=week,
            summary=BRIEF_SUMMARIES[i % len(BRIEF_SUMMARIES)],
            problems=list(BRIEF_PROBLEMS[: 1 + i % 2]), submitted_on=monday + timedelta(days=4))
        brief.assign_follow_up(actor=manager, problem=0, assignee_id=csm.id,
                               assigned_on=monday + timedelta(days=7))
        if i % 2 == 1 and support is not None:
            brief.assign_follow_up(actor=manager, problem=1, assignee_id=support,
                                   assigned_on=monday + timedelta(days=7))
            brief.close_problem(actor=manager, problem=1, resolution="Material published.",
                                closed_on=min(ctx.today, monday + timedelta(days=9)))
        briefs.append(brief)
    return briefs
