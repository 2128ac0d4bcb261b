"""Forecasts held to account (`GET /metrics/forecast-accuracy`), query-only.

For every contract term ending in [from, to] that was decided (renewed or churned), the
renewal intent *held* 90, 60 and 30 days before its end — the latest intent on that
contract recorded on or before the checkpoint (the `churn` view's intents, dated by the
day they were recorded) — against the outcome. `high` forecasts a renewal, `low` a churn;
`medium` and no intent forecast nothing. Per checkpoint: the terms with an intent, the
decisive ones (high or low), the correct ones and accuracy = correct / decisive; the same
per owner CSM (the customer's owner at the read position).

With a churn model known at the read position (the newest of any horizon), calibration:
each decided term is predicted as of its end − the model's horizon (features as of that
day, :func:`projections.views.churn.features_at`), labelled by a churn within the horizon
after it, and grouped by decile of the probability: predictions, mean probability, the
observed churn rate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, select

from cs_domain.rules import ratio
from projections.shapes import Ratio, TypedDict
from projections.view import Reader
from projections.views.churn import (
    INTENTS,
    ModelFileMissing,
    churned_within,
    features_at,
    latest_model,
    load_facts,
    load_model_file,
)
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.users import names

CHECKPOINTS = (90, 60, 30)
OUTCOMES = {"renewed": "renewed", "churned": "churned"}
INTENT_KEYS = ("high", "medium", "low", "none")


class IntentOutcomes(TypedDict):
    intent: Annotated[str, Field(description="high | medium | low | none (no intent held "
                                             "then).")]
    terms: int
    renewed: int
    churned: int


class OwnerCheckpoint(TypedDict):
    days_before: Annotated[int, Field(description="90, 60 or 30: the intent held this many "
                                                  "days before the term's end.")]
    with_intent: Annotated[int, Field(description="Terms with an intent held then.")]
    decisive: Annotated[int, Field(description="Terms whose intent was high (forecasts a "
                                               "renewal) or low (forecasts a churn).")]
    correct: Annotated[int, Field(description="Decisive forecasts the outcome bore out.")]
    accuracy: Annotated[Ratio | None, Field(description="correct / decisive (null without "
                                                        "any).")]


class Checkpoint(OwnerCheckpoint):
    by_intent: list[IntentOutcomes]


class OwnerAccuracy(TypedDict):
    owner_id: UUID | None
    owner_name: str | None
    terms: int
    checkpoints: list[OwnerCheckpoint]


# `from` is a keyword: the functional form.
Decile = TypedDict("Decile", {
    "decile": Annotated[int, Field(description="1..10: probabilities in [from, to).")],
    "from": float,
    "to": float,
    "predictions": int,
    "mean_probability": float | None,
    "churn_rate": Annotated[Ratio | None, Field(description="Observed: churned within the "
                                                            "horizon.")],
})


class Calibration(TypedDict):
    model_version: int
    horizon_days: int
    predictions: Annotated[int, Field(description="Decided terms predicted as of end − "
                                                  "horizon.")]
    deciles: list[Decile]


ForecastAccuracy = TypedDict("ForecastAccuracy", {
    "from": date, "to": date, "terms": int, "renewed": int, "churned": int,
    "checkpoints": list[Checkpoint], "by_owner": list[OwnerAccuracy],
    "calibration": Calibration | None, "position": int})


@dataclass(frozen=True)
class Term:
    contract_id: UUID
    customer_id: UUID
    end: date
    outcome: str  # renewed | churned


def _held(intents: list[tuple[date, int, str]], day: date) -> str:
    held = [i for i in intents if i[0] <= day]
    return max(held)[2] if held else "none"


def _checkpoint(terms: list[Term], intents: dict[UUID, list[tuple[date, int, str]]],
                days_before: int) -> Checkpoint:
    by_intent: dict[str, IntentOutcomes] = {
        k: {"intent": k, "terms": 0, "renewed": 0, "churned": 0} for k in INTENT_KEYS}
    correct = decisive = 0
    for t in terms:
        intent = _held(intents.get(t.contract_id, []), t.end - timedelta(days=days_before))
        row = by_intent[intent]
        row["terms"] += 1
        if t.outcome == "renewed":
            row["renewed"] += 1
        else:
            row["churned"] += 1
        if intent in ("high", "low"):
            decisive += 1
            correct += int((intent == "high") == (t.outcome == "renewed"))
    return {"days_before": days_before,
            "with_intent": len(terms) - by_intent["none"]["terms"], "decisive": decisive,
            "correct": correct, "accuracy": ratio(correct, decisive),
            "by_intent": list(by_intent.values())}


def _owner_checkpoint(c: Checkpoint) -> OwnerCheckpoint:
    return OwnerCheckpoint(days_before=c["days_before"], with_intent=c["with_intent"],
                           decisive=c["decisive"], correct=c["correct"],
                           accuracy=c["accuracy"])


def _calibration(r: Reader, terms: list[Term]) -> Calibration | None:
    found = latest_model(r)
    if found is None:
        return None
    try:
        model = load_model_file(r.conn, found["sha256"])
    except ModelFileMissing:
        return None
    horizon = found["horizon_days"]
    facts = load_facts(r, {t.customer_id for t in terms})
    buckets: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for t in terms:
        f = facts.get(t.customer_id)
        if f is None:
            continue
        day = t.end - timedelta(days=horizon)
        probability, _ = model.score(features_at(f, day))
        buckets[min(9, int(probability * 10))].append(
            (probability, churned_within(f, day, horizon)))
    deciles: list[Decile] = []
    for decile in range(10):
        items = buckets.get(decile, [])
        deciles.append({
            "decile": decile + 1, "from": decile / 10, "to": (decile + 1) / 10,
            "predictions": len(items),
            "mean_probability": round(sum(p for p, _ in items) / len(items), 4) if items
            else None,
            "churn_rate": ratio(sum(c for _, c in items), len(items))})
    return {"model_version": found["version"], "horizon_days": horizon,
            "predictions": sum(len(b) for b in buckets.values()), "deciles": deciles}


def forecast_accuracy(conn: Connection, from_: date, to: date, *,
                      owner_id: UUID | None = None, at: int | None = None
                      ) -> ForecastAccuracy:
    """`{from, to, terms, renewed, churned, checkpoints, by_owner, calibration, position}`."""
    r = Reader(conn, at)
    c, k = r.table(CUSTOMERS), r.table(CONTRACTS)
    stmt = select(k.c.id, k.c.customer_id, k.c.end_date, k.c.status, c.c.owner_id).join(
        c, c.c.id == k.c.customer_id).where(
        k.c.end_date >= from_, k.c.end_date <= to, k.c.status.in_(tuple(OUTCOMES)),
        r.visible(k), r.visible(c))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    rows = r.conn.execute(stmt.order_by(k.c.end_date, k.c.id)).all()
    terms = [Term(row.id, row.customer_id, row.end_date, OUTCOMES[row.status]) for row in rows]
    owners = {row.id: row.owner_id for row in rows}
    t = r.table(INTENTS)
    intents: dict[UUID, list[tuple[date, int, str]]] = defaultdict(list)
    wanted = {term.contract_id for term in terms}
    for row in r.conn.execute(select(t.c.contract_id, t.c.set_on, t.c.position, t.c.intent)
                              .where(r.visible(t))):
        if row.contract_id in wanted:
            intents[row.contract_id].append((row.set_on, row.position, row.intent))
    by_owner_terms: dict[UUID | None, list[Term]] = defaultdict(list)
    for term in terms:
        by_owner_terms[owners[term.contract_id]].append(term)
    owner_names = names(r, [o for o in by_owner_terms if o is not None])
    by_owner: list[OwnerAccuracy] = []
    for owner in sorted(by_owner_terms, key=lambda o: (owner_names.get(o, "") if o else "",
                                                        str(o))):
        mine = by_owner_terms[owner]
        by_owner.append(OwnerAccuracy(
            owner_id=owner, owner_name=owner_names.get(owner) if owner else None,
            terms=len(mine),
            checkpoints=[_owner_checkpoint(_checkpoint(mine, intents, d)) for d in CHECKPOINTS]))
    return {
        "from": from_, "to": to, "terms": len(terms),
        "renewed": sum(term.outcome == "renewed" for term in terms),
        "churned": sum(term.outcome == "churned" for term in terms),
        "checkpoints": [_checkpoint(terms, intents, d) for d in CHECKPOINTS],
        "by_owner": by_owner, "calibration": _calibration(r, terms), "position": r.position,
    }
