from datetime import date
from decimal import Decimal

from cs_domain.app import CustomerSuccess
from cs_store.audit import verify_log
from cs_store.factory import chain_recorder


def test_customer_and_contract_round_trip(app: CustomerSuccess, csm):
    cust = app.register_customer(actor=str(csm), name="Acme", tier="growth", owner_id=csm)
    con = app.draft_contract(actor=str(csm), customer_id=cust.id, number="C-1",
                             amount=Decimal("1200.00"), currency="EUR",
                             start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    app.sign_contract(actor=str(csm), contract_id=con.id, signed_on=date(2024, 12, 20))
    app.activate_contract(actor=str(csm), contract_id=con.id, activated_on=date(2025, 1, 1))
    res = app.renew_contract(actor=str(csm), contract_id=con.id, renewed_on=date(2025, 11, 1),
                             amount=Decimal("1500.00"), new_end_date=date(2026, 12, 31))
    assert res.extra["successor_id"]
    assert res.position == app.max_position()
    assert verify_log(chain_recorder(app)).ok
