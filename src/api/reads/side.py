"""The read side of a running API: the read models, the in-process projector, waits.

`open_views(container, run_projectors)` is the `ViewsFactory` create_app uses by
default. With `run_projectors` the runtime (cs_runtime.bootstrap) runs a
:class:`~projections.runner.Projector` in a daemon thread (stopped on shutdown) and
read-your-writes waits are woken by it; without,
the process only reads and waits poll the views' tracking rows (another process runs
`cs-ledger project --follow`). Either way the view tables are prepared on first use, so
a reader never meets a missing table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Connection

from api.problems import ApiProblem
from projections import registry, state
from projections.db import ReadModels
from projections.generations import prepare
from projections.runner import Projector, wait_polling
from projections.view import ViewNotReady

if TYPE_CHECKING:
    from api.container import Container

T = TypeVar("T")
# Seconds a client should wait before retrying: a lagging view is usually a moment away,
# a failed one needs an operator (a fix and `cs-ledger rebuild --view NAME`).
RETRY_LAGGING = 1
RETRY_FAILED = 60


class ViewUnavailable(ApiProblem):
    """503: the views cannot answer as asked (still behind, or failed)."""

    def __init__(self, slug: str, detail: str, retry_after: int, **extra: object):
        super().__init__(503, slug, detail, headers={"Retry-After": str(retry_after)}, **extra)


class ReadSide:
    """What read endpoints use: `query(fn)` in one snapshot, `wait(position, views)`."""

    def __init__(self, models: ReadModels, projector: Projector | None, *, timeout: float,
                 head: Callable[[], int]):
        self.models = models
        self.head = head
        self.projector = projector
        self.timeout = timeout
        self._prepared = projector is not None  # a projector prepares the tables itself
        self._lock = threading.Lock()

    def ensure_prepared(self) -> None:
        if self._prepared:
            return
        with self._lock:
            if not self._prepared:
                prepare(self.models, registry.VIEWS)
                self._prepared = True

    def query(self, fn: Callable[[Connection], T]) -> T:
        """Runs `fn` in one read transaction (one consistent snapshot of every view)."""
        self.ensure_prepared()
        try:
            with self.models.read() as conn:
                return fn(conn)
        except ViewNotReady as error:
            raise ViewUnavailable("view-not-ready", str(error), RETRY_LAGGING) from None

    def _current(self, names: list[str]) -> int:
        """The lowest position among these views (0 if one is missing)."""
        if self.projector is not None:
            return self.projector.position(names)
        states = self.positions(names)
        if len(states) < len(names):
            return 0
        return min((st.position for st in states.values()), default=0)

    def _reached(self, position: int, names: list[str]) -> bool:
        return self._current(names) >= position

    def positions(self, views: Iterable[str] | None = None) -> dict[str, state.ViewState]:
        self.ensure_prepared()
        with self.models.read() as conn:
            return state.live_states(conn, None if views is None else list(views))

    def wait(self, position: int, views: Iterable[str]) -> None:
        """Returns once every view in `views` has applied `position`; else a 503.

        Woken by the in-process projector when there is one (no polling); otherwise
        polls the tracking rows. Bounded by settings.min_position_timeout.
        """
        names = sorted(set(views))
        if position <= 0 or not names:
            return
        self.ensure_prepared()
        if self._reached(position, names):
            return
        head = self.head()
        if position > head:
            # No write returned this position (yet): do not hold a thread waiting for it.
            raise ViewUnavailable(
                "view-lagging", f"position {position} is beyond the last event in the log "
                                f"({head}); send the position a write returned",
                RETRY_LAGGING, view_position=self._current(names), head=head)
        if self.projector is not None:
            reached = self.projector.wait_for(position, names, self.timeout)
        else:
            reached = wait_polling(self.models, position, names, self.timeout)
        if reached:
            return
        states = self.positions(names)
        failed = {n: st for n, st in states.items()
                  if st.status == state.FAILED and st.position < position}
        if failed:
            detail = "; ".join(f"view {n} failed at position {st.error_position}: {st.error}"
                               for n, st in sorted(failed.items()))
            raise ViewUnavailable("view-failed", f"cannot reach position {position}: {detail}",
                                  RETRY_FAILED, views=sorted(failed))
        behind = {n: st.position for n, st in states.items() if st.position < position}
        reached_at = min(behind.values(), default=position)
        raise ViewUnavailable(
            "view-lagging",
            f"the views have not reached position {position} within {self.timeout:g} s "
            f"(they are at {reached_at}); retry shortly",
            RETRY_LAGGING, view_position=reached_at)


@contextmanager
def open_views(container: Container, run_projectors: bool) -> Iterator[ReadSide]:
    """The default ViewsFactory of create_app: the runtime's read models and projector
    (built and run by cs_runtime.bootstrap, see the module docstring)."""
    runtime = container.runtime
    projector = runtime.projector if run_projectors else None
    yield ReadSide(runtime.models, projector, timeout=container.settings.min_position_timeout,
                   head=container.app.max_position)
