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
