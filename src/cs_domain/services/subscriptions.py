"""Subscription (product term) commands: provision, activate, suspend, resume, expire, seats."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.services.customers import CustomerCommands
from cs_domain.services.delivery_refs import require_contract
from cs_domain.subscription import Subscription


class SubscriptionCommands(CustomerCommands):
    def provision_subscription(
        self, *, actor: str, customer_id: UUID, product: str, seats: int, start_date: date,
        end_date: date, contract_id: UUID | None = None, subscription_id: UUID | None = None,
    ) -> CommandResult:
        subscription = Subscription.provision(
            actor=actor, customer_id=customer_id, product=product, seats=seats,
            start_date=start_date, end_date=end_date, contract_id=contract_id,
            subscription_id=subscription_id,
        )
        self.check_customer(customer_id)
        if contract_id is not None:
            require_contract(self, contract_id, customer_id=customer_id)
        return self.result(subscription, self.commit(subscription))

    def activate_subscription(
        self, *, actor: str, subscription_id: UUID, activated_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        subscription = self.load(Subscription, subscription_id, expected_version)
        subscription.activate(actor=actor, activated_on=activated_on)
        return self.result(subscription, self.commit(subscription))

    def suspend_subscription(
        self, *, actor: str, subscription_id: UUID, suspended_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        subscription = self.load(Subscription, subscription_id, expected_version)
        subscription.suspend(actor=actor, suspended_on=suspended_on, reason=reason)
        return self.result(subscription, self.commit(subscription))

    def resume_subscription(
        self, *, actor: str, subscription_id: UUID, resumed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        subscription = self.load(Subscription, subscription_id, expected_version)
        subscription.resume(actor=actor, resumed_on=resumed_on)
        return self.result(subscription, self.commit(subscription))

    def expire_subscription(
        self, *, actor: str, subscription_id: UUID, expired_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        subscription = self.load(Subscription, subscription_id, expected_version)
        subscription.expire(actor=actor, expired_on=expired_on)
        return self.result(subscription, self.commit(subscription))

    def change_subscription_seats(
        self, *, actor: str, subscription_id: UUID, seats: int, effective_on: date,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        subscription = self.load(Subscription, subscription_id, expected_version)
        subscription.change_seats(actor=actor, seats=seats, effective_on=effective_on, note=note)
        return self.result(subscription, self.commit(subscription))
