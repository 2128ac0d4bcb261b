"""The projection engine: failure isolation, exactly-once, read-your-writes, swap, verify."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import String, Uuid, select, update

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections import parking, state
from projections.compose import customer_360, customer_list
from projections.db import ReadModels
from projections.rebuild import dump, rebuild, verify
from projections.registry import VIEWS
from projections.runner import Projector, wait_polling
from projections.versioned import VersionedTable
from projections.view import View, ViewTx, on
from projections.views.customers import CUSTOMERS
from tests.projections import scenario as s

FRAGILE = VersionedTable("fragile", "fragile", keys=[("id", Uuid())],
                         columns=[("name", String(200))])


class FragileView(View):
    """A view with a bug: it cannot project a customer called "boom"."""

    name = "fragile"
    tables = (FRAGILE,)

    @on(Customer.Registered)
    def registered(self, tx: ViewTx, e: Customer.Registered) -> None:
        if e.name == "boom":
            raise ValueError("cannot project boom")
        tx[FRAGILE].put(e.originator_id, {"name": e.name})


def test_a_failing_event_is_parked_for_its_view_while_the_log_goes_on(
    app: CustomerSuccess, models: ReadModels
) -> None:
    csm = s.user(app)
    s.customer(app, csm, "first")
    boom_position = app.register_customer(actor="t", name="boom", tier="basic",
                                          owner_id=csm).position
    s.customer(app, csm, "after")
    fragile = FragileView()
    projector = Projector(app, models, [*VIEWS, fragile], batch_size=1000)
    projector.catch_up()

    with models.read() as conn:
        states = state.live_states(conn)
        parked = parking.parked(conn)
    assert states["fragile"].status == "ok"
    assert states["fragile"].position == app.max_position()  # past the event, on to the rest
    assert [(p.consumer, p.position, p.attempts) for p in parked] == [
        ("fragile", boom_position, 1)]
    assert "ValueError: cannot project boom" in parked[0].error
    assert parked[0].topic.endswith("Customer.Registered")
    rows = dump(models, [fragile])["fragile"]["fragile"]
    assert sorted(r["name"] for r in rows.values()) == ["after", "first"]
    assert projector.wait_for(app.max_position(), ["fragile"], timeout=1) is True
    assert parking.parked_count(models) == 1

    # A restarted projector does not go back to it (it is parked, not pending).
    again = Projector(app, models, [*VIEWS, fragile])
    again.catch_up()
    with models.read() as conn:
        assert [p.attempts for p in parking.parked(conn)] == [1]


def test_concurrent_projectors_apply_each_position_once(
    app: CustomerSuccess, models: ReadModels, fresh_models: Any
) -> None:
    csm = s.user(app)
    customers = [s.customer(app, csm, f"c{i}") for i in range(8)]
    for i, cust in enumerate(customers):
        for j in range(3):
            app.add_contact(actor="t", customer_id=cust, name=f"p{i}{j}", role="it", level="2")
    runners = [Projector(app, models, batch_size=size) for size in (3, 5, 7)]
    threads = [threading.Thread(target=r.catch_up) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(not r.failures() for r in runners)
    with models.read() as conn:
        states = state.live_states(conn)
    assert {(st.status, st.position) for st in states.values()} == {("ok", app.max_position())}
    clean = fresh_models()
    Projector(app, clean).catch_up()
    assert dump(models, history=True) == dump(clean, history=True)
    counts = {c["contacts"] for c in dump(models)["customers"]["customers"].values()}
    assert counts == {3}


def test_read_your_writes_wait_is_woken_in_process(
    app: CustomerSuccess, models: ReadModels
) -> None:
    projector = Projector(app, models).start(poll_interval=30)  # polling alone would be far too slow
    try:
        csm = s.user(app)
        assert projector.wait_for(app.max_position(), timeout=5)
        timings = []
        for i in range(5):
            position = app.register_customer(actor="t", name=f"c{i}", tier="basic",
                                             owner_id=csm).position
            started = time.monotonic()
            assert projector.wait_for(position, ["customers"], timeout=5)
            timings.append(time.monotonic() - started)
            with models.read() as conn:
                assert customer_list(conn, today=date(2025, 1, 1), q=f"c{i}")["items"]
        assert max(timings) < 1.0, timings
        assert projector.wait_for(app.max_position() + 100, timeout=0.2) is False
    finally:
        projector.stop()


def test_processes_without_a_projector_wait_by_polling(
    app: CustomerSuccess, models: ReadModels
) -> None:
    projector = Projector(app, models)
    position = app.create_user(actor="t", name="New", role="csm")[0].position
    assert wait_polling(models, position, timeout=0.1) is False
    timer = threading.Timer(0.2, projector.catch_up)
    timer.start()
    try:
        assert wait_polling(models, position, ["users"], timeout=10) is True
    finally:
        timer.join()


@pytest.mark.parametrize(
    ("settings", "listen"),
    [
        pytest.param("sqlite", False, id="sqlite-polling"),
        # SQLite has no notifications; PostgreSQL is checked with and without them.
        pytest.param("postgres", True, id="postgres-notify", marks=pytest.mark.postgres),
        pytest.param("postgres", False, id="postgres-polling", marks=pytest.mark.postgres),
    ],
    indirect=["settings"],
)
def test_follower_sees_writes_of_another_process(
    settings: Settings, app: CustomerSuccess, models: ReadModels, listen: bool
) -> None:
    projector = Projector(app, models)
    poll = 30.0 if listen else 0.2  # with notifications, the poll must not be what wakes it
    stop = threading.Event()
    follower = threading.Thread(target=projector.follow, args=(poll, stop, listen))
    follower.start()
    other = build_application(settings)  # another writer: no in-process listener links them
    try:
        time.sleep(0.3)  # let LISTEN take effect
        csm, _ = other.create_user(actor="t", name="Remote", role="csm")
        started = time.monotonic()
        assert projector.wait_for(csm.position, ["users"], timeout=5)
        assert time.monotonic() - started < 2.0
    finally:
        stop.set()
        projector.wake()
        follower.join(10)
        other.close()


def test_rebuild_swaps_while_reads_and_the_live_projector_go_on(
    app: CustomerSuccess, models: ReadModels
) -> None:
    csm = s.user(app)
    ids = [s.customer(app, csm, f"cust {i:03d}") for i in range(60)]
    for i, cust in enumerate(ids[:20]):
        s.contract(app, cust, f"K{i}", "100", "EUR", date(2025, 12, 31))
    projector = Projector(app, models).start(poll_interval=0.05)
    errors: list[BaseException] = []
    seen: list[int] = []
    stop = threading.Event()

    def read_forever() -> None:
        while not stop.is_set():
            try:
                with models.read() as conn:
                    page = customer_list(conn, today=date(2025, 1, 1), limit=500)
                    assert len(page["items"]) >= 60
                    assert customer_360(conn, ids[0], date(2025, 1, 1)) is not None
                seen.append(page["position"])
            except BaseException as error:  # collected and re-raised in the test thread
                errors.append(error)
                return

    try:
        assert projector.wait_for(app.max_position(), timeout=10)
        assert verify(app, models, batch_size=5) == []  # incremental live == a rebuild aside
        reader = threading.Thread(target=read_forever)
        reader.start()
        with models.read() as conn:
            before = state.live_states(conn)
        generations = rebuild(app, models, batch_size=7)
        after_position = app.register_customer(actor="t", name="after swap", tier="basic",
                                               owner_id=csm).position
        assert projector.wait_for(after_position, timeout=10)
        stop.set()
        reader.join(10)
        assert not errors, errors
        assert seen and seen == sorted(seen)  # never back in time
        with models.read() as conn:
            after = state.live_states(conn)
            assert customer_list(conn, today=date(2025, 1, 1), q="after swap")["items"]
        assert all(after[v].generation == generations[v] != before[v].generation
                   for v in generations)
        assert verify(app, models) == []
    finally:
        stop.set()
        projector.stop()


def test_verify_names_a_tampered_row_and_rebuild_repairs_it(
    app: CustomerSuccess, models: ReadModels, projector: Projector
) -> None:
    csm = s.user(app)
    victim = s.customer(app, csm, "Honest Ltd")
    s.customer(app, csm, "Other Ltd")
    projector.catch_up()
    assert verify(app, models) == []
    with models.write() as conn:
        gen = state.live_states(conn)["customers"].generation
        t = CUSTOMERS.table(gen)
        conn.execute(update(t).where(t.c.id == victim).values(name="Forged Ltd"))
    differences = verify(app, models)
    assert [(d.view, d.table, d.key) for d in differences] == [("customers", "customers", victim)]
    assert differences[0].live[0]["name"] == "Forged Ltd"
    assert differences[0].rebuilt[0]["name"] == "Honest Ltd"
    assert verify(app, models, ["users"]) == []

    rebuild(app, models, ["customers"])
    assert verify(app, models) == []
    with models.read() as conn:
        gen = state.live_states(conn)["customers"].generation
        t = CUSTOMERS.table(gen)
        assert conn.execute(select(t.c.name).where(t.c.id == victim)).scalar() == "Honest Ltd"
