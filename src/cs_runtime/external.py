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
        head = self.app.max_position()
        wait_polling(self.models, head, NEEDED_VIEWS, self.timeout,
                     interval=min(0.1, self.poll_interval))
        with self.models.read() as conn:
            states = state.live_states(conn, list(NEEDED_VIEWS))
        failed = {n: st.error or "failed" for n, st in states.items() if st.status == state.FAILED}
        if failed:
            raise ViewsFailed(failed)
        if len(states) < len(NEEDED_VIEWS):
            return 0
        return min(st.position for st in states.values())
