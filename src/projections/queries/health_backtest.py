"""Backtest of a health model version over the stored usage periods (query time).

Every period whose period_start is in [from, to] is scored by the model from its stored
inputs (so any version can be tested over any period, and a new version never rewrites
what the active one said); churn dates come from the contracts view. Everything is read
at one knowledge position (`as_of`), so the same inputs give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, select

from cs_domain.backtest import Observation, backtest
from cs_domain.rules import HealthModel, HealthScore
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.health import (
    PERIODS,
    HealthModelRef,
    open_risks_on,
    risk_episodes,
    score_inputs,
)
from projections.views.health_models import model_at


class BandFigures(TypedDict):
    observations: int
    positives: Annotated[int, Field(
        description="Observations followed by a churn within the horizon.")]
    churn_rate: Ratio | None


class BacktestFigures(TypedDict):
    """One version's figures (`cs_domain.backtest.Figures` with its model)."""

    model: HealthModelRef
    customers: Annotated[int, Field(description="Customers with a scored period in range.")]
    churned: Annotated[int, Field(
        description="Of them, those with a churn within the horizon of one.")]
    observations: Annotated[int, Field(description="Customer-periods scored.")]
    positives: int
    auc: Annotated[Ratio | None, Field(
        description="Mann-Whitney AUC, ties ½ (null without both kinds).")]
    k: int
    precision_at_k: Ratio | None
    recall_at_k: Ratio | None
    median_lead_days: Annotated[Measure | None, Field(
        description="Median days from the first red score to the churn.")]
    warned: Annotated[int, Field(
        description="Churns preceded by a red score within the horizon.")]
    by_band: dict[str, BandFigures]


# `from` is a keyword: the functional form, as a base after the figures (the API's Backtest).
_From = TypedDict("_From", {"from": date})


class Backtest(BacktestFigures, _From):
    to: date
    horizon_days: int
    compare: Annotated[BacktestFigures | None, Field(
        description="The `compare` version on the same periods, side by side.")]
    position: Position


SCORED_INPUTS = ("active_days_per_week", "feature_adoption", "open_issues", "nps",
                 "core_features_used", "core_features_total", "features_used",
                 "features_available")


def observations(r: Reader, model: HealthModel, from_: date, to: date) -> list[Observation]:
    t = r.table(PERIODS)
    rows = r.conn.execute(select(t.c.customer_id, t.c.period_end, *(t.c[n] for n in SCORED_INPUTS))
                          .where(t.c.period_start >= from_, t.c.period_start <= to,
                                 r.visible(t))).all()
    memo: dict[tuple[Any, ...], HealthScore] = {}  # weekly reports repeat a few input tuples
    episodes = risk_episodes(r) if model.risk_penalty > 0 else {}
    found = []
    for row in rows:
        open_risks = (open_risks_on(episodes.get(row.customer_id), row.period_end)
                      if model.risk_penalty > 0 else None)
        key = (*(str(getattr(row, n)) for n in SCORED_INPUTS), open_risks)
        scored = memo.get(key)
        if scored is None:
            scored = memo[key] = score_inputs(model, row, open_risks)
        found.append(Observation(row.customer_id, row.period_end, scored.score, scored.band))
    return found


def churn_dates(r: Reader) -> dict[UUID, list[date]]:
    t = r.table(CONTRACTS)
    rows = r.conn.execute(select(t.c.customer_id, t.c.churned_on).where(
        t.c.churned_on.is_not(None), r.visible(t))).all()
    churns: dict[UUID, list[date]] = defaultdict(list)
    for row in rows:
        churns[row.customer_id].append(row.churned_on)
    return dict(churns)


def run_backtest(r: Reader, name: str, version: int, from_: date, to: date,
                 horizon_days: int, k: int | None = None) -> BacktestFigures:
    """One version's figures over the periods starting in [from_, to] (as `r` knows
    them); NotFound for a version not defined at the reader's position."""
    model = model_at(r, name, version)
    figures = backtest(observations(r, model, from_, to), churn_dates(r), horizon_days, k)
    return {"model": {"name": name, "version": version}, **figures}


def backtest_read(conn: Connection, name: str, version: int, from_: date, to: date,
                  horizon_days: int, k: int | None = None,
                  compare: tuple[str, int] | None = None, at: int | None = None) -> Backtest:
    """`{model: {name, version}, ...cs_domain.backtest figures, from, to, horizon_days,
    compare, position}`: with `compare` (name, version), that version's figures on the
    same periods; NotFound for a version not defined at the position."""
    r = Reader(conn, at)
    figures = run_backtest(r, name, version, from_, to, horizon_days, k)
    other = (None if compare is None
             else run_backtest(r, *compare, from_, to, horizon_days, k))
    return {**figures, "from": from_, "to": to, "horizon_days": horizon_days,
            "compare": other, "position": r.position}
