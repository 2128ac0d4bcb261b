"""`cs-ledger predict train` as a user runs it: too little history refuses naming
`until` and records nothing; bad options exit 2 (training itself:
tests/api/reads/test_churn_predictions.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from cs_domain.churn_model import REGISTRY_ID
from cs_store.factory import build_application
from cs_store.settings import Settings
from tests.api.test_cli import env  # noqa: F401  (fixture)


def churn_events(settings: Settings) -> list[object]:
    app = build_application(settings)
    try:
        return list(app.repository.event_store.get(REGISTRY_ID))
    finally:
        app.close()


def test_an_empty_history_trains_nothing(env: dict[str, str], settings: Settings):  # noqa: F811
    result = CliRunner().invoke(cli, ["predict", "train", "--until", "2026-01-31"])
    assert result.exit_code == 1, result.output
    assert "until" in result.output
    assert churn_events(settings) == []


@pytest.mark.parametrize("args", [
    ["predict", "train", "--until", "31/01/2026"],
    ["predict", "train", "--until", "2300-01-01"],
    ["predict", "train", "--horizon-days", "6"],
    ["predict", "train", "--horizon-days", "366"],
])
def test_bad_options_exit_2(env: dict[str, str], args: list[str]):  # noqa: F811
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
