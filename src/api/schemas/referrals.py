"""Referrals (转介绍, seed 001 §二.7): introduce (from a referring customer, with the incentive
policy applied), contact, propose, win, lose. Business dates default to today (UTC)."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import EXAMPLE_CUSTOMER_ID, Amount, IsoDate, Note, Schema, ShortText

STEP_ON = "The step's business date; defaults to today (UTC). It may not precede the previous " \
          "step's."
Currency = Field(default=None, max_length=3, description="ISO 4217 code, with the amount.")


class ReferralIntroduce(Schema):
    customer_id: UUID = Field(description="The referring customer: the referral is credited to "
                                          "it and to its owner CSM.")
    prospect_name: ShortText = Field(description="The referred prospect.")
    prospect_contact: ShortText | None = None
    note: Note | None = None
    incentive_policy: ShortText = Field(description="The incentive policy applied (激励政策).")
    incentive_amount: Amount | None = Field(default=None, description="The incentive as money "
                                                                      "(with its currency).")
    incentive_currency: str | None = Currency
    incentive_text: str | None = Field(default=None, max_length=500, description=(
        "The incentive in words (e.g. two free training days); not with an amount."))
    on: IsoDate | None = Field(default=None, description="The introduction date; defaults to "
                                                         "today (UTC).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "prospect_name": "Bright Smile Clinic",
        "prospect_contact": "Dr. Li, +86 138 0000 0000", "incentive_policy": "2025 referral bonus",
        "incentive_amount": "2000.00", "incentive_currency": "CNY", "on": "2025-05-06"}]})


class ReferralStep(Schema):
    note: Note | None = None
    on: IsoDate | None = Field(default=None, description=STEP_ON)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "note": "Demo booked for next Tuesday.", "on": "2025-05-08"}]})


class ReferralWin(Schema):
    deal_amount: Amount | None = Field(default=None, description="The deal's amount (with "
                                                                 "its currency).")
    currency: str | None = Currency
    note: Note | None = None
    on: IsoDate | None = Field(default=None, description=STEP_ON)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "deal_amount": "36000.00", "currency": "CNY", "on": "2025-06-20"}]})


class ReferralLose(Schema):
    reason: Note
    on: IsoDate | None = Field(default=None, description=STEP_ON)

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "Chose a cheaper local system.", "on": "2025-06-20"}]})
