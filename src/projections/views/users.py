"""Users view: who is who (name, role, active), for the names shown in other views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Connection, String, Uuid, bindparam, select

from cs_domain.user import User
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

USERS = VersionedTable(
    "users", "users",
    keys=[("id", Uuid())],
    columns=[("name", String(200)), ("role", String(16)), ("active", Boolean())],
)


class UsersView(View):
    name = "users"
    tables = (USERS,)

    @on(User.Created)
    def created(self, tx: ViewTx, e: User.Created) -> None:
        tx[USERS].put(e.originator_id, {"name": e.name, "role": e.role, "active": True})

    @on(User.RoleChanged)
    def role_changed(self, tx: ViewTx, e: User.RoleChanged) -> None:
        tx[USERS].update(e.originator_id, role=e.role)

    @on(User.Deactivated)
    def deactivated(self, tx: ViewTx, e: User.Deactivated) -> None:
        tx[USERS].update(e.originator_id, active=False)


def _user(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "role": row.role, "active": row.active}


def names(r: Reader, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    """Display names of these users (unknown ids are left out)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = r.prepared("user_names", [USERS], lambda t: select(t.c.id, t.c.name).where(
        t.c.id.in_(bindparam("ids", expanding=True)), r.visible_bound(t)))
    return {row.id: row.name for row in r.run(stmt, {"ids": list(wanted)})}


def get_user(conn: Connection, user_id: UUID, at: int | None = None) -> dict[str, Any] | None:
    """One user as `{id, name, role, active, position}`, or None."""
    r = Reader(conn, at)
    t = r.table(USERS)
    row = conn.execute(select(t).where(t.c.id == user_id, r.visible(t))).first()
    return None if row is None else {**_user(row), "position": r.position}


def list_users(conn: Connection, at: int | None = None) -> dict[str, Any]:
    """Every user, by name: `{items: [{id, name, role, active}], position}`."""
    r = Reader(conn, at)
    t = r.table(USERS)
    rows = conn.execute(select(t).where(r.visible(t)).order_by(t.c.name, t.c.id))
    return {"items": [_user(row) for row in rows], "position": r.position}
