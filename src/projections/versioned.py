"""Row-version tables: every view row is kept as versions valid between log positions.

A version is visible as of position P when `valid_from <= P < valid_to` (valid_to NULL
= still current), so any view can be read as it stood at any position with indexed
SELECTs instead of a replay (see docs/adr/0004-as-of-row-versions.md).

A view declares its tables once as :class:`VersionedTable` specs; the engine makes one
physical table per generation (`rm_<name>_g<N>`) for blue/green rebuilds. Projectors
change rows through a :class:`projections.writer.TableWriter`.
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
    _statements: dict[tuple[int, str], Statements] = field(
        default_factory=dict, compare=False, repr=False)

    @cached_property
    def key_names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)

    @cached_property
    def data_names(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.columns)

    @cached_property
    def data_name_set(self) -> frozenset[str]:
        return frozenset(self.data_names)

    def statements(self, generation: int, dialect: Dialect) -> Statements:
        """Raw SQL and bind processors for the hot loop, built once per table and dialect."""
        cache_key = (generation, dialect.name)
        found = self._statements.get(cache_key)
        if found is None:
            found = Statements.build(self.table(generation), self.key_names, dialect)
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
class Statements:
    """INSERT of a version and UPDATE closing one, as driver SQL with per-column processors.

    The hot loop bypasses SQLAlchemy's per-row parameter handling (the largest cost of a
    rebuild when profiled): values are converted by the column types' own bind processors
    and sent with one DBAPI executemany per statement and batch.
    """

    insert_sql: str
    insert_procs: Processors
    close_sql: str
    close_procs: Processors
    select_current: Select[Any]

    @classmethod
    def build(cls, table: Table, key_names: tuple[str, ...], dialect: Dialect) -> Statements:
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
        return cls(insert_sql, _processors(cols, dialect), close_sql,
                   _processors(close_cols, dialect), select_current)


# (column index, bind processor) of the columns that have one: the others pass as they are.
Processors = tuple[tuple[int, Callable[[Any], Any]], ...]


def _processors(columns: Sequence[Column[Any]], dialect: Dialect) -> Processors:
    procs = ((i, c.type.bind_processor(dialect)) for i, c in enumerate(columns))
    return tuple((i, proc) for i, proc in procs if proc is not None)


def visible(table: Table, at: int | ColumnElement[int] | None) -> ColumnElement[bool]:
    """Versions visible now (at=None) or as of position `at` (a value or a bind parameter)."""
    if at is None:
        return table.c.valid_to.is_(None)
    return and_(
        table.c.valid_from <= at, or_(table.c.valid_to.is_(None), table.c.valid_to > at)
    )


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
