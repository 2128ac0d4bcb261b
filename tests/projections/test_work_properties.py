"""Properties of the work views (risks, tasks, requirements, complaints, team, lifecycle):
incremental views equal a rebuild; as-of P equals a rebuild cut at P.

The command strategy of test_properties (customers, contracts, stages) is extended with
risks through their whole loop (strategies creating tasks, closes, reopenings,
escalations, due dates, owners, overdue marks), tasks (every step), requirements and
complaints (taken some steps along their loop) and success plans (milestones that the
team view tracks), interleaved with incremental projection in random batch sizes.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cs_domain import deadlines
from cs_domain.app import CustomerSuccess
from cs_domain.errors import DomainError
from cs_domain.task import OPEN_TASK
from projections.compose import customer_360
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from projections.views.complaints import complaint_list, complaint_metrics
from projections.views.lifecycle import lifecycle_board
from projections.views.requirements import requirement_list, requirement_metrics
from projections.views.risks import OPEN_STATUSES, risk_metrics, risk_register
from projections.views.tasks import workbench
from projections.views.team import milestone_lateness, team
from tests.conftest import STORES
from tests.profiles import examples
from tests.projections.harness import check_incremental_and_as_of
from tests.projections.test_properties import BASE, World

TODAY = date(2025, 6, 1)
i = st.integers(min_value=0, max_value=50)
days = st.integers(min_value=0, max_value=200)
SEVERITIES = ["low", "medium", "high", "critical"]
# (template, milestone index): the team view tracks handover 3 ("Customer activated") and
# continuous operation 2 and 4 (no basic questions, own activities); the others it ignores.
PLAN_MILESTONES = [("implementation_handover", 3), ("continuous_operation", 2),
                   ("continuous_operation", 4), ("implementation_handover", 1),
                   ("roadmap_30_60_90", 0)]
BASE_COMMANDS = st.one_of(
    st.tuples(st.just("customer"), i, i),
    st.tuples(st.just("flow"), i, st.integers(1, 99), st.sampled_from(["EUR", "USD"]),
              st.integers(30, 720), st.integers(0, 4)),
    st.tuples(st.just("stage"), i, i), st.tuples(st.just("user"), i),
    st.tuples(st.just("owner"), i, i),
    st.tuples(st.just("project"), st.integers(1, 9)),
    st.tuples(st.just("restart"), st.integers(1, 9)),
)
RISK_STEPS = ("strategy", "mitigate", "close", "reopen", "escalate", "riskdue", "riskowner",
              "overdue")
REQUIREMENT_STEPS = ["classify", "analyse", "hand", "schedule", "end", "feedback"]


def work_commands() -> st.SearchStrategy[tuple[Any, ...]]:
    """Fresh strategy objects each call: hypothesis merges identical branches of a
    one_of, so repeating one object would not weight it."""
    return st.one_of(
        *[st.tuples(st.just("risk"), i, i, st.integers(0, 60), st.integers(0, 150),
                    st.integers(0, 6)) for _ in range(3)],
        st.tuples(st.just("strategy"), i, i, st.integers(0, 2)),
        st.tuples(st.just("mitigate"), i), st.tuples(st.just("close"), i, days),
        st.tuples(st.just("reopen"), i, days, st.integers(0, 60)),
        st.tuples(st.just("escalate"), i, i), st.tuples(st.just("riskdue"), i, days),
        st.tuples(st.just("riskowner"), i, i), st.tuples(st.just("overdue"), i, days),
        *[st.tuples(st.just("task"), i, i, days) for _ in range(2)],
        *[st.tuples(st.just("taskstep"), i, i, days) for _ in range(2)],
        *[st.tuples(st.just("requirement"), i, days, st.integers(0, 7), st.booleans())
          for _ in range(2)],
        *[st.tuples(st.just("complaint"), i, st.booleans(), st.integers(0, 3),
                    st.integers(0, 60)) for _ in range(2)],
        st.tuples(st.just("plan"), i, st.sampled_from(PLAN_MILESTONES), days),
    )


COMMANDS = st.one_of(BASE_COMMANDS, work_commands(), work_commands(), work_commands())


class WorkWorld(World):
    """The base world plus risks, tasks, requirements, complaints and plans."""

    def __init__(self, app: CustomerSuccess, live: Projector):
        super().__init__(app, live)
        self.risks: list[uuid.UUID] = []
        self.tasks: list[uuid.UUID] = []
        # Start with people and customers, so most drawn commands have something to act on.
        self.users.append(app.create_user(actor="t", name="Bo", role="manager")[0].id)
        for n in range(len(self.users)):
            self._run(("customer", n, n))
            self._run(("flow", n, 10 + n, "EUR", 365, 2 + n))

    def _run(self, c: tuple[Any, ...]) -> None:
        handler = getattr(self, f"_{c[0]}", None)
        if handler is None:
            super()._run(c)
            return
        needs = self.tasks if c[0] == "taskstep" else self.risks if c[0] in RISK_STEPS else [c]
        if needs:
            handler(*c[1:])

    def _risk(self, cust: int, sev: int, raised: int, due: int, steps: int) -> None:
        """Raises a risk and takes it `steps` along: strategy (with todos), mitigation,
        a todo done, close, reopen, close again."""
        if not self.customers:
            return
        on = BASE + timedelta(days=raised)
        rid = self.app.raise_risk(
            actor=str(self.pick(self.users, sev)), customer_id=self.pick(self.customers, cust),
            title=f"Risk {raised}", category="adoption", severity=SEVERITIES[sev % 4],
            due_date=on + timedelta(days=due), raised_on=on).id
        self.risks.append(rid)
        last = len(self.risks) - 1
        walk = [("strategy", last, sev, 2), ("mitigate", last), ("taskstep", -1, 1, due),
                ("close", last, due), ("reopen", last, due, 30), ("close", last, due + 240)]
        for step in walk[:steps]:
            self.run(step)

    def _step_day(self, n: int) -> date:
        return BASE + timedelta(days=61 + n)  # after every raise

    def _strategy(self, r: int, u: int, todos: int) -> None:
        result = self.app.set_risk_strategy(
            actor="boss", risk_id=self.pick(self.risks, r), strategy="Plan",
            owner_id=self.pick(self.users, u), set_on=self._step_day(0),
            todos=[{"title": f"Todo {k}", "assignee_id": self.pick(self.users, u + k),
                    "due_date": self._step_day(k * 7)} for k in range(todos)])
        self.tasks.extend(result.extra["task_ids"])

    def _mitigate(self, r: int) -> None:
        self.app.record_risk_mitigation(actor="t", risk_id=self.pick(self.risks, r), note="n",
                                        recorded_on=self._step_day(1))

    def _close(self, r: int, n: int) -> None:
        self.app.close_risk(actor="t", risk_id=self.pick(self.risks, r), resolution="done",
                            closed_on=self._step_day(n))

    def _reopen(self, r: int, n: int, due: int) -> None:
        self.app.reopen_risk(actor="t", risk_id=self.pick(self.risks, r), reason="again",
                             reopened_on=self._step_day(n + 200),
                             due_date=self._step_day(n + 200 + due))

    def _escalate(self, r: int, u: int) -> None:
        self.app.escalate_risk(actor="t", risk_id=self.pick(self.risks, r),
                               escalated_to=self.pick(self.users, u), reason="slow",
                               escalated_on=self._step_day(2))

    def _riskdue(self, r: int, n: int) -> None:
        self.app.change_risk_due_date(actor="t", risk_id=self.pick(self.risks, r),
                                      due_date=self._step_day(n), changed_on=self._step_day(0))

    def _riskowner(self, r: int, u: int) -> None:
        self.app.assign_risk_owner(actor="t", risk_id=self.pick(self.risks, r),
                                   owner_id=self.pick(self.users, u))

    def _overdue(self, r: int, n: int) -> None:
        moment = datetime.combine(self._step_day(n), datetime.min.time(), tzinfo=UTC)
        self.app.mark_risk_overdue(actor="system", risk_id=self.pick(self.risks, r), now=moment)

    def _task(self, cust: int, u: int, due: int) -> None:
        if self.customers:
            self.tasks.append(self.app.create_task(
                actor="t", customer_id=self.pick(self.customers, cust), title="Task",
                assignee_id=self.pick(self.users, u), due_date=BASE + timedelta(days=due)).id)

    def _taskstep(self, t: int, step: int, n: int) -> None:
        a, task, on = self.app, self.pick(self.tasks, t), self._step_day(n)
        steps = {
            0: lambda: a.start_task(actor="t", task_id=task, started_on=on),
            1: lambda: a.complete_task(actor="t", task_id=task, completed_on=on),
            2: lambda: a.cancel_task(actor="t", task_id=task, cancelled_on=on, reason="no"),
            3: lambda: a.reopen_task(actor="t", task_id=task, reopened_on=on, reason="again"),
            4: lambda: a.reassign_task(actor="t", task_id=task,
                                       assignee_id=self.pick(self.users, n)),
            5: lambda: a.reschedule_task(actor="t", task_id=task, due_date=on),
        }
        # Walks: start; start, complete; cancel; start, complete, reopen; reassign; reschedule.
        for k in ([0], [0, 1], [2], [0, 1, 3], [4], [5])[step % 6]:
            self.run_step(steps[k])

    def run_step(self, step: Any) -> None:
        with contextlib.suppress(DomainError):  # a refused step writes nothing
            step()

    def _requirement(self, cust: int, n: int, steps: int, rejected: bool) -> None:
        if not self.customers:
            return
        a, on = self.app, BASE + timedelta(days=n)
        rid = a.collect_requirement(actor="t", customer_id=self.pick(self.customers, cust),
                                    requested_by="Li", summary="Need", on=on).id
        for k, step in enumerate(REQUIREMENT_STEPS[:steps]):
            day = on + timedelta(days=3 * k + n % 5)
            if step == "classify":
                a.classify_requirement(actor="t", requirement_id=rid, category="feature",
                                       priority="low", on=day)
            elif step == "analyse":
                a.analyse_requirement(actor="t", requirement_id=rid, product_fit="none",
                                      note="n", on=day)
            elif step == "hand":
                a.hand_requirement_to_product(actor="t", requirement_id=rid, on=day)
            elif step == "schedule":
                a.schedule_requirement(actor="t", requirement_id=rid, target_date=day, on=day)
            elif step == "end" and rejected:
                a.reject_requirement(actor="t", requirement_id=rid, reason="no", on=day)
            elif step == "end":
                a.deliver_requirement(actor="t", requirement_id=rid, on=day)
            else:
                a.give_requirement_feedback(actor="t", requirement_id=rid, feedback="f", on=day)

    def _complaint(self, cust: int, needs: bool, steps: int, hours: int) -> None:
        if not self.customers:
            return
        a = self.app
        at = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(hours=hours * 7)
        cid = a.receive_complaint(actor="t", customer_id=self.pick(self.customers, cust),
                                  channel="email", summary="s", severity="low",
                                  needs_resources=needs, received_at=at).id
        if steps > 0:
            a.start_complaint_investigation(actor="t", complaint_id=cid, started_at=at)
        if steps > 1:
            a.resolve_complaint(actor="t", complaint_id=cid, resolution="r",
                                resolved_at=at + timedelta(hours=hours))
        if steps > 2:
            a.review_complaint(actor="t", complaint_id=cid, category="other", root_cause="c",
                               improvement="i", reviewed_on=(at + timedelta(hours=hours)).date())

    def _plan(self, cust: int, which: tuple[str, int], n: int) -> None:
        if not self.customers:
            return
        template, index = which
        start = BASE + timedelta(days=n)
        result = self.app.create_plan(actor="t", customer_id=self.pick(self.customers, cust),
                                      template=template, start_date=start)
        self.app.activate_plan(actor="t", plan_id=result.id, activated_on=start)
        self.app.complete_plan_milestone(actor="t", plan_id=result.id,
                                         milestone_id=result.extra["milestone_ids"][index],
                                         completed_on=start + timedelta(days=n % 40),
                                         evidence="e")


def reads(models: ReadModels, customers: list[uuid.UUID], at: int | None) -> dict[str, Any]:
    """What the API would show of the work views, minus the positions."""
    def strip(result: dict[str, Any] | None) -> Any:
        return None if result is None else {k: v for k, v in result.items() if k != "position"}

    span = (BASE, date(2026, 12, 31))
    with models.read() as conn:
        return {
            "360": [strip(customer_360(conn, cid, TODAY, at)) for cid in customers],
            "register": strip(risk_register(conn, today=TODAY, limit=500, at=at)),
            "overdue": strip(risk_register(conn, today=TODAY, overdue=True, limit=500, at=at)),
            "risk_metrics": strip(risk_metrics(conn, *span, today=TODAY, at=at)),
            "workbench": strip(workbench(conn, today=TODAY, status=None, limit=500, at=at)),
            "week": strip(workbench(conn, today=BASE + timedelta(days=70), due="week", at=at)),
            "requirements": strip(requirement_list(conn, limit=500, at=at)),
            "requirement_metrics": strip(requirement_metrics(conn, *span, at=at)),
            "complaints": strip(complaint_list(conn, limit=500, at=at)),
            "complaint_metrics": strip(complaint_metrics(
                conn, *span, now=datetime(2025, 4, 1, tzinfo=UTC), at=at)),
            "team": strip(team(conn, today=TODAY, at=at)),
            "milestones": strip(milestone_lateness(conn, today=TODAY, at=at)),
            "lifecycle": strip(lifecycle_board(conn, today=TODAY, at=at)),
        }


def views_follow_the_rules(models: ReadModels) -> None:
    """Each view's "overdue" (its SQL filter, its flag, its counts) is
    `cs_domain.deadlines.is_overdue` on the rows' status and due date, every customer is on
    exactly one lifecycle phase, the team's overdue milestones are past due and not done."""
    with models.read() as conn:
        register = risk_register(conn, today=TODAY, limit=500)["items"]
        overdue = risk_register(conn, today=TODAY, overdue=True, limit=500)["items"]
        tasks = workbench(conn, today=TODAY, status=None, limit=500)
        late = workbench(conn, today=TODAY, due="overdue", limit=500)
        board = lifecycle_board(conn, today=TODAY)
        milestones = milestone_lateness(conn, today=TODAY)["items"]
    rule = {x["id"] for x in register
            if deadlines.is_overdue(x["status"] in OPEN_STATUSES, x["due_date"], TODAY)}
    assert {x["id"] for x in register if x["overdue"]} == rule == {x["id"] for x in overdue}
    rule = {x["id"] for x in tasks["items"]
            if deadlines.is_overdue(x["status"] in OPEN_TASK, x["due_date"], TODAY)}
    assert {x["id"] for x in late["items"]} == rule == {
        x["id"] for x in tasks["items"] if x["overdue"]}
    assert late["counts"]["overdue"] == len(rule)
    placed = [e["customer_id"] for p in board["phases"] for e in p["customers"]]
    assert len(placed) == len(set(placed))
    for item in milestones:
        for m in item["milestones"]:
            assert (m["status"] == "overdue") == (
                m["done_on"] is None and deadlines.is_overdue(True, m["due_date"], TODAY)
                and m["status"] != "missed")


