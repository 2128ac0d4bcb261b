"""Touchpoints complete playbook steps: a kick-off meeting, a QBR held, a check-in recorded
for the run's customer within a step's window completes that step's task (so the
effectiveness metrics measure what happened). Issued by the process manager; decided on
the aggregates, so a replay completes nothing twice."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.playbook_rules import touchpoint_step
from cs_domain.playbook_run import PlaybookRun
from cs_domain.services.tasks import TaskCommands
from cs_domain.task import Task


class PlaybookTouchpointCommands(TaskCommands):
    def complete_steps_by_touchpoints(
        self, *, actor: str, run_ids: list[UUID], touchpoints: list[tuple[str, date]],
    ) -> CommandResult:
        """For each active run, each touchpoint `(kind, occurred_on)` in date order completes
        the open step it answers (`playbook_rules.touchpoint_step`): its task is started and
        completed on the touchpoint's day (not before the task was started), in one
        transaction; a step the late run skipped is recorded done on the run (it has no task).
        A task no longer open is left alone. `extra["completed"]`: task ids."""
        done: list[Task] = []
        runs: dict[UUID, PlaybookRun] = {}
        for run_id in run_ids:
            run = self.load(PlaybookRun, run_id)
            if not run.is_active:
                continue
            steps = [dict(s) for s in run.steps]
            for kind, occurred_on in sorted(touchpoints, key=lambda t: (t[1], t[0])):
                step = touchpoint_step(steps, run.triggered_on, kind, occurred_on)
                if step is None:
                    continue
                was, step["status"] = step["status"], "done"
                if was == "skipped":
                    if run.record_skipped_done(actor=actor, step=step["step"], done_on=occurred_on):
                        runs[run.id] = run
                    continue
                task = self.load(Task, step["task_id"])
                if not task.is_open:
                    continue
                if task.started_on is None:
                    task.start(actor=actor, started_on=occurred_on)
                task.complete(actor=actor, completed_on=max(occurred_on, task.started_on
                                                            or occurred_on),
                              note=f"{kind.replace('_', ' ')} recorded on "
                                   f"{occurred_on.isoformat()}")
                done.append(task)
        changed = [*runs.values(), *done]
        position = self.commit(*changed) if changed else self.max_position()
        return CommandResult(run_ids[0] if run_ids else UUID(int=0), 0, position,
                             {"completed": [t.id for t in done],
                              "skipped_done": len(runs)})
