"""Playbook effectiveness: did the plays run, and did they work? (seed 002: "如何衡量").

Per playbook and per definition version: runs started / active / completed / abandoned,
the completion and abandon rates, and per success metric how many runs were measured,
achieved, missed or are still pending, with the achieved rate. Computed from the
``playbook_runs`` view's row versions, so it reads as of any position (`at`) like every
view; `from_`/`to` restrict to runs triggered in that business-date range.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import Connection, func, select

from projections.query import ratio
from projections.shapes import Ratio, TypedDict
from projections.view import Reader
from projections.views.playbook_runs import OUTCOMES, RUNS, VERSIONS

STATUSES = ("active", "completed", "abandoned")


class RunCounts(TypedDict):
    started: int
    active: int
    completed: int
    abandoned: int


class MetricOutcome(TypedDict):
    metric: str
    kind: str
    measured: int
    achieved: int
    missed: int
    pending: int
    rate: Annotated[Ratio | None, Field(description="achieved / measured.")]


class Effect(TypedDict):
    """The figures of a set of runs (a version's, a playbook's)."""

    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[MetricOutcome]


class VersionEffectiveness(TypedDict):
    version: int
    name: str | None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[MetricOutcome]


class PlaybookEffectiveness(TypedDict):
    playbook_key: str
    name: str | None
    runs: RunCounts
    completion_rate: Ratio | None
    abandon_rate: Ratio | None
    outcomes: list[MetricOutcome]
    versions: list[VersionEffectiveness]


# `from` is a keyword: the functional form (the API's Effectiveness declares the fields).
Effectiveness = TypedDict("Effectiveness", {
    "from": date | None, "to": date | None, "playbooks": list[PlaybookEffectiveness],
    "position": int})


def _tally() -> dict[str, Any]:
    return {"started": 0, **{s: 0 for s in STATUSES}, "metrics": {}}


def _present(t: dict[str, Any], metrics: list[dict[str, Any]]) -> Effect:
    outcomes = []
    for m in metrics:
        achieved, missed = t["metrics"].get(m["name"], (0, 0))
        outcomes.append(MetricOutcome(
            metric=m["name"], kind=m["kind"], measured=achieved + missed, achieved=achieved,
            missed=missed, pending=t["started"] - achieved - missed,
            rate=ratio(achieved, achieved + missed)))
    return {"runs": RunCounts(started=t["started"], active=t["active"],
                              completed=t["completed"], abandoned=t["abandoned"]),
            "completion_rate": ratio(t["completed"], t["started"]),
            "abandon_rate": ratio(t["abandoned"], t["started"]), "outcomes": outcomes}


def effectiveness(conn: Connection, *, playbook: str | None = None, from_: date | None = None,
                  to: date | None = None, at: int | None = None) -> Effectiveness:
    """`{playbooks: [{playbook_key, name, ...totals, versions: [{version, name, ...}]}],
    position}`; rates are Decimal ratios (4 places) or None when nothing counts.

    Totals per playbook add up its versions; a metric's outcomes are listed under the
    versions that define it (by metric name) and summed by name for the playbook.
    """
    r = Reader(conn, at)
    t, o, v = r.table(RUNS), r.table(OUTCOMES), r.table(VERSIONS)
    where = [r.visible(t)]
    if playbook is not None:
        where.append(t.c.playbook_key == playbook)
    if from_ is not None:
        where.append(t.c.triggered_on >= from_)
    if to is not None:
        where.append(t.c.triggered_on <= to)
    counts = conn.execute(
        select(t.c.playbook_key, t.c.playbook_id, t.c.playbook_version, t.c.status,
               func.count()).where(*where)
        .group_by(t.c.playbook_key, t.c.playbook_id, t.c.playbook_version, t.c.status)).all()
    measured = conn.execute(
        select(t.c.playbook_key, t.c.playbook_version, o.c.metric, o.c.achieved, func.count())
        .join(o, (o.c.run_id == t.c.id) & r.visible(o)).where(*where)
        .group_by(t.c.playbook_key, t.c.playbook_version, o.c.metric, o.c.achieved)).all()
    definitions = {(row.playbook_id, row.definition_version): row for row in conn.execute(
        select(v.c.playbook_id, v.c.definition_version, v.c.name, v.c.success_metrics)
        .where(r.visible(v)))}

    per: dict[str, dict[int, dict[str, Any]]] = {}
    ids: dict[str, Any] = {}
    for key, playbook_id, version, status, n in counts:
        ids[key] = playbook_id
        tally = per.setdefault(key, {}).setdefault(version, _tally())
        tally["started"] += n
        tally[status] += n
    for key, version, metric, achieved, n in measured:
        pair = per[key][version]["metrics"].setdefault(metric, (0, 0))
        per[key][version]["metrics"][metric] = ((pair[0] + n, pair[1]) if achieved
                                                else (pair[0], pair[1] + n))
    items: list[PlaybookEffectiveness] = []
    for key in sorted(per):
        versions: list[VersionEffectiveness] = []
        total, names = _tally(), dict[str, dict[str, Any]]()
        latest_name = None
        for version in sorted(per[key]):
            d = definitions.get((ids[key], version))
            metrics = d.success_metrics if d is not None else []
            latest_name = d.name if d is not None else latest_name
            tally = per[key][version]
            versions.append(VersionEffectiveness(
                version=version, name=None if d is None else d.name, **_present(tally, metrics)))
            for field in ("started", *STATUSES):
                total[field] += tally[field]
            for m in metrics:
                names.setdefault(m["name"], m)
                a, b = total["metrics"].get(m["name"], (0, 0))
                got = tally["metrics"].get(m["name"], (0, 0))
                total["metrics"][m["name"]] = (a + got[0], b + got[1])
        # Pending is counted per version (runs of versions that define the metric).
        summary = _present(total, list(names.values()))
        for outcome in summary["outcomes"]:
            outcome["pending"] = sum(
                o["pending"] for ver in versions for o in ver["outcomes"]
                if o["metric"] == outcome["metric"])
        items.append(PlaybookEffectiveness(playbook_key=key, name=latest_name, **summary,
                                           versions=versions))
    return {"from": from_, "to": to, "playbooks": items, "position": r.position}
