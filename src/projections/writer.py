"""Writing row versions: a projector's puts, updates and deletes become version rows.

A :class:`TableWriter` stages the changes of one table in one batch and `flush` writes
them with at most two executemany statements (UPDATE closing versions stored before the
batch, INSERT of new ones). Current versions are cached across batches, so a projector
reads a row back from the database at most once per process (and never in a rebuild).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from projections.versioned import Key, Row, Statements, VersionedTable


def _process(procs: tuple[tuple[int, Callable[[Any], Any]], ...], values: list[Any]
             ) -> tuple[Any, ...]:
    """Applies the bind processors (only the columns that have one) to a row's values."""
    for i, proc in procs:
        value = values[i]
        if value is not None:
            values[i] = proc(value)
    return tuple(values)


_ABSENT = object()  # not in a cache (a cached None means: known absent)


class KeyFilter:
    """The keys a writer evicted (see `TableWriter.evict`), in a fixed 1 MiB: a Bloom filter.

    No false negatives (an evicted key is always read back); a false positive only costs a
    lookup that finds nothing. Fixed size, so a long rebuild's memory does not grow with
    the number of rows it evicted (~2 % false positives at a million keys)."""

    BITS = 1 << 23
    _MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads Python's int hashes over 64 bits

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS >> 3)
        self._empty = True

    def _positions(self, key: Key) -> tuple[int, int, int]:
        h = (hash(key) * self._MIX) & 0xFFFFFFFFFFFFFFFF
        a, b = h >> 41, ((h >> 18) & (self.BITS - 1)) | 1
        mask = self.BITS - 1
        return a, (a + b) & mask, (a + 2 * b) & mask

    def add(self, key: Key) -> None:
        bits = self._bits
        for p in self._positions(key):
            bits[p >> 3] |= 1 << (p & 7)
        self._empty = False

    def __contains__(self, key: Key) -> bool:
        if self._empty:
            return False
        bits = self._bits
        return all(bits[p >> 3] >> (p & 7) & 1 for p in self._positions(key))


def fast_key(key: Key) -> Key:
    """The key a writer's dicts use: a UUID's `int` (hashing a `UUID` is Python code, and a
    rebuild hashes keys ~10 times per event), any other key itself. One table's keys are
    all of one type, so the ints of UUIDs never meet other ints in one dict."""
    return key.int if type(key) is UUID else key


@dataclass(slots=True)
class _Version:
    valid_from: int
    data: Row
    valid_to: int | None = None
    stored: bool = True  # False: held back in memory by a deferring (rebuild) writer
    key: Key = None  # the row's key as the view gave it (the dicts hold `fast_key`s)


@dataclass(slots=True)
class _Touched:
    key: Key  # as the view gave it
    base: _Version | None  # the current version stored before this batch
    versions: list[_Version] = field(default_factory=list)

    def current(self) -> _Version | None:
        if self.versions:
            last = self.versions[-1]
            return last if last.valid_to is None else None
        return self.base if self.base is not None and self.base.valid_to is None else None


