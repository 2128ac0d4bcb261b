"""bench/results.json: a run of some parts (BENCH_PARTS) updates only their figures."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import markdown, write_results


def test_a_partial_run_keeps_the_other_figures_of_the_last_run(tmp_path: Path) -> None:
    write_results(tmp_path, {"sqlite": {"store": "sqlite", "rebuild_events_per_s": 4000.0,
                                        "customer360_p99_ms": 30.0},
                             "postgres": {"store": "postgres", "customer360_p99_ms": 40.0}})
    write_results(tmp_path, {"sqlite": {"store": "sqlite", "customer360_p99_ms": 12.5}})
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["sqlite"] == {"store": "sqlite", "rebuild_events_per_s": 4000.0,
                                 "customer360_p99_ms": 12.5}
    assert results["postgres"]["customer360_p99_ms"] == 40.0
    assert "| `customer360_p99_ms` | ≤ 25 | 12.5 | 40.0 |" in markdown(results)
