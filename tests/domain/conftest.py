"""Fixtures for the domain tests: the application on the in-memory store, a customer owned
by the `csm` fixture, more users.

The domain's rules do not depend on the store, so these tests run once, on the library's
in-memory (POPO) recorders: the bottom of the test pyramid. What the stores themselves
must guarantee (atomic saves, conflicts, snapshots, the chain, replay equal to live) is
tested on SQLite and PostgreSQL in tests/store and by the stateful machines here, which
build their own stores.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.settings import Settings

MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.fixture
def app() -> Iterator[CustomerSuccess]:
    application = CustomerSuccess(env=MEMORY)
    yield application
    application.close()


@pytest.fixture
def customer(app: CustomerSuccess, csm: uuid.UUID) -> uuid.UUID:
    return app.register_customer(actor=str(csm), name="Acme Dental", tier="growth",
                                 owner_id=csm).id


@pytest.fixture
def support(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Wang Fang", role="support")
    return result.id


@pytest.fixture
def stored(settings: Settings) -> Iterator[CustomerSuccess]:
    """The application on SQLite and PostgreSQL, for the domain tests about what a store
    keeps (snapshots are sealed to the hash chain, which the in-memory store has not)."""
    application = build_application(settings)
    yield application
    application.close()


@pytest.fixture
def stored_customer(stored: CustomerSuccess) -> uuid.UUID:
    csm, _token = stored.create_user(actor="system", name="Chen Jing", role="csm")
    return stored.register_customer(actor=str(csm.id), name="Acme Dental", tier="growth",
                                    owner_id=csm.id).id
