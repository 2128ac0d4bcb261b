"""Churn prediction: the trained model versions, renewal intents dated when they were
recorded, the features of a customer as of a date, and the ranked predictions.

Tables (view `churn`): `churn_models` (one row per trained version: horizon, training
end, features, holdout metrics, the sha256 of its parameters) and `churn_intents` (every
renewal intent recorded, dated by the day it was recorded: an intent has no business date
of its own, so the day the log learned it is the day it was held). The fitted parameters
are stored in the plain table `ml_model_files` beside the read models (keyed by sha256;
it survives rebuilds, which only replace the `rm_` tables).

**Knowledge time.** Features of a customer as of date T are computed from what the reader
sees at its position (`as_of` → the last position recorded by then) and, of that, only
the facts whose business date is on or before T (usage periods ended by T, risks raised
by T and not closed by T, complaints received by T, touchpoints that occurred by T,
intents recorded by T, contract terms as they stood at T). So features as of T never read
a fact dated after T, and a prediction as of a past moment reads only what was recorded
by then (docs/models.md).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    and_,
    delete,
    func,
    inspect,
    or_,
    select,
)

from cs_domain.churn_model import ChurnModelRegistry, FittedModel
from cs_domain.contract import Contract
from projections.shapes import NotRequired, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.complaints import COMPLAINTS
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.health import PERIODS
from projections.views.requirements import REQUIREMENTS
from projections.views.risks import EPISODES, RISKS
from projections.views.touchpoints import TOUCHPOINTS

MODELS = VersionedTable(
    "churn", "churn_models",
    keys=[("version", Integer())],
    columns=[("algorithm", String(64)), ("horizon_days", Integer()),
             ("trained_until", Date()), ("features", Text()), ("metrics", Text()),
             ("sha256", String(64)), ("recorded_position", BigInteger())],
)
INTENTS = VersionedTable(
    "churn", "churn_intents",
    keys=[("contract_id", Uuid()), ("position", BigInteger())],
    columns=[("intent", String(8)), ("set_on", Date())],
)
FILES = Table("ml_model_files", MetaData(),
              Column("sha256", String(64), primary_key=True),
              Column("body", Text(), nullable=False))

FEATURES = (
    "active_days", "adoption", "usage_trend_28d", "silent_28d", "health", "health_drop_56d",
    "open_risks", "overdue_risks", "complaints_90d", "open_requirements",
    "stalled_requirements", "days_since_touchpoint", "intent_low", "intent_high",
    "days_to_term_end", "tier_strategic", "tier_growth",
)
TREND_DAYS, DROP_DAYS, COMPLAINT_DAYS, STALLED_DAYS = 28, 56, 90, 90
MAX_SILENCE = 365
MAX_TERM_DAYS = 400


class ChurnView(View):
    name = "churn"
    tables = (MODELS, INTENTS)

    @on(ChurnModelRegistry.Trained)
    def trained(self, tx: ViewTx, e: ChurnModelRegistry.Trained) -> None:
        tx[MODELS].put(e.version, {
            "algorithm": e.algorithm, "horizon_days": e.horizon_days,
            "trained_until": e.trained_until, "features": json.dumps(list(e.features)),
            "metrics": json.dumps(dict(e.metrics), sort_keys=True), "sha256": e.sha256,
            "recorded_position": tx.position})

    @on(Contract.RenewalIntentSet)
    def intent_set(self, tx: ViewTx, e: Contract.RenewalIntentSet) -> None:
        tx[INTENTS].put((e.originator_id, tx.position), {
            "intent": e.intent, "set_on": date.fromisoformat(tx.recorded_at[:10])})


# --- model files ------------------------------------------------------------------------
def store_model_file(conn: Connection, model: FittedModel) -> str:
    """Stores the fitted parameters under their sha256 (idempotent); returns the hash."""
    FILES.create(conn, checkfirst=True)
    digest = model.sha256()
    if conn.execute(select(FILES.c.sha256).where(FILES.c.sha256 == digest)).first() is None:
        conn.execute(FILES.insert().values(sha256=digest, body=model.body()))
    return digest


class ModelFileMissing(LookupError):
    pass


def load_model_file(conn: Connection, digest: str) -> FittedModel:
    """The parameters stored under `digest`, checked against it."""
    FILES.create(conn, checkfirst=True)
    row = conn.execute(select(FILES.c.body).where(FILES.c.sha256 == digest)).first()
    if row is None:
        raise ModelFileMissing(f"the churn model file {digest} is not stored")
    model = FittedModel.from_body(row.body)
    if model.sha256() != digest:
        raise ModelFileMissing(f"the churn model file {digest} does not match its hash")
    return model


class ChurnModelOut(TypedDict):
    """A churn model version: what it was trained on and how it scored on the holdout."""

    version: int
    algorithm: Annotated[str, Field(description="`logistic-regression` (standardized "
                                                "features).")]
    horizon_days: int
    trained_until: Annotated[date, Field(description="The business date the training "
                                                     "history ends.")]
    features: list[str]
    metrics: Annotated[dict[str, Any], Field(description="Holdout metrics recorded with the "
                                                         "version: auc, seed_formula_auc, "
                                                         "precision_at_k, recall_at_k, brier, "
                                                         "examples (docs/models.md).")]
    sha256: Annotated[str, Field(description="The hash of the fitted parameters scored "
                                             "with.")]


class ChurnModel(ChurnModelOut):
    # Always given by `model_row`; not required so a reader can drop it before answering.
    recorded_position: NotRequired[int]


class Factor(TypedDict):
    name: Annotated[str, Field(description="A feature (docs/models.md).")]
    contribution: Annotated[float, Field(description="Its share of the log-odds: coefficient "
                                                     "× standardized value (positive raises "
                                                     "the risk).")]


class ChurnPrediction(TypedDict):
    customer_id: UUID
    customer_name: str
    probability: Annotated[float, Field(description="Churn within the horizon, 0..1 (4 "
                                                    "places).")]
    factors: Annotated[list[Factor], Field(description="The largest contributions, largest "
                                                       "first.")]


def model_row(row: Any) -> ChurnModel:
    return {"version": row.version, "algorithm": row.algorithm,
            "horizon_days": row.horizon_days, "trained_until": row.trained_until,
            "features": json.loads(row.features), "metrics": json.loads(row.metrics),
            "sha256": row.sha256, "recorded_position": row.recorded_position}


def latest_model(r: Reader, horizon_days: int | None = None) -> ChurnModel | None:
    """The newest version (of this horizon) known at the reader's position, or None."""
    t = r.table(MODELS)
    stmt = select(t).where(r.visible(t))
    if horizon_days is not None:
        stmt = stmt.where(t.c.horizon_days == horizon_days)
    row = r.conn.execute(stmt.order_by(t.c.version.desc()).limit(1)).first()
    return None if row is None else model_row(row)


