"""The unit of work of one import: aggregates loaded once, changed in memory, saved once.

Rows act on aggregates through their public methods (the rules validate exactly as
for a single command); nothing reaches the store until :meth:`Batch.aggregates` is
committed, and only when every row was valid. Also here: the users an owner cell may
name (by name or id) and the lookup of customers by external id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.utils import get_topic

from api.sheets.bulk import load_many
from cs_domain.app import CustomerSuccess
from cs_domain.base import LedgerAggregate
from cs_domain.customer import Customer
from cs_domain.errors import NotFound
from cs_domain.imports import CustomerKey
from cs_domain.services.users import OWNER_ROLES
from cs_domain.user import User

A = TypeVar("A", bound=LedgerAggregate)
USER_PAGE = 1000


class RowError(ValueError):
    """A row refused, naming its column (the English column name)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class Users:
    """The store's users by id and by name (read from their creation events)."""

    def __init__(self, app: CustomerSuccess):
        self.by_id: dict[str, User] = {}
        self.by_name: dict[str, list[User]] = {}
        topic = get_topic(User.Created)
        start = 1
        while True:
            page = app.recorder.select_notifications(start, USER_PAGE, topics=[topic])
            for notification in page:
                user = app.load(User, UUID(str(notification.originator_id)))
                self.by_id[str(user.id)] = user
                self.by_name.setdefault(user.name.strip().casefold(), []).append(user)
            if len(page) < USER_PAGE:
                break
            start = page[-1].id + 1

    def owner(self, cell: str, column: str = "owner") -> UUID:
        """The active user with an owner role that `cell` names (by id or by name)."""
        return self.user(cell, column, OWNER_ROLES)

    def user(self, cell: str, column: str, roles: set[str] | None = None) -> UUID:
        """The active user `cell` names (by id or by name), holding one of `roles`."""
        found = self.by_id.get(cell.strip().lower())
        candidates = [found] if found else self.by_name.get(cell.strip().casefold(), [])
        if not candidates:
            raise RowError(column, f"no user is named {cell!r}")
        if len(candidates) > 1:
            raise RowError(column, f"several users are named {cell!r}: give the id")
        user = candidates[0]
        if not user.active:
            raise RowError(column, f"user {cell!r} is deactivated")
        if roles is not None and user.role not in roles:
            raise RowError(column, f"user {cell!r} has role {user.role}, expected one of: "
                                   f"{', '.join(sorted(roles))}")
        return user.id


class Batch:
    def __init__(self, app: CustomerSuccess, actor: str):
        self.app = app
        self.actor = actor
        self._known: dict[UUID, Any] = {}
        self._touched: dict[UUID, LedgerAggregate] = {}
        self._users: Users | None = None

    @property
    def users(self) -> Users:
        if self._users is None:
            self._users = Users(self.app)
        return self._users

    def find(self, cls: type[A], item_id: UUID) -> A | None:
        """The aggregate as this import has it (loaded once), None when it does not exist."""
        if item_id not in self._known:
            try:
                self._known[item_id] = self.app.load(cls, item_id)
            except NotFound:
                self._known[item_id] = None
        item = self._known[item_id]
        return item if isinstance(item, cls) else None

    def prefetch(self, ids: Iterable[UUID]) -> None:
        """Loads these aggregates (those not known yet) in a few queries (api.sheets.bulk)."""
        wanted = [i for i in ids if i not in self._known]
        found = load_many(self.app, wanted)
        for item_id in wanted:
            self._known[item_id] = found.get(item_id)

    def add(self, *items: LedgerAggregate) -> None:
        """New or changed aggregates to save (each once, in the order first added)."""
        for item in items:
            self._known[item.id] = item
            self._touched.setdefault(item.id, item)

    def known_customer(self, external_id: str) -> UUID | None:
        """The customer with this external id, or (as exports name them) this store id."""
        key = self.find(CustomerKey, CustomerKey.id_for(external_id))
        if key is not None:
            return key.customer_id
        try:
            as_id = UUID(external_id)
        except ValueError:
            return None
        return as_id if self.find(Customer, as_id) is not None else None

    def customer_id(self, external_id: str, column: str = "customer") -> UUID:
        found = self.known_customer(external_id)
        if found is None:
            raise RowError(column, f"no customer has the external id {external_id!r} "
                                   "(import the customers first)")
        return found

    def customer(self, customer_id: UUID) -> Customer:
        customer = self.find(Customer, customer_id)
        if customer is None:
            raise RowError("customer", f"customer {customer_id} does not exist")
        return customer

    def aggregates(self) -> list[LedgerAggregate]:
        return [a for a in self._touched.values() if a.pending_events]

    def pending_events(self) -> int:
        return sum(len(a.pending_events) for a in self._touched.values())
