"""Playbook commands: define / revise / retire definitions; start, step, abandon and
measure runs. Starting a run is idempotent: the run id derives from the occurrence."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.customer import Customer
from cs_domain.errors import ConcurrencyConflict, DuplicateKey, InvalidInput, NotFound
from cs_domain.playbook import OwnerRole, Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_domain.playbook_run import PlaybookRun
from cs_domain.services.tasks import TaskCommands
from cs_domain.task import Task, TaskSource

_INSTALL_ATTEMPTS = 3
_ROLE_NAMES = {OwnerRole.OWNER_CSM.value: "owner CSM",
               OwnerRole.SUPPORT_MANAGER.value: "support manager"}


class PlaybookCommands(TaskCommands):
    def define_playbook(self, *, actor: str, key: str, **definition: Any) -> CommandResult:
        playbook = Playbook.define(actor=actor, key=key, **definition)
        if self.exists(playbook.id):
            raise DuplicateKey("key", key)
        return self.result(playbook, self.commit(playbook))

    def revise_playbook(
        self, *, actor: str, playbook_id: UUID, expected_version: int | None = None,
        **changes: Any,
    ) -> CommandResult:
        playbook = self.load(Playbook, playbook_id, expected_version)
        playbook.revise(actor=actor, **changes)
        return self.result(playbook, self.commit(playbook),
                           definition_version=playbook.definition_version)

    def retire_playbook(self, *, actor: str, playbook_id: UUID, reason: str,
                        expected_version: int | None = None) -> CommandResult:
        playbook = self.load(Playbook, playbook_id, expected_version)
        playbook.retire(actor=actor, reason=reason)
        return self.result(playbook, self.commit(playbook))

    def reinstate_playbook(self, *, actor: str, playbook_id: UUID) -> CommandResult:
        playbook = self.load(Playbook, playbook_id)
        playbook.reinstate(actor=actor)
        return self.result(playbook, self.commit(playbook))

    def install_default_playbooks(self, *, actor: str) -> list[UUID]:
        """Defines the shipped playbooks that are missing, in one transaction; returns the
        ids it defined. Two installs at once: the loser's save conflicts (same derived ids)
        and, retried, finds them defined and writes nothing."""
        for attempt in range(_INSTALL_ATTEMPTS):
            new = [Playbook.define(actor=actor, key=key, **definition)
                   for key, definition in DEFAULT_PLAYBOOKS.items()
                   if not self.exists(Playbook.id_for(key))]
            try:
                if new:
                    self.commit(*new)
                return [p.id for p in new]
            except ConcurrencyConflict:
                if attempt == _INSTALL_ATTEMPTS - 1:
                    raise
        return []

    @staticmethod
    def _assignee(customer: Customer, role: str) -> UUID:
        """Who a step of this role is for: the support manager for their steps when the
        customer has one, else the owner CSM."""
        if role == OwnerRole.SUPPORT_MANAGER and customer.support_manager_id is not None:
            return customer.support_manager_id
        return customer.owner_id

    def follow_customer_roles(
        self, *, actor: str, customer_id: UUID, changed_in: int, run_ids: list[UUID],
    ) -> CommandResult:
        """After the customer's owner or support manager changed (its event is version
        `changed_in`), hands each open step of the given runs to whoever its role names
        now, in one transaction. A task someone else took over since (its assignee is not
        the one the role named before the change), or one no longer open, is left alone:
        so repeating this changes nothing. `extra["reassigned"]`: the tasks handed over.
        """
        before = self._customer_at(customer_id, changed_in - 1)
        after = self._customer_at(customer_id, changed_in)
        moved: list[Task] = []
        for run_id in run_ids:
            run = self.load(PlaybookRun, run_id)
            if run.customer_id != customer_id:
                raise InvalidInput.one("run_ids", f"run {run_id} is not this customer's")
            for step in run.open_steps():
                was = self._assignee(before, step["owner_role"])
                now = self._assignee(after, step["owner_role"])
                if was == now:
                    continue  # this role's person did not change: no task to load
                task = self.load(Task, step["task_id"])
                if task.is_open and task.assignee_id == was:
                    task.reassign(actor=actor, assignee_id=now,
                                  reason=f"the customer's "
                                         f"{_ROLE_NAMES.get(step['owner_role'], 'owner')} changed")
                    moved.append(task)
        position = self.commit(*moved) if moved else self.max_position()
        return CommandResult(customer_id, after.version, position,
                             {"reassigned": [t.id for t in moved]})

    def _customer_at(self, customer_id: UUID, version: int) -> Customer:
        customer = self.load_verified(customer_id, version)
        if not isinstance(customer, Customer):
            raise NotFound(Customer.KIND, customer_id)
        return customer

    def start_playbook_run(
        self, *, actor: str, playbook_key: str, customer_id: UUID, occurrence_key: str,
        triggered_on: date, source_id: UUID | None = None, known_on: date | None = None,
    ) -> CommandResult:
        """Starts the run for this occurrence, with one task per action, unless it exists.

        `known_on` (the day the trigger became known): a late run skips the steps already
        past, with at most one catch-up task (see `playbook_run.late_steps`).

        `extra["started"]` says whether this call started it. A retired playbook
        starts nothing (started=False, id of the would-be run).
        """
        try:
            playbook = self.load(Playbook, Playbook.id_for(playbook_key))
        except NotFound:
            raise InvalidInput.one("playbook_key", f"no playbook {playbook_key!r}") from None
        run_id = PlaybookRun.id_for(playbook_key, occurrence_key)
        if self.exists(run_id):
            run = self.load(PlaybookRun, run_id)
            return self.result(run, self.max_position(), started=False)
        if not playbook.active:
            return CommandResult(run_id, 0, self.max_position(), {"started": False})
        customer = self.require_customer(customer_id)
        assignees = [self._assignee(customer, a["owner_role"]) for a in playbook.actions]
        run = PlaybookRun.start(
            actor=actor, playbook_id=playbook.id, playbook_key=playbook.key,
            playbook_version=playbook.definition_version, actions=playbook.actions,
            customer_id=customer_id, occurrence_key=occurrence_key,
            trigger_kind=playbook.trigger_kind, triggered_on=triggered_on,
            assignees=assignees, source_id=source_id, known_on=known_on,
        )
        tasks = [
            Task.create(
                actor=actor, customer_id=customer_id, title=step["title"],
                assignee_id=step["assignee_id"], due_date=step["due_date"],
                description=f"{playbook.name} (v{playbook.definition_version}), step {i + 1}",
                source_kind=TaskSource.PLAYBOOK_RUN.value, source_id=run.id,
                task_id=step["task_id"],
            )
            for i, step in enumerate(run.steps) if step["status"] == "open"
        ]
        position = self.commit(run, *tasks)
        return self.result(run, position, started=True, task_ids=[t.id for t in tasks])

    def record_playbook_step(
        self, *, actor: str, run_id: UUID, task_id: UUID, done_on: date, outcome: str = "done"
    ) -> CommandResult:
        run = self.load(PlaybookRun, run_id)
        changed = run.record_step(actor=actor, task_id=task_id, done_on=done_on, outcome=outcome)
        position = self.commit(run) if changed else self.max_position()
        return self.result(run, position, recorded=changed)

    def abandon_playbook_run(
        self, *, actor: str, run_id: UUID, abandoned_on: date, reason: str,
        expected_version: int | None = None,
    ) -> CommandResult:
        """Abandons the run and cancels its open tasks in the same transaction."""
        run = self.load(PlaybookRun, run_id, expected_version)
        open_ids = run.abandon(actor=actor, abandoned_on=abandoned_on, reason=reason)
        tasks = []
        for tid in open_ids:
            task = self.load(Task, tid)
            if task.is_open:
                task.cancel(actor=actor, cancelled_on=abandoned_on, reason=f"run abandoned: {reason}")
                tasks.append(task)
        return self.result(run, self.commit(run, *tasks))

    def measure_playbook_outcome(
        self, *, actor: str, run_id: UUID, metric: str, achieved: bool, measured_on: date,
        detail: str | None = None,
    ) -> CommandResult:
        run = self.load(PlaybookRun, run_id)
        changed = run.measure(actor=actor, metric=metric, achieved=achieved,
                              measured_on=measured_on, detail=detail)
        position = self.commit(run) if changed else self.max_position()
        return self.result(run, position, recorded=changed)
