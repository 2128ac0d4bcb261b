"""Old stored events keep loading: a v1 `Customer.Registered`, written byte for byte
as v1 code stored it, is upcast on load (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_store.audit import verify_log
from cs_store.catalogue import event_classes
from cs_store.factory import chain_recorder


def v1_registered_state(owner_id: UUID, class_version_field: dict[str, int]) -> bytes:
    """What v1 code stored: no support_manager_id. The library writes `class_version`
    only above 1, so a v1 event has none (an explicit 1 means the same)."""
    state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2024-03-01T09:30:00.000000+00:00"},
        "originator_topic": "cs_domain.customer:Customer",
        "actor": "legacy-import",
        "name": "Legacy Ltd",
        "tier": "strategic",
        "owner_id": {"_type_": "uuid_hex", "_data_": owner_id.hex},
        "industry": "retail",
        "region": None,
        "size_grade": "B",
        **class_version_field,
    }
    return json.dumps(state, separators=(",", ":")).encode()


@pytest.mark.parametrize("marker", [{}, {"class_version": 1}], ids=["unmarked", "marked-v1"])
def test_a_stored_v1_registration_loads_through_its_upcaster(
    app: CustomerSuccess, csm: UUID, marker: dict[str, int]
):
    assert Customer.Registered.class_version == 2
    customer_id = uuid4()
    app.recorder.insert_events([StoredEvent(
        originator_id=customer_id, originator_version=1,
        topic=get_topic(Customer.Registered), state=v1_registered_state(csm, marker),
    )])

    customer = app.load(Customer, customer_id)

    assert customer.support_manager_id is None
    assert (customer.name, customer.tier, customer.owner_id, customer.industry,
            customer.size_grade, customer.version) == ("Legacy Ltd", "strategic", csm, "retail",
                                                        "B", 1)
    assert customer.created_on.year == 2024

    # The upcast customer takes new commands like any other; the log stays verifiable.
    result = app.assign_support_manager(actor="system", customer_id=customer_id,
                                        support_manager_id=csm, expected_version=1)
    assert result.version == 2
    assert app.load(Customer, customer_id).support_manager_id == csm
    assert verify_log(chain_recorder(app)).ok


def test_new_registrations_are_stored_as_v2_and_not_upcast_again(app: CustomerSuccess, csm: UUID):
    result = app.register_customer(actor="system", name="Acme", tier="growth", owner_id=csm,
                                   support_manager_id=csm)
    stored = app.recorder.select_events(result.id)[0]
    assert json.loads(stored.state)["class_version"] == 2
    # Were the marker missing, upcast_v1_v2 would wipe the support manager on load.
    assert app.load(Customer, result.id).support_manager_id == csm


def test_every_versioned_event_has_its_chain_of_upcasters():
    for aggregate, event in event_classes():
        version = getattr(event, "class_version", 1)
        for n in range(1, version):
            assert callable(getattr(event, f"upcast_v{n}_v{n + 1}", None)), (
                f"{aggregate.__name__}.{event.__name__} is class_version {version} "
                f"but has no upcast_v{n}_v{n + 1}")
