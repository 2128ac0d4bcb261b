"""Customers: the commands (register, profile, owner, support manager, stage, contacts,
handover, business changes) and the reads (the list with filters and cursor pages, the
customer 360, the health history)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse
from sqlalchemy import Connection

from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.permissions import Action, Resource, ResourceLoader
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, composite_views, views_named
from api.reads.ranges import OptionalFrom, OptionalTo, check_range
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.customers import (
    BusinessChangeReport,
    ContactAdd,
    ContactAdded,
    CustomerCreate,
    CustomerUpdate,
    ExpectationsAgree,
    HandoverRecord,
    OwnerAssign,
    StageMove,
    SupportManagerAssign,
)
from api.schemas.views.customers import Customer360, CustomerPage
from api.schemas.views.health import HealthHistory
from cs_domain.app import CustomerSuccess
from cs_domain.application import CommandResult
from cs_domain.customer import Customer, Stage, Tier
from cs_domain.rules import Band
from projections import compose
from projections.view import Reader
from projections.views import health
from projections.views.customers import customer_profile
from projections.views.health_models import model_at, parse_ref

router = ledger_router(prefix="/customers", tags=["customers"])
WRITE_DOCS = problems(*WRITE_ERRORS)


def customer_of(app: CustomerSuccess, customer_id: UUID) -> ResourceLoader:
    """Permission lookup: the customer's owner (404 if there is no such customer)."""

    def load() -> Resource:
        return Resource("customer", app.load(Customer, customer_id).owner_id)

    return load


def plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.value if isinstance(v, Enum) else v) for k, v in values.items()}


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def register_customer(body: CustomerCreate, w: Create) -> JSONResponse:
    """Register a customer. A CSM may only register customers they own."""
    return w.run(
        Action.CREATE_CUSTOMER,
        lambda: w.app.register_customer(actor=w.actor, **plain(body.model_dump())),
        WriteResult.of, resource=lambda: Resource("customer", body.owner_id), status=201,
    )


