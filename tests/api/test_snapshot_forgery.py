"""Finding 6 through the API: a customer's latest snapshot edited in the database to name
another owner changes no permission — commands act on what the events say — and the
rejected snapshot is counted in `GET /ops/status`. Both stores."""

from __future__ import annotations

from uuid import UUID

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_store.settings import Settings
from tests.api.conftest import Api
from tests.store.conftest import RawLog
from tests.store.test_snapshots import forge_snapshot

INTERVAL = CustomerSuccess.snapshotting_intervals[Customer]


def test_a_forged_owner_in_a_snapshot_changes_no_permission(api: Api,
                                                            settings: Settings) -> None:
    owner, mallory = api.user("csm", "Chen Jing"), api.user("csm", "Mallory")
    customer_id = api.customer(owner)
    for i in range(INTERVAL + 1):
        api.ok("PATCH", f"/customers/{customer_id}", {"region": f"r{i}"}, owner.headers)
    forge_snapshot(RawLog(settings), UUID(customer_id), owner_id=str(mallory.id))

    edit = api.request("PATCH", f"/customers/{customer_id}", owner.headers,
                       json={"region": "after the forgery"})
    assert edit.status_code == 200, edit.text  # the real owner, as the events say
    refused = api.request("PATCH", f"/customers/{customer_id}", mallory.headers,
                          json={"region": "mine now"})
    assert refused.status_code == 403
    assert api.ok("GET", "/ops/status")["snapshots"]["rejected"] >= 1
