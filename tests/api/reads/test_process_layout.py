"""docs/deployment.md's layout on PostgreSQL, as real processes on free ports: two API
processes (`serve --no-projectors`), one projector (`project --follow`) and one automation
(`automate --follow --no-projectors`). A write through API 1 is visible through API 2, and
the automation acts on it (activating a contract starts its onboarding run and tasks)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from cs_store.settings import Settings
from tests.api.conftest import ADMIN, ADMIN_TOKEN
from tests.api.reads.processes import Child, serve, spawn, wait_until_up
from tests.conftest import drop_schema, make_settings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def pg_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = make_settings("postgres", tmp_path).model_copy(update={"admin_token": ADMIN_TOKEN})
    yield settings
    drop_schema(settings)


def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


def test_two_apis_one_projector_one_automation(pg_settings: Settings, tmp_path: Path):
    children: list[Child] = []
    try:
        api_1, base_1 = serve("api-1", pg_settings, tmp_path)
        api_2, base_2 = serve("api-2", pg_settings, tmp_path)
        children += [api_1, api_2,
                     spawn("projector", pg_settings, tmp_path, "project", "--follow"),
                     spawn("automation", pg_settings, tmp_path, "automate", "--follow",
                           "--no-projectors")]
        for child, base in ((api_1, base_1), (api_2, base_2)):
            wait_until_up(child, base, timeout=240)  # four processes start at once
        one, two = base_1 + "/api/v1", base_2 + "/api/v1"
        today = datetime.now(UTC).date()
        with httpx.Client(headers=ADMIN, timeout=30) as client:
            ok(client.post(one + "/playbooks/install-defaults"))
            csm = ok(client.post(one + "/users", json={"name": "Chen Jing", "role": "csm"}))
            customer = ok(client.post(one + "/customers", json={
                "name": "Acme Dental", "tier": "growth", "owner_id": csm["id"]}))
            contract = ok(client.post(one + "/contracts", json={
                "customer_id": customer["id"], "number": "C-1", "amount": "12000.00",
                "currency": "EUR", "start_date": today.isoformat(),
                "end_date": (today + timedelta(days=364)).isoformat()}))
            ok(client.post(f"{one}/contracts/{contract['id']}/sign",
                           json={"signed_on": (today - timedelta(days=1)).isoformat()}))
            activated = ok(client.post(f"{one}/contracts/{contract['id']}/activate",
                                       json={"activated_on": today.isoformat()}))

            seen = ok(client.get(f"{two}/customers/{customer['id']}",
                                 params={"min_position": activated["position"]}))
            assert seen["name"] == "Acme Dental"

            deadline = time.monotonic() + 180
            while True:
                runs = ok(client.get(f"{two}/playbook-runs",
                                     params={"customer_id": customer["id"]}))["items"]
                if runs:
                    break
                for child in children:
                    assert child.process.poll() is None, f"{child.name} died:\n{child.output()}"
                assert time.monotonic() < deadline, children[-1].output()
                time.sleep(0.3)
            assert [r["playbook_key"] for r in runs] == ["onboarding"]
            assert runs[0]["steps"], runs[0]  # its tasks
            tasks = ok(client.get(f"{two}/tasks", params={"customer_id": customer["id"]}))
            assert tasks["items"]

            # Everything caught up: both API processes are ready.
            deadline = time.monotonic() + 60
            for base in (base_1, base_2):
                while (r := httpx.get(base + "/readyz", timeout=10)).status_code != 200:
                    assert time.monotonic() < deadline, r.text
                    time.sleep(0.3)
        for child in children:
            assert child.process.poll() is None, f"{child.name} died:\n{child.output()}"
    finally:
        codes = {child.name: child.stop() for child in children}
    assert codes["projector"] == 0 and codes["automation"] == 0, codes
