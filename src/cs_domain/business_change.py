"""Business change (经营变化, seed 001 §二.8: a churn warning line): a change in the
customer's own business reported by anyone who hears of it — a merger, a closure, a budget
cut, a change of leadership. A report is a fact, dated by the day the change occurred; it
is shown on the customer 360 and starts the `business_change` playbooks (the warning
line's response)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.errors import Validator
from cs_domain.number_checks import check_date

NOTE_MAX = 2000
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


class BusinessChangeKind(StrEnum):
    MERGER = "merger"
    CLOSURE = "closure"
    BUDGET_CUT = "budget_cut"
    LEADERSHIP_CHANGE = "leadership_change"
    OTHER = "other"


class BusinessChange(LedgerAggregate):
    KIND = "business_change"

    class Reported(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        kind: str
        occurred_on: date
        note: str | None

    def __init__(self, actor: str, customer_id: UUID, kind: str, occurred_on: date,
                 note: str | None):
        self.customer_id = customer_id
        self.kind = kind
        self.occurred_on = occurred_on
        self.note = note
        self.reported_by = actor

    @classmethod
    def report(cls, *, actor: str, customer_id: UUID, kind: Any, occurred_on: Any,
               note: Any = None, change_id: UUID | None = None) -> BusinessChange:
        v = Validator()
        check_enum(v, BusinessChangeKind, kind, "kind")
        if check_date(v, occurred_on, "occurred_on"):
            v.check(FIRST_DAY <= occurred_on <= LAST_DAY, "occurred_on",
                    "must be within 1900-01-01 … 2199-12-31")
        if note is not None:
            check_text(v, note, "note", max_len=NOTE_MAX)
        v.done()
        return cls._create(cls.Reported, id=change_id or uuid4(), actor=actor,
                           customer_id=customer_id, kind=kind, occurred_on=occurred_on,
                           note=None if note is None else note.strip())
