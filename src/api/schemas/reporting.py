"""Exchange rates to the reporting currency and annual renewal targets: bodies and reads."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, with_config

from api.schemas.common import IsoDate, Number, Schema
from api.schemas.views.common import EXAMPLE_OWNER_ID, Position
from projections.views import reporting
from projections.views.reporting import FxRate


class FxRateRecord(Schema):
    currency: str = Field(max_length=3, description="ISO 4217 code of a currency in use.",
                          examples=["USD"])
    rate: Number = Field(description="Units of the reporting currency one unit of `currency` "
                                     "is worth; > 0, at most 10 digits before the point and "
                                     "10 after.")
    valid_from: IsoDate = Field(description="The business date from which the rate applies "
                                            "(1900-01-01 … 2199-12-31).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "currency": "USD", "rate": "0.9215", "valid_from": "2025-01-01"}]})


class FxRateList(BaseModel):
    reporting_currency: str | None = Field(description="The configured reporting currency.")
    items: list[FxRate] = Field(description="By reporting currency, currency, valid_from.")
    position: Position

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reporting_currency": "EUR", "position": 2210, "items": [{
            "reporting_currency": "EUR", "currency": "USD", "rate": "0.9215",
            "valid_from": "2025-01-01", "recorded_by": EXAMPLE_OWNER_ID,
            "recorded_position": 2209}]}]})


class RenewalTargetSet(Schema):
    renewal_rate: Number = Field(description="The renewal rate target (续约率), 0..1, ≤ 4 places.")
    revenue_renewal_rate: Number | None = Field(
        default=None, description="The revenue renewal rate target (续费率), 0..1, ≤ 4 places.")
    owner_id: UUID | None = Field(default=None, description="Who answers for it (an active "
                                                            "admin, manager or CSM).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "renewal_rate": "0.90", "revenue_renewal_rate": "1.00", "owner_id": EXAMPLE_OWNER_ID}]})


@with_config(ConfigDict(json_schema_extra={"examples": [{
    "year": 2025, "renewal_rate": 0.9, "revenue_renewal_rate": 1.0,
    "owner_id": EXAMPLE_OWNER_ID, "owner_name": "Li Wei", "set_by": EXAMPLE_OWNER_ID,
    "set_position": 2300, "position": 2310}]}))
class RenewalTargetRead(reporting.TargetOne):
    pass
