"""Activities (活动, seed 001 §二.4): plan with a customer, prepare, launch, review (outcome
figures), improve, cancel. Each step's business date `on` defaults to today (UTC)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    Amount,
    IsoDate,
    Note,
    Schema,
    ShortText,
    WholeNumber,
)
from cs_domain.activity import ActivityKind


def step_on() -> Any:
    return Field(default=None, description="The step's business date; defaults to today (UTC). "
                                           "It may not precede the previous step's.")


class ActivityPlan(Schema):
    customer_id: UUID
    kind: ActivityKind = Field(description="influence (提高影响力类) or revenue (提高营收类).")
    title: ShortText
    goal: Note | None = None
    on: IsoDate | None = Field(default=None, description="The business date of planning; "
                                                         "defaults to today (UTC).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "kind": "revenue",
        "title": "Spring whitening week", "goal": "30 whitening packages sold through the shop",
        "on": "2025-03-03"}]})


class ActivityStep(Schema):
    note: Note | None = None
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Posters printed; points rules set up in the shop.", "on": "2025-03-10"}]})


class ActivityReview(Schema):
    participants: WholeNumber = Field(ge=0, le=10_000_000, description="Who took part.")
    revenue: Amount | None = Field(default=None, description="What the activity earned the "
                                                             "customer (with `currency`).")
    currency: str | None = Field(default=None, description="ISO 4217 code; with `revenue`.",
                                 max_length=3)
    note: Note = Field(description="The review (复盘): what worked, what did not.")
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "participants": 120, "revenue": "18600.00", "currency": "CNY",
        "note": "Sold 31 packages; the WeChat post brought most sign-ups.", "on": "2025-03-24"}]})


class ActivityImprove(Schema):
    improvement: Note = Field(description="What to do better next time (活动改进).")
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "improvement": "Start the WeChat post a week earlier.", "on": "2025-03-28"}]})


class ActivityCancel(Schema):
    reason: Note
    on: IsoDate | None = step_on()

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "The clinic is moving premises.", "on": "2025-03-05"}]})
