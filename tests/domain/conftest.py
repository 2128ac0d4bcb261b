"""Fixtures for the domain tests: a customer owned by the `csm` fixture, more users."""

from __future__ import annotations

import uuid

import pytest

from cs_domain.app import CustomerSuccess


@pytest.fixture
def customer(app: CustomerSuccess, csm: uuid.UUID) -> uuid.UUID:
    return app.register_customer(actor=str(csm), name="Acme Dental", tier="growth",
                                 owner_id=csm).id


@pytest.fixture
def support(app: CustomerSuccess) -> uuid.UUID:
    result, _token = app.create_user(actor="system", name="Wang Fang", role="support")
    return result.id
