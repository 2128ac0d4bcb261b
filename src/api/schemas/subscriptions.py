"""Subscriptions (产品租期): provision, activate, suspend, resume, expire, change seats.
Step dates default to today (UTC) and may not precede the previous step's."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    EXAMPLE_ID,
    IsoDate,
    Note,
    Schema,
    ShortText,
    WholeNumber,
    range_of,
)
from cs_domain.subscription import MAX_SEATS

TODAY = "Defaults to today (UTC)."


class SubscriptionProvision(Schema):
    customer_id: UUID
    product: ShortText
    seats: WholeNumber = Field(json_schema_extra=range_of(1, MAX_SEATS))
    start_date: IsoDate
    end_date: IsoDate
    contract_id: UUID | None = Field(default=None, description="The contract it belongs to "
                                                               "(same customer).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "product": "Booking Pro", "seats": 25,
        "start_date": "2025-01-01", "end_date": "2025-12-31", "contract_id": EXAMPLE_ID}]})


class SubscriptionActivate(Schema):
    activated_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"activated_on": "2025-01-02"}]})


class SubscriptionSuspend(Schema):
    reason: Note
    suspended_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Invoice overdue by 60 days.", "suspended_on": "2025-06-01"}]})


class SubscriptionResume(Schema):
    resumed_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"resumed_on": "2025-06-10"}]})


class SubscriptionExpire(Schema):
    expired_on: IsoDate | None = Field(default=None, description=TODAY)

    model_config = ConfigDict(json_schema_extra={"examples": [{"expired_on": "2025-12-31"}]})


class SeatsChange(Schema):
    seats: WholeNumber = Field(json_schema_extra=range_of(1, MAX_SEATS))
    effective_on: IsoDate | None = Field(default=None, description=TODAY)
    note: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "seats": 30, "effective_on": "2025-04-01", "note": "Second clinic opened."}]})
