"""One scenario per shipped trigger: the run, its tasks (assignee, due date) and its outcome.

Each runs on SQLite and PostgreSQL through the application, the projectors, the process
manager and `tick`, exactly as `cs-ledger serve` / `cs-ledger tick` run them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from automation.commands import ACTOR
from automation.rules import (
    activated_key,
    churned_key,
    inactive_key,
    next_quarter,
    qbr_key,
    renewal_key,
    usage_drop_key,
    usage_growth_key,
)
from cs_domain.app import CustomerSuccess
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_domain.risk import Risk
from cs_domain.task import Task
from projections.db import ReadModels
from projections.log import trail_of
from projections.views.automation import reminder_id
from tests.automation.story import (
    BASE,
    Story,
    day,
    monday,
    outcome,
    run,
    run_id,
    runs,
    tasks,
    ticked,
)


def offsets(playbook: str) -> list[int]:
    return [a["offset_days"] for a in DEFAULT_PLAYBOOKS[playbook]["actions"]]


def late_dues(playbook: str, on: date) -> list[date]:
    """The due dates of a run triggered on `on` and started on BASE: the steps ahead, and
    the latest must-happen step already past caught up on BASE (docs/playbooks.md)."""
    actions = DEFAULT_PLAYBOOKS[playbook]["actions"]
    past = [i for i, a in enumerate(actions) if on + timedelta(days=a["offset_days"]) < BASE]
    caught = max((i for i in past if actions[i].get("must_happen")), default=None)
    return [BASE if i == caught else on + timedelta(days=a["offset_days"])
            for i, a in enumerate(actions) if i == caught or i not in past]


def test_onboarding_on_activation(app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=0, end=365)
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert found is not None and found["customer_id"] == acme
    assert found["triggered_on"] == day(0) and found["status"] == "active"
    assert found["source_id"] == k and found["playbook_version"] == 1
    assigned = tasks(app, found)
    assert [t.due_date for t in assigned] == [day(0) + timedelta(days=o)
                                              for o in offsets("onboarding")]
    assert {t.assignee_id for t in assigned} == {story.csm}
    assert all(t.source_kind == "playbook_run" and t.source_id == found["id"] for t in assigned)
    # The kickoff held in time: the step is recorded and the metric measured as the
    # process manager sees the task completed (no tick needed).
    story.finish(found["steps"][1]["task_id"], day(1))
    ticked(app, models, 1)
    found = run(models, found["id"])
    assert found["steps"][1]["status"] == "done" and found["steps"][1]["done_on"] == day(1)
    assert outcome(found, "kickoff held") == (True, day(1))
    assert outcome(found, "onboarding completed") == (None, None)
    # 100 days pass with the other steps open: the onboarding was not completed.
    ticked(app, models, 101)
    assert outcome(run(models, found["id"]), "onboarding completed") == (False, day(101))


def test_old_activation_starts_no_onboarding(app: CustomerSuccess, models: ReadModels,
                                             story: Story) -> None:
    """Recorded today, an activation 200 days ago would only bring overdue tasks."""
    old = story.customer("Old")
    story.contract(old, start=-200, end=165)
    ticked(app, models, 0)
    assert runs(models, customer_id=old, playbook="onboarding") == []


def test_churn_starts_win_back_measured_by_reactivation(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    gone = story.customer("Gone")
    k = story.contract(gone, start=-300, end=65)
    app.churn_contract(actor="t", contract_id=k, churned_on=day(-2), reason_category="price")
    ticked(app, models, 0)
    found = run(models, run_id("churn_winback", churned_key(k)))
    assert found is not None and found["triggered_on"] == day(-2)
    assert [t.due_date for t in tasks(app, found)] == [day(-2) + timedelta(days=o)
                                                       for o in offsets("churn_winback")]
    assert outcome(found, "reactivated") == (None, None)
    # Signed again three weeks later: reactivated, measured once that day has come.
    story.contract(gone, start=25, end=390, activate=False)  # signed on day 24
    ticked(app, models, 10)
    assert outcome(run(models, found["id"]), "reactivated") == (None, None)
    ticked(app, models, 30)
    assert outcome(run(models, found["id"]), "reactivated") == (True, day(24))


def test_usage_drop_starts_low_engagement_and_measures_recovery(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    first = monday(-28)
    story.usage(acme, first, [5, 5, 5, "3.2"])  # down 36 % against two weeks before
    dropped = first + timedelta(weeks=3)
    ticked(app, models, 0)
    found = run(models, run_id("low_engagement_drop", usage_drop_key(acme, dropped)))
    assert found is not None
    on = dropped + timedelta(days=6)  # the dropped week's last day
    assert found["triggered_on"] == on
    assert [(t.assignee_id, t.due_date) for t in tasks(app, found)] == [
        (story.csm, due) for due in late_dues("low_engagement_drop", on)]
    # A further slide while the play runs starts no second run.
    story.usage(acme, dropped + timedelta(weeks=1), ["2.0"])
    # Then back at the pre-drop level (5 days a week).
    story.usage(acme, dropped + timedelta(weeks=2), [5])
    ticked(app, models, 30)
    assert len(runs(models, customer_id=acme, playbook="low_engagement_drop")) == 1
    back = dropped + timedelta(weeks=2, days=6)
    assert outcome(run(models, found["id"]), "usage recovered") == (True, back)


def test_no_activity_for_30_days_starts_re_engagement(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    quiet = story.customer("Quiet")
    story.contract(quiet, start=-80, end=285)
    first = monday(-80)
    story.usage(quiet, first, [4, 4, 3, 0, 0, 0, 0, 0, 0, 0])  # last activity in week 3
    last_active = first + timedelta(weeks=2, days=6)
    reached = last_active + timedelta(days=30)
    assert reached <= BASE
    ticked(app, models, 0)
    found = run(models, run_id("low_engagement_inactive", inactive_key(quiet, reached)))
    assert found is not None and found["triggered_on"] == reached
    # Found late (the silence was reached weeks before the reports were recorded): the
    # steps long past are skipped, and the one that must happen is caught up today.
    assert [s["status"] for s in found["steps"]] == ["skipped", "open", "skipped"]
    [catch_up] = tasks(app, found)
    assert catch_up.due_date == BASE and catch_up.title.startswith("Catch up: Reach out")
    # Ticking again, or later while still silent, finds the same occurrence.
    ticked(app, models, 5)
    assert len(runs(models, customer_id=quiet, playbook="low_engagement_inactive")) == 1
    # Nothing in the 30 days after: not recovered.
    ticked(app, models, (reached - BASE).days + 31)
    assert outcome(run(models, found["id"]), "usage recovered") == (
        False, reached + timedelta(days=31))


def test_renewal_window_opens_120_days_before_the_end(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=-265, end=100)
    ticked(app, models, -30)  # the window opens on day -20
    key = run_id("renewal_readiness", renewal_key(k, day(100)))
    assert run(models, key) is None
    ticked(app, models, 0)
    found = run(models, key)
    assert found is not None
    assert found["triggered_on"] == day(-20)  # a business date, not the tick's
    # Recorded today, its window opened 20 days ago: the review due then is skipped.
    assert [s["status"] for s in found["steps"]] == ["skipped", "open", "open", "open"]
    assert [t.due_date for t in tasks(app, found)] == [day(10), day(40), day(70)]
    successor = app.renew_contract(actor="t", contract_id=k, renewed_on=day(-1),
                                   amount=Decimal("1500"),
                                   new_end_date=day(465)).extra["successor_id"]
    ticked(app, models, 0)  # the process manager measures it on the renewal
    assert outcome(run(models, key), "renewed") == (True, day(-1))
    # The successor's own window opens 120 days before its end.
    ticked(app, models, 345)
    assert run(models, run_id("renewal_readiness", renewal_key(successor, day(465)))) is not None


def test_renewal_missed_when_the_contract_churns(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    k = story.contract(acme, start=-300, end=60)
    ticked(app, models, 0)
    key = run_id("renewal_readiness", renewal_key(k, day(60)))
    before = run(models, key)
    assert before is not None and before["status"] == "active"
    app.churn_contract(actor="t", contract_id=k, churned_on=day(-1), reason_category="competitor")
    report = ticked(app, models, 0)
    found = run(models, key)
    assert outcome(found, "renewed") == (False, day(-1))
    # The renewal work is moot: the run is abandoned on the churn day and its open
    # tasks are cancelled with it; the win-back run the churn started goes on.
    assert report.tally.runs_abandoned == 1
    assert (found["status"], found["ended_on"]) == ("abandoned", day(-1))
    assert {t.status for t in tasks(app, found)} == {"cancelled"}
    [abandoned] = [e for e in trail_of(app, key) if e["type"] == "PlaybookRun.Abandoned"]
    assert abandoned["actor"] == ACTOR
    assert abandoned["data"]["reason"] == "the contract churned"
    winback = run(models, run_id("churn_winback", churned_key(k)))
    assert winback is not None and winback["status"] == "active"
    assert ticked(app, models, 0).tally.runs_abandoned == 0


def test_a_terminated_contract_ends_its_onboarding_run(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    """Terminated in its first days: the onboarding stops (dated no earlier than it
    started), its done steps stay done, and its completion metric is missed."""
    acme = story.customer("Acme")
    k = story.contract(acme, start=0, end=365)
    ticked(app, models, 0)
    key = run_id("onboarding", activated_key(k))
    first = run(models, key)["steps"][0]["task_id"]
    story.finish(first, day(1))
    app.terminate_contract(actor="t", contract_id=k, terminated_on=day(-2),
                           reason="signed in error")
    assert ticked(app, models, 1).tally.runs_abandoned == 1
    found = run(models, key)
    assert (found["status"], found["ended_on"]) == ("abandoned", day(0))
    statuses = [t.status for t in tasks(app, found)]
    assert statuses[0] == "done" and set(statuses[1:]) == {"cancelled"}
    assert outcome(found, "onboarding completed") == (False, day(0))


def test_sustained_growth_starts_expansion(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    grow = story.customer("Grow")
    first = monday(-35)
    story.usage(grow, first, ["2.0", "2.5", "3.0", "3.5", "4.2"])
    last = first + timedelta(weeks=4)
    ticked(app, models, 0)
    found = run(models, run_id("expansion", usage_growth_key(grow, last)))
    assert found is not None and found["triggered_on"] == last + timedelta(days=6)
    assert [t.due_date for t in tasks(app, found)] == late_dues("expansion",
                                                                last + timedelta(days=6))
    story.finish(found["steps"][1]["task_id"], day(0))
    ticked(app, models, 0)
    found = run(models, found["id"])
    assert outcome(found, "conversation held") == (True, day(0))
    # The review (offset 0) was past when the growth was recorded: skipped, so the
    # conversation was the run's last open step.
    assert [s["status"] for s in found["steps"]] == ["skipped", "done"]
    assert found["steps_done"] == 1 and found["status"] == "completed"


def test_quarterly_business_review_for_strategic_customers(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    big = story.customer("Big", tier="strategic")
    small = story.customer("Small", tier="basic")
    for c in (big, small):
        story.contract(c, start=-200, end=165)
    q1 = next_quarter(BASE)  # the first quarter start on or after the tier became known
    ticked(app, models, (q1 - BASE).days - 1)
    assert runs(models, playbook="qbr") == []
    q2 = next_quarter(q1)
    ticked(app, models, (q2 - BASE).days + 1)
    found = run(models, run_id("qbr", qbr_key(big, q1)))
    assert found is not None and found["triggered_on"] == q1
    assert [t.due_date for t in tasks(app, found)] == [q1 + timedelta(days=o)
                                                       for o in offsets("qbr")]
    assert run(models, run_id("qbr", qbr_key(big, q2))) is not None
    assert runs(models, customer_id=small, playbook="qbr") == []
    # The first QBR was not held within 30 days.
    assert outcome(found, "QBR held") == (False, q1 + timedelta(days=31))


def test_overdue_risk_is_marked_and_reminded_once_per_due_date(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    acme = story.customer("Acme")
    risk = story.risk(acme, due=-3)
    first = ticked(app, models, 0)
    assert first.tally.risks_marked_overdue == 1 and first.tally.reminders_created == 1
    head = app.max_position()
    again = ticked(app, models, 0)
    assert again.tally.writes == 0 and app.max_position() == head
    marks = [step for step in trail_of(app, risk) if step["type"] == "Risk.MarkedOverdue"]
    assert [(m["actor"], m["data"]["due_date"]) for m in marks] == [(ACTOR, day(-3))]
    assert app.load(Risk, risk).marked_overdue
    reminder = app.load(Task, reminder_id(risk, 0, day(-3)))
    assert (reminder.assignee_id, reminder.due_date, reminder.source_id) == (story.csm, day(-2),
                                                                            risk)
    app.change_risk_due_date(actor="m", risk_id=risk, due_date=day(5), changed_on=day(0))
    assert ticked(app, models, 5).tally.writes == 0  # not late on its due day
    later = ticked(app, models, 6)
    assert later.tally.risks_marked_overdue == 1 and later.tally.reminders_created == 1
    assert app.exists(reminder_id(risk, 0, day(5)))
    app.close_risk(actor="m", risk_id=risk, resolution="done", closed_on=day(7))
    assert ticked(app, models, 30).tally.writes == 0


def test_open_run_tasks_follow_a_change_of_owner_or_support_manager(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    """A handover moves the run's open steps to the new person: done steps, steps of the
    other role and tasks someone else took over stay where they are; repeating the
    process manager's pass (a replay) moves nothing twice."""
    acme = story.customer("Acme")
    k = story.contract(acme, start=0, end=365)
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert found is not None
    steps = found["steps"]
    done, taken_over, *open_ids = [s["task_id"] for s in steps]
    story.finish(done, day(0))
    other_csm = app.create_user(actor="t", name="Zhao Lei", role="csm")[0].id
    new_csm = app.create_user(actor="t", name="Sun Mei", role="csm")[0].id
    app.reassign_task(actor="t", task_id=taken_over, assignee_id=other_csm)
    ticked(app, models, 0)

    app.assign_owner(actor="t", customer_id=acme, owner_id=new_csm)
    report = ticked(app, models, 0)
    assert report.tally.tasks_reassigned == len(open_ids) > 0
    by_id = {t.id: t for t in tasks(app, found)}
    assert by_id[done].assignee_id == story.csm and by_id[done].status == "done"
    assert by_id[taken_over].assignee_id == other_csm
    assert all(by_id[i].assignee_id == new_csm for i in open_ids)
    moved = trail_of(app, open_ids[0])[-1]
    assert (moved["type"], moved["actor"]) == ("Task.Reassigned", ACTOR)
    assert moved["data"]["reason"] == "the customer's owner CSM changed"
    # The run's view follows, and nothing moves again on a later pass.
    view_steps = {s["task_id"]: s for s in run(models, found["id"])["steps"]}
    assert all(view_steps[i]["assignee_id"] == new_csm for i in open_ids)
    assert ticked(app, models, 1).tally.tasks_reassigned == 0


