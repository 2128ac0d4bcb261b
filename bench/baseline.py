"""The bare-library baselines: what `eventsourcing` itself does on the same store.

- Append: a plain `Application` with a trivial aggregate and the library's own recorder
  (no hash chain, no domain rules, no loads), one save per command, each event carrying a
  payload as large as the event our command wrote, into the same events table (so the
  same size of table and indexes: inserting into a 1M-row index costs more than into an
  empty one). Its events stay in the log; no view handles them.
- Read + decode: a bare scan of the whole log, `select_notifications` pages and
  `mapper.to_domain_event` on every event (what any projection must at least pay).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from cs_store.wiring import event_store_env

SCAN_PAGE = 5000


class Note(Aggregate):
    """A trivial aggregate: one event holding an opaque payload."""

    @event("Written")
    def __init__(self, actor: str, payload: str):
        self.actor = actor
        self.payload = payload


class BareApplication(Application[UUID]):
    """No domain logic: saves what it is given (to the project application's table)."""

    name = CustomerSuccess.name

    def construct_env(self, name: str, env: Any = None) -> Any:
        # Only the explicit env (never os.environ), as the project's application does.
        from eventsourcing.utils import Environment

        return Environment(name, dict(env or {}))


def bare_env(settings: Settings) -> dict[str, str]:
    """The same store and events table as the project's application (SQLite: the same
    file; PostgreSQL: the same schema and application name), with the library's own
    recorder and no snapshots."""
    env = event_store_env(settings)
    env.pop("APPLICATION_RECORDER_TOPIC", None)
    return env


def bare_saver(app: BareApplication) -> Callable[[int], int]:
    """A function saving one new Note whose stored state is about `size` bytes; its position."""
    empty = Note(actor="bench", payload="")
    overhead = len(app.mapper.to_stored_event(empty.collect_events()[0]).state)

    def save(size: int) -> int:
        note = Note(actor="bench", payload="x" * max(0, size - overhead))
        recordings = app.save(note)
        return recordings[-1].notification.id

    return save


def scan_and_decode(app: CustomerSuccess, progress: Callable[[int, int], None] | None = None
                    ) -> tuple[int, float]:
    """Reads and decodes every event of the log; (events, seconds)."""
    recorder = app.recorder
    mapper = app.mapper
    head = app.max_position()
    started = time.perf_counter()
    after, count = 0, 0
    while True:
        page = recorder.select_notifications(after, SCAN_PAGE, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            mapper.to_domain_event(notification)
        count += len(page)
        after = page[-1].id
        if progress is not None:
            progress(after, head)
    return count, time.perf_counter() - started
