"""Success-plan commands: draft from a template, milestones, activate, complete, abandon."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.errors import InvalidInput, NotFound
from cs_domain.plan import SuccessPlan
from cs_domain.services.customers import CustomerCommands


class PlanCommands(CustomerCommands):
    def create_plan(
        self, *, actor: str, customer_id: UUID, start_date: date, template: str | None = None,
        name: str | None = None, previous_plan_id: UUID | None = None,
        plan_id: UUID | None = None,
    ) -> CommandResult:
        """Drafts a plan; with a template its milestones are due at start_date + offset.

        ``previous_plan_id`` names the plan of the same customer this one follows
        (e.g. continuous operation after the implementation handover).
        """
        plan = SuccessPlan.draft(
            actor=actor, customer_id=customer_id, start_date=start_date, template=template,
            name=name, previous_plan_id=previous_plan_id, plan_id=plan_id,
        )
        self.check_customer(customer_id)
        if previous_plan_id is not None:
            self._require_previous(previous_plan_id, customer_id)
        milestone_ids = [m["milestone_id"] for m in plan.milestones]
        return self.result(plan, self.commit(plan), milestone_ids=milestone_ids)

    def _require_previous(self, plan_id: UUID, customer_id: UUID) -> None:
        try:
            previous = self.load(SuccessPlan, plan_id)
        except NotFound:
            raise InvalidInput.one("previous_plan_id", f"plan {plan_id} does not exist") from None
        if previous.customer_id != customer_id:
            raise InvalidInput.one("previous_plan_id", f"plan {plan_id} is another customer's")

    def add_plan_milestone(
        self, *, actor: str, plan_id: UUID, title: str, due_date: date,
        acceptance_criterion: str, expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        milestone_id = plan.add_milestone(actor=actor, title=title, due_date=due_date,
                                          acceptance_criterion=acceptance_criterion)
        return self.result(plan, self.commit(plan), milestone_id=milestone_id)

    def complete_plan_milestone(
        self, *, actor: str, plan_id: UUID, milestone_id: UUID, completed_on: date,
        evidence: str, expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        plan.complete_milestone(actor=actor, milestone_id=milestone_id,
                                completed_on=completed_on, evidence=evidence)
        return self.result(plan, self.commit(plan))

    def miss_plan_milestone(
        self, *, actor: str, plan_id: UUID, milestone_id: UUID, missed_on: date,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        plan.miss_milestone(actor=actor, milestone_id=milestone_id, missed_on=missed_on,
                            note=note)
        return self.result(plan, self.commit(plan))

    def activate_plan(
        self, *, actor: str, plan_id: UUID, activated_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        plan.activate(actor=actor, activated_on=activated_on)
        return self.result(plan, self.commit(plan))

    def complete_plan(
        self, *, actor: str, plan_id: UUID, completed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        plan.complete(actor=actor, completed_on=completed_on)
        return self.result(plan, self.commit(plan))

    def abandon_plan(
        self, *, actor: str, plan_id: UUID, abandoned_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        plan = self.load(SuccessPlan, plan_id, expected_version)
        plan.abandon(actor=actor, abandoned_on=abandoned_on, reason=reason)
        return self.result(plan, self.commit(plan))
