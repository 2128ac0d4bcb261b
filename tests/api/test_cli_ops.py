"""Settings checked at start, `--version`, `users list|deactivate|rotate-token`."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from cs_runtime.bootstrap import open_application
from cs_store.settings import InvalidSettings, Settings
from tests.api.test_cli import env  # noqa: F401  (fixture)

BAD_URLS = [
    ("postgersql+psycopg://cs@127.0.0.1:5432/db", "unsupported scheme 'postgersql+psycopg'"),
    ("mysql://cs:secret@127.0.0.1/db", "unsupported scheme 'mysql'"),
    ("sqlite:///tmp/x.db", "unsupported scheme 'sqlite'"),
    ("127.0.0.1:5432/db", "not a URL"),
    ("postgresql+psycopg:///db", "no host"),
]


@pytest.mark.parametrize("url,reason", BAD_URLS)
def test_a_bad_database_url_exits_2_with_one_line_naming_the_setting(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, reason: str):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CS_LEDGER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CS_LEDGER_DATABASE_URL", url)
    for command in (["demo", "--tokens"], ["users", "list"], ["tick"], ["automate"], ["serve"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, (command, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: invalid settings: "
                                                       "CS_LEDGER_DATABASE_URL: ")
        assert reason in lines[0] and "secret" not in lines[0]
    assert not (tmp_path / "data").exists()  # nothing fell back to SQLite


def test_settings_refuse_a_bad_url_and_the_api_factory_too(tmp_path: Path):
    with pytest.raises(ValidationError, match="unsupported scheme"):
        Settings(data_dir=tmp_path, database_url="postgersql+psycopg://x@h/db")
    copied = Settings(data_dir=tmp_path).model_copy(update={"database_url": "mysql://h/db"})
    with pytest.raises(InvalidSettings, match="CS_LEDGER_DATABASE_URL: unsupported scheme 'mysql'"):
        create_app(copied)
    assert Settings(data_dir=tmp_path, database_url="postgresql+psycopg://x@h/db").is_postgres
    assert not Settings(data_dir=tmp_path, database_url="  ").is_postgres


def test_other_bad_settings_name_their_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CS_LEDGER_READY_MAX_LAG_EVENTS", "-1")
    result = CliRunner().invoke(cli, ["users", "list"])
    assert result.exit_code == 2 and "CS_LEDGER_READY_MAX_LAG_EVENTS" in result.output


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"cs-ledger {metadata.version('cs-ledger')}"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_users_list_deactivate_and_rotate_token(env: dict[str, str], settings: Settings):  # noqa: F811
    chen = _invoke("users", "add", "Chen Jing", "--role", "csm").strip().splitlines()
    li = _invoke("users", "add", "Li Wei", "--role", "manager").strip().splitlines()
    chen_id = chen[0].rsplit(" ", 1)[1]
    li_id, li_token = li[0].rsplit(" ", 1)[1], li[-1]
    listed = _invoke("users", "list")
    assert "2 user(s)" in listed
    assert chen_id in listed and "Chen Jing" in listed and "csm" in listed

    new_token = _invoke("users", "rotate-token", li_id).strip().splitlines()[-1]
    assert new_token.startswith("csl_") and new_token != li_token
    with open_application(settings) as app:
        assert app.user_for_token(li_token) is None
        user = app.user_for_token(new_token)
        assert user is not None and str(user.id) == li_id

    _invoke("users", "deactivate", chen_id, "--reason", "left the team")
    rows = [line for line in _invoke("users", "list").splitlines() if chen_id in line]
    assert len(rows) == 1 and " no " in rows[0]
    with open_application(settings) as app:
        assert app.user_for_token(chen[-1]) is None

    again = CliRunner().invoke(cli, ["users", "deactivate", chen_id])
    assert again.exit_code == 1 and "Traceback" not in again.output
    unknown = CliRunner().invoke(cli, ["users", "rotate-token", str(uuid4())])
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
    bad = CliRunner().invoke(cli, ["users", "deactivate", "not-a-uuid"])
    assert bad.exit_code == 2
