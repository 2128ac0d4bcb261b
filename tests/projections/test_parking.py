"""Parked events: a view or the automation sets aside an event it cannot handle, the
rest of the log goes on, and an admin's retry handles it once the cause is fixed."""

from __future__ import annotations

import pytest

from automation import operations
from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from projections import parking
from projections.db import ReadModels
from projections.rebuild import dump, verify
from projections.registry import VIEWS
from projections.runner import Projector
from projections.view import View, ViewTx, on
from tests.projections import scenario as s
from tests.projections.test_engine import FRAGILE


class Curable(View):
    """Cannot project a customer called "boom" until `cured` (a fixed deployment)."""

    name = "fragile"
    tables = (FRAGILE,)
    cured = False

    @on(Customer.Registered)
    def registered(self, tx: ViewTx, e: Customer.Registered) -> None:
        if e.name == "boom" and not self.cured:
            raise ValueError("cannot project boom")
        tx[FRAGILE].put(e.originator_id, {"name": e.name})


def _world(app: CustomerSuccess) -> int:
    csm = s.user(app)
    s.customer(app, csm, "first")
    boom = app.register_customer(actor="t", name="boom", tier="basic", owner_id=csm).position
    s.customer(app, csm, "after")
    return boom


def test_a_parked_view_event_is_listed_and_retried_by_a_rebuild(
        app: CustomerSuccess, models: ReadModels) -> None:
    boom = _world(app)
    view = Curable()
    views = [*VIEWS, view]
    Projector(app, models, views).catch_up()
    found = operations.status(app, models)
    [row] = found.parked
    assert (row.consumer, row.position) == ("fragile", boom)
    fragile = next(c for c in found.consumers if c.name == "fragile")
    assert (fragile.status, fragile.lag_events) == ("parked", 0)
    assert {c.status for c in found.consumers if c.name != "fragile"} <= {"ok"}

    with pytest.raises(operations.RetryFailed) as failed:  # not fixed yet
        operations.retry(app, models, row.id, views)
    assert (failed.value.row.id, failed.value.row.attempts) == (row.id, 2)

    view.cured = True
    operations.retry(app, models, row.id, views)
    assert operations.status(app, models).parked == []
    assert parking.parked_count(models) == 0
    names = sorted(r["name"] for r in dump(models, [view])["fragile"]["fragile"].values())
    assert names == ["after", "boom", "first"]
    assert verify(app, models, [view]) == []  # as a rebuild from the log gives it
    with pytest.raises(LookupError):
        operations.retry(app, models, row.id, views)


def test_parked_count_is_zero_on_a_fresh_store(models: ReadModels) -> None:
    assert parking.parked_count(models) == 0  # the table does not exist yet: no error
