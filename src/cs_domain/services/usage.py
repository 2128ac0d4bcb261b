"""Usage command: report one customer's usage signals for one period.

One (customer, period_start) is one aggregate with a deterministic id, so a report
is a single small event. Re-reporting a period records a correction; two first
reports of the same period racing each other resolve the same way (the loser
retries as a correction) instead of surfacing a conflict.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.errors import ConcurrencyConflict, NotFound
from cs_domain.services.customers import CustomerCommands
from cs_domain.usage import UsageFigures, UsageReport

RACE_RETRIES = 8  # each lost race means another writer progressed


class UsageCommands(CustomerCommands):
    def report_usage(
        self, *, actor: str, customer_id: UUID, period_start: date, period_end: date,
        active_days_per_week: int | Decimal, feature_adoption: int | Decimal, open_issues: int,
        core_features_used: int | None = None, core_features_total: int | None = None,
        features_used: int | None = None, features_available: int | None = None,
        nps: int | None = None,
    ) -> CommandResult:
        """Records the period's figures; extra ``corrected`` (the period was reported
        before) and ``changed`` (an event was written: False for an identical re-report)."""
        figures = UsageFigures(
            period_end=period_end, active_days_per_week=active_days_per_week,
            feature_adoption=feature_adoption, open_issues=open_issues,
            core_features_used=core_features_used, core_features_total=core_features_total,
            features_used=features_used, features_available=features_available, nps=nps,
        )
        UsageReport.check(period_start, figures)
        report_id = UsageReport.id_for(customer_id, period_start)
        # The store checks the customer in the commit's transaction; the report is written
        # as a first report without reading it first (most reports are of a new period): if
        # the period was reported before, that save clashes, writes nothing, and the loop
        # loads the report and corrects it.
        requires = (self.customer_required(customer_id),)
        attempts = 0
        first_try = True
        while True:
            report = None if first_try else self._stored_report(report_id)
            if report is None:
                report = UsageReport.report(actor=actor, customer_id=customer_id,
                                            period_start=period_start, figures=figures)
                corrected = False
            else:
                corrected = True
                if not report.correct(actor=actor, figures=figures):
                    # Identical re-report (e.g. a retried push): nothing to write.
                    return self.result(report, self.max_position(), corrected=True,
                                       changed=False)
            try:
                position = self.commit(report, requires=requires)
            except ConcurrencyConflict:
                if first_try:  # reported before (or a racing first report): load it
                    first_try = False
                    continue
                attempts += 1
                if attempts >= RACE_RETRIES:
                    raise
                continue
            return self.result(report, position, corrected=corrected, changed=True)

    def _stored_report(self, report_id: UUID) -> UsageReport | None:
        try:
            return self.load(UsageReport, report_id)
        except NotFound:
            return None
