"""GET /metrics (both stores): Prometheus text with latency, commands, conflicts and lag."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from projections.runner import Projector
from tests.api.conftest import ADMIN, Api


def samples(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = api.client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(r.text) for s in family.samples}


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_commands_and_conflicts(api: Api):
    csm = api.user("csm")
    customer = api.customer(csm)
    stale = api.client.patch(f"/api/v1/customers/{customer}", json={"name": "Other"},
                             headers={**ADMIN, "If-Match": "99"})
    assert stale.status_code == 412, stale.text
    refused = api.client.post("/api/v1/users", json={"name": "x", "role": "boss"}, headers=ADMIN)
    assert refused.status_code == 422
    found = samples(api)
    assert value(found, "cs_ledger_http_request_duration_seconds_count", method="POST",
                 route="/api/v1/customers", status="201") == 1
    assert value(found, "cs_ledger_http_request_duration_seconds_count", method="POST",
                 route="/api/v1/users", status="201") == 1
    commands = {labels: v for (name, labels), v in found.items() if name == "cs_ledger_commands_total"}
    assert sum(commands.values()) == 4
    assert value(found, "cs_ledger_conflicts_total", command=_command(found, "412"),
                 status="412") == 1
    failed = {labels: v for (name, labels), v in found.items()
              if name == "cs_ledger_commands_failed_total"}
    assert sorted(dict(k)["status"] for k in failed) == ["412", "422"]


def _command(found: dict, status: str) -> str:
    return next(dict(k)["command"] for (name, k), _ in found.items()
                if name == "cs_ledger_conflicts_total" and dict(k)["status"] == status)


def test_metrics_report_the_lag_of_views_and_automation(api: Api):
    api.user("csm")
    head = api.head()
    found = samples(api)
    assert value(found, "cs_ledger_store_up") == 1
    assert value(found, "cs_ledger_log_head_position") == head
    assert value(found, "cs_ledger_view_lag_events", view="users") == head
    assert value(found, "cs_ledger_view_lag_seconds", view="users") >= 0
    assert value(found, "cs_ledger_automation_lag_events") == head
    runtime = api.container.runtime
    Projector(runtime.app, runtime.models).catch_up()
    caught_up = samples(api)
    assert value(caught_up, "cs_ledger_view_lag_events", view="users") == 0
    assert value(caught_up, "cs_ledger_view_lag_seconds", view="users") == 0
    assert value(caught_up, "cs_ledger_view_failed", view="users") == 0


def test_parked_events_come_from_the_runtime_hook(api: Api):
    assert value(samples(api), "cs_ledger_parked_events") == 0  # the parking table's count
    api.container.runtime.parked_count = lambda rt: rt.app.max_position() + 2
    assert value(samples(api), "cs_ledger_parked_events") == api.head() + 2
