"""The base of the application service: loading, saving, results, listeners.

Command mixins in :mod:`cs_domain.services` build on this; :mod:`cs_domain.app`
assembles them into :class:`~cs_domain.app.CustomerSuccess`.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording
from eventsourcing.utils import Environment

from cs_domain.base import DateAsISO, LedgerAggregate
from cs_domain.bounds import bound_commands
from cs_domain.errors import ConcurrencyConflict, NotFound, StaleVersion
from cs_domain.sealed import SealedSnapshot, seal_of

A = TypeVar("A", bound=LedgerAggregate)

SYSTEM_ACTOR = "system"
KNOWN_TO_EXIST_MAX = 100_000
log = logging.getLogger(__name__)


def project_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Applies events to an aggregate (None before the first): the library's
    `project_aggregate` without its per-event runtime Protocol isinstance check, which
    cost ~70 µs an event on Python 3.11 — a third of loading an aggregate (measured in
    docs/performance.md). Every event of ours is an eventsourcing aggregate event."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class _CollectedEvents(ProcessingEvent[UUID]):
    """Collects pending events as the library does, with a plain class check first:
    its two runtime Protocol checks cost ~60 µs an aggregate on Python 3.11."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, LedgerAggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            else:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


@dataclass(frozen=True)
class WriteMark:
    """A caller's tag for the events of one command (e.g. an HTTP Idempotency-Key), recorded
    by the store in the same transaction as those events (`write_marks`), with the first
    committed item's id and version and the last position: after a crash, the caller can
    tell from the log alone whether the command was committed, and what it answered."""

    scope: str
    key: str
    fingerprint: str
    claim: str
    status: int = 200

    def record(self, item: Any, position: int | None = None) -> str:
        return json.dumps({"fingerprint": self.fingerprint, "claim": self.claim,
                           "status": self.status, "id": str(item.id),
                           "version": item.version, "position": position})


_write_mark: ContextVar[WriteMark | None] = ContextVar("write_mark", default=None)


@dataclass(frozen=True)
class Requirement:
    """An aggregate a commit refers to, which must exist with a first event whose topic
    `accepts` when the commit's events are stored. The store checks it inside the
    transaction that stores them (under its write lock, after the insert), so it costs
    no read of its own (on PostgreSQL, no round trip) and holds at the moment of the
    write; when it does not hold, the store raises `failure` and writes nothing."""

    originator_id: UUID
    accepts: Callable[[str], bool]
    failure: Exception

    def check(self, first_topic: str | None) -> None:
        if first_topic is None or not self.accepts(first_topic):
            raise self.failure


@dataclass(frozen=True)
class CommandResult:
    """What every command returns: the item, its new version, the log position."""

    id: UUID
    version: int
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


