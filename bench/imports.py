"""The import part: a book of business from two sheets, against the same rows per request.

On a fresh store of its own: `customers` customers (15 per 1,000 of BENCH_EVENTS, so the
issue's book of 15,000 at 1M events) and 8/3 as many contracts (~40,000; a quarter each active, signed,
churned and draft), imported as two CSV files through :func:`api.sheets.importer.run_import`
(what `POST /imports/{kind}` and `cs-ledger import` run). The baseline is the same kind
of rows through the HTTP API one request at a time (`POST /customers`, `POST /contracts`,
sign, activate, churn), in process, on a sample of the rows, on another fresh store.

Figures: `import_rows_per_s`, `baseline_import_rows_per_s` (rows per second per
request), `import_ratio`, `import_s` (both files, the goal being ≤ 60 s on SQLite).
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from typing import Any

from api.app import create_app
from api.sheets.importer import run_import
from bench.common import say
from bench.config import BenchConfig, close_store, open_store
from cs_store.factory import build_application

STATUSES = ("active", "signed", "churned", "draft")
BASELINE_CUSTOMERS = 150
IMPORT_CUSTOMERS_PER_1000 = 15  # events: 15,000 customers and 40,000 contracts at 1M
TOKEN = "bench-import-admin"


def book(customers: int) -> tuple[str, str]:
    people = ["external_id,name,tier,owner,industry,region"] + [
        f"K-{i},Customer {i},{('strategic', 'growth', 'basic')[i % 3]},Chen Jing,Retail,North"
        for i in range(customers)]
    deals = ["number,customer,amount,currency,start_date,end_date,status,churned_on,churn_reason"]
    for j in range(customers * 8 // 3):
        status = STATUSES[j % 4]
        churn = "2026-06-01,price" if status == "churned" else ","
        deals.append(f"N-{j},K-{j % customers},{12000 + j}.50,CNY,2026-01-01,2026-12-31,"
                     f"{status},{churn}")
    return "\n".join(people), "\n".join(deals)


def _baseline(settings: Any, customers: int) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    auth = {"Authorization": f"Bearer {TOKEN}"}
    app = create_app(settings.model_copy(update={"admin_token": TOKEN}), run_projectors=False)
    with TestClient(app) as client:
        owner = client.post("/api/v1/users", json={"name": "Chen Jing", "role": "csm"},
                            headers=auth).json()["id"]
        started = time.perf_counter()
        rows = 0
        for i in range(customers):
            cid = client.post("/api/v1/customers", headers=auth, json={
                "name": f"Customer {i}", "tier": "growth", "owner_id": owner}).json()["id"]
            rows += 1
            for j in range(8 // 3 + (i % 3 == 0)):
                status = STATUSES[(i + j) % 4]
                contract = client.post("/api/v1/contracts", headers=auth, json={
                    "customer_id": cid, "number": f"B-{i}-{j}", "amount": "12000.50",
                    "currency": "CNY", "start_date": "2026-01-01",
                    "end_date": "2026-12-31"}).json()["id"]
                steps = {"draft": [], "signed": ["sign"], "active": ["sign", "activate"],
                         "churned": ["sign", "activate", "churn"]}[status]
                for step in steps:
                    body = {"sign": {"signed_on": "2026-01-01"},
                            "activate": {"activated_on": "2026-01-01"},
                            "churn": {"churned_on": "2026-06-01", "reason_category": "price"}}
                    client.post(f"/api/v1/contracts/{contract}/{step}", headers=auth,
                                json=body[step])
                rows += 1
        return rows / (time.perf_counter() - started)


def bench_import(config: BenchConfig, kind: str, label: str) -> dict[str, Any]:
    customers = max(config.events * IMPORT_CUSTOMERS_PER_1000 // 1000, 30)
    people, deals = book(customers)
    own = dataclasses.replace(config, reuse=False, run_id=config.run_id + "i")
    store = open_store(own, kind)
    try:
        app = build_application(store.settings)
        try:
            app.create_user(actor="bench", name="Chen Jing", role="csm")
            started = time.perf_counter()
            first = run_import(app, actor="bench", kind="customers", data=people.encode(),
                               file_name="customers.csv")
            second = run_import(app, actor="bench", kind="contracts", data=deals.encode(),
                                file_name="contracts.csv")
            seconds = time.perf_counter() - started
        finally:
            app.close()
    finally:
        close_store(own, store)
    rows = first.rows + second.rows
    say(f"[{label}] import: {rows:,} rows ({first.events + second.events:,} events) in "
        f"{seconds:.1f} s")
    other = dataclasses.replace(config, reuse=False, run_id=config.run_id + "b")
    store = open_store(other, kind)
    try:
        baseline = _baseline(store.settings, min(BASELINE_CUSTOMERS, customers))
    finally:
        close_store(other, store)
    per_s = rows / seconds
    say(f"[{label}] import: {per_s:,.0f} rows/s; per request {baseline:,.0f} rows/s")
    return {"import_rows": rows, "import_s": round(seconds, 2), "import_rows_per_s": round(per_s, 1),
            "baseline_import_rows_per_s": round(baseline, 1),
            "import_ratio": round(per_s / baseline, 3)}
