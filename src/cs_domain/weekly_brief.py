"""Weekly brief (周报, seed 003): a CSM's brief of an ISO week submitted to the manager —
a summary and the problems raised —, and the manager's follow-up of each problem: an owner
assigned, then closed with its resolution (tracked to closure).

One brief per CSM and week (its id derives from both; a second submission is 409). A
problem is `open` until closed; it may get (or change) its follow-up owner while open;
closing needs an owner and happens once (409 otherwise).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from cs_domain.base import LedgerAggregate, check_text, index_id
from cs_domain.errors import InvalidInput, Validator
from cs_domain.number_checks import check_date

SUMMARY_MAX = 5000
PROBLEM_MAX = 1000
PROBLEMS_MAX = 20
RESOLUTION_MAX = 2000
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")


def week_start(week: str) -> date | None:
    """The Monday of an ISO week `YYYY-Www` (years 1900..2199), None if it is not one."""
    match = WEEK.fullmatch(week) if isinstance(week, str) else None
    if match is None or not 1900 <= int(match[1]) <= 2199:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def _check_day(v: Validator, value: Any, field: str, not_before: date | None = None) -> None:
    if check_date(v, value, field):
        v.check(FIRST_DAY <= value <= LAST_DAY, field, "must be within 1900-01-01 … 2199-12-31")
        if not_before is not None:
            v.check(value >= not_before, field, f"must not be before {not_before.isoformat()}")


class WeeklyBrief(LedgerAggregate):
    KIND = "weekly_brief"

    class Submitted(LedgerAggregate.Created):
        actor: str
        owner_id: UUID
        week: str
        week_start: date
        summary: str
        problems: list[str]
        submitted_on: date

    class FollowUpAssigned(LedgerAggregate.Event):
        actor: str
        problem: int
        assignee_id: UUID
        assigned_on: date

        def apply(self, b: WeeklyBrief) -> None:
            b.follow_ups[self.problem] = self.assignee_id

    class ProblemClosed(LedgerAggregate.Event):
        actor: str
        problem: int
        closed_on: date
        resolution: str

        def apply(self, b: WeeklyBrief) -> None:
            b.closed[self.problem] = self.closed_on

    def __init__(self, actor: str, owner_id: UUID, week: str, week_start: date, summary: str,
                 problems: list[str], submitted_on: date):
        self.owner_id = owner_id
        self.week = week
        self.week_start = week_start
        self.summary = summary
        self.problems = list(problems)
        self.submitted_on = submitted_on
        self.follow_ups: dict[int, UUID] = {}
        self.closed: dict[int, date] = {}

    @staticmethod
    def id_for(owner_id: UUID, week: str) -> UUID:
        return index_id("weekly_brief", f"{owner_id}:{week}")

    @classmethod
    def submit(cls, *, actor: str, owner_id: UUID, week: Any, summary: Any, problems: Any,
               submitted_on: Any) -> WeeklyBrief:
        v = Validator()
        monday = week_start(week)
        v.check(monday is not None, "week", "must be an ISO week like 2026-W49 (1900..2199)")
        check_text(v, summary, "summary", max_len=SUMMARY_MAX)
        if not isinstance(problems, list) or len(problems) > PROBLEMS_MAX:
            v.check(False, "problems", f"must be a list of at most {PROBLEMS_MAX} texts")
        else:
            for i, text in enumerate(problems):
                check_text(v, text, f"problems.{i}", max_len=PROBLEM_MAX)
        _check_day(v, submitted_on, "submitted_on", monday)
        v.done()
        if monday is None:  # refused above already; this tells the type checker
            raise InvalidInput.one("week", "must be an ISO week")
        return cls._create(cls.Submitted, id=cls.id_for(owner_id, week), actor=actor,
                           owner_id=owner_id, week=week, week_start=monday,
                           summary=summary.strip(), problems=[p.strip() for p in problems],
                           submitted_on=submitted_on)

    def _problem(self, v: Validator, problem: Any) -> bool:
        ok = (isinstance(problem, int) and not isinstance(problem, bool)
              and 0 <= problem < len(self.problems))
        v.check(ok, "problem", f"must be the index of one of the brief's {len(self.problems)} "
                               "problems")
        return ok

    def assign_follow_up(self, *, actor: str, problem: Any, assignee_id: UUID,
                         assigned_on: Any) -> None:
        v = Validator()
        self._problem(v, problem)
        _check_day(v, assigned_on, "assigned_on", self.week_start)
        v.done()
        if problem in self.closed:
            raise self.refuse("assign a follow-up of a problem", "closed")
        self.trigger_event(self.FollowUpAssigned, actor=actor, problem=problem,
                           assignee_id=assignee_id, assigned_on=assigned_on)

    def close_problem(self, *, actor: str, problem: Any, resolution: Any, closed_on: Any) -> None:
        v = Validator()
        self._problem(v, problem)
        check_text(v, resolution, "resolution", max_len=RESOLUTION_MAX)
        _check_day(v, closed_on, "closed_on", self.week_start)
        v.done()
        if problem in self.closed:
            raise self.refuse("close a problem", "closed")
        if problem not in self.follow_ups:
            raise self.refuse("close a problem", "without a follow-up owner")
        self.trigger_event(self.ProblemClosed, actor=actor, problem=problem,
                           resolution=resolution.strip(), closed_on=closed_on)
