"""Fixtures of the automation tests: read models beside each test's store, a small world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections.db import ReadModels
from tests.automation.story import Story


@pytest.fixture
def models(settings: Settings) -> Iterator[ReadModels]:
    read_models = ReadModels.from_settings(settings)
    yield read_models
    read_models.dispose()


@pytest.fixture
def story(app: CustomerSuccess) -> Story:
    return Story(app)
