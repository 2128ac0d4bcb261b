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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    or_,
    select,
    update,
)
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

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)

    @property
    def data_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

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

    def key_dict(self, key: Key) -> Row:
        names = self.key_names
        if len(names) == 1:
            return {names[0]: key}
        return dict(zip(names, key, strict=True))


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
                 *, complete: bool):
        self.spec = spec
        self.table = spec.table(generation)
        self.cache = cache
        self.complete = complete
        self.touched: dict[Key, _Touched] = {}
        self.position = 0
        self._conn: Connection | None = None
        keys = [self.table.c[k] == bindparam(f"k_{k}") for k in spec.key_names]
        self._select_current = select(*(self.table.c[c] for c in ("valid_from", *spec.data_names))
                                      ).where(*keys, self.table.c.valid_to.is_(None))

    def bind(self, conn: Connection) -> None:
        self._conn = conn

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
        params = {f"k_{k}": v for k, v in self.spec.key_dict(key).items()}
        row = self._conn.execute(self._select_current, params).first()
        if row is None:
            return None
        values = row._mapping
        return _Version(values["valid_from"], {c: values[c] for c in self.spec.data_names})

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
        missing = set(self.spec.data_names) - set(data)
        if missing:
            raise ValueError(f"{self.spec.name}: missing columns {sorted(missing)}")
        data = {c: data[c] for c in self.spec.data_names}
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
        row = self.require(key)
        unknown = set(changes) - set(self.spec.data_names)
        if unknown:
            raise ValueError(f"{self.spec.name}: unknown columns {sorted(unknown)}")
        row.update(changes)
        self.put(key, row)

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
            entry.base = _Version(entry.base.valid_from, entry.base.data, pos)

    # --- flushing ----------------------------------------------------------------
    def flush(self, conn: Connection) -> int:
        """Writes the staged versions; returns how many rows were written."""
        closes: list[Row] = []
        inserts: list[Row] = []
        for key, entry in self.touched.items():
            keyd = self.spec.key_dict(key)
            if entry.base is not None and entry.base.valid_to is not None:
                closes.append({**{f"k_{k}": v for k, v in keyd.items()},
                               "k_valid_from": entry.base.valid_from,
                               "new_valid_to": entry.base.valid_to})
            for v in entry.versions:
                inserts.append({**keyd, "valid_from": v.valid_from, "valid_to": v.valid_to,
                                **v.data})
        if closes:
            t = self.table
            stmt = (
                update(t)
                .where(*(t.c[k] == bindparam(f"k_{k}") for k in self.spec.key_names),
                       t.c.valid_from == bindparam("k_valid_from"))
                .values(valid_to=bindparam("new_valid_to"))
            )
            conn.execute(stmt, closes)
        if inserts:
            conn.execute(self.table.insert(), inserts)
        return len(closes) + len(inserts)

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
