"""Success plans (客成计划): templates, drafting, milestones, activate, complete, abandon.
Step dates default to today (UTC)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    EXAMPLE_ID,
    Goal,
    IsoDate,
    Note,
    Schema,
    ShortText,
    WriteResult,
)
from cs_domain.plan_templates import TEMPLATES

TODAY = "Defaults to today (UTC)."
MILESTONE_ID = "9b0c1d2e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"


class MilestoneTemplatePublic(BaseModel):
    title: str
    offset_days: int = Field(description="Due this many days after the plan's start_date.")
    acceptance_criterion: str


class PlanTemplatePublic(BaseModel):
    key: str
    name: str
    purpose: str
    next_template: str | None = Field(description="The template that usually follows.")
    milestones: list[MilestoneTemplatePublic]


class PlanTemplateList(BaseModel):
    templates: list[PlanTemplatePublic]

    model_config = ConfigDict(json_schema_extra={"examples": [{"templates": [{
        "key": "roadmap_30_60_90", "name": "30/60/90-day success roadmap",
        "purpose": "Agree goals with the customer and prove value within 90 days (seed 004).",
        "next_template": None,
        "milestones": [{"title": "30 days: goals and KPI agreed", "offset_days": 30,
                        "acceptance_criterion": "Business goals and the KPI agreed and "
                                                "baselined"}]}]}]})


class PlanCreate(Schema):
    customer_id: UUID
    start_date: IsoDate = Field(description="Template milestones are due start_date + offset.")
    template: ShortText | None = Field(default=None, description="One of: " + ", ".join(TEMPLATES)
                                                           + " (see GET /plan-templates).")
    name: ShortText | None = Field(default=None, description="Required without a template.")
    previous_plan_id: UUID | None = Field(default=None, description="The customer's plan this "
                                                                    "one follows.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "start_date": "2025-01-06",
        "template": "implementation_handover"}]})


class PlanCreated(WriteResult):
    milestone_ids: list[UUID] = Field(description="The template's milestones, in order.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 1, "position": 1400, "milestone_ids": [MILESTONE_ID]}]})


class MilestoneAdd(Schema):
    title: ShortText
    due_date: IsoDate
    acceptance_criterion: Goal = Field(description="What proves it was met (验收标准).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "Second clinic live", "due_date": "2025-03-01",
        "acceptance_criterion": "Bookings taken online in the second clinic for a week"}]})


class MilestoneAdded(WriteResult):
    milestone_id: UUID

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 2, "position": 1401, "milestone_id": MILESTONE_ID}]})


class MilestoneComplete(Schema):
    evidence: Note = Field(description="How the acceptance criterion was met.")
    completed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "evidence": "Admin account and org chart set up with the IT lead.",
        "completed_on": "2025-01-12"}]})


class MilestoneMiss(Schema):
    note: Note | None = None
    missed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Training postponed by the customer twice."}]})


class PlanActivate(Schema):
    activated_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"activated_on": "2025-01-06"}]})


class PlanComplete(Schema):
    completed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"completed_on": "2025-04-06"}]})


class PlanAbandon(Schema):
    reason: Note
    abandoned_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Customer churned; a churn recovery plan follows."}]})
