"""Optimistic concurrency and concurrent writers, in threads and in OS processes,
on SQLite and PostgreSQL: one winner per version, nothing lost, the chain intact."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from copy import deepcopy
from functools import partial
from typing import Any
from uuid import UUID

import pytest

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_domain.errors import ConcurrencyConflict, StaleVersion
from cs_store.audit import verify_log
from cs_store.factory import build_application, chain_recorder
from cs_store.settings import Settings
from tests.store import workers
from tests.store.conftest import RawLog

SPAWN = multiprocessing.get_context("spawn")  # fork would copy open connections and pools


def assert_log_is_sound(app: CustomerSuccess, raw: RawLog, *, refused_writes: bool = False) -> None:
    """Positions strictly increasing, each aggregate's versions 1..k, every event linked,
    the chain verifies. Positions are also gap-free, except on PostgreSQL after a refused
    write (its sequence does not give back the numbers a rolled-back insert drew)."""
    positions = raw.positions()
    assert positions == sorted(set(positions))
    if not (refused_writes and raw.settings.is_postgres):
        assert positions == list(range(1, len(positions) + 1))
    assert raw.link_positions() == positions
    versions: dict[str, list[int]] = defaultdict(list)
    for originator_id, version in raw.execute(
        "SELECT originator_id, originator_version FROM {events} ORDER BY {pos}"
    ):
        versions[str(originator_id)].append(int(version))
    for seen in versions.values():
        assert seen == list(range(1, len(seen) + 1))
    result = verify_log(chain_recorder(app))
    assert result.ok and result.events_checked == len(positions), result


def new_customer(app: CustomerSuccess, owner: UUID, name: str = "Acme") -> UUID:
    return app.register_customer(actor="system", name=name, tier="growth", owner_id=owner).id


def run_threads(targets: list[Callable[[], None]]) -> None:
    errors: list[BaseException] = []

    def guarded(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except BaseException as error:
                errors.append(error)
        return run

    threads = [threading.Thread(target=guarded(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    if errors:
        raise errors[0]


def save_after_barrier(app: CustomerSuccess, copy: Customer, barrier: threading.Barrier,
                       outcomes: dict[int, str], n: int) -> None:
    barrier.wait(timeout=30)
    try:
        app.commit(copy)
        outcomes[n] = "won"
    except ConcurrencyConflict:
        outcomes[n] = "conflict"


def test_two_threads_saving_the_same_version_one_wins_nothing_is_lost(
    app: CustomerSuccess, raw: RawLog, csm: UUID
):
    customer_id = new_customer(app, csm)
    for round_ in range(5):
        # Both writers hold the aggregate at the same version before either saves.
        copies = [app.load(Customer, customer_id) for _ in range(2)]
        assert copies[0].version == copies[1].version
        for n, copy in enumerate(copies):
            copy.update_profile(actor=f"writer {n}", name=f"round {round_} writer {n}")
        barrier = threading.Barrier(2)
        outcomes: dict[int, str] = {}
        run_threads([partial(save_after_barrier, app, copy, barrier, outcomes, n)
                     for n, copy in enumerate(copies)])
        assert sorted(outcomes.values()) == ["conflict", "won"]

        # The loser reloads and applies its change on the new version: nothing is lost.
        loser = next(n for n, outcome in outcomes.items() if outcome == "conflict")
        retry = app.load(Customer, customer_id)
        assert retry.version == copies[0].version
        assert retry.name == f"round {round_} writer {1 - loser}"
        retry.update_profile(actor=f"writer {loser}", region=f"region of {loser}")
        app.commit(retry)
        assert app.load(Customer, customer_id).region == f"region of {loser}"

    assert app.load(Customer, customer_id).version == 1 + 5 * 2
    assert_log_is_sound(app, raw, refused_writes=True)


def test_two_processes_saving_the_same_version_one_wins(
    app: CustomerSuccess, raw: RawLog, settings: Settings, csm: UUID
):
    customer_id = new_customer(app, csm)
    before = app.max_position()
    barrier, results = SPAWN.Barrier(2), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=workers.race_writer,
                      args=(settings.model_dump(mode="json"), customer_id, name, barrier, results))
        for name in ("alpha", "beta")
    ]
    outcomes = run_processes(processes, results)

    assert sorted(o[1] for o in outcomes) == ["conflict", "won"], outcomes
    assert {o[2] for o in outcomes} == {1}  # both loaded version 1
    winner = next(o[0] for o in outcomes if o[1] == "won")
    stored = app.load(Customer, customer_id)
    assert (stored.version, stored.name) == (2, winner)
    assert app.max_position() == before + 1
    assert_log_is_sound(app, raw, refused_writes=True)


def run_processes(processes: list[Any], results: Any, timeout: float = 120) -> list[tuple[Any, ...]]:
    """Starts the processes and collects one result from each (an error if one died)."""
    for p in processes:
        p.start()
    outcomes: list[tuple[Any, ...]] = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < len(processes) and time.monotonic() < deadline:
        try:
            outcomes.append(results.get(timeout=0.5))
        except queue.Empty:
            if not any(p.is_alive() for p in processes) and results.empty():
                break
    for p in processes:
        p.join(timeout=60)
    errors = [o for o in outcomes if o[1] == "error"]
    assert not errors, errors[0][2]
    assert len(outcomes) == len(processes), [p.exitcode for p in processes]
    assert all(p.exitcode == 0 for p in processes)
    return outcomes


def test_many_threads_on_different_aggregates_keep_the_log_contiguous(
    app: CustomerSuccess, raw: RawLog, settings: Settings, csm: UUID
):
    # Half the writers share `app` (like a server's thread pool), half have their own.
    others = [build_application(settings) for _ in range(2)]
    try:
        barrier = threading.Barrier(4)

        def writer(target: CustomerSuccess, name: str) -> Callable[[], None]:
            def run() -> None:
                barrier.wait(timeout=30)
                for i in range(15):
                    cid = new_customer(target, csm, f"{name}-{i}")
                    target.update_customer(actor=name, customer_id=cid, region=f"region {i}")
            return run

        run_threads([writer(app, "a"), writer(app, "b"), writer(others[0], "c"),
                     writer(others[1], "d")])
    finally:
        for other in others:
            other.close()
    assert app.max_position() == 2 + 4 * 15 * 2  # the csm user and its token, then ours
    assert_log_is_sound(app, raw)


@pytest.mark.slow
def test_several_processes_on_different_aggregates_keep_the_log_contiguous(
    app: CustomerSuccess, raw: RawLog, settings: Settings, csm: UUID
):
    count, names = 20, ["p1", "p2", "p3"]
    barrier, results = SPAWN.Barrier(len(names)), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=workers.busy_writer,
                      args=(settings.model_dump(mode="json"), csm, name, count, barrier, results))
        for name in names
    ]
    outcomes = run_processes(processes, results)

    assert sorted(o[0] for o in outcomes) == names
    assert app.max_position() == 2 + len(names) * count * 2
    assert_log_is_sound(app, raw)


def test_processes_starting_together_set_up_a_new_store_without_tripping(settings: Settings):
    names = ["s1", "s2", "s3"]
    barrier, results = SPAWN.Barrier(len(names)), SPAWN.Queue()
    processes = [
        SPAWN.Process(target=workers.start_and_write,
                      args=(settings.model_dump(mode="json"), name, barrier, results))
        for name in names
    ]
    outcomes = run_processes(processes, results)

    assert sorted(o[0] for o in outcomes) == names
    app = build_application(settings)
    try:
        assert app.max_position() == 2 * len(names)  # a user and its token each
        assert verify_log(chain_recorder(app)).ok
    finally:
        app.close()


def test_a_stale_expected_version_is_refused_and_writes_nothing(
    app: CustomerSuccess, raw: RawLog, csm: UUID
):
    customer_id = new_customer(app, csm)
    app.update_customer(actor="a", customer_id=customer_id, expected_version=1, name="Acme 2")
    before = app.max_position()

    with pytest.raises(StaleVersion) as refused:
        app.update_customer(actor="b", customer_id=customer_id, expected_version=1, name="Lost")
    assert (refused.value.expected, refused.value.actual) == (1, 2)
    with pytest.raises(StaleVersion):
        app.update_customer(actor="b", customer_id=customer_id, expected_version=3, name="Early")

    assert app.max_position() == before
    assert app.load(Customer, customer_id).name == "Acme 2"
    result = app.update_customer(actor="b", customer_id=customer_id, expected_version=2,
                                 name="Acme 3")
    assert (result.version, result.position) == (3, before + 1)
    assert_log_is_sound(app, raw)


def test_repeated_clashes_leave_every_connection_able_to_save(
    app: CustomerSuccess, raw: RawLog, csm: UUID
):
    """A clash aborts the save's pipeline before its later statements run. Dozens of them
    in a row (every pooled connection clashing past psycopg's prepare threshold) must not
    leave a connection caching a statement the server never parsed: each later save works."""
    customer_id = new_customer(app, csm)
    stale = app.load(Customer, customer_id)
    app.update_customer(actor="a", customer_id=customer_id, expected_version=1, name="Acme 2")
    for n in range(40):
        copy = deepcopy(stale)
        copy.update_profile(actor="b", name=f"Lost {n}")
        with pytest.raises(ConcurrencyConflict):
            app.commit(copy)
    for n in range(20):
        app.update_customer(actor="a", customer_id=customer_id, name=f"Acme {n + 3}")
    assert app.load(Customer, customer_id).version == 22
    assert_log_is_sound(app, raw, refused_writes=True)
