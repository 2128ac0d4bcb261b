"""Delivery and engagement: projects, success plans and their milestones, touchpoints,
subscriptions."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.common import (
    EXAMPLE_CONTRACT_ID,
    EXAMPLE_MILESTONE_ID,
    EXAMPLE_OWNER_ID,
    EXAMPLE_PLAN_ID,
    EXAMPLE_PROJECT_ID,
    Position,
)
from projections.views import plans, projects
from projections.views.plans import LateMilestone, LatenessSummary, OwnerLateness, Plan
from projections.views.projects import Project
from projections.views.subscriptions import Subscription
from projections.views.touchpoints import Touchpoint

PROJECT_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_PROJECT_ID, "name": "Implementation", "customer_id": EXAMPLE_CUSTOMER_ID,
    "contract_id": EXAMPLE_CONTRACT_ID, "status": "active", "opened_on": "2026-01-05",
    "completed_on": None, "cancelled_on": None, "cancel_reason": None, "progress": 0.35,
    "completed_weight": 35, "total_weight": 100, "current_stage": "configuration",
    "stages": [{"name": "kick-off", "weight": 10, "status": "done", "started_on": "2026-01-05",
                "completed_on": "2026-01-09"}],
}


class ProjectList(BaseModel):
    items: list[Project] = Field(description="Oldest first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [PROJECT_EXAMPLE], "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**PROJECT_EXAMPLE, "position": 1107}]}))
class ProjectOne(projects.ProjectOne):
    """One project with its stages and progress, with the position it reflects."""


MILESTONE_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_MILESTONE_ID, "title": "Win-back proposal presented", "due_date": "2026-08-25",
    "acceptance_criterion": "A proposal that answers the churn reason was presented",
    "status": "pending", "resolved_on": None, "note": None, "late": False, "overdue": False,
    "days_late": 0,
}
PLAN_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_PLAN_ID, "customer_id": EXAMPLE_CUSTOMER_ID,
    "name": "Churn recovery (断约挽回)", "template": "churn_recovery", "status": "active",
    "start_date": "2026-07-26", "activated_on": "2026-07-26", "closed_on": None,
    "previous_plan_id": None, "abandon_reason": None, "milestones": [MILESTONE_EXAMPLE],
    "counts": {"total": 1, "pending": 1, "completed": 0, "missed": 0, "overdue": 0, "late": 0},
    "next_milestone": MILESTONE_EXAMPLE,
}


class PlanList(BaseModel):
    items: list[Plan] = Field(description="Newest start first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [PLAN_EXAMPLE], "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{**PLAN_EXAMPLE, "position": 1107}]}))
class PlanOne(plans.PlanOne):
    """One success plan with its milestones, with the position it reflects."""


SUMMARY_EXAMPLE: dict[str, Any] = {
    "total": 1229, "on_time": 691, "completed_late": 168, "missed": 77, "overdue": 7,
    "pending": 286, "late": 252, "late_rate": 0.2672, "mean_days_late": 9.47,
}


class MilestoneLateness(BaseModel):
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None
    today: date
    items: list[LateMilestone] = Field(description="Milestones due in range, by due date.")
    summary: LatenessSummary
    by_owner: list[OwnerLateness]
    position: Position

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": "2026-01-01", "to": "2026-12-31", "today": "2026-11-27", "position": 20258,
        "items": [{**MILESTONE_EXAMPLE, "plan_id": EXAMPLE_PLAN_ID,
                   "plan_name": "Churn recovery (断约挽回)", "customer_id": EXAMPLE_CUSTOMER_ID,
                   "customer_name": "Acme Dental Group", "owner_id": EXAMPLE_OWNER_ID}],
        "summary": SUMMARY_EXAMPLE,
        "by_owner": [{**SUMMARY_EXAMPLE, "owner_id": EXAMPLE_OWNER_ID,
                      "owner_name": "Chen Jing"}]}]})


TOUCHPOINT_EXAMPLE: dict[str, Any] = {
    "id": "141f30d9-e6b2-4feb-9213-22353650cfca", "customer_id": EXAMPLE_CUSTOMER_ID,
    "kind": "call", "occurred_on": "2026-05-17", "summary": "Renewal call with the decision maker.",
    "participants": ["Chen Jing", "Dr. Wang Fang"], "next_steps": ["Send the summary"],
    "week_start": None, "follow_up_on": None, "follow_up_outcome": None,
    "recorded_by": EXAMPLE_OWNER_ID,
}


class TouchpointList(BaseModel):
    items: list[Touchpoint] = Field(description="Newest first.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [TOUCHPOINT_EXAMPLE], "position": 1107}]})


SUBSCRIPTION_EXAMPLE: dict[str, Any] = {
    "id": "8d775511-8d2c-45cb-8b2a-06783e0806aa", "customer_id": EXAMPLE_CUSTOMER_ID,
    "contract_id": EXAMPLE_CONTRACT_ID, "product": "Core platform", "seats": 56,
    "status": "active", "start_date": "2026-08-03", "end_date": "2027-08-02",
    "days_to_end": 248, "activated_on": "2026-08-03", "suspended_on": None,
    "suspend_reason": None, "expired_on": None, "seats_changed_on": None,
}


class SubscriptionList(BaseModel):
    items: list[Subscription] = Field(description="Active first, then by end date.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [SUBSCRIPTION_EXAMPLE], "position": 1107}]})
