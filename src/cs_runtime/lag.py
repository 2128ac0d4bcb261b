"""How far the views and the automation are behind the log, and whether a process is ready.

Lag in events is `head - position` (positions may skip on PostgreSQL, so it is an upper
bound there); lag in seconds is the age of the oldest event not yet applied (0 when caught
up). Both are read from the stores at each call: `GET /readyz` and `GET /metrics` use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from automation import tracking
from automation.process import PROCESS
from cs_runtime.bootstrap import Runtime
from cs_store.factory import chain_recorder
from projections import registry, state
from projections.generations import prepare

AUTOMATION = f"process:{PROCESS}"


@dataclass(frozen=True)
class Lag:
    name: str  # a view's name, or AUTOMATION
    position: int
    events: int
    seconds: float
    failed: str | None = None


@dataclass(frozen=True)
class Status:
    head: int
    views: list[Lag]
    automation: Lag
    measured_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def all(self) -> list[Lag]:
        return [*self.views, self.automation]


def _age(runtime: Runtime, position: int, head: int, now: datetime,
         cache: dict[int, float]) -> float:
    if position >= head:
        return 0.0
    if position not in cache:
        rows = chain_recorder(runtime.app).select_timed(position, 1, head)
        first = datetime.fromisoformat(rows[0].recorded_at) if rows else now
        cache[position] = max(0.0, (now - first).total_seconds())
    return cache[position]


def _prepare(runtime: Runtime) -> None:
    if not getattr(runtime, "_lag_prepared", False):
        prepare(runtime.models, registry.VIEWS)
        tracking.ensure(runtime.models, PROCESS)
        runtime._lag_prepared = True  # type: ignore[attr-defined]


def measure(runtime: Runtime, now: datetime | None = None) -> Status:
    """The lag of every view and of the automation (reads both stores: fails if one is down)."""
    now = now or datetime.now(UTC)
    _prepare(runtime)
    head = runtime.app.max_position()
    with runtime.models.read() as conn:
        views = state.live_states(conn)
    pm = tracking.read(runtime.models, PROCESS)
    ages: dict[int, float] = {}

    def lag(name: str, position: int, failed: str | None) -> Lag:
        return Lag(name, position, max(0, head - position),
                   _age(runtime, position, head, now, ages), failed)

    return Status(
        head,
        [lag(name, st.position, (st.error or "failed") if st.status == state.FAILED else None)
         for name, st in sorted(views.items())],
        lag(AUTOMATION, pm.position, (pm.error or "failed") if pm.failed else None),
        now,
    )


def readiness(runtime: Runtime, max_lag_events: int) -> tuple[bool, dict[str, object]]:
    """(ready, the JSON body of GET /readyz): the stores answer, nothing failed, every lag
    within `max_lag_events`, and every extra check of `runtime.readiness_checks` passes."""
    reasons: list[str] = []
    try:
        status = measure(runtime)
    except Exception as error:  # any failure to read a store means: not ready
        return False, {"status": "not-ready",
                       "reasons": [f"store unreachable: {type(error).__name__}: {error}"[:500]]}
    for item in status.all:
        if item.failed:
            reasons.append(f"{item.name} failed: {item.failed}"[:500])
        elif item.events > max_lag_events:
            reasons.append(f"{item.name} is {item.events} events behind the log "
                           f"(more than {max_lag_events})")
    for check in runtime.readiness_checks:
        problem = check(runtime)
        if problem:
            reasons.append(problem)
    body: dict[str, object] = {
        "status": "ready" if not reasons else "not-ready",
        "head": status.head,
        "max_lag_events": max_lag_events,
        "views_lag_events": max((v.events for v in status.views), default=0),
        "automation_lag_events": status.automation.events,
        "reasons": reasons,
    }
    return not reasons, body
