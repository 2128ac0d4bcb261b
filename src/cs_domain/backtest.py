"""Backtest of a health model: the score then against whether the customer churned after.

Pure functions (no clock, no I/O). The unit is a customer-period (one scored usage period).

- Every observation counts. Its churn is the customer's first churn date after the
  period's end (a customer may churn, come back and churn again); it is *positive* when
  that churn falls within the horizon: ``period_end < churned_on <= period_end + horizon``.
- A low score means risk. **AUC** is the Mann-Whitney statistic over every
  (positive, negative) pair: 1 when the positive scored lower, ½ when the scores are
  equal, 0 otherwise, divided by positives × negatives; None without both kinds.
- **precision/recall at k**: observations ranked by score ascending (ties by customer id,
  then period end, so the ranking is deterministic); of the first k, the share that are
  positive (precision) and the share of all positives they hold (recall). k defaults to
  the number of positives (at least 1) and is capped at the number of observations.
- **lead days**: for each churn (customer and date), churn date − the end of the earliest
  positive period whose band was red (the first warning inside the horizon); the median
  over the churns that were warned (None if none; ``warned`` counts them).
- Ratios are Decimals rounded half-even to 4 places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import TypedDict
from uuid import UUID

from cs_domain.errors import InvalidInput
from cs_domain.rules import ratio

MIN_HORIZON, MAX_HORIZON = 7, 365
MAX_K = 100_000


@dataclass(frozen=True)
class Observation:
    customer_id: UUID
    period_end: date
    score: Decimal
    band: str


def check_horizon(horizon_days: int) -> None:
    if not MIN_HORIZON <= horizon_days <= MAX_HORIZON:
        raise InvalidInput.one("horizon_days",
                               f"must be between {MIN_HORIZON} and {MAX_HORIZON} days")


def auc(scored: Iterable[tuple[Decimal, bool]]) -> Decimal | None:
    """Mann-Whitney AUC of (score, positive) pairs, low score = risk, ties count ½."""
    groups: dict[Decimal, list[int]] = {}
    for score, positive in scored:
        groups.setdefault(score, [0, 0])[0 if positive else 1] += 1
    positives = sum(g[0] for g in groups.values())
    negatives = sum(g[1] for g in groups.values())
    if not positives or not negatives:
        return None
    doubled, negatives_seen = 0, 0  # twice the pair count, to stay in integers
    for score in sorted(groups):
        pos, neg = groups[score]
        negatives_seen += neg
        doubled += pos * (2 * (negatives - negatives_seen) + neg)
    return ratio(doubled, 2 * positives * negatives)


class BandTally(TypedDict):
    observations: int
    positives: int
    churn_rate: Decimal | None


class Figures(TypedDict):
    """What `backtest` returns (the module's definitions); the read's wire shape is
    `projections.queries.health_backtest.BacktestFigures`."""

    customers: int
    churned: int
    observations: int
    positives: int
    auc: Decimal | None
    k: int
    precision_at_k: Decimal | None
    recall_at_k: Decimal | None
    median_lead_days: Decimal | None
    warned: int
    by_band: dict[str, BandTally]


def next_churn(o: Observation, churns: Sequence[date]) -> date | None:
    return min((c for c in churns if c > o.period_end), default=None)


def backtest(observations: Sequence[Observation], churn: Mapping[UUID, Sequence[date]],
             horizon_days: int, k: int | None = None) -> Figures:
    """`{customers, churned, observations, positives, auc, k, precision_at_k, recall_at_k,
    median_lead_days, warned, by_band}` (see the module's definitions)."""
    check_horizon(horizon_days)
    if k is not None and not 1 <= k <= MAX_K:
        raise InvalidInput.one("k", f"must be between 1 and {MAX_K}")
    horizon = timedelta(days=horizon_days)
    labelled = []
    for o in observations:
        churned_on = next_churn(o, churn.get(o.customer_id, ()))
        positive = churned_on is not None and churned_on <= o.period_end + horizon
        labelled.append((o, churned_on if positive else None))
    positives = sum(1 for _, p in labelled if p is not None)
    ranked = sorted(labelled, key=lambda x: (x[0].score, str(x[0].customer_id), x[0].period_end))
    top = min(k if k is not None else max(1, positives), len(ranked)) if ranked else 0
    hits = sum(1 for _, p in ranked[:top] if p is not None)
    first_warning: dict[tuple[UUID, date], date] = {}
    for o, p in labelled:
        if p is not None and o.band == "red":
            episode = (o.customer_id, p)
            first_warning[episode] = min(first_warning.get(episode, o.period_end), o.period_end)
    leads = [(churned_on - end).days for (_, churned_on), end in first_warning.items()]
    by_band: dict[str, BandTally] = {}
    for o, p in labelled:
        band = by_band.setdefault(o.band, {"observations": 0, "positives": 0,
                                           "churn_rate": None})
        band["observations"] += 1
        band["positives"] += int(p is not None)
    for band in by_band.values():
        band["churn_rate"] = ratio(band["positives"], band["observations"])
    return {
        "customers": len({o.customer_id for o in observations}),
        "churned": len({o.customer_id for o, p in labelled if p is not None}),
        "observations": len(observations), "positives": positives,
        "auc": auc((o.score, p is not None) for o, p in labelled),
        "k": top, "precision_at_k": ratio(hits, top), "recall_at_k": ratio(hits, positives),
        "median_lead_days": None if not leads else Decimal(median(leads)),
        "warned": len(leads),
        "by_band": dict(sorted(by_band.items())),
    }
