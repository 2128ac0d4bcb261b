"""Playbooks (手册): versioned definitions (trigger, goals, actions, success metrics) and
their runs' manual commands (abandon, record an outcome)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.schemas.common import (
    EXAMPLE_ID,
    MAX_LIST,
    Flag,
    Goal,
    IsoDate,
    Schema,
    ShortText,
    WholeNumber,
    WriteResult,
    range_of,
)
from cs_domain.playbook import Channel, MetricKind, OwnerRole, TriggerKind
from cs_domain.touchpoint import TouchpointKind

EXAMPLE_ACTIONS: list[Any] = [
    {"title": "Review the usage data and recent tickets", "owner_role": "owner_csm",
     "channel": "internal", "offset_days": 0},
    {"title": "Call the level-1 contact about the drop", "owner_role": "owner_csm",
     "channel": "call", "offset_days": 1},
]
EXAMPLE_METRICS: list[Any] = [{"name": "usage recovered", "kind": "usage_recovered", "within_days": 30}]
EXAMPLE_DEFINITION: dict[str, Any] = {
    "name": "Low engagement: usage drop", "trigger_kind": "usage_drop",
    "trigger_params": {"drop_ratio": "0.30", "window_days": 14},
    "customer_goal": "Get back to the value the customer was getting.",
    "business_goal": "Stop a slide before it becomes a churn risk.",
    "actions": EXAMPLE_ACTIONS, "success_metrics": EXAMPLE_METRICS,
}


def _plain(value: Any) -> Any:
    # Non-integer JSON numbers arrive as Decimal (exact); parameters keep them as decimal
    # strings, like the shipped definitions ("0.30"), so nothing becomes a binary float.
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class PlaybookAction(Schema):
    title: ShortText
    owner_role: OwnerRole = Field(description="Whose task it becomes: the customer's owner CSM, "
                                              "or its support manager (else the owner).")
    channel: Channel
    offset_days: WholeNumber = Field(description="Due this many days after the trigger date (0..730).",
                                     json_schema_extra=range_of(0, 730))
    must_happen: Flag | None = Field(default=None, description=(
        "A run that starts after this step's due date catches it up: one task due the day "
        "the run started (docs/playbooks.md, late runs)."))
    completed_by: list[TouchpointKind] | None = Field(default=None, max_length=6, description=(
        "Touchpoint kinds that complete this step when recorded for the run's customer "
        "within the step's window (at most 6)."))


class SuccessMetric(Schema):
    name: ShortText
    kind: MetricKind
    within_days: WholeNumber = Field(description="Measured this many days after the trigger (1..730).",
                                     json_schema_extra=range_of(1, 730))
    step: WholeNumber | None = Field(default=None, description="meeting_held only: the index of the "
                                                       "action that is the meeting.")


class Definition(Schema):
    """The fields shared by defining and revising a playbook."""

    name: ShortText | None = None
    trigger_kind: TriggerKind | None = None
    trigger_params: Annotated[dict[str, Any], Field(max_length=MAX_LIST)] | None = Field(
        default=None, description="usage_drop: drop_ratio, window_days; inactivity: days; "
                                  "renewal_window: days_before; usage_growth: weeks, "
                                  "growth_ratio; quarterly: tiers; churn_risk: threshold "
                                  "(0.05..0.99), horizon_days (7..365, default 30).")
    customer_goal: Goal | None = None
    business_goal: Goal | None = None
    actions: Annotated[list[PlaybookAction], Field(max_length=MAX_LIST)] | None = None
    success_metrics: Annotated[list[SuccessMetric], Field(max_length=MAX_LIST)] | None = None

    @field_validator("trigger_params")
    @classmethod
    def _exact_params(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else _plain(value)

    def domain_fields(self, *, only_sent: bool) -> dict[str, Any]:
        """The definition as the domain takes it (enums as values, metrics without empty step)."""
        out = self.model_dump(mode="json", exclude_unset=only_sent,
                              exclude={"actions", "success_metrics"})
        out.pop("key", None)
        if self.actions is not None:
            out["actions"] = [a.model_dump(mode="json", exclude_none=True) for a in self.actions]
        if self.success_metrics is not None:
            out["success_metrics"] = [m.model_dump(mode="json", exclude_none=True)
                                      for m in self.success_metrics]
        return out


class PlaybookDefine(Definition):
    key: ShortText = Field(description="Unique name, 1-64 letters, digits, '-' or '_'; the id derives "
                                 "from it.")
    name: ShortText
    trigger_kind: TriggerKind
    trigger_params: Annotated[dict[str, Any], Field(max_length=MAX_LIST)] = Field(default_factory=dict)
    customer_goal: Goal
    business_goal: Goal
    actions: Annotated[list[PlaybookAction], Field(max_length=MAX_LIST)]
    success_metrics: Annotated[list[SuccessMetric], Field(max_length=MAX_LIST)] = Field(default_factory=list)

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"key": "low_engagement_drop_v2", **EXAMPLE_DEFINITION}]})


class PlaybookRevise(Definition):
    """Only the fields sent change; the revision gets the next definition_version."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "actions": [*EXAMPLE_ACTIONS, {"title": "Follow-up check on usage",
                                       "owner_role": "owner_csm", "channel": "call",
                                       "offset_days": 14}]}]})

    @model_validator(mode="after")
    def _some_change(self) -> PlaybookRevise:
        if not any(getattr(self, f) is not None for f in self.model_fields_set):
            raise ValueError("send at least one field to change")
        return self