def model_horizons(r: Reader) -> list[int]:
    """The horizons some model version was trained for (known at the reader's position)."""
    t = r.table(MODELS)
    return sorted(r.conn.execute(select(t.c.horizon_days).where(r.visible(t)).distinct())
                  .scalars())


# --- the facts, loaded once per read ----------------------------------------------------
@dataclass
class Term:
    start: date
    end: date
    signed_on: date | None
    status: str
    churned_on: date | None
    terminated_on: date | None
    contract_id: UUID

    def in_force(self, day: date) -> bool:
        if self.status == "draft" or not self.start <= day <= self.end:
            return False
        if self.signed_on is not None and self.signed_on > day:
            return False
        gone = self.churned_on or self.terminated_on
        return gone is None or gone > day


@dataclass
class CustomerFacts:
    name: str
    tier: str | None
    owner_id: UUID | None
    terms: list[Term] = field(default_factory=list)
    # usage periods sorted by end: (end, active days, adoption, score)
    period_ends: list[date] = field(default_factory=list)
    periods: list[tuple[float, float, float | None]] = field(default_factory=list)
    risks: list[tuple[date, date | None, date | None]] = field(default_factory=list)
    complaints: list[date] = field(default_factory=list)
    requirements: list[tuple[date, date | None]] = field(default_factory=list)
    touchpoints: list[date] = field(default_factory=list)
    intents: list[tuple[date, int, UUID, str]] = field(default_factory=list)
    churns: list[date] = field(default_factory=list)


