"""Subscription (产品租期): one product term of a customer, a node flow (seed 000).

provisioned → active ⇄ suspended → expired. A suspended term resumes to active;
expired is final. Seats can change while the term is not expired. The optional
contract it belongs to is checked by the application (it must exist and be the
same customer's). Each step carries the business date it happened on, and those
dates never go backwards: a step cannot be dated before the step it follows.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, check_text
from cs_domain.errors import InvalidInput, Validator
from cs_domain.number_checks import (
    check_count,
    check_date,
    check_not_before,
    check_optional_text,
    check_period,
)

MAX_SEATS = 1_000_000


class SubscriptionStatus(StrEnum):
    PROVISIONED = "provisioned"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"


# Which status each step may start from.
ALLOWED_FROM: dict[str, set[str]] = {
    "activate": {SubscriptionStatus.PROVISIONED.value},
    "suspend": {SubscriptionStatus.ACTIVE.value},
    "resume": {SubscriptionStatus.SUSPENDED.value},
    "expire": {SubscriptionStatus.ACTIVE.value, SubscriptionStatus.SUSPENDED.value},
    "change the seats of": {SubscriptionStatus.PROVISIONED.value, SubscriptionStatus.ACTIVE.value,
                            SubscriptionStatus.SUSPENDED.value},
}


class Subscription(LedgerAggregate):
    KIND = "subscription"

    class Provisioned(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        contract_id: UUID | None
        product: str
        seats: int
        start_date: date
        end_date: date

    class Activated(LedgerAggregate.Event):
        actor: str
        activated_on: date

        def apply(self, s: Subscription) -> None:
            s.status = SubscriptionStatus.ACTIVE.value
            s.activated_on = self.activated_on
            s.last_step_on = self.activated_on

    class Suspended(LedgerAggregate.Event):
        actor: str
        suspended_on: date
        reason: str

        def apply(self, s: Subscription) -> None:
            s.status = SubscriptionStatus.SUSPENDED.value
            s.suspended_on = self.suspended_on
            s.last_step_on = self.suspended_on

    class Resumed(LedgerAggregate.Event):
        actor: str
        resumed_on: date

        def apply(self, s: Subscription) -> None:
            s.status = SubscriptionStatus.ACTIVE.value
            s.suspended_on = None
            s.last_step_on = self.resumed_on

    class Expired(LedgerAggregate.Event):
        actor: str
        expired_on: date

        def apply(self, s: Subscription) -> None:
            s.status = SubscriptionStatus.EXPIRED.value
            s.expired_on = self.expired_on
            s.last_step_on = self.expired_on

    class SeatsChanged(LedgerAggregate.Event):
        actor: str
        seats: int
        previous_seats: int
        effective_on: date
        note: str | None

        def apply(self, s: Subscription) -> None:
            s.seats = self.seats

    def __init__(self, actor: str, customer_id: UUID, contract_id: UUID | None, product: str,
                 seats: int, start_date: date, end_date: date):
        self.customer_id = customer_id
        self.contract_id = contract_id
        self.product = product
        self.seats = seats
        self.start_date = start_date
        self.end_date = end_date
        self.status: str = SubscriptionStatus.PROVISIONED.value
        self.activated_on: date | None = None
        self.suspended_on: date | None = None
        self.expired_on: date | None = None
        # The date of the latest status step: later steps may not be dated before it.
        self.last_step_on: date | None = None

    @classmethod
    def provision(
        cls, *, actor: str, customer_id: UUID, product: str, seats: int, start_date: date,
        end_date: date, contract_id: UUID | None = None, subscription_id: UUID | None = None,
    ) -> Subscription:
        v = Validator()
        check_text(v, product, "product")
        check_count(v, seats, "seats", minimum=1, maximum=MAX_SEATS)
        check_period(v, start_date, end_date, "start_date", "end_date")
        v.done()
        return cls._create(
            cls.Provisioned, id=subscription_id or uuid4(), actor=actor, customer_id=customer_id,
            contract_id=contract_id, product=product.strip(), seats=seats,
            start_date=start_date, end_date=end_date,
        )

    def _check_step(self, action: str, on: object, field: str) -> None:
        v = Validator()
        check_not_before(v, on, field, self.last_step_on, "the previous step")
        v.done()
        if self.status not in ALLOWED_FROM[action]:
            raise self.refuse(action, self.status)

    def activate(self, *, actor: str, activated_on: date) -> None:
        self._check_step("activate", activated_on, "activated_on")
        self.trigger_event(self.Activated, actor=actor, activated_on=activated_on)

    def suspend(self, *, actor: str, suspended_on: date, reason: str) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        v.done()
        self._check_step("suspend", suspended_on, "suspended_on")
        self.trigger_event(self.Suspended, actor=actor, suspended_on=suspended_on,
                           reason=reason.strip())

    def resume(self, *, actor: str, resumed_on: date) -> None:
        self._check_step("resume", resumed_on, "resumed_on")
        self.trigger_event(self.Resumed, actor=actor, resumed_on=resumed_on)

    def expire(self, *, actor: str, expired_on: date) -> None:
        self._check_step("expire", expired_on, "expired_on")
        self.trigger_event(self.Expired, actor=actor, expired_on=expired_on)

    def change_seats(self, *, actor: str, seats: int, effective_on: date,
                     note: str | None = None) -> None:
        v = Validator()
        check_count(v, seats, "seats", minimum=1, maximum=MAX_SEATS)
        check_date(v, effective_on, "effective_on")
        check_optional_text(v, note, "note")
        v.done()
        if self.status not in ALLOWED_FROM["change the seats of"]:
            raise self.refuse("change the seats of", self.status)
        if seats == self.seats:
            raise InvalidInput.one("seats", f"is already {seats}")
        self.trigger_event(self.SeatsChanged, actor=actor, seats=seats,
                           previous_seats=self.seats, effective_on=effective_on, note=note)
