"""PostgreSQL LISTEN for followers: wakes the projector when the event store NOTIFYs.

The library NOTIFYs the channel named after the events table (``cs_events``) in the
transaction that appends events. Notifications can be lost (a dropped connection,
eventsourcing issue #305), so this only shortens the wait: the follower still polls.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
STOP_CHECK_S = 0.1


def conninfo_of(url: str) -> str:
    """A libpq connection string from a SQLAlchemy PostgreSQL URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PgListener:
    """A daemon thread that sets `wake` whenever a notification arrives on `channel`."""

    def __init__(self, url: str, channel: str, wake: threading.Event, *, retry_delay: float = 1.0):
        self.conninfo = conninfo_of(url)
        self.channel = channel
        self.wake = wake
        self.retry_delay = retry_delay
        self.listening = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"listen-{channel}", daemon=True)

    def start(self) -> PgListener:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.listening.set()
                    # A wake-up now covers anything committed before LISTEN took effect.
                    self.wake.set()
                    while not self._stop.is_set():
                        # Checks for stop 10 times a second: `stop` returns within 0.1 s
                        # (a server's shutdown, and each test's app, wait for it).
                        for _ in conn.notifies(timeout=STOP_CHECK_S, stop_after=1):
                            self.wake.set()
            except Exception:  # the follower keeps polling; reconnect after a pause
                log.warning("LISTEN %s failed; relying on polling, retrying", self.channel,
                            exc_info=True)
                self.listening.clear()
                self._stop.wait(self.retry_delay)
