"""Referral commands (seed 001 §二.7): introduce (credited to the referring customer's
owner), contact, propose, win, lose."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.referral import Referral
from cs_domain.services.customers import CustomerCommands


class ReferralCommands(CustomerCommands):
    def introduce_referral(
        self, *, actor: str, customer_id: UUID, prospect_name: str, incentive_policy: str,
        on: date, prospect_contact: str | None = None, note: str | None = None,
        incentive_amount: Decimal | None = None, incentive_currency: str | None = None,
        incentive_text: str | None = None, referral_id: UUID | None = None,
    ) -> CommandResult:
        customer = self.require_customer(customer_id)
        referral = Referral.introduce(
            actor=actor, customer_id=customer_id, credited_owner_id=customer.owner_id,
            prospect_name=prospect_name, incentive_policy=incentive_policy, on=on,
            prospect_contact=prospect_contact, note=note, incentive_amount=incentive_amount,
            incentive_currency=incentive_currency, incentive_text=incentive_text,
            referral_id=referral_id)
        return self.result(referral, self.commit(referral))

    def _referral_step(self, referral_id: UUID, expected_version: int | None, step: str,
                       **kwargs: Any) -> CommandResult:
        referral = self.load(Referral, referral_id, expected_version)
        getattr(referral, step)(**kwargs)
        return self.result(referral, self.commit(referral))

    def contact_referral(self, *, actor: str, referral_id: UUID, on: date,
                         note: str | None = None, expected_version: int | None = None
                         ) -> CommandResult:
        return self._referral_step(referral_id, expected_version, "contact", actor=actor,
                                   on=on, note=note)

    def propose_referral(self, *, actor: str, referral_id: UUID, on: date,
                         note: str | None = None, expected_version: int | None = None
                         ) -> CommandResult:
        return self._referral_step(referral_id, expected_version, "propose", actor=actor,
                                   on=on, note=note)

    def win_referral(self, *, actor: str, referral_id: UUID, on: date,
                     deal_amount: Decimal | None = None, currency: str | None = None,
                     note: str | None = None, expected_version: int | None = None
                     ) -> CommandResult:
        return self._referral_step(referral_id, expected_version, "win", actor=actor, on=on,
                                   deal_amount=deal_amount, currency=currency, note=note)

    def lose_referral(self, *, actor: str, referral_id: UUID, reason: str, on: date,
                      expected_version: int | None = None) -> CommandResult:
        return self._referral_step(referral_id, expected_version, "lose", actor=actor,
                                   reason=reason, on=on)
