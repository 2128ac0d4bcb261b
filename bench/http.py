"""The HTTP benchmark: a real `cs-ledger serve` process and a separate load generator.

The server runs as users run it (uvicorn, the projectors in the same process). Once
it is up and its views have caught up with the log (a read with `min_position`), the
load generator (:mod:`bench.loadgen`, its own process) sends:

- commands from the same mix as the in-process benchmark, 8 at a time;
- the customer 360, the renewal pipeline and the renewal metrics, one at a time
  (latency, not throughput), and the same reads `as_of` random past moments.

Only endpoints the server offers are used (read from its OpenAPI): figures of a
missing endpoint are null and named in `http_missing`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.boards import board_latency
from bench.commands import OPENAPI_PATHS, as_request, plan_commands
from bench.common import say
from bench.config import ROOT, BenchConfig, Store
from bench.dataset import Pools
from bench.queries import PIPELINE, QUARTER

CONCURRENCY = 8
READ_PATHS = {
    "customer360": "/api/v1/customers/{customer_id}",
    "pipeline": "/api/v1/renewals",
    "metrics": "/api/v1/metrics/renewals",
}
HTTP_KEYS = ("api_commands_per_s", "command_p50_ms", "command_p99_ms", "customer360_p50_ms",
             "customer360_p99_ms", "pipeline_p50_ms", "pipeline_p99_ms", "metrics_p50_ms",
             "metrics_p99_ms", "as_of_p50_ms", "as_of_p99_ms", "board_p99_ms")
BOARD_PAGES = 20  # board pages timed: customer 360s and the renewal board, alternately


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_command() -> list[str]:
    script = Path(sys.executable).with_name("cs-ledger")
    if script.exists():
        return [str(script), "serve"]
    return [sys.executable, "-c", "from api.cli import main; main()", "serve"]


@contextlib.contextmanager
def running_server(store: Store, label: str, startup_timeout: float = 180) -> Iterator[str]:
    """A `cs-ledger serve` child on a free port of 127.0.0.1; yields its base URL."""
    port = _free_port()
    log_path = store.settings.data_dir / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        # Without the playbook automation: on a first start it would work through the whole
        # history (and tick with today's clock) while we measure; it runs as its own job.
        command = [*_serve_command(), "--host", "127.0.0.1", "--port", str(port)]
        if "--no-automation" in _serve_help():
            command.append("--no-automation")
        proc = subprocess.Popen(command,
                                cwd=ROOT, env=store.child_env(), stdout=log,
                                stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"cs-ledger serve exited with {proc.returncode}; "
                                       f"see {log_path}")
                try:
                    if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cs-ledger serve did not start in {startup_timeout} s")
                time.sleep(0.25)
            say(f"[{label}] cs-ledger serve is up on {base} (pid {proc.pid})")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _serve_help() -> str:
    run = subprocess.run([*_serve_command(), "--help"], cwd=ROOT, capture_output=True, text=True,
                         check=False, env={**os.environ, "COLUMNS": "200"})
    return run.stdout


def _offered(base: str) -> set[tuple[str, str]]:
    spec = httpx.get(f"{base}/openapi.json", timeout=10).json()
    return {(method, path) for path, ops in spec.get("paths", {}).items() for method in ops}


def _wait_for_views(base: str, token: str, customer: str, head: int, timeout: float) -> bool:
    """Blocks until the server's views have applied `head` (read-your-writes)."""
    deadline = time.monotonic() + timeout
    url = f"{base}/api/v1/customers/{customer}"
    while time.monotonic() < deadline:
        try:
            r = httpx.get(url, params={"min_position": head}, timeout=30,
                          headers={"Authorization": f"Bearer {token}"})
            if r.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    return False


def _moment(rnd: random.Random, first: datetime, last: datetime) -> str:
    span = (last - first).total_seconds()
    return (first + timedelta(seconds=rnd.uniform(0, span))).isoformat()


def _read(kind: str, pools: Pools, rnd: random.Random, as_of: bool = False) -> list[Any]:
    """A read request; `as_of` a random moment (for a customer: after it was registered)."""
    query: dict[str, str] = {}
    if as_of:
        query["as_of"] = _moment(rnd, pools.first_recorded, pools.last_recorded)
    if kind == "customer360":
        if as_of:
            customer = rnd.choice(list(pools.registered))
            query["as_of"] = _moment(rnd, pools.registered[customer], pools.last_recorded)
        else:
            customer = rnd.choice(pools.customers)
        path = f"/customers/{customer}"
    elif kind == "pipeline":
        path = "/renewals"
        query.update({"from": PIPELINE[0].isoformat(), "to": PIPELINE[1].isoformat()})
    else:
        path = "/metrics/renewals"
        query.update({"from": QUARTER[0].isoformat(), "to": QUARTER[1].isoformat()})
    return [kind, "GET", f"{path}?{urlencode(query)}" if query else path, None]


