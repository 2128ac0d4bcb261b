"""Referral (转介绍, seed 001 §二.7): a prospect introduced by a referring customer, under the
company's incentive policy, followed from introduction to the deal.

introduced → contacted → proposal → won; lost (reason) from any open step. Any other step
raises TransitionNotAllowed; each step's business date `on` may not precede the previous
step's. The referral is credited to the referring customer and to the CSM who owned it at
the introduction (`credited_owner_id`), who keeps the credit if the customer is reassigned.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from cs_domain.base import CURRENCY_RE, LedgerAggregate, SteppedAggregate, check_amount, check_text
from cs_domain.errors import Validator
from cs_domain.number_checks import check_optional_text

NAME_MAX = 200
POLICY_MAX = 200
INCENTIVE_TEXT_MAX = 500
NOTE_MAX = 5000


class ReferralStatus(StrEnum):
    INTRODUCED = "introduced"
    CONTACTED = "contacted"
    PROPOSAL = "proposal"
    WON = "won"
    LOST = "lost"


R = ReferralStatus
OPEN = frozenset({R.INTRODUCED, R.CONTACTED, R.PROPOSAL})
STEPS: dict[str, frozenset[str]] = {
    "contact": frozenset({R.INTRODUCED}),
    "propose": frozenset({R.CONTACTED}),
    "win": frozenset({R.PROPOSAL}),
    "lose": OPEN,
}


def _check_money(v: Validator, amount: Decimal | None, currency: str | None,
                 field: str, currency_field: str) -> None:
    """An optional amount > 0 that comes with its ISO currency (never one without the other)."""
    if amount is None and currency is None:
        return
    v.check(isinstance(currency, str) and bool(CURRENCY_RE.match(currency)), currency_field,
            f"must be an ISO 4217 code such as EUR or USD (with {field})")
    v.check(amount is not None, field, f"must be given with {currency_field}")
    if amount is not None:
        check_amount(v, amount, currency, field)


class Referral(SteppedAggregate):
    KIND = "referral"

    class Introduced(LedgerAggregate.Created):
        actor: str
        customer_id: UUID
        credited_owner_id: UUID
        prospect_name: str
        prospect_contact: str | None
        note: str | None
        incentive_policy: str
        incentive_amount: Decimal | None
        incentive_currency: str | None
        incentive_text: str | None
        on: date

    class Contacted(LedgerAggregate.Event):
        actor: str
        note: str | None
        on: date

        def apply(self, r: Referral) -> None:
            r.step_to(R.CONTACTED, self.on)

    class Proposed(LedgerAggregate.Event):
        actor: str
        note: str | None
        on: date

        def apply(self, r: Referral) -> None:
            r.step_to(R.PROPOSAL, self.on)

    class Won(LedgerAggregate.Event):
        actor: str
        deal_amount: Decimal | None
        currency: str | None
        note: str | None
        on: date

        def apply(self, r: Referral) -> None:
            r.deal_amount = self.deal_amount
            r.deal_currency = self.currency
            r.step_to(R.WON, self.on)

    class Lost(LedgerAggregate.Event):
        actor: str
        reason: str
        on: date

        def apply(self, r: Referral) -> None:
            r.lost_reason = self.reason
            r.step_to(R.LOST, self.on)

    def __init__(self, actor: str, customer_id: UUID, credited_owner_id: UUID,
                 prospect_name: str, prospect_contact: str | None, note: str | None,
                 incentive_policy: str, incentive_amount: Decimal | None,
                 incentive_currency: str | None, incentive_text: str | None, on: date):
        self.customer_id = customer_id
        self.credited_owner_id = credited_owner_id
        self.prospect_name = prospect_name
        self.prospect_contact = prospect_contact
        self.note = note
        self.incentive_policy = incentive_policy
        self.incentive_amount = incentive_amount
        self.incentive_currency = incentive_currency
        self.incentive_text = incentive_text
        self.introduced_by = actor
        self.status: str = R.INTRODUCED.value
        self.last_step_on = on
        self.step_dates: dict[str, date] = {R.INTRODUCED.value: on}
        self.deal_amount: Decimal | None = None
        self.deal_currency: str | None = None
        self.lost_reason: str | None = None

    # --- commands --------------------------------------------------------------
    @classmethod
    def introduce(
        cls, *, actor: str, customer_id: UUID, credited_owner_id: UUID, prospect_name: str,
        incentive_policy: str, on: date, prospect_contact: str | None = None,
        note: str | None = None, incentive_amount: Decimal | None = None,
        incentive_currency: str | None = None, incentive_text: str | None = None,
        referral_id: UUID | None = None,
    ) -> Referral:
        v = Validator()
        check_text(v, prospect_name, "prospect_name", max_len=NAME_MAX)
        check_optional_text(v, prospect_contact, "prospect_contact", max_len=NAME_MAX)
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        check_text(v, incentive_policy, "incentive_policy", max_len=POLICY_MAX)
        check_optional_text(v, incentive_text, "incentive_text", max_len=INCENTIVE_TEXT_MAX)
        _check_money(v, incentive_amount, incentive_currency, "incentive_amount",
                     "incentive_currency")
        v.check(incentive_text is None or incentive_amount is None, "incentive_text",
                "give incentive_amount or incentive_text, not both")
        v.done()
        return cls._create(
            cls.Introduced, id=referral_id or uuid4(), actor=actor, customer_id=customer_id,
            credited_owner_id=credited_owner_id, prospect_name=prospect_name.strip(),
            prospect_contact=prospect_contact, note=note,
            incentive_policy=incentive_policy.strip(), incentive_amount=incentive_amount,
            incentive_currency=incentive_currency, incentive_text=incentive_text, on=on)

    def _step(self, v: Validator, action: str, on: date) -> None:
        v.check(on >= self.last_step_on, "on",
                f"must not be before the previous step ({self.last_step_on.isoformat()})")
        v.done()
        if self.status not in STEPS[action]:
            raise self.refuse(action, self.status)

    def contact(self, *, actor: str, on: date, note: str | None = None) -> None:
        v = Validator()
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        self._step(v, "contact", on)
        self.trigger_event(self.Contacted, actor=actor, note=note, on=on)

    def propose(self, *, actor: str, on: date, note: str | None = None) -> None:
        v = Validator()
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        self._step(v, "propose", on)
        self.trigger_event(self.Proposed, actor=actor, note=note, on=on)

    def win(self, *, actor: str, on: date, deal_amount: Decimal | None = None,
            currency: str | None = None, note: str | None = None) -> None:
        v = Validator()
        _check_money(v, deal_amount, currency, "deal_amount", "currency")
        check_optional_text(v, note, "note", max_len=NOTE_MAX)
        self._step(v, "win", on)
        self.trigger_event(self.Won, actor=actor, deal_amount=deal_amount, currency=currency,
                           note=note, on=on)

    def lose(self, *, actor: str, reason: str, on: date) -> None:
        v = Validator()
        check_text(v, reason, "reason", max_len=NOTE_MAX)
        self._step(v, "lose", on)
        self.trigger_event(self.Lost, actor=actor, reason=reason, on=on)
