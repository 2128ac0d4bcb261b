"""Seed 001 §二.8 / seed 002 warning lines: a reported business change starts the
`business_change` playbooks (filtered by `kinds`), and outreach unanswered for `days`
starts a `no_reply` playbook once per silence (tick, `today` passed in); both stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.rules import business_change_key, no_reply_key
from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput
from cs_domain.signals import unanswered_outreach
from projections.db import ReadModels
from tests.automation.story import ACTOR, BASE, Story, day, run, run_id, runs, tasks, ticked

NO_REPLY = {
    "name": "No reply to outreach", "trigger_kind": "no_reply", "trigger_params": {"days": 10},
    "customer_goal": "Hear back from the customer.", "business_goal": "Catch silence early.",
    "actions": [{"title": "Call the level-1 contact", "owner_role": "owner_csm",
                 "channel": "call", "offset_days": 1}],
    "success_metrics": [],
}


def _touch(app: CustomerSuccess, customer, kind: str, on: date) -> None:
    app.record_touchpoint(actor=ACTOR, customer_id=customer, kind=kind, occurred_on=on,
                          summary="Weekly status" if kind == "weekly_report" else "Talked",
                          week_start=on - timedelta(days=on.weekday())
                          if kind == "weekly_report" else None)


def test_a_business_change_starts_the_review(app: CustomerSuccess, models: ReadModels,
                                             story: Story) -> None:
    acme = story.customer("Acme")
    story.contract(acme, start=-100, end=265)
    change = app.report_business_change(actor=ACTOR, customer_id=acme, kind="merger",
                                        occurred_on=day(-1), note="Bought by a chain").id
    # Recorded today, a day after it occurred: the first step (due yesterday) is skipped.
    ticked(app, models, 0)
    found = run(models, run_id("business_change_review", business_change_key(change)))
    assert found is not None and found["triggered_on"] == day(-1)
    assert found["source_id"] == change
    assert [s["status"] for s in found["steps"]] == ["skipped", "open", "open"]
    assert [t.due_date for t in tasks(app, found)] == [day(1), day(13)]
    assert {t.assignee_id for t in tasks(app, found)} == {story.csm}


def test_a_playbook_may_react_to_some_kinds_only(app: CustomerSuccess, models: ReadModels,
                                                 story: Story) -> None:
    acme = story.customer("Acme")
    story.contract(acme, start=-100, end=265)
    definition = {**NO_REPLY, "trigger_kind": "business_change",
                  "trigger_params": {"kinds": ["closure"]}, "name": "Closure"}
    app.define_playbook(actor=ACTOR, key="closure", **definition)
    merger = app.report_business_change(actor=ACTOR, customer_id=acme, kind="merger",
                                        occurred_on=day(0)).id
    closure = app.report_business_change(actor=ACTOR, customer_id=acme, kind="closure",
                                         occurred_on=day(0)).id
    ticked(app, models, 0)
    assert run(models, run_id("closure", business_change_key(merger))) is None
    assert run(models, run_id("closure", business_change_key(closure))) is not None
    with pytest.raises(InvalidInput) as refused:
        app.define_playbook(actor=ACTOR, key="bad", **{**definition,
                                                       "trigger_params": {"kinds": ["war"]}})
    assert "trigger_params.kinds" in {e.field for e in refused.value.errors}


def test_outreach_without_a_reply_starts_no_reply_once_per_silence(
        app: CustomerSuccess, models: ReadModels, story: Story) -> None:
    app.define_playbook(actor=ACTOR, key="no_reply", **NO_REPLY)
    quiet, chatty = story.customer("Quiet"), story.customer("Chatty")
    for c in (quiet, chatty):
        story.contract(c, start=-100, end=265)
    for week in (-40, -33, -26):  # three weekly reports into a silence
        _touch(app, quiet, "weekly_report", day(week))
    _touch(app, chatty, "weekly_report", day(-40))
    _touch(app, chatty, "call", day(-30))  # the 10th day after: answered
    ticked(app, models, -30)  # the last day of the wait: not yet
    assert runs(models, playbook="no_reply") == []
    ticked(app, models, 0)
    [found] = runs(models, playbook="no_reply")
    assert found["id"] == run_id("no_reply", no_reply_key(quiet, day(-40)))
    assert found["triggered_on"] == day(-29)  # the first day past the wait
    _touch(app, quiet, "check_in", day(-5))  # the silence ends; a new one starts after it
    _touch(app, quiet, "weekly_report", day(-4))
    ticked(app, models, 6)  # -4 + 10 = day 6: still within the wait
    assert len(runs(models, playbook="no_reply")) == 1
    ticked(app, models, 7)
    assert len(runs(models, playbook="no_reply")) == 2
    assert run(models, run_id("no_reply", no_reply_key(quiet, day(-4)))) is not None


def test_the_no_reply_days_are_bounded(app: CustomerSuccess, story: Story) -> None:
    for days in (0, 731, "10", None):
        with pytest.raises(InvalidInput) as refused:
            app.define_playbook(actor=ACTOR, key="no_reply_bad",
                                **{**NO_REPLY, "trigger_params": {"days": days}})
        assert "trigger_params.days" in {e.field for e in refused.value.errors}


KINDS = st.sampled_from(["weekly_report", "call", "check_in", "training"])
TOUCHES = st.lists(st.tuples(KINDS, st.integers(0, 120).map(lambda n: BASE + timedelta(n))),
                   max_size=25)


@given(TOUCHES, st.integers(1, 30), st.integers(0, 150), st.integers(0, 60))
def test_unanswered_outreach_only_grows_with_today(touches, days, t1, later):
    first = unanswered_outreach(touches, days, BASE + timedelta(t1))
    second = unanswered_outreach(touches, days, BASE + timedelta(t1 + later))
    assert set(first) <= set(second)
    for sent, reached in second:
        assert reached == sent + timedelta(days=days + 1)
        assert not any(kind != "weekly_report" and sent <= on <= sent + timedelta(days=days)
                       for kind, on in touches)
