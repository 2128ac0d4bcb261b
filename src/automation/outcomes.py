"""Measuring a run's success metrics (seed 002: "成功指标") from the facts in the views.

One function for both paths: the process manager measures when an event brings the
deciding fact (as of that event, with the day it was recorded as "today"); `tick` measures
what the passing of time decides (a window that closed). Both compute the same decision
from the same facts, and a metric is recorded once, so whichever comes first stands.

- tasks_done: achieved when every step's task is done; missed when a step is cancelled,
  the run is abandoned, or the window closes.
- meeting_held: achieved when the named step's task is done; missed when that step is
  cancelled, the run is abandoned, or the window closes.
- usage_recovered: achieved when a later report is back at the pre-drop level (drop runs:
  the highest active days in the drop window before the drop; other runs: any activity);
  missed when the window closes.
- renewed: achieved when the source contract is renewed; missed when it churns or is
  terminated, or the window closes.
- reactivated: achieved when the customer signs a contract after the trigger; missed when
  the window closes.

The window is `within_days` from the trigger date, inclusive.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from automation import inputs
from automation.catalog import days
from automation.inputs import RunFacts
from automation.rules import Decision, decide, steps_outcome
from cs_domain.days import shift
from cs_domain.playbook import MetricKind
from projections.view import Reader


def _usage_recovered(r: Reader, run: RunFacts, deadline: date) -> date | None:
    baseline: Decimal | None = None
    after = run.triggered_on
    if run.trigger_kind == "usage_drop" and run.source_id is not None:
        source = inputs.usage_report(r, run.source_id)
        if source is not None:
            window = days(run.trigger_params, "window_days", "14")
            before = inputs.usage(r, run.customer_id, after=shift(source.period_start, -window - 1),
                                  upto=shift(source.period_start, -1))
            baseline = max((b.active_days for b in before), default=None)
            after = source.period_start
    elif run.trigger_kind == "inactivity":
        # The silence began the day after the last activity, `days` before the trigger.
        after = shift(run.triggered_on, -days(run.trigger_params, "days", "30"))
    for report in inputs.usage(r, run.customer_id, after=after):
        recovered = (report.active_days >= baseline if baseline is not None and baseline > 0
                     else report.active_days > 0)
        if recovered and report.period_end <= deadline:
            return report.period_end
    return None


def _renewed(r: Reader, run: RunFacts) -> tuple[date | None, date | None]:
    if run.source_id is None:
        return None, None
    k = inputs.contract(r, run.source_id)
    if k is None:
        return None, None
    if k["status"] == "renewed":
        return k["renewed_on"], None
    return None, k["churned_on"] or k["terminated_on"]


def _reactivated(r: Reader, run: RunFacts) -> date | None:
    signed = [k["signed_on"] for k in inputs.contracts(r, customer_id=run.customer_id)
              if k["signed_on"] is not None and k["signed_on"] > run.triggered_on]
    return min(signed, default=None)


def evaluate(r: Reader, run: RunFacts, today: date) -> list[tuple[str, Decision]]:
    """The run's not-yet-measured metrics that the facts decide by `today`."""
    decided = []
    for metric in run.metrics:
        name = metric["name"]
        if name in run.measured:
            continue
        deadline = shift(run.triggered_on, int(metric["within_days"]))
        kind = metric["kind"]
        success: date | None = None
        failure: date | None = None
        if kind == MetricKind.TASKS_DONE:
            success, failure = steps_outcome(run.steps, run.ended_on, run.status, None)
        elif kind == MetricKind.MEETING_HELD:
            success, failure = steps_outcome(run.steps, run.ended_on, run.status,
                                             int(metric.get("step", 0)))
        elif kind == MetricKind.USAGE_RECOVERED:
            success = _usage_recovered(r, run, deadline)
        elif kind == MetricKind.RENEWED:
            success, failure = _renewed(r, run)
        elif kind == MetricKind.REACTIVATED:
            success = _reactivated(r, run)
        decision = decide(success, failure, deadline, today, name)
        if decision is not None:
            decided.append((name, decision))
    return decided
