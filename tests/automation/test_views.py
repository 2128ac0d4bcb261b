"""The read side of the automation: run list and detail, the 360 section, effectiveness per
playbook and version, CSM milestone lateness; current and as of a past position."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from automation.rules import activated_key, churned_key
from cs_domain.app import CustomerSuccess
from cs_domain.playbook import Playbook
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_domain.rules import csm_milestones
from projections.compose import customer_360
from projections.db import ReadModels
from projections.queries.playbook_effectiveness import effectiveness
from projections.rebuild import verify
from projections.runner import Projector
from projections.views.playbook_runs import get_run, list_runs
from projections.views.team import milestone_lateness
from tests.automation.story import BASE, Story, day, monday, run_id, ticked


def _onboard(story: Story, name: str, start: int = 0) -> tuple[object, object]:
    customer = story.customer(name)
    return customer, story.contract(customer, start=start, end=start + 365)


def test_runs_list_detail_and_360_section(app: CustomerSuccess, models: ReadModels,
                                          story: Story) -> None:
    acme, k = _onboard(story, "Acme")
    beta, _ = _onboard(story, "Beta")
    ticked(app, models, 0)
    rid = run_id("onboarding", activated_key(k))
    with models.read() as conn:
        everything = list_runs(conn)
        mine = list_runs(conn, customer_id=acme)
        none = list_runs(conn, playbook="qbr")
        active = list_runs(conn, status="active", playbook=["onboarding", "qbr"])
        detail = get_run(conn, rid)
        c360 = customer_360(conn, acme, BASE)
    assert len(everything["items"]) == 2 and everything["position"] == app.max_position()
    assert [r["id"] for r in mine["items"]] == [rid] and none["items"] == []
    assert len(active["items"]) == 2
    assert detail is not None and detail["playbook_name"] == "Onboarding"
    assert detail["occurrence_key"] == activated_key(k) and detail["steps_total"] == 8
    first = detail["steps"][0]
    assert (first["title"], first["assignee_id"], first["assignee_name"], first["due_date"],
            first["status"], first["task_status"]) == (
        "Send the welcome message", story.csm, "Chen Jing", day(0), "open", "todo")
    assert [o["metric"] for o in detail["outcomes"]] == ["kickoff held", "onboarding completed"]
    assert [r["id"] for r in c360["playbook_runs"]] == [rid]
    assert beta != acme


def test_a_step_follows_its_task(app: CustomerSuccess, models: ReadModels,
                                 story: Story) -> None:
    _, k = _onboard(story, "Acme")
    ticked(app, models, 0)
    rid = run_id("onboarding", activated_key(k))
    with models.read() as conn:
        steps = get_run(conn, rid)["steps"]  # type: ignore[index]
    t0, t1 = steps[0]["task_id"], steps[1]["task_id"]
    app.reassign_task(actor="m", task_id=t0, assignee_id=story.support)
    app.reschedule_task(actor="m", task_id=t0, due_date=day(9))
    app.start_task(actor="m", task_id=t1, started_on=day(0))
    ticked(app, models, 0)
    with models.read() as conn:
        steps = get_run(conn, rid)["steps"]  # type: ignore[index]
    assert (steps[0]["assignee_id"], steps[0]["assignee_name"], steps[0]["due_date"]) == (
        story.support, "Wang Fang", day(9))
    assert (steps[1]["task_status"], steps[1]["status"]) == ("doing", "open")


def test_effectiveness_per_playbook_and_version_and_as_of(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    # Two churns under version 1 of the win-back, one of them abandoned.
    first, k1 = _onboard(story, "First", start=-300)
    _second, k2 = _onboard(story, "Second", start=-300)
    app.churn_contract(actor="t", contract_id=k1, churned_on=day(-1), reason_category="price")
    app.churn_contract(actor="t", contract_id=k2, churned_on=day(-1), reason_category="price")
    ticked(app, models, 0)
    app.abandon_playbook_run(actor="m", run_id=run_id("churn_winback", churned_key(k2)),
                             abandoned_on=day(0), reason="closed for good")
    ticked(app, models, 0)
    v1_position = app.max_position()
    # Version 2 asks for a reactivation within 30 days instead; a third churn follows it.
    definition = dict(DEFAULT_PLAYBOOKS["churn_winback"])
    definition["success_metrics"] = [dict(definition["success_metrics"][0], within_days=30)]
    app.revise_playbook(actor="m", playbook_id=Playbook.id_for("churn_winback"), **definition)
    _third, k3 = _onboard(story, "Third", start=-300)
    app.churn_contract(actor="t", contract_id=k3, churned_on=day(0), reason_category="service")
    # The first customer comes back within the window (signed on day 9).
    story.contract(first, start=10, end=375, activate=False)
    ticked(app, models, 40)  # version 2's window (30 days) has closed for the third
    with models.read() as conn:
        now = effectiveness(conn, playbook="churn_winback")
        then = effectiveness(conn, playbook="churn_winback", at=v1_position)
        dated = effectiveness(conn, from_=day(0), to=day(0))
    [item] = now["playbooks"]
    assert item["runs"] == {"started": 3, "active": 2, "completed": 0, "abandoned": 1}
    assert item["abandon_rate"] == Decimal("0.3333")
    v1, v2 = item["versions"]
    assert (v1["version"], v1["runs"]["started"], v2["version"], v2["runs"]["started"]) == (
        1, 2, 2, 1)
    [o1], [o2] = v1["outcomes"], v2["outcomes"]
    # v1 (180 days): the first was reactivated; the abandoned one is still open to it.
    assert (o1["achieved"], o1["missed"], o1["pending"], o1["rate"]) == (1, 0, 1, Decimal(1))
    assert (o2["achieved"], o2["missed"], o2["pending"], o2["rate"]) == (0, 1, 0, Decimal(0))
    assert item["outcomes"][0]["measured"] == 2 and item["outcomes"][0]["rate"] == Decimal("0.5")
    [before] = then["playbooks"]
    assert before["runs"]["started"] == 2 and len(before["versions"]) == 1
    assert [p["playbook_key"] for p in dated["playbooks"]] == ["churn_winback"]
    assert dated["playbooks"][0]["runs"]["started"] == 1  # only the third churned on day 0
    assert now["position"] == app.max_position()


def test_csm_milestone_lateness(app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    """The tick counts the team view's milestones: one definition of "activated" (first
    active usage from the first term's start, `lifecycle.activated_on`)."""
    late, _ = _onboard(story, "Late", start=-45)     # activation due by day -15: late
    on_time, _ = _onboard(story, "OnTime", start=-45)
    story.usage(on_time, monday(-38), [3])           # activated in its second week
    report = ticked(app, models, 0)
    assert report.late_milestones == 1
    with models.read() as conn:
        found = milestone_lateness(conn, today=BASE)
    by_customer = {i["customer_id"]: {m["key"]: m for m in i["milestones"]}
                   for i in found["items"]}
    due = {m.key: m.due_date for m in csm_milestones(day(-45))}
    overdue = [(cid, key) for cid, ms in by_customer.items() for key, m in ms.items()
               if m["status"] == "overdue"]
    assert overdue == [(late, "activated")]
    item = by_customer[late]["activated"]
    assert item["due_date"] == due["activated"] and item["days_late"] == (BASE - due["activated"]).days
    statuses = {k: m["status"] for k, m in by_customer[on_time].items()}
    assert statuses == {"activated": "done", "no_basic_questions": "pending",
                        "own_activities": "pending", "renewed": "pending"}
    assert by_customer[on_time]["activated"]["done_on"] == monday(-38)


def test_automation_views_equal_a_rebuild(app: CustomerSuccess, models: ReadModels,
                                          story: Story) -> None:
    acme, k = _onboard(story, "Acme")
    story.usage(acme, day(-30) - timedelta(days=day(-30).weekday()), [5, 5, 5, 1])
    story.risk(acme, due=-2)
    ticked(app, models, 0)
    run = run_id("onboarding", activated_key(k))
    with models.read() as conn:
        task = get_run(conn, run)["steps"][0]["task_id"]  # type: ignore[index]
    story.finish(task, day(0))
    ticked(app, models, 0)
    Projector(app, models).catch_up()
    assert verify(app, models, ["automation", "playbook_runs"]) == []
