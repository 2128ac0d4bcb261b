"""Running the automation inside a process (`cs-ledger serve`, `cs-ledger tick --follow`).

One daemon thread does both jobs, so they never race each other in-process: it follows the
log (woken by in-process commits, PostgreSQL NOTIFY, or the poll interval) and runs the
process manager after the views, and every `tick_interval` seconds it ticks with the clock.
Other processes may do the same at the same time: every command is idempotent.

    runtime = start_ticker(app, models, tick_interval=60)   # processes: cs_runtime.bootstrap
    ...
    runtime.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from automation.process import ProcessManager, ViewSync, follow_once
from automation.tick import TickReport, tick
from cs_domain.app import CustomerSuccess
from projections.db import ReadModels
from projections.listen import PgListener
from projections.runner import Projector

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class AutomationRuntime:
    def __init__(self, app: CustomerSuccess, models: ReadModels, *,
                 projector: Projector | None = None, sync: ViewSync | None = None,
                 tick_interval: float = 60.0, poll_interval: float = 0.5,
                 clock: Clock = utc_now, listen: bool = True):
        self.app = app
        self.models = models
        self.sync = sync if sync is not None else ViewSync(app, models, projector)
        self.pm = ProcessManager(app, models)
        self.tick_interval = tick_interval
        self.poll_interval = poll_interval
        self.clock = clock
        self.listen = listen
        self.last_tick: TickReport | None = None
        self.ticks = 0
        self._next_tick = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_close: list[Callable[[], None]] = []

    def wake(self, _position: int | None = None) -> None:
        self._wake.set()

    def step(self) -> None:
        """One round: catch up (views, process manager), then tick if it is time."""
        if time.monotonic() >= self._next_tick:
            self.last_tick = tick(self.app, self.models, self.clock(), sync=self.sync, pm=self.pm)
            self.ticks += 1
            self._next_tick = time.monotonic() + self.tick_interval
            for name, error in self.last_tick.failures.items():
                log.error("automation: %s failed: %s", name, error)
        else:
            follow_once(self.sync, self.pm)

    def run(self, stop: threading.Event | None = None) -> None:
        """Follows until stopped (in the calling thread)."""
        stop = stop or self._stop
        listener = None
        if self.listen and not self.models.is_sqlite:
            channel = getattr(self.app.recorder, "channel_name", None)
            if channel:
                listener = PgListener(self.models.url, channel, self._wake).start()
        self.app.add_listener(self.wake)
        backoff = self.poll_interval
        try:
            while not stop.is_set() and not self._stop.is_set():
                self._wake.clear()
                try:
                    self.step()
                    backoff = self.poll_interval
                except Exception:  # a store hiccup: never die silently, retry with back-off
                    log.warning("automation step failed; retrying in %.1fs", backoff,
                                exc_info=True)
                    backoff = min(backoff * 2, 30.0)
                until_tick = max(0.0, self._next_tick - time.monotonic())
                self._wake.wait(min(backoff, until_tick))
        finally:
            self.app.remove_listener(self.wake)
            if listener is not None:
                listener.stop()

    def start(self) -> AutomationRuntime:
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="automation", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for close in reversed(self._on_close):
            close()
        self._on_close = []


def start_ticker(app: CustomerSuccess, models: ReadModels, *, tick_interval: float = 60.0,
                 projector: Projector | None = None, poll_interval: float = 0.5,
                 clock: Clock = utc_now) -> AutomationRuntime:
    """Starts the automation on this application and read models (the caller owns them)."""
    return AutomationRuntime(app, models, projector=projector, tick_interval=tick_interval,
                             poll_interval=poll_interval, clock=clock).start()