def load_facts(r: Reader, customer_ids: Iterable[UUID] | None = None,
               owner_id: UUID | None = None, day: date | None = None
               ) -> dict[UUID, CustomerFacts]:
    """Every customer's facts the reader sees (optionally only one owner's).

    With `day`, only what :func:`features_at` reads as of that day (the terms in force
    then, the usage periods it looks at, the risks and requirements open then, the
    complaints of the 90 days before, the latest touchpoint), filtered in SQL: a
    prediction list reads a few rows per customer instead of its whole history. The
    features as of `day` are the same either way (tested); churn dates are left out.
    """
    c = r.table(CUSTOMERS)
    stmt = select(c.c.id, c.c.name, c.c.tier, c.c.owner_id).where(r.visible(c))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    wanted = None if customer_ids is None else set(customer_ids)
    facts = {row.id: CustomerFacts(row.name, row.tier, row.owner_id)
             for row in r.conn.execute(stmt) if wanted is None or row.id in wanted}

    def rows(spec: VersionedTable, *cols: str,
             where: Callable[[Table], Sequence[Any]] = lambda t: ()) -> Iterable[Any]:
        t = r.table(spec)
        return r.conn.execute(select(*(t.c[n] for n in cols)).where(r.visible(t), *where(t)))

    def days_before(n: int) -> date:
        assert day is not None
        return day - timedelta(days=n)

    windowed = day is not None
    for row in rows(CONTRACTS, "id", "customer_id", "start_date", "end_date", "signed_on",
                    "status", "churned_on", "terminated_on",
                    where=lambda t: (t.c.start_date <= day, t.c.end_date >= day)
                    if windowed else ()):
        if (f := facts.get(row.customer_id)) is not None:
            f.terms.append(Term(row.start_date, row.end_date, row.signed_on, row.status,
                                row.churned_on, row.terminated_on, row.id))
            if row.churned_on is not None and not windowed:
                f.churns.append(row.churned_on)
    contract_customer = {t.contract_id: cid for cid, f in facts.items() for t in f.terms}
    usage: dict[UUID, dict[date, tuple[float, float, float | None]]] = defaultdict(dict)
    period_cols = ("customer_id", "period_end", "active_days_per_week", "feature_adoption",
                   "score")
    if windowed:
        found = list(rows(PERIODS, *period_cols, where=lambda t: (
            t.c.period_end <= day, t.c.period_end > days_before(DROP_DAYS))))
        for edge in (days_before(0), days_before(TREND_DAYS)):  # the latest by then, however old
            found += _latest_periods(r, period_cols, edge)
    else:
        found = list(rows(PERIODS, *period_cols))
    for row in found:
        if row.customer_id in facts:
            usage[row.customer_id][row.period_end] = (
                float(row.active_days_per_week or 0), float(row.feature_adoption or 0),
                None if row.score is None else float(row.score))
    for cid, by_end in usage.items():
        ends = sorted(by_end)
        facts[cid].period_ends = ends
        facts[cid].periods = [by_end[e] for e in ends]
    episodes = list(rows(EPISODES, "risk_id", "customer_id", "opened_on", "closed_on",
                         where=lambda t: (t.c.opened_on <= day, or_(
                             t.c.closed_on.is_(None), t.c.closed_on > day))
                         if windowed else ()))
    risk_ids = {row.risk_id for row in episodes}
    due = {row.id: row.due_date for row in rows(
        RISKS, "id", "due_date", where=lambda t: (t.c.id.in_(risk_ids),) if windowed else ())}
    for row in episodes:
        if (f := facts.get(row.customer_id)) is not None:
            f.risks.append((row.opened_on, row.closed_on, due.get(row.risk_id)))
    for row in rows(COMPLAINTS, "customer_id", "received_on", where=lambda t: (
            t.c.received_on <= day, t.c.received_on > days_before(COMPLAINT_DAYS))
            if windowed else ()):
        if (f := facts.get(row.customer_id)) is not None and row.received_on is not None:
            f.complaints.append(row.received_on)
    for row in rows(REQUIREMENTS, "customer_id", "collected_on", "feedback_given_on",
                    where=lambda t: (t.c.collected_on <= day, or_(
                        t.c.feedback_given_on.is_(None), t.c.feedback_given_on > day))
                    if windowed else ()):
        if (f := facts.get(row.customer_id)) is not None and row.collected_on is not None:
            f.requirements.append((row.collected_on, row.feedback_given_on))
    touched: Iterable[Any]
    if windowed:
        t = r.table(TOUCHPOINTS)
        touched = r.conn.execute(select(t.c.customer_id, func.max(t.c.occurred_on).label(
            "occurred_on")).where(r.visible(t), t.c.occurred_on <= day).group_by(
            t.c.customer_id))
    else:
        touched = rows(TOUCHPOINTS, "customer_id", "occurred_on")
    for row in touched:
        if (f := facts.get(row.customer_id)) is not None:
            f.touchpoints.append(row.occurred_on)
    for row in rows(INTENTS, "contract_id", "position", "intent", "set_on",
                    where=lambda t: (t.c.set_on <= day,) if windowed else ()):
        owner = contract_customer.get(row.contract_id)
        if owner is not None:
            facts[owner].intents.append((row.set_on, row.position, row.contract_id, row.intent))
    for f in facts.values():
        f.complaints.sort()
        f.touchpoints.sort()
        f.intents.sort()
        f.churns.sort()
    return facts