def test_support_manager_steps_follow_the_support_manager(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    """Steps for the support manager fall back to the owner CSM while there is none, and
    move to one once named; the owner CSM's steps stay."""
    definition = dict(DEFAULT_PLAYBOOKS["onboarding"])
    definition["actions"] = [*definition["actions"][:2],
                             *[dict(a, owner_role="support_manager")
                               for a in definition["actions"][2:4]]]
    app.revise_playbook(actor="m", playbook_id=Playbook.id_for("onboarding"), **definition)
    acme = story.customer("Acme")
    app.assign_support_manager(actor="t", customer_id=acme, support_manager_id=None)
    k = story.contract(acme, start=-3, end=362)
    ticked(app, models, 0)
    found = run(models, run_id("onboarding", activated_key(k)))
    assert found is not None
    roles = {s["task_id"]: s["owner_role"] for s in found["steps"]}
    assert {t.assignee_id for t in tasks(app, found)} == {story.csm}
    app.assign_support_manager(actor="t", customer_id=acme, support_manager_id=story.support)
    report = ticked(app, models, 0)
    support_steps = [i for i, role in roles.items() if role == "support_manager"]
    assert len(support_steps) == 2 and report.tally.tasks_reassigned == 2
    for t in tasks(app, found):
        expected = story.support if roles[t.id] == "support_manager" else story.csm
        assert t.assignee_id == expected, roles[t.id]
