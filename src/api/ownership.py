"""Permission lookups: whose item a request acts on, for the actions held on "own" items.

Each returns a :data:`~api.permissions.ResourceLoader`, called only when the
caller's role holds the action for its own items. An unknown id in the path is a
404 (NotFound); an unknown id in the body (the customer of a new item) is a 422
on that field, like the command itself would answer.
"""

from __future__ import annotations

from uuid import UUID

from api.permissions import Resource, ResourceLoader
from cs_domain.app import CustomerSuccess
from cs_domain.base import LedgerAggregate
from cs_domain.customer import Customer
from cs_domain.risk import Risk
from cs_domain.services.delivery_refs import require_contract
from cs_domain.task import Task


def customer_in_body(app: CustomerSuccess, customer_id: UUID) -> ResourceLoader:
    """A new item for this customer: its owner decides (422 on customer_id if unknown)."""

    def load() -> Resource:
        return Resource("customer", app.require_customer(customer_id).owner_id)

    return load


def contract_in_body(app: CustomerSuccess, contract_id: UUID) -> ResourceLoader:
    """A new item on this contract: the owner of its customer (422 on contract_id if unknown)."""

    def load() -> Resource:
        contract = require_contract(app, contract_id)
        return Resource("contract", app.load(Customer, contract.customer_id).owner_id)

    return load


def customer_at(app: CustomerSuccess, customer_id: UUID) -> ResourceLoader:
    """The customer named in the path (404 if unknown)."""

    def load() -> Resource:
        return Resource("customer", app.load(Customer, customer_id).owner_id)

    return load


def item_customer(app: CustomerSuccess, cls: type[LedgerAggregate], item_id: UUID) -> ResourceLoader:
    """An item of a customer (requirement, plan, ...): the customer's owner (404 if unknown)."""

    def load() -> Resource:
        item = app.load(cls, item_id)
        customer_id: UUID = item.customer_id  # type: ignore[attr-defined]
        return Resource(cls.KIND, app.load(Customer, customer_id).owner_id)

    return load


def risk_owner(app: CustomerSuccess, risk_id: UUID) -> ResourceLoader:
    """The risk's owner (who raised it, or whom its strategy named)."""

    def load() -> Resource:
        return Resource("risk", app.load(Risk, risk_id).owner_id)

    return load


def task_assignee(app: CustomerSuccess, task_id: UUID) -> ResourceLoader:
    """The task's assignee: one updates the tasks assigned to oneself."""

    def load() -> Resource:
        return Resource("task", app.load(Task, task_id).assignee_id)

    return load
