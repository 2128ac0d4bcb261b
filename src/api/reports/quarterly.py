"""The quarterly review (复盘): every figure from the metrics reads, this quarter and last.

:func:`quarterly` runs in one read snapshot (the caller's `ViewRead.run`) and calls the
same query functions as the endpoints, with the same arguments, then serialises each
section with the endpoint's response model: `renewals` is exactly what
`GET /metrics/renewals?from=&to=` answers for the quarter (tests compare them). The
business `today` of the review is the quarter's last day (risks still overdue then),
so the same quarter and `as_of` always give the same figures; `position` and
`head_hash` state the log the review was computed from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection

from api.schemas.classification import ClassificationTable
from api.schemas.views.growth import ReferralMetrics
from api.schemas.views.health import ActivationMetrics, UsageMetrics
from api.schemas.views.loops import ComplaintMetrics, RequirementMetrics
from api.schemas.views.playbooks import Effectiveness
from api.schemas.views.renewals import RenewalMetrics
from api.schemas.views.team import Team
from api.schemas.views.work import RiskMetrics
from cs_domain.classification import DEFAULT_LEVEL_BY
from projections.reports.movers import health_movers, health_on
from projections.views import (
    activation,
    classification,
    complaints,
    health_metrics,
    playbook_effectiveness,
    referrals,
    renewal_rates,
    requirements,
    risks,
    team,
)

QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
REPORT_VIEWS = ("contracts", "customers", "users", "risks", "requirements", "complaints",
                "health", "playbook_runs", "team", "tasks", "reporting", "activities",
                "referrals", "classification")


def quarter_range(quarter: str) -> tuple[date, date]:
    match = QUARTER.match(quarter.strip())
    if match is None:
        raise ValueError("must be a quarter such as 2026Q3")
    year, number = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2199:
        raise ValueError("must be a year between 1900 and 2199")
    start = date(year, 3 * number - 2, 1)
    end = date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1) - timedelta(days=1)
    return start, end


def previous_quarter(quarter: str) -> str:
    start, _ = quarter_range(quarter)
    before = start - timedelta(days=1)
    return f"{before.year}Q{(before.month - 1) // 3 + 1}"


def _json(model: type[BaseModel], value: Mapping[str, Any]) -> Any:
    return model.model_validate(value).model_dump(mode="json", by_alias=True)


def period(conn: Connection, from_: date, to: date, at: int | None,
           reporting_currency: str | None = None) -> dict[str, Any]:
    """The figures of one quarter, each as its endpoint answers them."""
    now = datetime.combine(to, time.max, UTC)
    return {
        "renewals": _json(RenewalMetrics, renewal_rates.renewal_figures(
            conn, from_, to, reporting_currency=reporting_currency, at=at)),
        "risks": _json(RiskMetrics, risks.risk_metrics(conn, from_, to, today=to, at=at)),
        "requirements": _json(RequirementMetrics,
                              requirements.requirement_metrics(conn, from_, to, at=at)),
        "complaints": _json(ComplaintMetrics,
                            complaints.complaint_metrics(conn, from_, to, now=now, at=at)),
        "activation": _json(ActivationMetrics, activation.activation_metrics(
            conn, from_, to, min_active_days=Decimal(1), at=at)),
        "usage": _json(UsageMetrics, health_metrics.usage_metrics(conn, from_, to, at=at)),
        "playbooks": _json(Effectiveness, playbook_effectiveness.effectiveness(
            conn, from_=from_, to=to, at=at)),
        "referrals": _json(ReferralMetrics, referrals.referral_metrics(conn, from_, to, at=at)),
    }


def churn_ranked(renewals: dict[str, Any]) -> list[dict[str, Any]]:
    """Churn reasons over every currency, most customers first (amounts per currency)."""
    ranked: dict[str, dict[str, Any]] = {}
    for block in renewals["currencies"]:
        for reason in block.get("churn_reasons", []):
            entry = ranked.setdefault(reason["category"], {
                "category": reason["category"], "customers": 0, "amounts": {}})
            entry["customers"] += reason["customers"]
            entry["amounts"][block["currency"]] = reason["amount"]
    return sorted(ranked.values(), key=lambda e: (-e["customers"], e["category"]))


def quarterly(conn: Connection, quarter: str, at: int | None,
              reporting_currency: str | None = None) -> dict[str, Any]:
    """Everything as known at `at`; health by business date at each quarter's end and the
    team with `today` = the quarter's last day."""
    from_, to = quarter_range(quarter)
    last = previous_quarter(quarter)
    prev_from, prev_to = quarter_range(last)
    current = period(conn, from_, to, at, reporting_currency)
    previous = period(conn, prev_from, prev_to, at, reporting_currency)
    return {
        "quarter": quarter.upper().replace("-", ""), "from": from_.isoformat(),
        "to": to.isoformat(), "previous_quarter": last,
        **current,
        "churn_reasons": churn_ranked(current["renewals"]),
        "health": health_on(conn, to, at),
        "health_movers": health_movers(conn, prev_to, to, at),
        "team": _json(Team, team.team(conn, today=to, at=at)),
        # Seed 001 §二.1: the level × usage table, renewals of the contracts due this quarter.
        "classification": _json(ClassificationTable, classification.classification(
            conn, level_by=DEFAULT_LEVEL_BY, from_=from_, to=to, at=at)),
        "previous": {
            **previous,
            "churn_reasons": churn_ranked(previous["renewals"]),
            "health": health_on(conn, prev_to, at),
        },
    }