@router.patch("/{customer_id}", response_model=WriteResult, responses=WRITE_DOCS)
def update_customer(customer_id: UUID, body: CustomerUpdate, w: Write) -> JSONResponse:
    """Change profile fields; only the fields sent change."""
    changes = plain(body.model_dump(exclude_unset=True))
    return w.run(
        Action.EDIT_CUSTOMER,
        lambda: w.app.update_customer(actor=w.actor, customer_id=customer_id,
                                      expected_version=w.expected_version, **changes),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/owner", response_model=WriteResult, responses=WRITE_DOCS)
def assign_owner(customer_id: UUID, body: OwnerAssign, w: Write) -> JSONResponse:
    """Reassign the customer to another CSM (manager, admin)."""
    return w.run(
        Action.REASSIGN_OWNER,
        lambda: w.app.assign_owner(actor=w.actor, customer_id=customer_id, owner_id=body.owner_id,
                                   expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{customer_id}/support-manager", response_model=WriteResult, responses=WRITE_DOCS)
def assign_support_manager(customer_id: UUID, body: SupportManagerAssign, w: Write) -> JSONResponse:
    """Set or clear the customer's support manager (客服经理)."""
    return w.run(
        Action.EDIT_CUSTOMER,
        lambda: w.app.assign_support_manager(
            actor=w.actor, customer_id=customer_id, support_manager_id=body.support_manager_id,
            expected_version=w.expected_version),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/stage", response_model=WriteResult, responses=WRITE_DOCS)
def move_stage(customer_id: UUID, body: StageMove, w: Write) -> JSONResponse:
    """Set the customer's lifecycle stage by hand (422 on `stage` where the facts forbid it);
    the stage rules resume from the next fact."""
    return w.run(
        Action.EDIT_CUSTOMER,
        lambda: w.app.move_customer_stage(
            actor=w.actor, customer_id=customer_id, stage=body.stage.value,
            effective_on=body.effective_on, reason=body.reason,
            expected_version=w.expected_version),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/contacts", status_code=201, response_model=ContactAdded,
             responses=WRITE_DOCS)
def add_contact(customer_id: UUID, body: ContactAdd, w: Write) -> JSONResponse:
    """Add a key contact (关键人); the response names the new contact's id."""

    def present(result: CommandResult) -> ContactAdded:
        return ContactAdded(id=result.id, version=result.version, position=result.position,
                            contact_id=result.extra["contact_id"])

    return w.run(
        Action.EDIT_CUSTOMER,
        lambda: w.app.add_contact(actor=w.actor, customer_id=customer_id,
                                  expected_version=w.expected_version, **plain(body.model_dump())),
        present, resource=customer_of(w.app, customer_id), status=201,
    )


@router.delete("/{customer_id}/contacts/{contact_id}", response_model=WriteResult,
               responses=WRITE_DOCS)
def remove_contact(
    customer_id: UUID, contact_id: UUID, w: Write,
    reason: Annotated[str | None, Query(max_length=5000, description="Why (kept in the log).")] = None,
) -> JSONResponse:
    """Remove a key contact."""
    return w.run(
        Action.EDIT_CUSTOMER,
        lambda: w.app.remove_contact(actor=w.actor, customer_id=customer_id, contact_id=contact_id,
                                     reason=reason, expected_version=w.expected_version),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/handover", response_model=WriteResult, responses=WRITE_DOCS)
def record_handover(customer_id: UUID, body: HandoverRecord, w: Write) -> JSONResponse:
    """Record the sales→CSM handover (客户交接表) and the customer's expectations."""
    return w.run(
        Action.HAND_OVER,
        lambda: w.app.record_handover(actor=w.actor, customer_id=customer_id,
                                      expected_version=w.expected_version, **body.model_dump()),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/expectations", response_model=WriteResult, responses=WRITE_DOCS)
def agree_expectations(customer_id: UUID, body: ExpectationsAgree, w: Write) -> JSONResponse:
    """Record the expectations agreed with the customer (客户预期)."""
    return w.run(
        Action.HAND_OVER,
        lambda: w.app.agree_expectations(actor=w.actor, customer_id=customer_id,
                                         expected_version=w.expected_version, **body.model_dump()),
        WriteResult.of, resource=customer_of(w.app, customer_id),
    )


@router.post("/{customer_id}/business-changes", status_code=201, response_model=WriteResult,
             responses=WRITE_DOCS)
def report_business_change(customer_id: UUID, body: BusinessChangeReport,
                           w: Create) -> JSONResponse:
    """Report a change of the customer's business (merger, closure, budget cut, leadership
    change; seed 001 §二.8): shown on the 360, it starts the `business_change` playbooks."""
    return w.run(
        Action.REPORT_BUSINESS_CHANGE,
        lambda: w.app.report_business_change(
            actor=w.actor, customer_id=customer_id, kind=body.kind.value,
            occurred_on=body.occurred_on, note=body.note),
        WriteResult.of, resource=customer_of(w.app, customer_id), status=201,
    )


PROFILE = ("id", "name", "tier", "industry", "region", "size_grade", "owner_id", "owner_name",
           "support_manager_id", "support_manager_name", "stage", "stage_since", "onboarded_on",
           "contacts_count", "created_position", "registered_at")


@router.get("", response_model=CustomerPage, responses=view_responses())
def list_customers(
    read: ViewReadDep,
    owner_id: Annotated[UUID | None, Query(description="The owning CSM.")] = None,
    tier: Annotated[Tier | None, Query()] = None,
    stage: Annotated[Stage | None, Query(description="Lifecycle stage.")] = None,
    health_band: Annotated[Band | None, Query(
        description="The band of the customer's latest health score.")] = None,
    q: Annotated[str | None, Query(max_length=200,
                                   description="Part of the name, any case.")] = None,
    expiring_within_days: Annotated[int | None, Query(
        ge=0, le=36600, description="Has a signed or active contract ending within this many "
                                    "days of `today`.")] = None,
    cursor: Annotated[str | None, Query(max_length=2000,
                                        description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=compose.MAX_LIMIT, description="Page size.")] = 50,
    include_churned: Annotated[bool, Query(
        description="With `health_band`: keep churned customers (left out by default).")
    ] = False,
) -> Any:
    """Customers by name, filtered, one page at a time (客户台账)."""
    return read.run(composite_views(), lambda conn: compose.customer_list(
        conn, today=read.today, owner_id=owner_id, tier=None if tier is None else tier.value,
        stage=None if stage is None else stage.value, q=q,
        expiring_within_days=expiring_within_days,
        health_band=None if health_band is None else health_band.value, cursor=cursor,
        limit=limit, at=read.at, include_churned=include_churned))


@router.get("/{customer_id}", response_model=Customer360, responses=view_responses(404))
def customer_360(customer_id: UUID, read: ViewReadDep) -> Any:
    """The customer 360: profile, stage, health, contracts, risks, requirements, plans,
    open tasks, complaints, the latest touchpoints and subscriptions in one answer."""
    result = read.one(composite_views(), lambda conn: compose.customer_360(
        conn, customer_id, read.today, at=read.at), "customer", customer_id)
    return {**result, "profile": {k: result[k] for k in PROFILE}}


@router.get("/{customer_id}/health", response_model=HealthHistory,
            responses=view_responses(404))
def health_history(customer_id: UUID, read: ViewReadDep, from_: OptionalFrom = None,
                   to: OptionalTo = None, model: Annotated[str | None, Query(
                       max_length=80, description=(
                           "Score the periods with this model version, `NAME:VERSION`, "
                           "from their stored inputs (404 if not defined as of the read); "
                           "`current` stays the recorded score."))] = None) -> Any:
    """The customer's health score per usage period (oldest first) with its components,
    and the latest score with its trend. `from`/`to` bound the periods' start dates."""
    check_range(from_, to)
    ref = None if model is None else parse_ref(model)
    if model is not None and ref is None:
        raise InvalidParameter("model", "must be NAME:VERSION, such as seed-004:1")

    def query(conn: Connection) -> dict[str, Any] | None:
        known = Reader(conn, read.at)
        if customer_profile(known, customer_id) is None:
            return None
        scorer = None if ref is None else model_at(known, *ref)
        history = health.health_history(conn, customer_id, from_, to, at=read.at,
                                        model=scorer)
        current = health.current_health(known, customer_id)
        return {**history, "current": current,
                "position": min(known.position, history["position"])}

    return read.one(views_named("customers", "users", "health"), query, "customer", customer_id)
