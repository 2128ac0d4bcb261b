"""`as_of` (knowledge time), `min_position` (read-your-writes) and the position of every
view answer, on both stores."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections import state
from projections.db import ReadModels
from projections.runner import Projector
from tests.api.conftest import ADMIN
from tests.api.reads.conftest import ReadApi, started_with


def recorded_at(api: ReadApi, position: int) -> str:
    event = api.ok("GET", f"/events?after={position - 1}&limit=1")["events"][0]
    assert event["position"] == position
    return str(event["recorded_at"])


def test_as_of_shows_the_view_as_it_was_known(live: ReadApi):
    owner = live.user("csm")
    created = live.ok("POST", "/customers", {"name": "Acme", "tier": "basic",
                                             "owner_id": str(owner.id)})
    cid = created["id"]
    moment = recorded_at(live, created["position"])
    time.sleep(0.01)  # recording times are microseconds: keep the next write strictly later
    renamed = live.ok("PATCH", f"/customers/{cid}", {"name": "Acme Group"})
    live.customer(owner, name="Beta")

    before = live.read(f"/customers/{cid}", as_of=moment)
    assert before["name"] == "Acme" and before["position"] == created["position"]
    now = live.read(f"/customers/{cid}")
    assert now["name"] == "Acme Group" and now["position"] >= renamed["position"]
    assert [c["name"] for c in live.read("/customers", as_of=moment)["items"]] == ["Acme"]
    assert [c["name"] for c in live.read("/customers")["items"]] == ["Acme Group", "Beta"]
    # Offsets are honoured: the same moment written in UTC+8.
    eastern = datetime.fromisoformat(moment).astimezone(timezone(timedelta(hours=8)))
    assert live.read(f"/customers/{cid}", as_of=eastern.isoformat())["name"] == "Acme"
    # "+08:00" sent unencoded arrives as " 08:00": still read as the offset.
    r = live.client.get(f"/api/v1/customers/{cid}?as_of={eastern.isoformat()}", headers=ADMIN)
    assert r.status_code == 200 and r.json()["name"] == "Acme"
    # Before the first event nothing existed.
    yesterday_of_first = datetime.fromisoformat(recorded_at(live, 1)) - timedelta(days=1)
    r = live.get(f"/customers/{cid}", as_of=yesterday_of_first.isoformat())
    assert r.status_code == 404
    assert live.read("/customers", as_of=yesterday_of_first.isoformat())["items"] == []
    assert live.read("/customers", as_of="0001-01-01T00:00:00Z")["position"] == 0


@pytest.mark.parametrize("value", ["2025-06-30", "yesterday", "2025-06-30T18:00:00",
                                   "2025-13-01T00:00:00Z", "1751300000"])
def test_as_of_needs_a_moment_with_an_offset(live: ReadApi, value: str):
    r = live.get("/customers", as_of=value)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["as_of"]


def test_min_position_is_read_your_writes(live: ReadApi):
    owner = live.user("csm")
    for i in range(5):
        written = live.ok("POST", "/customers", {"name": f"C{i}", "tier": "basic",
                                                 "owner_id": str(owner.id)})
        r = live.get("/customers", min_position=written["position"])
        assert r.status_code == 200
        body = r.json()
        assert body["position"] >= written["position"]
        assert int(r.headers["X-View-Position"]) == body["position"]
        assert len(body["items"]) == i + 1


def test_min_position_times_out_with_503_and_retry_after(readonly: ReadApi):
    owner = readonly.user("csm")
    written = readonly.ok("POST", "/customers", {"name": "Acme", "tier": "basic",
                                                 "owner_id": str(owner.id)})
    # No projector runs: the views stay at 0 and the bounded wait (0.3 s here) runs out.
    started = time.monotonic()
    r = readonly.get("/customers", min_position=written["position"])
    assert time.monotonic() - started >= 0.3
    assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
    assert int(r.headers["Retry-After"]) >= 1
    assert r.json()["type"].endswith("/view-lagging") and r.json()["view_position"] == 0
    # Without min_position the (empty) views answer at once, saying where they are.
    body = readonly.read("/customers", min_position=0)
    assert body == {"items": [], "next_cursor": None, "position": 0}
    # A projector elsewhere catches up; the same read now succeeds.
    container = readonly.container
    models = ReadModels.from_settings(container.settings)
    try:
        Projector(container.app, models).catch_up()
    finally:
        models.dispose()
    assert [c["name"] for c in readonly.read("/customers", min_position=written["position"])
            ["items"]] == ["Acme"]


def test_a_position_beyond_the_log_is_503_at_once(api_settings: Settings):
    # The wait bound is a minute: a read that waited for it instead of answering at
    # once would take that long (the margin keeps a loaded machine from mattering).
    patient = api_settings.model_copy(update={"min_position_timeout": 60.0})
    with started_with(patient, run_projectors=True) as client:
        live = ReadApi(client)
        head = live.head()
        started = time.monotonic()
        r = live.get("/renewals", **{"from": "2025-01-01", "to": "2025-12-31"},
                     min_position=head + 1000)
        waited = time.monotonic() - started
    assert waited < 30
    assert "beyond the last event" in r.json()["detail"]
    assert r.status_code == 503 and "Retry-After" in r.headers
    assert r.json()["head"] == head


def test_a_failed_view_is_503_when_its_position_is_needed(readonly: ReadApi):
    owner = readonly.user("csm")
    written = readonly.ok("POST", "/customers", {"name": "Acme", "tier": "basic",
                                                 "owner_id": str(owner.id)})
    container = readonly.container
    models = ReadModels.from_settings(container.settings)
    try:
        _fail_view(container.app, models, "contracts", written["position"])
    finally:
        models.dispose()
    r = readonly.get("/metrics/renewals", **{"from": "2025-01-01", "to": "2025-12-31"},
                     min_position=written["position"])
    assert r.status_code == 503 and r.json()["type"].endswith("/view-failed")
    assert r.json()["views"] == ["contracts"] and int(r.headers["Retry-After"]) >= 1
    # The views that did not fail still answer.
    assert readonly.read("/customers", min_position=0)["position"] >= 0


def _fail_view(app: CustomerSuccess, models: ReadModels, view: str, position: int) -> None:
    """Records a view failure as the projector does when an event cannot be applied."""
    Projector(app, models).catch_up(upto=position - 1)
    with models.write() as conn:
        gen = state.lock_pointer(conn, view)
        assert gen is not None
        state.mark_failed(conn, view, gen, position - 1, "ValueError: boom (at test)", position)


def test_every_view_answer_carries_its_position(live: ReadApi):
    owner = live.user("csm")
    cid = live.customer(owner)
    head = live.head()
    for path, params in (("/customers", {}), (f"/customers/{cid}", {}),
                         ("/renewals", {"from": "2025-01-01", "to": "2025-01-31"}),
                         ("/metrics/renewals", {"from": "2025-01-01", "to": "2025-01-31"})):
        r = live.get(path, min_position=head, **params)
        assert r.status_code == 200, (path, r.text)
        assert r.json()["position"] >= head and r.headers["X-View-Position"] == \
            str(r.json()["position"])
