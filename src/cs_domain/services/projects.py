"""Project (implementation delivery) commands: open on a contract, move stages, close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.contract import ContractStatus
from cs_domain.errors import InvalidInput
from cs_domain.project import Project, StageSpec
from cs_domain.services.customers import CustomerCommands
from cs_domain.services.delivery_refs import require_contract

# A churned or terminated contract has nothing left to deliver.
NO_DELIVERY = {ContractStatus.CHURNED.value, ContractStatus.TERMINATED.value}


class ProjectCommands(CustomerCommands):
    def open_project(
        self, *, actor: str, contract_id: UUID, name: str, opened_on: date,
        stages: Sequence[StageSpec] | None = None, project_id: UUID | None = None,
    ) -> CommandResult:
        """Opens a delivery project on a contract; the customer is the contract's."""
        Project.check_opening(name=name, opened_on=opened_on, stages=stages)
        contract = require_contract(self, contract_id)
        project = Project.open(
            actor=actor, customer_id=contract.customer_id, contract_id=contract_id, name=name,
            opened_on=opened_on, stages=stages, project_id=project_id,
        )
        if contract.status in NO_DELIVERY:
            raise InvalidInput.one("contract_id", f"contract {contract_id} is {contract.status}")
        return self.result(project, self.commit(project))

    def start_project_stage(
        self, *, actor: str, project_id: UUID, stage: str, started_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id, expected_version)
        project.start_stage(actor=actor, stage=stage, started_on=started_on)
        return self.result(project, self.commit(project), progress=project.progress())

    def complete_project_stage(
        self, *, actor: str, project_id: UUID, stage: str, completed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id, expected_version)
        project.complete_stage(actor=actor, stage=stage, completed_on=completed_on)
        return self.result(project, self.commit(project), progress=project.progress())

    def reopen_project_stage(
        self, *, actor: str, project_id: UUID, stage: str, reopened_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id, expected_version)
        project.reopen_stage(actor=actor, stage=stage, reopened_on=reopened_on, reason=reason)
        return self.result(project, self.commit(project), progress=project.progress())

    def complete_project(
        self, *, actor: str, project_id: UUID, completed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id, expected_version)
        project.complete(actor=actor, completed_on=completed_on)
        return self.result(project, self.commit(project))

    def cancel_project(
        self, *, actor: str, project_id: UUID, cancelled_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        project = self.load(Project, project_id, expected_version)
        project.cancel(actor=actor, cancelled_on=cancelled_on, reason=reason)
        return self.result(project, self.commit(project))
