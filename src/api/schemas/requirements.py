"""Requirements (需求): collect, classify, analyse, hand to product, schedule, deliver or
reject, give feedback. Each step's business date `on` defaults to today (UTC)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, IsoDate, Label, Note, Schema, ShortText
from cs_domain.requirement import Priority, ProductFit, RequirementCategory


def step_on() -> Any:
    return Field(default=None, description="The step's business date; defaults to today (UTC). "
                                           "It may not precede the previous step's.")


class RequirementCollect(Schema):
    customer_id: UUID
    requested_by: ShortText = Field(description="Who at the customer asked (their name).")
    summary: Note
    detail: Note | None = None
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "requested_by": "Dr. Wang Fang",
        "summary": "Export bookings to the accounting system",
        "detail": "Daily CSV with patient id, service and amount.", "on": "2025-03-03"}]})


class RequirementClassify(Schema):
    category: RequirementCategory
    priority: Priority
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "category": "integration", "priority": "high", "on": "2025-03-04"}]})


class RequirementAnalyse(Schema):
    product_fit: ProductFit = Field(description="full: the product already does it (guidance); "
                                                "partial / none: development needed.")
    note: Note
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "product_fit": "partial", "note": "Export exists as Excel; the CSV layout is new."}]})


class RequirementHandOver(Schema):
    product_ref: Label | None = Field(default=None, description="The product team's ticket.")
    note: Note | None = None
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{"product_ref": "PROD-1432"}]})


class RequirementSchedule(Schema):
    target_date: IsoDate
    release: Label | None = None
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "target_date": "2025-05-20", "release": "2025.5"}]})


class RequirementDeliver(Schema):
    release: Label | None = None
    note: Note | None = None
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "release": "2025.5", "note": "CSV export live for all clinics."}]})


class RequirementReject(Schema):
    reason: Note
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "A pseudo-requirement: the accounting system imports the Excel export."}]})


class RequirementFeedback(Schema):
    feedback: Note = Field(description="What the customer was told.")
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "feedback": "Told the director at the weekly call; she will try it Monday."}]})