def _latest_periods(r: Reader, cols: Sequence[str], edge: date) -> list[Any]:
    """Each customer's latest usage period ended on or before `edge`."""
    t = r.table(PERIODS)
    latest = select(t.c.customer_id.label("cid"), func.max(t.c.period_end).label("last")).where(
        r.visible(t), t.c.period_end <= edge).group_by(t.c.customer_id).subquery()
    return list(r.conn.execute(select(*(t.c[n] for n in cols)).join(
        latest, and_(t.c.customer_id == latest.c.cid, t.c.period_end == latest.c.last)).where(
        r.visible(t))))


# --- features as of a date ---------------------------------------------------------------
def term_at(f: CustomerFacts, day: date) -> Term | None:
    """The contract term in force on `day` (the latest starting one), or None."""
    live = [t for t in f.terms if t.in_force(day)]
    return max(live, key=lambda t: (t.start, t.end)) if live else None


def _period_at(f: CustomerFacts, day: date) -> int:
    """Index of the latest period ended on or before `day` (−1: none)."""
    return bisect_right(f.period_ends, day) - 1


def features_at(f: CustomerFacts, day: date) -> dict[str, float]:
    """The features of one customer as of `day`: only facts dated on or before it."""
    i = _period_at(f, day)
    active, adoption, score = f.periods[i] if i >= 0 else (0.0, 0.0, None)
    j = _period_at(f, day - timedelta(days=TREND_DAYS))
    before = f.periods[j][0] if j >= 0 else active
    silent = i < 0 or f.period_ends[i] <= day - timedelta(days=TREND_DAYS)
    health = score if score is not None else 0.0
    window = [f.periods[k][2] for k in range(i, -1, -1)
              if f.period_ends[k] > day - timedelta(days=DROP_DAYS)]
    peak = max((s for s in window if s is not None), default=health)
    open_risks = overdue = 0
    for opened, closed, due_date in f.risks:
        if opened <= day and (closed is None or closed > day):
            open_risks += 1
            overdue += int(due_date is not None and due_date < day)
    complaints = bisect_right(f.complaints, day) - bisect_right(
        f.complaints, day - timedelta(days=COMPLAINT_DAYS))
    open_requirements = stalled = 0
    for collected, answered in f.requirements:
        if collected <= day and (answered is None or answered > day):
            open_requirements += 1
            stalled += int(collected <= day - timedelta(days=STALLED_DAYS))
    k = bisect_right(f.touchpoints, day) - 1
    since = MAX_SILENCE if k < 0 else min(MAX_SILENCE, (day - f.touchpoints[k]).days)
    term = term_at(f, day)
    intent = None
    if term is not None:
        held = [x for x in f.intents if x[0] <= day and x[2] == term.contract_id]
        intent = held[-1][3] if held else None
    to_end = MAX_TERM_DAYS if term is None else min(MAX_TERM_DAYS, (term.end - day).days)
    return {
        "active_days": active, "adoption": adoption, "usage_trend_28d": active - before,
        "silent_28d": float(silent), "health": health, "health_drop_56d": peak - health,
        "open_risks": float(open_risks), "overdue_risks": float(overdue),
        "complaints_90d": float(complaints), "open_requirements": float(open_requirements),
        "stalled_requirements": float(stalled), "days_since_touchpoint": float(since),
        "intent_low": float(intent == "low"), "intent_high": float(intent == "high"),
        "days_to_term_end": float(to_end), "tier_strategic": float(f.tier == "strategic"),
        "tier_growth": float(f.tier == "growth"),
    }


def churned_within(f: CustomerFacts, day: date, horizon_days: int) -> bool:
    """The label: a churn dated in (day, day + horizon]."""
    last = day + timedelta(days=horizon_days)
    return any(day < c <= last for c in f.churns)


@dataclass(frozen=True)
class Example:
    customer_id: UUID
    day: date
    values: dict[str, float]
    churned: bool


def examples(facts: Mapping[UUID, CustomerFacts], days: Sequence[date],
             horizon_days: int) -> list[Example]:
    """One example per customer in force on each day, labelled by a churn within horizon."""
    found = []
    for day in days:
        for cid in sorted(facts, key=str):
            f = facts[cid]
            if term_at(f, day) is None:
                continue
            found.append(Example(cid, day, features_at(f, day),
                                 churned_within(f, day, horizon_days)))
    return found


