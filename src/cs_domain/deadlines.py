"""Due dates and renewal outcomes, defined once (docs/rules.md "Overdue" and "Renewal rates").

- **Overdue** (risks, tasks, success-plan and CSM milestones): still open and past its due
  date; the due date itself is not late. :func:`overdue_cutoff` is the latest due date that
  is overdue on a day, so a Python check (:func:`is_overdue`) and an SQL condition
  (``due_date <= overdue_cutoff(today)``, built in ``projections.rule_sql``) use the same
  definition.
- **Renewal rates** (seed 001: 续约率 = renewed customers / customers due; 续费率 = renewed
  amount / amount due): a contract is *due* in a period when its end date falls in it (both
  ends included) and it was ever in force (not a draft, not terminated); it is *renewed*
  when its status is ``renewed`` (whenever: early renewals count), *churned* when its status
  is ``churned``.

Pure: no clock (``today`` comes in), no I/O.
"""

from __future__ import annotations

from datetime import date

from cs_domain.days import shift

# Contract statuses (cs_domain.contract.ContractStatus values) for the renewal rates.
NOT_DUE = ("draft", "terminated")
RENEWED = "renewed"
CHURNED = "churned"


def overdue_cutoff(today: date) -> date:
    """The latest due date that is overdue on `today` (the day before: due today is not late)."""
    return shift(today, -1)


def is_overdue(is_open: bool, due_date: date | None, today: date) -> bool:
    """Open and past its due date (a due date of None is never overdue)."""
    return is_open and due_date is not None and due_date <= overdue_cutoff(today)


def is_renewal_due(status: str, end_date: date, from_: date, to: date) -> bool:
    """Due for renewal in [from_, to]: ends in the range and was ever in force."""
    return status not in NOT_DUE and from_ <= end_date <= to


def is_renewed(status: str) -> bool:
    return status == RENEWED


def is_churned(status: str) -> bool:
    return status == CHURNED
