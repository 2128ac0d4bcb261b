"""Pure rules of the automation: occurrences, their keys and dates, freshness, outcomes.

No clock and no I/O: every date comes in. Each rule names an *occurrence* (what happened,
for whom, dated by a business date) with a key that identifies it for good, so the run it
starts has a derived id and can never be started twice (see docs/playbooks.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from cs_domain.days import shift
from cs_domain.playbook_rules import quarter_start

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Occurrence:
    """One trigger occurrence: start `playbook_key` for `customer_id`, dated `triggered_on`."""

    playbook_key: str
    customer_id: UUID
    occurrence_key: str
    triggered_on: date
    source_id: UUID | None = None
    # The day the trigger became known (from the log): a late run skips what was past.
    known_on: date | None = None


@dataclass(frozen=True)
class Decision:
    """A measured outcome: achieved or not, on the business date that decided it."""

    achieved: bool
    measured_on: date
    detail: str


# --- occurrence keys: what identifies each kind of occurrence ------------------------------
def activated_key(contract_id: UUID) -> str:
    return f"contract:{contract_id}:activated"


def churned_key(contract_id: UUID) -> str:
    return f"contract:{contract_id}:churned"


def renewal_key(contract_id: UUID, end_date: date) -> str:
    return f"contract:{contract_id}:renewal:{end_date.isoformat()}"


def usage_drop_key(customer_id: UUID, period_start: date) -> str:
    return f"customer:{customer_id}:usage-drop:{period_start.isoformat()}"


def usage_growth_key(customer_id: UUID, period_start: date) -> str:
    return f"customer:{customer_id}:usage-growth:{period_start.isoformat()}"


def inactive_key(customer_id: UUID, reached_on: date) -> str:
    return f"customer:{customer_id}:inactive:{reached_on.isoformat()}"


def no_reply_key(customer_id: UUID, outreach_on: date) -> str:
    return f"customer:{customer_id}:no-reply:{outreach_on.isoformat()}"


def business_change_key(change_id: UUID) -> str:
    return f"business-change:{change_id}"


def churn_risk_key(customer_id: UUID, month: date) -> str:
    """One churn-risk occurrence per customer and calendar month (`month`: its first day)."""
    return f"customer:{customer_id}:churn-risk:{month.isoformat()[:7]}"


def qbr_key(customer_id: UUID, quarter: date) -> str:
    return f"customer:{customer_id}:qbr:{quarter.isoformat()}"


# --- when an event-driven occurrence is still worth a run --------------------------------
def fresh(triggered_on: date, last_offset: int, known_on: date) -> bool:
    """A run is started only if, on the day its trigger became known (the day the event was
    recorded), at least one of its steps was still ahead: ``known_on <= triggered_on +
    last_offset``. Loading years of history (an import, the demo) then starts no runs whose
    every task would be long overdue, and a replay decides the same (the day is in the log).
    """
    return known_on <= shift(triggered_on, last_offset)


# --- time rules ------------------------------------------------------------------------------
def next_quarter(day: date) -> date | None:
    """The next quarter's start, or None after the calendar's last quarter."""
    q = quarter_start(day)
    if q.month == 10 and q.year == date.max.year:
        return None
    return date(q.year + (q.month == 10), (q.month + 2) % 12 + 1, 1)


def quarters(anchor: date, today: date) -> Iterator[date]:
    """Quarter starts from the first one on or after `anchor` up to `today` (the QBR
    catch-up horizon: a customer's first QBR is the first full quarter it is eligible)."""
    q: date | None = anchor if quarter_start(anchor) == anchor else next_quarter(anchor)
    while q is not None and q <= today:
        yield q
        q = next_quarter(q)


# --- outcomes ----------------------------------------------------------------------------
def decide(success_on: date | None, failure_on: date | None, deadline: date, today: date,
           what: str) -> Decision | None:
    """The outcome of a metric whose window ends on `deadline` (inclusive), if decided by
    `today`: success counts when it happened by the deadline; a failure fact (a cancelled
    step, a churn) or the window closing (the day after the deadline) decides "missed".
    The earliest deciding date wins; nothing is decided before its date is reached, so
    measuring is monotone in `today` (a later tick never decides differently)."""
    options: list[tuple[date, bool, str]] = [(shift(deadline, 1), False, f"{what}: window closed")]
    if success_on is not None and success_on <= deadline:
        options.append((success_on, True, f"{what} on {success_on.isoformat()}"))
    if failure_on is not None and failure_on <= deadline:
        options.append((failure_on, False, f"{what}: not possible after {failure_on.isoformat()}"))
    on, achieved, detail = min(options, key=lambda o: (o[0], not o[1]))
    return Decision(achieved, on, detail) if on <= today else None


def steps_outcome(steps: list[dict[str, Any]], run_ended: date | None, run_status: str,
                  step: int | None) -> tuple[date | None, date | None]:
    """(success_on, failure_on) of "every step done" (step None) or "step k done".

    Steps a late run skipped do not count (there was nothing to do); a metric whose every
    chosen step was skipped has neither, so it is missed when its window closes."""
    chosen = steps if step is None else [s for s in steps if s["step"] == step]
    chosen = [s for s in chosen if s["status"] != "skipped"]
    if not chosen:
        return None, None
    cancelled = [s["done_on"] for s in chosen if s["status"] == "cancelled"]
    open_steps = [s for s in chosen if s["status"] == "open"]
    failure = min(cancelled) if cancelled else None
    if open_steps and run_status == "abandoned" and run_ended is not None:
        failure = min(failure, run_ended) if failure else run_ended
    if not cancelled and not open_steps:
        return max(s["done_on"] for s in chosen), failure
    return None, failure
