"""Fixtures of the projection tests: read models beside each test's event store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.runner import Projector
from tests.conftest import drop_schema


@pytest.fixture
def models(settings: Settings) -> Iterator[ReadModels]:
    read_models = ReadModels.from_settings(settings)
    yield read_models
    read_models.dispose()


@pytest.fixture
def projector(app: CustomerSuccess, models: ReadModels) -> Projector:
    return Projector(app, models)


@pytest.fixture
def fresh_models(settings: Settings) -> Iterator[Callable[[], ReadModels]]:
    """Makes empty read-model databases beside the live one (for clean rebuilds)."""
    made: list[tuple[ReadModels, Settings]] = []

    def make() -> ReadModels:
        if settings.is_postgres:
            other = settings.model_copy(update={"database_schema": "r_" + uuid.uuid4().hex[:12]})
            read_models = ReadModels.from_settings(other)
        else:
            path = settings.data_dir / f"views-{uuid.uuid4().hex[:8]}.db"
            read_models = ReadModels(f"sqlite:///{path}")
            other = settings
        made.append((read_models, other))
        return read_models

    yield make
    for read_models, other in made:
        read_models.dispose()
        if other is not settings:
            drop_schema(other)
