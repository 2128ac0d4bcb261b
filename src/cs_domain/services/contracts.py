"""Contract commands. Renewal saves the old contract, its successor and the
successor's number index in one transaction. Activation, renewal and churn move the
customer's stage by the lifecycle rules (`Customer.follow`, actor `system:lifecycle`) in
the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from cs_domain.application import CommandResult
from cs_domain.contract import Contract, ContractNumber
from cs_domain.customer import Customer
from cs_domain.errors import DuplicateKey
from cs_domain.lifecycle import Fact
from cs_domain.services.customers import CustomerCommands


class ContractCommands(CustomerCommands):
    def _claim_number(self, actor: str, contract: Contract) -> ContractNumber:
        if self.exists(ContractNumber.id_for(contract.number)):
            raise DuplicateKey("number", contract.number)
        return ContractNumber.claim(actor=actor, number=contract.number, contract_id=contract.id)

    def draft_contract(
        self, *, actor: str, customer_id: UUID, number: str, amount: Decimal, currency: str,
        start_date: date, end_date: date, contract_id: UUID | None = None,
    ) -> CommandResult:
        contract = Contract.draft(
            actor=actor, customer_id=customer_id, number=number, amount=amount,
            currency=currency, start_date=start_date, end_date=end_date, contract_id=contract_id,
        )
        self.check_customer(customer_id)
        index = self._claim_number(actor, contract)
        return self.result(contract, self.commit(contract, index))

    def sign_contract(
        self, *, actor: str, contract_id: UUID, signed_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        contract.sign(actor=actor, signed_on=signed_on)
        return self.result(contract, self.commit(contract))

    def activate_contract(
        self, *, actor: str, contract_id: UUID, activated_on: date,
        expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        contract.activate(actor=actor, activated_on=activated_on)
        customer = self.load(Customer, contract.customer_id)
        customer.follow(Fact.CONTRACT_ACTIVATED, activated_on, contract.number)
        return self.result(contract, self.commit(contract, customer))

    def set_renewal_intent(
        self, *, actor: str, contract_id: UUID, intent: str,
        expansion_potential: Decimal | None = None, note: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        contract.set_renewal_intent(
            actor=actor, intent=intent, expansion_potential=expansion_potential, note=note
        )
        return self.result(contract, self.commit(contract))

    def renew_contract(
        self, *, actor: str, contract_id: UUID, renewed_on: date, amount: Decimal,
        new_end_date: date, successor_number: str | None = None,
        expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        successor = contract.renew(
            actor=actor, renewed_on=renewed_on, amount=amount, new_end_date=new_end_date,
            successor_number=successor_number,
        )
        index = self._claim_number(actor, successor)
        customer = self.load(Customer, contract.customer_id)
        customer.follow(Fact.RENEWED, renewed_on, contract.number)
        position = self.commit(contract, successor, index, customer)
        return self.result(contract, position, successor_id=successor.id)

    def churn_contract(
        self, *, actor: str, contract_id: UUID, churned_on: date, reason_category: str,
        note: str | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        contract.churn(actor=actor, churned_on=churned_on, reason_category=reason_category,
                       note=note)
        customer = self.load(Customer, contract.customer_id)
        customer.follow(Fact.CHURNED, churned_on, contract.number)
        return self.result(contract, self.commit(contract, customer))

    def terminate_contract(
        self, *, actor: str, contract_id: UUID, terminated_on: date, reason: str,
        refund: Decimal | None = None, expected_version: int | None = None,
    ) -> CommandResult:
        contract = self.load(Contract, contract_id, expected_version)
        contract.terminate(actor=actor, terminated_on=terminated_on, reason=reason, refund=refund)
        return self.result(contract, self.commit(contract))
