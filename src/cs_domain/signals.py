"""No reply to outreach (seed 002 低活跃: a customer who stops answering), the rule of the
`no_reply` playbook trigger. No clock, no I/O: `today` comes in.

Touchpoints carry no direction, so the kinds decide:
- **outreach** (`OUTREACH_KINDS`): `weekly_report` — the CSM's written follow-up sent to the
  customer (seed 003), which the customer may or may not answer;
- **reply** (`REPLY_KINDS`): every two-way contact — `check_in`, `call`, `onsite_visit`,
  `training`, `qbr` (a call is recorded when it took place; an unanswered call is not a
  touchpoint).

An outreach on day d is **unanswered** when no reply occurred on any day of d … d + days
(both inclusive); the occurrence is dated d + days + 1 (the first day past the wait) and
exists once that day is ≤ today. One occurrence per silence: of the unanswered outreaches
that follow the same latest reply (or none), only the first counts, so weekly reports into
a silence start one run, not one a week.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date

from cs_domain.days import shift
from cs_domain.touchpoint import TouchpointKind

OUTREACH_KINDS = frozenset({TouchpointKind.WEEKLY_REPORT.value})
REPLY_KINDS = frozenset({TouchpointKind.CHECK_IN.value, TouchpointKind.CALL.value,
                         TouchpointKind.ONSITE_VISIT.value, TouchpointKind.TRAINING.value,
                         TouchpointKind.QBR.value})
MAX_DAYS = 730


def unanswered_outreach(touchpoints: Iterable[tuple[str, date]], days: int,
                        today: date) -> list[tuple[date, date]]:
    """(outreach day, occurrence day) of each silence reached by `today`: the first
    unanswered outreach after each reply (or before any), dated outreach + days + 1."""
    replies: list[date] = []
    outreach: set[date] = set()
    for kind, day in touchpoints:
        if kind in REPLY_KINDS:
            replies.append(day)
        elif kind in OUTREACH_KINDS:
            outreach.add(day)
    replies.sort()
    found: list[tuple[date, date]] = []
    silences: set[int] = set()  # index of the latest reply before the outreach (0: none)
    for day in sorted(outreach):
        last_waited = shift(day, days)
        if last_waited >= today:
            break  # later outreach waits longer still
        first_reply = bisect_left(replies, day)
        if first_reply < len(replies) and replies[first_reply] <= last_waited:
            continue  # answered
        silence = first_reply  # replies before the outreach: the same count, the same silence
        if silence in silences:
            continue
        silences.add(silence)
        found.append((day, shift(last_waited, 1)))
    return found

