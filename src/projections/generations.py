"""Creating, indexing and dropping view generations; preparing a fresh read-model database."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, exc
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable

from projections import parking, state
from projections.db import ReadModels
from projections.view import View


def create_tables(conn: Connection, view: View, generation: int, *, indexes: bool) -> None:
    for spec in view.tables:
        conn.execute(CreateTable(spec.table(generation), if_not_exists=True))
    if indexes:
        create_indexes(conn, view, generation)


def create_indexes(conn: Connection, view: View, generation: int) -> None:
    for spec in view.tables:
        for index in spec.table(generation).indexes:
            conn.execute(CreateIndex(index, if_not_exists=True))


def drop_generation(conn: Connection, view: View, generation: int) -> None:
    for spec in view.tables:
        conn.execute(DropTable(spec.table(generation), if_exists=True))
    state.delete_tracking(conn, view.name, generation)
    parking.drop_generation(conn, view.name, generation)


def prepare(models: ReadModels, views: Sequence[View], attempts: int = 5) -> None:
    """Creates the engine tables and generation 1 of every view that has none yet.

    Safe to run from several processes at once: a losing concurrent create is retried.
    """
    for attempt in range(attempts):
        try:
            with models.write() as conn:
                state.create_engine_tables(conn)
                parking.create_table(conn)
                live = state.live_states(conn)
                for view in views:
                    if view.name in live:
                        continue
                    create_tables(conn, view, 1, indexes=True)
                    if state.generation_state(conn, view.name, 1) is None:
                        state.insert_tracking(conn, view.name, 1, state.OK)
                    state.set_pointer(conn, view.name, 1)
            return
        except (exc.IntegrityError, exc.ProgrammingError, exc.OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def drop_stale(models: ReadModels, views: Sequence[View]) -> list[tuple[str, int]]:
    """Drops every generation that is not live: retired ones and abandoned builds."""
    dropped = []
    with models.write() as conn:
        live = state.live_states(conn)
        for view in views:
            for gen in state.all_generations(conn, view.name):
                if view.name in live and gen.generation == live[view.name].generation:
                    continue
                drop_generation(conn, view, gen.generation)
                dropped.append((view.name, gen.generation))
    return dropped


def new_generation(models: ReadModels, view: View) -> int:
    """Creates the tables of a new generation (secondary indexes come after loading)."""
    with models.write() as conn:
        gens = [g.generation for g in state.all_generations(conn, view.name)]
        live = state.live_states(conn, [view.name])
        if view.name in live:
            gens.append(live[view.name].generation)
        generation = max(gens, default=0) + 1
        create_tables(conn, view, generation, indexes=False)
        state.insert_tracking(conn, view.name, generation, state.BUILDING)
    return generation
