"""The automation's views when another process projects them (`cs-ledger automate
--no-projectors` beside `cs-ledger project --follow`): it waits for their tracking rows
instead of applying the log itself."""

from __future__ import annotations

from automation.process import NEEDED_VIEWS, ViewsFailed, ViewSync
from cs_domain.app import CustomerSuccess
from projections import registry, state
from projections.db import ReadModels
from projections.generations import prepare
from projections.runner import wait_polling


class ExternalViewSync(ViewSync):
    """Like ViewSync, but the views are applied by another process: `catch_up` waits (a
    bounded time) for them to reach the head and returns the position they have reached."""

    def __init__(self, app: CustomerSuccess, models: ReadModels, *, poll_interval: float = 0.5,
                 timeout: float = 5.0):
        self.app = app
        self.models = models
        self.own = False
        self.timeout = timeout
        self.poll_interval = poll_interval
        prepare(models, registry.VIEWS)  # a reader never meets a missing table

    def catch_up(self) -> int:
        """Waits for every view (the time rules read more than the process manager's
        three); a failed one the process manager needs raises ViewsFailed, as in ViewSync.
        Returns the lowest position of the views that have not failed."""
        head = self.app.max_position()
        names = [v.name for v in registry.VIEWS]
        wait_polling(self.models, head, names, self.timeout, interval=min(0.1, self.poll_interval))
        with self.models.read() as conn:
            states = state.live_states(conn, names)
        failed = {n: st.error or "failed" for n, st in states.items()
                  if st.status == state.FAILED and n in NEEDED_VIEWS}
        if failed:
            raise ViewsFailed(failed)
        if len(states) < len(names):
            return 0
        return min((st.position for st in states.values() if st.status != state.FAILED),
                   default=0)
