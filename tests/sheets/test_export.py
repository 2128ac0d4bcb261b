"""List reads as CSV/XLSX (one row per item, same filters, `as_of`), and the round trip:
export → import into an empty store → the same views. Both stores."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from cs_store.settings import Settings
from tests.api.reads.conftest import ReadApi, started_with
from tests.conftest import drop_schema
from tests.sheets.sample import CONTRACTS, CUSTOMERS, upload

RANGE = {"from": "2025-01-01", "to": "2026-12-31"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    if response.headers["content-type"].startswith(XLSX):
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [["" if c is None else str(c) for c in row]
                  for row in sheet.iter_rows(values_only=True)]
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def loaded(api: ReadApi) -> None:
    api.user("csm", "Chen Jing")
    assert upload(api, "customers", CUSTOMERS).status_code == 200
    assert upload(api, "contracts", CONTRACTS).status_code == 200


def sheet(api: ReadApi, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    params.setdefault("min_position", api.head())
    return api.get(path, headers, **params)


def test_every_list_read_answers_a_sheet(live: ReadApi) -> None:
    loaded(live)
    json_items = live.read("/customers")["items"]
    by_format = rows_of(sheet(live, "/customers", format="csv"))
    by_accept = rows_of(sheet(live, "/customers", {**live_admin(), "Accept": "text/csv"}))
    walked = rows_of(sheet(live, "/customers", format="csv", limit=1))
    assert [r["name"] for r in by_format] == [i["name"] for i in json_items]
    assert by_accept == by_format == walked
    assert by_format[0]["tier"] in ("growth", "strategic", "basic")
    renewals = rows_of(sheet(live, "/renewals", {**live_admin(), "Accept": XLSX}, **RANGE))
    assert {r["number"]: r["amount"] for r in renewals}["N-4"] == "5000.12"
    filtered = rows_of(sheet(live, "/renewals", format="csv", status="churned", **RANGE))
    assert [r["number"] for r in filtered] == ["N-3"]
    for path in ("/risks", "/tasks", "/requirements", "/complaints", "/lifecycle", "/team",
                 "/playbook-runs"):
        assert sheet(live, path, format="csv").status_code == 200, path
    customer = json_items[0]["id"]
    assert rows_of(sheet(live, f"/customers/{customer}/health", format="xlsx")) == []
    assert sheet(live, f"/customers/{customer}", format="csv").status_code == 406


def live_admin() -> dict[str, str]:
    return {"Authorization": "Bearer test-bootstrap-admin-token"}


def test_header_language_and_as_of(live: ReadApi) -> None:
    live.user("csm", "Chen Jing")
    upload(live, "customers", CUSTOMERS)
    before = datetime.now(UTC).isoformat()
    upload(live, "contracts", CONTRACTS)
    zh = sheet(live, "/renewals", {**live_admin(), "Accept-Language": "zh-CN"}, format="csv",
               **RANGE)
    assert zh.content.decode("utf-8-sig").split(",")[1] == "合同编号"
    assert rows_of(sheet(live, "/renewals", format="csv", lang="en", as_of=before, **RANGE)) == []
    assert sheet(live, "/renewals", format="csv").status_code == 422  # from/to still required


@pytest.fixture
def empty_store(api_settings: Settings, tmp_path: Any) -> Iterator[ReadApi]:
    other = api_settings.model_copy(update={
        "data_dir": tmp_path / "other", "database_schema": "t_" + uuid.uuid4().hex[:12]})
    try:
        with started_with(other, run_projectors=True) as client:
            yield ReadApi(client)
    finally:
        drop_schema(other)


VIEW_FIELDS = {
    "/customers": ("name", "tier", "owner_name", "stage", "industry", "region"),
    "/renewals": ("number", "customer_name", "status", "amount", "currency", "start_date",
                  "end_date", "renews", "churned_on", "churn_reason", "owner_name"),
}


def views(api: ReadApi) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for path, fields in VIEW_FIELDS.items():
        params = RANGE if path == "/renewals" else {}
        items = api.read(path, **params)["items"]
        out[path] = sorted(({f: i[f] for f in fields} for i in items), key=str)
    return out


def test_round_trip_export_import_same_views(live: ReadApi, empty_store: ReadApi) -> None:
    loaded(live)
    customers = sheet(live, "/customers", format="xlsx").content
    contracts = sheet(live, "/renewals", format="csv", **RANGE).content
    empty_store.user("csm", "Chen Jing")
    assert upload(empty_store, "customers", customers, "customers.xlsx").status_code == 200
    imported = upload(empty_store, "contracts", contracts, "contracts.csv")
    assert imported.status_code == 200, imported.text
    assert views(empty_store) == views(live)