def _plan(base: str, config: BenchConfig, pools: Pools, offered: set[tuple[str, str]],
          seed: int) -> tuple[dict[str, Any], list[str]]:
    missing = []
    kinds = {k for k, op in OPENAPI_PATHS.items() if op in offered}
    missing += [f"{m.upper()} {p}" for k, (m, p) in OPENAPI_PATHS.items() if k not in kinds]
    count = max(100, min(2000, config.events // 500))
    commands = plan_commands(pools, count, seed, only=kinds)
    reads = [k for k, p in READ_PATHS.items() if ("get", p) in offered]
    missing += [f"GET {p}" for k, p in READ_PATHS.items() if k not in reads]
    rnd = random.Random(seed)
    phases: list[dict[str, Any]] = []
    if reads:  # warm-up: first-time imports, caches, connections (not reported)
        phases.append({"name": "warmup", "concurrency": 1, "max_seconds": 30,
                       "requests": [_read(k, pools, rnd) for k in reads for _ in range(5)]})
    if commands:
        phases.append({"name": "commands", "concurrency": CONCURRENCY, "max_seconds": 90,
                       "requests": [["command", *as_request(c)] for c in commands]})
    runs = {"customer360": 300, "pipeline": 100, "metrics": 100}
    # Reads are timed once the views have applied the commands phase (loadgen `settle`).
    settled = f"/customers/{pools.customers[0]}"
    for kind in reads:
        phases.append({"name": kind, "concurrency": 1, "max_seconds": 60,
                       "settle_path": settled,
                       "requests": [_read(kind, pools, rnd) for _ in range(runs[kind])]})
    if reads:
        mix = [rnd.choice(reads) for _ in range(300)]
        phases.append({"name": "as_of", "concurrency": 1, "max_seconds": 90,
                       "settle_path": settled,
                       "requests": [_read(k, pools, rnd, as_of=True) for k in mix]})
    return {"base": f"{base}/api/v1", "token": pools.manager_token, "phases": phases}, missing


def _figures(results: dict[str, Any], missing: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(HTTP_KEYS)
    out["http_missing"] = missing
    commands = results.get("commands")
    if commands:
        out["api_commands_per_s"] = commands["ok_per_s"]
        out["command_p50_ms"], out["command_p99_ms"] = commands["p50_ms"], commands["p99_ms"]
        out["api_concurrency"] = commands["concurrency"]
        out["api_command_statuses"] = commands["statuses"]
    # How long the views took to apply the commands phase before the reads were timed.
    out["views_settle_s"] = max((p.get("settle_seconds") or 0 for p in results.values()),
                                default=None)
    for kind in READ_PATHS:
        if kind in results:
            out[f"{kind}_p50_ms"] = results[kind]["p50_ms"]
            out[f"{kind}_p99_ms"] = results[kind]["p99_ms"]
            out[f"{kind}_statuses"] = results[kind]["statuses"]
    as_of = results.get("as_of")
    if as_of:
        out["as_of_p50_ms"], out["as_of_p99_ms"] = as_of["p50_ms"], as_of["p99_ms"]
        out["as_of_statuses"] = as_of["statuses"]
        for tag, figures in as_of["by_tag"].items():
            out[f"as_of_{tag}_p99_ms"] = figures["p99_ms"]
    return out


def bench_http(store: Store, config: BenchConfig, pools: Pools, head: int, label: str,
               seed: int) -> dict[str, Any]:
    if not config.http:
        return {**dict.fromkeys(HTTP_KEYS), "http_missing": ["skipped (BENCH_HTTP=0)"]}
    with running_server(store, label) as base:
        offered = _offered(base)
        plan, missing = _plan(base, config, pools, offered, seed)
        if ("get", READ_PATHS["customer360"]) in offered:
            say(f"[{label}] waiting for the server's views to reach position {head:,}")
            if not _wait_for_views(base, pools.manager_token, str(pools.customers[0]), head,
                                   timeout=600):
                raise RuntimeError("the server's views did not catch up within 600 s")
        if missing:
            say(f"[{label}] not offered by this server (figures null): {', '.join(missing)}")
        work = Path(tempfile.mkdtemp(prefix="cs-bench-"))
        try:
            (work / "plan.json").write_text(json.dumps(plan))
            say(f"[{label}] load generator: {sum(len(p['requests']) for p in plan['phases']):,} "
                f"requests in {len(plan['phases'])} phases")
            subprocess.run([sys.executable, "-m", "bench.loadgen", str(work / "plan.json"),
                            str(work / "result.json")], cwd=ROOT, env=store.child_env(),
                           check=True, timeout=900)
            results = json.loads((work / "result.json").read_text())
        finally:
            shutil.rmtree(work, ignore_errors=True)
        boards = _boards(base, pools, seed, missing)
    return {**_figures(results, missing), **boards}


def _boards(base: str, pools: Pools, seed: int, missing: list[str]) -> dict[str, Any]:
    """`board_p99_ms`: board pages (a customer 360, the renewal board) over HTTP, signed in
    through the form like a browser; null (and `GET /app/login` in http_missing) without them."""
    if httpx.get(f"{base}/app/login", timeout=10).status_code != 200:
        missing.append("GET /app/login")
        return {}
    rnd = random.Random(seed)
    renewals = f"/app/renewals?period=custom&from={PIPELINE[0]}&to={PIPELINE[1]}"
    paths = [f"/app/customers/{rnd.choice(pools.customers)}" if i % 2 else renewals
             for i in range(BOARD_PAGES)]
    return board_latency(base, pools.manager_token, paths)
