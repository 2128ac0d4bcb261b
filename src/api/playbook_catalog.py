"""Which playbooks exist: their ids, found in the log and remembered per process.

Playbooks are few and their ids derive from keys a manager chooses, so the API
lists them by finding the `Playbook.Defined` events. The catalog remembers the
ids and the position it has looked up to, so each listing only reads the events
recorded since the previous one (a topic-filtered range over the log's primary key).
The playbooks themselves are then loaded from the repository at their latest version.
"""

from __future__ import annotations

import threading
from uuid import UUID

from eventsourcing.utils import get_topic

from cs_domain.app import CustomerSuccess
from cs_domain.playbook import Playbook

DEFINED_TOPIC = get_topic(Playbook.Defined)
BATCH = 500


class PlaybookCatalog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen_upto = 0
        self._ids: list[UUID] = []

    def ids(self, app: CustomerSuccess) -> tuple[list[UUID], int]:
        """Every defined playbook's id, and the log position the answer reflects."""
        with self._lock:
            head = app.max_position()
            while self._seen_upto < head:
                rows = app.recorder.select_notifications(
                    start=self._seen_upto, limit=BATCH, stop=head, topics=[DEFINED_TOPIC],
                    inclusive_of_start=False)
                self._ids.extend(UUID(str(row.originator_id)) for row in rows)
                self._seen_upto = head if len(rows) < BATCH else rows[-1].id
            return list(self._ids), head
