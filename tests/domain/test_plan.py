"""Success plans: templates as data, milestones, the plan flow, plan sequences."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput, TransitionNotAllowed
from cs_domain.plan import SuccessPlan
from cs_domain.plan_templates import TEMPLATES
from tests.domain.delivery_support import event_names, last_event, new_customer, state

START = date(2025, 3, 1)


@pytest.fixture
def customer(app: CustomerSuccess, csm: UUID) -> UUID:
    return new_customer(app, csm)


def test_templates_are_well_formed_data():
    assert set(TEMPLATES) == {"implementation_handover", "continuous_operation",
                              "churn_recovery", "roadmap_30_60_90"}
    for key, template in TEMPLATES.items():
        assert template.key == key and template.milestones
        offsets = [m.offset_days for m in template.milestones]
        assert offsets == sorted(offsets) and offsets[0] >= 0
        assert all(m.title.strip() and m.acceptance_criterion.strip()
                   for m in template.milestones)
        assert template.next_template is None or template.next_template in TEMPLATES
    assert [m.offset_days for m in TEMPLATES["roadmap_30_60_90"].milestones] == [30, 60, 90]
    assert TEMPLATES["implementation_handover"].next_template == "continuous_operation"


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_a_template_instantiates_due_dates_from_the_start(app: CustomerSuccess, customer: UUID,
                                                          key: str):
    result = app.create_plan(actor="csm-1", customer_id=customer, template=key,
                             start_date=START)
    event = last_event(app, result.id)
    assert type(event).__name__ == "Drafted"
    template = TEMPLATES[key]
    assert (event.customer_id, event.template, event.name, event.start_date) == (
        customer, key, template.name, START)
    assert [(m["title"], m["due_date"], m["acceptance_criterion"]) for m in event.milestones] == [
        (m.title, START + timedelta(days=m.offset_days), m.acceptance_criterion)
        for m in template.milestones]
    assert result.extra["milestone_ids"] == [m["milestone_id"] for m in event.milestones]
    assert app.load(SuccessPlan, result.id).status == "draft"


def test_roadmap_due_dates_hand_worked(app: CustomerSuccess, customer: UUID):
    pid = app.create_plan(actor="a", customer_id=customer, template="roadmap_30_60_90",
                          start_date=date(2025, 1, 15)).id
    dues = [m["due_date"] for m in app.load(SuccessPlan, pid).milestones]
    assert dues == [date(2025, 2, 14), date(2025, 3, 16), date(2025, 4, 15)]


def test_plan_flow_with_custom_milestone(app: CustomerSuccess, customer: UUID):
    created = app.create_plan(actor="a", customer_id=customer, template="roadmap_30_60_90",
                              start_date=START)
    pid = created.id
    m30, m60, m90 = created.extra["milestone_ids"]
    added = app.add_plan_milestone(actor="a", plan_id=pid, title="Executive sponsor review",
                                   due_date=START + timedelta(days=45),
                                   acceptance_criterion="Sponsor signs the goals sheet")
    custom = added.extra["milestone_id"]
    with pytest.raises(TransitionNotAllowed):  # a draft plan has not started
        app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=m30,
                                    completed_on=START, evidence="x")
    app.activate_plan(actor="a", plan_id=pid, activated_on=START)
    app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=m30,
                                completed_on=START + timedelta(days=33),
                                evidence="KPI baseline: 40% automated reconciliation")
    app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=custom,
                                completed_on=START + timedelta(days=40), evidence="signed")
    app.miss_plan_milestone(actor="a", plan_id=pid, milestone_id=m60,
                            missed_on=START + timedelta(days=61), note="IT freeze")
    with pytest.raises(TransitionNotAllowed, match="1 pending"):
        app.complete_plan(actor="a", plan_id=pid, completed_on=START + timedelta(days=62))
    app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=m90,
                                completed_on=START + timedelta(days=88), evidence="BIA done")
    app.complete_plan(actor="a", plan_id=pid, completed_on=START + timedelta(days=90))
    assert event_names(app, pid) == [
        "Drafted", "MilestoneAdded", "Activated", "MilestoneCompleted", "MilestoneCompleted",
        "MilestoneMissed", "MilestoneCompleted", "Completed"]
    plan = app.load(SuccessPlan, pid)
    by_id = {m["milestone_id"]: m for m in plan.milestones}
    assert by_id[m30]["days_late"] == 3 and by_id[m30]["status"] == "completed"
    assert by_id[custom]["days_late"] == 0
    assert (by_id[m60]["status"], by_id[m60]["note"]) == ("missed", "IT freeze")
    assert (plan.status, plan.closed_on) == ("completed", START + timedelta(days=90))
    before = app.max_position()
    for call in (
        lambda: app.add_plan_milestone(actor="a", plan_id=pid, title="t", due_date=START,
                                       acceptance_criterion="c"),
        lambda: app.abandon_plan(actor="a", plan_id=pid, abandoned_on=START, reason="r"),
        lambda: app.activate_plan(actor="a", plan_id=pid, activated_on=START),
    ):
        with pytest.raises(TransitionNotAllowed):
            call()
    assert app.max_position() == before


def test_milestones_resolve_once_and_must_belong(app: CustomerSuccess, customer: UUID):
    created = app.create_plan(actor="a", customer_id=customer, template="churn_recovery",
                              start_date=START)
    pid, first = created.id, created.extra["milestone_ids"][0]
    app.activate_plan(actor="a", plan_id=pid, activated_on=START)
    app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=first, completed_on=START,
                                evidence="price")
    before = app.max_position()
    with pytest.raises(TransitionNotAllowed):
        app.miss_plan_milestone(actor="a", plan_id=pid, milestone_id=first, missed_on=START)
    with pytest.raises(InvalidInput) as unknown:
        app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=uuid4(),
                                    completed_on=START, evidence="x")
    assert unknown.value.errors[0].field == "milestone_id"
    with pytest.raises(InvalidInput) as bad:
        app.complete_plan_milestone(actor="a", plan_id=pid,
                                    milestone_id=created.extra["milestone_ids"][1],
                                    completed_on=START - timedelta(days=1), evidence=" ")
    assert [e.field for e in bad.value.errors] == ["completed_on", "evidence"]
    assert app.max_position() == before
    app.abandon_plan(actor="a", plan_id=pid, abandoned_on=START, reason="customer reactivated")
    assert app.load(SuccessPlan, pid).status == "abandoned"


@pytest.mark.parametrize(("kwargs", "fields"), [
    ({"template": "growth_hacking"}, ["template"]),
    ({"template": None}, ["name"]),
    ({"template": None, "name": "  "}, ["name"]),
    ({"template": "churn_recovery", "start_date": "2025-03-01"}, ["start_date"]),
])
def test_invalid_plans_name_their_fields(app: CustomerSuccess, customer: UUID, kwargs: dict,
                                         fields: list[str]):
    args: dict = {"actor": "a", "customer_id": customer, "start_date": START}
    args.update(kwargs)
    before = app.max_position()
    with pytest.raises(InvalidInput) as err:
        app.create_plan(**args)
    assert [e.field for e in err.value.errors] == fields
    assert app.max_position() == before


def test_a_custom_plan_starts_empty(app: CustomerSuccess, customer: UUID):
    result = app.create_plan(actor="a", customer_id=customer, name="Expansion pilot",
                             start_date=START)
    plan = app.load(SuccessPlan, result.id)
    assert (plan.name, plan.template, plan.milestones) == ("Expansion pilot", None, [])
    with pytest.raises(InvalidInput) as early:
        app.add_plan_milestone(actor="a", plan_id=result.id, title="t",
                               due_date=START - timedelta(days=1), acceptance_criterion="c")
    assert early.value.errors[0].field == "due_date"


def test_plans_follow_each_other_for_the_same_customer(app: CustomerSuccess, customer: UUID,
                                                       csm: UUID):
    handover = app.create_plan(actor="a", customer_id=customer,
                               template="implementation_handover", start_date=START).id
    follow = app.create_plan(actor="a", customer_id=customer, template="continuous_operation",
                             start_date=START + timedelta(days=91), previous_plan_id=handover)
    assert app.load(SuccessPlan, follow.id).previous_plan_id == handover
    other = new_customer(app, csm, "Other Clinic")
    before = app.max_position()
    for previous in (handover, uuid4()):
        with pytest.raises(InvalidInput) as err:
            app.create_plan(actor="a", customer_id=other, template="continuous_operation",
                            start_date=START, previous_plan_id=previous)
        assert err.value.errors[0].field == "previous_plan_id"
    with pytest.raises(InvalidInput) as err:
        app.create_plan(actor="a", customer_id=uuid4(), template="churn_recovery",
                        start_date=START)
    assert err.value.errors[0].field == "customer_id"
    assert app.max_position() == before


def test_snapshot_round_trips_milestones(stored: CustomerSuccess, stored_customer: UUID):
    app, customer = stored, stored_customer
    created = app.create_plan(actor="a", customer_id=customer, template="roadmap_30_60_90",
                              start_date=START)
    pid, first = created.id, created.extra["milestone_ids"][0]
    app.activate_plan(actor="a", plan_id=pid, activated_on=START)
    app.complete_plan_milestone(actor="a", plan_id=pid, milestone_id=first,
                                completed_on=START + timedelta(days=31), evidence="kpi set")
    live = app.load(SuccessPlan, pid)
    app.take_snapshot(pid)
    assert app.snapshots is not None and list(app.snapshots.get(pid))
    restored = app.repository.get(pid)
    assert state(restored) == state(live)
    # The restored plan still finds its milestones by id.
    app.miss_plan_milestone(actor="a", plan_id=pid, milestone_id=created.extra["milestone_ids"][1],
                            missed_on=START + timedelta(days=61))
    assert app.load(SuccessPlan, pid).milestones[0]["days_late"] == 1
