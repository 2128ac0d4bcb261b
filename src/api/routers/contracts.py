"""Contracts: one contract's read (`GET /contracts/{id}`) and its commands: draft, sign,
activate, renewal intent, renew, churn, terminate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse

from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.permissions import Action, Resource, ResourceLoader
from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, composite_views
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.contracts import (
    ContractActivate,
    ContractChurn,
    ContractCreate,
    ContractRenew,
    ContractRenewed,
    ContractSign,
    ContractTerminate,
    RenewalIntentSet,
)
from api.schemas.views.customers import ContractDetail
from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from projections import compose

router = ledger_router(prefix="/contracts", tags=["contracts"])
WRITE_DOCS = problems(*WRITE_ERRORS)


def contract_of(app: CustomerSuccess, contract_id: UUID) -> ResourceLoader:
    """Permission lookup: the owner of the contract's customer (404 if no such contract)."""

    def load() -> Resource:
        contract = app.load(Contract, contract_id)
        return Resource("contract", app.load(Customer, contract.customer_id).owner_id)

    return load


@router.get("/{contract_id}", response_model=ContractDetail, responses=view_responses(404))
def get_contract(contract_id: UUID, read: ViewReadDep) -> Any:
    """One contract as the customer 360 lists it (status, money, dates, days to end,
    delivery progress or null, renewal intent, predecessor/successor) with its customer."""
    return read.one(composite_views(), lambda conn: compose.contract_detail(
        conn, contract_id, read.today, at=read.at), "contract", contract_id)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def draft_contract(body: ContractCreate, w: Create) -> JSONResponse:
    """Draft a contract for a customer (status `draft`; the number must be unique)."""

    def owner() -> Resource:
        return Resource("customer", w.app.require_customer(body.customer_id).owner_id)

    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.draft_contract(actor=w.actor, **body.model_dump()),
        WriteResult.of, resource=owner, status=201,
    )


@router.post("/{contract_id}/sign", response_model=WriteResult, responses=WRITE_DOCS)
def sign_contract(contract_id: UUID, body: ContractSign, w: Write) -> JSONResponse:
    """Sign a draft contract."""
    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.sign_contract(actor=w.actor, contract_id=contract_id,
                                    signed_on=body.signed_on, expected_version=w.expected_version),
        WriteResult.of, resource=contract_of(w.app, contract_id),
    )


@router.post("/{contract_id}/activate", response_model=WriteResult, responses=WRITE_DOCS)
def activate_contract(contract_id: UUID, body: ContractActivate, w: Write) -> JSONResponse:
    """Activate a signed contract (a newly signed customer moves to onboarding)."""
    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.activate_contract(actor=w.actor, contract_id=contract_id,
                                        activated_on=body.activated_on,
                                        expected_version=w.expected_version),
        WriteResult.of, resource=contract_of(w.app, contract_id),
    )


@router.post("/{contract_id}/renewal-intent", response_model=WriteResult, responses=WRITE_DOCS)
def set_renewal_intent(contract_id: UUID, body: RenewalIntentSet, w: Write) -> JSONResponse:
    """Record how likely the customer is to renew, and any expansion potential."""
    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.set_renewal_intent(
            actor=w.actor, contract_id=contract_id, intent=body.intent.value,
            expansion_potential=body.expansion_potential, note=body.note,
            expected_version=w.expected_version),
        WriteResult.of, resource=contract_of(w.app, contract_id),
    )


@router.post("/{contract_id}/renew", response_model=ContractRenewed, responses=WRITE_DOCS)
def renew_contract(contract_id: UUID, body: ContractRenew, w: Write) -> JSONResponse:
    """Renew an active contract: it closes as renewed and a signed successor is created."""

    def present(result: CommandResult) -> ContractRenewed:
        return ContractRenewed(id=result.id, version=result.version, position=result.position,
                               successor_id=result.extra["successor_id"])

    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.renew_contract(
            actor=w.actor, contract_id=contract_id, renewed_on=body.renewed_on,
            amount=body.amount, new_end_date=body.new_end_date,
            successor_number=body.successor_number, expected_version=w.expected_version),
        present, resource=contract_of(w.app, contract_id),
    )


@router.post("/{contract_id}/churn", response_model=WriteResult, responses=WRITE_DOCS)
def churn_contract(contract_id: UUID, body: ContractChurn, w: Write) -> JSONResponse:
    """Record that the customer did not renew, with the reason category (the customer churns)."""
    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.churn_contract(
            actor=w.actor, contract_id=contract_id, churned_on=body.churned_on,
            reason_category=body.reason_category.value, note=body.note,
            expected_version=w.expected_version),
        WriteResult.of, resource=contract_of(w.app, contract_id),
    )


@router.post("/{contract_id}/terminate", response_model=WriteResult, responses=WRITE_DOCS)
def terminate_contract(contract_id: UUID, body: ContractTerminate, w: Write) -> JSONResponse:
    """End a contract that is not renewed or churned (e.g. drafted in error)."""
    return w.run(
        Action.WRITE_CONTRACTS,
        lambda: w.app.terminate_contract(
            actor=w.actor, contract_id=contract_id, terminated_on=body.terminated_on,
            reason=body.reason, refund=body.refund, expected_version=w.expected_version),
        WriteResult.of, resource=contract_of(w.app, contract_id),
    )
