"""Snapshots of long-lived aggregates (`snapshotting_intervals` in app.py): taken on
schedule, and loading through them gives the state a full replay gives, at any version."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_store.audit import verify_log
from cs_store.factory import chain_recorder
from cs_store.settings import Settings
from cs_store.snapshots import rejected_snapshots, verify_snapshots
from cs_store.wiring import event_store_env
from tests.profiles import examples
from tests.store.conftest import RawLog
from tests.store.test_audit_cli import assert_no_traceback, run_cli

INTERVAL = CustomerSuccess.snapshotting_intervals[Customer]


def state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def replayed(app: CustomerSuccess, customer_id: UUID, version: int | None = None) -> Customer:
    """The aggregate folded from its stored events alone, without repository or snapshot."""
    aggregate = None
    for event in app.events.get(customer_id, lte=version):
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    assert isinstance(aggregate, Customer)
    return aggregate


def without_snapshots(settings_: Settings) -> CustomerSuccess:
    """A second application on the same store that never reads snapshots."""
    return CustomerSuccess(env={**event_store_env(settings_), "IS_SNAPSHOTTING_ENABLED": "n"})


def apply_command(app: CustomerSuccess, customer_id: UUID, command: tuple[str, Any]) -> None:
    kind, value = command
    customer = app.load(Customer, customer_id)
    if kind == "contact" and customer.contacts and value % 3 == 0:
        app.remove_contact(actor="csm", customer_id=customer_id,
                           contact_id=UUID(sorted(customer.contacts)[0]))
    elif kind == "contact":
        app.add_contact(actor="csm", customer_id=customer_id, name=f"Contact {value}",
                        role="CTO", level="1" if value % 2 else "2")
    elif kind == "expectations":
        app.agree_expectations(actor="csm", customer_id=customer_id,
                               expectations=[f"goal {value}"], agreed_on=date(2025, 1, 1 + value))
    else:
        app.update_customer(actor="csm", customer_id=customer_id, **{kind: value})


COMMANDS = st.one_of(
    st.tuples(st.just("region"), st.sampled_from(["EMEA", "APAC", "Americas"])),
    st.tuples(st.just("tier"), st.sampled_from(["strategic", "growth", "basic"])),
    st.tuples(st.just("size_grade"), st.sampled_from(["A", "B", "C", "D"])),
    st.tuples(st.just("contact"), st.integers(0, 20)),
    st.tuples(st.just("expectations"), st.integers(0, 27)),
)


def test_a_long_lived_customer_is_snapshotted_and_loads_the_same_with_or_without(
    app: CustomerSuccess, settings: Settings, csm: UUID
):
    customer_id = app.register_customer(actor="csm", name="Acme", tier="growth", owner_id=csm).id
    for i in range(INTERVAL + 10):
        app.update_customer(actor="csm", customer_id=customer_id, region=f"region {i}")

    snapshots = list(app.snapshots.get(customer_id)) if app.snapshots else []
    assert [s.originator_version for s in snapshots] == [INTERVAL]

    plain = without_snapshots(settings)
    try:
        assert plain.snapshots is None
        latest = app.repository.get(customer_id)
        assert latest.version == INTERVAL + 11
        assert state(latest) == state(plain.repository.get(customer_id))
        assert state(latest) == state(replayed(app, customer_id))
        for version in (1, 2, INTERVAL - 1, INTERVAL, INTERVAL + 1, INTERVAL + 11):
            old = app.repository.get(customer_id, version=version)
            assert old.version == version
            assert state(old) == state(replayed(app, customer_id, version))
            assert state(old) == state(plain.repository.get(customer_id, version=version))
        assert app.repository.get(customer_id, version=INTERVAL).region == f"region {INTERVAL - 2}"
    finally:
        plain.close()
    # Snapshots live beside the log, not in it: the chain covers events only.
    result = verify_log(chain_recorder(app))
    assert result.ok and result.events_checked == app.max_position()


@settings(max_examples=examples(4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(COMMANDS, min_size=INTERVAL, max_size=INTERVAL + 15),
       probe=st.integers(1, INTERVAL + 16))
def test_any_history_loads_equal_through_snapshots_at_every_version(
    app: CustomerSuccess, csm: UUID, commands: list[tuple[str, Any]], probe: int
):
    customer_id = app.register_customer(actor="csm", name="Acme", tier="growth", owner_id=csm).id
    for command in commands:
        apply_command(app, customer_id, command)
    head = app.load(Customer, customer_id).version
    assert head == len(commands) + 1
    assert state(app.repository.get(customer_id)) == state(replayed(app, customer_id))
    version = min(probe, head)
    assert state(app.repository.get(customer_id, version=version)) == state(
        replayed(app, customer_id, version))


def snapshotted_customer(app: CustomerSuccess, owner: UUID, name: str = "Acme") -> UUID:
    customer_id = app.register_customer(actor="csm", name=name, tier="growth", owner_id=owner).id
    for i in range(INTERVAL + 2):
        app.update_customer(actor="csm", customer_id=customer_id, region=f"region {i}")
    return customer_id


def forge_snapshot(raw: RawLog, customer_id: UUID, **changes: Any) -> None:
    """Rewrites the stored snapshot's state as someone with database access could."""
    key = customer_id.hex if not raw.settings.is_postgres else customer_id
    (state,) = raw.execute("SELECT state FROM {snapshots} WHERE originator_id = ?", key)[0]
    data = json.loads(bytes(state))
    data["state"].update(changes)
    raw.execute("UPDATE {snapshots} SET state = ? WHERE originator_id = ?",
                json.dumps(data, separators=(",", ":")).encode(), key)


