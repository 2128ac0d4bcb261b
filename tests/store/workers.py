"""Writer functions that run in separate OS processes (spawned) in the concurrency tests.

Each process builds its own application from the test's settings, as a second
server process would. Results go back through a queue as plain tuples.
"""

from __future__ import annotations

import traceback
from typing import Any
from uuid import UUID

from cs_domain.customer import Customer
from cs_domain.errors import ConcurrencyConflict
from cs_store.factory import build_application
from cs_store.settings import Settings


def _report_failure(results: Any, who: str) -> None:
    results.put((who, "error", traceback.format_exc()))


def race_writer(settings_data: dict[str, Any], customer_id: UUID, name: str, barrier: Any,
                results: Any) -> None:
    """Loads the customer, renames it, waits for the rival, then saves."""
    app = None
    try:
        app = build_application(Settings(**settings_data))
        customer = app.load(Customer, customer_id)
        loaded_at = customer.version
        customer.update_profile(actor=name, name=name)
        barrier.wait(timeout=60)
        try:
            app.commit(customer)
            results.put((name, "won", loaded_at))
        except ConcurrencyConflict:
            results.put((name, "conflict", loaded_at))
    except Exception:
        _report_failure(results, name)
    finally:
        if app is not None:
            app.close()


def busy_writer(settings_data: dict[str, Any], owner_id: UUID, worker: str, count: int,
                barrier: Any, results: Any) -> None:
    """Registers `count` customers of its own and edits each once.

    All start together, so their applications also set up the store concurrently."""
    app = None
    try:
        app = build_application(Settings(**settings_data))
        barrier.wait(timeout=60)
        for i in range(count):
            customer = app.register_customer(
                actor=worker, name=f"{worker}-{i}", tier="basic", owner_id=owner_id
            )
            app.update_customer(actor=worker, customer_id=customer.id, region=f"region {i}")
        results.put((worker, "done", count))
    except Exception:
        _report_failure(results, worker)
    finally:
        if app is not None:
            app.close()


def start_and_write(settings_data: dict[str, Any], name: str, barrier: Any, results: Any) -> None:
    """Builds the application on a store nobody has set up yet, at the same moment as
    its siblings, then writes one user."""
    app = None
    try:
        barrier.wait(timeout=60)
        app = build_application(Settings(**settings_data))
        app.create_user(actor="system", name=name, role="csm")
        results.put((name, "done", None))
    except Exception:
        _report_failure(results, name)
    finally:
        if app is not None:
            app.close()
