"""The quarterly review (figures equal to the metrics endpoints, reproducible bytes) and a
risk's evidence checked offline by docs/verify_evidence.py. Both stores."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.api import work_support as ws
from tests.api.reads.conftest import ReadApi
from tests.sheets.sample import CONTRACTS, CUSTOMERS, upload

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_evidence.py"
Q4 = {"from": "2025-10-01", "to": "2025-12-31"}


def loaded(api: ReadApi) -> str:
    api.user("csm", "Chen Jing")
    upload(api, "customers", CUSTOMERS)
    upload(api, "contracts", CONTRACTS)
    return str(api.read("/customers")["items"][0]["id"])


def test_the_review_carries_the_endpoints_figures(live: ReadApi) -> None:
    customer = loaded(live)
    ws.risk(live, customer, closed=True)
    report = live.read("/reports/quarterly", quarter="2025Q4")
    assert report["renewals"] == live.read("/metrics/renewals", **Q4)
    assert report["risks"] == live.read("/metrics/risks", today=Q4["to"], **Q4)
    assert report["activation"] == live.read("/metrics/activation", **Q4)
    assert report["usage"] == live.read("/metrics/usage", **Q4)
    assert report["requirements"] == live.read("/metrics/requirements", **Q4)
    assert report["complaints"] == live.read("/metrics/complaints", today=Q4["to"], **Q4)
    assert report["playbooks"] == live.read("/metrics/playbooks", **Q4)
    assert report["team"] == live.read("/team", today=Q4["to"])
    assert report["classification"] == live.read("/classification", **Q4)
    assert report["previous"]["renewals"] == live.read(
        "/metrics/renewals", **{"from": "2025-07-01", "to": "2025-09-30"})
    assert report["quarter"] == "2025Q4" and report["previous_quarter"] == "2025Q3"
    verify = live.get("/audit/verify").json()
    assert report["position"] == live.head()
    assert report["head_hash"] == verify["head"]


def test_the_same_quarter_and_as_of_give_the_same_bytes(live: ReadApi) -> None:
    loaded(live)
    moment = datetime.now(UTC).isoformat()
    first = live.get("/reports/quarterly", quarter="2025Q4", as_of=moment)
    upload(live, "contracts", CONTRACTS.replace("N-4", "N-5"))
    second = live.get("/reports/quarterly", quarter="2025Q4", as_of=moment)
    assert first.status_code == 200 and first.content == second.content
    html = live.get("/reports/quarterly", quarter="2025Q4", format="html")
    assert html.headers["content-type"].startswith("text/html")
    assert html.text.count("<svg") == 3 and "cdn" not in html.text.lower()
    book = load_workbook(io.BytesIO(
        live.get("/reports/quarterly", quarter="2025Q4", format="xlsx").content))
    assert book["Summary"]["B1"].value == "2025Q4"
    assert book["Renewal rate per currency"]._charts
    assert live.get("/reports/quarterly", quarter="2025Q5").status_code == 422


@pytest.mark.parametrize("role,status", [("manager", 200), ("analyst", 200), ("auditor", 200),
                                         ("csm", 403), ("support", 403)])
def test_who_reads_the_review(live: ReadApi, role: str, status: int) -> None:
    user = live.user(role)
    assert live.get("/reports/quarterly", user.headers, quarter="2026Q3").status_code == status


def run_script(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(path), *args], capture_output=True,
                          text=True, check=False)


def test_evidence_verifies_offline_and_a_tampered_file_fails(live: ReadApi,
                                                            tmp_path: Path) -> None:
    customer = loaded(live)
    risk = ws.risk(live, customer, closed=True)
    auditor = live.user("auditor")
    assert live.get(f"/risks/{risk}/evidence", live.user("csm").headers).status_code == 403
    response = live.get(f"/risks/{risk}/evidence", auditor.headers)
    assert response.status_code == 200
    evidence = response.json()
    assert [e["type"] for e in evidence["events"]][:1] == ["Raised"]
    assert all(e["actor"] for e in evidence["events"]) and len(evidence["events"]) >= 2
    head = live.get("/audit/verify").json()["head"]
    good = tmp_path / "evidence.json"
    good.write_text(json.dumps(evidence))
    assert run_script(good, "--head", head).returncode == 0
    forged = json.loads(json.dumps(evidence))
    state = json.loads(base64.b64decode(forged["events"][-1]["state"]))
    state["resolution"] = "nothing to see"
    forged["events"][-1]["state"] = base64.b64encode(json.dumps(state).encode()).decode()
    forged["events"][-1]["data"] = state
    bad = tmp_path / "forged.json"
    bad.write_text(json.dumps(forged))
    result = run_script(bad)
    assert result.returncode == 1 and "hash does not match" in result.stdout
    assert run_script(good, "--head", "0" * 64).returncode == 1
    assert live.get(f"/risks/{customer}/evidence", auditor.headers).status_code == 404
