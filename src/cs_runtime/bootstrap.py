"""`open_runtime(settings, ...)`: the one place that builds what a process runs.

A :class:`Runtime` holds the application service, the read models, and (when asked) one
projector and one automation. Entry points choose the parts and whether they run in
background threads (`start=True`, the API) or in the caller's thread (the CLI):

    with open_runtime(settings, projectors=True, automation=True, start=True) as rt:
        ...   # `cs-ledger serve`: one application, one projector set, one automation

How the automation gets its views up to date (see :class:`automation.process.ViewSync`):
with a projector in the same runtime it waits for that one; with `external_views` it polls
the views another process (`cs-ledger project --follow`) writes; otherwise it drives a
projector of its own (safe beside others: each view applies a position exactly once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from automation.process import ViewSync
from automation.runtime import AutomationRuntime, utc_now
from cs_domain.app import CustomerSuccess
from cs_runtime.external import ExternalViewSync
from cs_store.factory import build_application, open_readonly
from cs_store.first_start import ensure_default_playbooks
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.parking import parked_count
from projections.runner import Projector
from projections.view import View

Clock = Callable[[], datetime]
# A readiness check answers None when fine, else the reason (shown by GET /readyz).
ReadinessCheck = Callable[["Runtime"], str | None]


class Runtime:
    """The parts of one process; `close()` stops and releases them in reverse order."""

    def __init__(self, settings: Settings, app: CustomerSuccess, models: ReadModels):
        self.settings = settings
        self.app = app
        self.models = models
        self.projector: Projector | None = None
        self.automation: AutomationRuntime | None = None
        self.started = False
        # Extra checks of GET /readyz (each returns None or a reason): nothing parked.
        self.readiness_checks: list[ReadinessCheck] = [_nothing_parked]
        # The number of parked events (gauge cs_ledger_parked_events).
        self.parked_count: Callable[[Runtime], int] | None = _parked

    def add_projector(self, views: Sequence[View] | None = None, *,
                      batch_size: int = 1000) -> Projector:
        self.projector = Projector(self.app, self.models, views, batch_size=batch_size)
        return self.projector

    def add_automation(self, *, tick_interval: float = 60.0, external_views: bool = False,
                       clock: Clock = utc_now) -> AutomationRuntime:
        sync: ViewSync
        if self.projector is not None:
            sync = ViewSync(self.app, self.models, self.projector)
        elif external_views:
            sync = ExternalViewSync(self.app, self.models,
                                    poll_interval=self.settings.poll_interval)
        else:
            sync = ViewSync(self.app, self.models)
        self.automation = AutomationRuntime(
            self.app, self.models, sync=sync, tick_interval=tick_interval,
            poll_interval=self.settings.poll_interval, clock=clock)
        return self.automation

    def start(self) -> Runtime:
        """Runs the projector and the automation in daemon threads."""
        if self.projector is not None:
            self.projector.start(self.settings.poll_interval)
        if self.automation is not None:
            self.automation.start()
        self.started = True
        return self

    def close(self) -> None:
        if self.automation is not None:
            self.automation.stop()
        if self.projector is not None:
            self.projector.stop()
        self.models.dispose()
        self.app.close()


@contextmanager
def open_application(settings: Settings, *, readonly: bool = False) -> Iterator[CustomerSuccess]:
    """The application service alone (`cs-ledger demo`, `users`, `audit`); `readonly`
    creates nothing and raises StoreUnavailable when the store is missing."""
    if readonly:
        with open_readonly(settings) as app:
            yield app
        return
    app = build_application(settings)
    try:
        yield app
    finally:
        app.close()


def _parked(runtime: Runtime) -> int:
    return parked_count(runtime.models)


def _nothing_parked(runtime: Runtime) -> str | None:
    """Ready only when no view and no automation set an event aside (docs/operations.md)."""
    n = _parked(runtime)
    return f"{n} parked event(s): see GET /api/v1/ops/status" if n else None


def build_runtime(settings: Settings) -> Runtime:
    """The application and the read models (no projector, no automation yet); on a new
    store, the shipped playbooks are installed (once, by `system`; opt out with
    CS_LEDGER_DEFAULT_PLAYBOOKS=0)."""
    app = build_application(settings)
    try:
        ensure_default_playbooks(app, settings)
        return Runtime(settings, app, ReadModels.from_settings(settings))
    except BaseException:
        app.close()
        raise


@contextmanager
def open_runtime(
    settings: Settings, *, projectors: bool = False, views: Sequence[View] | None = None,
    batch_size: int = 1000, automation: bool = False, external_views: bool = False,
    tick_interval: float = 60.0, clock: Clock = utc_now, start: bool = False,
) -> Iterator[Runtime]:
    """A runtime with the parts asked for (see the module docstring); closed on exit."""
    runtime = build_runtime(settings)
    try:
        if projectors:
            runtime.add_projector(views, batch_size=batch_size)
        if automation:
            runtime.add_automation(tick_interval=tick_interval, external_views=external_views,
                                   clock=clock)
        if start:
            runtime.start()
        yield runtime
    finally:
        runtime.close()
