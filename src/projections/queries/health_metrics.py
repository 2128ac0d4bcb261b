"""Metrics over the health view: the health distribution and usage depth and breadth.

- `health_distribution`: customers per band and the mean of their current scores (each
  customer's latest scored period), with the models that produced those scores — a mix
  of model versions shows a model changed without a rebuild. Churned customers are left
  out (their last score says nothing about a customer we serve) unless asked for.
- `usage_metrics` (seed 001): feature depth (core features used / core features) and
  breadth (features used / features available), averaged over the usage reports whose
  period_start falls in [from, to] (business time, both ends inclusive).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Connection, select

from cs_domain.customer import Stage
from cs_domain.rules import feature_breadth, feature_depth
from projections.query import mean
from projections.shapes import Measure, Ratio, TypedDict
from projections.view import Reader
from projections.views.customers import CUSTOMERS
from projections.views.health import BANDS, CURRENT, PERIODS


class ModelCount(TypedDict):
    name: str
    version: int
    customers: int


class HealthDistribution(TypedDict):
    customers: int
    bands: dict[str, int]
    mean_score: Measure | None
    models: list[ModelCount]
    include_churned: bool
    position: int


# `from` is a keyword: the functional form (the API's UsageMetrics documents it).
UsageMetrics = TypedDict("UsageMetrics", {
    "from": date, "to": date, "reports": int, "customers": int,
    "active_days_per_week": Measure | None, "feature_adoption": Measure | None,
    "depth_reports": int, "feature_depth": Ratio | None, "breadth_reports": int,
    "feature_breadth": Ratio | None, "position": int,
})


def health_distribution(conn: Connection, *, owner_id: UUID | None = None,
                        include_churned: bool = False, at: int | None = None
                        ) -> HealthDistribution:
    """`{customers, bands: {red, yellow, green}, mean_score, models: [{name, version,
    customers}], include_churned, position}` over the customers with a score (of one owner,
    if given); churned customers are left out unless `include_churned`."""
    r = Reader(conn, at)
    t, c = r.table(CURRENT), r.table(CUSTOMERS)
    stmt = select(t.c.score, t.c.band, t.c.model_name, t.c.model_version).where(
        r.visible(t)).join(c, (c.c.id == t.c.customer_id) & r.visible(c))
    if not include_churned:
        stmt = stmt.where(c.c.stage != Stage.CHURNED.value)
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    rows = conn.execute(stmt).all()
    bands = dict.fromkeys(BANDS, 0)
    models: dict[tuple[str, int], int] = {}
    for row in rows:
        bands[row.band] = bands.get(row.band, 0) + 1
        models[(row.model_name, row.model_version)] = models.get(
            (row.model_name, row.model_version), 0) + 1
    return {
        "customers": len(rows), "bands": bands,
        "mean_score": mean([row.score for row in rows]),
        "models": [{"name": n, "version": v, "customers": k}
                   for (n, v), k in sorted(models.items())],
        "include_churned": include_churned, "position": r.position,
    }


def usage_metrics(conn: Connection, from_: date, to: date, at: int | None = None
                  ) -> UsageMetrics:
    """Averages over the reports whose period_start is in [from_, to].

    `{from, to, reports, customers, active_days_per_week, feature_adoption (means, 2
    places), depth_reports, feature_depth, breadth_reports, feature_breadth (means of the
    per-report ratios over the reports that carry them, 4 places; None without any),
    position}`.
    """
    r = Reader(conn, at)
    t = r.table(PERIODS)
    rows = conn.execute(select(
        t.c.customer_id, t.c.active_days_per_week, t.c.feature_adoption,
        t.c.core_features_used, t.c.core_features_total, t.c.features_used,
        t.c.features_available,
    ).where(t.c.period_start >= from_, t.c.period_start <= to, r.visible(t))).all()
    depths = [feature_depth(row.core_features_used, row.core_features_total) for row in rows
              if row.core_features_total is not None]
    breadths = [feature_breadth(row.features_used, row.features_available) for row in rows
                if row.features_available is not None]
    four = Decimal("0.0001")
    return {
        "from": from_, "to": to, "reports": len(rows),
        "customers": len({row.customer_id for row in rows}),
        "active_days_per_week": mean([row.active_days_per_week for row in rows]),
        "feature_adoption": mean([row.feature_adoption for row in rows]),
        "depth_reports": len(depths), "feature_depth": mean(depths, four),
        "breadth_reports": len(breadths), "feature_breadth": mean(breadths, four),
        "position": r.position,
    }

