"""Touchpoint: one recorded contact with a customer (check-in, call, visit, training, QBR,
weekly report).

Onsite visits are the 出差上门 of seed 003. A training can get its follow-up
(培训回访, seed 001) recorded later, once, on or after the training day. A weekly
report (seed 003: the CSM's weekly follow-up of a customer) names the week it
covers by its Monday (``week_start``) and is dated on or after that Monday;
other kinds carry no week. A touchpoint is a record of what happened, so it has
no status flow; the next steps agreed are part of it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_enum, check_text
from cs_domain.days import shift
from cs_domain.errors import Validator
from cs_domain.number_checks import check_date, check_not_before, check_texts


class TouchpointKind(StrEnum):
    CHECK_IN = "check_in"
    CALL = "call"
    ONSITE_VISIT = "onsite_visit"
    TRAINING = "training"
    QBR = "qbr"
    WEEKLY_REPORT = "weekly_report"


class Touchpoint(LedgerAggregate):
    KIND = "touchpoint"

    class Recorded(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        kind: str
        occurred_on: date
        participants: list[str]
        summary: str
        next_steps: list[str]
        week_start: date | None

    class FollowUpRecorded(LedgerAggregate.Event):
        """The training follow-up (培训回访): how the trained users are doing."""

        actor: str
        follow_up_on: date
        outcome: str

        def apply(self, t: Touchpoint) -> None:
            t.follow_up_on = self.follow_up_on
            t.follow_up_outcome = self.outcome

    def __init__(self, actor: str, customer_id: UUID, kind: str, occurred_on: date,
                 participants: list[str], summary: str, next_steps: list[str],
                 week_start: date | None):
        self.customer_id = customer_id
        self.kind = kind
        self.occurred_on = occurred_on
        self.participants = list(participants)
        self.summary = summary
        self.next_steps = list(next_steps)
        self.week_start = week_start
        self.recorded_by = actor
        self.follow_up_on: date | None = None
        self.follow_up_outcome: str | None = None

    @property
    def week_end(self) -> date | None:
        return None if self.week_start is None else shift(self.week_start, 6)

    @classmethod
    def record(
        cls, *, actor: str, customer_id: UUID, kind: str, occurred_on: date, summary: str,
        participants: list[str] | None = None, next_steps: list[str] | None = None,
        week_start: date | None = None, touchpoint_id: UUID | None = None,
    ) -> Touchpoint:
        participants = list(participants or [])
        next_steps = list(next_steps or [])
        v = Validator()
        check_enum(v, TouchpointKind, kind, "kind")
        date_ok = check_date(v, occurred_on, "occurred_on")
        check_text(v, summary, "summary", max_len=10_000)
        check_texts(v, participants, "participants", max_len=200)
        check_texts(v, next_steps, "next_steps", max_len=1000)
        if kind == TouchpointKind.WEEKLY_REPORT:
            if week_start is None:
                v.check(False, "week_start", "is required for a weekly_report")
            elif check_date(v, week_start, "week_start"):
                v.check(week_start.weekday() == 0, "week_start", "must be a Monday")
                if date_ok:
                    v.check(occurred_on >= week_start, "occurred_on",
                            "must not be before the week_start it reports on")
        else:
            v.check(week_start is None, "week_start", "is only given for a weekly_report")
        v.done()
        return cls._create(
            cls.Recorded, id=touchpoint_id or uuid4(), actor=actor, customer_id=customer_id,
            kind=kind, occurred_on=occurred_on, participants=[p.strip() for p in participants],
            summary=summary.strip(), next_steps=[s.strip() for s in next_steps],
            week_start=week_start,
        )

    def record_follow_up(self, *, actor: str, follow_up_on: date, outcome: str) -> None:
        v = Validator()
        check_not_before(v, follow_up_on, "follow_up_on", self.occurred_on, "the training day")
        check_text(v, outcome, "outcome", max_len=10_000)
        v.done()
        if self.kind != TouchpointKind.TRAINING:
            raise self.refuse("record a follow-up of", f"a {self.kind}, not a training")
        if self.follow_up_on is not None:
            raise self.refuse("record a follow-up of", "followed up already")
        self.trigger_event(self.FollowUpRecorded, actor=actor, follow_up_on=follow_up_on,
                           outcome=outcome.strip())
