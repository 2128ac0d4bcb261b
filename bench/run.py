"""`make bench`: every figure of docs/performance.md, on each configured store.

    BENCH_EVENTS=100000 python -m bench.run        # (see bench/config.py for the settings)

Per store: generate the demo log (BENCH_EVENTS events), then measure, each figure
next to its baseline from the same run on the same store:

1. read + decode (bare scan), a full rebuild of every view and one of half the log,
   each in a child process (throughput, peak memory);
2. in-process query latency on the rebuilt views;
3. append throughput through the services vs bare library saves;
4. HTTP: `cs-ledger serve` and a separate load generator (commands at concurrency 8,
   customer 360 / pipeline / metrics / as-of latency).

Writes bench/results.json and bench/results.md. A part that fails is reported (its
figures stay null) and the run exits 1 after writing the results.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.append import bench_append
from bench.children import bench_rebuild
from bench.common import say
from bench.config import BenchConfig, close_store, open_store
from bench.dataset import build_pools, load_dataset
from bench.http import bench_http
from bench.imports import bench_import
from bench.machine import describe_machine, load_average
from bench.queries import bench_queries
from bench.report import write_results
from cs_store.factory import build_application
from projections.db import ReadModels

APPEND_SEED = 100
HTTP_SEED = 300


def _part(errors: dict[str, str], name: str, label: str, fn: Callable[[], dict[str, Any]],
          parts: tuple[str, ...]) -> dict[str, Any]:
    if name not in parts:
        say(f"[{label}] {name}: left out (BENCH_PARTS)")
        return {}
    try:
        measured = datetime.now(UTC).isoformat(timespec="seconds")
        return {**fn(), f"{name}_measured_at": measured}
    except Exception as error:  # report and go on: the other figures are still worth having
        traceback.print_exc()
        say(f"[{label}] {name} FAILED: {error}")
        errors[name] = f"{type(error).__name__}: {error}"
        return {}


def bench_store(config: BenchConfig, kind: str) -> dict[str, Any]:
    label = kind
    figures: dict[str, Any] = {
        "store": kind, "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "bench_events": config.events, "customers": config.customers,
        "machine": describe_machine(config.postgres_url),
    }
    errors: dict[str, str] = {}
    store = open_store(config, kind)
    try:
        app = build_application(store.settings)
        try:
            figures.update(load_dataset(app, config, label))
            head = app.max_position()
            figures["events"] = head
            pools = build_pools(app, config)
            say(f"[{label}] dataset: {head:,} events; pools of {len(pools.customers):,} customers "
                f"and {len(pools.contracts):,} live contracts")
            figures.update(_part(errors, "rebuild", label, lambda: bench_rebuild(store, label),
                                 config.parts))
            models = ReadModels.from_settings(store.settings)
            try:
                figures.update(_part(errors, "queries", label,
                                     lambda: bench_queries(models, pools, head, label),
                                     config.parts))
            finally:
                models.dispose()
            # Seeds offset by the head: a reused dataset (BENCH_REUSE) already holds the
            # commands of the last run's seeds, and repeating them would write nothing.
            figures.update(_part(errors, "append", label, lambda: bench_append(
                app, store, pools, config, label, APPEND_SEED + head), config.parts))
            now = app.max_position()
            figures.update(_part(errors, "http", label, lambda: bench_http(
                store, config, pools, now, label, HTTP_SEED + head), config.parts))
            figures.update(_part(errors, "import", label, lambda: bench_import(
                config, kind, label), config.parts))
        finally:
            app.close()
    finally:
        close_store(config, store)
    figures["machine"]["load_average_at_end"] = load_average()
    figures["errors"] = errors
    return figures


def main() -> int:
    config = BenchConfig.from_env()
    say(f"benchmarks: {config.events:,} events (~{config.customers:,} customers) on "
        f"{', '.join(config.stores)}; results in {config.out_dir}")
    measured = {kind: bench_store(config, kind) for kind in config.stores}
    path = write_results(config.out_dir, measured)
    say(f"wrote {path} and {path.with_suffix('.md')}")
    print((config.out_dir / "results.md").read_text())
    failed = {k: v["errors"] for k, v in measured.items() if v["errors"]}
    if failed:
        say(f"some parts failed: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
