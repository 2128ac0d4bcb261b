"""Read from the log itself for the boards: a customer's timeline, items' versions, names.

The timeline merges the steps of the customer and of its contracts, risks and tasks (decoded
as the audit trails decode them, `projections.log`), newest first, up to the page's
position: one query for the newest `TIMELINE_LIMIT`, one for the items' current versions
(what their forms send as `If-Match`) — a page costs the same however long the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from api.permissions import Action, scope_of
from cs_store.chain import parse_recorded_at
from projections.log import current_versions, newest_steps
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
    wanted = [UUID(str(item)) for item in list(ids)[:MAX_ITEMS]]
    return {str(k): v for k, v in current_versions(b.container.app, wanted).items()}


def customer_timeline(b: Board, customer: dict[str, Any]
                      ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The customer's own steps and those of its contracts, risks and open tasks, newest
    first (at most TIMELINE_LIMIT), each with `recorded_at`, `actor`, `type` and `item`;
    and the current version of each of those items (none on a past page)."""
    items = [("customer", customer["id"])]
    items += [("contract", c["id"]) for c in customer.get("contracts", [])]
    items += [("risk", r["id"]) for r in customer.get("risks", [])]
    items += [("task", t["id"]) for t in customer.get("open_tasks", [])]
    kinds = {UUID(str(item)): kind for kind, item in reversed(items[:MAX_ITEMS])}
    app = b.container.app
    steps = [{**step, "kind": kinds[step["originator_id"]], "item": str(step["originator_id"]),
              "recorded_at": parse_recorded_at(step["recorded_at"])}
             for step in newest_steps(app, kinds, TIMELINE_LIMIT, b.read.at)]
    current = {} if b.past else {str(k): v for k, v in current_versions(app, kinds).items()}
    return steps, current
