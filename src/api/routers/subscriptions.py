"""Subscriptions: the commands (provision, activate, suspend, resume, expire, seats) and a
customer's subscriptions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import CustomerOf
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.subscriptions import (
    SeatsChange,
    SubscriptionActivate,
    SubscriptionExpire,
    SubscriptionProvision,
    SubscriptionResume,
    SubscriptionSuspend,
)
from api.schemas.views.delivery import (
    SubscriptionList,
)
from api.writes import item_write
from cs_domain.subscription import Subscription
from projections.views import subscriptions

router = ledger_router(prefix="/subscriptions", tags=["subscriptions"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def provision(body: SubscriptionProvision, w: Create) -> JSONResponse:
    """Provision a product term for a customer (status `provisioned`)."""
    return w.run(
        Action.WRITE_SUBSCRIPTIONS,
        lambda: w.app.provision_subscription(actor=w.actor, **body.model_dump()),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


step = item_write(Action.WRITE_SUBSCRIPTIONS, Subscription)


@router.post("/{subscription_id}/activate", response_model=WriteResult, responses=WRITE_DOCS)
def activate(subscription_id: UUID, body: SubscriptionActivate, w: Write) -> JSONResponse:
    """Activate a provisioned subscription."""
    return step(w, subscription_id, lambda: w.app.activate_subscription(
        actor=w.actor, subscription_id=subscription_id,
        activated_on=on_or_today(body.activated_on), expected_version=w.expected_version))


@router.post("/{subscription_id}/suspend", response_model=WriteResult, responses=WRITE_DOCS)
def suspend(subscription_id: UUID, body: SubscriptionSuspend, w: Write) -> JSONResponse:
    """Suspend an active subscription, with the reason."""
    return step(w, subscription_id, lambda: w.app.suspend_subscription(
        actor=w.actor, subscription_id=subscription_id,
        suspended_on=on_or_today(body.suspended_on), reason=body.reason,
        expected_version=w.expected_version))


@router.post("/{subscription_id}/resume", response_model=WriteResult, responses=WRITE_DOCS)
def resume(subscription_id: UUID, body: SubscriptionResume, w: Write) -> JSONResponse:
    """Resume a suspended subscription."""
    return step(w, subscription_id, lambda: w.app.resume_subscription(
        actor=w.actor, subscription_id=subscription_id, resumed_on=on_or_today(body.resumed_on),
        expected_version=w.expected_version))


@router.post("/{subscription_id}/expire", response_model=WriteResult, responses=WRITE_DOCS)
def expire(subscription_id: UUID, body: SubscriptionExpire, w: Write) -> JSONResponse:
    """Expire an active or suspended subscription (final)."""
    return step(w, subscription_id, lambda: w.app.expire_subscription(
        actor=w.actor, subscription_id=subscription_id, expired_on=on_or_today(body.expired_on),
        expected_version=w.expected_version))


@router.post("/{subscription_id}/seats", response_model=WriteResult, responses=WRITE_DOCS)
def change_seats(subscription_id: UUID, body: SeatsChange, w: Write) -> JSONResponse:
    """Change the number of seats of a subscription that has not expired."""
    return step(w, subscription_id, lambda: w.app.change_subscription_seats(
        actor=w.actor, subscription_id=subscription_id, seats=body.seats,
        effective_on=on_or_today(body.effective_on), note=body.note,
        expected_version=w.expected_version))


@router.get("", response_model=SubscriptionList, responses=view_responses())
def subscription_list(read: ViewReadDep, customer_id: CustomerOf) -> Any:
    """A customer's subscriptions (产品租期): product, seats, status, term, days to end."""
    return read.run(views_named("subscriptions"), lambda conn: subscriptions.subscriptions_of(
        conn, customer_id, today=read.today, at=read.at))
