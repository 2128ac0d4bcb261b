"""Reference checks shared by the delivery commands (subscriptions, projects)."""

from __future__ import annotations

from uuid import UUID

from cs_domain.application import LedgerApplication
from cs_domain.contract import Contract
from cs_domain.errors import InvalidInput, NotFound


def require_contract(app: LedgerApplication, contract_id: UUID, *,
                     customer_id: UUID | None = None, field: str = "contract_id") -> Contract:
    """A referenced contract must exist (and belong to `customer_id` when given)."""
    try:
        contract = app.load(Contract, contract_id)
    except NotFound:
        raise InvalidInput.one(field, f"contract {contract_id} does not exist") from None
    if customer_id is not None and contract.customer_id != customer_id:
        raise InvalidInput.one(field, f"contract {contract_id} belongs to another customer")
    return contract
