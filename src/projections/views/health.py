"""Health view: each customer's health score per usage period, its components and trend.

Answers "how healthy is this customer, why, and is it getting worse" (the customer 360's
`health`, `GET /customers/{id}/health`, the `health_band` list filter). Every usage
report (UsageReport.Reported / Corrected, one per customer and period) is scored when it
is projected, by the model a code caller gave the view, else the version ACTIVE at that
point of the log (:mod:`projections.views.health_models`; activations are events), else the
configured one (:mod:`projections.views.health_model`); the stored score names that model
and version. Scores by any other version are computed at query time from the stored
inputs. The default model is seed 004's formula exactly; `cs-ledger rebuild --view
health` rescores history (with the activations replayed in order).

Tables: `health_periods` (one row per customer and period: inputs, score, band,
components, model) and `health_current` (the latest period per customer, by
period_start: the band the list filters on). Trend is read from the periods.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, Integer, String, Table, Text, Uuid, bindparam, select
from sqlalchemy.sql.elements import ColumnElement

from cs_domain.days import shift
from cs_domain.risk import Risk
from cs_domain.rules import Band, HealthModel, HealthScore, feature_breadth, feature_depth
from cs_domain.usage import UsageReport
from projections import jsontext
from projections.query import InvalidQuery
from projections.shapes import ExactDecimal, Measure, Position, Ratio, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.contracts import ratio
from projections.views.health_model import configured_model
from projections.views.health_models import ACTIVE, MODELS, HealthModelHandlers

PERIODS = VersionedTable(
    "health", "health_periods",
    keys=[("customer_id", Uuid()), ("period_start", Date())],
    columns=[
        ("period_end", Date()), ("active_days_per_week", DecimalText()),
        ("feature_adoption", DecimalText()), ("open_issues", Integer()),
        ("core_features_used", Integer()), ("core_features_total", Integer()),
        ("features_used", Integer()), ("features_available", Integer()), ("nps", Integer()),
        ("score", DecimalText()), ("band", String(8)), ("components", Text()),
        ("missing", String(200)), ("model_name", String(100)), ("model_version", Integer()),
        ("corrections", Integer()),
    ],
    indexes=[("period_start",)], current_indexes=[("period_start",)],
)

CURRENT = VersionedTable(
    "health", "health_current",
    keys=[("customer_id", Uuid())],
    columns=[("period_start", Date()), ("score", DecimalText()), ("band", String(8)),
             ("model_name", String(100)), ("model_version", Integer())],
    indexes=[("band",)], current_indexes=[("band",)],
)

# The risks open on each day, for models that weigh open risks (`risk_penalty`): per
# customer, each risk's episodes [[opened_on, closed_on or null], ...] as JSON, and each
# risk's customer (Closed / Reopened name only the risk).
RISK_EPISODES = VersionedTable(
    "health", "health_risk_episodes",
    keys=[("customer_id", Uuid())], columns=[("episodes", Text())],
)
RISK_CUSTOMERS = VersionedTable(
    "health", "health_risk_customers",
    keys=[("risk_id", Uuid())], columns=[("customer_id", Uuid())],
)

INPUTS = ("active_days_per_week", "feature_adoption", "open_issues", "core_features_used",
          "core_features_total", "features_used", "features_available", "nps")
BANDS = tuple(b.value for b in Band)
TREND_WINDOW = timedelta(days=14)  # seed 002: "usage down 30 % within 14 days"
SCORE_MEMO = 4096  # input tuples whose score a HealthView keeps (then starts afresh)
SHOWN = Decimal("0.1")  # scores and components are shown to one place (rules: rounded())


class HealthModelRef(TypedDict):
    name: str
    version: int


class HealthInputs(TypedDict):
    active_days_per_week: Measure
    feature_adoption: Measure
    open_issues: int
    core_features_used: int | None
    core_features_total: int | None
    features_used: int | None
    features_available: int | None
    nps: int | None


class HealthPeriod(TypedDict):
    period_start: date
    period_end: date
    score: Annotated[Measure, Field(description="0..100, to one place.")]
    exact_score: ExactDecimal
    band: Annotated[str, Field(description="red | yellow | green")]
    components: Annotated[dict[str, Measure], Field(
        description="The parts the score is made of (active_days, feature_adoption, ...).")]
    missing: Annotated[list[str], Field(description="Inputs the report lacked.")]
    model: Annotated[HealthModelRef, Field(
        description="The health model and version that scored it.")]
    inputs: HealthInputs
    corrections: Annotated[int, Field(
        description="How often the period's report was corrected.")]


class HealthTrend(TypedDict):
    direction: Annotated[str | None, Field(
        description="up | down | flat against the previous period.")]
    previous_period_start: date | None
    previous_score: Measure | None
    change: Measure | None
    score_drop_14d: Annotated[Ratio | None, Field(
        description="Drop below the best score of the 14 days before (0: none).")]
    usage_drop_14d: Ratio | None


class HealthNow(HealthPeriod):
    """The latest scored period with its trend (the customer 360's `health`)."""

    customer_id: UUID
    trend: HealthTrend


class HealthOne(HealthNow):
    """A customer's current health with the position it reflects (`health_of`)."""

    position: Position


# `from` is a keyword: the functional form (the API's HealthHistory adds `current`).
HealthPeriods = TypedDict("HealthPeriods", {
    "customer_id": UUID, "from": date | None, "to": date | None, "items": list[HealthPeriod],
    "position": int,
})


def shown(value: Decimal) -> Decimal:
    return value.quantize(SHOWN, rounding=ROUND_HALF_UP)


def period_of(row: Any) -> HealthPeriod:
    """One scored period: display-rounded score and components, the exact score, inputs."""
    return {
        "period_start": row.period_start, "period_end": row.period_end,
        "score": shown(row.score), "exact_score": row.score, "band": row.band,
        "components": {k: shown(v) for k, v in jsontext.decimals(row.components).items()},
        "missing": row.missing.split(",") if row.missing else [],
        "model": {"name": row.model_name, "version": row.model_version},
        "inputs": {
            "active_days_per_week": row.active_days_per_week,
            "feature_adoption": row.feature_adoption, "open_issues": row.open_issues,
            "core_features_used": row.core_features_used,
            "core_features_total": row.core_features_total, "features_used": row.features_used,
            "features_available": row.features_available, "nps": row.nps,
        },
        "corrections": row.corrections,
    }


def drop_ratio(reference: Decimal | None, value: Decimal) -> Decimal | None:
    """How far `value` fell below `reference`, as a ratio (0 = no drop); None: no reference."""
    if reference is None:
        return None
    if reference <= 0 or value >= reference:
        return Decimal("0.0000")
    return ratio(reference - value, reference)


def trend(latest: Any, previous: Any | None, window: list[Any]) -> HealthTrend:
    """Against the previous period (up/down/flat) and the drop over the 14 days before.

    The 14-day reference is the highest figure among the periods that started in the 14
    days before the latest period's start; the drop is (reference - latest) / reference.
    """
    direction = None
    if previous is not None:
        direction = ("up" if latest.score > previous.score
                     else "down" if latest.score < previous.score else "flat")
    return {
        "direction": direction,
        "previous_period_start": previous.period_start if previous is not None else None,
        "previous_score": shown(previous.score) if previous is not None else None,
        "change": shown(latest.score - previous.score) if previous is not None else None,
        "score_drop_14d": drop_ratio(max((w.score for w in window), default=None), latest.score),
        "usage_drop_14d": drop_ratio(max((w.active_days_per_week for w in window), default=None),
                                     latest.active_days_per_week),
    }


def open_risks_on(episodes: str | None, day: date) -> int:
    """Risks open on `day` (opened by it, not closed by it) in a customer's episodes."""
    if episodes is None:
        return 0
    found = 0
    for spans in json.loads(episodes).values():
        found += any(date.fromisoformat(opened) <= day
                     and (closed is None or date.fromisoformat(closed) > day)
                     for opened, closed in spans)
    return found


def risk_episodes(r: Reader, customer_id: UUID | None = None) -> dict[UUID, str]:
    """Customers' risk episodes (JSON text) as the reader sees them (one customer's or all)."""
    t = r.table(RISK_EPISODES)
    stmt = select(t.c.customer_id, t.c.episodes).where(r.visible(t))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    return {row.customer_id: row.episodes for row in r.conn.execute(stmt)}


def score_inputs(model: HealthModel, x: Any, open_risks: int | None = None) -> HealthScore:
    """The model's score of one period's inputs (a report event or a stored row), with the
    risks open at its end when the model weighs them."""
    depth = (feature_depth(x.core_features_used, x.core_features_total)
             if x.core_features_used is not None and x.core_features_total is not None
             else None)
    breadth = (feature_breadth(x.features_used, x.features_available)
               if x.features_used is not None and x.features_available is not None else None)
    return model.score(active_days_per_week=x.active_days_per_week,
                       feature_adoption=x.feature_adoption, open_issues=x.open_issues,
                       nps=x.nps, feature_depth=depth, feature_breadth=breadth,
                       open_risks=open_risks if model.risk_penalty > 0 else None)


def _exact(value: Any) -> Any:
    return (str(value),) if isinstance(value, Decimal) else value


def current_health(r: Reader, customer_id: UUID) -> HealthNow | None:
    """The latest period's score with its trend, or None before any usage report."""
    last_two = r.run(r.prepared("health_last_two", [PERIODS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
    ).order_by(t.c.period_start.desc()).limit(2)), {"customer_id": customer_id}).all()
    if not last_two:
        return None
    latest = last_two[0]
    previous = last_two[1] if len(last_two) > 1 else None
    window = r.run(r.prepared("health_window", [PERIODS], lambda t: select(
        t.c.score, t.c.active_days_per_week).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
        t.c.period_start >= bindparam("since"), t.c.period_start < bindparam("latest"))),
        {"customer_id": customer_id, "since": shift(latest.period_start, -TREND_WINDOW.days),
         "latest": latest.period_start}).all()
    return HealthNow(customer_id=customer_id, **period_of(latest),
                     trend=trend(latest, previous, list(window)))


