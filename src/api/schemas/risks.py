"""Risks (风险): raise, strategy with todos, mitigation, escalation, due date, owner, close, reopen.

Business dates (`raised_on`, `set_on`, `closed_on`, ...) may be left out: the API
then uses today's date in UTC.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    EXAMPLE_ID,
    EXAMPLE_USER_ID,
    MAX_LIST,
    IsoDate,
    Note,
    Schema,
    ShortText,
    WriteResult,
)
from cs_domain.risk import RiskCategory, Severity

TODAY = "Defaults to today (UTC)."
SUPPORT_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"


class RiskRaise(Schema):
    customer_id: UUID
    title: ShortText
    category: RiskCategory
    severity: Severity
    due_date: IsoDate = Field(description="When it must be closed; past it the risk is overdue.")
    description: Note | None = None
    raised_on: IsoDate | None = Field(default=None, description=f"The day it was raised. {TODAY}")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "title": "Clinic director unhappy with booking sync",
        "category": "product", "severity": "high", "due_date": "2025-04-15",
        "description": "Two double bookings last week; the director mentioned the competitor."}]})


class TodoIn(Schema):
    title: ShortText
    assignee_id: UUID
    due_date: IsoDate


class RiskStrategySet(Schema):
    strategy: Note
    owner_id: UUID = Field(description="Who owns the risk from now on.")
    todos: Annotated[list[TodoIn], Field(max_length=MAX_LIST)] = Field(
        description="Each todo becomes a task for its assignee, written "
            "in the same transaction as the strategy.")
    set_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "strategy": "Fix the sync, then win the director back with a visit.",
        "owner_id": EXAMPLE_USER_ID,
        "todos": [
            {"title": "Escalate the sync bug to product", "assignee_id": SUPPORT_ID,
             "due_date": "2025-04-03"},
            {"title": "Onsite visit with the director", "assignee_id": EXAMPLE_USER_ID,
             "due_date": "2025-04-10"}]}]})


class StrategyResult(WriteResult):
    task_ids: list[UUID] = Field(description="The tasks created from the todos, in order.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 2, "position": 1051,
        "task_ids": ["6e7f8a9b-0c1d-4e2f-8a3b-4c5d6e7f8a9b", "7f8a9b0c-1d2e-4f3a-9b4c-5d6e7f8a9b0c"]}]})


class MitigationRecord(Schema):
    note: Note
    recorded_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Sync fix deployed; no double booking since Monday."}]})


class RiskEscalate(Schema):
    escalated_to: UUID = Field(description="The user it is escalated to (one level up each time).")
    reason: Note
    escalated_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "escalated_to": EXAMPLE_USER_ID, "reason": "Customer threatens not to renew."}]})


class EscalationResult(WriteResult):
    level: int = Field(description="The escalation level reached (1, 2, ...).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 4, "position": 1060, "level": 1}]})


class RiskDueDateChange(Schema):
    due_date: IsoDate
    reason: Note | None = None
    changed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "due_date": "2025-05-15", "reason": "Product ships the fix in the May release."}]})


class RiskOwnerAssign(Schema):
    owner_id: UUID

    model_config = ConfigDict(json_schema_extra={"examples": [{"owner_id": EXAMPLE_USER_ID}]})


class RiskClose(Schema):
    resolution: Note = Field(description="How it was resolved (销项).")
    closed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "resolution": "Sync fixed; the director confirmed at the visit.", "closed_on": "2025-04-12"}]})


class RiskReopen(Schema):
    reason: Note
    reopened_on: IsoDate | None = Field(default=None, description=TODAY)
    due_date: IsoDate | None = Field(default=None, description="A new due date; by default the "
                                                                "old one stays.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Double bookings are back after the update.", "due_date": "2025-05-01"}]})
