"""Fixtures for the demo tests: a second, independent store of the same kind as `app`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from cs_store.settings import Settings
from tests.conftest import drop_schema, make_settings


@pytest.fixture
def other_app(settings: Settings, tmp_path: Path) -> Iterator[CustomerSuccess]:
    other = make_settings("postgres" if settings.is_postgres else "sqlite", tmp_path / "other")
    application = build_application(other)
    yield application
    application.close()
    drop_schema(other)