def health_section(r: Reader, customer_id: UUID, today: date) -> HealthNow | None:
    """The customer 360's `health`: {score, band, components, trend, model, ...} or None."""
    return current_health(r, customer_id)


def health_band_filter(r: Reader, customers: Table, value: Any) -> ColumnElement[bool]:
    """Customer-list filter: the band of the customer's latest scored period."""
    if value not in BANDS:

        raise InvalidQuery("health_band", f"must be one of: {', '.join(BANDS)}")
    t = r.table(CURRENT)
    return customers.c.id.in_(select(t.c.customer_id).where(t.c.band == value, r.visible(t)))


class HealthView(HealthModelHandlers, View):
    name = "health"
    tables = (PERIODS, CURRENT, MODELS, ACTIVE, RISK_EPISODES, RISK_CUSTOMERS)
    customer_sections = {"health": health_section}
    customer_filters = {"health_band": health_band_filter}

    def __init__(self, model: HealthModel | None = None):
        self._model = model
        # Scores of recent input tuples: the score is a pure function of the model and the
        # report's inputs, and a log of weekly reports repeats the same few tuples (a
        # rebuild spent a third of its time scoring and encoding them again).
        self._scores: dict[tuple[Any, ...], tuple[HealthScore, str, str | None]] = {}
        self._scores_model: HealthModel | None = None

    @property
    def model(self) -> HealthModel:
        """The given model, else the configured one (environment / .env), else the default."""
        return self._model if self._model is not None else configured_model()

    def _score(self, e: UsageReport.Reported | UsageReport.Corrected,
               model: HealthModel | None = None,
               open_risks: int | None = None) -> tuple[HealthScore, str, str | None]:
        """(score, components as JSON text, missing) of a report's inputs, memoised."""
        if model is None:
            model = self.model
        if model is not self._scores_model or len(self._scores) >= SCORE_MEMO:
            self._scores, self._scores_model = {}, model
        # Exact text of decimals: 0.5 and 0.50 are equal but give differently written
        # components, and a view's text must not depend on what was scored before. Only
        # the inputs the model weighs (its optional signals when their weight is > 0):
        # the default model sees a few hundred distinct tuples in a million events.
        memo_key = (_exact(e.active_days_per_week), _exact(e.feature_adoption), e.open_issues,
                    e.nps if model.nps_weight > 0 else None,
                    (e.core_features_used, e.core_features_total) if model.depth_weight > 0
                    else None,
                    (e.features_used, e.features_available) if model.breadth_weight > 0
                    else None,
                    open_risks if model.risk_penalty > 0 else None)
        found = self._scores.get(memo_key)
        if found is None:
            scored = score_inputs(model, e, open_risks)
            found = (scored, jsontext.dumps(dict(scored.components)),
                     ",".join(scored.missing) or None)
            self._scores[memo_key] = found
        return found

    @on(UsageReport.Reported, UsageReport.Corrected)
    def reported(self, tx: ViewTx, e: UsageReport.Reported | UsageReport.Corrected) -> None:
        model = tx.memo.get("health_model")
        if model is None:  # read once per transaction (until an activation)
            model = tx.memo["health_model"] = (
                self._model or self.recorded_active(tx) or configured_model())
        open_risks = None
        if model.risk_penalty > 0:  # the risks open at the period's end, as known now
            held = tx[RISK_EPISODES].get(e.customer_id)
            open_risks = open_risks_on(None if held is None else held["episodes"],
                                       e.period_end)
        scored, components, missing = self._score(e, model, open_risks)
        key = (e.customer_id, e.period_start)
        before = tx[PERIODS].get(key)
        corrections = before["corrections"] + 1 if before is not None else 0
        tx[PERIODS].put(key, {
            "period_end": e.period_end, **{name: getattr(e, name) for name in INPUTS},
            "score": scored.score, "band": scored.band, "components": components,
            "missing": missing, "model_name": scored.model,
            "model_version": scored.model_version, "corrections": corrections,
        })
        current = tx[CURRENT].get(e.customer_id)
        # Reports may arrive out of order: an older period never replaces a newer one.
        if current is None or e.period_start >= current["period_start"]:
            tx[CURRENT].put(e.customer_id, {
                "period_start": e.period_start, "score": scored.score, "band": scored.band,
                "model_name": scored.model, "model_version": scored.model_version,
            })


    # --- the risks open on each day (for models that weigh open risks) -----------------
    def _episodes(self, tx: ViewTx, customer_id: UUID) -> dict[str, list[list[Any]]]:
        held = tx[RISK_EPISODES].get(customer_id)
        return {} if held is None else dict(json.loads(held["episodes"]))

    def _put_episodes(self, tx: ViewTx, customer_id: UUID,
                      episodes: dict[str, list[list[Any]]]) -> None:
        tx[RISK_EPISODES].put(customer_id, {"episodes": json.dumps(episodes, sort_keys=True)})

    @on(Risk.Raised)
    def risk_raised(self, tx: ViewTx, e: Risk.Raised) -> None:
        tx[RISK_CUSTOMERS].put(e.originator_id, {"customer_id": e.customer_id})
        episodes = self._episodes(tx, e.customer_id)
        episodes[str(e.originator_id)] = [[e.raised_on.isoformat(), None]]
        self._put_episodes(tx, e.customer_id, episodes)

    @on(Risk.Closed)
    def risk_closed(self, tx: ViewTx, e: Risk.Closed) -> None:
        self._change_risk(tx, e.originator_id, closed_on=e.closed_on)

    @on(Risk.Reopened)
    def risk_reopened(self, tx: ViewTx, e: Risk.Reopened) -> None:
        self._change_risk(tx, e.originator_id, reopened_on=e.reopened_on)

    def _change_risk(self, tx: ViewTx, risk_id: UUID, *, closed_on: date | None = None,
                     reopened_on: date | None = None) -> None:
        owner = tx[RISK_CUSTOMERS].get(risk_id)
        if owner is None:
            return
        episodes = self._episodes(tx, owner["customer_id"])
        spans = episodes.setdefault(str(risk_id), [])
        if closed_on is not None and spans:
            spans[-1][1] = closed_on.isoformat()
        if reopened_on is not None:
            spans.append([reopened_on.isoformat(), None])
        self._put_episodes(tx, owner["customer_id"], episodes)


