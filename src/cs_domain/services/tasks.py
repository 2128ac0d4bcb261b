"""Task commands: create, start, complete, cancel, reopen, reassign, reschedule.

Other areas (risk strategies, plans, playbook runs) build tasks with
:meth:`cs_domain.task.Task.create` and commit them with their own aggregate.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.errors import InvalidInput
from cs_domain.services.customers import CustomerCommands
from cs_domain.task import Task


class TaskCommands(CustomerCommands):
    def create_task(
        self, *, actor: str, customer_id: UUID, title: str, assignee_id: UUID, due_date: date,
        description: str | None = None, source_kind: str | None = None,
        source_id: UUID | None = None, task_id: UUID | None = None,
    ) -> CommandResult:
        task = Task.create(
            actor=actor, customer_id=customer_id, title=title, assignee_id=assignee_id,
            due_date=due_date, description=description, source_kind=source_kind,
            source_id=source_id, task_id=task_id,
        )
        self.check_customer(customer_id)
        self.require_user(assignee_id, "assignee_id")
        if source_id is not None and not self.exists(source_id):
            raise InvalidInput.one("source_id", f"{source_kind} {source_id} does not exist")
        return self.result(task, self.commit(task))

    def start_task(
        self, *, actor: str, task_id: UUID, started_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        task.start(actor=actor, started_on=started_on)
        return self.result(task, self.commit(task))

    def complete_task(
        self, *, actor: str, task_id: UUID, completed_on: date, note: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        task.complete(actor=actor, completed_on=completed_on, note=note)
        return self.result(task, self.commit(task))

    def cancel_task(
        self, *, actor: str, task_id: UUID, cancelled_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        task.cancel(actor=actor, cancelled_on=cancelled_on, reason=reason)
        return self.result(task, self.commit(task))

    def reopen_task(
        self, *, actor: str, task_id: UUID, reopened_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        task.reopen(actor=actor, reopened_on=reopened_on, reason=reason)
        return self.result(task, self.commit(task))

    def reassign_task(
        self, *, actor: str, task_id: UUID, assignee_id: UUID, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        self.require_user(assignee_id, "assignee_id")
        task.reassign(actor=actor, assignee_id=assignee_id, reason=reason)
        return self.result(task, self.commit(task))

    def reschedule_task(
        self, *, actor: str, task_id: UUID, due_date: date, reason: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        task = self.load(Task, task_id, expected_version)
        task.reschedule(actor=actor, due_date=due_date, reason=reason)
        return self.result(task, self.commit(task))
