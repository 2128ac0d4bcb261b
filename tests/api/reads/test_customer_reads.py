"""GET /customers (filters, cursor pages) and GET /customers/{id} (the 360), both stores."""

from __future__ import annotations

from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.reads.book import build_book
from tests.api.reads.conftest import ReadApi
from tests.profiles import examples

PROFILE = {"id", "name", "tier", "industry", "region", "size_grade", "owner_id", "owner_name",
           "support_manager_id", "support_manager_name", "stage", "stage_since", "onboarded_on",
           "contacts_count", "created_position", "registered_at"}


def names(page: dict) -> list[str]:
    return [c["name"] for c in page["items"]]


def test_list_filters(live: ReadApi):
    book = build_book(live)
    assert names(live.read("/customers")) == ["Acme Dental", "Beta Clinics", "Delta Care",
                                              "Gamma Labs"]
    assert names(live.read("/customers", owner_id=str(book.li.id))) == ["Delta Care", "Gamma Labs"]
    assert names(live.read("/customers", tier="growth")) == ["Beta Clinics", "Delta Care"]
    assert names(live.read("/customers", stage="churned")) == ["Beta Clinics"]
    assert names(live.read("/customers", stage="signed")) == ["Delta Care"]
    assert names(live.read("/customers", q="CLIN")) == ["Beta Clinics"]
    assert names(live.read("/customers", q="%")) == []  # wildcards are literal
    # Live contracts ending within N days of today: Gamma (2025-12-31) and Acme's successor.
    assert names(live.read("/customers", expiring_within_days=30, today="2025-12-15")) == \
        ["Gamma Labs"]
    assert names(live.read("/customers", expiring_within_days=0, today="2025-12-31")) == \
        ["Gamma Labs"]
    assert names(live.read("/customers", expiring_within_days=400, today="2025-06-01")) == \
        ["Acme Dental", "Gamma Labs"]
    assert names(live.read("/customers", tier="growth", owner_id=str(book.chen.id))) == \
        ["Beta Clinics"]
    item = live.read("/customers", q="acme")["items"][0]
    assert set(item) == PROFILE
    assert item["owner_name"] == "Chen Jing" and item["tier"] == "strategic"


def test_list_refuses_bad_filters_by_name(live: ReadApi):
    for params, field in (({"tier": "gold"}, "tier"), ({"limit": 0}, "limit"),
                          ({"limit": 501}, "limit"), ({"expiring_within_days": -1},
                                                      "expiring_within_days"),
                          ({"cursor": "not-a-cursor"}, "cursor"),
                          ({"owner_id": "nobody"}, "owner_id"), ({"today": "31.12.2025"}, "today")):
        r = live.get("/customers", **params)
        assert r.status_code == 422, (params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == [field], r.json()


def test_cursor_pages_visit_every_customer_once_in_order(live: ReadApi):
    owner = live.user("csm")
    made = ["b", "B", "a", "Ä", "a", "Zeta", "zeta", "α", "1st", "b b"]
    for name in made:
        live.customer(owner, name=name)
    full = live.read("/customers", limit=500)["items"]
    assert len(full) == len(made)
    keys = [(c["name"].casefold(), c["id"]) for c in full]
    assert keys == sorted(keys)

    @settings(max_examples=examples(12), deadline=None, suppress_health_check=list(HealthCheck))
    @given(limit=st.integers(1, len(made) + 1))
    def paged(limit: int) -> None:
        seen, cursor = [], None
        while True:
            params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
            page = live.read("/customers", **params)
            assert len(page["items"]) <= limit
            seen.extend(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert [c["id"] for c in seen] == [c["id"] for c in full]

    paged()


def test_customer_360_has_the_contract_fields(live: ReadApi):
    book = build_book(live)
    acme = book.customers["Acme Dental"]
    body = live.read(f"/customers/{acme}", today="2025-12-01")
    assert set(body) >= PROFILE and set(body["profile"]) == PROFILE
    assert body["profile"]["name"] == body["name"] == "Acme Dental"
    assert body["stage"] == "mature"  # renewed: the stage follows the facts
    for key in ("health", "risks", "requirements", "plans", "open_tasks", "contracts",
                "position"):
        assert key in body
    contracts = body["contracts"]
    assert [k["number"] for k in contracts][1] == "ACME-1"
    successor, renewed = contracts
    for k in contracts:
        assert {"id", "number", "status", "amount", "currency", "start_date", "end_date",
                "days_to_end", "progress"} <= set(k)
    assert renewed["status"] == "renewed" and renewed["amount"] == "12000.00"
    assert successor["amount"] == "15000.00" and successor["end_date"] == "2026-06-30"
    assert successor["days_to_end"] == 211 and renewed["days_to_end"] == -154
    assert successor["predecessor_id"] == renewed["id"] == book.contracts["acme"]
    assert successor["progress"] is None  # no implementation project: no progress known


def test_unknown_customer_is_404(live: ReadApi):
    r = live.get(f"/customers/{uuid4()}")
    assert r.status_code == 404 and r.json()["type"].endswith("/not-found")
    assert live.get("/customers/not-a-uuid").status_code == 422
