"""Every customer and contract command through HTTP: answers and the events they record."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def last_events(api: Api, since: int) -> list[dict[str, Any]]:
    return api.events(after=since)


def check_write(api: Api, body: dict[str, Any], headers: Any, *, version: int) -> None:
    assert body["version"] == version
    assert body["position"] == api.head()
    assert headers["etag"] == f'"{version}"'


def test_customer_commands(api: Api):
    csm, other, support = api.user("csm"), api.user("csm"), api.user("support")
    start = api.head()
    r = api.post("/customers", {"name": " Acme Dental ", "tier": "strategic",
                                "owner_id": str(csm.id), "industry": "healthcare",
                                "region": "East", "size_grade": "A"}, headers=csm.headers)
    assert r.status_code == 201 and set(r.json()) == {"id", "version", "position"}
    check_write(api, r.json(), r.headers, version=1)
    cid = r.json()["id"]
    steps: list[tuple[str, str, dict[str, Any] | None, int]] = [
        ("PATCH", f"/customers/{cid}", {"tier": "growth", "name": "Acme Dental Group"}, 200),
        ("POST", f"/customers/{cid}/support-manager", {"support_manager_id": str(support.id)}, 200),
        ("POST", f"/customers/{cid}/stage", {"stage": "onboarding", "effective_on": "2025-02-01"},
         200),
        ("POST", f"/customers/{cid}/handover", {
            "sales_rep": "Zhao Lei", "handed_over_on": "2025-01-10", "summary": "3 clinics",
            "expectations": ["booking live by March"]}, 200),
        ("POST", f"/customers/{cid}/expectations", {
            "expectations": ["booking conversion +15 %"], "agreed_on": "2025-02-15"}, 200),
        ("POST", f"/customers/{cid}/owner", {"owner_id": str(other.id)}, 200),
    ]
    for number, (method, path, body, status) in enumerate(steps, start=2):
        r = api.request(method, path, json=body)
        assert r.status_code == status, (path, r.text)
        check_write(api, r.json(), r.headers, version=number)
    r = api.post(f"/customers/{cid}/contacts", {"name": "Dr. Wang", "role": "director",
                                                "level": "1", "attitude": "champion",
                                                "email": "wang@example.com"})
    assert r.status_code == 201
    contact = r.json()["contact_id"]
    r = api.request("DELETE", f"/customers/{cid}/contacts/{contact}?reason=left")
    assert r.status_code == 200 and r.json()["version"] == 9
    events = last_events(api, start)
    assert [e["type"] for e in events] == [
        "Customer.Registered", "Customer.ProfileUpdated", "Customer.SupportManagerAssigned",
        "Customer.StageChanged", "Customer.HandoverRecorded", "Customer.ExpectationsAgreed",
        "Customer.OwnerAssigned", "Customer.ContactAdded", "Customer.ContactRemoved"]
    assert {e["originator_id"] for e in events} == {cid}
    assert events[0]["data"]["name"] == "Acme Dental" and events[0]["actor"] == str(csm.id)
    assert events[1]["data"]["tier"] == "growth" and events[1]["data"]["region"] is None
    assert events[3]["data"] == {"stage": "onboarding", "previous_stage": "signed",
                                 "effective_on": "2025-02-01", "reason": None}
    assert events[6]["data"] == {"owner_id": str(other.id), "previous_owner_id": str(csm.id)}
    assert events[8]["data"] == {"contact_id": contact, "reason": "left"}


def test_contract_lifecycle(api: Api):
    csm = api.user("csm")
    customer = api.customer(csm)
    start = api.head()
    h = csm.headers
    r = api.post("/contracts", {"customer_id": customer, "number": "C-2025-0042",
                                "amount": 12000.5, "currency": "EUR",
                                "start_date": "2025-01-01", "end_date": "2025-12-31"}, headers=h)
    assert r.status_code == 201
    contract = r.json()["id"]
    for verb, body, version in [
        ("sign", {"signed_on": "2024-12-20"}, 2),
        ("activate", {"activated_on": "2025-01-01"}, 3),
        ("renewal-intent", {"intent": "high", "expansion_potential": "3000", "note": "2 clinics"},
         4),
    ]:
        r = api.post(f"/contracts/{contract}/{verb}", body, headers=h)
        assert r.status_code == 200, r.text
        check_write(api, r.json(), r.headers, version=version)
    r = api.post(f"/contracts/{contract}/renew", {"renewed_on": "2025-11-15", "amount": "13500.00",
                                                  "new_end_date": "2026-12-31"}, headers=h)
    assert r.status_code == 200
    renewed = r.json()
    assert set(renewed) == {"id", "version", "position", "successor_id"}
    assert renewed["id"] == contract and renewed["version"] == 5
    successor = renewed["successor_id"]
    api.ok("POST", f"/contracts/{successor}/activate", {"activated_on": "2026-01-01"}, headers=h)
    r = api.post(f"/contracts/{successor}/churn", {"churned_on": "2026-12-31",
                                                   "reason_category": "competitor",
                                                   "note": "cheaper vendor"}, headers=h)
    assert r.status_code == 200
    spare = api.contract(customer)
    r = api.post(f"/contracts/{spare}/terminate", {"terminated_on": "2025-01-05",
                                                   "reason": "drafted twice"}, headers=h)
    assert r.status_code == 200 and r.json()["version"] == 2

    events = last_events(api, start)
    types = [e["type"] for e in events]
    assert types[:5] == ["Contract.Drafted", "ContractNumber.Claimed", "Contract.Signed",
                         "Contract.Activated", "Customer.StageChanged"]
    drafted = events[0]["data"]
    assert drafted["amount"] == "12000.5" and drafted["start_date"] == "2025-01-01"
    renewal = next(e for e in events if e["type"] == "Contract.Renewed")
    assert renewal["data"]["successor_id"] == successor
    assert renewal["data"]["new_amount"] == "13500.00"
    successor_drafted = next(e for e in events if e["type"] == "Contract.Drafted"
                             and e["originator_id"] == successor)
    assert successor_drafted["data"]["number"] == "C-2025-0042-R1"
    churn = next(e for e in events if e["type"] == "Contract.Churned")
    assert churn["data"]["reason_category"] == "competitor"
    assert "Contract.Terminated" in types
    # the stage moves of activation, renewal and churn are the lifecycle rules'
    assert {e["actor"] for e in events} == {str(csm.id), "admin-bootstrap", "system:lifecycle"}


def test_create_user_by_admin_user(api: Api):
    admin = api.user("admin")
    r = api.post("/users", {"name": "Li Wei", "role": "manager"}, headers=admin.headers)
    assert r.status_code == 201
    created = [e for e in api.events() if e["type"] == "User.Created"][-1]
    assert created["actor"] == str(admin.id)
    assert created["data"] == {"name": "Li Wei", "role": "manager"}
