"""Contract driven through random command sequences on SQLite and PostgreSQL.

The model says what each command must do from the current state; the machine
checks that allowed commands succeed, that forbidden transitions are ALWAYS
refused with TransitionNotAllowed (and invalid input with InvalidInput /
DuplicateKey) writing nothing, that the invariants hold, and that every
contract rebuilt from the stored events equals the live one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, multiple, rule

from cs_domain.base import CURRENCY_RE
from cs_domain.contract import ChurnReason, Contract, ContractNumber, ContractStatus, Intent
from cs_domain.errors import DuplicateKey, InvalidInput, StaleVersion, TransitionNotAllowed
from tests.conftest import STORES
from tests.domain.stateful_support import StoreMachine, run_machine

LIVE = {ContractStatus.SIGNED, ContractStatus.ACTIVE}
CLOSED = {ContractStatus.RENEWED, ContractStatus.CHURNED, ContractStatus.TERMINATED}

amounts = st.decimals(min_value=Decimal("-10"), max_value=Decimal("99999"), places=2,
                      allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))


@dataclass
class Expected:
    status: str
    version: int
    customer: UUID
    end_date: date


class ContractMachine(StoreMachine):
    contracts = Bundle("contracts")

    @initialize()
    def people(self) -> None:
        self.csm = self.live.create_user(actor="system", name="CSM", role="csm")[0].id
        actor = str(self.csm)
        self.actor = actor
        self.customers = [
            self.live.register_customer(actor=actor, name=f"Clinic {i}", tier="growth",
                                        owner_id=self.csm).id
            for i in range(2)
        ]
        self.model: dict[UUID, Expected] = {}
        self.numbers: set[str] = set()

    # --- rules -------------------------------------------------------------------------
    @rule(target=contracts, customer=st.integers(0, 1),
          number=st.sampled_from(["C-1", "C-2", "C-3", "C-4", "C-5", "c-1"]),
          amount=amounts, currency=st.sampled_from(["EUR", "CNY", "EUR", "CNY", "usd"]),
          start=days, length=st.integers(-30, 800))
    def draft(self, customer, number, amount, currency, start, length):
        end = start + timedelta(days=length)
        valid = amount > 0 and CURRENCY_RE.match(currency) and length > 0
        taken = number.casefold() in self.numbers
        error = InvalidInput if not valid else DuplicateKey if taken else None
        result = self.attempt(error, lambda: self.live.draft_contract(
            actor=self.actor, customer_id=self.customers[customer], number=number,
            amount=amount, currency=currency, start_date=start, end_date=end))
        if result is None:
            return multiple()
        self.numbers.add(number.casefold())
        self.model[result.id] = Expected("draft", 1, self.customers[customer], end)
        return result.id

    def _transition(self, contract: UUID, allowed: bool, command) -> None:
        result = self.attempt(None if allowed else TransitionNotAllowed, command)
        if result is not None:
            self.model[contract].version += 1
            assert result.version == self.model[contract].version

    @rule(contract=contracts, on=days)
    def sign(self, contract, on):
        allowed = self.model[contract].status == "draft"
        self._transition(contract, allowed, lambda: self.live.sign_contract(
            actor=self.actor, contract_id=contract, signed_on=on))
        if allowed:
            self.model[contract].status = "signed"

    @rule(contract=contracts, on=days)
    def activate(self, contract, on):
        allowed = self.model[contract].status == "signed"
        self._transition(contract, allowed, lambda: self.live.activate_contract(
            actor=self.actor, contract_id=contract, activated_on=on))
        if allowed:
            self.model[contract].status = "active"

    @rule(contract=contracts, intent=st.sampled_from([*Intent, "unsure"]),
          potential=st.none() | amounts)
    def set_intent(self, contract, intent, potential):
        command = lambda: self.live.set_renewal_intent(  # noqa: E731
            actor=self.actor, contract_id=contract, intent=intent, expansion_potential=potential)
        if intent == "unsure" or (potential is not None and potential < 0):
            self.attempt(InvalidInput, command)
        else:
            self._transition(contract, self.model[contract].status in LIVE, command)

    @rule(target=contracts, contract=contracts, on=days, amount=amounts,
          extension=st.integers(-10, 800))
    def renew(self, contract, on, amount, extension):
        expected = self.model[contract]
        new_end = expected.end_date + timedelta(days=extension)
        command = lambda: self.live.renew_contract(  # noqa: E731
            actor=self.actor, contract_id=contract, renewed_on=on, amount=amount,
            new_end_date=new_end)
        if amount <= 0 or extension <= 0:
            self.attempt(InvalidInput, command)
            return multiple()
        allowed = expected.status == "active"
        result = self.attempt(None if allowed else TransitionNotAllowed, command)
        if result is None:
            return multiple()
        expected.status, expected.version = "renewed", expected.version + 1
        successor = result.extra["successor_id"]
        self.model[successor] = Expected("signed", 2, expected.customer, new_end)
        self.numbers.add(self.live.repository.get(successor).number.casefold())
        return successor

    @rule(contract=contracts, on=days, reason=st.sampled_from([*ChurnReason, "bored"]))
    def churn(self, contract, on, reason):
        command = lambda: self.live.churn_contract(  # noqa: E731
            actor=self.actor, contract_id=contract, churned_on=on, reason_category=reason)
        if reason == "bored":
            self.attempt(InvalidInput, command)
            return
        allowed = self.model[contract].status in LIVE
        self._transition(contract, allowed, command)
        if allowed:
            self.model[contract].status = "churned"

    @rule(contract=contracts, on=days, reason=st.sampled_from(["customer insolvent", "breach", "fraud", " "]))
    def terminate(self, contract, on, reason):
        command = lambda: self.live.terminate_contract(  # noqa: E731
            actor=self.actor, contract_id=contract, terminated_on=on, reason=reason)
        if not reason.strip():
            self.attempt(InvalidInput, command)
            return
        allowed = self.model[contract].status not in CLOSED
        self._transition(contract, allowed, command)
        if allowed:
            self.model[contract].status = "terminated"

    @rule(contract=contracts, on=days)
    def stale_write(self, contract, on):
        stale = self.model[contract].version + 1
        self.attempt(StaleVersion, lambda: self.live.sign_contract(
            actor=self.actor, contract_id=contract, signed_on=on, expected_version=stale))

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def contracts_hold_their_rules_and_rebuild_to_live_state(self):
        for contract_id, expected in getattr(self, "model", {}).items():
            live: Contract = self.assert_rebuilt_equals_live(contract_id)
            assert (live.status, live.version) == (expected.status, expected.version)
            assert live.status in set(ContractStatus)
            assert live.amount > 0 and live.amount.is_finite()
            assert CURRENCY_RE.match(live.currency)
            assert live.end_date > live.start_date
            index = self.replay.repository.get(ContractNumber.id_for(live.number))
            assert index.contract_id == contract_id
            if live.status == ContractStatus.RENEWED:
                successor = self.live.repository.get(live.successor_id)
                assert successor.predecessor_id == contract_id
                assert successor.start_date == live.end_date + timedelta(days=1)
                assert successor.currency == live.currency
            else:
                assert live.successor_id is None
            if live.status == ContractStatus.CHURNED:
                assert live.churn_reason in set(ChurnReason)
        for customer_id in getattr(self, "customers", []):
            self.assert_rebuilt_equals_live(customer_id)


@pytest.mark.parametrize("store", STORES)
def test_contract_state_machine(store):
    run_machine(ContractMachine, store)
