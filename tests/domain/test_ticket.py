"""Ticket: open → replied → resolved, one accuracy review after the first reply; the
nearest-rank percentile of the support metric."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.errors import InvalidInput, TransitionNotAllowed
from cs_domain.ticket import Ticket
from projections.views.tickets import percentile

T0 = datetime(2025, 6, 3, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def new_ticket(**overrides: object) -> Ticket:
    args: dict = dict(actor="u", customer_id=uuid.uuid4(), channel="chat",
                      subject="Export appointments", opened_at=T0)
    args.update(overrides)
    return Ticket.open(**args)


def test_the_ticket_steps_and_first_reply_minutes():
    t = new_ticket()
    t.reply(actor="agent-1", replied_at=T0 + timedelta(minutes=12, seconds=30))
    assert (t.status, t.agent, t.first_reply_minutes) == ("replied", "agent-1", 12.5)
    t.resolve(actor="agent-1", resolved_at=T0 + timedelta(hours=1))
    t.review(actor="boss", accurate=True, reviewed_at=T0 + timedelta(days=1), note="fine")
    assert (t.status, t.accurate, t.reviewer) == ("resolved", True, "boss")
    assert [type(e).__name__ for e in t.collect_events()] == [
        "Opened", "FirstReplied", "Resolved", "AccuracyReviewed"]


@pytest.mark.parametrize("field,overrides", [
    ("channel", {"channel": "pigeon"}), ("subject", {"subject": ""}),
    ("subject", {"subject": "x" * 501}), ("opened_at", {"opened_at": datetime(2025, 6, 3)}),
])
def test_opening_refuses_bad_input_naming_the_field(field, overrides):
    with pytest.raises(InvalidInput) as err:
        new_ticket(**overrides)
    assert [e.field for e in err.value.errors] == [field]


def test_forbidden_transitions():
    t = new_ticket()
    with pytest.raises(TransitionNotAllowed):
        t.resolve(actor="u", resolved_at=T0)
    with pytest.raises(TransitionNotAllowed):
        t.review(actor="m", accurate=True, reviewed_at=T0)
    t.reply(actor="u", replied_at=T0)
    with pytest.raises(TransitionNotAllowed):
        t.reply(actor="u", replied_at=T0)
    t.review(actor="m", accurate=False, reviewed_at=T0)
    with pytest.raises(TransitionNotAllowed):
        t.review(actor="m", accurate=True, reviewed_at=T0)
    t.resolve(actor="u", resolved_at=T0)
    with pytest.raises(TransitionNotAllowed):
        t.resolve(actor="u", resolved_at=T0)


def test_steps_may_not_go_back_in_time():
    t = new_ticket()
    with pytest.raises(InvalidInput) as err:
        t.reply(actor="u", replied_at=T0 - timedelta(minutes=1))
    assert [e.field for e in err.value.errors] == ["replied_at"]
    t.reply(actor="u", replied_at=T0 + timedelta(hours=1))
    with pytest.raises(InvalidInput) as err:
        t.review(actor="m", accurate="yes", reviewed_at=T0, note="n" * 5001)  # type: ignore[arg-type]
    assert {e.field for e in err.value.errors} == {"accurate", "note", "reviewed_at"}


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60),
       st.sampled_from([50, 90]))
def test_nearest_rank_percentile(values, p):
    decimals = [Decimal(v) for v in values]
    result = percentile(decimals, p)
    assert result in decimals
    at_or_below = sum(1 for v in decimals if v <= result)
    below = sum(1 for v in decimals if v < result)
    assert at_or_below >= math.ceil(p * len(values) / 100)  # at least p % at or below
    assert below < math.ceil(p * len(values) / 100)  # the smallest such value


def test_percentile_of_nothing_is_none():
    assert percentile([], 50) is None
