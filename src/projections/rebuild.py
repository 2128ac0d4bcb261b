"""Blue/green rebuilds and verification of views against the event log.

`rebuild` projects the whole log into a NEW generation of the views' tables while
reads (and the live projector) keep using the live one, builds the secondary indexes,
then swaps: one transaction moves every rebuilt view's pointer, and only once the new
generation has reached the live one's position, so no reader ever goes back in time.
The previous generation stays until the next rebuild (then it is dropped).

`verify` builds aside the same way, up to the live position, compares every row
version of the two (up to the position both have applied), reports the differences and
drops the aside generation.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cs_domain.app import CustomerSuccess
from projections import parking, state
from projections.db import ReadModels
from projections.generations import create_indexes, drop_generation, drop_stale, new_generation, prepare
from projections.registry import select_views
from projections.runner import Progress, Projector
from projections.versioned import rows_of
from projections.view import View

REBUILD_BATCH = 20_000
# Current rows a rebuild keeps in memory, all tables together (~1 KB each): past it the
# biggest tables' least recently used rows are written out and read back only if a later
# event needs them, so its memory stays flat however long the log (Projector._trim_load).
REBUILD_CACHE = 100_000
# The cyclic garbage collector's thresholds during a load. A load keeps ~10^6 long-lived
# objects (the cached rows) and allocates millions of short-lived ones (decoded events,
# row dicts); with the default thresholds (700, 10, 10) every full collection walks all of
# the cached rows again: half of a rebuild's CPU at 100k events (docs/performance.md).
# Collections stay automatic, only rarer, so cyclic garbage is still freed and memory
# stays flat (tests/bench/test_bounded_rebuild.py).
LOAD_GC_THRESHOLDS = (50_000, 20, 10)


@contextmanager
def gc_for_load(thresholds: tuple[int, int, int] = LOAD_GC_THRESHOLDS) -> Iterator[None]:
    """Rarer (not disabled) garbage collections while a load runs; restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class RebuildFailed(RuntimeError):
    def __init__(self, failures: dict[str, str]):
        self.failures = failures
        super().__init__("; ".join(f"{v}: {e}" for v, e in failures.items()))


@dataclass(frozen=True)
class Difference:
    """A view row whose versions differ: `live` and `rebuilt` list the differing versions."""

    view: str
    table: str
    key: Any
    live: list[dict[str, Any]]
    rebuilt: list[dict[str, Any]]

    def describe(self) -> str:
        return f"{self.view}.{self.table} {self.key!r}: live {self.live} != rebuilt {self.rebuilt}"


def build_aside(app: CustomerSuccess, models: ReadModels, views: list[View],
                progress: Progress | None = None, upto: int | None = None,
                batch_size: int = REBUILD_BATCH, max_cache: int = REBUILD_CACHE
                ) -> tuple[dict[str, int], Projector]:
    """Projects the log (up to `upto`) into new generations; returns them and the projector."""
    prepare(models, views)
    drop_stale(models, views)
    targets = {v.name: new_generation(models, v) for v in views}
    projector = Projector(app, models, views, batch_size=batch_size, targets=targets,
                          load_cache=max_cache)
    try:
        with gc_for_load():
            projector.catch_up(progress, upto)
        if projector.failures():
            raise RebuildFailed(projector.failures())
        projector.flush_deferred()
        with models.write() as conn:
            for view in views:
                create_indexes(conn, view, targets[view.name])
                if not models.is_sqlite:
                    # Fresh tables have no planner statistics until autovacuum gets to
                    # them: without these, reads right after a swap can miss the indexes.
                    for spec in view.tables:
                        table = spec.table(targets[view.name])
                        conn.exec_driver_sql(f"ANALYZE {conn.dialect.identifier_preparer.quote(table.name)}")
    except BaseException:
        discard(models, views, targets)
        raise
    return targets, projector


def discard(models: ReadModels, views: list[View], targets: dict[str, int]) -> None:
    with models.write() as conn:
        for view in views:
            drop_generation(conn, view, targets[view.name])


def rebuild(app: CustomerSuccess, models: ReadModels, names: Iterable[str | View] | None = None,
            progress: Progress | None = None, *, batch_size: int = REBUILD_BATCH,
            swap_attempts: int = 100, max_cache: int = REBUILD_CACHE) -> dict[str, int]:
    """Rebuilds the named views (all when None) blue/green; returns their new generations."""
    views = select_views(names)
    targets, projector = build_aside(app, models, views, progress, batch_size=batch_size,
                                     max_cache=max_cache)
    try:
        swap_in(models, views, targets, projector, progress, swap_attempts)
    except BaseException:
        discard(models, views, targets)
        raise
    return targets


