"""The shared body of the projection properties: incremental == rebuild, as-of == cut rebuild.

Each property test draws its own commands and runs them through its own World; this module
projects them live, rebuilds from scratch and up to a random cut, and compares the three.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.rebuild import dump
from projections.runner import Projector
from tests.conftest import drop_schema, make_settings


class Driven(Protocol):
    """What the harness needs of a World: it runs commands and may swap its projector."""

    live: Projector

    def run(self, command: tuple[Any, ...]) -> None: ...


W = TypeVar("W", bound=Driven)


@contextmanager
def store(kind: str) -> Iterator[tuple[Settings, CustomerSuccess]]:
    tmp = Path(tempfile.mkdtemp(prefix="cs-prop-"))
    s = make_settings(kind, tmp, prepared=True)
    app = build_application(s)
    try:
        yield s, app
    finally:
        app.close()
        drop_schema(s)
        shutil.rmtree(tmp, ignore_errors=True)


def other_models(s: Settings, label: str) -> tuple[ReadModels, Settings]:
    if s.is_postgres:
        other = s.model_copy(update={"database_schema": f"{s.database_schema}_{label}"})
        return ReadModels.from_settings(other), other
    return ReadModels(f"sqlite:///{s.data_dir / f'views-{label}.db'}"), s


def check_incremental_and_as_of(
    kind: str, commands: list[tuple[Any, ...]], *, final_batch: int, max_cache: int,
    cut: float, world: Callable[[CustomerSuccess, Projector], W],
    label: Callable[[ReadModels], None],
    compare: Callable[[W, ReadModels, ReadModels, int], None],
) -> None:
    """Runs `commands` through `world`, projecting live, then checks both properties.

    `label` sees the live views (to tag the example with hypothesis events); `compare`
    gets the world, the live views, the rebuild cut at `position` and `position`, and
    asserts that the queries read as of `position` equal those of the cut rebuild.
    """
    with store(kind) as (s, app):
        live_models = ReadModels.from_settings(s)
        made = [live_models]
        try:
            # max_cache 0: every batch reads current rows back from the database (the
            # incremental path); the clean rebuild below keeps everything in memory.
            live = Projector(app, live_models, batch_size=final_batch, max_cache=max_cache)
            driven = world(app, live)
            for command in commands:
                driven.run(command)
            live = driven.live
            live.batch_size = final_batch
            head = live.catch_up()
            assert head == app.max_position() and not live.failures()
            label(live_models)

            clean, _ = other_models(s, "clean")
            made.append(clean)
            Projector(app, clean, batch_size=10_000).catch_up()
            assert dump(live_models, history=True) == dump(clean, history=True)

            position = round(cut * head)
            upto, _ = other_models(s, "upto")
            made.append(upto)
            assert Projector(app, upto, batch_size=10_000).catch_up(upto=position) == position
            assert dump(live_models, at=position) == dump(upto)
            compare(driven, live_models, upto, position)
        finally:
            for m in made:
                m.dispose()
            if s.is_postgres:
                for name in ("clean", "upto"):
                    drop_schema(s.model_copy(
                        update={"database_schema": f"{s.database_schema}_{name}"}))
