"""Application recorders that hash-chain every event in the transaction that stores it.

Selected through the library's APPLICATION_RECORDER_TOPIC setting, so the rest
of eventsourcing (repository, snapshots, notification log) works unchanged.
Both recorders also answer the questions the read side asks of the log:
events with their recording time, and the last position recorded by a moment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple
from uuid import UUID

# The library's datastores turn psycopg errors into these; retrying psycopg's own would never fire.
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from cs_store.chain import (
    GENESIS,
    ChainLink,
    StoredRow,
    canonical_id,
    format_recorded_at,
    link_hash,
    merge_by_position,
    next_recorded_at,
)


class TimedNotification(NamedTuple):
    position: int
    originator_id: UUID | str
    version: int
    topic: str
    state: bytes
    recorded_at: str


def _links(
    positions: Sequence[int], stored_events: Sequence[StoredEvent], head: tuple[str, str] | None
) -> list[tuple[int, str, str]]:
    """Chain links for newly inserted events, in position order, continuing `head`."""
    prev_hash, prev_time = head if head else (GENESIS, None)
    recorded_at = next_recorded_at(prev_time, datetime.now(UTC))
    rows = []
    pairs = sorted(zip(positions, stored_events, strict=True), key=lambda pair: pair[0])
    for position, event in pairs:
        prev_hash = link_hash(
            prev_hash, position, event.originator_id, event.originator_version, event.topic,
            recorded_at, event.state,
        )
        rows.append((position, recorded_at, prev_hash))
    return rows


def _mark_row(kwargs: dict[str, Any], positions: Sequence[int]) -> tuple[str, str, str] | None:
    """(scope, key, data) of the write mark a commit carries (cs_domain WriteMark), if any."""
    found = kwargs.get("write_mark")
    if found is None or not positions:
        return None
    mark, item = found
    return mark.scope, mark.key, mark.record(item, max(positions))


def _check_requirements(kwargs: dict[str, Any], first_topics: Sequence[str | None]) -> None:
    """Raises the failure of the first requirement (cs_domain Requirement) whose
    aggregate's first topic (None: no such aggregate) it does not accept."""
    for requirement, topic in zip(kwargs.get("requires", ()), first_topics, strict=True):
        requirement.check(topic)


def _split_tail(originator_id: UUID, rows: list[tuple[int, int, str, bytes, str | None]]
                ) -> tuple[StoredEvent | None, str | None, list[StoredEvent]]:
    """(snapshot, its link's hash, events after it) from select_with_snapshot's rows."""
    snapshot, link, events = None, None, []
    for kind, version, topic, state, hash_ in rows:
        stored = StoredEvent(originator_id=originator_id, originator_version=version,
                             topic=topic, state=bytes(state))
        if kind == 0:
            snapshot, link = stored, hash_
        else:
            events.append(stored)
    return snapshot, link, events


class _Head(NamedTuple):
    position: int
    hash: str
    recorded_at: str


class ChainedSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    chain_table = "event_chain"
    marks_table = "write_marks"
    checks_requirements = True  # the `requires` of a commit (see _check_requirements)

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        # The chain head this recorder committed last. A save whose first position follows
        # it directly continues it without reading the head: SQLite gives a new row the
        # largest rowid + 1, so no event (and no link, written only with its event) lies
        # between. Any other writer's commit (another process) shows as a gap: then read.
        self._head: _Head | None = None
        self._pending = threading.local()
        self._head_lock = threading.Lock()

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        self._pending.head = None
        with self.datastore.transaction(commit=True) as c:
            positions = self._insert_events(c, stored_events, **kwargs)
        head = self._pending.head
        if head is not None:  # committed: the next save may continue from it
            with self._head_lock:
                if self._head is None or head.position > self._head.position:
                    self._head = head
        return positions

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table} ("
            "position INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, hash TEXT NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {self.chain_table}_time ON {self.chain_table} (recorded_at)",
            f"CREATE TABLE IF NOT EXISTS {self.marks_table} (scope TEXT NOT NULL, "
            "key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (scope, key))",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if not stored_events or positions is None:
            return positions
        # The insert above holds SQLite's write lock: nothing read below can move under us.
        requires = kwargs.get("requires", ())
        if requires:
            topics = []
            for requirement in requires:
                c.execute(f"SELECT topic FROM {self.events_table_name} WHERE originator_id = ? "
                          "ORDER BY originator_version LIMIT 1",
                          (requirement.originator_id.hex,))
                row = c.fetchone()
                topics.append(row[0] if row else None)
            _check_requirements(kwargs, topics)
        known = self._head
        if known is not None and min(positions) == known.position + 1:
            head: tuple[str, str] | None = (known.hash, known.recorded_at)
        else:
            c.execute(
                f"SELECT hash, recorded_at FROM {self.chain_table} ORDER BY position DESC LIMIT 1"
            )
            row = c.fetchone()
            head = (row[0], row[1]) if row else None
        links = _links(positions, stored_events, head)
        c.executemany(
            f"INSERT INTO {self.chain_table} (position, recorded_at, hash) VALUES (?,?,?)", links,
        )
        self._pending.head = _Head(links[-1][0], links[-1][2], links[-1][1])
        mark = _mark_row(kwargs, positions)
        if mark is not None:
            c.execute(f"INSERT INTO {self.marks_table} (scope, key, data) VALUES (?,?,?) "
                      "ON CONFLICT (scope, key) DO UPDATE SET data = excluded.data", mark)
        return positions

    def write_mark(self, scope: str, key: str) -> str | None:
        """The data of the write mark recorded with a commit's events (see _mark_row)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT data FROM {self.marks_table} WHERE scope = ? AND key = ?",
                      (scope, key))
            row = c.fetchone()
            return row[0] if row else None

    # --- reads used by audit, projections and as-of -------------------------------
    def select_timed(self, after: int, limit: int, upto: int | None = None) -> list[TimedNotification]:
        sql = (
            f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
            f"c.recorded_at FROM {self.events_table_name} e JOIN {self.chain_table} c "
            "ON c.position = e.rowid WHERE e.rowid > ? "
        )
        params: list[Any] = [after]
        if upto is not None:
            sql += "AND e.rowid <= ? "
            params.append(upto)
        sql += "ORDER BY e.rowid LIMIT ?"
        params.append(limit)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [TimedNotification(r[0], r[1], r[2], r[3], r[4], r[5]) for r in c.fetchall()]

    def position_at(self, moment: datetime) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT MAX(position) FROM {self.chain_table} WHERE recorded_at <= ?",
                (format_recorded_at(moment),),
            )
            row = c.fetchone()
            return int(row[0] or 0)

    def recorded_at_of(self, position: int) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT recorded_at FROM {self.chain_table} WHERE position = ?", (position,))
            row = c.fetchone()
            return row[0] if row else None

    def _upto(self) -> int:
        """The last position in either table, read in one snapshot."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT COALESCE((SELECT MAX(position) FROM {self.chain_table}), 0), "
                f"COALESCE((SELECT MAX(rowid) FROM {self.events_table_name}), 0)"
            )
            row = c.fetchone()
            return max(int(row[0]), int(row[1]))

    def _batches(self, sql: str, upto: int, batch: int) -> Iterator[Any]:
        after = 0
        while True:
            with self.datastore.transaction(commit=False) as c:
                c.execute(sql, (after, upto, batch))
                rows = c.fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]

    def iter_chain_and_events(
        self, batch: int = 5000
    ) -> Iterator[tuple[ChainLink | None, StoredRow | None]]:
        """(link, event) pairs by position, read in batches (bounded memory).

        Both streams stop at the head seen when iteration starts, so events committed
        meanwhile are neither half-seen (event without link) nor reported as tampering.
        """
        upto = self._upto()
        links = (
            ChainLink(r[0], r[1], r[2])
            for r in self._batches(
                f"SELECT position, recorded_at, hash FROM {self.chain_table} "
                "WHERE position > ? AND position <= ? ORDER BY position LIMIT ?",
                upto, batch,
            )
        )
        rows = (
            StoredRow(r[0], r[1], r[2], r[3], bytes(r[4]))
            for r in self._batches(
                f"SELECT rowid, originator_id, originator_version, topic, state FROM "
                f"{self.events_table_name} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
                upto, batch,
            )
        )
        return merge_by_position(links, rows)

    def link_hash_at(self, originator_id: UUID | str, version: int) -> str | None:
        """The chain link's hash of one aggregate's event (seals its snapshot there)."""
        key = originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT c.hash FROM {self.events_table_name} e JOIN {self.chain_table} c "
                "ON c.position = e.rowid WHERE e.originator_id = ? AND e.originator_version = ?",
                (key, version),
            )
            row = c.fetchone()
            return row[0] if row else None

    # --- loads (cs_domain LedgerApplication.load_verified) ---------------------------
    def select_with_snapshot(self, originator_id: UUID, snapshots_table: str
                             ) -> tuple[StoredEvent | None, str | None, list[StoredEvent]]:
        """One aggregate's latest snapshot (or None), the chain link's hash of the event
        at its version (None if none), and the events after it: one statement, so one
        snapshot of the store, where a load used to read three times."""
        key = originator_id.hex
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"WITH s AS (SELECT originator_version AS v, topic, state FROM {snapshots_table} "
                "WHERE originator_id = ? ORDER BY originator_version DESC LIMIT 1) "
                "SELECT 0 AS kind, s.v, s.topic, s.state, c.hash FROM s "
                f"LEFT JOIN {self.events_table_name} e ON e.originator_id = ? "
                f"AND e.originator_version = s.v LEFT JOIN {self.chain_table} c "
                "ON c.position = e.rowid "
                "UNION ALL SELECT 1, originator_version, topic, state, NULL "
                f"FROM {self.events_table_name} WHERE originator_id = ? "
                "AND originator_version > COALESCE((SELECT v FROM s), 0) ORDER BY 1, 2",
                (key, key, key),
            )
            rows = c.fetchall()
        return _split_tail(originator_id, [(r[0], r[1], r[2], r[3], r[4]) for r in rows])

    # --- per-aggregate trail (projections) ---------------------------------------
    def select_timed_by_originator(self, originator_id: UUID | str) -> list[TimedNotification]:
        """One aggregate's events with their positions and recording times, in order."""
        key = originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
                f"c.recorded_at FROM {self.events_table_name} e JOIN {self.chain_table} c "
                "ON c.position = e.rowid WHERE e.originator_id = ? ORDER BY e.originator_version",
                (key,),
            )
            return [TimedNotification(r[0], r[1], r[2], r[3], r[4], r[5]) for r in c.fetchall()]

    def select_timed_newest(self, originator_ids: Sequence[UUID], limit: int,
                            upto: int | None = None) -> list[TimedNotification]:
        """The newest `limit` events of these aggregates together (up to `upto`), newest
        first: a timeline in one query."""
        if not originator_ids:
            return []
        sql = (f"SELECT e.rowid, e.originator_id, e.originator_version, e.topic, e.state, "
               f"c.recorded_at FROM {self.events_table_name} e JOIN {self.chain_table} c "
               f"ON c.position = e.rowid WHERE e.originator_id IN "
               f"({','.join('?' * len(originator_ids))}) ")
        params: list[Any] = [u.hex for u in originator_ids]
        if upto is not None:
            sql += "AND e.rowid <= ? "
            params.append(upto)
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql + "ORDER BY e.rowid DESC LIMIT ?", [*params, limit])
            return [TimedNotification(r[0], r[1], r[2], r[3], r[4], r[5]) for r in c.fetchall()]

    def latest_versions(self, originator_ids: Sequence[UUID]) -> dict[UUID, int]:
        """The current version of each aggregate (one indexed query; absent ones left out)."""
        keys = {u.hex: u for u in originator_ids}
        if not keys:
            return {}
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_id, MAX(originator_version) FROM {self.events_table_name} "
                f"WHERE originator_id IN ({','.join('?' * len(keys))}) GROUP BY originator_id",
                list(keys),
            )
            return {keys[r[0]]: int(r[1]) for r in c.fetchall() if r[0] in keys}


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    checks_requirements = True  # the `requires` of a commit (see _check_requirements)

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table = events_table_name.replace("_events", "") + "_chain"
        self.check_identifier_length(self.chain_table)
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.chain_table)
        self._t = {"schema": schema, "chain": table, "events": Identifier(events_table_name),
                   "marks": Identifier(events_table_name.replace("_events", "") + "_marks")}
        # A clash inserts nothing instead of failing: an error inside psycopg's pipeline
        # aborts the statements queued after it, and psycopg (3.3) can leave the
        # connection out of step with them ("pipeline aborted" on a later save, or
        # "prepared statement _pg3_N does not exist"). insert_events sees the missing
        # rows and raises the clash itself, rolling the transaction back.
        # The keys come back too, so positions pair with events whatever the row order.
        self.insert_events_statement = SQL(
            "INSERT INTO {schema}.{table} AS t (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%s::{schema}.{stored_event_type}[]) "
            "ON CONFLICT DO NOTHING "
            "RETURNING notification_id, originator_id, originator_version"
        ).format(schema=schema, table=Identifier(events_table_name),
                 stored_event_type=Identifier(self.stored_event_type_name))
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {schema}.{chain} (position bigint PRIMARY KEY, "
                "recorded_at text NOT NULL, hash text NOT NULL)"
            ).format(**self._t)
        )
        self.sql_create_statements.append(
            SQL("CREATE INDEX IF NOT EXISTS {idx} ON {schema}.{chain} (recorded_at)").format(
                idx=Identifier(self.chain_table + "_time"), **self._t
            )
        )
        self.sql_create_statements.append(self._sql(
            "CREATE TABLE IF NOT EXISTS {schema}.{marks} (scope text NOT NULL, key text NOT NULL, "
            "data text NOT NULL, PRIMARY KEY (scope, key))"))

    def _sql(self, text: str) -> Any:
        return SQL(text).format(**self._t)  # type: ignore[arg-type]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        positions: list[int] = []
        # Pipelined like the library's own insert: one round trip for lock, notify,
        # insert and head, one for the links, then the commit. Nothing in it is
        # expected to fail: a clash shows as missing rows and is raised from here,
        # which rolls the transaction (events, links, NOTIFY) back.
        with (
            self.datastore.get_connection() as conn,
            conn.pipeline() as pipeline,
            conn.transaction(),
        ):
            with conn.cursor() as curs:
                # The library's hook (process recorders write tracking records here).
                self._insert_events(curs, stored_events, **kwargs)
            with conn.cursor() as insert, conn.cursor() as head:
                # Locks the events table (serialises writers: position order =
                # commit order), notifies listeners, inserts ... RETURNING.
                self._insert_stored_events(insert, stored_events, **kwargs)
                # Read under that lock, so the head cannot move under us; so are the
                # first topics of the aggregates the commit requires (same round trip).
                head.execute(self._sql(
                    "SELECT hash, recorded_at FROM {schema}.{chain} "
                    "ORDER BY position DESC LIMIT 1"))
                requires = kwargs.get("requires", ())
                required = [conn.cursor() for _ in requires]
                for cursor, requirement in zip(required, requires, strict=True):
                    cursor.execute(self._sql(
                        "SELECT topic FROM {schema}.{events} WHERE originator_id = %s "
                        "ORDER BY originator_version LIMIT 1"), (requirement.originator_id,))
                pipeline.sync()
                positions = self._positions(insert.fetchall(), stored_events)
                row = head.fetchone()
                topics = []
                for cursor in required:
                    found = cursor.fetchone()
                    topics.append(found["topic"] if found else None)
                    cursor.close()
                _check_requirements(kwargs, topics)
                insert.executemany(
                    self._sql("INSERT INTO {schema}.{chain} (position, recorded_at, hash) "
                              "VALUES (%s, %s, %s)"),
                    _links(positions, stored_events,
                           (row["hash"], row["recorded_at"]) if row else None),
                )
                mark = _mark_row(kwargs, positions)
                if mark is not None:
                    insert.execute(self._sql(
                        "INSERT INTO {schema}.{marks} (scope, key, data) VALUES (%s, %s, %s) "
                        "ON CONFLICT (scope, key) DO UPDATE SET data = EXCLUDED.data"), mark)
        return positions

    def write_mark(self, scope: str, key: str) -> str | None:
        """The data of the write mark recorded with a commit's events (see _mark_row)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._sql("SELECT data FROM {schema}.{marks} WHERE scope = %s "
                                   "AND key = %s"), (scope, key))
            row = curs.fetchone()
            return row["data"] if row else None

    @staticmethod
    def _positions(returned: list[Any], stored_events: Sequence[StoredEvent]) -> list[int]:
        """The position of each event, in the order given, whatever order rows came back in.
        An event the insert skipped (ON CONFLICT) is a clash: IntegrityError, naming them."""
        by_key = {(canonical_id(r["originator_id"]), r["originator_version"]): r["notification_id"]
                  for r in returned}
        keys = [(canonical_id(e.originator_id), e.originator_version) for e in stored_events]
        taken = [f"({k[0]}, {k[1]})" for k in keys if k not in by_key]
        if taken:
            raise IntegrityError("duplicate key value violates unique constraint: "
                                 f"(originator_id, originator_version)={', '.join(taken)} "
                                 "already exists")
        return [by_key[k] for k in keys]

    def select_timed(self, after: int, limit: int, upto: int | None = None) -> list[TimedNotification]:
        sql = (
            "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, "
            "c.recorded_at FROM {schema}.{events} e JOIN {schema}.{chain} c "
            "ON c.position = e.notification_id WHERE e.notification_id > %s "
        )
        params: list[Any] = [after]
        if upto is not None:
            sql += "AND e.notification_id <= %s "
            params.append(upto)
        sql += "ORDER BY e.notification_id LIMIT %s"
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._sql(sql), params)
            return [
                TimedNotification(
                    r["notification_id"], r["originator_id"], r["originator_version"],
                    r["topic"], bytes(r["state"]), r["recorded_at"],
                )
                for r in curs.fetchall()
            ]

    def position_at(self, moment: datetime) -> int:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql("SELECT MAX(position) AS p FROM {schema}.{chain} WHERE recorded_at <= %s"),
                (format_recorded_at(moment),),
            )
            row = curs.fetchone()
            return int((row or {}).get("p") or 0)

    def recorded_at_of(self, position: int) -> str | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql("SELECT recorded_at FROM {schema}.{chain} WHERE position = %s"),
                (position,),
            )
            row = curs.fetchone()
            return row["recorded_at"] if row else None

    def _upto(self) -> int:
        """The last position in either table, read in one statement (one snapshot)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql(
                    "SELECT GREATEST(COALESCE((SELECT MAX(position) FROM {schema}.{chain}), 0), "
                    "COALESCE((SELECT MAX(notification_id) FROM {schema}.{events}), 0)) AS upto"
                )
            )
            row = curs.fetchone()
            return int(row["upto"]) if row else 0

    def _batches(self, sql: str, upto: int, batch: int) -> Iterator[dict[str, Any]]:
        after = 0
        while True:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self._sql(sql), (after, upto, batch))
                rows = curs.fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1]["p"]

    def iter_chain_and_events(
        self, batch: int = 5000
    ) -> Iterator[tuple[ChainLink | None, StoredRow | None]]:
        """(link, event) pairs by position, read in batches up to the head seen at the start."""
        upto = self._upto()
        links = (
            ChainLink(r["p"], r["recorded_at"], r["hash"])
            for r in self._batches(
                "SELECT position AS p, recorded_at, hash FROM {schema}.{chain} "
                "WHERE position > %s AND position <= %s ORDER BY position LIMIT %s",
                upto, batch,
            )
        )
        rows = (
            StoredRow(r["p"], r["originator_id"], r["originator_version"], r["topic"],
                      bytes(r["state"]))
            for r in self._batches(
                "SELECT notification_id AS p, originator_id, originator_version, topic, state "
                "FROM {schema}.{events} WHERE notification_id > %s AND notification_id <= %s "
                "ORDER BY notification_id LIMIT %s",
                upto, batch,
            )
        )
        return merge_by_position(links, rows)

    def link_hash_at(self, originator_id: UUID | str, version: int) -> str | None:
        """The chain link's hash of one aggregate's event (seals its snapshot there)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql(
                    "SELECT c.hash FROM {schema}.{events} e JOIN {schema}.{chain} c "
                    "ON c.position = e.notification_id WHERE e.originator_id = %s "
                    "AND e.originator_version = %s"
                ),
                (originator_id, version),
            )
            row = curs.fetchone()
            return row["hash"] if row else None

    # --- loads (cs_domain LedgerApplication.load_verified) ---------------------------
    def select_with_snapshot(self, originator_id: UUID, snapshots_table: str
                             ) -> tuple[StoredEvent | None, str | None, list[StoredEvent]]:
        """One aggregate's latest snapshot (or None), the chain link's hash of the event
        at its version (None if none), and the events after it: one statement (one
        snapshot of the store, one round trip), where a load used to read three times."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("WITH s AS (SELECT originator_version AS v, topic, state FROM {schema}.{snaps} "
                    "WHERE originator_id = %(id)s ORDER BY originator_version DESC LIMIT 1) "
                    "SELECT 0 AS kind, s.v, s.topic, s.state, c.hash FROM s "
                    "LEFT JOIN {schema}.{events} e ON e.originator_id = %(id)s "
                    "AND e.originator_version = s.v LEFT JOIN {schema}.{chain} c "
                    "ON c.position = e.notification_id "
                    "UNION ALL SELECT 1, originator_version, topic, state, NULL "
                    "FROM {schema}.{events} WHERE originator_id = %(id)s "
                    "AND originator_version > COALESCE((SELECT v FROM s), 0) ORDER BY 1, 2"
                    ).format(snaps=Identifier(snapshots_table), **self._t),
                {"id": originator_id}, prepare=True,
            )
            rows = [(r["kind"], r["v"], r["topic"], bytes(r["state"]), r["hash"])
                    for r in curs.fetchall()]
        return _split_tail(originator_id, rows)

    # --- per-aggregate trail (projections) ---------------------------------------
    def select_timed_by_originator(self, originator_id: UUID | str) -> list[TimedNotification]:
        """One aggregate's events with their positions and recording times, in order."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql(
                    "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, "
                    "e.state, c.recorded_at FROM {schema}.{events} e JOIN {schema}.{chain} c "
                    "ON c.position = e.notification_id WHERE e.originator_id = %s "
                    "ORDER BY e.originator_version"
                ),
                (originator_id,),
            )
            return [
                TimedNotification(
                    r["notification_id"], r["originator_id"], r["originator_version"],
                    r["topic"], bytes(r["state"]), r["recorded_at"],
                )
                for r in curs.fetchall()
            ]

    def select_timed_newest(self, originator_ids: Sequence[UUID], limit: int,
                            upto: int | None = None) -> list[TimedNotification]:
        """The newest `limit` events of these aggregates together (up to `upto`), newest
        first: a timeline in one query."""
        if not originator_ids:
            return []
        upto_sql = "AND e.notification_id <= %s " if upto is not None else ""
        params: list[Any] = [list(originator_ids), *([upto] if upto is not None else []), limit]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql(
                    "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, "
                    "e.state, c.recorded_at FROM {schema}.{events} e JOIN {schema}.{chain} c "
                    "ON c.position = e.notification_id WHERE e.originator_id = ANY(%s) "
                    + upto_sql + "ORDER BY e.notification_id DESC LIMIT %s"
                ),
                params,
            )
            return [
                TimedNotification(
                    r["notification_id"], r["originator_id"], r["originator_version"],
                    r["topic"], bytes(r["state"]), r["recorded_at"],
                )
                for r in curs.fetchall()
            ]

    def latest_versions(self, originator_ids: Sequence[UUID]) -> dict[UUID, int]:
        """The current version of each aggregate (one indexed query; absent ones left out)."""
        if not originator_ids:
            return {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                self._sql(
                    "SELECT originator_id, MAX(originator_version) AS version "
                    "FROM {schema}.{events} WHERE originator_id = ANY(%s) GROUP BY originator_id"
                ),
                (list(originator_ids),),
            )
            return {r["originator_id"]: int(r["version"]) for r in curs.fetchall()}


ChainedRecorder = ChainedSQLiteApplicationRecorder | ChainedPostgresApplicationRecorder