def swap_in(models: ReadModels, views: list[View], targets: dict[str, int],
            projector: Projector, progress: Progress | None = None, attempts: int = 100
            ) -> None:
    """Makes the built generations live in one transaction, once they have reached the
    live views' positions (`projector`, pinned on `targets`, follows the log until then)."""
    for _ in range(attempts):
        if _try_swap(models, views, targets, projector):
            return
        projector.catch_up(progress)  # the live views moved on: follow, then retry
        if projector.failures():
            raise RebuildFailed(projector.failures())
        time.sleep(0.01)
    raise RuntimeError("rebuild could not catch up with the live views to swap")


def _try_swap(models: ReadModels, views: list[View], targets: dict[str, int],
              projector: Projector) -> bool:
    with models.write() as conn:
        for view in views:
            state.lock_pointer(conn, view.name)  # holds the live projectors off
        live = state.live_states(conn, [v.name for v in views])
        built = {v.name: state.generation_state(conn, v.name, targets[v.name]) for v in views}
        for view in views:
            b = built[view.name]
            if b is None or (view.name in live and b.position < live[view.name].position):
                return False
        for view in views:
            b = built[view.name]
            assert b is not None
            state.advance(conn, view.name, b.generation, b.position, state.OK)
            state.set_pointer(conn, view.name, b.generation)
            if view.name in live:
                parking.adopt(conn, view.name, live[view.name].generation, b.generation)
    return True


def verify(app: CustomerSuccess, models: ReadModels, names: Iterable[str | View] | None = None,
           progress: Progress | None = None, *, batch_size: int = REBUILD_BATCH
           ) -> list[Difference]:
    """Rebuilds aside up to the live position and returns every difference from live."""
    views = select_views(names)
    prepare(models, views)
    with models.read() as conn:
        upto = max(s.position for s in state.live_states(conn, [v.name for v in views]).values())
    targets, _ = build_aside(app, models, views, progress, upto=upto, batch_size=batch_size)
    try:
        return compare(models, views, targets)
    finally:
        discard(models, views, targets)


def compare(models: ReadModels, views: list[View], targets: dict[str, int]) -> list[Difference]:
    diffs: list[Difference] = []
    with models.read() as conn:
        live = state.live_states(conn, [v.name for v in views])
        for view in views:
            lv = live[view.name]
            built = state.generation_state(conn, view.name, targets[view.name])
            assert built is not None
            if lv.status == state.FAILED:
                diffs.append(Difference(view.name, "(status)", view.name,
                                        [{"status": lv.status, "position": lv.position,
                                          "error": lv.error,
                                          "error_position": lv.error_position}],
                                        [{"status": state.OK, "position": built.position}]))
            cut = min(lv.position, built.position)
            for spec in view.tables:
                diffs.extend(_diff_table(view.name, spec.name, spec.key_of,
                                         rows_of(conn, spec, lv.generation, cut),
                                         rows_of(conn, spec, built.generation, cut)))
    return diffs


def _diff_table(view: str, table: str, key_of: Callable[[dict[str, Any]], Any],
                live_rows: Iterable[dict[str, Any]], built_rows: Iterable[dict[str, Any]]
                ) -> list[Difference]:
    def index(rows: Iterable[dict[str, Any]]) -> dict[Any, list[dict[str, Any]]]:
        out: dict[Any, list[dict[str, Any]]] = {}
        for row in rows:
            out.setdefault(key_of(row), []).append(row)
        for versions in out.values():
            versions.sort(key=lambda r: r["valid_from"])
        return out

    live, built = index(live_rows), index(built_rows)
    diffs = []
    for key in sorted(set(live) | set(built), key=repr):
        a, b = live.get(key, []), built.get(key, [])
        if a != b:
            diffs.append(Difference(view, table, key, [r for r in a if r not in b],
                                    [r for r in b if r not in a]))
    return diffs


def dump(models: ReadModels, names: Iterable[str | View] | None = None, at: int | None = None,
         *, history: bool = False) -> dict[str, dict[str, dict[Any, Any]]]:
    """Every row of the live views as `{view: {table: {key: data}}}` (for tests and checks).

    `at`: rows as of that position; `history=True`: all versions up to `at` instead,
    keyed by (key, valid_from) with valid_to cut at `at`.
    """
    out: dict[str, dict[str, dict[Any, Any]]] = {}
    views = select_views(names)
    with models.read() as conn:
        live = state.live_states(conn, [v.name for v in views])
        for view in views:
            gen = live[view.name].generation
            tables: dict[str, dict[Any, Any]] = {}
            for spec in view.tables:
                rows: dict[Any, Any] = {}
                for row in rows_of(conn, spec, gen, at):
                    key = spec.key_of(row)
                    if history:
                        rows[(key, row["valid_from"])] = row
                    elif row["valid_to"] is None:
                        data = {c: row[c] for c in spec.data_names}
                        rows[key] = data
                tables[spec.name] = rows
            out[view.name] = tables
    return out
