"""Pure trigger rules of the playbooks (seed 002). No clock, no I/O: dates come in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from cs_domain.days import shift


def as_decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def usage_dropped(before: Decimal, now: Decimal, drop_ratio: Decimal) -> bool:
    """Usage fell by at least `drop_ratio` (0.30 = 30 %) from `before` to `now`."""
    if before <= 0:
        return False
    return (before - now) / before >= drop_ratio


def drop_occurrence(
    reports: Sequence[tuple[date, Decimal]], window_days: int, drop_ratio: Decimal
) -> date | None:
    """The period start of the latest report that is ≥ drop_ratio below a report at most
    `window_days` earlier, or None. `reports` are (period_start, active_days) sorted."""
    if not reports:
        return None
    last_start, last_value = reports[-1]
    for start, value in reports[:-1]:
        if timedelta(0) < last_start - start <= timedelta(days=window_days) and usage_dropped(
            value, last_value, drop_ratio
        ):
            return last_start
    return None


def inactive(last_active: date | None, since: date, today: date, days: int) -> date | None:
    """The day the silence reached `days` (the occurrence), if it has by `today`.

    Silence counts from the last active day, or from `since` (e.g. onboarding start)
    when the customer never was active.
    """
    start = last_active or since
    reached = shift(start, days)
    return reached if reached <= today else None


def renewal_window_opens(end_date: date, days_before: int) -> date:
    return shift(end_date, -days_before)


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def growth_sustained(values: Sequence[Decimal], weeks: int, growth_ratio: Decimal) -> bool:
    """The last `weeks` weekly values rose every week and by ≥ growth_ratio overall."""
    if len(values) < weeks + 1:
        return False
    window = values[-(weeks + 1):]
    if any(b <= a for a, b in pairwise(window)):
        return False
    return window[0] > 0 and (window[-1] - window[0]) / window[0] >= growth_ratio


TOUCHPOINT_WINDOW = timedelta(days=7)


def touchpoint_step(steps: Sequence[dict[str, Any]], triggered_on: date, kind: str,
                    occurred_on: date) -> dict[str, Any] | None:
    """The open (or skipped) step a touchpoint of `kind` on `occurred_on` completes, if any.

    A step asks for the touchpoint kinds in its `completed_by`. Its window runs from 7 days
    before its due date (never before the run's trigger date) to 7 days after it; a
    catch-up step's window opens at the trigger date (the step was due long ago: anything
    since counts). Of the matching steps, the one due first (a catch-up by its planned
    date). A step a late run skipped
    counts too: the touchpoint shows it happened after all.
    """
    for s in sorted(steps, key=lambda s: (s.get("planned_due", s["due_date"]), s["step"])):
        if s["status"] not in ("open", "skipped") or kind not in s.get("completed_by", ()):
            continue
        opens = triggered_on if s.get("catch_up") else max(triggered_on,
                                                           s["due_date"] - TOUCHPOINT_WINDOW)
        if opens <= occurred_on <= s["due_date"] + TOUCHPOINT_WINDOW:
            return s
    return None
