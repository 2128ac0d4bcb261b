"""SQL conditions built from the domain's rule definitions (cs_domain.deadlines), so a view
filtering in SQL and a view checking in Python cannot disagree (tests/domain/test_rule_sql.py
checks each condition against its Python predicate on generated rows)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import and_, true

from cs_domain import deadlines


def overdue_condition(table: Any, today: date, open_statuses: Collection[str] | None = None,
                      *, status: str = "status", due: str = "due_date") -> Any:
    """`deadlines.is_overdue` in SQL: open (status in `open_statuses`; every row when None)
    and due on or before `deadlines.overdue_cutoff(today)`."""
    is_open = true() if open_statuses is None else table.c[status].in_(tuple(open_statuses))
    return and_(is_open, table.c[due] <= deadlines.overdue_cutoff(today))


def renewal_due_condition(table: Any, from_: date, to: date) -> Any:
    """`deadlines.is_renewal_due` in SQL."""
    return and_(table.c.status.not_in(deadlines.NOT_DUE), table.c.end_date >= from_,
                table.c.end_date <= to)
