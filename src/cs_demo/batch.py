"""Batched saving: many aggregates' pending events in one transaction.

One transaction per command would make a million events take an hour; saving a
few thousand events at a time keeps each commit atomic and the load fast. The
aggregates have already validated every change (they went through their public
methods), so a batch only stores what the rules allowed.
"""

from __future__ import annotations

from cs_domain.app import CustomerSuccess
from cs_domain.base import LedgerAggregate

DEFAULT_BATCH_EVENTS = 2000


class BatchWriter:
    def __init__(self, app: CustomerSuccess, batch_events: int = DEFAULT_BATCH_EVENTS):
        self.app = app
        self.batch_events = batch_events
        self.pending: list[LedgerAggregate] = []
        self.pending_events = 0
        self.written = 0

    def add(self, aggregates: list[LedgerAggregate]) -> bool:
        """Queues the aggregates; saves when the batch is full. True when it saved."""
        self.pending.extend(aggregates)
        self.pending_events += sum(len(a.pending_events) for a in aggregates)
        if self.pending_events >= self.batch_events:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        if not self.pending:
            return
        self.app.commit(*self.pending)
        self.written += self.pending_events
        self.pending = []
        self.pending_events = 0
