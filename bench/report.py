"""Writes bench/results.json (one object per store) and bench/results.md (a table).

A run replaces the objects of the stores it measured and keeps the others from an
earlier run (each object says when and at what size it was measured).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The figures of the issue, in the order the table shows them, with their targets.
ROWS: list[tuple[str, str]] = [
    ("events", ""),
    ("customers", ""),
    ("append_events_per_s", ""),
    ("baseline_append_events_per_s", ""),
    ("append_ratio", "≥ 0.7"),
    ("append_cpu_ratio", ""),
    ("rebuild_events_per_s", ""),
    ("baseline_read_decode_events_per_s", ""),
    ("rebuild_ratio", "≥ 0.5"),
    ("rebuild_jobs", ""),
    ("rebuild_s", ""),
    ("rebuild_one_process_events_per_s", ""),
    ("rebuild_one_process_ratio", ""),
    ("rebuild_parallel_peak_rss_mb", ""),
    ("rebuild_peak_rss_mb", "flat"),
    ("rebuild_peak_rss_mb_half", "flat"),
    ("api_commands_per_s", ""),
    ("import_rows_per_s", ""),
    ("baseline_import_rows_per_s", ""),
    ("import_ratio", ""),
    ("import_s", "≤ 60 at 15,000 customers (SQLite)"),
    ("command_p50_ms", ""),
    ("command_p99_ms", ""),
    ("views_settle_s", ""),
    ("customer360_p50_ms", ""),
    ("customer360_p99_ms", "≤ 25"),
    ("pipeline_p99_ms", ""),
    ("metrics_p99_ms", ""),
    ("as_of_p99_ms", "≤ 1000"),
    ("board_p99_ms", "≤ 150"),
    ("query_customer360_p99_ms", ""),
    ("query_customer360_as_of_p99_ms", ""),
    ("query_pipeline_p99_ms", ""),
    ("query_metrics_p99_ms", ""),
    ("generate_events_per_s", ""),
]


# Measured only by the run that generates the dataset (null when BENCH_REUSE finds it).
FROM_GENERATION = ("generate_s", "generate_events_per_s")


def merge_results(path: Path, measured: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text())
            if isinstance(loaded, dict):
                results = {k: v for k, v in loaded.items() if k in ("sqlite", "postgres")}
        except json.JSONDecodeError:
            pass
    for store, figures in measured.items():
        # A run of some parts (BENCH_PARTS) keeps the other figures of the last run; a run
        # that reuses its dataset keeps the generation figures of the run that made it.
        previous = results.get(store, {})
        kept = {k: previous[k] for k in FROM_GENERATION
                if figures.get(k) is None and previous.get(k) is not None}
        results[store] = {**previous, **figures, **kept}
    return results


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}" if value >= 1000 \
            else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(results: dict[str, dict[str, Any]]) -> str:
    stores = [s for s in ("sqlite", "postgres") if s in results]
    lines = ["# Benchmark results", "",
             "Written by `make bench` (see docs/performance.md for what each figure means).", ""]
    for store in stores:
        r = results[store]
        m = r.get("machine", {})
        lines.append(f"- **{store}**: measured {r.get('measured_at')} on {m.get('cores')} cores "
                     f"({m.get('cpu')}), Python {m.get('python')}, SQLite {m.get('sqlite')}, "
                     f"PostgreSQL {m.get('postgresql') or '–'}; load average at start "
                     f"{m.get('load_average_at_start')}")
    lines += ["", "| figure | target | " + " | ".join(stores) + " |",
              "|---|---|" + "---|" * len(stores)]
    for key, target in ROWS:
        lines.append(f"| `{key}` | {target} | "
                     + " | ".join(_cell(results[s].get(key)) for s in stores) + " |")
    missing: dict[str, list[str]] = {s: results[s]["http_missing"] for s in stores
                                     if results[s].get("http_missing")}
    if missing:
        lines += ["", "Not measured (the server did not offer these endpoints): "
                  + "; ".join(f"{s}: {', '.join(v)}" for s, v in missing.items())]
    return "\n".join(lines) + "\n"


def write_results(out_dir: Path, measured: dict[str, dict[str, Any]]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.json"
    results = merge_results(path, measured)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    (out_dir / "results.md").write_text(markdown(results))
    return path