def test_snapshots_are_checked_against_their_events(app: CustomerSuccess, raw: RawLog, csm: UUID):
    assert verify_snapshots(app) == verify_snapshots(app)  # reads only
    empty = verify_snapshots(app)
    assert (empty.ok, empty.snapshots_checked) == (True, 0)
    honest = snapshotted_customer(app, csm, "Honest Ltd")
    forged = snapshotted_customer(app, csm, "Forged Ltd")
    assert (verify_snapshots(app, batch=1).ok, verify_snapshots(app).snapshots_checked) == (True, 2)

    # Honest snapshots are sealed and used as they are.
    assert app._verified_snapshot(honest, None) is not None
    assert app._verified_snapshot(forged, None) is not None
    assert app.snapshots_rejected == 0

    other_owner = app.create_user(actor="system", name="Mallory", role="csm")[0].id
    forge_snapshot(raw, forged, tier="strategic", owner_id=str(other_owner))

    # The library's repository would trust it; commands load through the seal check.
    assert app.repository.get(forged).tier == "strategic"
    loaded = app.load(Customer, forged)
    assert (loaded.tier, loaded.owner_id) == ("growth", csm)  # what the events say
    assert app.snapshots_rejected == 1
    assert rejected_snapshots(app) == 1
    app.update_customer(actor="csm", customer_id=forged, region="after the forgery")
    assert app.load(Customer, forged).owner_id == csm
    result = verify_snapshots(app, batch=1)
    assert (result.ok, result.snapshots_checked, result.bad_count) == (False, 2, 1)
    assert [(b.originator_id, b.version) for b in result.bad] == [(forged, INTERVAL)]
    assert "state differs" in result.bad[0].reason
    assert app.load(Customer, honest).tier == "growth"
    # The chain covers events only: it still verifies.
    assert verify_log(chain_recorder(app)).ok

    # A snapshot is a cache: without it the aggregate replays from the verified events.
    raw.execute("DELETE FROM {snapshots} WHERE originator_id = ?",
                forged.hex if not raw.settings.is_postgres else forged)
    assert app.load(Customer, forged).tier == "growth"
    assert verify_snapshots(app).ok


def test_audit_verify_snapshots_reports_a_forged_snapshot(
    app: CustomerSuccess, raw: RawLog, settings: Settings, csm: UUID, tmp_path: Path
):
    customer_id = snapshotted_customer(app, csm)
    clean = run_cli(settings, "--snapshots", cwd=tmp_path)
    assert clean.returncode == 0 and "snapshots: 1 checked" in clean.stdout, clean.stderr

    forge_snapshot(raw, customer_id, name="Someone Else")
    forged = run_cli(settings, "--snapshots", cwd=tmp_path)
    assert forged.returncode == 1
    assert f"bad snapshot: {customer_id} version {INTERVAL}" in forged.stderr
    assert "1 of 1 snapshots differ from their events" in forged.stderr
    assert_no_traceback(forged)
    by_default = run_cli(settings, cwd=tmp_path)  # snapshots are checked by default
    assert by_default.returncode == 1
    assert f"bad snapshot: {customer_id} version {INTERVAL}" in by_default.stderr
    assert run_cli(settings, "--no-snapshots", cwd=tmp_path).returncode == 0  # events verify
