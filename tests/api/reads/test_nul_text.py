"""Text with a NUL character is refused at the edge (422 naming the field, nothing
written): PostgreSQL cannot hold it in the views' text columns. Found by schemathesis,
whose generated user name stopped the users view on PostgreSQL."""

from __future__ import annotations

from tests.api.reads.conftest import ReadApi


def test_nul_in_a_body_or_a_query_is_422_and_writes_nothing(live: ReadApi):
    owner = live.user("csm")
    head = live.head()
    r = live.post("/users", {"name": "Chen\x00Jing", "role": "csm"})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "name", "message": "must not contain the NUL character (U+0000)"}]
    r = live.post("/customers", {"name": "Acme", "tier": "basic", "owner_id": str(owner.id),
                                 "region": ["East", "We\x00st"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "region.1"
    r = live.post("/customers", {"name": "Acme", "tier": "basic", "owner_id": str(owner.id),
                                 "k\x00": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "k\x00"
    assert live.head() == head
    r = live.get("/customers", q="a\x00b")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "q"
    # The views kept going: a normal write is still read back.
    written = live.ok("POST", "/users", {"name": "Chen Jing", "role": "csm"})
    assert live.get(f"/customers?min_position={written['position']}").status_code == 200
