"""The playbook process manager: follows the log and turns events into owned work.

For each watched event (see :mod:`automation.reactions`) it reads the views *as of that
event's position* and issues idempotent commands (derived run and task ids, steps and
outcomes recorded once) through the application service as ``system:playbooks``. Its
position lives in `rm_process_tracking` and moves after the commands are written, so
delivery is at-least-once and repeating a command is harmless: a restart, a rebuild of the
views or a replay from position 0 starts no second run and creates no second task.

An event whose reaction raises is *parked* (:mod:`projections.parking`, consumer
`process:playbooks`) and the process manager goes on with the next one, like a view: the
event is listed by `GET /ops/status` and `cs-ledger ops parked`, and `retry` (an admin, once
the cause is fixed) reacts to it again — the commands are idempotent, so a retry that
follows a partial reaction writes only what is missing. A store error that may pass
(`TRANSIENT`) parks nothing: the round stops and is retried from the same position.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from automation import tracking
from automation.catalog import Catalog
from automation.commands import Commands, Tally
from automation.reactions import (
    WATCHED,
    Abandon,
    FollowRoles,
    Intent,
    Measure,
    RecordStep,
    Start,
    Touch,
    react,
)
from cs_domain.app import CustomerSuccess
from projections import parking
from projections.db import ReadModels
from projections.log import Envelope, LogReader
from projections.runner import TRANSIENT, Projector, describe, event_identity
from projections.view import Reader
from projections.views.automation import recorded_day

PROCESS = "playbooks"
CONSUMER = f"process:{PROCESS}"  # its name among the consumers of /ops/status
NEEDED_VIEWS = ("users", "automation", "playbook_runs")
MAX_ROUNDS = 10
log = logging.getLogger(__name__)


class ViewsFailed(RuntimeError):
    """A view the automation decides on has failed: deciding on it would be wrong."""

    def __init__(self, failures: dict[str, str]):
        self.failures = failures
        super().__init__("; ".join(f"view {v} failed: {e}" for v, e in failures.items()))


class ViewSync:
    """Brings the views the automation reads up to the head of the log.

    With no projector given it drives its own (safe beside other projectors: views are
    applied exactly once whoever applies them); given the process's running projector, it
    waits for that one instead.
    """

    def __init__(self, app: CustomerSuccess, models: ReadModels,
                 projector: Projector | None = None, timeout: float = 60.0):
        self.app = app
        self.own = projector is None
        self.projector = projector if projector is not None else Projector(app, models)
        self.timeout = timeout

    def catch_up(self) -> int:
        """The position every needed view has reached (≥ the head when called)."""
        if self.own:
            self.projector.catch_up()
        else:
            self.projector.wait_for(self.app.max_position(), NEEDED_VIEWS, self.timeout)
        failed = {v: e for v, e in self.projector.failures().items() if v in NEEDED_VIEWS}
        if failed:
            raise ViewsFailed(failed)
        return self.projector.position(NEEDED_VIEWS)


def execute(commands: Commands, intents: Iterable[Intent]) -> None:
    for intent in intents:
        if isinstance(intent, Start):
            commands.start(intent.occurrence)
        elif isinstance(intent, RecordStep):
            commands.record_step(intent.run_id, intent.task_id, intent.done_on, intent.outcome)
        elif isinstance(intent, Measure):
            commands.measure(intent.run_id, intent.metric, intent.decision)
        elif isinstance(intent, FollowRoles):
            commands.follow_roles(intent.customer_id, intent.changed_in, intent.run_ids)
        elif isinstance(intent, Abandon):
            commands.abandon(intent.run_id, intent.abandoned_on, intent.reason)
        elif isinstance(intent, Touch):
            commands.touch(intent.run_ids, intent.touchpoints)


class ProcessManager:
    def __init__(self, app: CustomerSuccess, models: ReadModels, *, batch_size: int = 500,
                 process: str = PROCESS):
        self.app = app
        self.models = models
        self.batch_size = batch_size
        self.process = process
        self.failed: str | None = None
        self.invalid: dict[str, str] = {}  # playbooks whose trigger parameters are unusable
        watched = set(WATCHED)
        self.log = LogReader(app, lambda cls: cls in watched)
        tracking.ensure(models, process)

    def position(self) -> int:
        return tracking.read(self.models, self.process).position

    def run(self, upto: int, tally: Tally | None = None) -> int:
        """Handles the watched events after its position up to `upto` (the views must have
        reached `upto`); returns its position. Stops at a failing event."""
        tally = tally if tally is not None else Tally()
        position = self.position()
        while position < upto and self.failed is None:
            batch = self.log.read(position, self.batch_size, upto)
            if batch.last <= position:
                break
            if not self._handle(batch.envelopes, position, Commands(self.app, tally)):
                break
            if tracking.advance(self.models, self.process, position, batch.last):
                position = batch.last
            else:  # another process got further: go on from there
                position = self.position()
        return position

    def _handle(self, envelopes: list[Envelope], position: int, commands: Commands) -> bool:
        with self.models.read() as conn:
            r = Reader(conn, position)
            catalog = Catalog(r)
            for env in envelopes:
                try:
                    handle(r, catalog, commands, env)
                except TRANSIENT:
                    raise  # a store hiccup, not a bug: the caller retries from the position
                except Exception as error:
                    self._park(env, error)
        self.invalid.update(catalog.invalid)
        return True

    def _park(self, env: Envelope, error: BaseException) -> None:
        text = describe(error)
        log.error("process manager %s parked the event at position %s: %s", self.process,
                  env.position, text)
        with self.models.write() as conn:
            parking.park(conn, f"process:{self.process}", parking.PROCESS_GENERATION,
                         env.position, **event_identity(env), error=text)

    def retry(self, env: Envelope) -> None:
        """Reacts to one (parked) event again, reading the views as of it."""
        with self.models.read() as conn:
            r = Reader(conn, env.position)
            handle(r, Catalog(r), Commands(self.app, Tally()), env)


def handle(r: Reader, catalog: Catalog, commands: Commands, env: Envelope) -> None:
    if env.error is not None:
        raise env.error
    r.at = env.position
    execute(commands, react(r, catalog, env.event, recorded_day(env.recorded_at)))


def follow_once(sync: ViewSync, pm: ProcessManager, tally: Tally | None = None) -> int:
    """Views and process manager up to the head, including the events the process manager
    itself writes (a recorded step decides an outcome): returns the views' position."""
    tally = tally if tally is not None else Tally()
    upto = sync.catch_up()
    for _ in range(MAX_ROUNDS):
        before = tally.writes
        pm.run(upto, tally)
        if pm.failed is not None or tally.writes == before:
            break
        upto = sync.catch_up()
    return upto