# --- predictions --------------------------------------------------------------------------
def predict(r: Reader, model: FittedModel, day: date, *, owner_id: UUID | None = None,
            limit: int = 50, top_factors: int = 5) -> list[ChurnPrediction]:
    """Customers in force on `day`, most likely to churn first (ties by name, id)."""
    return [item for _, item in _ranked(r, model, day, owner_id, top_factors)[:limit]]


def _ranked(r: Reader, model: FittedModel, day: date, owner_id: UUID | None,
            top_factors: int = 5) -> list[tuple[UUID | None, ChurnPrediction]]:
    """(owner id, prediction) of each customer in force on `day`, most likely first."""
    facts = load_facts(r, owner_id=owner_id, day=day)
    items: list[tuple[UUID | None, ChurnPrediction]] = []
    for cid, f in facts.items():
        if term_at(f, day) is None:
            continue
        probability, contributions = model.score(features_at(f, day))
        items.append((f.owner_id, ChurnPrediction(
            customer_id=cid, customer_name=f.name, probability=round(probability, 4),
            factors=[Factor(name=n, contribution=round(v, 4))
                     for n, v in contributions[:top_factors]])))
    items.sort(key=lambda x: (-float(x[1]["probability"]), x[1]["customer_name"],
                              str(x[1]["customer_id"])))
    return items


# --- the day's scoring (what a current prediction list reads) -------------------------------
SCORES = Table("ml_churn_scores", MetaData(),
               Column("sha256", String(64), primary_key=True),
               Column("day", Date(), primary_key=True),
               Column("rank", Integer(), primary_key=True),
               Column("position", BigInteger(), nullable=False),
               Column("customer_id", Uuid(), nullable=False),
               Column("owner_id", Uuid()),
               Column("item", Text(), nullable=False))


def score_day(conn: Connection, r: Reader, sha256: str, model: FittedModel, day: date) -> int:
    """Scores every customer in force on `day` with this model at the reader's position
    and keeps the ranking (replacing an earlier one of the same model and day): what
    `scored` serves. Returns how many customers were scored."""
    items = _ranked(r, model, day, None)
    SCORES.create(conn, checkfirst=True)
    conn.execute(delete(SCORES).where(SCORES.c.sha256 == sha256, SCORES.c.day == day))
    rows = [{"sha256": sha256, "day": day, "rank": rank, "position": r.position,
             "customer_id": item["customer_id"], "owner_id": owner,
             "item": json.dumps({**item, "customer_id": str(item["customer_id"])})}
            for rank, (owner, item) in enumerate(items)]
    for start in range(0, len(rows), 1000):
        conn.execute(SCORES.insert(), rows[start:start + 1000])
    return len(rows)


def score_today(conn: Connection, at: int | None, day: date) -> int:
    """Scores `day` with each horizon's newest model that has no ranking for it yet (the
    tick does this once a day); returns how many customers were scored."""
    r = Reader(conn, at)
    done = 0
    for horizon in model_horizons(r):
        model = latest_model(r, horizon)
        if model is None or scored(conn, model["sha256"], day, limit=1) is not None:
            continue
        try:
            fitted = load_model_file(conn, model["sha256"])
        except ModelFileMissing:
            continue
        done += score_day(conn, r, model["sha256"], fitted, day)
    return done


def scored(conn: Connection, sha256: str, day: date, *, owner_id: UUID | None = None,
           limit: int | None = 50) -> tuple[int, list[ChurnPrediction]] | None:
    """(position, items) of the kept ranking of this model and day — the same items
    `predict` gives at that position — or None when the day was not scored yet."""
    if not inspect(conn).has_table(SCORES.name):
        return None
    position = conn.execute(select(func.min(SCORES.c.position)).where(
        SCORES.c.sha256 == sha256, SCORES.c.day == day)).scalar()
    if position is None:
        return None
    stmt = select(SCORES.c.item).where(SCORES.c.sha256 == sha256, SCORES.c.day == day)
    if owner_id is not None:
        stmt = stmt.where(SCORES.c.owner_id == owner_id)
    stmt = stmt.order_by(SCORES.c.rank)
    if limit is not None:
        stmt = stmt.limit(limit)
    items = [_prediction(json.loads(text)) for text in conn.execute(stmt).scalars()]
    return int(position), items


def _prediction(kept: dict[str, Any]) -> ChurnPrediction:
    """A prediction as `score_day` kept it (JSON: the customer id as text)."""
    return ChurnPrediction(
        customer_id=UUID(kept["customer_id"]), customer_name=kept["customer_name"],
        probability=kept["probability"],
        factors=[Factor(name=f["name"], contribution=f["contribution"])
                 for f in kept["factors"]])
