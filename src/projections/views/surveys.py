"""Survey responses view: every NPS / CSAT response (seed 004), and the NPS metric by
period, by the customer's tier and by its owner CSM (as the customers view knows them at
the read's position)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Date, Integer, String, Uuid, select

from cs_domain.survey import COMMENT_MAX, RESPONDENT_MAX, SurveyKind, SurveyResponse, nps
from projections.query import mean
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


def _groups(rows: Iterable[Any], key: Callable[[Any], Any], name: str) -> list[dict[str, Any]]:
    scores: dict[Any, list[int]] = defaultdict(list)
    for x in rows:
        scores[key(x)].append(x.score)
    return [{name: k, "responses": len(v), "nps": nps(v)}
            for k, v in sorted(scores.items(), key=lambda kv: str(kv[0] or ""))]


def nps_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                ) -> dict[str, Any]:
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
        "by_tier": _groups(nps_rows, lambda x: x.tier, "tier"),
        "by_owner": _groups(nps_rows, lambda x: x.owner_id, "owner_id"),
        "csat_responses": len(csat), "csat_mean": mean(csat),
        "position": r.position,
    }

