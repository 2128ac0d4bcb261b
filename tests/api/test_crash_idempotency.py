"""Finding 4: an Idempotency-Key survives a crash between the commit and the stored answer.

A real server process (`cs-ledger serve`) is made to exit at once (`os._exit`, as a
SIGKILL would) right after a keyed command's events are committed and before its answer
is stored with the key. The retry, on a fresh process, must not run the command again:
it answers the first write (replayed), and the log holds that write once. Both stores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from api.writes import CRASH_ENV
from cs_store.factory import build_application, chain_recorder
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, ADMIN_TOKEN
from tests.api.test_cli import SRC, cli_env, free_port


def serve(settings: Settings, tmp_path: Path, port: int, **extra: str) -> subprocess.Popen[bytes]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")},
           **cli_env(settings), "CS_LEDGER_ADMIN_TOKEN": ADMIN_TOKEN,
           "PYTHONPATH": str(SRC), **extra}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", "serve", "--port", str(port),
         "--no-projectors"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180  # a loaded CI machine
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/users/me", headers=ADMIN, timeout=2)
            return proc
        except httpx.TransportError:
            assert proc.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)


def registered(settings: Settings, name: str) -> list[Any]:
    app = build_application(settings)
    try:
        rows = chain_recorder(app).select_timed(0, 10_000)
        return [r for r in rows if r.topic.endswith("Customer.Registered")
                and name.encode() in bytes(r.state)]
    finally:
        app.close()


def test_a_retry_after_a_crash_between_commit_and_answer_writes_nothing_twice(
        settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    proc = serve(settings, tmp_path, port, **{CRASH_ENV: "after-commit"})
    try:
        csm = httpx.post(f"{base}/users", json={"name": "Chen Jing", "role": "csm"},
                         headers=ADMIN, timeout=10).json()["id"]
        body = {"name": "Crash Test GmbH", "tier": "growth", "owner_id": csm}
        keyed = {**ADMIN, "Idempotency-Key": "crash-1"}
        try:
            httpx.post(f"{base}/customers", json=body, headers=keyed, timeout=10)
            raise AssertionError("the server answered instead of crashing")
        except httpx.TransportError:
            pass
        assert proc.wait(timeout=20) == 137
    finally:
        stop(proc)
    [first] = registered(settings, "Crash Test GmbH")  # the command was committed

    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    proc = serve(settings, tmp_path, port)
    try:
        retried = httpx.post(f"{base}/customers", json=body, headers=keyed, timeout=10)
        assert retried.status_code == 201, retried.text
        assert retried.headers.get("Idempotent-Replayed") == "true"
        answer = retried.json()
        assert (answer["position"], answer["version"]) == (first.position, 1)
        assert answer["id"].replace("-", "") == str(first.originator_id).replace("-", "")
        again = httpx.post(f"{base}/customers", json=body, headers=keyed, timeout=10)
        assert again.json() == answer
        other = httpx.post(f"{base}/customers", json={**body, "tier": "basic"}, headers=keyed,
                           timeout=10)
        assert other.status_code == 422  # the key names that first request only
    finally:
        stop(proc)
    assert len(registered(settings, "Crash Test GmbH")) == 1