class LedgerApplication(Application[UUID]):
    name = "cs"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        bound_commands(cls)  # every command's arguments within the documented bounds
        # Snapshots replay with project_events too (the library would use project_aggregate).
        cls.snapshotting_projectors = {a: project_events for a in cls.snapshotting_intervals}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._listeners: list[Callable[[int], None]] = []
        self._listeners_lock = threading.Lock()
        self.snapshots_rejected = 0  # loads that found a snapshot not matching its seal
        # Ids known to exist: an aggregate's events are never removed, so once seen an id
        # exists for good (only positive answers are kept; bounded, cleared when full).
        self._known_to_exist: set[UUID] = set()

    def construct_env(self, name: str, env: Any = None) -> Environment:
        # Configuration comes only from the explicit env: never from os.environ.
        values = dict(type(self).env)
        if type(self).snapshotting_intervals:
            values["IS_SNAPSHOTTING_ENABLED"] = "y"
        values.update(env or {})
        return Environment(name, values)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # --- loading and saving ----------------------------------------------------
    def load(self, cls: type[A], item_id: UUID, expected_version: int | None = None) -> A:
        try:
            if cls in self.snapshotting_intervals:
                item: Any = self.load_verified(item_id)
            else:
                # A kind that is never snapshotted: skip the repository's snapshot lookup
                # (one query less per load; the events alone are always complete).
                item = project_events(None, self.repository.event_store.get(item_id))
                if item is None:
                    raise AggregateNotFoundError(item_id)
        except AggregateNotFoundError:
            raise NotFound(cls.KIND, item_id) from None
        if not isinstance(item, cls):
            raise NotFound(cls.KIND, item_id)
        if expected_version is not None and item.version != expected_version:
            raise StaleVersion(expected_version, item.version)
        return item

    # --- snapshots: sealed when taken, checked when loaded (cs_domain.sealed) -----
    def load_verified(self, item_id: UUID, version: int | None = None) -> Any:
        """The aggregate (at `version`), through its latest snapshot only if the seal holds."""
        if version is None:
            item = self._load_latest_at_once(item_id)
            if item is not None:
                return item
        snapshot = self._verified_snapshot(item_id, version)
        after = None if snapshot is None else snapshot.originator_version
        events = self.repository.event_store.get(item_id, gt=after, lte=version)
        item = project_events(None, chain([] if snapshot is None else [snapshot], events))
        if item is None:
            raise AggregateNotFoundError(item_id)
        return item

    def _load_latest_at_once(self, item_id: UUID) -> Any:
        """The latest aggregate from one read of the store (snapshot, its link, the events
        after it) when the recorder offers it and the snapshot is absent or its seal holds;
        None otherwise (the caller then takes the step-by-step path, which also reports a
        snapshot that fails its seal)."""
        select = getattr(self.recorder, "select_with_snapshot", None)
        if select is None or self.snapshots is None:
            return None
        table = getattr(self.snapshots.recorder, "events_table_name", None)
        if table is None:
            return None
        stored_snapshot, link, stored_events = select(item_id, table)
        snapshot = None
        if stored_snapshot is not None:
            snapshot = self.mapper.to_domain_event(stored_snapshot)
            seal = getattr(snapshot, "seal", "")
            if not seal or link is None or seal != seal_of(
                    link, snapshot, self.mapper.transcoder.encode):
                return None
        to_domain_event = self.mapper.to_domain_event
        item = project_events(None, chain([] if snapshot is None else [snapshot],
                                          (to_domain_event(e) for e in stored_events)))
        if item is None:
            raise AggregateNotFoundError(item_id)
        return item

    def _verified_snapshot(self, item_id: UUID, version: int | None) -> Any:
        if self.snapshots is None:
            return None
        found = next(iter(self.snapshots.get(item_id, lte=version, desc=True, limit=1)), None)
        if found is None:
            return None
        seal = getattr(found, "seal", "")
        if seal and seal == self._seal(found):
            return found
        if seal:  # sealed, and no longer what was sealed: reported; unsealed is only old
            with self._listeners_lock:
                self.snapshots_rejected += 1
            log.warning("snapshot of %s at version %s does not match its seal: ignored, "
                        "replaying from events", item_id, found.originator_version)
        return None

    def _seal(self, snapshot: Any) -> str | None:
        link = getattr(self.recorder, "link_hash_at", None)
        found = link(snapshot.originator_id, snapshot.originator_version) if link else None
        return None if found is None else seal_of(found, snapshot, self.mapper.transcoder.encode)

    def take_snapshot(self, aggregate_id: UUID, version: int | None = None,
                      projector_func: Any = project_events) -> None:
        """The library's, loading through verified snapshots only and sealing the new one."""
        if self.snapshots is None:
            raise AssertionError("snapshotting is not enabled")
        snapshot = SealedSnapshot.take(self.load_verified(aggregate_id, version))
        seal = self._seal(snapshot)
        if seal is None:
            return  # its event has no chain link (cannot happen with our recorders)
        object.__setattr__(snapshot, "seal", seal)
        self.snapshots.put([snapshot])

    def exists(self, item_id: UUID) -> bool:
        if item_id in self._known_to_exist:
            return True
        # One row is enough: every aggregate starts with an event (loading it all is not).
        if not self.recorder.select_events(item_id, limit=1):
            return False
        self._remember_existing(item_id)
        return True

    def _remember_existing(self, item_id: UUID) -> None:
        if len(self._known_to_exist) >= KNOWN_TO_EXIST_MAX:
            self._known_to_exist.clear()
        self._known_to_exist.add(item_id)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's `Application.save`, collecting events with `_CollectedEvents`."""
        processing_event = _CollectedEvents()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, as it calls it
        return recordings

    @contextmanager
    def marked(self, mark: WriteMark) -> Iterator[None]:
        """Commits in this block record `mark` in their transaction (see WriteMark)."""
        token = _write_mark.set(mark)
        try:
            yield
        finally:
            _write_mark.reset(token)

    def commit(self, *items: LedgerAggregate, requires: tuple[Requirement, ...] = ()) -> int:
        """Saves all pending events of the items atomically; returns the last position.

        `requires`: aggregates the items refer to, checked by the store in the same
        transaction (see Requirement); a failed one raises its `failure`, nothing written.
        """
        mark = _write_mark.get()
        extra: dict[str, Any] = {} if mark is None or not items else {
            "write_mark": (mark, items[0])}
        if requires and getattr(self.recorder, "checks_requirements", False):
            extra["requires"] = requires
        else:  # a store that cannot (the in-memory one of the domain tests): read first
            self._check_now(requires)
            requires = ()
        try:
            recordings = self.save(*items, **extra)
        except IntegrityError as error:
            raise ConcurrencyConflict(
                "another write changed this item first; reload and retry"
            ) from error
        if not recordings:
            self._check_now(requires)  # nothing was stored, so the store checked nothing
            return self.max_position()
        position = max(r.notification.id for r in recordings)
        self._announce(position)
        return position

    def _check_now(self, requires: tuple[Requirement, ...]) -> None:
        for requirement in requires:
            first = self.recorder.select_events(requirement.originator_id, limit=1)
            requirement.check(first[0].topic if first else None)

    def result(self, item: LedgerAggregate, position: int, **extra: Any) -> CommandResult:
        return CommandResult(item.id, item.version, position, extra)

    def max_position(self) -> int:
        return int(self.recorder.max_notification_id() or 0)

    # --- in-process listeners (projectors, read-your-writes waits) -------------
    def add_listener(self, listener: Callable[[int], None]) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[int], None]) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _announce(self, position: int) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(position)
