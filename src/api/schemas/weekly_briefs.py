"""The CSM's weekly brief (seed 003) and the manager's follow-up of its problems."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import EXAMPLE_USER_ID, IsoDate, Schema
from api.schemas.views.common import Position
from cs_domain.weekly_brief import PROBLEM_MAX, PROBLEMS_MAX, RESOLUTION_MAX, SUMMARY_MAX
from projections.views.weekly_briefs import TrackedProblem


class BriefSubmit(Schema):
    summary: str = Field(max_length=SUMMARY_MAX,
                         description=f"The week in brief; at most {SUMMARY_MAX} characters.")
    problems: list[Annotated[str, Field(max_length=PROBLEM_MAX)]] = Field(
        default_factory=list, max_length=PROBLEMS_MAX, description=(
        f"Problems raised for the manager: at most {PROBLEMS_MAX}, each at most "
        f"{PROBLEM_MAX} characters; numbered from 0 in this order."))
    owner_id: UUID | None = Field(default=None, description="The CSM whose brief it is; "
                                  "by default the acting user (a manager or admin may submit "
                                  "on a CSM's behalf).")
    submitted_on: IsoDate | None = Field(default=None, description="Business date; today "
                                         "when left out; not before the week's Monday.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "summary": "12 customers served, 2 on-site visits; Acme's renewal agreed.",
        "problems": ["Beta's clinic director has not answered for three weeks",
                     "Training material for the new booking module is missing"]}]})


class FollowUpAssign(Schema):
    assignee_id: UUID = Field(description="The follow-up owner (an active user).")
    assigned_on: IsoDate | None = Field(default=None, description="Business date; today when "
                                        "left out.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "assignee_id": EXAMPLE_USER_ID, "assigned_on": "2026-12-07"}]})


class ProblemClose(Schema):
    resolution: str = Field(max_length=RESOLUTION_MAX,
                            description=f"How it was solved; at most {RESOLUTION_MAX} "
                                        "characters.")
    closed_on: IsoDate | None = Field(default=None, description="Business date; today when "
                                      "left out.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "resolution": "The regional manager visited; a new champion is named.",
        "closed_on": "2026-12-18"}]})


class ProblemList(BaseModel):
    items: list[TrackedProblem] = Field(description="Oldest week first, then by CSM and "
                                                    "number.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "position": 3120, "items": [{
            "week": "2026-W49", "owner_id": EXAMPLE_USER_ID, "problem": 0,
            "text": "Beta's clinic director has not answered for three weeks",
            "status": "open", "follow_up_owner_id": EXAMPLE_USER_ID,
            "assigned_on": "2026-12-07", "closed_on": None, "resolution": None}]}]})
