"""Benchmark of the read side: rebuild throughput and as-of read latency at scale.

    PYTHONPATH=src python -m bench.projections_bench --events 1000000 [--dir DIR]

Writes a realistic log straight through the application (customers with contacts,
yearly contracts renewed or churned, owner changes), rebuilds every view, then times
as-of reads at random past positions: the customer 360, a month of the renewal
pipeline, a quarter of renewal metrics and a customer-list page. Prints the figures
and merges them into bench/results.json under "projections".
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from cs_domain.app import CustomerSuccess
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.compose import customer_360, customer_list
from projections.db import ReadModels
from projections.rebuild import rebuild
from projections.state import live_states
from projections.views.contracts import renewal_metrics, renewals
from projections.views.customers import CUSTOMERS

REASONS = ["competitor", "value_not_realised", "business_closed", "price", "service", "other"]


def write_log(app: CustomerSuccess, target: int, seed: int = 7) -> list[UUID]:
    """Appends at least `target` events; returns the customer ids."""
    rnd = random.Random(seed)
    csms = [app.create_user(actor="bench", name=f"CSM {i}", role="csm")[0].id for i in range(20)]
    customers: list[UUID] = []
    pending: list[Any] = []
    n = 0
    while app.max_position() < target:
        n += 1
        cust = Customer.register(actor="bench", name=f"Customer {n:06d}", owner_id=rnd.choice(csms),
                                 tier=rnd.choice(["strategic", "growth", "basic"]))
        for j in range(rnd.randint(1, 3)):
            cust.add_contact(actor="bench", name=f"Contact {j}", role="ops", level="1")
        start = date(2019, 1, 1) + timedelta(days=rnd.randint(0, 700))
        amount = Decimal(rnd.randint(10, 500)) * 100
        contract = Contract.draft(actor="bench", customer_id=cust.id, number=f"K{n}",
                                  amount=amount, currency=rnd.choice(["CNY", "EUR", "USD"]),
                                  start_date=start, end_date=start + timedelta(days=364))
        contract.sign(actor="bench", signed_on=start)
        contract.activate(actor="bench", activated_on=start)
        cust.move_to(actor="bench", stage="onboarding", effective_on=start)
        items: list[Any] = [cust, contract]
        for _year in range(rnd.randint(1, 6)):
            contract.set_renewal_intent(actor="bench", intent=rnd.choice(["high", "medium", "low"]))
            if rnd.random() < 0.15:
                contract.churn(actor="bench", churned_on=contract.end_date,
                               reason_category=rnd.choice(REASONS))
                break
            amount = (amount * Decimal(rnd.choice(["0.9", "1", "1.1", "1.3"]))).quantize(Decimal(1))
            contract = contract.renew(actor="bench", renewed_on=contract.end_date - timedelta(30),
                                      amount=amount,
                                      new_end_date=contract.end_date + timedelta(days=365))
            contract.activate(actor="bench", activated_on=contract.start_date)
            items.append(contract)
        if rnd.random() < 0.2:
            cust.update_profile(actor="bench", tier=rnd.choice(["strategic", "growth", "basic"]))
        customers.append(cust.id)
        pending.extend(items)
        if len(pending) > 400:
            app.save(*pending)
            pending = []
    if pending:
        app.save(*pending)
    return customers


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 3),
            "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, default=Path(".cs-ledger-bench"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="time reads of the views already built in --dir")
    args = parser.parse_args()
    settings = Settings(data_dir=args.dir, database_url=None)
    app = build_application(settings)
    started = time.perf_counter()
    if app.max_position() < args.events:  # reuse a log written by an earlier run
        write_log(app, args.events)
    head = app.max_position()
    print(f"log: {head} events in {time.perf_counter() - started:.1f}s")
    models = ReadModels.from_settings(settings)
    took = None
    if not args.skip_rebuild:
        started = time.perf_counter()
        cpu = time.process_time()
        rebuild(app, models)
        took = time.perf_counter() - started
        cpu_took = time.process_time() - cpu
        print(f"rebuild: {took:.1f}s wall, {cpu_took:.1f}s CPU = {head / took:,.0f} events/s")
    with models.read() as conn:
        t = CUSTOMERS.table(live_states(conn)["customers"].generation)
        customers = list(conn.execute(select(t.c.id).where(t.c.valid_to.is_(None))).scalars())

    rnd = random.Random(1)
    today = date(2024, 6, 1)

    def at() -> int:
        return rnd.randint(head // 10, head)

    def read(fn: Callable[[Any], Any]) -> Callable[[], Any]:
        def run() -> Any:
            with models.read() as conn:
                return fn(conn)
        return run

    reads = {
        "customer_360_as_of": read(lambda c: customer_360(c, rnd.choice(customers), today, at())),
        "customer_360_now": read(lambda c: customer_360(c, rnd.choice(customers), today)),
        "renewals_month_as_of": read(lambda c: renewals(c, date(2022, 3, 1), date(2022, 3, 31),
                                                        at=at())),
        "renewals_month_now": read(lambda c: renewals(c, date(2022, 3, 1), date(2022, 3, 31))),
        "renewal_metrics_quarter_as_of": read(
            lambda c: renewal_metrics(c, date(2022, 1, 1), date(2022, 3, 31), at=at())),
        "customer_list_page_as_of": read(lambda c: customer_list(c, today=today, at=at())),
    }
    figures: dict[str, Any] = {"events": head, "customers": len(customers)}
    if took is not None:
        figures.update(rebuild_s=round(took, 1), rebuild_cpu_s=round(cpu_took, 1),
                       rebuild_events_per_s=round(head / took))
    for name, fn in reads.items():
        figures[name] = timed(fn, args.runs)
        print(f"{name}: {figures[name]}")
    out = Path(__file__).with_name("results.json")
    results = json.loads(out.read_text()) if out.exists() else {}
    results["projections"] = figures
    out.write_text(json.dumps(results, indent=2) + "\n")
    models.dispose()
    app.close()


if __name__ == "__main__":
    main()
