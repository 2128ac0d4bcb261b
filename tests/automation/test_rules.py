"""The pure rules: quarters, freshness, outcome decisions (monotone in today), step outcomes."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from automation.catalog import invalid_params
from automation.rules import decide, fresh, next_quarter, quarters, steps_outcome

D = date(2026, 5, 15)
days = st.integers(-200, 200).map(lambda n: D + timedelta(days=n))


def test_quarters_start_on_the_first_full_quarter_after_the_anchor() -> None:
    assert next_quarter(date(2026, 11, 27)) == date(2027, 1, 1)
    assert next_quarter(date(2026, 1, 1)) == date(2026, 4, 1)
    assert list(quarters(date(2026, 4, 1), date(2026, 10, 1))) == [
        date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
    assert list(quarters(date(2026, 4, 2), date(2026, 9, 30))) == [date(2026, 7, 1)]
    assert list(quarters(date(2026, 4, 2), date(2026, 6, 30))) == []


def test_a_trigger_is_fresh_while_a_step_is_still_ahead() -> None:
    assert fresh(D, 90, D + timedelta(days=90))
    assert not fresh(D, 90, D + timedelta(days=91))
    assert fresh(D, 0, D) and fresh(D, 0, D - timedelta(days=5))


def test_unusable_trigger_parameters_are_named() -> None:
    assert invalid_params("usage_drop", {"drop_ratio": "0.3", "window_days": 14}) is None
    assert invalid_params("usage_drop", {"drop_ratio": "a lot"}) == (
        "trigger_params.drop_ratio is not a number: 'a lot'")
    assert invalid_params("renewal_window", {"days_before": -5}) is not None
    assert invalid_params("quarterly", {"tiers": ["strategic"]}) is None


@given(success=st.none() | days, failure=st.none() | days, deadline=days, t1=days, t2=days)
def test_decisions_are_monotone_in_today(success: date | None, failure: date | None,
                                         deadline: date, t1: date, t2: date) -> None:
    early, late = sorted((t1, t2))
    first = decide(success, failure, deadline, early, "m")
    second = decide(success, failure, deadline, late, "m")
    if first is not None:
        assert second == first  # a later tick never decides differently
    if second is not None:
        assert second.measured_on <= late
        assert second.measured_on <= deadline + timedelta(days=1)
        if second.achieved:
            assert success is not None and success == second.measured_on <= deadline


def test_decide_prefers_the_earliest_fact_and_closes_the_window() -> None:
    deadline = D + timedelta(days=30)
    assert decide(D, None, deadline, D, "x").achieved is True  # type: ignore[union-attr]
    assert decide(D + timedelta(days=31), None, deadline, D + timedelta(days=60), "x") == decide(
        None, None, deadline, D + timedelta(days=60), "x")
    missed = decide(None, None, deadline, D + timedelta(days=31), "x")
    assert missed is not None and (missed.achieved, missed.measured_on) == (
        False, D + timedelta(days=31))
    assert decide(None, None, deadline, deadline, "x") is None  # the last day still counts
    failed = decide(D + timedelta(days=9), D + timedelta(days=3), deadline, D + timedelta(9), "x")
    assert failed is not None and (failed.achieved, failed.measured_on) == (
        False, D + timedelta(days=3))


def test_step_outcomes() -> None:
    def step(i: int, status: str, on: int | None) -> dict[str, object]:
        return {"step": i, "status": status,
                "done_on": None if on is None else D + timedelta(days=on)}

    done = [step(0, "done", 1), step(1, "done", 4)]
    assert steps_outcome(done, None, "completed", None) == (D + timedelta(days=4), None)
    assert steps_outcome(done, None, "completed", 0) == (D + timedelta(days=1), None)
    mixed = [step(0, "cancelled", 2), step(1, "open", None)]
    assert steps_outcome(mixed, None, "active", None) == (None, D + timedelta(days=2))
    assert steps_outcome(mixed, None, "active", 1) == (None, None)
    assert steps_outcome(mixed, D + timedelta(days=5), "abandoned", 1) == (
        None, D + timedelta(days=5))
    assert steps_outcome(mixed, None, "active", 7) == (None, None)
