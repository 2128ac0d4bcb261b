"""Helpers that write realistic histories through the application's commands."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from cs_domain.app import CustomerSuccess

ACTOR = "tester"


def user(app: CustomerSuccess, name: str = "Chen Jing", role: str = "csm") -> UUID:
    result, _token = app.create_user(actor=ACTOR, name=name, role=role)
    return result.id


def customer(app: CustomerSuccess, owner: UUID, name: str = "Acme", tier: str = "growth",
             **profile: str) -> UUID:
    return app.register_customer(actor=ACTOR, name=name, tier=tier, owner_id=owner,
                                 **profile).id  # type: ignore[arg-type]


def contract(app: CustomerSuccess, customer_id: UUID, number: str, amount: str, currency: str,
             end: date, *, start: date | None = None, status: str = "active") -> UUID:
    """A contract taken to `status` (draft, signed or active)."""
    start = start or end - timedelta(days=364)
    cid = app.draft_contract(actor=ACTOR, customer_id=customer_id, number=number,
                             amount=Decimal(amount), currency=currency, start_date=start,
                             end_date=end).id
    if status in ("signed", "active"):
        app.sign_contract(actor=ACTOR, contract_id=cid, signed_on=start - timedelta(days=10))
    if status == "active":
        app.activate_contract(actor=ACTOR, contract_id=cid, activated_on=start)
    return cid


def renew(app: CustomerSuccess, contract_id: UUID, on: date, amount: str, new_end: date) -> UUID:
    result = app.renew_contract(actor=ACTOR, contract_id=contract_id, renewed_on=on,
                                amount=Decimal(amount), new_end_date=new_end)
    return result.extra["successor_id"]  # type: ignore[no-any-return]


def churn(app: CustomerSuccess, contract_id: UUID, on: date, reason: str) -> int:
    return app.churn_contract(actor=ACTOR, contract_id=contract_id, churned_on=on,
                              reason_category=reason).position
