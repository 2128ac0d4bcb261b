"""Helpers for domain tests: what a command wrote, and aggregate state to compare."""

from __future__ import annotations

import uuid
from typing import Any

from cs_domain.app import CustomerSuccess


def event_names(app: CustomerSuccess, item_id: uuid.UUID) -> list[str]:
    """Names of the stored events of one item, in order (e.g. ["Raised", "Closed"])."""
    return [type(e).__name__ for e in app.events.get(item_id)]


def events_after(app: CustomerSuccess, position: int) -> list[Any]:
    """Domain events recorded after a global position, in log order."""
    notes = app.recorder.select_notifications(position, 1000, inclusive_of_start=False)
    return [app.mapper.to_domain_event(n) for n in notes]


def public_state(aggregate: Any) -> dict[str, Any]:
    """The aggregate's own fields (no private library fields), plus id and version."""
    state = {k: v for k, v in aggregate.__dict__.items() if not k.startswith("_")}
    state["id"] = aggregate.id
    state["version"] = aggregate.version
    return state


def pending_names(aggregate: Any) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]
