"""Contract (合同): draft → signed → active → renewed | churned | terminated.

Money is Decimal with an ISO currency. Renewing creates the successor contract
(saved atomically with this one by the application). A churn records a reason
category (seed 001). The contract number is unique across the store through
:class:`ContractNumber`, an index aggregate whose id derives from the number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from cs_domain.base import (
    LedgerAggregate,
    check_amount,
    check_enum,
    check_money,
    check_text,
    index_id,
)
from cs_domain.days import shift
from cs_domain.errors import Validator


class ContractStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    ACTIVE = "active"
    RENEWED = "renewed"
    CHURNED = "churned"
    TERMINATED = "terminated"


class Intent(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ChurnReason(StrEnum):
    COMPETITOR = "competitor"
    VALUE_NOT_REALISED = "value_not_realised"
    BUSINESS_CLOSED = "business_closed"
    PRICE = "price"
    SERVICE = "service"
    OTHER = "other"


LIVE = {ContractStatus.SIGNED.value, ContractStatus.ACTIVE.value}
CLOSED = {ContractStatus.RENEWED.value, ContractStatus.CHURNED.value,
          ContractStatus.TERMINATED.value}


def check_number(v: Validator, number: object) -> None:
    ok = isinstance(number, str) and 0 < len(number.strip()) <= 64
    v.check(ok, "number", "must be 1 to 64 characters")


class Contract(LedgerAggregate):
    KIND = "contract"

    class Drafted(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        number: str
        amount: Decimal
        currency: str
        start_date: date
        end_date: date
        predecessor_id: UUID | None

    class Signed(LedgerAggregate.Event):
        actor: str
        signed_on: date

        def apply(self, c: Contract) -> None:
            c.status = ContractStatus.SIGNED.value
            c.signed_on = self.signed_on

    class Activated(LedgerAggregate.Event):
        actor: str
        activated_on: date

        def apply(self, c: Contract) -> None:
            c.status = ContractStatus.ACTIVE.value
            c.activated_on = self.activated_on

    class RenewalIntentSet(LedgerAggregate.Event):
        actor: str
        intent: str
        expansion_potential: Decimal | None
        note: str | None

        def apply(self, c: Contract) -> None:
            c.renewal_intent = self.intent
            c.expansion_potential = self.expansion_potential

    class Renewed(LedgerAggregate.Event):
        actor: str
        renewed_on: date
        successor_id: UUID
        new_amount: Decimal
        new_end_date: date

        def apply(self, c: Contract) -> None:
            c.status = ContractStatus.RENEWED.value
            c.renewed_on = self.renewed_on
            c.successor_id = self.successor_id

    class Churned(LedgerAggregate.Event):
        actor: str
        churned_on: date
        reason_category: str
        note: str | None

        def apply(self, c: Contract) -> None:
            c.status = ContractStatus.CHURNED.value
            c.churned_on = self.churned_on
            c.churn_reason = self.reason_category

    class Terminated(LedgerAggregate.Event):
        actor: str
        terminated_on: date
        reason: str
        refund: Decimal | None  # the amount paid back to the customer, if any
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["refund"] = None  # v1 recorded no refund

        def apply(self, c: Contract) -> None:
            c.status = ContractStatus.TERMINATED.value
            c.terminated_on = self.terminated_on
            c.refund = self.refund

    def __init__(
        self, actor: str, customer_id: UUID, number: str, amount: Decimal, currency: str,
        start_date: date, end_date: date, predecessor_id: UUID | None,
    ):
        self.customer_id = customer_id
        self.number = number
        self.amount = amount
        self.currency = currency
        self.start_date = start_date
        self.end_date = end_date
        self.predecessor_id = predecessor_id
        self.status: str = ContractStatus.DRAFT.value
        self.signed_on: date | None = None
        self.activated_on: date | None = None
        self.renewal_intent: str | None = None
        self.expansion_potential: Decimal | None = None
        self.renewed_on: date | None = None
        self.successor_id: UUID | None = None
        self.churned_on: date | None = None
        self.churn_reason: str | None = None
        self.terminated_on: date | None = None
        self.refund: Decimal | None = None

    @classmethod
    def draft(
        cls, *, actor: str, customer_id: UUID, number: str, amount: Decimal, currency: str,
        start_date: date, end_date: date, predecessor_id: UUID | None = None,
        contract_id: UUID | None = None,
    ) -> Contract:
        v = Validator()
        check_number(v, number)
        check_money(v, amount, currency)
        v.check(end_date > start_date, "end_date", "must be after start_date")
        v.done()
        return cls._create(
            cls.Drafted, id=contract_id or uuid4(), actor=actor, customer_id=customer_id,
            number=number.strip(), amount=amount, currency=currency, start_date=start_date,
            end_date=end_date, predecessor_id=predecessor_id,
        )

    def sign(self, *, actor: str, signed_on: date) -> None:
        if self.status != ContractStatus.DRAFT:
            raise self.refuse("sign", self.status)
        self.trigger_event(self.Signed, actor=actor, signed_on=signed_on)

    def activate(self, *, actor: str, activated_on: date) -> None:
        if self.status != ContractStatus.SIGNED:
            raise self.refuse("activate", self.status)
        self.trigger_event(self.Activated, actor=actor, activated_on=activated_on)

    def set_renewal_intent(
        self, *, actor: str, intent: str, expansion_potential: Decimal | None = None,
        note: str | None = None,
    ) -> None:
        v = Validator()
        check_enum(v, Intent, intent, "intent")
        if expansion_potential is not None:
            check_amount(v, expansion_potential, self.currency, "expansion_potential",
                         minimum=Decimal(0))
        if note is not None:
            check_text(v, note, "note", max_len=5000)
        v.done()
        if self.status not in LIVE:
            raise self.refuse("set the renewal intent of", self.status)
        self.trigger_event(
            self.RenewalIntentSet, actor=actor, intent=intent,
            expansion_potential=expansion_potential, note=note,
        )

    def renew(
        self, *, actor: str, renewed_on: date, amount: Decimal, new_end_date: date,
        successor_number: str | None = None,
    ) -> Contract:
        """Closes this contract as renewed and returns the signed successor (unsaved)."""
        v = Validator()
        check_money(v, amount, self.currency)
        v.check(new_end_date > self.end_date, "new_end_date", "must be after the current end_date")
        if successor_number is not None:
            check_number(v, successor_number)
        v.done()
        if self.status != ContractStatus.ACTIVE:
            raise self.refuse("renew", self.status)
        successor = Contract.draft(
            actor=actor, customer_id=self.customer_id,
            number=successor_number or self.next_number(), amount=amount,
            currency=self.currency, start_date=shift(self.end_date, 1),
            end_date=new_end_date, predecessor_id=self.id,
            # Derived, not random: a contract is renewed at most once, and replays,
            # demo data and retries then agree on the successor's id.
            contract_id=index_id("successor", str(self.id)),
        )
        successor.sign(actor=actor, signed_on=renewed_on)
        self.trigger_event(
            self.Renewed, actor=actor, renewed_on=renewed_on, successor_id=successor.id,
            new_amount=amount, new_end_date=new_end_date,
        )
        return successor

    def next_number(self) -> str:
        root, sep, gen = self.number.rpartition("-R")
        if sep and gen.isdigit():
            return f"{root}-R{int(gen) + 1}"
        return f"{self.number}-R1"

    def churn(self, *, actor: str, churned_on: date, reason_category: str,
              note: str | None = None) -> None:
        v = Validator()
        check_enum(v, ChurnReason, reason_category, "reason_category")
        if note is not None:
            check_text(v, note, "note", max_len=5000)
        v.done()
        if self.status not in LIVE:
            raise self.refuse("churn", self.status)
        self.trigger_event(
            self.Churned, actor=actor, churned_on=churned_on, reason_category=reason_category,
            note=note,
        )

    def terminate(self, *, actor: str, terminated_on: date, reason: str,
                  refund: Decimal | None = None) -> None:
        """Ends the contract; `refund` (optional) is the amount paid back, in the contract's
        currency: more than 0 and at most the contract's amount."""
        v = Validator()
        check_text(v, reason, "reason", max_len=5000)
        if refund is not None:
            check_amount(v, refund, self.currency, "refund")
            v.check(not isinstance(refund, Decimal) or not refund.is_finite()
                    or refund <= self.amount, "refund", "must be at most the contract's amount")
        v.done()
        if self.status in CLOSED:
            raise self.refuse("terminate", self.status)
        self.trigger_event(self.Terminated, actor=actor, terminated_on=terminated_on, reason=reason,
                           refund=refund)


class ContractNumber(LedgerAggregate):
    """Uniqueness index: one per contract number, saved atomically with the contract."""

    KIND = "contract number"

    class Claimed(LedgerAggregate.Created):
        actor: str
        number: str
        contract_id: UUID

    def __init__(self, actor: str, number: str, contract_id: UUID):
        self.number = number
        self.contract_id = contract_id

    @staticmethod
    def id_for(number: str) -> UUID:
        return index_id("contract-number", number.strip().casefold())

    @classmethod
    def claim(cls, *, actor: str, number: str, contract_id: UUID) -> ContractNumber:
        return cls._create(
            cls.Claimed, id=cls.id_for(number), actor=actor, number=number.strip(),
            contract_id=contract_id,
        )
