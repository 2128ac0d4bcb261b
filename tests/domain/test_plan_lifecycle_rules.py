"""Lifecycle phases of an annual contract (seed 003) and CSM milestones (seed 001)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cs_domain.errors import InvalidInput
from cs_domain.rules import (
    ONBOARDING_CHECKPOINTS,
    add_months,
    csm_milestones,
    days_late,
    lifecycle_phase,
    lifecycle_position,
)

ORDER = ["onboarding", "stable", "renewal", "ended"]


@pytest.mark.parametrize(("day", "phase", "checkpoint", "passed"), [
    (0, "onboarding", 7, ()),
    (7, "onboarding", 7, ()),
    (8, "onboarding", 14, (7,)),
    (30, "onboarding", 30, (7, 14)),
    (45, "onboarding", 60, (7, 14, 30)),
    (90, "onboarding", 90, (7, 14, 30, 60)),
    (91, "stable", None, (7, 14, 30, 60, 90)),
    (275, "stable", None, (7, 14, 30, 60, 90)),
    (276, "renewal", None, (7, 14, 30, 60, 90)),
    (365, "renewal", None, (7, 14, 30, 60, 90)),
    (366, "ended", None, (7, 14, 30, 60, 90)),
])
def test_phase_and_checkpoint_by_day(day, phase, checkpoint, passed):
    position = lifecycle_phase(day)
    assert (position.day, position.phase, position.checkpoint, position.checkpoints_passed) == (
        day, phase, checkpoint, passed)


def test_position_from_dates_and_refusals():
    assert lifecycle_position(date(2025, 1, 1), date(2025, 4, 1)).phase == "onboarding"  # day 90
    assert lifecycle_position(date(2025, 1, 1), date(2025, 4, 2)).phase == "stable"      # day 91
    with pytest.raises(InvalidInput) as before_start:
        lifecycle_position(date(2025, 1, 1), date(2024, 12, 31))
    assert before_start.value.errors[0].field == "on"
    with pytest.raises(InvalidInput):
        lifecycle_phase(-1)
    assert [d for d, _ in ONBOARDING_CHECKPOINTS] == [7, 14, 30, 60, 90]


@given(st.integers(0, 800), st.integers(0, 800))
def test_phases_only_move_forward(a, b):
    lo, hi = sorted((a, b))
    assert ORDER.index(lifecycle_phase(lo).phase) <= ORDER.index(lifecycle_phase(hi).phase)
    assert set(lifecycle_phase(lo).checkpoints_passed) <= set(lifecycle_phase(hi).checkpoints_passed)


def test_csm_milestones_from_the_customer_start():
    due = csm_milestones(date(2025, 1, 1), term_end=date(2025, 12, 31))
    assert [(m.key, m.due_date) for m in due] == [
        ("activated", date(2025, 1, 31)),
        ("no_basic_questions", date(2025, 4, 30)),
        ("own_activities", date(2025, 9, 30)),
        ("renewed", date(2025, 12, 31)),
    ]
    assert [m.due_date for m in csm_milestones(date(2024, 5, 20))] == [
        date(2024, 6, 19), date(2024, 9, 19), date(2025, 2, 19)]


def test_month_arithmetic_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert csm_milestones(date(2025, 1, 31))[0].due_date == date(2025, 2, 27)


def test_days_late():
    due = date(2025, 1, 31)
    assert days_late(due, date(2025, 2, 3), today=date(2025, 6, 1)) == 3
    assert days_late(due, date(2025, 1, 20), today=date(2025, 6, 1)) == 0
    assert days_late(due, None, today=date(2025, 2, 10)) == 10
    assert days_late(due, None, today=date(2025, 1, 1)) == 0
