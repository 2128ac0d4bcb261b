"""The customer list, the customer 360 and the health history."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import EXAMPLE_CUSTOMER_ID
from api.schemas.views.activities import ACTIVITY_EXAMPLE
from api.schemas.views.common import (
    EXAMPLE_CONTRACT_ID,
    EXAMPLE_OWNER_ID,
    EXAMPLE_RISK_ID,
    Position,
)
from api.schemas.views.delivery import PLAN_EXAMPLE, SUBSCRIPTION_EXAMPLE, TOUCHPOINT_EXAMPLE
from api.schemas.views.health import HEALTH_EXAMPLE
from api.schemas.views.loops import REQUIREMENT_EXAMPLE
from api.schemas.views.playbooks import RUN_EXAMPLE
from projections import compose
from projections.views import contracts, customers

PROFILE_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_CUSTOMER_ID, "name": "Acme Dental Group", "tier": "strategic",
    "industry": "healthcare", "region": "East", "size_grade": "A", "owner_id": EXAMPLE_OWNER_ID,
    "owner_name": "Chen Jing", "support_manager_id": None, "support_manager_name": None,
    "stage": "growth", "stage_since": "2025-04-01", "onboarded_on": "2025-01-15",
    "contacts_count": 2, "created_position": 3, "registered_at": "2025-01-02T09:30:12.123456Z",
}


@with_config(ConfigDict(json_schema_extra={"examples": [PROFILE_EXAMPLE]}))
class Profile(customers.Profile):
    """A customer's profile, as the list and the customer 360 show it."""


class CustomerPage(BaseModel):
    items: list[Profile]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on "
                                                "the last page.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"items": [PROFILE_EXAMPLE], "next_cursor": "WyJhY21lIGRlbnRhbCIsICI1YTdiIl0",
         "position": 1107}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{
    "id": EXAMPLE_CONTRACT_ID, "number": "C-2025-0042", "status": "active",
    "amount": "12000.00", "currency": "EUR", "start_date": "2025-01-01",
    "end_date": "2025-12-31", "days_to_end": 45, "progress": None, "intent": "high",
    "predecessor_id": None, "successor_id": None, "customer_id": EXAMPLE_CUSTOMER_ID,
    "position": 1107}]}))
class ContractDetail(contracts.ContractDetail):
    """One contract (`GET /contracts/{id}`): the 360's contract line and its customer."""


CONTRACT_EXAMPLE: dict[str, Any] = {
    "id": EXAMPLE_CONTRACT_ID, "number": "C-2025-0042", "status": "active",
    "amount": "12000.00", "currency": "EUR", "start_date": "2025-01-01",
    "end_date": "2025-12-31", "days_to_end": 45, "progress": 0.6, "intent": "high",
    "predecessor_id": None, "successor_id": None,
}


CUSTOMER_360_EXAMPLE: dict[str, Any] = {
    **PROFILE_EXAMPLE, "profile": PROFILE_EXAMPLE,
    "contacts": [{"id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "name": "Dr. Wang Fang",
                  "role": "clinic director", "level": "1", "attitude": "champion",
                  "email": "wang.fang@acme-dental.example"}],
    "contracts": [CONTRACT_EXAMPLE],
    "health": HEALTH_EXAMPLE,
    "risks": [{"id": EXAMPLE_RISK_ID, "title": "Champion leaving", "status": "open",
               "severity": "high", "due_date": "2025-11-30", "overdue": False,
               "closed_on": None}],
    "requirements": {"by_status": {"collected": 1, "classified": 0, "analysed": 0,
                                   "handed_over": 0, "scheduled": 0, "delivered": 0,
                                   "rejected": 0, "feedback_given": 0},
                     "open": [REQUIREMENT_EXAMPLE]},
    "plans": [PLAN_EXAMPLE], "open_tasks": [], "complaints": [],
    "last_touchpoints": [TOUCHPOINT_EXAMPLE], "subscriptions": [SUBSCRIPTION_EXAMPLE],
    "playbook_runs": [RUN_EXAMPLE],
    "handover": {"sales_rep": "Zhao Min", "handed_over_on": "2025-01-02",
                 "summary": "Three clinics; go-live before Chinese New Year.",
                 "expectations": ["Online booking live in all clinics"]},
    "expectations": [{"text": "Online booking live in all clinics",
                      "agreed_on": "2025-01-02"},
                     {"text": "Monthly usage review", "agreed_on": "2025-02-10"}],
    "activities": [ACTIVITY_EXAMPLE],
    "business_changes": [{"id": "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
                          "kind": "leadership_change", "occurred_on": "2025-09-01",
                          "note": "The clinic director retired.",
                          "reported_by": "8d5e0b2a-1c3f-4e6a-b7d8-9f0a1b2c3d4e"}],
    "position": 1107,
}


# Declared by the query (projections.compose.Customer360: its sections are the registered
# views'); the API adds `profile`.
@with_config(ConfigDict(json_schema_extra={"examples": [CUSTOMER_360_EXAMPLE]}))
class Customer360(compose.Customer360):
    """Everything about one customer. The profile fields are at the top level (as in the
    list) and also grouped under `profile`."""

    profile: Profile
