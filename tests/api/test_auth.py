"""Bearer authentication: 401s, the bootstrap admin, tokens as hashes, actors on events."""

from __future__ import annotations

from cs_domain.user import hash_token
from cs_store.factory import chain_recorder
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, ADMIN_TOKEN, Api, started

PROBLEM = "application/problem+json"


def test_no_token_is_401_with_a_bearer_challenge(api: Api):
    head = api.head()
    for method, path in [
        ("GET", "/users/me"), ("GET", "/events"), ("GET", "/audit/verify"), ("POST", "/customers"),
        ("POST", "/contracts/3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f/sign"),
    ]:
        r = api.client.request(method, "/api/v1" + path, json={})
        assert r.status_code == 401, path
        assert r.headers["content-type"] == PROBLEM
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.json()["type"].endswith("/unauthorized")
    assert api.head() == head


def test_unknown_or_malformed_credentials_are_401(api: Api):
    for header in ("Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "bearer  ", ADMIN_TOKEN):
        r = api.client.get("/api/v1/users/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert "Bearer" in r.headers["www-authenticate"]


def test_unknown_token_names_invalid_token(api: Api):
    r = api.client.get("/api/v1/users/me", headers={"Authorization": "Bearer nope"})
    assert 'error="invalid_token"' in r.headers["www-authenticate"]


def test_bootstrap_admin(api: Api):
    me = api.ok("GET", "/users/me")
    assert me == {"id": "admin-bootstrap", "name": "bootstrap admin", "role": "admin",
                  "bootstrap": True}


def test_without_admin_token_setting_there_is_no_bootstrap_admin(settings: Settings):
    assert settings.admin_token is None
    with started(settings) as client:
        r = client.get("/api/v1/users/me", headers=ADMIN)
        assert r.status_code == 401


def test_created_user_authenticates_with_its_role(api: Api):
    r = api.post("/users", {"name": "  Chen Jing ", "role": "csm"})
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "Chen Jing" and body["role"] == "csm"
    assert body["token"].startswith("csl_")
    assert set(body) == {"id", "name", "role", "token", "version", "position"}
    me = api.ok("GET", "/users/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me == {"id": body["id"], "name": "Chen Jing", "role": "csm", "bootstrap": False}


def test_only_the_token_hash_is_stored(api: Api):
    user = api.user("support")
    states = [row.state for row in chain_recorder(api.container.app).select_timed(0, 1000)]
    assert not any(user.token.encode() in s for s in states)
    assert any(hash_token(user.token).encode() in s for s in states)
    # ...and the feed does not even show the hash.
    assert hash_token(user.token) not in str(api.events())


def test_deactivated_user_is_401(api: Api):
    user = api.user("csm")
    api.ok("POST", f"/users/{user.id}/deactivate", {"reason": "left"})
    r = api.client.get("/api/v1/users/me", headers=user.headers)
    assert r.status_code == 401


def test_rotated_token_replaces_the_old_one(api: Api):
    user = api.user("support")
    body = api.ok("POST", f"/users/{user.id}/token", headers=user.headers)
    assert body["id"] == str(user.id) and body["token"] != user.token
    assert api.client.get("/api/v1/users/me", headers=user.headers).status_code == 401
    new = {"Authorization": f"Bearer {body['token']}"}
    assert api.client.get("/api/v1/users/me", headers=new).json()["role"] == "support"


def test_role_change_takes_effect_on_the_next_request(api: Api):
    user = api.user("analyst")
    assert api.post("/customers", {"name": "X", "tier": "basic", "owner_id": str(user.id)},
                    headers=user.headers).status_code == 403
    api.ok("POST", f"/users/{user.id}/role", {"role": "manager"})
    assert api.ok("GET", "/users/me", headers=user.headers)["role"] == "manager"


def test_every_event_names_the_acting_user(api: Api):
    manager = api.user("manager")
    csm = api.user("csm")
    first = api.head()
    customer = api.ok("POST", "/customers", {"name": "Acme", "tier": "basic",
                                             "owner_id": str(csm.id)}, headers=manager.headers)
    api.ok("PATCH", f"/customers/{customer['id']}", {"region": "East"}, headers=csm.headers)
    events = [e for e in api.events(after=first)]
    assert [(e["type"], e["actor"]) for e in events] == [
        ("Customer.Registered", str(manager.id)), ("Customer.ProfileUpdated", str(csm.id))]
    users = [e for e in api.events() if e["type"] == "User.Created"]
    assert {e["actor"] for e in users} == {"admin-bootstrap"}
