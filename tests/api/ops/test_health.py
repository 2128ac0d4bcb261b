"""GET /healthz and GET /readyz (both stores): unauthenticated, outside /api/v1; readiness
follows the real lag of the views and the automation, and the runtime's extra checks."""

from __future__ import annotations

from automation.process import ProcessManager, ViewSync, follow_once
from cs_store.settings import Settings
from projections.runner import Projector
from tests.api.conftest import Api, started


def test_healthz_answers_without_a_token(api: Api):
    r = api.client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert api.client.get("/api/v1/healthz").status_code in (401, 404)


def test_readyz_follows_the_lag_of_the_views_and_the_automation(api_settings: Settings):
    strict = api_settings.model_copy(update={"ready_max_lag_events": 0})
    with started(strict) as client:  # no projector, no automation in this process
        api = Api(client)
        empty = client.get("/readyz")
        assert empty.status_code == 200, empty.text
        assert empty.json()["status"] == "ready"
        api.user("csm")
        lagging = client.get("/readyz")
        assert lagging.status_code == 503
        body = lagging.json()
        assert body["status"] == "not-ready" and body["views_lag_events"] >= 1
        assert body["automation_lag_events"] >= 1
        assert any("process:playbooks" in reason for reason in body["reasons"])
        assert any(reason.startswith("users is ") for reason in body["reasons"])

        runtime = api.container.runtime
        Projector(runtime.app, runtime.models).catch_up()
        still = client.get("/readyz").json()
        assert still["views_lag_events"] == 0 and still["automation_lag_events"] >= 1
        follow_once(ViewSync(runtime.app, runtime.models), ProcessManager(runtime.app, runtime.models))
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text

        # The hook for further checks (e.g. parked events) turns readiness off with a reason.
        runtime.readiness_checks.append(lambda rt: "3 parked event(s)")
        hooked = client.get("/readyz")
        assert hooked.status_code == 503 and hooked.json()["reasons"] == ["3 parked event(s)"]


def test_readyz_within_the_bound_is_ready(api_settings: Settings):
    with started(api_settings.model_copy(update={"ready_max_lag_events": 1000})) as client:
        Api(client).user("csm")
        r = client.get("/readyz")
        assert r.status_code == 200 and r.json()["views_lag_events"] >= 1
