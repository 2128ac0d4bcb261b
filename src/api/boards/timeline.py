"""Read from the log itself for the boards: a customer's timeline, items' versions, names.

The timeline merges the steps of the customer and of its contracts, risks and tasks (the
same `trail_of` the audit trails read), newest first, up to the page's position. The
version of an item is the one its forms send as `If-Match`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from api.permissions import Action, scope_of
from cs_store.chain import parse_recorded_at
from projections.log import trail_of
from projections.view import Reader
from projections.views import users

if TYPE_CHECKING:
    from api.boards.web import Board

TIMELINE_LIMIT = 60
MAX_ITEMS = 80


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def actor_names(b: Board, actors: Iterable[Any]) -> dict[str, str]:
    """Display names of the actors (user ids) by their text; others keep their text."""
    ids = {u for u in (_uuid(a) for a in actors if a) if u is not None}
    if not ids:
        return {}
    found = b.read.side.query(lambda conn: users.names(Reader(conn, b.read.at), ids))
    return {str(k): v for k, v in found.items()}


def versions(b: Board, ids: Iterable[Any], action: Action) -> dict[str, int]:
    """The current version of each item (for If-Match); none on a past page or for a role
    that may not do `action` at all (no forms to fill)."""
    if b.past or scope_of(b.principal.role, action) is None:
        return {}
    out: dict[str, int] = {}
    for item in list(ids)[:MAX_ITEMS]:
        steps = trail_of(b.container.app, UUID(str(item)))
        if steps:
            out[str(item)] = steps[-1]["version"]
    return out


def customer_timeline(b: Board, customer: dict[str, Any]
                      ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The customer's own steps and those of its contracts, risks and open tasks, newest
    first (at most TIMELINE_LIMIT), each with `recorded_at`, `actor`, `type` and `item`;
    and the current version of each of those items (none on a past page)."""
    items = [("customer", customer["id"])]
    items += [("contract", c["id"]) for c in customer.get("contracts", [])]
    items += [("risk", r["id"]) for r in customer.get("risks", [])]
    items += [("task", t["id"]) for t in customer.get("open_tasks", [])]
    steps: list[dict[str, Any]] = []
    current: dict[str, int] = {}
    for kind, item in items[:MAX_ITEMS]:
        trail = trail_of(b.container.app, UUID(str(item)))
        if trail and not b.past:
            current[str(item)] = trail[-1]["version"]
        steps += [{**step, "kind": kind, "item": str(item),
                   "recorded_at": parse_recorded_at(step["recorded_at"])}
                  for step in trail if b.read.at is None or step["position"] <= b.read.at]
    steps.sort(key=lambda s: s["position"], reverse=True)
    return steps[:TIMELINE_LIMIT], current