class TableWriter:
    """Stages row changes of one table in one batch; `flush` writes them.

    `cache` holds current versions across batches (`fast_key(key)` → version, None = known
    absent; a version knows its key).
    With `complete=True` (a rebuild into empty tables) a key missing from the cache is
    absent; otherwise it is read from the database once.
    """

    def __init__(self, spec: VersionedTable, generation: int, cache: dict[Key, _Version | None],
                 *, complete: bool, defer: bool = False, evicted: KeyFilter | None = None):
        self.spec = spec
        self.table = spec.table(generation)
        self.cache = cache
        self.complete = complete
        # Keys whose current versions were evicted from a complete cache (see `evict`): the
        # one kind of key a complete writer must still read back from the database.
        self.evicted = evicted
        # A rebuild holds current versions back until they are superseded or the load
        # ends: every row is then written once by INSERT, never revisited by UPDATE.
        self.defer = defer and complete
        self.touched: dict[Key, _Touched] = {}
        self.position = 0
        self.generation = generation
        self._names = spec.data_names
        self._conn: Connection | None = None
        self._sql: Statements | None = None

    def bind(self, conn: Connection) -> None:
        self._conn = conn
        self._sql = self.spec.statements(self.generation, conn.dialect)

    # --- reads -----------------------------------------------------------------
    def _entry(self, key: Key) -> _Touched:
        fast = key.int if type(key) is UUID else key  # fast_key, inlined (hot)
        entry = self.touched.get(fast)
        if entry is None:
            entry = _Touched(key, self._load(key, fast))
            self.touched[fast] = entry
        return entry

    def _load(self, key: Key, fast: Key) -> _Version | None:
        cached = self.cache.get(fast, _ABSENT)
        if cached is not _ABSENT:
            return cached  # type: ignore[return-value]
        if self._conn is None or (self.complete and (self.evicted is None
                                                      or fast not in self.evicted)):
            return None
        assert self._sql is not None
        params = {f"k_{k}": v for k, v in self.spec.key_dict(key).items()}
        row = self._conn.execute(self._sql.select_current, params).first()
        if row is None:
            return None
        values = row._mapping
        return _Version(values["valid_from"], {c: values[c] for c in self._names}, key=key)

    def get(self, key: Key) -> Row | None:
        """The row's current data (a copy), or None."""
        version = self._entry(key).current()
        return dict(version.data) if version else None

    def require(self, key: Key) -> Row:
        row = self.get(key)
        if row is None:
            raise LookupError(f"{self.spec.name}: no row {key!r} to change")
        return row

    # --- writes ----------------------------------------------------------------
    def put(self, key: Key, data: Row) -> None:
        """Makes `data` (all data columns) the row's value from the current position."""
        if data.keys() != self.spec.data_name_set:  # one set comparison (hot in rebuilds)
            raise ValueError(f"{self.spec.name}: expected exactly the columns {self._names}, "
                             f"got {sorted(data)}")
        self._put(key, dict(data))

    def _put(self, key: Key, data: Row) -> None:
        entry = self._entry(key)
        current = entry.current()
        if current is not None and current.data == data:
            return
        pos = self.position
        last = entry.versions[-1] if entry.versions else None
        if last is not None and last.valid_from == pos:
            # A second change by the same event: still one version for this position.
            last.data, last.valid_to = data, None
            return
        self._close(entry, pos)
        entry.versions.append(_Version(pos, data, key=entry.key))

    def update(self, key: Key, **changes: Any) -> None:
        current = self._entry(key).current()
        if current is None:
            raise LookupError(f"{self.spec.name}: no row {key!r} to change")
        row = {**current.data, **changes}
        if len(row) != len(self._names):
            raise ValueError(f"{self.spec.name}: unknown columns in {sorted(changes)}")
        self._put(key, row)

    def delete(self, key: Key) -> None:
        entry = self._entry(key)
        if entry.current() is None:
            return
        if entry.versions and entry.versions[-1].valid_from == self.position:
            entry.versions.pop()  # created and deleted by the same event: never visible
            if not entry.versions and entry.base is not None and entry.base.valid_to is None:
                self._close(entry, self.position)
            return
        self._close(entry, self.position)

    def _close(self, entry: _Touched, pos: int) -> None:
        if entry.versions:
            if entry.versions[-1].valid_to is None:
                entry.versions[-1].valid_to = pos
        elif entry.base is not None and entry.base.valid_to is None:
            base = entry.base
            entry.base = _Version(base.valid_from, base.data, pos, base.stored, base.key)

    # --- flushing ----------------------------------------------------------------
    def flush(self, conn: Connection) -> int:
        """Writes the staged versions; returns how many rows were written."""
        sql = self.spec.statements(self.generation, conn.dialect)
        closes: list[tuple[Any, ...]] = []
        inserts: list[tuple[Any, ...]] = []
        for entry in self.touched.values():
            keys = self.spec.key_values(entry.key)
            base = entry.base
            if base is not None and base.valid_to is not None:
                if base.stored:
                    closes.append(_process(sql.close_procs,
                                           [base.valid_to, *keys, base.valid_from]))
                else:
                    inserts.append(self._row(sql, keys, base))
            for v in entry.versions:
                if v.valid_to is None and self.defer:
                    v.stored = False
                    continue
                inserts.append(self._row(sql, keys, v))
        if closes:
            conn.exec_driver_sql(sql.close_sql, closes)  # type: ignore[arg-type]
        self._insert(conn, sql, inserts)
        return len(closes) + len(inserts)

    def flush_deferred(self, conn: Connection) -> int:
        """Writes the current versions a deferring writer held back (end of a load)."""
        sql = self.spec.statements(self.generation, conn.dialect)
        held = [v for v in self.cache.values() if v is not None and not v.stored]
        rows = [self._row(sql, self.spec.key_values(v.key), v) for v in held]
        self._insert(conn, sql, rows)
        for v in held:
            v.stored = True
        return len(rows)

    def _row(self, sql: Statements, keys: tuple[Any, ...], v: _Version) -> tuple[Any, ...]:
        data = v.data
        return _process(sql.insert_procs,
                        [*keys, v.valid_from, v.valid_to, *map(data.__getitem__, self._names)])

    def _insert(self, conn: Connection, sql: Statements, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            width = len(self.spec.key_names) + 1
            rows.sort(key=lambda r: r[:width])  # primary-key order: appends, not random inserts
            conn.exec_driver_sql(sql.insert_sql, rows)  # type: ignore[arg-type]

    def commit_cache(self) -> None:
        """After a successful commit: remember the current version of every touched key.

        Re-inserted, so the cache's order is least recently used first (see `evict`)."""
        cache = self.cache
        for fast, entry in self.touched.items():
            cache.pop(fast, None)
            cache[fast] = entry.current()
        self.touched = {}

    def evict(self, conn: Connection, keep: int) -> int:
        """Bounds a complete cache: drops the least recently used keys beyond `keep`.

        A rebuild holds current versions back in the cache (see `defer`), so memory would
        grow with the number of rows; an evicted version is written first, its key
        remembered in `evicted` and read back from the database if an event needs it
        again. Returns how many keys were dropped."""
        excess = len(self.cache) - keep
        if excess <= 0:
            return 0
        sql = self.spec.statements(self.generation, conn.dialect)
        victims = list(itertools.islice(self.cache, excess))
        rows = []
        for fast in victims:
            version = self.cache.pop(fast)
            if version is None:
                continue  # known absent: no current row to read back
            if not version.stored:
                rows.append(self._row(sql, self.spec.key_values(version.key), version))
                version.stored = True
            if self.evicted is not None:
                self.evicted.add(fast)
        self._insert(conn, sql, rows)
        return len(victims)

    def discard(self) -> None:
        self.touched = {}
