"""`POST /imports/{kind}` and templates over HTTP, on both stores."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from api.routers import imports
from tests.api.reads.conftest import ReadApi
from tests.sheets.sample import CONTRACTS, CUSTOMERS, upload


def test_import_answers_the_contract_fields_and_is_idempotent(live: ReadApi) -> None:
    manager = live.user("manager")
    live.user("csm", "Chen Jing")
    response = upload(live, "customers", CUSTOMERS, headers=manager.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in ("kind", "rows", "created", "updated", "unchanged",
                                 "ignored_columns")} == {
        "kind": "customers", "rows": 3, "created": 3, "updated": 0, "unchanged": 0,
        "ignored_columns": ["notes"]}
    assert body["position"] == live.head()
    contracts = upload(live, "contracts", CONTRACTS, headers=manager.headers).json()
    assert contracts["created"] == 4
    head = live.head()
    again = upload(live, "contracts", CONTRACTS, headers=manager.headers).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert live.head() == head
    renewals = live.read("/renewals", **{"from": "2025-01-01", "to": "2026-12-31"})["items"]
    by_number = {r["number"]: r for r in renewals}
    assert by_number["N-1"]["status"] == "renewed" and by_number["N-2"]["renews"] == "N-1"
    assert by_number["N-4"]["amount"] == "5000.12"


def test_bad_rows_are_all_named_and_nothing_is_written(live: ReadApi) -> None:
    live.user("csm", "Chen Jing")
    head = live.head()
    bad = CUSTOMERS.replace("Beta Labs", "").replace("basic", "gold")
    response = upload(live, "customers", bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (3, "name"), (4, "tier")]
    assert live.head() == head
    unknown = upload(live, "contracts", CONTRACTS)
    assert unknown.status_code == 422 and {e["row"] for e in unknown.json()["errors"]} == {
        2, 3, 4, 5}
    assert live.head() == head


@pytest.mark.parametrize("role", ["csm", "support", "analyst", "auditor"])
def test_only_managers_and_admins_import(live: ReadApi, role: str) -> None:
    user = live.user(role)
    head = live.head()
    assert upload(live, "customers", CUSTOMERS, headers=user.headers).status_code == 403
    assert live.head() == head


def test_bad_files(live: ReadApi, monkeypatch: pytest.MonkeyPatch) -> None:
    assert upload(live, "customers", b"").status_code == 422
    assert upload(live, "customers", b"%PDF-1.7", "a.pdf").status_code == 422
    assert upload(live, "planets", CUSTOMERS).status_code == 404
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    too_big = upload(live, "customers", CUSTOMERS * 10)
    assert too_big.status_code == 413
    assert too_big.json()["status"] == 413


def test_dry_run_writes_nothing(live: ReadApi) -> None:
    live.user("csm", "Chen Jing")
    head = live.head()
    body = upload(live, "customers", CUSTOMERS, dry_run="true").json()
    assert (body["created"], body["dry_run"]) == (3, True)
    assert live.head() == head


@pytest.mark.parametrize("lang,first", [("en", "external_id"), ("zh", "客户编号")])
def test_templates(live: ReadApi, lang: str, first: str) -> None:
    csv_text = live.get("/imports/customers/template", format="csv", lang=lang)
    assert csv_text.status_code == 200
    assert csv_text.content.decode("utf-8-sig").splitlines()[0].split(",")[0] == first
    xlsx = live.get("/imports/contracts/template", format="xlsx", lang=lang)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[0] == ("合同编号" if lang == "zh" else "number")


def test_an_upload_without_its_file_is_422_naming_the_field(live: ReadApi) -> None:
    """A multipart body missing `file` names the field (not 415 "send JSON")."""
    head = live.head()
    r = live.client.post("/api/v1/imports/customers", content=b"--abc--\r\n", headers={
        "Authorization": "Bearer test-bootstrap-admin-token",
        "Content-Type": "multipart/form-data; boundary=abc"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "file", "message": "Field required"}]
    assert live.head() == head


def test_a_broken_multipart_body_is_400_malformed_body(live: ReadApi) -> None:
    r = live.client.post("/api/v1/imports/customers", content=b"--abc\r\n1506--abc--\r\n",
                         headers={"Authorization": "Bearer test-bootstrap-admin-token",
                                  "Content-Type": "multipart/form-data; boundary=abc"})
    assert r.status_code == 400, r.text
    assert r.json()["type"].endswith("/malformed-body")
