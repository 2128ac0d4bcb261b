"""Risks, tasks and health through the API with `today`, filters, 404s and 422s; both
stores. (Every read is also checked against its query in test_every_read.py.)"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from tests.api.reads.conftest import ReadApi


def test_risk_register_and_workbench_follow_today(live: ReadApi):
    owner = live.user("csm", "Chen Jing")
    cid = UUID(live.customer(owner, name="Acme"))
    app = live.container.app
    risk = app.raise_risk(actor=str(owner.id), customer_id=cid, title="Champion leaving",
                          category="relationship", severity="high",
                          due_date=date(2025, 11, 30), raised_on=date(2025, 11, 1)).id
    for title, due in (("Call the sponsor", date(2025, 11, 28)),
                       ("Send the QBR deck", date(2025, 12, 3))):
        app.create_task(actor=str(owner.id), customer_id=cid, title=title,
                        assignee_id=owner.id, due_date=due)

    def register(day: str, **params: object) -> list[str]:
        return [r["title"] for r in live.read("/risks", today=day, **params)["items"]]

    assert register("2025-11-30", overdue="true") == []  # the due date itself is not late
    assert register("2025-12-01", overdue="true") == ["Champion leaving"]
    assert register("2025-12-01", overdue="false") == []
    assert register("2025-12-01", status="closed") == []
    assert register("2025-12-01", customer_id=str(cid), owner_id=str(owner.id)) == \
        ["Champion leaving"]
    one = live.read(f"/risks/{risk}", today="2025-12-01")
    assert one["overdue"] is True and one["owner_name"] == "Chen Jing"
    assert live.read(f"/customers/{cid}", today="2025-12-01")["risks"][0]["overdue"] is True

    def bench(day: str, due: str) -> tuple[list[str], dict[str, int]]:
        body = live.read("/tasks", assignee_id=str(owner.id), due=due, today=day)
        return [t["title"] for t in body["items"]], body["counts"]

    assert bench("2025-11-28", "today") == (["Call the sponsor"],
                                            {"overdue": 0, "today": 1, "week": 2})
    assert bench("2025-11-29", "overdue") == (["Call the sponsor"],
                                              {"overdue": 1, "today": 0, "week": 1})
    assert bench("2025-11-29", "week")[0] == ["Send the QBR deck"]


def test_health_history_of_a_customer(live: ReadApi):
    owner = live.user("csm")
    cid = UUID(live.customer(owner))
    app = live.container.app
    monday = date(2025, 9, 1)
    for week, days in enumerate((Decimal("4.5"), Decimal("3.0"), Decimal("1.0"))):
        start = monday + timedelta(weeks=week)
        app.report_usage(actor=str(owner.id), customer_id=cid, period_start=start,
                         period_end=start + timedelta(days=6), active_days_per_week=days,
                         feature_adoption=Decimal("0.6"), open_issues=1)
    body = live.read(f"/customers/{cid}/health")
    assert [p["period_start"] for p in body["items"]] == ["2025-09-01", "2025-09-08",
                                                          "2025-09-15"]
    scores = [p["score"] for p in body["items"]]
    assert scores == sorted(scores, reverse=True) and all(isinstance(s, float) for s in scores)
    assert body["current"]["period_start"] == "2025-09-15"
    assert body["current"]["trend"]["direction"] == "down"
    assert set(body["items"][0]["components"]) >= {"active_days", "feature_adoption"}
    narrowed = live.read(f"/customers/{cid}/health", **{"from": "2025-09-08",
                                                         "to": "2025-09-08"})
    assert [p["period_start"] for p in narrowed["items"]] == ["2025-09-08"]
    band = body["current"]["band"]
    assert [c["id"] for c in live.read("/customers", health_band=band)["items"]] == [str(cid)]
    assert live.read(f"/customers/{cid}")["health"]["score"] == body["current"]["score"]


@pytest.mark.parametrize("path", ["/customers/{id}", "/customers/{id}/health", "/risks/{id}",
                                  "/risks/{id}/trail", "/tasks/{id}", "/requirements/{id}",
                                  "/complaints/{id}", "/projects/{id}", "/plans/{id}"])
def test_unknown_ids_are_404(live: ReadApi, path: str):
    r = live.get(path.format(id=uuid4()))
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert live.get(path.format(id="nope")).status_code == 422


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/risks", {"status": "pending"}, "status"),
    ("/risks", {"overdue": "maybe"}, "overdue"),
    ("/tasks", {"due": "someday"}, "due"),
    ("/tasks", {"cursor": "xyz"}, "cursor"),
    ("/requirements", {"limit": 0}, "limit"),
    ("/complaints", {"status": "lost"}, "status"),
    ("/customers", {"health_band": "purple"}, "health_band"),
    ("/projects", {}, "customer_id"),
    ("/plans", {}, "customer_id"),
    ("/touchpoints", {"customer_id": "00000000-0000-0000-0000-000000000000", "kind": "x"},
     "kind"),
    ("/metrics/risks", {"from": "2025-01-01"}, "to"),
    ("/metrics/usage", {"from": "2025-02-01", "to": "2025-01-01"}, "to"),
    ("/metrics/activation", {"from": "2025-01-01", "to": "2025-12-31",
                             "min_active_days": "8"}, "min_active_days"),
])
def test_bad_parameters_are_422_naming_them(live: ReadApi, path: str, params: dict[str, str],
                                            field: str):
    r = live.get(path, **params)
    assert r.status_code == 422, r.text
    assert field in [e["field"].split(".")[0] for e in r.json()["errors"]], r.json()
