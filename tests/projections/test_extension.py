"""A new view plugs into the engine and the composite reads as one module in one list.

The view below is a stand-in for the health view (its "band" is derived from the
tier, which is enough to exercise the hooks): it registers a customer-list filter
(`health_band`), a customer 360 section (`health`) and contract progress.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import String, Uuid, select

from cs_domain.app import CustomerSuccess
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from projections import registry
from projections.compose import customer_360, customer_list
from projections.db import ReadModels
from projections.rebuild import verify
from projections.runner import Projector
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on
from tests.projections import scenario as s

BANDS = VersionedTable("bands", "bands", keys=[("customer_id", Uuid())],
                       columns=[("band", String(8))], indexes=[("band",)])
PROGRESS = VersionedTable("bands", "band_progress", keys=[("contract_id", Uuid())],
                          columns=[("progress", DecimalText())])
BAND_OF_TIER = {"strategic": "green", "growth": "yellow", "basic": "red"}


def band_filter(r: Reader, customers: Any, value: Any) -> Any:
    t = r.table(BANDS)
    return customers.c.id.in_(select(t.c.customer_id).where(t.c.band == value, r.visible(t)))


def health_section(r: Reader, customer_id: UUID, today: date) -> dict[str, Any] | None:
    t = r.table(BANDS)
    band = r.conn.execute(select(t.c.band).where(t.c.customer_id == customer_id,
                                                 r.visible(t))).scalar()
    return None if band is None else {"band": band}


class BandsView(View):
    name = "bands"
    tables = (BANDS, PROGRESS)
    customer_filters = {"health_band": band_filter}
    customer_sections = {"health": health_section}

    @on(Customer.Registered, Customer.ProfileUpdated)
    def tiered(self, tx: ViewTx, e: Any) -> None:
        if e.tier is not None:
            tx[BANDS].put(e.originator_id, {"band": BAND_OF_TIER[e.tier]})

    @on(Contract.Activated)
    def activated(self, tx: ViewTx, e: Contract.Activated) -> None:
        tx[PROGRESS].put(e.originator_id, {"progress": Decimal("0.25")})

    def contract_progress(self, r: Reader, contract_ids: list[UUID]) -> dict[UUID, Any]:
        t = r.table(PROGRESS)
        rows = r.conn.execute(select(t).where(t.c.contract_id.in_(contract_ids), r.visible(t)))
        return {row.contract_id: row.progress for row in rows}


def test_a_registered_view_feeds_filters_sections_and_progress(
    app: CustomerSuccess, models: ReadModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one list; the stand-in takes the real health view's place (same hooks).
    others = tuple(v for v in registry.VIEWS if v.name != "health")
    monkeypatch.setattr(registry, "VIEWS", (*others, BandsView()))
    csm = s.user(app)
    gold = s.customer(app, csm, "Gold", tier="strategic")
    s.customer(app, csm, "Tin", tier="basic")
    k = s.contract(app, gold, "G-1", "100", "EUR", date(2025, 12, 31))
    before = app.max_position()
    app.update_customer(actor="t", customer_id=gold, tier="basic")
    Projector(app, models).catch_up()

    with models.read() as conn:
        reds = customer_list(conn, today=date(2025, 1, 1), health_band="red")
        greens_then = customer_list(conn, today=date(2025, 1, 1), health_band="green", at=before)
        now = customer_360(conn, gold, date(2025, 1, 1))
        then = customer_360(conn, gold, date(2025, 1, 1), at=before)
    assert [c["name"] for c in reds["items"]] == ["Gold", "Tin"]
    assert [c["name"] for c in greens_then["items"]] == ["Gold"]
    assert now is not None and then is not None
    assert now["health"] == {"band": "red"} and then["health"] == {"band": "green"}
    assert [(c["id"], c["progress"]) for c in now["contracts"]] == [(k, Decimal("0.25"))]
    assert verify(app, models) == []  # rebuild and verify cover the new view too
