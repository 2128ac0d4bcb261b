"""The playbook definitions the automation acts on: active versions, usable parameters.

Read once per batch from the playbook-runs view (every row version), then resolved in
memory per log position, so the process manager knows which playbooks were active at each
event without a query per event.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select

from projections.view import Reader
from projections.views.playbook_runs import PLAYBOOKS


@dataclass(frozen=True)
class PlaybookDef:
    id: UUID
    key: str
    version: int
    trigger_kind: str
    trigger_params: dict[str, Any]
    actions: list[dict[str, Any]]
    active: bool

    @property
    def last_offset(self) -> int:
        return max((int(a["offset_days"]) for a in self.actions), default=0)

    def param(self, name: str, default: Any = None) -> Any:
        return self.trigger_params.get(name, default)

    def number(self, name: str, default: str) -> Decimal:
        return number(self.trigger_params, name, default)

    def days(self, name: str, default: str) -> int:
        return days(self.trigger_params, name, default)


# The numbers each trigger kind reads from its parameters (and their defaults).
NUMBER_PARAMS: dict[str, dict[str, str]] = {
    "usage_drop": {"drop_ratio": "0.30", "window_days": "14"},
    "usage_growth": {"weeks": "4", "growth_ratio": "0.20"},
    "inactivity": {"days": "30"},
    "renewal_window": {"days_before": "120"},
    "no_reply": {"days": "14"},
    "churn_risk": {"threshold": "0.7", "horizon_days": "30"},
}


def invalid_params(kind: str, params: dict[str, Any]) -> str | None:
    """Why these trigger parameters cannot be used (None when they can)."""
    for name, default in NUMBER_PARAMS.get(kind, {}).items():
        try:
            value = Decimal(str(params.get(name, default)))
        except ArithmeticError:
            return f"trigger_params.{name} is not a number: {params.get(name)!r}"
        if not value.is_finite() or value < 0:
            return f"trigger_params.{name} must be a number of at least 0"
    return None


def number(params: dict[str, Any], name: str, default: str) -> Decimal:
    """A numeric trigger parameter (validated by `invalid_params` before it is used)."""
    return Decimal(str(params.get(name, default)))


def days(params: dict[str, Any], name: str, default: str) -> int:
    return int(number(params, name, default))


@dataclass(frozen=True)
class _Version:
    valid_from: int
    valid_to: int | None
    key: str
    kind: str
    definition: PlaybookDef | None  # None: unusable, see `problem`
    problem: str | None

    def visible(self, at: int | None) -> bool:
        if at is None:
            return self.valid_to is None
        return self.valid_from <= at and (self.valid_to is None or self.valid_to > at)


class Catalog:
    """Every version of the active playbooks, read once, resolved in memory per position
    (the process manager asks "which playbooks were active at this event" per event).

    A definition whose trigger parameters cannot be used is left out and listed in
    `invalid` (key → reason): one bad playbook must not stop the others.
    """

    def __init__(self, r: Reader):
        t = r.table(PLAYBOOKS)
        self.invalid: dict[str, str] = {}
        self.versions: list[_Version] = []
        for row in r.conn.execute(select(t).where(t.c.active.is_(True))):
            params = dict(row.trigger_params or {})
            problem = invalid_params(row.trigger_kind, params)
            definition = None if problem else PlaybookDef(
                row.id, row.key, row.definition_version, row.trigger_kind, params,
                list(row.actions or []), row.active)
            self.versions.append(_Version(
                row.valid_from, row.valid_to, row.key, row.trigger_kind, definition,
                f"version {row.definition_version}: {problem}" if problem else None))

    def active(self, kind: str, at: int | None) -> list[PlaybookDef]:
        found = []
        for v in self.versions:
            if v.kind != kind or not v.visible(at):
                continue
            if v.definition is None:
                self.invalid[v.key] = v.problem or "unusable"
            else:
                found.append(v.definition)
        return sorted(found, key=lambda p: p.key)
