"""Customers view: each customer's profile, tier, owners, lifecycle stage and key contacts.

Answers "who is this customer and who looks after them" for the customer list and the
customer 360 (see :mod:`projections.compose`, which adds other views' data).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Boolean, Date, Integer, String, Uuid, bindparam, select

from cs_domain.customer import Customer
from cs_domain.lifecycle import LIFECYCLE_ACTOR
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users

# Sort and page by code point on every store (PostgreSQL would otherwise use its locale).
CODEPOINT_ORDER = String(200).with_variant(String(200, collation="C"), "postgresql")

CUSTOMERS = VersionedTable(
    "customers", "customers",
    keys=[("id", Uuid())],
    columns=[
        ("name", String(200)), ("name_folded", CODEPOINT_ORDER), ("tier", String(16)),
        ("industry", String(100)), ("region", String(100)), ("size_grade", String(4)),
        ("owner_id", Uuid()), ("support_manager_id", Uuid()),
        ("stage", String(16)), ("stage_since", Date()), ("onboarded_on", Date()),
        ("contacts", Integer()), ("created_position", BigInteger()),
        ("stage_by_hand", Boolean()),  # the stage was last set by a person, not the rules
        ("registered_at", String(32)),
    ],
    indexes=[("name_folded", "id"), ("owner_id",)],
    current_indexes=[("name_folded", "id"), ("owner_id",)],
)

CONTACTS = VersionedTable(
    "customers", "customer_contacts",
    keys=[("customer_id", Uuid()), ("contact_id", Uuid())],
    columns=[("name", String(200)), ("role", String(100)), ("level", String(4)),
             ("attitude", String(16)), ("email", String(200))],
)


def fold(text: str) -> str:
    """Case-insensitive search key (Unicode-aware, unlike SQL lower())."""
    return text.casefold()


class CustomersView(View):
    name = "customers"
    tables = (CUSTOMERS, CONTACTS)

    @on(Customer.Registered)
    def registered(self, tx: ViewTx, e: Customer.Registered) -> None:
        tx[CUSTOMERS].put(e.originator_id, {
            "name": e.name, "name_folded": fold(e.name), "tier": e.tier,
            "industry": e.industry, "region": e.region, "size_grade": e.size_grade,
            "owner_id": e.owner_id, "support_manager_id": e.support_manager_id,
            "stage": "signed", "stage_since": None, "onboarded_on": None, "contacts": 0,
            "created_position": tx.position, "registered_at": tx.recorded_at,
            "stage_by_hand": False,
        })

    @on(Customer.ProfileUpdated)
    def profile_updated(self, tx: ViewTx, e: Customer.ProfileUpdated) -> None:
        changes = {f: getattr(e, f) for f in ("name", "tier", "industry", "region", "size_grade")
                   if getattr(e, f) is not None}
        if "name" in changes:
            changes["name_folded"] = fold(changes["name"])
        tx[CUSTOMERS].update(e.originator_id, **changes)

    @on(Customer.OwnerAssigned)
    def owner_assigned(self, tx: ViewTx, e: Customer.OwnerAssigned) -> None:
        tx[CUSTOMERS].update(e.originator_id, owner_id=e.owner_id)

    @on(Customer.SupportManagerAssigned)
    def support_manager_assigned(self, tx: ViewTx, e: Customer.SupportManagerAssigned) -> None:
        tx[CUSTOMERS].update(e.originator_id, support_manager_id=e.support_manager_id)

    @on(Customer.StageChanged)
    def stage_changed(self, tx: ViewTx, e: Customer.StageChanged) -> None:
        row = tx[CUSTOMERS].require(e.originator_id)
        onboarded = row["onboarded_on"]
        if e.stage == "onboarding" and onboarded is None:
            onboarded = e.effective_on
        tx[CUSTOMERS].update(e.originator_id, stage=e.stage, stage_since=e.effective_on,
                             onboarded_on=onboarded, stage_by_hand=e.actor != LIFECYCLE_ACTOR)

    @on(Customer.ContactAdded)
    def contact_added(self, tx: ViewTx, e: Customer.ContactAdded) -> None:
        row = tx[CUSTOMERS].require(e.originator_id)
        tx[CUSTOMERS].update(e.originator_id, contacts=row["contacts"] + 1)
        tx[CONTACTS].put((e.originator_id, e.contact_id), {
            "name": e.name, "role": e.role, "level": e.level, "attitude": e.attitude,
            "email": e.email,
        })

    @on(Customer.ContactRemoved)
    def contact_removed(self, tx: ViewTx, e: Customer.ContactRemoved) -> None:
        row = tx[CUSTOMERS].require(e.originator_id)
        tx[CUSTOMERS].update(e.originator_id, contacts=row["contacts"] - 1)
        tx[CONTACTS].delete((e.originator_id, e.contact_id))


class Profile(TypedDict):
    id: UUID
    name: str
    tier: Annotated[str, Field(description="strategic | growth | basic")]
    industry: str | None
    region: str | None
    size_grade: str | None
    owner_id: Annotated[UUID | None, Field(description="The owning CSM.")]
    owner_name: str | None
    support_manager_id: UUID | None
    support_manager_name: str | None
    stage: Annotated[str, Field(description="Lifecycle stage: signed, onboarding, growth, "
                                            "mature, renewal, churned, reactivated.")]
    stage_since: date | None
    onboarded_on: date | None
    contacts_count: int
    created_position: Annotated[int, Field(
        description="The log position that registered the customer.")]
    registered_at: Annotated[str, Field(
        description="When the store recorded the registration (UTC).")]


def profile_of(row: Any, names: dict[UUID, str]) -> Profile:
    return {
        "id": row.id, "name": row.name, "tier": row.tier, "industry": row.industry,
        "region": row.region, "size_grade": row.size_grade, "owner_id": row.owner_id,
        "owner_name": names.get(row.owner_id), "support_manager_id": row.support_manager_id,
        "support_manager_name": names.get(row.support_manager_id), "stage": row.stage,
        "stage_since": row.stage_since, "onboarded_on": row.onboarded_on,
        "contacts_count": row.contacts, "created_position": row.created_position,
        "registered_at": row.registered_at,
    }


def customer_profile(r: Reader, customer_id: UUID) -> Profile | None:
    """The profile as the customer 360 and the list show it (with owner names)."""
    stmt = r.prepared("customer_profile", [CUSTOMERS], lambda t: select(t).where(
        t.c.id == bindparam("id"), r.visible_bound(t)))
    row = r.run(stmt, {"id": customer_id}).first()
    if row is None:
        return None
    return profile_of(row, users.names(r, [row.owner_id, row.support_manager_id]))


class Contact(TypedDict):
    id: UUID
    name: str
    role: str
    level: str
    attitude: str | None
    email: str | None


def contacts_of(r: Reader, customer_id: UUID) -> list[Contact]:
    """Key contacts (关键人), level 1 first."""
    stmt = r.prepared("contacts_of", [CONTACTS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
    ).order_by(t.c.level, t.c.name, t.c.contact_id))
    rows = r.run(stmt, {"customer_id": customer_id})
    return [{"id": row.contact_id, "name": row.name, "role": row.role, "level": row.level,
             "attitude": row.attitude, "email": row.email} for row in rows]
