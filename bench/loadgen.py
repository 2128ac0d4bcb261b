"""The HTTP load generator: a separate process, so the server's CPU is not the client's.

    python -m bench.loadgen PLAN.json RESULT.json

The plan lists phases; each has a concurrency, a time bound and its requests
`[tag, method, path, body]` (path relative to the plan's base URL, which must be on
127.0.0.1). Each worker thread has its own keep-alive connection and takes the next
request until none is left or the phase's time is up. The result has, per phase, the
wall time, the count of responses by status, and latency percentiles overall and by tag.

A phase with a `settle_path` (a view read) first waits until the server's views have
applied every command answered so far (the read with `min_position` = the highest
`position` a command returned), so reads are timed on a server that has caught up,
not while its projectors still work through the commands phase's backlog; the wait is
reported as the phase's `settle_seconds`.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.common import ms, percentile

SETTLE_TIMEOUT = 600.0


def _position(response: httpx.Response) -> int:
    """The log position a command's answer names (0 when it names none)."""
    try:
        body = response.json()
    except ValueError:
        return 0
    position = body.get("position") if isinstance(body, dict) else None
    return position if isinstance(position, int) else 0


def settle(base: str, token: str, path: str, position: int) -> float:
    """Waits until the view read at `path` has reached `position`; returns the seconds."""
    started = time.perf_counter()
    deadline = time.monotonic() + SETTLE_TIMEOUT
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60.0) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(path, params={"min_position": position}).status_code == 200:
                    return round(time.perf_counter() - started, 3)
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise SystemExit(f"the views did not reach position {position} within {SETTLE_TIMEOUT} s")


def run_phase(base: str, token: str, phase: dict[str, Any],
              written: list[int] | None = None) -> dict[str, Any]:
    """Runs one phase; `written` (one element: the highest position a command returned)
    is raised by the phase's 2xx answers."""
    written = written if written is not None else [0]
    settle_seconds = None
    if phase.get("settle_path") and written[0]:
        settle_seconds = settle(base, token, phase["settle_path"], written[0])
    requests: list[list[Any]] = phase["requests"]
    concurrency = int(phase.get("concurrency", 1))
    deadline = time.monotonic() + float(phase.get("max_seconds", 60))
    lock = threading.Lock()
    cursor = iter(range(len(requests)))
    samples: list[tuple[str, int, float]] = []  # (tag, status, seconds)

    def worker() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60.0) as client:
            while time.monotonic() < deadline:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                tag, method, path, body = requests[index]
                started = time.perf_counter()
                position = 0
                try:
                    response = client.request(method, path, json=body)
                    status = response.status_code
                    if method != "GET" and 200 <= status < 300:
                        position = _position(response)
                except httpx.HTTPError:
                    status = 0  # connection error or timeout
                elapsed = time.perf_counter() - started
                with lock:
                    samples.append((tag, status, elapsed))
                    written[0] = max(written[0], position)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ok = [s for s in samples if 200 <= s[1] < 300]
    out: dict[str, Any] = {
        "concurrency": concurrency, "seconds": round(wall, 3), "sent": len(samples),
        "ok": len(ok), "statuses": dict(Counter(str(s[1]) for s in samples)),
        "ok_per_s": round(len(ok) / wall, 1) if wall > 0 else None,
        "p50_ms": ms(percentile([s[2] for s in ok], 50)),
        "p99_ms": ms(percentile([s[2] for s in ok], 99)),
        "max_ms": ms(max((s[2] for s in ok), default=None)),
        "by_tag": {}, "settle_seconds": settle_seconds,
    }
    for tag in sorted({s[0] for s in samples}):
        times = [s[2] for s in ok if s[0] == tag]
        out["by_tag"][tag] = {"ok": len(times), "p50_ms": ms(percentile(times, 50)),
                              "p99_ms": ms(percentile(times, 99))}
    return out


def main(plan_path: str, result_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    base = plan["base"]
    if urlsplit(base).hostname != "127.0.0.1":
        raise SystemExit("the load generator only targets 127.0.0.1")
    results = {}
    written = [0]
    for phase in plan["phases"]:
        results[phase["name"]] = run_phase(base, plan["token"], phase, written)
        r = results[phase["name"]]
        print(f"  loadgen {phase['name']}: {r['ok']}/{r['sent']} ok in {r['seconds']} s, "
              f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms", file=sys.stderr, flush=True)
    Path(result_path).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m bench.loadgen PLAN.json RESULT.json")
    main(sys.argv[1], sys.argv[2])
