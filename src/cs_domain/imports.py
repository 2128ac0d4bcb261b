"""Spreadsheet imports: the record of each import, and customers' external ids.

An import saves everything it changes in one commit, its :class:`SheetImport`
``Recorded`` event first: the ``events`` events that follow it in the log (positions
``p+1 .. p+events``, one contiguous range because a commit is one transaction under
the store's single writer) are the import's, so an auditor lists what an import did
from this one event. :class:`CustomerKey` makes a customer's external id (客户编号)
unique, as :class:`~cs_domain.contract.ContractNumber` does for contract numbers.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from cs_domain.base import LedgerAggregate, index_id


class SheetImport(LedgerAggregate):
    KIND = "import"

    class Recorded(LedgerAggregate.Created):
        actor: str
        kind: str
        file_name: str
        file_sha256: str
        rows: int
        created: int
        updated: int
        unchanged: int
        events: int

    def __init__(self, actor: str, kind: str, file_name: str, file_sha256: str, rows: int,
                 created: int, updated: int, unchanged: int, events: int):
        self.actor = actor
        self.kind = kind
        self.file_name = file_name
        self.file_sha256 = file_sha256
        self.rows = rows
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.events = events

    @classmethod
    def record(cls, *, actor: str, kind: str, file_name: str, file_sha256: str, rows: int,
               created: int, updated: int, unchanged: int, events: int,
               import_id: UUID | None = None) -> SheetImport:
        return cls._create(cls.Recorded, id=import_id or uuid4(), actor=actor, kind=kind,
                           file_name=file_name[:200], file_sha256=file_sha256, rows=rows,
                           created=created, updated=updated, unchanged=unchanged,
                           events=events)


class CustomerKey(LedgerAggregate):
    """Uniqueness index: one per external customer id, saved with the customer."""

    KIND = "customer key"

    class Claimed(LedgerAggregate.Created):
        actor: str
        external_id: str
        customer_id: UUID

    def __init__(self, actor: str, external_id: str, customer_id: UUID):
        self.external_id = external_id
        self.customer_id = customer_id

    @staticmethod
    def id_for(external_id: str) -> UUID:
        return index_id("customer-external-id", external_id.strip().casefold())

    @classmethod
    def claim(cls, *, actor: str, external_id: str, customer_id: UUID) -> CustomerKey:
        return cls._create(cls.Claimed, id=cls.id_for(external_id), actor=actor,
                           external_id=external_id.strip(), customer_id=customer_id)
