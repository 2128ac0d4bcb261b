"""Tasks (任务): create, start, complete, cancel, reopen, reassign, reschedule.

Step dates (`started_on`, `completed_on`, ...) may be left out: the API then uses
today's date in UTC.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, EXAMPLE_USER_ID, IsoDate, Note, Schema, ShortText
from cs_domain.task import TaskSource

TODAY = "Defaults to today (UTC)."


class TaskCreate(Schema):
    customer_id: UUID
    title: ShortText
    assignee_id: UUID
    due_date: IsoDate
    description: Note | None = None
    source_kind: TaskSource | None = Field(
        default=None, description="What the task belongs to (with `source_id`), e.g. a plan.")
    source_id: UUID | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "title": "Prepare the monthly usage analysis",
        "assignee_id": EXAMPLE_USER_ID, "due_date": "2025-03-31",
        "description": "Share it with the clinic director."}]})


class TaskStart(Schema):
    started_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"started_on": "2025-03-20"}]})


class TaskComplete(Schema):
    completed_on: IsoDate | None = Field(default=None, description=TODAY)
    note: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "completed_on": "2025-03-28", "note": "Sent; the director asked for a call."}]})


class TaskCancel(Schema):
    reason: Note
    cancelled_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Covered by the quarterly review instead."}]})


class TaskReopen(Schema):
    reason: Note
    reopened_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "The report missed the second clinic."}]})


class TaskReassign(Schema):
    assignee_id: UUID
    reason: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "assignee_id": EXAMPLE_USER_ID, "reason": "Customer moved to another CSM."}]})


class TaskReschedule(Schema):
    due_date: IsoDate
    reason: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "due_date": "2025-04-07", "reason": "Director on leave until April."}]})
