"""Weekly brief commands (seed 003): a CSM submits the week's brief; the manager assigns a
follow-up owner to each problem raised and closes it."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.errors import DuplicateKey
from cs_domain.services.users import UserCommands
from cs_domain.weekly_brief import WeeklyBrief


class WeeklyBriefCommands(UserCommands):
    def submit_weekly_brief(self, *, actor: str, owner_id: UUID, week: Any, summary: Any,
                            problems: Any, submitted_on: date) -> CommandResult:
        brief = WeeklyBrief.submit(actor=actor, owner_id=owner_id, week=week, summary=summary,
                                   problems=problems, submitted_on=submitted_on)
        self.require_user(owner_id, "owner_id")
        if self.exists(brief.id):
            raise DuplicateKey("week", week)
        return self.result(brief, self.commit(brief))

    def assign_brief_follow_up(self, *, actor: str, owner_id: UUID, week: str, problem: Any,
                               assignee_id: UUID, assigned_on: date,
                               expected_version: int | None = None) -> CommandResult:
        brief = self.load(WeeklyBrief, WeeklyBrief.id_for(owner_id, week), expected_version)
        brief.assign_follow_up(actor=actor, problem=problem, assignee_id=assignee_id,
                               assigned_on=assigned_on)
        self.require_user(assignee_id, "assignee_id")
        return self.result(brief, self.commit(brief))

    def close_brief_problem(self, *, actor: str, owner_id: UUID, week: str, problem: Any,
                            resolution: Any, closed_on: date,
                            expected_version: int | None = None) -> CommandResult:
        brief = self.load(WeeklyBrief, WeeklyBrief.id_for(owner_id, week), expected_version)
        brief.close_problem(actor=actor, problem=problem, resolution=resolution,
                            closed_on=closed_on)
        return self.result(brief, self.commit(brief))
