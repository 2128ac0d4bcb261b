"""The lifecycle and due-date rules (cs_domain.lifecycle, cs_domain.deadlines): the SQL
conditions built from them agree with the Python predicates, every live term is on exactly
one phase, and the stage rules' properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine, insert, select

from cs_domain import deadlines
from cs_domain.lifecycle import (
    ACTIVATED_STAGES,
    LIVE_STAGES,
    TRANSITIONS,
    BoardPhase,
    Fact,
    StageFacts,
    StagePoint,
    UsagePeriod,
    activated_on,
    manual_refusal,
    next_stage,
    step,
    term_phase,
    time_facts,
)
from projections.rule_sql import overdue_condition, renewal_due_condition
from tests.profiles import examples

DAYS = st.dates(date(2024, 1, 1), date(2026, 12, 31))
STATUSES = st.sampled_from(["open", "mitigating", "closed", "todo", "doing", "done"])
CONTRACT_STATUSES = st.sampled_from(["draft", "signed", "active", "renewed", "churned",
                                     "terminated"])
STAGES = st.sampled_from([*LIVE_STAGES, "churned"])

meta = MetaData()
ROWS = Table("rows", meta, Column("id", Integer, primary_key=True),
             Column("status", String(16)), Column("due_date", Date),
             Column("end_date", Date))
ENGINE = create_engine("sqlite://")
meta.create_all(ENGINE)


def _matching(rows: list[tuple[str, date]], condition: object) -> set[int]:
    with ENGINE.begin() as conn:
        conn.execute(ROWS.delete())
        if rows:
            conn.execute(insert(ROWS), [{"id": i, "status": s, "due_date": d, "end_date": d}
                                        for i, (s, d) in enumerate(rows)])
        return set(conn.execute(select(ROWS.c.id).where(condition)).scalars())  # type: ignore[arg-type]


@settings(max_examples=examples(60), deadline=None)
@given(rows=st.lists(st.tuples(STATUSES, DAYS), max_size=12), today=DAYS,
       open_statuses=st.sets(STATUSES, min_size=1))
def test_the_overdue_sql_condition_is_the_python_rule(
        rows: list[tuple[str, date]], today: date, open_statuses: set[str]) -> None:
    expected = {i for i, (s, d) in enumerate(rows)
                if deadlines.is_overdue(s in open_statuses, d, today)}
    assert _matching(rows, overdue_condition(ROWS, today, open_statuses)) == expected


@settings(max_examples=examples(60), deadline=None)
@given(rows=st.lists(st.tuples(CONTRACT_STATUSES, DAYS), max_size=12), a=DAYS, b=DAYS)
def test_the_renewal_due_sql_condition_is_the_python_rule(
        rows: list[tuple[str, date]], a: date, b: date) -> None:
    from_, to = min(a, b), max(a, b)
    expected = {i for i, (s, d) in enumerate(rows) if deadlines.is_renewal_due(s, d, from_, to)}
    assert _matching(rows, renewal_due_condition(ROWS, from_, to)) == expected


def test_overdue_is_the_day_after_the_due_date() -> None:
    due = date(2025, 3, 1)
    assert not deadlines.is_overdue(True, due, due)
    assert deadlines.is_overdue(True, due, due + timedelta(days=1))
    assert not deadlines.is_overdue(False, due, due + timedelta(days=9))
    assert not deadlines.is_overdue(True, None, due)


@given(start=DAYS, length=st.integers(1, 800), offset=st.integers(0, 1000),
       first=st.booleans())
def test_every_started_term_is_on_exactly_one_phase(start: date, length: int, offset: int,
                                                   first: bool) -> None:
    end, on = start + timedelta(days=length), start + timedelta(days=offset)
    phase = term_phase(start, end, on, first_term=first)
    assert phase.phase in (BoardPhase.ONBOARDING, BoardPhase.STABLE, BoardPhase.RENEWAL)
    if not first:
        assert phase.phase != BoardPhase.ONBOARDING  # a renewal term is never onboarding
    if (end - on).days < 90:
        assert phase.phase == BoardPhase.RENEWAL
    elif first and offset <= 90:
        assert phase.phase == BoardPhase.ONBOARDING and phase.checkpoint in (7, 14, 30, 60, 90)
    else:
        assert phase.phase == BoardPhase.STABLE


def test_a_renewal_term_in_its_first_days_is_stable_with_no_check_points() -> None:
    start = date(2026, 1, 1)
    renewal = term_phase(start, date(2026, 12, 31), date(2026, 1, 8), first_term=False)
    first = term_phase(start, date(2026, 12, 31), date(2026, 1, 9), first_term=True)
    assert (renewal.phase, renewal.checkpoint) == ("stable", None)
    assert (first.phase, first.checkpoint, first.checkpoints_passed) == ("onboarding", 14, (7,))


@given(stage=STAGES, fact=st.sampled_from(list(Fact)))
def test_facts_never_lead_back_to_signed_or_onboarding_after_activation(stage: str,
                                                                       fact: Fact) -> None:
    target = next_stage(stage, fact)
    if target is not None:
        assert target != "signed"
        if stage in ACTIVATED_STAGES:
            assert target not in ("onboarding", "signed")
    if fact == Fact.RENEWED and stage in LIVE_STAGES:
        assert target in ("mature", None) and (target is not None or stage == "mature")
    if fact == Fact.CHURNED and stage != "churned":
        assert target == "churned"


@given(stage=STAGES, since=DAYS, on=DAYS, by_hand=st.booleans(),
       fact=st.sampled_from(list(Fact)))
def test_a_step_never_moves_a_stage_date_backwards(stage: str, since: date, on: date,
                                                   by_hand: bool, fact: Fact) -> None:
    after = step(StagePoint(stage, since, by_hand), fact, on)
    if after is None:
        assert TRANSITIONS[fact].get(stage) is None or (by_hand and on < since)
    else:
        assert after.since is not None and after.since >= since and not after.by_hand


@given(stage=STAGES, target=STAGES, onboarded=st.none() | DAYS, activated=st.booleans())
def test_manual_changes_the_facts_forbid_are_refused(stage: str, target: str,
                                                    onboarded: date | None,
                                                    activated: bool) -> None:
    refusal = manual_refusal(StageFacts(stage, onboarded, activated), target)
    if target == stage or (stage == "churned") != (target == "reactivated"):
        assert refusal is not None
    if target == "onboarding" and activated:
        assert refusal is not None
    if target == "signed" and onboarded is not None:
        assert refusal is not None
    if (stage != "churned" and target not in ("signed", "onboarding", "reactivated", stage)):
        assert refusal is None


def test_activated_is_the_first_active_usage_from_the_start() -> None:
    start = date(2025, 1, 10)
    periods = [UsagePeriod(date(2025, 1, 6), date(2025, 1, 12), Decimal("0.5")),
               UsagePeriod(date(2025, 1, 13), date(2025, 1, 19), Decimal(2)),
               UsagePeriod(date(2024, 12, 1), date(2024, 12, 7), Decimal(5))]
    assert activated_on(start, periods) == date(2025, 1, 13)
    assert activated_on(start, periods, Decimal("0.5")) == start  # reaches the start
    assert activated_on(start, periods[2:]) is None  # before the start


def test_time_facts_chain_activation_maturity_and_the_renewal_window() -> None:
    start = date(2025, 1, 1)
    periods = [UsagePeriod(date(2025, 1, 20), date(2025, 1, 26), Decimal(3), Decimal("0.2")),
               UsagePeriod(date(2025, 7, 7), date(2025, 7, 13), Decimal(4), Decimal("0.6"))]
    point = StagePoint("onboarding", start)
    facts = time_facts(point, start, periods, date(2025, 12, 31), date(2026, 1, 5))
    assert [(f.value, on, p.stage) for f, on, p in facts] == [
        ("activated", date(2025, 1, 20), "growth"),
        ("matured", date(2025, 7, 7), "mature"),
        ("renewal_window", date(2025, 9, 2), "renewal")]
    # A stage set by hand after the window opened stands until the next fact.
    by_hand = StagePoint("mature", date(2025, 10, 1), by_hand=True)
    assert time_facts(by_hand, start, periods, date(2025, 12, 31), date(2026, 1, 5)) == []
