"""Row-version tables: every view row is kept as versions valid between log positions.

A version is visible as of position P when `valid_from <= P < valid_to` (valid_to NULL
= still current), so any view can be read as it stood at any position with indexed
SELECTs instead of a replay (see docs/adr/0004-as-of-row-versions.md).

A view declares its tables once as :class:`VersionedTable` specs; the engine makes one
physical table per generation (`rm_<name>_g<N>`) for blue/green rebuilds. Projectors
change rows through a :class:`TableWriter`, which turns puts into version rows and
writes them with two executemany statements per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    MetaData,
    Select,
    String,
    Table,
    and_,
    bindparam,
    or_,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine

Key = Any  # a scalar for one key column, a tuple for several
Row = dict[str, Any]


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals on every store: SQLite has no decimal type, so store the text."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: str | None, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


@dataclass(frozen=True)
class VersionedTable:
    """A view table (owned by `view`): keys, data columns, secondary indexes (name tuples).

    `current_indexes` are partial indexes over current rows only (valid_to IS NULL),
    for the fast path of "now" queries; `indexes` serve as-of queries and cover all versions.
    """

    view: str
    name: str
    keys: Sequence[tuple[str, TypeEngine[Any]]]
    columns: Sequence[tuple[str, TypeEngine[Any]]]
    indexes: Sequence[tuple[str, ...]] = ()
    current_indexes: Sequence[tuple[str, ...]] = ()
    _cache: dict[int, Table] = field(default_factory=dict, compare=False, repr=False)
    _statements: dict[tuple[int, str], _Statements] = field(
        default_factory=dict, compare=False, repr=False)

    @cached_property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)

    @cached_property
    def data_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

    def statements(self, generation: int, dialect: Dialect) -> _Statements:
        """Raw SQL and bind processors for the hot loop, built once per table and dialect."""
        cache_key = (generation, dialect.name)
        found = self._statements.get(cache_key)
        if found is None:
            found = _Statements.build(self.table(generation), self.key_names, dialect)
            self._statements[cache_key] = found
        return found

    def physical_name(self, generation: int) -> str:
        return f"rm_{self.name}_g{generation}"

    def table(self, generation: int) -> Table:
        """The SQLAlchemy table of one generation (built once, then reused)."""
        cached = self._cache.get(generation)
        if cached is not None:
            return cached
        name = self.physical_name(generation)
        cols = [Column(k, t, primary_key=True) for k, t in self.keys]
        cols.append(Column("valid_from", BigInteger, primary_key=True, autoincrement=False))
        cols.append(Column("valid_to", BigInteger, nullable=True))
        cols.extend(Column(c, t, nullable=True) for c, t in self.columns)
        table = Table(name, MetaData(), *cols)
        for i, names in enumerate(self.indexes):
            Index(f"ix_{name}_{i}", *(table.c[n] for n in names))
        for i, names in enumerate(self.current_indexes):
            current = table.c.valid_to.is_(None)
            Index(f"cx_{name}_{i}", *(table.c[n] for n in names),
                  sqlite_where=current, postgresql_where=current)
        self._cache[generation] = table
        return table

    def key_of(self, row: Row) -> Key:
        names = self.key_names
        return row[names[0]] if len(names) == 1 else tuple(row[n] for n in names)

    def key_values(self, key: Key) -> tuple[Any, ...]:
        return (key,) if len(self.key_names) == 1 else tuple(key)

    def key_dict(self, key: Key) -> Row:
        names = self.key_names
        if len(names) == 1:
            return {names[0]: key}
        return dict(zip(names, key, strict=True))


@dataclass(frozen=True)
class _Statements:
    """INSERT of a version and UPDATE closing one, as driver SQL with per-column processors.

    The hot loop bypasses SQLAlchemy's per-row parameter handling (the largest cost of a
    rebuild when profiled): values are converted by the column types' own bind processors
    and sent with one DBAPI executemany per statement and batch.
    """

    insert_sql: str
    insert_procs: tuple[Callable[[Any], Any] | None, ...]
    close_sql: str
    close_procs: tuple[Callable[[Any], Any] | None, ...]
    select_current: Select[Any]

    @classmethod
    def build(cls, table: Table, key_names: tuple[str, ...], dialect: Dialect) -> _Statements:
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        cols = list(table.columns)
        insert_sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in cols)}) "
            f"VALUES ({', '.join([mark] * len(cols))})"
        )
        where = " AND ".join(f"{quote(k)} = {mark}" for k in (*key_names, "valid_from"))
        close_sql = f"UPDATE {quote(table.name)} SET valid_to = {mark} WHERE {where}"
        close_cols = [table.c.valid_to, *(table.c[k] for k in key_names), table.c.valid_from]
        current = [table.c[k] == bindparam(f"k_{k}") for k in key_names]
        select_current = select(*(c for c in cols if c.name not in key_names and
                                  c.name != "valid_to")).where(*current, table.c.valid_to.is_(None))
        return cls(insert_sql, tuple(c.type.bind_processor(dialect) for c in cols), close_sql,
                   tuple(c.type.bind_processor(dialect) for c in close_cols), select_current)


def _process(procs: tuple[Callable[[Any], Any] | None, ...], values: list[Any]
             ) -> tuple[Any, ...]:
    for i, proc in enumerate(procs):
        if proc is not None and values[i] is not None:
            values[i] = proc(values[i])
    return tuple(values)


def visible(table: Table, at: int | None) -> ColumnElement[bool]:
    """Versions visible now (at=None) or as of position `at`."""
    if at is None:
        return table.c.valid_to.is_(None)
    return and_(
        table.c.valid_from <= at, or_(table.c.valid_to.is_(None), table.c.valid_to > at)
    )


@dataclass
class _Version:
    valid_from: int
    data: Row
    valid_to: int | None = None
    stored: bool = True  # False: held back in memory by a deferring (rebuild) writer


@dataclass
class _Touched:
    base: _Version | None  # the current version stored before this batch
    versions: list[_Version] = field(default_factory=list)

    def current(self) -> _Version | None:
        if self.versions:
            last = self.versions[-1]
            return last if last.valid_to is None else None
        return self.base if self.base is not None and self.base.valid_to is None else None


class TableWriter:
    """Stages row changes of one table in one batch; `flush` writes them.

    `cache` holds current versions across batches (key → version, None = known absent).
    With `complete=True` (a rebuild into empty tables) a key missing from the cache is
    absent; otherwise it is read from the database once.
    """

    def __init__(self, spec: VersionedTable, generation: int, cache: dict[Key, _Version | None],
                 *, complete: bool, defer: bool = False):
        self.spec = spec
        self.table = spec.table(generation)
        self.cache = cache
        self.complete = complete
        # A rebuild holds current versions back until they are superseded or the load
        # ends: every row is then written once by INSERT, never revisited by UPDATE.
        self.defer = defer and complete
        self.touched: dict[Key, _Touched] = {}
        self.position = 0
        self.generation = generation
        self._names = spec.data_names
        self._conn: Connection | None = None
        self._sql: _Statements | None = None

    def bind(self, conn: Connection) -> None:
        self._conn = conn
        self._sql = self.spec.statements(self.generation, conn.dialect)

    # --- reads -----------------------------------------------------------------
    def _entry(self, key: Key) -> _Touched:
        entry = self.touched.get(key)
        if entry is None:
            entry = _Touched(self._load(key))
            self.touched[key] = entry
        return entry

    def _load(self, key: Key) -> _Version | None:
        if key in self.cache:
            return self.cache[key]
        if self.complete or self._conn is None:
            return None
        assert self._sql is not None
        params = {f"k_{k}": v for k, v in self.spec.key_dict(key).items()}
        row = self._conn.execute(self._sql.select_current, params).first()
        if row is None:
            return None
        values = row._mapping
        return _Version(values["valid_from"], {c: values[c] for c in self._names})

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
        if len(data) != len(self._names) or not all(c in data for c in self._names):
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
        entry.versions.append(_Version(pos, data))

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
            entry.base = _Version(base.valid_from, base.data, pos, base.stored)

    # --- flushing ----------------------------------------------------------------
    def flush(self, conn: Connection) -> int:
        """Writes the staged versions; returns how many rows were written."""
        sql = self.spec.statements(self.generation, conn.dialect)
        closes: list[tuple[Any, ...]] = []
        inserts: list[tuple[Any, ...]] = []
        for key, entry in self.touched.items():
            keys = self.spec.key_values(key)
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
        held = [(key, v) for key, v in self.cache.items() if v is not None and not v.stored]
        rows = [self._row(sql, self.spec.key_values(key), v) for key, v in held]
        self._insert(conn, sql, rows)
        for _key, v in held:
            v.stored = True
        return len(rows)

    def _row(self, sql: _Statements, keys: tuple[Any, ...], v: _Version) -> tuple[Any, ...]:
        data = v.data
        return _process(sql.insert_procs,
                        [*keys, v.valid_from, v.valid_to, *map(data.__getitem__, self._names)])

    def _insert(self, conn: Connection, sql: _Statements, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            width = len(self.spec.key_names) + 1
            rows.sort(key=lambda r: r[:width])  # primary-key order: appends, not random inserts
            conn.exec_driver_sql(sql.insert_sql, rows)  # type: ignore[arg-type]

    def commit_cache(self) -> None:
        """After a successful commit: remember the current version of every touched key."""
        for key, entry in self.touched.items():
            self.cache[key] = entry.current()
        self.touched = {}

    def discard(self) -> None:
        self.touched = {}


def rows_of(conn: Connection, spec: VersionedTable, generation: int, upto: int | None = None
            ) -> Iterable[Row]:
    """Every version of a table (truncated at `upto`: later changes ignored)."""
    t = spec.table(generation)
    stmt = select(t)
    if upto is not None:
        stmt = stmt.where(t.c.valid_from <= upto)
    for r in conn.execute(stmt):
        row = dict(r._mapping)
        if upto is not None and row["valid_to"] is not None and row["valid_to"] > upto:
            row["valid_to"] = None
        yield row