def health_of(conn: Connection, customer_id: UUID, at: int | None = None) -> HealthOne | None:
    """A customer's current health (latest period), or None before any report.

    `{customer_id, score, exact_score, band, components, missing, model: {name, version},
    period_start, period_end, inputs, corrections, trend: {direction, previous_period_start,
    previous_score, change, score_drop_14d, usage_drop_14d}, position}`.
    """
    r = Reader(conn, at)
    found = current_health(r, customer_id)
    return None if found is None else HealthOne(**found, position=r.position)


def rescored(period: HealthPeriod, row: Any, model: HealthModel,
             episodes: str | None = None) -> HealthPeriod:
    """A period as another model version scores its stored inputs (query time), with the
    risks open at its end as the reader knows them when the model weighs them."""
    scored = score_inputs(model, row, open_risks_on(episodes, row.period_end)
                          if model.risk_penalty > 0 else None)
    return {**period, "score": shown(scored.score), "exact_score": scored.score,
            "band": scored.band, "components": {k: shown(v) for k, v in scored.components.items()},
            "missing": list(scored.missing),
            "model": {"name": scored.model, "version": scored.model_version}}


def health_history(conn: Connection, customer_id: UUID, from_: date | None = None,
                   to: date | None = None, at: int | None = None,
                   model: HealthModel | None = None) -> HealthPeriods:
    """Every scored period of a customer whose period_start is in [from_, to] (both
    optional, both inclusive), oldest first: `{customer_id, from, to, items, position}`;
    with `model`, each period as that model scores its stored inputs."""
    r = Reader(conn, at)
    t = r.table(PERIODS)
    stmt = select(t).where(t.c.customer_id == customer_id, r.visible(t))
    if from_ is not None:
        stmt = stmt.where(t.c.period_start >= from_)
    if to is not None:
        stmt = stmt.where(t.c.period_start <= to)
    rows = conn.execute(stmt.order_by(t.c.period_start)).all()
    episodes = (risk_episodes(r, customer_id).get(customer_id)
                if model is not None and model.risk_penalty > 0 else None)
    return {"customer_id": customer_id, "from": from_, "to": to,
            "items": [period_of(row) if model is None
                      else rescored(period_of(row), row, model, episodes)
                      for row in rows], "position": r.position}
