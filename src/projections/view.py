"""What a view is: its tables, its projector (event handlers) and its extension hooks.

A view module declares its :class:`~projections.versioned.VersionedTable` specs, a
:class:`View` subclass whose methods marked ``@on(EventClass, ...)`` apply events to
those tables, and its query functions; it is then listed once in
:mod:`projections.registry`. Handlers only write their own view's tables; queries may
read any view's tables through a :class:`Reader`.

Hooks let later views plug into composite reads without editing them:
``customer_filters`` (extra filters of the customer list, e.g. ``health_band``),
``customer_sections`` (keys of the customer 360, e.g. ``health``, ``risks``) and
the ``contract_progress`` method (progress of contracts, from delivery projects).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import BigInteger, Connection, CursorResult, Table, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from projections.state import ViewState, live_states
from projections.versioned import VersionedTable, visible
from projections.writer import TableWriter

Handler = Callable[[Any, "ViewTx", Any], None]


def on(*event_classes: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Marks a View method as the handler of these event classes."""

    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn._cs_handles = event_classes  # type: ignore[attr-defined]
        return fn

    return mark


class ViewTx:
    """What a handler sees: the table writers of its view and the current event's place."""

    def __init__(self, writers: dict[str, TableWriter]):
        self.writers = writers
        self.position = 0
        self.recorded_at = ""
        # What a view resolves once per transaction rather than per event (configuration).
        self.memo: dict[str, Any] = {}

    def at(self, position: int, recorded_at: str) -> None:
        self.position = position
        self.recorded_at = recorded_at
        for w in self.writers.values():
            w.position = position

    def __getitem__(self, spec: VersionedTable) -> TableWriter:
        return self.writers[spec.name]


class ViewNotReady(LookupError):
    """A view's tables do not exist yet (the projector has never prepared them)."""


# Statements of `Reader.prepared`, by (key, table names, current read); bounded (a rebuild
# makes new generations: the old ones' statements are dropped when the cache is full).
_PREPARED: dict[tuple[Any, ...], Any] = {}
MAX_PREPARED = 1024


class Reader:
    """Resolves live generations once per read and records which views a result used.

    `position` is what the result reflects: the as-of position, or (for current reads)
    the lowest position among the views read — every event up to it is included.
    """

    def __init__(self, conn: Connection, at: int | None, today: date | None = None):
        self.conn = conn
        self.at = at
        self.today = today
        try:
            self.states: dict[str, ViewState] = live_states(conn)
        except DBAPIError as error:
            raise ViewNotReady("the read models are not prepared yet (start a projector or "
                               "call projections.generations.prepare)") from error
        self.used: set[str] = set()

    def table(self, spec: VersionedTable) -> Table:
        state = self.states.get(spec.view)
        if state is None:
            raise ViewNotReady(f"view {spec.view!r} has not been prepared")
        self.used.add(spec.view)
        return spec.table(state.generation)

    def visible(self, table: Table) -> ColumnElement[bool]:
        return visible(table, self.at)

    # --- prepared statements ---------------------------------------------------------
    def prepared(self, key: Hashable, specs: Sequence[VersionedTable],
                 build: Callable[..., Any]) -> Any:
        """A statement built once per `key`, live tables and kind of read (now / as of).

        Building a SQLAlchemy statement and its cache key costs more than running a short
        indexed query (a customer 360 runs 16), so hot reads build theirs once:
        `build(*tables)` returns it with bind parameters for the values and
        :meth:`visible_bound` for the visibility; :meth:`run` binds them. `key` names the
        statement and every choice that changes its shape (which filters, a limit).
        """
        tables = tuple(self.table(spec) for spec in specs)
        cache_key = (key, tuple(t.name for t in tables), self.at is None)
        stmt = _PREPARED.get(cache_key)
        if stmt is None:
            if len(_PREPARED) >= MAX_PREPARED:
                _PREPARED.clear()
            stmt = _PREPARED[cache_key] = build(*tables)
        return stmt

    def visible_bound(self, table: Table) -> ColumnElement[bool]:
        """As :meth:`visible`, with the as-of position a bind parameter (`:at`)."""
        return visible(table, None if self.at is None else bindparam("at", type_=BigInteger))

    def run(self, stmt: Any, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
        """Executes a :meth:`prepared` statement with its values (and `:at`)."""
        values = dict(params or {})
        if self.at is not None:
            values["at"] = self.at
        return self.conn.execute(stmt, values)

    @property
    def position(self) -> int:
        positions = [self.states[v].position for v in self.used]
        if self.at is not None:
            positions.append(self.at)
        return min(positions) if positions else (self.at or 0)


CustomerFilter = Callable[[Reader, Table, Any], ColumnElement[bool]]
CustomerSection = Callable[[Reader, UUID, date], Any]


class View:
    """Base of every view. Subclasses set `name`, `tables` and mark handlers with @on."""

    name: ClassVar[str]
    tables: ClassVar[tuple[VersionedTable, ...]]
    customer_filters: ClassVar[dict[str, CustomerFilter]] = {}
    customer_sections: ClassVar[dict[str, CustomerSection]] = {}
    _handlers: ClassVar[dict[type, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[type, Handler] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_cls in getattr(attr, "_cs_handles", ()):
                    handlers[event_cls] = attr
        cls._handlers = handlers
        for spec in getattr(cls, "tables", ()):
            if spec.view != cls.name:
                raise TypeError(f"table {spec.name} belongs to view {spec.view}, not {cls.name}")

    def contract_progress(self, r: Reader, contract_ids: list[UUID]) -> dict[UUID, Any] | None:
        """Progress (a Decimal in [0, 1]) of these contracts, if this view knows it."""
        return None

    def handles(self, event_cls: type) -> bool:
        return event_cls in self._handlers

    @property
    def event_classes(self) -> Iterable[type]:
        return self._handlers.keys()

    def apply(self, tx: ViewTx, event: Any) -> None:
        self._handlers[type(event)](self, tx, event)
