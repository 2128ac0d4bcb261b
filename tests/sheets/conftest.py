"""Fixtures of the sheet tests: the API with its projectors (tests.api.reads' `live`)."""

from tests.api.conftest import api_settings  # noqa: F401
from tests.api.reads.conftest import live  # noqa: F401
from tests.api.test_cli import env  # noqa: F401
