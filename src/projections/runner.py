"""The projector: applies the event log to views, exactly once, in batches.

Each batch of the log is read and decoded once, then applied to each view in its own
transaction that also moves that view's tracking row: a batch is applied entirely or
not at all, and a position is never applied twice (the tracking row is read under a
lock at the start of the transaction). An event a view's handler cannot handle is
*parked* for that view (:mod:`projections.parking`): recorded with its error in the same
transaction that moves the view's position past it, and the view goes on with the rest
of the log. A store error that may pass (`TRANSIENT`) parks nothing: the step raises and
is retried from the same position.

Following: poll the log every `poll_interval`, woken early in-process by the
application's commit listener and, on PostgreSQL, by LISTEN/NOTIFY.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, exc

from cs_domain.app import CustomerSuccess
from projections import parking, state
from projections.db import ReadModels
from projections.generations import prepare
from projections.listen import PgListener
from projections.log import Batch, Envelope, LogReader
from projections.view import View, ViewTx
from projections.writer import KeyFilter, TableWriter

log = logging.getLogger(__name__)

# Errors worth retrying later (lock timeouts, lost connections), not a projector bug.
TRANSIENT: tuple[type[BaseException], ...] = (exc.OperationalError, exc.InterfaceError)
Progress = Callable[[int, int], None]


@dataclass
class Slot:
    """A view as one projector drives it: its target generation, position and caches."""

    view: View
    generation: int
    position: int
    pinned: bool  # a rebuild target: never follows the live pointer
    complete: bool  # the tables hold only what this slot wrote (no DB lookups needed)
    defer: bool = False  # a rebuild load: current versions held in memory (see TableWriter)
    failed: bool = False
    error: str | None = None
    caches: dict[str, dict[Any, Any]] = field(default_factory=dict)
    evicted: dict[str, KeyFilter] = field(default_factory=dict)  # see TableWriter.evict

    def reset(self, complete: bool = False) -> None:
        self.complete = complete
        self.caches = {spec.name: {} for spec in self.view.tables}
        self.evicted = {}


def describe(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


class Projector:
    """Drives a set of views over one application's log (see the module docstring)."""

    def __init__(
        self, app: CustomerSuccess, models: ReadModels, views: Sequence[View] | None = None, *,
        batch_size: int = 1000, targets: dict[str, int] | None = None,
        max_cache: int = 200_000, load_cache: int = 100_000,
    ):
        if views is None:
            from projections.registry import VIEWS

            views = VIEWS
        self.app = app
        self.models = models
        self.views = list(views)
        self.batch_size = batch_size
        self.max_cache = max_cache
        self.load_cache = load_cache  # a rebuild load's current rows in memory, all tables
        self.log = LogReader(app, self._wanted)
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if targets is None:
            prepare(models, self.views)
        self.slots = self._load_slots(targets)

    # --- set-up ------------------------------------------------------------------
    def _wanted(self, cls: type) -> bool:
        return any(v.handles(cls) for v in self.views)

    def _load_slots(self, targets: dict[str, int] | None) -> dict[str, Slot]:
        slots = {}
        with self.models.read() as conn:
            live = state.live_states(conn)
            for view in self.views:
                if targets is not None:
                    gen = targets[view.name]
                    st = state.generation_state(conn, view.name, gen)
                else:
                    st = live[view.name]
                if st is None:
                    raise LookupError(f"view {view.name} has no generation {targets}")
                slot = Slot(view, st.generation, st.position, targets is not None,
                            complete=st.position == 0)
                slot.reset(complete=st.position == 0)
                slot.defer = slot.pinned and slot.complete
                slots[view.name] = slot
        return slots

    # --- one step ----------------------------------------------------------------
    def step(self, upto: int | None = None) -> bool:
        """Reads one batch after the lowest position and applies it; False when idle."""
        active = [s for s in self.slots.values() if not s.failed]
        if not active:
            return False
        after = min(s.position for s in active)
        if upto is not None and after >= upto:
            return False
        batch = self.log.read(after, self.batch_size, upto)
        if batch.last <= after:
            return False
        for slot in active:
            if slot.position < batch.last:
                self._apply(slot, batch)
        return True

    def catch_up(self, progress: Progress | None = None, upto: int | None = None) -> int:
        """Applies everything up to the head (or `upto`); returns the lowest position."""
        head = upto if upto is not None else self.log.head()
        while True:
            progressed = self.step(upto)
            position = self.position()
            if position > head:
                head = position
            if progress is not None:
                progress(position, head)
            if not progressed:
                return position

    def _apply(self, slot: Slot, batch: Batch) -> None:
        handled = slot.view.event_classes  # a dict's keys: one lookup an event
        todo = [e for e in batch.envelopes if e.cls in handled]
        try:
            self._apply_txn(slot, batch.after, batch.last, todo)
        except TRANSIENT:
            raise
        except Exception:
            # Something in the batch failed: find the event, keep everything before it.
            self._isolate(slot, batch, todo)

    def _apply_txn(self, slot: Slot, after: int, last: int, todo: Iterable[Envelope]) -> None:
        with self.models.write() as conn:
            self._sync(conn, slot)
            if slot.position >= last or slot.position < after:
                return  # already applied elsewhere, or a gap this batch cannot fill
            writers = self._writers(conn, slot)
            tx = ViewTx(writers)
            for env in todo:
                if env.position <= slot.position:
                    continue
                tx.at(env.position, env.recorded_at)
                if env.error is not None:
                    raise env.error
                slot.view.apply(tx, env.event)
            for w in writers.values():
                w.flush(conn)
            state.advance(conn, slot.view.name, slot.generation, last,
                          state.BUILDING if slot.pinned else state.OK)
        for w in writers.values():
            w.commit_cache()
        self._trim(slot)
        self._publish(slot, last)

    def _writers(self, conn: Connection, slot: Slot) -> dict[str, TableWriter]:
        writers = {}
        for spec in slot.view.tables:
            w = TableWriter(spec, slot.generation, slot.caches[spec.name],
                            complete=slot.complete, defer=slot.defer,
                            evicted=slot.evicted.get(spec.name))
            w.bind(conn)
            writers[spec.name] = w
        return writers

    def _sync(self, conn: Connection, slot: Slot) -> None:
        """Locks the view's pointer and re-reads its position; another writer resets caches."""
        name = slot.view.name
        gen = slot.generation if slot.pinned else state.lock_pointer(conn, name)
        st = state.generation_state(conn, name, gen) if gen is not None else None
        if st is None:
            raise LookupError(f"view {name} generation {gen} is missing")
        if st.generation != slot.generation or st.position != slot.position:
            log.info("view %s moved elsewhere (gen %s pos %s); resyncing", name, gen, st.position)
            slot.generation, slot.position = st.generation, st.position
            slot.reset()

    def _isolate(self, slot: Slot, batch: Batch, todo: list[Envelope]) -> None:
        for env in todo:
            if env.position <= slot.position:
                continue
            try:
                self._apply_txn(slot, slot.position, env.position, [env])
            except TRANSIENT:
                raise
            except Exception as error:
                self._park(slot, env, error)
        self._apply_txn(slot, slot.position, batch.last, [])

    def _park(self, slot: Slot, env: Envelope, error: BaseException) -> None:
        """Sets the event aside for this view and moves the view past it, atomically."""
        text = describe(error)
        log.error("view %s parked the event at position %s: %s", slot.view.name, env.position,
                  text)
        with self.models.write() as conn:
            self._sync(conn, slot)
            if slot.position >= env.position:
                return  # another projector got past it meanwhile
            parking.park(conn, slot.view.name, slot.generation, env.position,
                         **event_identity(env), error=text)
            state.advance(conn, slot.view.name, slot.generation, env.position,
                          state.BUILDING if slot.pinned else state.OK)
        self._publish(slot, env.position)

    def flush_deferred(self) -> None:
        """Ends a rebuild load: writes the held-back current versions, then writes normally."""
        for slot in self.slots.values():
            if not slot.defer:
                continue
            with self.models.write() as conn:
                for w in self._writers(conn, slot).values():
                    w.flush_deferred(conn)
            slot.defer = False

    def _trim(self, slot: Slot) -> None:
        if slot.defer:
            self._trim_load()
            return
        for name, cache in slot.caches.items():
            if len(cache) > self.max_cache:
                slot.caches[name] = {}
                slot.complete = False

    def _trim_load(self) -> None:
        """Bounds a rebuild load's memory: at most `load_cache` current rows in all.

        Held-back versions exist only in the caches, so past the budget the biggest
        tables are cut down to one level (their least recently used rows written out and
        dropped): a small table keeps all its rows, one that only grows (a row per weekly
        report) is evicted as it goes. Memory stays flat however long the log.
        """
        tables = [(slot, spec) for slot in self.slots.values() if slot.defer
                  for spec in slot.view.tables]
        sizes = [len(slot.caches[spec.name]) for slot, spec in tables]
        if sum(sizes) <= self.load_cache:
            return
        cap = water_level(sizes, self.load_cache * 3 // 4)
        with self.models.write() as conn:
            for (slot, spec), size in zip(tables, sizes, strict=True):
                if size > cap:
                    evicted = slot.evicted.setdefault(spec.name, KeyFilter())
                    TableWriter(spec, slot.generation, slot.caches[spec.name], complete=True,
                                defer=True, evicted=evicted).evict(conn, cap)

    # --- positions and read-your-writes ------------------------------------------
    def _publish(self, slot: Slot, position: int) -> None:
        with self._cond:
            slot.position = position
            self._cond.notify_all()

    def position(self, views: Iterable[str] | None = None) -> int:
        names = list(views) if views is not None else list(self.slots)
        with self._cond:
            return min((self.slots[n].position for n in names), default=0)

    def failures(self) -> dict[str, str]:
        return {n: s.error or "failed" for n, s in self.slots.items() if s.failed}

    def wait_for(self, position: int, views: Iterable[str] | None = None,
                 timeout: float = 5.0) -> bool:
        """Blocks until the views have applied `position`; False on timeout or failure."""
        names = list(views) if views is not None else list(self.slots)
        unknown = [n for n in names if n not in self.slots]
        if unknown:
            raise KeyError(f"unknown views: {', '.join(unknown)}")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                slots = [self.slots[n] for n in names]
                if all(s.position >= position for s in slots):
                    return True
                if any(s.failed and s.position < position for s in slots):
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)

    # --- following -----------------------------------------------------------------
    def wake(self, _position: int | None = None) -> None:
        self._wake.set()

    def follow(self, poll_interval: float = 0.5, stop: threading.Event | None = None,
               listen: bool = True) -> None:
        """Catches up and keeps following until `stop` (or :meth:`stop`) is set."""
        stop = stop or self._stop
        listener = None
        if listen and not self.models.is_sqlite:
            channel = getattr(self.log.recorder, "channel_name", None)
            if channel:
                listener = PgListener(self.models.url, channel, self._wake).start()
        self.app.add_listener(self.wake)
        backoff = poll_interval
        try:
            while not stop.is_set() and not self._stop.is_set():
                self._wake.clear()
                try:
                    if self.step():
                        backoff = poll_interval
                        continue
                except Exception:  # a store hiccup or a swap in progress: never die silently
                    log.warning("projector step failed; retrying in %.1fs", backoff, exc_info=True)
                    self._wake.wait(backoff)
                    backoff = min(backoff * 2, 30.0)
                    continue
                self._wake.wait(poll_interval)
        finally:
            self.app.remove_listener(self.wake)
            if listener is not None:
                listener.stop()

    def start(self, poll_interval: float = 0.5) -> Projector:
        """Follows in a daemon thread (for serving the API in the same process)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.follow, args=(poll_interval,),
                                        name="projector", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def event_identity(env: Envelope) -> dict[str, Any]:
    """What a parked row says of the event: its id, version and topic."""
    event = env.event
    return {"event_id": None if event is None else str(event.originator_id),
            "event_version": None if event is None else event.originator_version,
            "topic": f"{env.cls.__module__}:{env.cls.__qualname__}"}


def water_level(sizes: Sequence[int], budget: int) -> int:
    """The largest cap C with sum(min(size, C)) <= budget (0 when even 1 is too much)."""
    remaining, left = budget, len(sizes)
    for size in sorted(sizes):
        if size * left > remaining:
            return max(0, remaining // left)
        remaining -= size
        left -= 1
    return max(sizes, default=0)


def wait_polling(models: ReadModels, position: int, views: Iterable[str] | None = None,
                 timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Read-your-writes for a process that runs no projector: polls the tracking rows.

    Prefer :meth:`Projector.wait_for` (woken in-process) where a projector runs.
    """
    names = list(views) if views is not None else None
    deadline = time.monotonic() + timeout
    while True:
        with models.read() as conn:
            states = state.live_states(conn, names)
        if states and all(st.position >= position for st in states.values()):
            return True
        if any(st.status == state.FAILED and st.position < position for st in states.values()):
            return False
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
