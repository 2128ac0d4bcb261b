"""Helpers for the subscription/project/plan/touchpoint/usage tests (not fixtures:
tests/domain is shared, so each test module declares the fixtures it needs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.app import CustomerSuccess
from cs_domain.base import LedgerAggregate


def new_customer(app: CustomerSuccess, owner_id: UUID, name: str = "Acme Dental") -> UUID:
    return app.register_customer(actor=str(owner_id), name=name, tier="growth",
                                 owner_id=owner_id).id


def new_contract(app: CustomerSuccess, customer_id: UUID, number: str = "C-1",
                 start: date = date(2025, 1, 1), end: date = date(2025, 12, 31)) -> UUID:
    return app.draft_contract(actor="test", customer_id=customer_id, number=number,
                              amount=Decimal("12000.00"), currency="CNY", start_date=start,
                              end_date=end).id


def stored_events(app: CustomerSuccess, item_id: UUID) -> list[Any]:
    return list(app.repository.event_store.get(item_id))


def event_names(app: CustomerSuccess, item_id: UUID) -> list[str]:
    return [type(e).__name__ for e in stored_events(app, item_id)]


def last_event(app: CustomerSuccess, item_id: UUID) -> Any:
    return stored_events(app, item_id)[-1]


def replay(events: list[Any]) -> Any:
    """Rebuilds an aggregate from its events, as the repository does."""
    item: Any = None
    for event in events:
        item = event.mutate(item)
    return item


def state(item: LedgerAggregate) -> dict[str, Any]:
    """Comparable state of an aggregate (without the library's bookkeeping)."""
    return {k: v for k, v in item.__dict__.items() if not k.startswith("_")}

