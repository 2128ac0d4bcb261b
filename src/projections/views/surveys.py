"""Survey responses view: every NPS / CSAT response (seed 004), and the NPS metric by
period, by the customer's tier and by its owner CSM (as the customers view knows them at
the read's position)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, Integer, String, Uuid, select

from cs_domain.survey import COMMENT_MAX, RESPONDENT_MAX, SurveyKind, SurveyResponse, nps
from projections.query import mean
from projections.shapes import Measure, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.customers import CUSTOMERS

RESPONSES = VersionedTable(
    "surveys", "survey_responses",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("kind", String(8)), ("score", Integer()),
        ("respondent", String(RESPONDENT_MAX)), ("responded_on", Date()),
        ("comment", String(COMMENT_MAX)), ("recorded_by", String(200)),
    ],
    indexes=[("customer_id",), ("responded_on", "id")],
)


class SurveysView(View):
    name = "surveys"
    tables = (RESPONSES,)

    @on(SurveyResponse.Recorded)
    def recorded(self, tx: ViewTx, e: SurveyResponse.Recorded) -> None:
        tx[RESPONSES].put(e.originator_id, {
            "customer_id": e.customer_id, "kind": e.kind, "score": e.score,
            "respondent": e.respondent, "responded_on": e.responded_on, "comment": e.comment,
            "recorded_by": e.actor})


class NpsGroup(TypedDict):
    responses: int
    nps: Annotated[Measure | None, Field(description="% promoters − % detractors, 2 places.")]


class NpsByTier(NpsGroup):
    tier: Annotated[str | None, Field(description="The customer's tier as of the read.")]


class NpsByOwner(NpsGroup):
    owner_id: Annotated[UUID | None, Field(description="The customer's owner CSM as of the "
                                                       "read.")]


# `from` is a keyword: the functional form (the API's NpsMetrics declares the fields).
NpsMetrics = TypedDict("NpsMetrics", {
    "from": date, "to": date, "responses": int, "nps": Decimal | None, "promoters": int,
    "passives": int, "detractors": int, "by_tier": list[NpsByTier],
    "by_owner": list[NpsByOwner], "csat_responses": int, "csat_mean": Decimal | None,
    "position": int})


def _groups(rows: Iterable[Any], key: Callable[[Any], Any]) -> list[tuple[Any, NpsGroup]]:
    """(key, its responses and NPS) by key (as text, None first)."""
    scores: dict[Any, list[int]] = defaultdict(list)
    for x in rows:
        scores[key(x)].append(x.score)
    return [(k, NpsGroup(responses=len(v), nps=nps(v)))
            for k, v in sorted(scores.items(), key=lambda kv: str(kv[0] or ""))]


def nps_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                ) -> NpsMetrics:
    """The NPS responses with `responded_on` in [from_, to] (both inclusive): `responses`,
    `nps` (% promoters 9-10 − % detractors 0-6, 2 places, None without responses),
    `promoters`, `passives`, `detractors`; `by_tier` and `by_owner` (the customer's tier
    and owner as of the read); and the CSAT responses of the range (`csat_responses`,
    `csat_mean`, 2 places)."""
    r = Reader(conn, at)
    t, c = r.table(RESPONSES), r.table(CUSTOMERS)
    rows = conn.execute(
        select(t.c.kind, t.c.score, c.c.tier, c.c.owner_id)
        .join(c, (c.c.id == t.c.customer_id) & r.visible(c), isouter=True)
        .where(r.visible(t), t.c.responded_on.between(from_, to))).all()
    scores = [x.score for x in rows if x.kind == SurveyKind.NPS.value]
    csat = [x.score for x in rows if x.kind == SurveyKind.CSAT.value]
    nps_rows = [x for x in rows if x.kind == SurveyKind.NPS.value]
    return {
        "from": from_, "to": to, "responses": len(scores), "nps": nps(scores),
        "promoters": sum(1 for s in scores if s >= 9),
        "passives": sum(1 for s in scores if 7 <= s <= 8),
        "detractors": sum(1 for s in scores if s <= 6),
        "by_tier": [NpsByTier(tier=k, **g) for k, g in _groups(nps_rows, lambda x: x.tier)],
        "by_owner": [NpsByOwner(owner_id=k, **g)
                     for k, g in _groups(nps_rows, lambda x: x.owner_id)],
        "csat_responses": len(csat), "csat_mean": mean(csat),
        "position": r.position,
    }

