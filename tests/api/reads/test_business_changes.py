"""`POST /customers/{id}/business-changes` (seed 001 §二.8): a reported change of the
customer's business is on the 360 (newest first, as_of honoured); bad input is 422 naming
the field and writes nothing (an unknown customer too, as for usage); both stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from tests.api.reads.conftest import ReadApi
from tests.api.work_support import fields


def test_business_changes_are_on_the_360(live: ReadApi):
    csm = live.user("csm")
    acme = live.customer(csm)
    first = live.ok("POST", f"/customers/{acme}/business-changes", {
        "kind": "leadership_change", "occurred_on": "2025-03-01",
        "note": "  The director retired.  "}, csm.headers)
    before = datetime.now(UTC).isoformat()
    second = live.ok("POST", f"/customers/{acme}/business-changes", {
        "kind": "budget_cut", "occurred_on": "2025-06-30"}, csm.headers)
    changes = live.read(f"/customers/{acme}")["business_changes"]
    assert changes == [
        {"id": second["id"], "kind": "budget_cut", "occurred_on": "2025-06-30", "note": None,
         "reported_by": str(csm.id)},
        {"id": first["id"], "kind": "leadership_change", "occurred_on": "2025-03-01",
         "note": "The director retired.", "reported_by": str(csm.id)}]
    then = live.read(f"/customers/{acme}", as_of=before)["business_changes"]
    assert [c["id"] for c in then] == [first["id"]]
    other = live.customer(csm, name="Other")
    assert live.read(f"/customers/{other}")["business_changes"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "war", "occurred_on": "2025-03-01"}, "kind"),
    ({"kind": "merger", "occurred_on": "2200-01-01"}, "occurred_on"),
    ({"kind": "merger", "occurred_on": "1899-12-31"}, "occurred_on"),
    ({"kind": "merger"}, "occurred_on"),
    ({"kind": "merger", "occurred_on": "2025-03-01", "note": "x" * 2001}, "note"),
    ({"kind": "merger", "occurred_on": "2025-03-01", "note": "   "}, "note"),
])
def test_bad_input_is_422_and_writes_nothing(live: ReadApi, body: dict[str, Any], field: str):
    acme = live.customer(live.user("csm"))
    head = live.head()
    response = live.post(f"/customers/{acme}/business-changes", body)
    assert response.status_code == 422, response.text
    assert field in fields(response)
    assert live.head() == head


def test_unknown_customer_and_other_csm_are_refused(live: ReadApi):
    owner, other = live.user("csm"), live.user("csm")
    acme = live.customer(owner)
    head = live.head()
    body = {"kind": "merger", "occurred_on": "2025-03-01"}
    unknown = live.post(f"/customers/{uuid4()}/business-changes", body)
    # As for usage reports on a path's customer (check_customer): 422 naming customer_id.
    assert unknown.status_code == 422 and "customer_id" in fields(unknown)
    assert live.post(f"/customers/{acme}/business-changes", body,
                     other.headers).status_code == 403
    assert live.head() == head
