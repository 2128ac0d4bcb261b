"""Every view read of the API answers what its query function answers — now and as of an
earlier moment — over a small demo dataset, on both stores. This checks the HTTP layer
(parameters, as_of → position, response shapes, numbers and dates) end to end; the
queries themselves are tested in tests/projections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import Connection

from api.reads.side import ReadSide
from cs_demo.generator import generate
from cs_domain.playbook_defaults import DEFAULT_PLAYBOOKS
from cs_store.factory import chain_recorder
from projections import compose
from projections.queries import (
    activation,
    health_metrics,
    lifecycle,
    playbook_effectiveness,
    renewal_rates,
    weekly,
)
from projections.view import Reader
from projections.views import (
    activities,
    benchmarks,
    complaints,
    contracts,
    health,
    plans,
    playbook_runs,
    projects,
    referrals,
    reporting,
    requirements,
    risks,
    subscriptions,
    tasks,
    team,
    touchpoints,
)
from projections.views.customers import customer_profile
from tests.api.reads.compare import same
from tests.api.reads.conftest import ReadApi

TODAY = date(2026, 11, 30)
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}
Y0, Y1 = date(2026, 1, 1), date(2026, 12, 31)
Query = Callable[[Connection, int | None], Any]


def demo(live: ReadApi) -> dict[str, UUID]:
    """Loads a small demo and returns ids to read: a customer with most going on, ..."""
    app = live.container.app
    summary = generate(app, 8, seed=3, today=TODAY, batch_events=60)
    body = live.read("/customers", limit=500, today=TODAY.isoformat())
    # The automation starts playbook runs in a served API; here one is started by hand.
    manager = next(u for u in summary.users if u.role == "manager")
    run = app.start_playbook_run(
        actor=str(manager.id), playbook_key=next(iter(DEFAULT_PLAYBOOKS)),
        customer_id=UUID(body["items"][0]["id"]), occurrence_key="test", triggered_on=TODAY)
    body = live.read("/customers", limit=500, today=TODAY.isoformat())
    assert len(body["items"]) == 8
    side = live.container.views
    assert isinstance(side, ReadSide)
    with side.models.read() as conn:
        ids: dict[str, UUID] = {}
        best = max(body["items"], key=lambda c: len(compose.customer_360(
            conn, UUID(c["id"]), TODAY)["plans"]))
        ids["customer"] = UUID(best["id"])
        ids["owner"] = UUID(best["owner_id"])
        ids["risk"] = risks.risk_register(conn, today=TODAY, limit=1)["items"][0]["id"]
        ids["task"] = tasks.workbench(conn, today=TODAY, status=None, limit=1)["items"][0]["id"]
        ids["requirement"] = requirements.requirement_list(conn, limit=1)["items"][0]["id"]
        ids["complaint"] = complaints.complaint_list(conn, limit=1)["items"][0]["id"]
        ids["plan"] = plans.plans_of(conn, ids["customer"], today=TODAY)["items"][0]["id"]
        ids["contract"] = compose.customer_360(conn, ids["customer"], TODAY)["contracts"][-1]["id"]
        found = [p for c in body["items"]
                 for p in projects.projects_of(conn, customer_id=UUID(c["id"]))["items"]]
        ids["project"] = found[0]["id"]
        ids["project_customer"] = found[0]["customer_id"]
        ids["run"] = run.id
        ids["run_customer"] = UUID(body["items"][0]["id"])
    return ids


def reads(ids: dict[str, UUID]) -> list[tuple[str, dict[str, Any], Query]]:
    cid, owner = ids["customer"], ids["owner"]
    now = datetime.combine(TODAY, time.max, UTC)

    def health_read(conn: Connection, at: int | None) -> Any:
        history = health.health_history(conn, cid, at=at)
        known = Reader(conn, at)
        if customer_profile(known, cid) is None:
            return None
        current = health.current_health(known, cid)
        return {**history, "current": current,
                "position": min(history["position"], known.position)}

    def pipeline(conn: Connection, at: int | None) -> Any:
        found = contracts.renewals(conn, Y0, Y1, at=at)
        known = Reader(conn, at)
        compose.fill_progress(known, found["items"])
        return {**found, "position": min(found["position"], known.position)}

    def the_360(conn: Connection, at: int | None) -> Any:
        found = compose.customer_360(conn, cid, TODAY, at=at)
        if found is None:
            return None
        profile = compose.customer_list(conn, today=TODAY, q=found["name"], at=at)["items"]
        return {**found, "profile": next(p for p in profile if p["id"] == cid)}

    return [
        ("/customers", {"limit": 3}, lambda c, at: compose.customer_list(
            c, today=TODAY, limit=3, at=at)),
        ("/customers", {"health_band": "red", "owner_id": owner}, lambda c, at:
            compose.customer_list(c, today=TODAY, health_band="red", owner_id=owner, at=at)),
        (f"/customers/{cid}", {}, the_360),
        (f"/customers/{cid}/health", {}, health_read),
        ("/renewals", YEAR, pipeline),
        ("/metrics/renewals", YEAR, lambda c, at: renewal_rates.renewal_figures(
            c, Y0, Y1, at=at)),
        (f"/contracts/{ids['contract']}", {}, lambda c, at: compose.contract_detail(
            c, ids["contract"], TODAY, at=at)),
        ("/fx-rates", {}, lambda c, at: {**reporting.list_rates(c, at=at),
                                         "reporting_currency": None}),
        ("/risks", {"limit": 5}, lambda c, at: risks.risk_register(
            c, today=TODAY, limit=5, at=at)),
        ("/risks", {"status": ["open", "mitigating"], "overdue": "true"}, lambda c, at:
            risks.risk_register(c, today=TODAY, status=["open", "mitigating"], overdue=True,
                                at=at)),
        (f"/risks/{ids['risk']}", {}, lambda c, at: risks.get_risk(
            c, ids["risk"], today=TODAY, at=at)),
        ("/tasks", {"assignee_id": owner, "due": "overdue"}, lambda c, at: tasks.workbench(
            c, today=TODAY, assignee_id=owner, due="overdue", at=at)),
        ("/tasks", {"status": ["done", "cancelled"], "limit": 4}, lambda c, at: tasks.workbench(
            c, today=TODAY, status=["done", "cancelled"], limit=4, at=at)),
        (f"/tasks/{ids['task']}", {}, lambda c, at: tasks.get_task(
            c, ids["task"], today=TODAY, at=at)),
        ("/requirements", {"customer_id": cid}, lambda c, at: requirements.requirement_list(
            c, customer_id=cid, at=at)),
        (f"/requirements/{ids['requirement']}", {}, lambda c, at: requirements.get_requirement(
            c, ids["requirement"], at=at)),
        ("/complaints", {}, lambda c, at: complaints.complaint_list(c, at=at)),
        (f"/complaints/{ids['complaint']}", {}, lambda c, at: complaints.get_complaint(
            c, ids["complaint"], at=at)),
        ("/metrics/risks", YEAR, lambda c, at: risks.risk_metrics(
            c, Y0, Y1, today=TODAY, at=at)),
        ("/metrics/requirements", YEAR, lambda c, at: requirements.requirement_metrics(
            c, Y0, Y1, at=at)),
        ("/metrics/complaints", YEAR, lambda c, at: complaints.complaint_metrics(
            c, Y0, Y1, now=now, at=at)),
        ("/metrics/activation", YEAR, lambda c, at: activation.activation_metrics(
            c, Y0, Y1, at=at)),
        ("/metrics/usage", YEAR, lambda c, at: health_metrics.usage_metrics(c, Y0, Y1, at=at)),
        ("/metrics/health", {}, lambda c, at: health_metrics.health_distribution(c, at=at)),
        ("/metrics/milestones", YEAR, lambda c, at: plans.milestone_lateness(
            c, today=TODAY, from_=Y0, to=Y1, at=at)),
        ("/team", {}, lambda c, at: team.team(c, today=TODAY, at=at)),
        ("/team/milestones", {"owner_id": owner}, lambda c, at: team.milestone_lateness(
            c, today=TODAY, owner_id=owner, at=at)),
        ("/team/weekly", {"week": "2026-W47"}, lambda c, at: {"week": "2026-W47", **(
            weekly.team_weekly(c, monday=date(2026, 11, 16), today=TODAY, at=at))}),
        ("/lifecycle", {}, lambda c, at: lifecycle.lifecycle_board(c, today=TODAY, at=at)),
        ("/projects", {"customer_id": ids["project_customer"]}, lambda c, at:
            projects.projects_of(c, customer_id=ids["project_customer"], at=at)),
        (f"/projects/{ids['project']}", {}, lambda c, at: projects.get_project(
            c, ids["project"], at=at)),
        ("/plans", {"customer_id": cid}, lambda c, at: plans.plans_of(
            c, cid, today=TODAY, at=at)),
        (f"/plans/{ids['plan']}", {}, lambda c, at: plans.get_plan(
            c, ids["plan"], today=TODAY, at=at)),
        ("/touchpoints", {"customer_id": cid}, lambda c, at: touchpoints.touchpoints_of(
            c, cid, at=at)),
        ("/touchpoints", {"owner_id": owner}, lambda c, at: touchpoints.touchpoints_of(
            c, None, owner_id=owner, at=at)),
        ("/playbook-runs", {}, lambda c, at: playbook_runs.list_runs(c, at=at)),
        ("/playbook-runs", {"customer_id": ids["run_customer"], "status": "active"}, lambda c, at:
            playbook_runs.list_runs(c, customer_id=ids["run_customer"], status=["active"], at=at)),
        (f"/playbook-runs/{ids['run']}", {}, lambda c, at: playbook_runs.get_run(
            c, ids["run"], at=at)),
        ("/metrics/playbooks", YEAR, lambda c, at: playbook_effectiveness.effectiveness(
            c, from_=Y0, to=Y1, at=at)),
        ("/subscriptions", {"customer_id": cid}, lambda c, at: subscriptions.subscriptions_of(
            c, cid, today=TODAY, at=at)),
        ("/activities", {"status": "reviewed"}, lambda c, at: activities.activity_list(
            c, status="reviewed", at=at)),
        ("/benchmark-cases", {}, lambda c, at: benchmarks.case_list(c, at=at)),
        ("/referrals", {}, lambda c, at: referrals.referral_list(c, at=at)),
        ("/metrics/referrals", YEAR, lambda c, at: referrals.referral_metrics(
            c, Y0, Y1, at=at)),
    ]


@pytest.mark.slow
def test_every_view_read_answers_what_its_query_does(live: ReadApi):
    ids = demo(live)
    head = live.head()
    side = live.container.views
    assert isinstance(side, ReadSide)
    # An earlier moment: half-way through the log.
    middle = head // 2
    event = live.ok("GET", f"/events?after={middle - 1}&limit=1")["events"][0]
    moment = event["recorded_at"]
    # A batch of events shares its recording time: as of it means after the whole batch.
    known = chain_recorder(live.container.app).position_at(datetime.fromisoformat(moment))
    assert event["position"] <= known < head
    answered = 0
    for path, params, query in reads(ids):
        for as_of, at in ((None, None), (moment, known)):
            asked = {k: str(v) if isinstance(v, UUID) else v for k, v in params.items()}
            asked["today"] = TODAY.isoformat()
            if as_of is not None:
                asked["as_of"] = as_of
            response = live.get(path, min_position=head, **asked)
            where = f"{path} {asked}"
            if response.status_code == 404 and as_of is not None:
                with side.models.read() as conn:
                    assert query(conn, at) is None, where
                continue
            assert response.status_code == 200, (where, response.text)
            body = response.json()
            with side.models.read() as conn:
                expected = query(conn, at)
            assert expected is not None, where
            if at is None:
                assert body["position"] >= head, where
            else:
                assert body["position"] == at, where
            same(body, expected, where)
            answered += as_of is not None
    assert answered >= 20  # most reads have something to say as of the earlier moment too
