"""Customers: register, edit the profile, owner, support manager, stage, contacts, handover."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_ID,
    EXAMPLE_USER_ID,
    IsoDate,
    Label,
    Note,
    Schema,
    ShortText,
    TextItems,
    WriteResult,
)
from cs_domain.business_change import NOTE_MAX, BusinessChangeKind
from cs_domain.customer import Attitude, ContactLevel, SizeGrade, Stage, Tier


class CustomerCreate(Schema):
    name: ShortText
    tier: Tier
    owner_id: UUID = Field(description="The owning CSM (a user with role csm, manager or admin).")
    industry: Label | None = None
    region: Label | None = None
    size_grade: SizeGrade | None = None
    support_manager_id: UUID | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Acme Dental Group", "tier": "strategic", "owner_id": EXAMPLE_USER_ID,
        "industry": "healthcare", "region": "East", "size_grade": "A",
    }]})


class CustomerUpdate(Schema):
    """Only the fields sent change; at least one is needed."""

    name: ShortText | None = None
    tier: Tier | None = None
    industry: Label | None = None
    region: Label | None = None
    size_grade: SizeGrade | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"tier": "growth", "region": "North"}]})


class OwnerAssign(Schema):
    owner_id: UUID

    model_config = ConfigDict(json_schema_extra={"examples": [{"owner_id": EXAMPLE_USER_ID}]})


class SupportManagerAssign(Schema):
    support_manager_id: UUID | None = Field(description="null removes the support manager.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"support_manager_id": EXAMPLE_USER_ID}]})


class StageMove(Schema):
    stage: Stage = Field(description="Set by hand where the facts allow it (docs/rules.md "
                         "\"Lifecycle\"): never `onboarding` once activated or renewed, "
                         "`signed` only before the first term, from `churned` only "
                         "`reactivated`; else 422 on `stage`.")
    effective_on: IsoDate = Field(description="The business date the stage begins.")
    reason: str | None = Field(default=None, max_length=500,
                               description="Why (kept on the StageChanged event).")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"stage": "mature", "effective_on": "2026-02-01",
         "reason": "runs its own activities; renewal signed"}]})


class ContactAdd(Schema):
    name: ShortText
    role: Label = Field(description="Their role at the customer, e.g. head of clinic.")
    level: ContactLevel = Field(description="1: decision makers and daily heavy users; 2: others.")
    attitude: Attitude = Attitude.NEUTRAL
    email: ShortText | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Dr. Wang Fang", "role": "clinic director", "level": "1", "attitude": "champion",
        "email": "wang.fang@acme-dental.example"}]})


class ContactAdded(WriteResult):
    contact_id: UUID

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 4, "position": 1043,
        "contact_id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"}]})


class HandoverRecord(Schema):
    """The sales→CSM handover form (客户交接表)."""

    sales_rep: ShortText
    handed_over_on: IsoDate
    summary: Note
    expectations: TextItems = Field(default_factory=list)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "sales_rep": "Zhao Lei", "handed_over_on": "2025-01-10",
        "summary": "Three clinics, go-live before March; the director sponsors the project.",
        "expectations": ["online booking live in all clinics by March",
                         "front desk trained in week 2"]}]})


class ExpectationsAgree(Schema):
    expectations: TextItems
    agreed_on: IsoDate

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "expectations": ["booking conversion +15 % within 6 months"], "agreed_on": "2025-02-15"}]})



class BusinessChangeReport(Schema):
    """A change of the customer's business (seed 001 §二.8: a churn warning line)."""

    kind: BusinessChangeKind = Field(description="merger, closure, budget_cut, "
                                                 "leadership_change, other.")
    occurred_on: IsoDate = Field(description="When the change happened (1900-01-01 … "
                                             "2199-12-31).")
    note: str | None = Field(default=None, max_length=NOTE_MAX,
                             description=f"At most {NOTE_MAX} characters.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "merger", "occurred_on": "2025-09-01",
        "note": "Acquired by a regional dental chain; purchasing moves to the group."}]})
