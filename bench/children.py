"""Runs the jobs of :mod:`bench.child` in child processes and collects their figures."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from bench.common import say
from bench.config import ROOT, Store


def run_child(store: Store, mode: str, label: str, timeout: float = 3600) -> dict[str, Any]:
    say(f"[{label}] {mode}: starting a child process")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", mode], cwd=ROOT, env=store.child_env(),
        stdout=subprocess.PIPE, stderr=None, text=True, timeout=timeout, check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bench.child {mode} failed (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(lines[-1])
    say(f"[{label}] {mode}: {result['events']:,} events in {result['seconds']:.1f} s = "
        f"{result['events_per_s']:,.0f} events/s, peak RSS {result['peak_rss_mb']:,.0f} MB")
    return result


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def bench_rebuild(store: Store, label: str) -> dict[str, Any]:
    """Bare read+decode; a rebuild in one process, in one per core (`--jobs`), and in one
    process up to half the log (memory); each in a process of its own.

    `rebuild_events_per_s` is the parallel rebuild (what `cs-ledger rebuild --jobs N`
    gives on this machine); the one-process figures are beside it. Memory: the
    one-process rebuilds at full and half size (flat = the same), and the largest
    process of the parallel one."""
    scan = run_child(store, "scan", label)
    one = run_child(store, "rebuild", label)
    par = run_child(store, "parallel", label)
    half = run_child(store, "half", label)
    base = scan["events_per_s"]
    return {
        "baseline_read_decode_events_per_s": base,
        "rebuild_events_per_s": par["events_per_s"],
        "rebuild_ratio": _ratio(par["events_per_s"], base),
        "rebuild_jobs": par["jobs"],
        "rebuild_s": par["seconds"],
        "rebuild_one_process_events_per_s": one["events_per_s"],
        "rebuild_one_process_ratio": _ratio(one["events_per_s"], base),
        "rebuild_one_process_s": one["seconds"],
        "rebuild_cpu_s": one["cpu_s"],
        "rebuild_parallel_peak_rss_mb": max(par["peak_rss_mb"], par["children_peak_rss_mb"]),
        "rebuild_peak_rss_mb": one["peak_rss_mb"],
        "rebuild_peak_rss_mb_half": half["peak_rss_mb"],
        "rebuild_half_events": half["events"],
        "rebuild_half_s": half["seconds"],
        "scan_peak_rss_mb": scan["peak_rss_mb"],
        "process_start_rss_mb": one["start_rss_mb"],
    }
