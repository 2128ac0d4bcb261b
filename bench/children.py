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


def bench_rebuild(store: Store, label: str) -> dict[str, Any]:
    """Bare read+decode, full rebuild and half rebuild, each in its own process."""
    scan = run_child(store, "scan", label)
    full = run_child(store, "rebuild", label)
    half = run_child(store, "half", label)
    ratio = full["events_per_s"] / scan["events_per_s"] if scan["events_per_s"] else None
    return {
        "baseline_read_decode_events_per_s": scan["events_per_s"],
        "rebuild_events_per_s": full["events_per_s"],
        "rebuild_ratio": round(ratio, 3) if ratio is not None else None,
        "rebuild_s": full["seconds"],
        "rebuild_cpu_s": full["cpu_s"],
        "rebuild_peak_rss_mb": full["peak_rss_mb"],
        "rebuild_peak_rss_mb_half": half["peak_rss_mb"],
        "rebuild_half_events": half["events"],
        "rebuild_half_s": half["seconds"],
        "scan_peak_rss_mb": scan["peak_rss_mb"],
        "process_start_rss_mb": full["start_rss_mb"],
    }
