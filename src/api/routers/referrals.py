"""Referral commands (seed 001 §二.7): introduce a prospect from a referring customer under
an incentive policy, then contact, propose, win or lose (409 out of order); the list, one
referral and `GET /metrics/referrals`."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewReadDep, views_named
from api.reads.ranges import From, To, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.referrals import ReferralIntroduce, ReferralLose, ReferralStep, ReferralWin
from api.schemas.views.growth import (
    ReferralMetrics,
    ReferralOne,
    ReferralPage,
)
from api.writes import item_write
from cs_domain.referral import Referral, ReferralStatus
from projections.views import referrals

router = ledger_router(prefix="/referrals", tags=["referrals"])
metrics = ledger_router(prefix="/metrics", tags=["metrics"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def introduce(body: ReferralIntroduce, w: Create) -> JSONResponse:
    """Record a referral: the prospect a customer introduced, and the incentive policy
    applied; credited to the customer and its owner CSM."""
    return w.run(
        Action.WRITE_REFERRALS,
        lambda: w.app.introduce_referral(
            actor=w.actor, customer_id=body.customer_id, prospect_name=body.prospect_name,
            prospect_contact=body.prospect_contact, note=body.note,
            incentive_policy=body.incentive_policy, incentive_amount=body.incentive_amount,
            incentive_currency=body.incentive_currency, incentive_text=body.incentive_text,
            on=on_or_today(body.on)),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


_step = item_write(Action.WRITE_REFERRALS, Referral)


@router.post("/{referral_id}/contact", response_model=WriteResult, responses=WRITE_DOCS)
def contact(referral_id: UUID, body: ReferralStep, w: Write) -> JSONResponse:
    """The prospect was contacted: from introduced only; 409 otherwise."""
    return _step(w, referral_id, lambda: w.app.contact_referral(
        actor=w.actor, referral_id=referral_id, note=body.note, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{referral_id}/propose", response_model=WriteResult, responses=WRITE_DOCS)
def propose(referral_id: UUID, body: ReferralStep, w: Write) -> JSONResponse:
    """A proposal was made: from contacted only; 409 otherwise."""
    return _step(w, referral_id, lambda: w.app.propose_referral(
        actor=w.actor, referral_id=referral_id, note=body.note, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{referral_id}/win", response_model=WriteResult, responses=WRITE_DOCS)
def win(referral_id: UUID, body: ReferralWin, w: Write) -> JSONResponse:
    """The deal was won: from proposal only; 409 otherwise."""
    return _step(w, referral_id, lambda: w.app.win_referral(
        actor=w.actor, referral_id=referral_id, deal_amount=body.deal_amount,
        currency=body.currency, note=body.note, on=on_or_today(body.on),
        expected_version=w.expected_version))


@router.post("/{referral_id}/lose", response_model=WriteResult, responses=WRITE_DOCS)
def lose(referral_id: UUID, body: ReferralLose, w: Write) -> JSONResponse:
    """The referral was lost: from any open step; 409 once won or lost."""
    return _step(w, referral_id, lambda: w.app.lose_referral(
        actor=w.actor, referral_id=referral_id, reason=body.reason, on=on_or_today(body.on),
        expected_version=w.expected_version))


REFERRAL_VIEWS = views_named("referrals")


@router.get("", response_model=ReferralPage, responses=view_responses())
def referral_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    owner_id: Annotated[UUID | None, Query(description="The credited CSM.")] = None,
    status: Annotated[list[ReferralStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Referrals by introduction date: the referring customer, the credited CSM, the
    prospect, the incentive and every step's date."""
    return read.run(REFERRAL_VIEWS, lambda conn: referrals.referral_list(
        conn, customer_id=customer_id, owner_id=owner_id, status=values(status),
        cursor=cursor, limit=limit, at=read.at))


@router.get("/{referral_id}", response_model=ReferralOne,
            responses=view_responses(404))
def get_referral(referral_id: UUID, read: ViewReadDep) -> Any:
    """One referral."""
    return read.one(REFERRAL_VIEWS, lambda conn: referrals.get_referral(
        conn, referral_id, at=read.at), "referral", referral_id)


@metrics.get("/referrals", response_model=ReferralMetrics, responses=view_responses())
def referral_metrics(read: ViewReadDep, from_: From, to: To) -> Any:
    """The referrals introduced in [from, to]: counts per status, win rate (won / closed),
    the same per credited CSM."""
    check_range(from_, to)
    return read.run(REFERRAL_VIEWS, lambda conn: referrals.referral_metrics(
        conn, from_, to, at=read.at))
