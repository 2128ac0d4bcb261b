"""`cs-ledger import` and `cs-ledger export`, run as a user would, on both stores."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from cs_domain.imports import CustomerKey
from cs_store.factory import build_application
from cs_store.settings import Settings
from tests.sheets.sample import CONTRACTS, CUSTOMERS
from tests.sheets.test_reports import SCRIPT


@pytest.mark.usefixtures("env")
def test_import_then_export(settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["users", "add", "Chen Jing", "--role", "csm"]).exit_code == 0
    assert runner.invoke(cli, ["users", "add", "Li Wei", "--role", "manager"]).exit_code == 0
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8-sig")
    (tmp_path / "contracts.csv").write_text(CONTRACTS)
    refused = runner.invoke(cli, ["import", "customers", "customers.csv", "--as", "Chen Jing"])
    assert refused.exit_code == 1
    dry = runner.invoke(cli, ["import", "customers", "customers.csv", "--dry-run"])
    assert dry.exit_code == 0 and "3 created" in dry.output
    done = runner.invoke(cli, ["import", "customers", "customers.csv", "--as", "Li Wei"])
    assert done.exit_code == 0, done.output
    assert "ignored columns: notes" in done.output
    bad = CONTRACTS.replace("K-2", "K-404")
    (tmp_path / "bad.csv").write_text(bad)
    result = runner.invoke(cli, ["import", "contracts", "bad.csv"])
    assert result.exit_code == 1 and "line 4, customer" in result.output
    assert runner.invoke(cli, ["import", "contracts", "contracts.csv"]).exit_code == 0
    app = build_application(settings)
    try:
        head = app.max_position()
    finally:
        app.close()
    out = runner.invoke(cli, ["export", "renewals", "--from", "2025-01-01", "--to",
                              "2026-12-31", "--out", "r.csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert sorted(r["number"] for r in rows) == ["N-1", "N-2", "N-3", "N-4"]
    again = runner.invoke(cli, ["import", "contracts", "r.csv"])
    assert again.exit_code == 0 and "0 created, 0 updated, 4 unchanged" in again.output
    app = build_application(settings)
    try:
        assert app.max_position() >= head
    finally:
        app.close()


@pytest.mark.usefixtures("env")
def test_report_and_evidence_files(settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["users", "add", "Chen Jing", "--role", "csm"]).exit_code == 0
    (tmp_path / "customers.csv").write_text(CUSTOMERS)
    assert runner.invoke(cli, ["import", "customers", "customers.csv"]).exit_code == 0
    app = build_application(settings)
    try:
        customer = app.load(CustomerKey, CustomerKey.id_for("K-1")).customer_id
        risk = app.raise_risk(actor="tester", customer_id=customer, title="Slow rollout",
                              category="adoption", severity="high", due_date=date(2025, 12, 1),
                              raised_on=date(2025, 11, 1)).id
    finally:
        app.close()
    result = runner.invoke(cli, ["report", "quarterly", "--quarter", "2025Q4", "--out", "rev"])
    assert result.exit_code == 0, result.output
    review = json.loads((tmp_path / "rev" / "quarterly-2025Q4.json").read_text())
    assert review["quarter"] == "2025Q4" and review["renewals"]["currencies"] == []
    assert (tmp_path / "rev" / "quarterly-2025Q4.html").read_text().count("<svg") == 3
    result = runner.invoke(cli, ["audit", "evidence", "--risk", str(risk), "--out", "ev.json"])
    assert result.exit_code == 0, result.output
    checked = subprocess.run([sys.executable, str(SCRIPT), "ev.json"], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stdout
