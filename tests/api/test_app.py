"""The app factory, its lifespan, the read-side hook, and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.app import create_app
from api.container import Container
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, TestClient, started

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_creating_the_app_touches_no_storage(api_settings: Settings):
    create_app(api_settings)
    assert not api_settings.data_dir.exists()


def test_lifespan_opens_and_closes_the_container(api_settings: Settings):
    app = create_app(api_settings, run_projectors=False)
    with TestClient(app) as client:
        container = app.state.container
        assert isinstance(container, Container)
        assert container.settings == api_settings and container.run_projectors is False
        assert client.get("/api/v1/users/me", headers=ADMIN).status_code == 200
    assert app.state.container is None


def test_views_factory_is_opened_with_the_container_and_closed_first(api_settings: Settings):
    calls: list[Any] = []

    @contextmanager
    def views(container: Container, run_projectors: bool) -> Iterator[str]:
        calls.append(("open", container.app.max_position(), run_projectors))
        yield "the views"
        # Still usable here: the application service closes after the views.
        calls.append(("close", container.app.max_position()))

    app = create_app(api_settings, run_projectors=True, views=views)
    with TestClient(app):
        assert app.state.container.views == "the views"
    assert calls == [("open", 0, True), ("close", 0)]


def test_two_apps_share_one_store(api_settings: Settings):
    with started(api_settings) as a, started(api_settings) as b:
        body = Api(a).ok("POST", "/users", {"name": "Chen", "role": "csm"})
        token = {"Authorization": f"Bearer {body['token']}"}
        assert b.get("/api/v1/users/me", headers=token).json()["id"] == body["id"]


def test_root_leads_to_the_boards_and_the_docs_stay(api: Api):
    r = api.client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/app/"
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_openapi_documents_every_operation(api: Api):
    spec = api.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items()]
    assert operations and all(path.startswith("/api/v1/") for path, _, _ in operations)
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("description"), where
        assert op.get("security") == [{"bearer": []}], where
        body = op.get("requestBody")
        if body and "multipart/form-data" in body["content"]:  # an upload (imports)
            assert list(body["content"]) == ["multipart/form-data"], where
        elif body:
            ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            assert schemas[ref].get("examples"), f"{where}: request schema {ref} has no example"
        for status, response in op["responses"].items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (where, status)
                assert content["application/problem+json"].get("example"), (where, status)
            elif "application/json" not in response["content"]:  # a sheet (template)
                assert set(response["content"]) <= {"text/csv", XLSX}, (where, status)
            else:
                ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                assert schemas[ref].get("examples"), f"{where}: response schema {ref} has no example"
        assert "401" in op["responses"], where
        queries = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        if "min_position" in queries:  # a view read can lag or fail: 503 + Retry-After
            assert "Retry-After" in op["responses"]["503"]["headers"], where
        if method in ("post", "patch", "delete"):
            headers = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
            assert "Idempotency-Key" in headers, where


def test_contract_paths_exist_as_written(api: Api):
    paths = api.client.get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/users": {"post"}, "/api/v1/users/me": {"get"},
        "/api/v1/customers": {"post"}, "/api/v1/customers/{customer_id}": {"patch"},
        "/api/v1/customers/{customer_id}/owner": {"post"},
        "/api/v1/contracts": {"post"},
        **{f"/api/v1/contracts/{{contract_id}}/{verb}": {"post"}
           for verb in ("sign", "activate", "renewal-intent", "renew", "churn")},
        "/api/v1/events": {"get"}, "/api/v1/audit/verify": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path


def test_no_dependency_overrides_so_the_suites_route_cache_is_sound():
    """tests/route_cache.py shares FastAPI's built routes between the suite's apps; that is
    sound only while no code overrides dependencies per app."""
    src = Path(__file__).resolve().parents[2] / "src"
    users = [p for p in src.rglob("*.py") if "dependency_overrides" in p.read_text("utf-8")]
    assert users == []
