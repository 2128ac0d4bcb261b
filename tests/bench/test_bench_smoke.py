"""`make bench`'s entry point runs end to end on a tiny log and writes every figure.

Correctness, not timing: the run must succeed (its HTTP part included), and
bench/results.json must hold every key issue 6 names, as numbers where the server
offers the endpoint (an endpoint it lacks is listed in `http_missing`, its figures
null). Runs on SQLite only: a short run of the same code on PostgreSQL adds nothing
here that the PostgreSQL tests of the parts it drives do not already check.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bench.config import EVENTS_PER_CUSTOMER

ROOT = Path(__file__).resolve().parents[2]

FIGURES = ["events", "customers", "append_events_per_s", "baseline_append_events_per_s",
           "append_ratio", "append_cpu_ms_per_event", "baseline_append_cpu_ms_per_event",
           "append_cpu_ratio", "rebuild_events_per_s", "baseline_read_decode_events_per_s",
           "rebuild_ratio", "rebuild_peak_rss_mb", "rebuild_peak_rss_mb_half",
           "rebuild_one_process_events_per_s", "rebuild_one_process_ratio",
           "rebuild_parallel_peak_rss_mb", "rebuild_jobs", "import_rows_per_s",
           "baseline_import_rows_per_s", "import_ratio", "import_s"]
# Figure → the endpoint it needs (docs/api.md).
HTTP_FIGURES = {
    "api_commands_per_s": None, "command_p99_ms": None,
    "customer360_p50_ms": "GET /api/v1/customers/{customer_id}",
    "customer360_p99_ms": "GET /api/v1/customers/{customer_id}",
    "pipeline_p99_ms": "GET /api/v1/renewals",
    "metrics_p99_ms": "GET /api/v1/metrics/renewals",
    "as_of_p99_ms": "GET /api/v1/customers/{customer_id}",
    "board_p99_ms": "GET /app/login",
}
MACHINE = ["cores", "python", "sqlite", "postgresql"]


def _run_bench(env: dict[str, str], timeout: float) -> tuple[int, str]:
    """Runs `python -m bench.run` in a process group of its own, so a run that overstays
    its time is killed with everything it started (the served API, the load generator)
    instead of leaving them behind."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.run"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        pytest.fail(f"bench.run took over {timeout:.0f} s:\n{stderr[-4000:]}")
    return proc.returncode, stderr


@pytest.mark.slow
def test_the_benchmark_writes_every_figure_of_the_issue(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "CS_LEDGER_"))}
    env.update(BENCH_EVENTS="2000", BENCH_STORES="sqlite", BENCH_DIR=str(tmp_path / "data"),
               BENCH_OUT=str(tmp_path / "out"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    returncode, stderr = _run_bench(env, timeout=600)
    assert returncode == 0, stderr[-4000:]

    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert list(results) == ["sqlite"]
    r = results["sqlite"]
    assert r["store"] == "sqlite" and r["errors"] == {}
    assert r["events"] >= 1500 and r["customers"] == round(2000 / EVENTS_PER_CUSTOMER)
    for key in FIGURES:
        assert isinstance(r[key], int | float) and r[key] > 0, key
    # The ratios are the figures over their baselines from the same run.
    assert r["append_ratio"] == pytest.approx(
        r["append_events_per_s"] / r["baseline_append_events_per_s"], abs=0.001)
    assert r["append_cpu_ratio"] == pytest.approx(
        r["baseline_append_cpu_ms_per_event"] / r["append_cpu_ms_per_event"], rel=0.01)
    assert r["rebuild_ratio"] == pytest.approx(
        r["rebuild_events_per_s"] / r["baseline_read_decode_events_per_s"], abs=0.001)
    assert r["rebuild_one_process_ratio"] == pytest.approx(
        r["rebuild_one_process_events_per_s"] / r["baseline_read_decode_events_per_s"],
        abs=0.001)
    assert r["rebuild_jobs"] == (os.cpu_count() or 1)
    missing = r["http_missing"]
    for key, endpoint in HTTP_FIGURES.items():
        assert key in r, key
        if endpoint is None or endpoint not in missing:
            assert isinstance(r[key], int | float) and r[key] > 0, key
        else:
            assert r[key] is None, key
    assert r["api_concurrency"] >= 8
    assert r["board_statuses"] == {"200": 60} and r["board_max_page_kb"] <= 200
    assert r["append_after_checkpoint"] is False  # SQLite: nothing to checkpoint
    # The reads were timed after the views had applied the commands phase.
    assert isinstance(r["views_settle_s"], int | float) and r["views_settle_s"] >= 0
    assert all(key in r["machine"] for key in MACHINE)
    assert r["machine"]["cores"] >= 1 and r["machine"]["sqlite"]

    table = (tmp_path / "out" / "results.md").read_text()
    assert "| `customer360_p99_ms` | ≤ 25 |" in table and "| `append_ratio` |" in table
    # The run cleans up its store (a fresh one each time unless BENCH_REUSE).
    assert not any((tmp_path / "data").glob("sqlite-*/events.db"))
