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


def test_a_run_on_a_reused_dataset_keeps_the_figures_of_its_generation(tmp_path: Path) -> None:
    write_results(tmp_path, {"sqlite": {"generate_events_per_s": 5000.0, "generate_s": 200.0,
                                        "rebuild_events_per_s": 4000.0}})
    write_results(tmp_path, {"sqlite": {"generate_events_per_s": None, "generate_s": None,
                                        "rebuild_events_per_s": None}})
    results = json.loads((tmp_path / "results.json").read_text())["sqlite"]
    assert (results["generate_events_per_s"], results["generate_s"]) == (5000.0, 200.0)
    assert results["rebuild_events_per_s"] is None  # other figures: the latest run's
