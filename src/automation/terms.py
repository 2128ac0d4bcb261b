"""Contract terms start on their own: a signed successor contract (a renewal's next term)
becomes active on its start date. A time rule run by `tick`, recorded by ``system``.

`due_terms(reader, today)` lists the successors still `signed` whose start date is on or
before today (a terminated or churned one is no longer `signed`: it never starts);
`start_terms(app, due)` activates each, dated its start date (a business date from the
log, never the tick's), deciding on the aggregate itself so a contract activated or ended
meanwhile is left alone. A first contract is activated by people (its go-live).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from automation import inputs
from automation.commands import retried
from cs_domain.app import CustomerSuccess
from cs_domain.contract import Contract, ContractStatus
from projections.view import Reader

ACTOR = "system"


def due_terms(r: Reader, today: date) -> list[tuple[UUID, date]]:
    """(contract id, start date) of the signed successors whose term has begun by today."""
    return [(k["id"], k["start_date"]) for k in inputs.contracts(r, live=True)
            if k["status"] == ContractStatus.SIGNED and k["predecessor_id"] is not None
            and k["start_date"] <= today]


def start_terms(app: CustomerSuccess, due: list[tuple[UUID, date]]) -> int:
    """Activates each due term still signed; returns how many it activated."""
    started = 0
    for contract_id, start in due:
        def attempt(contract_id: UUID = contract_id, start: date = start) -> bool:
            if app.load(Contract, contract_id).status != ContractStatus.SIGNED:
                return False
            app.activate_contract(actor=ACTOR, contract_id=contract_id, activated_on=start)
            return True
        started += retried(attempt)
    return started