class Revised(WriteResult):
    definition_version: int = Field(description="The definition's version after the revision.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 2, "position": 310, "definition_version": 2}]})


class PlaybookRetire(Schema):
    reason: Goal

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Replaced by low_engagement_drop_v2."}]})


class ActionPublic(BaseModel):
    title: str
    owner_role: str
    channel: str
    offset_days: int
    must_happen: bool = False
    completed_by: list[str] = []


class MetricPublic(BaseModel):
    name: str
    kind: str
    within_days: int
    step: int | None = None


class PlaybookPublic(BaseModel):
    id: UUID
    key: str
    version: int = Field(description="The item's version (for If-Match).")
    definition_version: int = Field(description="1 when defined, +1 per revision; runs record it.")
    active: bool = Field(description="False once retired: a retired playbook starts no runs.")
    name: str
    trigger_kind: str
    trigger_params: dict[str, Any]
    customer_goal: str
    business_goal: str
    actions: list[ActionPublic]
    success_metrics: list[MetricPublic]

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "key": "low_engagement_drop", "version": 1, "definition_version": 1,
        "active": True, **EXAMPLE_DEFINITION}]})


class PlaybookList(BaseModel):
    playbooks: list[PlaybookPublic] = Field(description="Every playbook, retired ones too, by key.")
    position: int = Field(description="The log position this list reflects.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "playbooks": [{"id": EXAMPLE_ID, "key": "low_engagement_drop", "version": 1,
                       "definition_version": 1, "active": True, **EXAMPLE_DEFINITION}],
        "position": 1200}]})


class InstalledPlaybook(BaseModel):
    id: UUID
    key: str


class DefaultsInstalled(BaseModel):
    installed: list[InstalledPlaybook] = Field(description="The shipped playbooks that were "
                                                           "missing and are now defined; empty "
                                                           "when all were there.")
    position: int

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "installed": [{"id": EXAMPLE_ID, "key": "onboarding"}], "position": 17}]})


class RunAbandon(Schema):
    reason: Goal
    abandoned_on: IsoDate | None = Field(default=None, description="Defaults to today (UTC).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Customer churned before the renewal conversation."}]})


class OutcomeRecord(Schema):
    metric: str = Field(min_length=1, max_length=200, pattern=r"\S",
                        description="The success metric's name, e.g. `usage recovered`.")
    achieved: Flag
    measured_on: IsoDate | None = Field(default=None, description="Defaults to today (UTC).")
    detail: str | None = Field(default=None, max_length=5000)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "metric": "usage recovered", "achieved": True, "measured_on": "2025-04-20",
        "detail": "Active days back to 4.2 per week from 2.1."}]})


class OutcomeRecorded(WriteResult):
    recorded: bool = Field(description="False when this metric had been measured already "
                                       "(nothing was written).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 6, "position": 4410, "recorded": True}]})
