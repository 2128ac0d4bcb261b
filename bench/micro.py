"""Micro-benchmarks of the hot paths the profiles pointed at (CPU µs per call).

    PYTHONPATH=src python -m bench.micro [--customers 200]

Loads a small demo store into a temporary SQLite directory and times, in CPU time
(steadier than wall time on a busy machine): loading a customer and a user, `exists`,
authenticating a token, recording a usage report's fields, an enum check, and the
runtime Protocol checks of the library that our overrides avoid. Used for the
before/after figures in docs/performance.md (run it on both commits).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from eventsourcing.domain import CanMutateProtocol, CollectEventsProtocol

from bench.config import SEED, TODAY
from cs_demo.generator import generate
from cs_demo.ids import DemoIds
from cs_demo.people import plan_team
from cs_domain.base import check_enum
from cs_domain.customer import Customer, Tier
from cs_domain.errors import Validator
from cs_domain.usage import UsageFigures
from cs_domain.user import User
from cs_store.factory import build_application
from cs_store.settings import Settings


def cpu_us(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    started = time.process_time()
    for _ in range(repeat):
        fn()
    return round((time.process_time() - started) / repeat * 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cs-micro-"))
    try:
        app = build_application(Settings(data_dir=tmp, database_url=None, admin_token=None))
        generate(app, args.customers, SEED, TODAY)
        ids = [DemoIds(SEED).of("customer", i) for i in range(args.customers)]
        manager = plan_team(args.customers, SEED).managers[0]
        figures = UsageFigures(period_end=date(2026, 1, 4), active_days_per_week=Decimal("3.5"),
                               feature_adoption=Decimal("0.5"), open_issues=1,
                               core_features_used=3, core_features_total=10)
        customer = app.load(Customer, ids[0])
        event = next(iter(app.repository.event_store.get(ids[0])))
        cursor = iter(range(10**9))
        results = {
            "load a customer": cpu_us(lambda: app.load(Customer, ids[next(cursor) % len(ids)]),
                                      500),
            "load a user": cpu_us(lambda: app.load(User, manager.id), 500),
            "exists": cpu_us(lambda: app.exists(ids[next(cursor) % len(ids)]), 500),
            "authenticate a token": cpu_us(lambda: app.user_for_token(manager.token), 500),
            "usage figures as event fields": cpu_us(figures.as_fields, 5000),
            "enum check": cpu_us(lambda: check_enum(Validator(), Tier, "growth", "tier"), 5000),
            "isinstance(event, CanMutateProtocol)": cpu_us(
                lambda: isinstance(event, CanMutateProtocol), 2000),
            "isinstance(aggregate, CollectEventsProtocol)": cpu_us(
                lambda: isinstance(customer, CollectEventsProtocol), 2000),
        }
        app.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(map(len, results))
    for name, value in results.items():
        print(f"{name:<{width}}  {value:>9,.1f} µs")


if __name__ == "__main__":
    main()
