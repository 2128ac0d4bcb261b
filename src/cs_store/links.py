"""Single chain links by position, for evidence and reports (both stores).

`link_at(recorder, p)` → `(position, recorded_at, hash)` of the link at p, and
`link_before(recorder, p)` → the link just before p (positions may skip on PostgreSQL,
so "before" is the largest position below p); None when there is none.
"""

from __future__ import annotations

from typing import Any

Link = tuple[int, str, str]


def _one(recorder: Any, where: str, position: int) -> Link | None:
    if hasattr(recorder, "_sql"):  # PostgreSQL
        sql = recorder._sql("SELECT position, recorded_at, hash FROM {schema}.{chain} "
                            f"WHERE {where} %s ORDER BY position DESC LIMIT 1")
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(sql, (position,))
            row = curs.fetchone()
            return None if row is None else (row["position"], row["recorded_at"], row["hash"])
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT position, recorded_at, hash FROM {recorder.chain_table} "
                  f"WHERE {where} ? ORDER BY position DESC LIMIT 1", (position,))
        found = c.fetchone()
        return None if found is None else (found[0], found[1], found[2])


def link_at(recorder: Any, position: int) -> Link | None:
    """The link at `position` exactly."""
    link = _one(recorder, "position <=", position)
    return link if link is not None and link[0] == position else None


def link_before(recorder: Any, position: int) -> Link | None:
    return _one(recorder, "position <", position)


def head_link(recorder: Any, upto: int) -> Link | None:
    """The last link at or before `upto`."""
    return _one(recorder, "position <=", upto)
