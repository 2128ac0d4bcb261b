"""Requirement commands: one per step of the closed loop, each with its business date `on`."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.requirement import Requirement
from cs_domain.services.customers import CustomerCommands


class RequirementCommands(CustomerCommands):
    def collect_requirement(
        self, *, actor: str, customer_id: UUID, requested_by: str, summary: str, on: date,
        detail: str | None = None, requirement_id: UUID | None = None,
    ) -> CommandResult:
        """Records who at the customer asked for what (`requested_by` is their name)."""
        requirement = Requirement.collect(
            actor=actor, customer_id=customer_id, requested_by=requested_by, summary=summary,
            on=on, detail=detail, requirement_id=requirement_id,
        )
        self.check_customer(customer_id)
        return self.result(requirement, self.commit(requirement))

    def classify_requirement(
        self, *, actor: str, requirement_id: UUID, category: str, priority: str, on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.classify(actor=actor, category=category, priority=priority, on=on)
        return self.result(requirement, self.commit(requirement))

    def analyse_requirement(
        self, *, actor: str, requirement_id: UUID, product_fit: str, note: str, on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.analyse(actor=actor, product_fit=product_fit, note=note, on=on)
        return self.result(requirement, self.commit(requirement))

    def hand_requirement_to_product(
        self, *, actor: str, requirement_id: UUID, on: date, product_ref: str | None = None,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.hand_to_product(actor=actor, on=on, product_ref=product_ref, note=note)
        return self.result(requirement, self.commit(requirement))

    def schedule_requirement(
        self, *, actor: str, requirement_id: UUID, target_date: date, on: date,
        release: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.schedule(actor=actor, target_date=target_date, on=on, release=release)
        return self.result(requirement, self.commit(requirement))

    def deliver_requirement(
        self, *, actor: str, requirement_id: UUID, on: date, release: str | None = None,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.deliver(actor=actor, on=on, release=release, note=note)
        return self.result(requirement, self.commit(requirement))

    def reject_requirement(
        self, *, actor: str, requirement_id: UUID, reason: str, on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.reject(actor=actor, reason=reason, on=on)
        return self.result(requirement, self.commit(requirement))

    def give_requirement_feedback(
        self, *, actor: str, requirement_id: UUID, feedback: str, on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        requirement = self.load(Requirement, requirement_id, expected_version)
        requirement.give_feedback(actor=actor, feedback=feedback, on=on)
        return self.result(requirement, self.commit(requirement))
