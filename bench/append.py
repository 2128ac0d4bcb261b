"""Append throughput: commands through the application services vs bare library saves.

Both run in this process on the same store, interleaved in rounds (ours, then the
baseline with the same number of events of the same sizes), so load from other work on
the machine hits both alike. Ours includes everything a command does: loading what it
refers to, the rules, the hash chain, snapshots; the baseline only saves.
"""

from __future__ import annotations

import time
from typing import Any

from bench.baseline import bare_saver, drop_bare, open_bare
from bench.commands import plan_commands, run_in_process
from bench.common import rate, say
from bench.config import BenchConfig, Store, checkpoint
from bench.dataset import Pools
from cs_domain.app import CustomerSuccess

ROUNDS = 5
WARM_UP = 20


def bench_append(app: CustomerSuccess, store: Store, pools: Pools, config: BenchConfig,
                 label: str, seed: int) -> dict[str, Any]:
    commands = plan_commands(pools, config.append_commands + WARM_UP, seed)
    warm, timed = commands[:WARM_UP], commands[WARM_UP:]
    run = run_in_process(app, pools)
    say(f"[{label}] append: copying the log into the baseline's own store")
    bare = open_bare(app, store)
    try:
        save = bare_saver(bare)
        for c in warm:  # caches, connections, first-time imports: not timed
            run(c)
        for _ in warm:
            save(200)
        # The log just copied (and, in a full run, the rebuilt views) out of the way first.
        checkpointed = checkpoint(store)
        ours_s = bare_s = ours_cpu = bare_cpu = 0.0
        events = 0
        sizes_total = 0
        per_round = -(-len(timed) // ROUNDS)
        for r in range(ROUNDS):
            chunk = timed[r * per_round:(r + 1) * per_round]
            before = app.max_position()
            started, cpu = time.perf_counter(), time.process_time()
            for c in chunk:
                run(c)
            ours_s += time.perf_counter() - started
            ours_cpu += time.process_time() - cpu
            written = app.recorder.select_notifications(before, len(chunk) * 4,
                                                        inclusive_of_start=False)
            sizes = [len(n.state) for n in written]
            started, cpu = time.perf_counter(), time.process_time()
            for size in sizes:
                save(size)
            bare_s += time.perf_counter() - started
            bare_cpu += time.process_time() - cpu
            events += len(sizes)
            sizes_total += sum(sizes)
            say(f"[{label}] append round {r + 1}/{ROUNDS}: {events:,} events, "
                f"services {events / ours_s:,.0f} ev/s, bare {events / bare_s:,.0f} ev/s")
    finally:
        bare.close()
        drop_bare(store)
    ours, baseline = rate(events, ours_s), rate(events, bare_s)
    return {
        "append_commands": len(timed),
        "append_events": events,
        "append_event_bytes_avg": round(sizes_total / events) if events else None,
        "append_events_per_s": ours,
        "baseline_append_events_per_s": baseline,
        "append_ratio": round(ours / baseline, 3) if ours and baseline else None,
        "append_command_ms_avg": round(ours_s / len(timed) * 1000, 3) if timed else None,
        "append_after_checkpoint": checkpointed,
        # This process's CPU per event (not the database server's): less disturbed than
        # the rates by other work on a shared machine, which mostly stretches the commits.
        "append_cpu_ms_per_event": round(ours_cpu / events * 1000, 3) if events else None,
        "baseline_append_cpu_ms_per_event": round(bare_cpu / events * 1000, 3) if events else None,
        "append_cpu_ratio": round(bare_cpu / ours_cpu, 3) if ours_cpu and bare_cpu else None,
    }
