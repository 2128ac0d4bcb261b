"""One measured job in a fresh process, so its peak memory is its own.

    python -m bench.child scan|rebuild|parallel|half

The store comes from the environment (CS_LEDGER_DATA_DIR / CS_LEDGER_DATABASE_URL /
CS_LEDGER_DATABASE_SCHEMA). Progress goes to stderr; the last stdout line is a JSON
object with the figures:

- ``scan``: the bare read + decode baseline over the whole log;
- ``rebuild``: `projections.rebuild.rebuild` of every view (blue/green, then swapped in);
- ``parallel``: the same with `projections.parallel.rebuild_parallel`, the views split
  between ``BENCH_REBUILD_JOBS`` processes (default: one per core), as
  `cs-ledger rebuild --jobs N` runs it; its peak memory is the largest child's;
- ``half``: the same load up to half the log, built aside and then dropped (the memory
  of a rebuild at half the size, for the "memory is flat" check).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

from bench.baseline import scan_and_decode
from bench.common import Every, peak_rss_mb, say
from cs_store.factory import build_application
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.parallel import rebuild_parallel
from projections.rebuild import build_aside, discard, rebuild
from projections.registry import select_views


def _progress(what: str) -> Any:
    every = Every(10.0)
    started = time.perf_counter()

    def report(position: int, head: int) -> None:
        if every():
            elapsed = time.perf_counter() - started
            say(f"  {what}: {position:,}/{head:,} ({position / max(elapsed, 1e-9):,.0f} events/s, "
                f"peak RSS {peak_rss_mb():,.0f} MB)")

    return report


def rebuild_jobs() -> int:
    return int(os.environ.get("BENCH_REBUILD_JOBS") or os.cpu_count() or 1)


def main(mode: str) -> dict[str, Any]:
    settings = Settings()
    app = build_application(settings)
    try:
        head = app.max_position()
        rss_before = peak_rss_mb()
        cpu = time.process_time()
        if mode == "scan":
            events, seconds = scan_and_decode(app, _progress("read+decode"))
            return {"events": events, "seconds": round(seconds, 2),
                    "cpu_s": round(time.process_time() - cpu, 2),
                    "events_per_s": round(events / seconds, 1),
                    "peak_rss_mb": peak_rss_mb(), "start_rss_mb": rss_before}
        models = ReadModels.from_settings(settings)
        try:
            started = time.perf_counter()
            extra: dict[str, Any] = {}
            if mode == "rebuild":
                rebuild(app, models, progress=_progress("rebuild"))
                upto = head
            elif mode == "parallel":
                jobs = rebuild_jobs()
                rebuild_parallel(app, models, settings, progress=_progress(f"rebuild ({jobs} jobs)"),
                                 jobs=jobs)
                upto = head
                children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                extra = {"jobs": jobs, "children_peak_rss_mb": round(children, 1)}
            elif mode == "half":
                upto = head // 2
                views = select_views(None)
                targets, _ = build_aside(app, models, views, _progress("rebuild (half)"), upto=upto)
                discard(models, views, targets)
            else:
                raise SystemExit(f"unknown mode {mode!r}")
            seconds = time.perf_counter() - started
            return {"events": upto, "seconds": round(seconds, 2),
                    "cpu_s": round(time.process_time() - cpu, 2),
                    "events_per_s": round(upto / seconds, 1),
                    "peak_rss_mb": peak_rss_mb(), "start_rss_mb": rss_before, **extra}
        finally:
            models.dispose()
    finally:
        app.close()


if __name__ == "__main__":
    result = main(sys.argv[1] if len(sys.argv) > 1 else "")
    print(json.dumps(result), flush=True)
