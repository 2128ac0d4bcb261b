"""Customer commands: register, edit the profile, owners, stages, contacts, handover."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import resolve_topic

from cs_domain.application import CommandResult, Requirement
from cs_domain.customer import Customer
from cs_domain.errors import InvalidInput, NotFound
from cs_domain.services.users import OWNER_ROLES, UserCommands


def _registers_customer(topic: str) -> bool:
    return resolve_topic(topic) is Customer.Registered


class CustomerCommands(UserCommands):
    def require_customer(self, customer_id: UUID, field: str = "customer_id") -> Customer:
        try:
            return self.load(Customer, customer_id)
        except NotFound:
            raise InvalidInput.one(field, f"customer {customer_id} does not exist") from None

    def check_customer(self, customer_id: UUID, field: str = "customer_id") -> None:
        """That the customer exists, from its first event alone (a command that only
        refers to a customer need not load its whole history: usage reports, tasks...)."""
        first = self.recorder.select_events(customer_id, limit=1)
        self.customer_required(customer_id, field).check(first[0].topic if first else None)

    def customer_required(self, customer_id: UUID, field: str = "customer_id") -> Requirement:
        """check_customer made by the store in the commit's own transaction (pass it to
        `commit(..., requires=...)`): for a command whose last check before its commit is
        that the customer exists, one read less."""
        return Requirement(customer_id, _registers_customer,
                           InvalidInput.one(field, f"customer {customer_id} does not exist"))

    def register_customer(
        self, *, actor: str, name: str, tier: str, owner_id: UUID, industry: str | None = None,
        region: str | None = None, size_grade: str | None = None,
        support_manager_id: UUID | None = None, customer_id: UUID | None = None,
    ) -> CommandResult:
        customer = Customer.register(
            actor=actor, name=name, tier=tier, owner_id=owner_id, industry=industry,
            region=region, size_grade=size_grade, support_manager_id=support_manager_id,
            customer_id=customer_id,
        )
        self.require_user(owner_id, "owner_id", OWNER_ROLES)
        if support_manager_id is not None:
            self.require_user(support_manager_id, "support_manager_id")
        return self.result(customer, self.commit(customer))

    def update_customer(
        self, *, actor: str, customer_id: UUID, expected_version: int | None = None,
        **changes: Any,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        customer.update_profile(actor=actor, **changes)
        return self.result(customer, self.commit(customer))

    def assign_owner(
        self, *, actor: str, customer_id: UUID, owner_id: UUID,
        expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        self.require_user(owner_id, "owner_id", OWNER_ROLES)
        customer.assign_owner(actor=actor, owner_id=owner_id)
        return self.result(customer, self.commit(customer))

    def assign_support_manager(
        self, *, actor: str, customer_id: UUID, support_manager_id: UUID | None,
        expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        if support_manager_id is not None:
            self.require_user(support_manager_id, "support_manager_id")
        customer.assign_support_manager(actor=actor, support_manager_id=support_manager_id)
        return self.result(customer, self.commit(customer))

    def move_customer_stage(
        self, *, actor: str, customer_id: UUID, stage: str, effective_on: date,
        reason: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        customer.move_to(actor=actor, stage=stage, effective_on=effective_on, reason=reason)
        return self.result(customer, self.commit(customer))

    def add_contact(
        self, *, actor: str, customer_id: UUID, name: str, role: str, level: str,
        attitude: str = "neutral", email: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        contact_id = customer.add_contact(
            actor=actor, name=name, role=role, level=level, attitude=attitude, email=email
        )
        return self.result(customer, self.commit(customer), contact_id=contact_id)

    def remove_contact(
        self, *, actor: str, customer_id: UUID, contact_id: UUID, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        customer.remove_contact(actor=actor, contact_id=contact_id, reason=reason)
        return self.result(customer, self.commit(customer))

    def record_handover(
        self, *, actor: str, customer_id: UUID, sales_rep: str, handed_over_on: date,
        summary: str, expectations: list[str], expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        customer.record_handover(
            actor=actor, sales_rep=sales_rep, handed_over_on=handed_over_on, summary=summary,
            expectations=expectations,
        )
        return self.result(customer, self.commit(customer))

    def agree_expectations(
        self, *, actor: str, customer_id: UUID, expectations: list[str], agreed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        customer = self.load(Customer, customer_id, expected_version)
        customer.agree_expectations(actor=actor, expectations=expectations, agreed_on=agreed_on)
        return self.result(customer, self.commit(customer))
