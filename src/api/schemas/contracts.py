"""Contracts: draft, sign, activate, renewal intent, renew, churn, terminate."""

from __future__ import annotations

from uuid import UUID

from pydantic import ConfigDict, Field

from api.schemas.common import (
    EXAMPLE_CUSTOMER_ID,
    EXAMPLE_ID,
    Amount,
    IsoDate,
    Note,
    Schema,
    ShortText,
    WriteResult,
)
from cs_domain.contract import ChurnReason, Intent


class ContractCreate(Schema):
    customer_id: UUID
    number: str = Field(max_length=64, description="Unique across all contracts.")
    amount: Amount
    currency: str = Field(description="ISO 4217 code.", examples=["EUR"],
                          # checked by the domain, with the other fields of the contract
                          json_schema_extra={"pattern": "^[A-Z]{3}$", "maxLength": 3})
    start_date: IsoDate
    end_date: IsoDate

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "customer_id": EXAMPLE_CUSTOMER_ID, "number": "C-2025-0042", "amount": "12000.00",
        "currency": "EUR", "start_date": "2025-01-01", "end_date": "2025-12-31"}]})


class ContractSign(Schema):
    signed_on: IsoDate

    model_config = ConfigDict(json_schema_extra={"examples": [{"signed_on": "2024-12-20"}]})


class ContractActivate(Schema):
    activated_on: IsoDate

    model_config = ConfigDict(json_schema_extra={"examples": [{"activated_on": "2025-01-01"}]})


class RenewalIntentSet(Schema):
    intent: Intent
    expansion_potential: Amount | None = Field(
        default=None, description="Possible extra yearly amount, same currency as the contract.")
    note: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "intent": "high", "expansion_potential": "3000.00",
        "note": "wants the analytics module for two more clinics"}]})


class ContractRenew(Schema):
    renewed_on: IsoDate
    amount: Amount = Field(description="The successor's amount (the currency stays).")
    new_end_date: IsoDate
    successor_number: ShortText | None = Field(
        default=None, description="Defaults to the number with an -R<n> suffix.")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "renewed_on": "2025-11-15", "amount": "13500.00", "new_end_date": "2026-12-31"}]})


class ContractRenewed(WriteResult):
    successor_id: UUID = Field(description="The successor contract (signed, starting the day "
                                           "after this one ends).")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": EXAMPLE_ID, "version": 5, "position": 1107,
        "successor_id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"}]})


class ContractChurn(Schema):
    churned_on: IsoDate
    reason_category: ChurnReason
    note: Note | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "churned_on": "2025-12-31", "reason_category": "competitor",
        "note": "moved to a cheaper local vendor"}]})


class ContractTerminate(Schema):
    terminated_on: IsoDate
    reason: Note
    refund: Amount | None = Field(
        default=None, description="The amount paid back to the customer (contract currency, "
        "> 0 and at most the contract's amount); a terminated contract with a refund puts a "
        "customer without another live term on the lifecycle board's `refunded` phase.")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"terminated_on": "2025-03-01", "reason": "signed in error: duplicate of C-2025-0041"},
        {"terminated_on": "2025-02-15", "reason": "cancelled in the trial month",
         "refund": "12000.00"}]})