@pytest.mark.parametrize("kind", STORES)
@settings(max_examples=examples(10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(commands=st.lists(COMMANDS, min_size=10, max_size=45), final_batch=st.integers(1, 50),
       max_cache=st.sampled_from([0, 3, 100_000]), cut=st.floats(0, 1))
def test_work_views_incremental_equals_rebuild_and_as_of_equals_a_cut_rebuild(
    kind: str, commands: list[tuple[Any, ...]], final_batch: int, max_cache: int, cut: float
) -> None:
    def label(live_models: ReadModels) -> None:
        rows = dump(live_models)
        risks, tasks = rows["risks"]["risks"].values(), rows["tasks"]["tasks"].values()
        event(f"risks: {min(len(risks), 3)}+")
        event(f"risk closed: {any(r['closed_on'] for r in risks)}")
        event(f"risk reopened: {any(r['times_reopened'] for r in risks)}")
        event(f"task done: {any(t['status'] == 'done' for t in tasks)}")
        for what, table, column in (
                ("loop closed", rows["requirements"]["requirements"], "feedback_given_on"),
                ("complaint reviewed", rows["complaints"]["complaints"], "reviewed_on"),
                ("plan milestone done", rows["team"]["csm_plan_milestones"], "completed_on")):
            event(f"{what}: {any(row[column] for row in table.values())}")

    def compare(world: WorkWorld, live_models: ReadModels, upto: ReadModels,
                position: int) -> None:
        assert reads(live_models, world.customers, position) == reads(
            upto, world.customers, None)
        views_follow_the_rules(live_models)

    check_incremental_and_as_of(kind, commands, final_batch=final_batch, max_cache=max_cache,
                                cut=cut, world=WorkWorld, label=label, compare=compare)
