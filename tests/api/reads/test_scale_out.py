"""Scale-out on PostgreSQL: two `cs-ledger serve --no-projectors` processes and one
`cs-ledger project --follow` process share one store; concurrent writes to both servers
all show up in the views of both, each exactly once, and every write can be read back
from the other server with its `min_position`."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.rebuild import verify
from tests.api.conftest import ADMIN, ADMIN_TOKEN
from tests.api.reads.processes import Child, serve, spawn, wait_until_up
from tests.conftest import drop_schema, make_settings

pytestmark = pytest.mark.postgres
CUSTOMERS = 48
WRITERS = 8


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = make_settings("postgres", tmp_path).model_copy(update={"admin_token": ADMIN_TOKEN})
    yield settings
    drop_schema(settings)


def test_two_api_processes_and_one_projector_converge(pg_settings: Settings, tmp_path: Path):
    children: list[Child] = []
    try:
        api_a, base_a = serve("api-a", pg_settings, tmp_path)
        api_b, base_b = serve("api-b", pg_settings, tmp_path)
        projector = spawn("projector", pg_settings, tmp_path, "project", "--follow")
        children += [api_a, api_b, projector]
        for child, base in ((api_a, base_a), (api_b, base_b)):
            wait_until_up(child, base)
        bases = [base_a + "/api/v1", base_b + "/api/v1"]
        with httpx.Client(headers=ADMIN, timeout=30) as client:
            owner = client.post(bases[0] + "/users", json={"name": "Chen Jing", "role": "csm"})
            assert owner.status_code == 201, owner.text
            owner_id = owner.json()["id"]

            def write(i: int) -> dict[str, Any]:
                """Writes on one server, reads it back on the other with min_position."""
                mine, other = bases[i % 2], bases[(i + 1) % 2]
                r = client.post(mine + "/customers", json={
                    "name": f"Customer {i:03d}", "tier": "basic", "owner_id": owner_id},
                    headers={"Idempotency-Key": f"create-{i}"})
                assert r.status_code == 201, r.text
                written = r.json()
                # A retry of the same request on the other server writes nothing more.
                again = client.post(other + "/customers", json={
                    "name": f"Customer {i:03d}", "tier": "basic", "owner_id": owner_id},
                    headers={"Idempotency-Key": f"create-{i}"})
                assert again.status_code == 201 and again.json() == written, again.text
                seen = client.get(f"{other}/customers/{written['id']}",
                                  params={"min_position": written["position"]})
                assert seen.status_code == 200, seen.text
                assert seen.json()["position"] >= written["position"]
                assert seen.json()["name"] == f"Customer {i:03d}"
                return written

            with ThreadPoolExecutor(WRITERS) as pool:
                written = list(pool.map(write, range(CUSTOMERS)))

            last = max(w["position"] for w in written)
            for base in bases:
                r = client.get(base + "/customers", params={"min_position": last, "limit": 500})
                assert r.status_code == 200, r.text
                items = r.json()["items"]
                assert len(items) == CUSTOMERS  # none lost, none duplicated
                assert {c["id"] for c in items} == {w["id"] for w in written}
                assert [c["name"] for c in items] == [f"Customer {i:03d}" for i in range(CUSTOMERS)]
                assert int(r.headers["X-View-Position"]) >= last
        for child in children:
            assert child.process.poll() is None, f"{child.name} died:\n{child.output()}"
    finally:
        codes = {child.name: child.stop() for child in children}
    assert codes.get("projector") == 0, projector.output()

    # What the follower built equals a rebuild of the log from scratch.
    app = build_application(pg_settings)
    models = ReadModels.from_settings(pg_settings)
    try:
        assert verify(app, models) == []
    finally:
        models.dispose()
        app.close()
