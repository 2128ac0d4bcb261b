"""Weekly briefs view (seed 003): each CSM's brief of an ISO week and its problems, each
with its follow-up owner and closure (the `brief` of `GET /team/weekly`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, Integer, String, Uuid, select

from cs_domain.weekly_brief import PROBLEM_MAX, RESOLUTION_MAX, SUMMARY_MAX, WeeklyBrief
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

BRIEFS = VersionedTable(
    "weekly_briefs", "weekly_briefs",
    keys=[("id", Uuid())],
    columns=[("owner_id", Uuid()), ("week", String(8)), ("week_start", Date()),
             ("summary", String(SUMMARY_MAX)), ("submitted_on", Date()),
             ("submitted_by", String(200))],
    indexes=[("week_start", "owner_id")],
)
PROBLEMS = VersionedTable(
    "weekly_briefs", "weekly_brief_problems",
    keys=[("brief_id", Uuid()), ("problem", Integer())],
    columns=[("text", String(PROBLEM_MAX)), ("status", String(8)),
             ("follow_up_owner_id", Uuid()), ("assigned_on", Date()), ("closed_on", Date()),
             ("resolution", String(RESOLUTION_MAX))],
    indexes=[("status",)],
)


class WeeklyBriefsView(View):
    name = "weekly_briefs"
    tables = (BRIEFS, PROBLEMS)

    @on(WeeklyBrief.Submitted)
    def submitted(self, tx: ViewTx, e: WeeklyBrief.Submitted) -> None:
        tx[BRIEFS].put(e.originator_id, {
            "owner_id": e.owner_id, "week": e.week, "week_start": e.week_start,
            "summary": e.summary, "submitted_on": e.submitted_on, "submitted_by": e.actor})
        for i, text in enumerate(e.problems):
            tx[PROBLEMS].put((e.originator_id, i), {
                "text": text, "status": "open", "follow_up_owner_id": None,
                "assigned_on": None, "closed_on": None, "resolution": None})

    @on(WeeklyBrief.FollowUpAssigned)
    def assigned(self, tx: ViewTx, e: WeeklyBrief.FollowUpAssigned) -> None:
        tx[PROBLEMS].update((e.originator_id, e.problem), follow_up_owner_id=e.assignee_id,
                            assigned_on=e.assigned_on)

    @on(WeeklyBrief.ProblemClosed)
    def closed(self, tx: ViewTx, e: WeeklyBrief.ProblemClosed) -> None:
        tx[PROBLEMS].update((e.originator_id, e.problem), status="closed",
                            closed_on=e.closed_on, resolution=e.resolution)


class BriefProblem(TypedDict):
    problem: Annotated[int, Field(description="Its number in the brief, from 0.")]
    text: str
    status: Annotated[str, Field(description="`open` or `closed`.")]
    follow_up_owner_id: UUID | None
    assigned_on: date | None
    closed_on: date | None
    resolution: str | None


class Brief(TypedDict):
    summary: str
    submitted_on: date
    submitted_by: Annotated[str, Field(description="The actor who submitted it.")]
    problems: list[BriefProblem]


class TrackedProblem(BriefProblem):
    week: str
    owner_id: Annotated[UUID, Field(description="The CSM whose brief raised it.")]


class ProblemTracking(TypedDict):
    items: list[TrackedProblem]
    position: int


def briefs_of_week(r: Reader, monday: date, owners: Iterable[UUID] | None = None
                   ) -> dict[UUID, Brief]:
    """The briefs of the week starting `monday` by owner: `{summary, submitted_on,
    submitted_by, problems: [{problem, text, status, follow_up_owner_id, assigned_on,
    closed_on, resolution}]}`, problems in the order raised."""
    b, p = r.table(BRIEFS), r.table(PROBLEMS)
    stmt = select(b).where(r.visible(b), b.c.week_start == monday)
    if owners is not None:
        stmt = stmt.where(b.c.owner_id.in_(list(owners)))
    briefs = {row.id: row for row in r.conn.execute(stmt)}
    problems: dict[UUID, list[BriefProblem]] = {brief_id: [] for brief_id in briefs}
    if briefs:
        for row in r.conn.execute(select(p).where(r.visible(p), p.c.brief_id.in_(list(briefs)))
                                  .order_by(p.c.brief_id, p.c.problem)):
            problems[row.brief_id].append({
                "problem": row.problem, "text": row.text, "status": row.status,
                "follow_up_owner_id": row.follow_up_owner_id, "assigned_on": row.assigned_on,
                "closed_on": row.closed_on, "resolution": row.resolution})
    return {row.owner_id: {"summary": row.summary, "submitted_on": row.submitted_on,
                           "submitted_by": row.submitted_by, "problems": problems[brief_id]}
            for brief_id, row in briefs.items()}


def brief_problems(conn: Connection, *, status: str | None = None,
                   owner_id: UUID | None = None, follow_up_owner_id: UUID | None = None,
                   at: int | None = None) -> ProblemTracking:
    """Every problem raised in a weekly brief (the manager's tracking list), oldest week
    first: `{items: [{week, owner_id, problem, text, status, follow_up_owner_id,
    assigned_on, closed_on, resolution}], position}`; filtered by status, the brief's CSM
    and the follow-up owner when given."""
    r = Reader(conn, at)
    b, p = r.table(BRIEFS), r.table(PROBLEMS)
    stmt = (select(b.c.week, b.c.week_start, b.c.owner_id, p)
            .join(b, (b.c.id == p.c.brief_id) & r.visible(b))
            .where(r.visible(p)).order_by(b.c.week_start, b.c.owner_id, p.c.problem))
    if status is not None:
        stmt = stmt.where(p.c.status == status)
    if owner_id is not None:
        stmt = stmt.where(b.c.owner_id == owner_id)
    if follow_up_owner_id is not None:
        stmt = stmt.where(p.c.follow_up_owner_id == follow_up_owner_id)
    items: list[TrackedProblem] = [{
        "week": row.week, "owner_id": row.owner_id, "problem": row.problem, "text": row.text,
        "status": row.status, "follow_up_owner_id": row.follow_up_owner_id,
        "assigned_on": row.assigned_on, "closed_on": row.closed_on,
        "resolution": row.resolution,
    } for row in conn.execute(stmt)]
    return {"items": items, "position": r.position}
