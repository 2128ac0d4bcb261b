"""Playbook run: one playbook followed for one customer after one trigger occurrence.

The run's id derives from the playbook key and the occurrence key (e.g.
``contract:<id>:activated``), so the same occurrence can never start a second
run — after a restart, a rebuild or a replay the process manager finds the run
already there. Each action becomes a task (ids derived from the run id) for the
right person; steps complete as their tasks are done; the run completes when
every step is done or cancelled, or is abandoned; outcomes are measured.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from cs_domain.base import LedgerAggregate, check_text, index_id
from cs_domain.days import shift
from cs_domain.errors import InvalidInput, Validator

CATCH_UP = "Catch up: "


def late_steps(steps: list[dict[str, Any]], actions: list[dict[str, Any]], known_on: date
               ) -> list[dict[str, Any]]:
    """The steps of a run whose trigger became known on `known_on` (a rule: no clock).

    Steps due before `known_on` are `skipped` (no task); the steps still ahead stay. When a
    skipped step was one that must happen (`must_happen` on its action), the latest such
    step is not skipped but caught up: its task is due on `known_on`, titled "Catch up: …",
    and marked `catch_up` - one catch-up task per run at most.
    """
    late = [s for s in steps if s["due_date"] < known_on]
    must = [s for s in late if actions[s["step"]].get("must_happen")]
    caught = must[-1]["step"] if must else None
    out = []
    for s in steps:
        if s["step"] == caught:
            out.append(dict(s, title=(CATCH_UP + s["title"])[:200], due_date=known_on,
                            catch_up=True, planned_due=s["due_date"]))
        elif s in late:
            out.append(dict(s, status="skipped"))
        else:
            out.append(s)
    return out


class RunStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class PlaybookRun(LedgerAggregate):
    KIND = "playbook run"

    class Started(LedgerAggregate.Created):
        actor: str
        playbook_id: UUID
        playbook_key: str
        playbook_version: int
        customer_id: UUID
        occurrence_key: str
        trigger_kind: str
        triggered_on: date
        source_id: UUID | None
        steps: list[dict[str, Any]]

    class StepDone(LedgerAggregate.Event):
        actor: str
        step: int
        task_id: UUID
        done_on: date
        outcome: str  # "done" or "cancelled"

        def apply(self, r: PlaybookRun) -> None:
            r.steps[self.step]["status"] = self.outcome
            r.steps[self.step]["done_on"] = self.done_on

    class Completed(LedgerAggregate.Event):
        actor: str
        completed_on: date

        def apply(self, r: PlaybookRun) -> None:
            r.status = RunStatus.COMPLETED.value
            r.ended_on = self.completed_on

    class Abandoned(LedgerAggregate.Event):
        actor: str
        abandoned_on: date
        reason: str

        def apply(self, r: PlaybookRun) -> None:
            r.status = RunStatus.ABANDONED.value
            r.ended_on = self.abandoned_on

    class OutcomeMeasured(LedgerAggregate.Event):
        actor: str
        metric: str
        achieved: bool
        measured_on: date
        detail: str | None

        def apply(self, r: PlaybookRun) -> None:
            r.outcomes[self.metric] = {"achieved": self.achieved, "measured_on": self.measured_on,
                                       "detail": self.detail}

    def __init__(
        self, actor: str, playbook_id: UUID, playbook_key: str, playbook_version: int,
        customer_id: UUID, occurrence_key: str, trigger_kind: str, triggered_on: date,
        source_id: UUID | None, steps: list[dict[str, Any]],
    ):
        self.playbook_id = playbook_id
        self.playbook_key = playbook_key
        self.playbook_version = playbook_version
        self.customer_id = customer_id
        self.occurrence_key = occurrence_key
        self.trigger_kind = trigger_kind
        self.triggered_on = triggered_on
        self.source_id = source_id
        # A late run's steps already past when it started are recorded `skipped`.
        self.steps = [dict(s, status=s.get("status", "open"), done_on=None) for s in steps]
        self.status: str = RunStatus.ACTIVE.value
        self.ended_on: date | None = None
        self.outcomes: dict[str, dict[str, Any]] = {}

    @staticmethod
    def id_for(playbook_key: str, occurrence_key: str) -> UUID:
        return index_id("playbook-run", f"{playbook_key}:{occurrence_key}")

    @staticmethod
    def task_id_for(run_id: UUID, step: int) -> UUID:
        return index_id("playbook-task", f"{run_id}:{step}")

    @classmethod
    def start(
        cls, *, actor: str, playbook_id: UUID, playbook_key: str, playbook_version: int,
        actions: list[dict[str, Any]], customer_id: UUID, occurrence_key: str,
        trigger_kind: str, triggered_on: date, assignees: list[UUID],
        source_id: UUID | None = None, known_on: date | None = None,
    ) -> PlaybookRun:
        """A new run whose steps carry their task ids, assignees and due dates.

        `known_on`: the day the trigger became known (from the log). A run that starts
        late skips the steps due before it (`late_steps`); a run left with no open step
        is completed at once.
        """
        v = Validator()
        check_text(v, occurrence_key, "occurrence_key", max_len=300)
        v.check(len(assignees) == len(actions), "assignees", "one per action")
        v.done()
        run_id = cls.id_for(playbook_key, occurrence_key)
        steps = [
            {"step": i, "title": a["title"], "channel": a["channel"],
             "owner_role": a["owner_role"], "task_id": cls.task_id_for(run_id, i),
             "assignee_id": assignees[i],
             "due_date": shift(triggered_on, int(a["offset_days"])),
             **({"completed_by": list(a["completed_by"])} if a.get("completed_by") else {})}
            for i, a in enumerate(actions)
        ]
        if known_on is not None:
            steps = late_steps(steps, actions, known_on)
        run = cls._create(
            cls.Started, id=run_id, actor=actor, playbook_id=playbook_id,
            playbook_key=playbook_key, playbook_version=playbook_version, customer_id=customer_id,
            occurrence_key=occurrence_key, trigger_kind=trigger_kind, triggered_on=triggered_on,
            source_id=source_id, steps=steps,
        )
        if not run.open_steps():
            run.trigger_event(cls.Completed, actor=actor,
                              completed_on=max(known_on or triggered_on, triggered_on))
        return run

    def step_of(self, task_id: UUID) -> int:
        for s in self.steps:
            if s["task_id"] == task_id:
                return int(s["step"])
        raise InvalidInput.one("task_id", f"task {task_id} is not a step of this run")

    def record_step(self, *, actor: str, task_id: UUID, done_on: date, outcome: str = "done"
                    ) -> bool:
        """Marks the task's step done/cancelled; completes the run with its last step.

        Returns False (and records nothing) when the step was already recorded, so
        the process manager may see a task event twice without effect.
        """
        step = self.step_of(task_id)
        if outcome not in ("done", "cancelled"):
            raise InvalidInput.one("outcome", "must be done or cancelled")
        if self.status != RunStatus.ACTIVE or self.steps[step]["status"] != "open":
            return False
        self.trigger_event(self.StepDone, actor=actor, step=step, task_id=task_id,
                           done_on=done_on, outcome=outcome)
        if all(s["status"] != "open" for s in self.steps):
            self.trigger_event(self.Completed, actor=actor, completed_on=done_on)
        return True

    def record_skipped_done(self, *, actor: str, step: int, done_on: date) -> bool:
        """A skipped step shown done by a touchpoint (it has no task): recorded done once."""
        if self.status != RunStatus.ACTIVE or self.steps[step]["status"] != "skipped":
            return False
        self.trigger_event(self.StepDone, actor=actor, step=step,
                           task_id=self.steps[step]["task_id"], done_on=done_on, outcome="done")
        if all(s["status"] != "open" for s in self.steps):
            self.trigger_event(self.Completed, actor=actor, completed_on=done_on)
        return True

    def abandon(self, *, actor: str, abandoned_on: date, reason: str) -> list[UUID]:
        """Abandons the run; returns the task ids of the steps still open."""
        v = Validator()
        check_text(v, reason, "reason", max_len=2000)
        v.done()
        if self.status != RunStatus.ACTIVE:
            raise self.refuse("abandon", self.status)
        self.trigger_event(self.Abandoned, actor=actor, abandoned_on=abandoned_on, reason=reason)
        return [s["task_id"] for s in self.steps if s["status"] == "open"]

    def measure(self, *, actor: str, metric: str, achieved: bool, measured_on: date,
                detail: str | None = None) -> bool:
        """Records a metric's outcome once; a second measurement of it records nothing."""
        if metric in self.outcomes:
            return False
        self.trigger_event(self.OutcomeMeasured, actor=actor, metric=metric, achieved=achieved,
                           measured_on=measured_on, detail=detail)
        return True

    @property
    def is_active(self) -> bool:
        return self.status == RunStatus.ACTIVE

    def open_steps(self) -> list[dict[str, Any]]:
        """The steps still to do (none once the run has ended)."""
        if not self.is_active:
            return []
        return [s for s in self.steps if s["status"] == "open"]
