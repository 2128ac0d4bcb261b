"""The event feed (cursor paging, shape) and /audit/verify (ok, tampered, who may ask)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import psycopg
from sqlalchemy.engine import make_url

from cs_store.settings import Settings
from tests.api.conftest import Api


def test_feed_pages_through_every_event_in_order(api: Api):
    csm = api.user("csm")
    for _ in range(3):
        api.contract(api.customer(csm), status="active")
    head = api.head()
    seen, after = [], 0
    while True:
        page = api.ok("GET", f"/events?after={after}&limit=4")
        assert page["head"] == head and len(page["events"]) <= 4
        if not page["events"]:
            assert page["next_after"] == after
            break
        seen.extend(page["events"])
        after = page["next_after"]
        assert after == page["events"][-1]["position"]
    assert [e["position"] for e in seen] == list(range(1, head + 1))
    moments = [datetime.fromisoformat(e["recorded_at"]) for e in seen]
    assert moments == sorted(moments) and all(m.tzinfo for m in moments)
    for event in seen:
        assert set(event) == {"position", "recorded_at", "originator_id", "version", "type",
                              "actor", "data"}
        assert "." in event["type"] and event["actor"]
        assert not {"originator_id", "originator_version", "timestamp", "actor"} & set(event["data"])


def test_feed_versions_follow_each_item(api: Api):
    csm = api.user("csm")
    contract = api.contract(api.customer(csm), status="active")
    mine = [e for e in api.events() if e["originator_id"] == contract]
    assert [(e["type"], e["version"]) for e in mine] == [
        ("Contract.Drafted", 1), ("Contract.Signed", 2), ("Contract.Activated", 3)]


def test_feed_after_the_head_is_empty(api: Api):
    api.user("csm")
    page = api.ok("GET", f"/events?after={api.head()}")
    assert page["events"] == [] and page["next_after"] == api.head()


def test_feed_cursor_is_bounded_to_64_bits(api: Api):
    assert api.ok("GET", f"/events?after={2**63 - 1}")["events"] == []
    r = api.request("GET", f"/events?after={2**63}")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "after"


def test_every_role_reads_the_feed(api: Api):
    for role in ("analyst", "auditor", "support"):
        assert api.request("GET", "/events", api.user(role).headers).status_code == 200


def test_audit_verify_ok(api: Api):
    api.customer(api.user("csm"))
    auditor = api.user("auditor")
    body = api.ok("GET", "/audit/verify", headers=auditor.headers)
    assert body["ok"] is True and body["events_checked"] == api.head()
    assert len(body["head"]) == 64 and set(body) == {"ok", "events_checked", "head"}


def tamper(settings: Settings, position: int) -> None:
    """Rewrites one stored event behind the application's back."""
    forged = b'{"actor":"mallory","name":"Evil","role":"admin","token_hash":"0"}'
    if settings.is_postgres:
        url = make_url(str(settings.database_url))
        with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                             dbname=url.database, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{settings.database_schema}"')
            conn.execute("UPDATE cs_events SET state = %s WHERE notification_id = %s",
                         (forged, position))
        return
    with sqlite3.connect(settings.data_dir / "events.db") as conn:
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (forged, position))


def test_audit_verify_finds_the_first_tampered_position(api: Api, api_settings: Settings):
    csm = api.user("csm")
    api.customer(csm)
    api.customer(csm)
    tamper(api_settings, 3)
    body = api.ok("GET", "/audit/verify")
    assert body["ok"] is False
    assert body["first_bad_position"] == 3 and body["events_checked"] == 2
    assert body["reason"]


def test_audit_verify_is_for_auditors_and_admins(api: Api):
    for role, status in [("auditor", 200), ("admin", 200), ("manager", 403), ("analyst", 403),
                         ("csm", 403), ("support", 403)]:
        assert api.request("GET", "/audit/verify", api.user(role).headers).status_code == status
