"""Training the churn model on a time split of the log's history (scikit-learn).

Examples: every customer in force on each weekly snapshot date (features as of that date,
:func:`projections.views.churn.features_at`), labelled 1 when the customer churned within
the horizon after it. The snapshot dates run from `first` (default: the first date from
which the log tracks usage for most customers in force, :func:`covered_from`) to
`until − horizon` (so every label is known by `until`); the last quarter of the dates is
the holdout, and a training example's label window must end before the holdout's first
date (no label overlaps the holdout). The model is a logistic regression (balanced class weights, lbfgs, fixed
random_state) on standardized features; the holdout gives AUC, the seed formula's AUC on
the same examples (a low health score = risk), precision and recall at k (k = positives)
and the Brier score.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from cs_domain.backtest import auc as health_auc
from cs_domain.churn_model import FittedModel, check_horizon
from cs_domain.errors import InvalidInput
from projections.view import Reader
from projections.views.churn import (
    FEATURES,
    TREND_DAYS,
    CustomerFacts,
    Example,
    examples,
    load_facts,
    term_at,
)

STEP_DAYS = 7
HOLDOUT_SHARE = 0.25
RANDOM_STATE = 0
MAX_HISTORY_DAYS = 366 * 5
COVERAGE = 0.5  # share of the customers in force with recent usage (see covered_from)


@dataclass(frozen=True)
class Training:
    model: FittedModel
    metrics: dict[str, Any]
    train: int
    holdout: int


def snapshot_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day += timedelta(days=STEP_DAYS)
    return days


def _reported_since(f: CustomerFacts, after: date, day: date) -> bool:
    """A usage period of the customer ended in (after, day]."""
    i = bisect_right(f.period_ends, day) - 1
    return i >= 0 and f.period_ends[i] > after


def covered_from(facts: Mapping[UUID, CustomerFacts], until: date) -> date:
    """The start of the latest unbroken run of weekly dates, up to the last usage reported
    by `until`, on which the log tracks usage for most customers in force: at least COVERAGE
    of them have a usage period ended in the 28 days before the date (at most 5 years
    back). Before it the team was not reporting usage into the ledger (history imported
    or entered later), so silence there means no data, not a silent customer — training
    on it would teach the opposite of what a live log shows."""
    ends = [f.period_ends[0] for f in facts.values() if f.period_ends]
    latest = [f.period_ends[bisect_right(f.period_ends, until) - 1] for f in facts.values()
              if f.period_ends and f.period_ends[0] <= until]
    start = max(min(ends, default=until), until - timedelta(days=MAX_HISTORY_DAYS))
    days = snapshot_days(start, max(latest, default=until))
    first = None
    for day in reversed(days):  # the latest unbroken run of covered dates
        live = [f for f in facts.values() if term_at(f, day) is not None]
        since = day - timedelta(days=TREND_DAYS)
        covered = sum(1 for f in live if _reported_since(f, since, day))
        if live and covered >= COVERAGE * len(live):
            first = day
        elif first is not None:
            break
    return until if first is None else first


def split(found: list[Example], horizon_days: int) -> tuple[list[Example], list[Example]]:
    days = sorted({e.day for e in found})
    cut = days[min(len(days) - 1, int(len(days) * (1 - HOLDOUT_SHARE)))]
    train = [e for e in found if e.day + timedelta(days=horizon_days) < cut]
    holdout = [e for e in found if e.day >= cut]
    return train, holdout


def _matrix(found: list[Example]) -> list[list[float]]:
    return [[e.values[n] for n in FEATURES] for e in found]


def fit(train: list[Example]) -> FittedModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = _matrix(train)
    y = [int(e.churned) for e in train]
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(class_weight="balanced", max_iter=2000, C=0.5,
                             random_state=RANDOM_STATE).fit(scaler.transform(x), y)
    scales = [float(s) if s else 1.0 for s in scaler.scale_]
    return FittedModel(FEATURES, tuple(float(m) for m in scaler.mean_), tuple(scales),
                       tuple(round(float(c), 12) for c in clf.coef_[0]),
                       round(float(clf.intercept_[0]), 12))


def evaluate(model: FittedModel, holdout: list[Example]) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    y = [int(e.churned) for e in holdout]
    p = [model.score(e.values)[0] for e in holdout]
    positives = sum(y)
    both = 0 < positives < len(y)
    ranked = sorted(range(len(p)), key=lambda i: (-p[i], str(holdout[i].customer_id),
                                                  holdout[i].day))
    k = max(1, positives)
    hits = sum(y[i] for i in ranked[:k])
    seed = health_auc((__import__("decimal").Decimal(str(e.values["health"])), e.churned)
                      for e in holdout)
    return {
        "holdout_examples": len(y), "holdout_positives": positives,
        "auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "seed_formula_auc": None if seed is None else float(seed),
        "k": k, "precision_at_k": round(hits / k, 4),
        "recall_at_k": round(hits / positives, 4) if positives else None,
        "brier": round(float(brier_score_loss(y, p)), 4) if y else None,
        "holdout_from": min(e.day for e in holdout).isoformat() if holdout else None,
    }


def train(r: Reader, until: date, horizon_days: int = 30,
          first: date | None = None) -> Training:
    """Fits and evaluates a model on the history the reader sees, up to `until`."""
    check_horizon(horizon_days)
    facts = load_facts(r)
    start = first if first is not None else covered_from(facts, until)
    last = until - timedelta(days=horizon_days)
    found = examples(facts, snapshot_days(start, last), horizon_days)
    if not found:
        raise InvalidInput.one("until", "no customer in force in the history before it")
    train_set, holdout = split(found, horizon_days)
    if len({e.churned for e in train_set}) < 2:
        raise InvalidInput.one("until", "the training part of the history needs churned "
                                        "and retained customers")
    model = fit(train_set)
    metrics = evaluate(model, holdout)
    metrics.update({"train_examples": len(train_set),
                    "train_positives": sum(e.churned for e in train_set),
                    "history_from": start.isoformat()})
    return Training(model, metrics, len(train_set), len(holdout))
