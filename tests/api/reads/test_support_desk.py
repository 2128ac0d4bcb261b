"""The support desk through HTTP on both stores (seed 001 §三.1.2): tickets opened,
replied, resolved and reviewed; `GET /tickets` with filters and `as_of`; the support
metric (first-reply percentiles, accuracy, per agent); refusals write nothing."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from tests.api.conftest import User
from tests.api.reads.conftest import ReadApi
from tests.api.reads.test_consistency import recorded_at
from tests.api.work_support import fields

OPENED = "2025-03-03T09:00:00+08:00"


def ticket(live: ReadApi, customer: str, by: User, *, reply_min: int | None = None,
           agent: User | None = None, opened_at: str = OPENED) -> str:
    ticket_id = live.ok("POST", "/tickets", {"customer_id": customer, "channel": "chat",
                                              "subject": "Export help", "opened_at": opened_at},
                        headers=by.headers)["id"]
    if reply_min is not None:
        replied = f"2025-03-03T{9 + reply_min // 60:02d}:{reply_min % 60:02d}:00+08:00"
        live.ok("POST", f"/tickets/{ticket_id}/reply", {"replied_at": replied},
                headers=(agent or by).headers)
    return str(ticket_id)


def test_the_support_desk_and_its_metric(live: ReadApi):
    csm, manager = live.user("csm"), live.user("manager")
    ana, bo = live.user("support", "Ana"), live.user("support", "Bo")
    customer = live.customer(csm)
    start = live.head()
    first = ticket(live, customer, ana, reply_min=10)
    ticket(live, customer, ana, reply_min=30)
    third = ticket(live, customer, ana, reply_min=20, agent=bo)
    ticket(live, customer, csm)  # no reply yet: counted, no minutes
    live.ok("POST", f"/tickets/{first}/resolve", {"resolved_at": "2025-03-03T11:00:00+08:00"},
            headers=ana.headers)
    before_reviews = recorded_at(live, live.head())
    time.sleep(0.01)  # recording times are microseconds: keep the reviews strictly later
    for ticket_id, accurate in ((first, True), (third, False)):
        live.ok("POST", f"/tickets/{ticket_id}/review",
                {"accurate": accurate, "note": "checked", "reviewed_at": "2025-03-04T10:00:00Z"},
                headers=manager.headers)
    types = [e["type"] for e in live.events(after=start)]
    assert types.count("Ticket.Opened") == 4 and types.count("Ticket.AccuracyReviewed") == 2

    one = live.read(f"/tickets/{first}")
    assert (one["status"], one["agent"], one["first_reply_minutes"]) == \
        ("resolved", str(ana.id), 10.0)
    assert one["accurate"] is True and one["reviewer"] == str(manager.id)
    assert one["opened_on"] == "2025-03-03"
    page = live.read("/tickets", customer_id=customer, status="open")
    assert [t["status"] for t in page["items"]] == ["open"]
    assert live.read(f"/tickets/{third}", as_of=before_reviews)["accurate"] is None

    m = live.read("/metrics/support", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert (m["tickets"], m["replied"], m["open"], m["resolved"]) == (4, 3, 1, 1)
    assert (m["first_reply_minutes_p50"], m["first_reply_minutes_p90"]) == (20.0, 30.0)
    assert (m["reviewed"], m["accurate"], m["accuracy"]) == (2, 1, 0.5)
    by_agent = {a["agent"]: a for a in m["by_agent"]}
    assert by_agent[str(ana.id)]["first_reply_minutes_p50"] == 10.0
    assert by_agent[str(ana.id)]["accuracy"] == 1.0
    assert by_agent[str(bo.id)]["accuracy"] == 0.0
    empty = live.read("/metrics/support", **{"from": "2025-04-01", "to": "2025-04-30"})
    assert (empty["tickets"], empty["first_reply_minutes_p50"], empty["accuracy"],
            empty["by_agent"]) == (0, None, None, [])
    early = live.read("/metrics/support", as_of=before_reviews,
                      **{"from": "2025-03-01", "to": "2025-03-31"})
    assert early["reviewed"] == 0


def test_support_desk_refusals_write_nothing(live: ReadApi):
    csm, support, other = live.user("csm"), live.user("support"), live.user("csm")
    manager = live.user("manager")
    customer = live.customer(csm)
    opened = ticket(live, customer, support)
    head = live.head()

    def refused(path: str, body: dict[str, Any], user: User, status: int) -> Any:
        r = live.post(path, body, headers=user.headers)
        assert r.status_code == status, r.text
        return r

    base = {"customer_id": customer, "channel": "chat", "subject": "s"}
    r = refused("/tickets", {**base, "channel": "fax"}, support, 422)
    assert set(fields(r)) == {"channel"}
    r = refused("/tickets", {**base, "subject": "x" * 501}, support, 422)
    assert set(fields(r)) == {"subject"}
    r = refused("/tickets", {**base, "opened_at": "2025-03-03T09:00:00"}, support, 422)
    assert set(fields(r)) == {"opened_at"}
    r = refused("/tickets", {**base, "customer_id": str(uuid4())}, support, 422)
    assert set(fields(r)) == {"customer_id"}
    r = refused(f"/tickets/{opened}/reply", {"replied_at": "2025-03-03T08:00:00+08:00"},
                support, 422)
    assert set(fields(r)) == {"replied_at"}
    assert refused(f"/tickets/{opened}/resolve", {}, support, 409).json()["state"] == "open"
    refused(f"/tickets/{opened}/review", {"accurate": True}, manager, 409)
    refused(f"/tickets/{opened}/review", {"accurate": True}, support, 403)  # managers review
    refused(f"/tickets/{opened}/reply", {}, other, 403)  # not this CSM's customer
    refused(f"/tickets/{uuid4()}/reply", {}, support, 404)
    r = refused(f"/tickets/{opened}/review", {"accurate": "yes", "note": "n" * 5001},
                manager, 422)
    assert set(fields(r)) >= {"accurate"}
    assert live.get("/metrics/support", **{"from": "2025-03-31", "to": "2025-03-01"}
                    ).status_code == 422
    assert live.get("/tickets", status="closed").status_code == 422
    assert live.head() == head  # no refusal wrote anything
    analyst = live.user("analyst")
    head = live.head()
    for path in ("/tickets", f"/tickets/{opened}"):
        assert live.get(path, analyst.headers,
                        min_position=head).status_code == 200  # reads: every role
    assert live.get("/metrics/support", analyst.headers,
                    **{"from": "2025-03-01", "to": "2025-03-31"}).status_code == 200
    assert live.head() == head
