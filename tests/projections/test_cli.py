"""`cs-ledger project` and `cs-ledger rebuild [--view] [--verify]` exit codes and output."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from typer.testing import CliRunner

from api.cli.base import app as cli_app
from cs_domain.app import CustomerSuccess
from cs_store.settings import Settings
from projections import state
from projections.db import ReadModels
from projections.views.contracts import CONTRACTS
from tests.projections import scenario as s


def run(settings: Settings, *args: str) -> tuple[int, str]:
    env = {"CS_LEDGER_DATA_DIR": str(settings.data_dir), "CS_LEDGER_DATABASE_URL": "",
           "CS_LEDGER_DATABASE_SCHEMA": settings.database_schema,
           "CS_LEDGER_DEFAULT_PLAYBOOKS": "0"}  # as the `settings` fixture's store
    if settings.is_postgres:
        env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
    result = CliRunner().invoke(cli_app, list(args), env=env)
    return result.exit_code, result.output


def test_project_rebuild_and_verify_from_the_command_line(
    app: CustomerSuccess, settings: Settings, models: ReadModels
) -> None:
    csm = s.user(app)
    contract = s.contract(app, s.customer(app, csm, "Acme"), "C-9", "990", "EUR",
                          date(2025, 12, 31))
    code, out = run(settings, "project")
    assert code == 0, out
    assert f"views at position {app.max_position()}" in out

    code, out = run(settings, "rebuild", "--verify")
    assert (code, "ok" in out) == (0, True), out

    with models.write() as conn:
        t = CONTRACTS.table(state.live_states(conn)["contracts"].generation)
        conn.execute(update(t).where(t.c.id == contract).values(currency="USD"))
    code, out = run(settings, "rebuild", "--verify")
    assert code == 1, out
    assert "contracts.contracts" in out and str(contract) in out and "1 difference" in out

    code, out = run(settings, "rebuild", "--view", "contracts")
    assert code == 0, out
    assert "rebuilt contracts" in out and "rebuilt users" not in out
    code, out = run(settings, "rebuild", "--verify", "--view", "contracts")
    assert code == 0, out

    code, out = run(settings, "rebuild", "--jobs", "2", "--view", "contracts", "--view", "users")
    assert code == 0, out
    assert "rebuilt contracts" in out and "rebuilt users" in out and "rebuilt risks" not in out
    code, out = run(settings, "rebuild", "--verify")
    assert code == 0, out


def test_an_unknown_view_is_a_usage_error(settings: Settings) -> None:
    code, out = run(settings, "rebuild", "--view", "nonsense")
    assert code == 2
    assert "unknown view(s): nonsense" in out and "customers" in out
    code, out = run(settings, "rebuild", "--verify", "--view", "users", "--view", "nope")
    assert code == 2 and "nope" in out


def test_projector_processes_can_split_the_views(
    app: CustomerSuccess, settings: Settings, models: ReadModels
) -> None:
    """`project --view A --view B` runs only those views: two processes, each with its own
    views, together bring every view to the head (one core each)."""
    from projections.registry import VIEWS

    csm = s.user(app)
    s.contract(app, s.customer(app, csm, "Acme"), "C-1", "100", "EUR", date(2025, 12, 31))
    head = app.max_position()
    code, out = run(settings, "project", "--view", "contracts", "--view", "users")
    assert code == 0, out
    with models.read() as conn:
        positions = {k: v.position for k, v in state.live_states(conn).items()}
    assert positions["contracts"] == positions["users"] == head
    assert positions.get("customers", 0) == 0

    rest = [v.name for v in VIEWS if v.name not in ("contracts", "users")]
    code, out = run(settings, "project", *[a for n in rest for a in ("--view", n)])
    assert code == 0, out
    with models.read() as conn:
        states = state.live_states(conn)
    assert {v.name for v in VIEWS} <= set(states)
    assert all(states[v.name].position == head for v in VIEWS)

    code, out = run(settings, "project", "--view", "nonsense")
    assert code == 2 and "unknown view(s): nonsense" in out
