"""Backtest of a health model version over the stored usage periods (query time).

Every period whose period_start is in [from, to] is scored by the model from its stored
inputs (so any version can be tested over any period, and a new version never rewrites
what the active one said); churn dates come from the contracts view. Everything is read
at one knowledge position (`as_of`), so the same inputs give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from cs_domain.backtest import Observation, backtest
from cs_domain.rules import HealthModel, HealthScore
from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.health import PERIODS, open_risks_on, risk_episodes, score_inputs
from projections.views.health_models import model_at

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


def run_backtest(conn: Connection, name: str, version: int, from_: date, to: date,
                 horizon_days: int, k: int | None = None, at: int | None = None
                 ) -> dict[str, Any]:
    """`{model: {name, version}, from, to, horizon_days, ...cs_domain.backtest figures,
    position}`; NotFound for a version not defined at the position."""
    r = Reader(conn, at)
    model = model_at(r, name, version)
    figures = backtest(observations(r, model, from_, to), churn_dates(r), horizon_days, k)
    return {"model": {"name": name, "version": version}, "from": from_, "to": to,
            "horizon_days": horizon_days, **figures, "position": r.position}
