"""The boards in a real server: `serving(settings)` runs the app under uvicorn in a thread on
a free 127.0.0.1 port (for the browser tests and the screenshots), and `board_latency`
times board pages over HTTP (`board_p99_ms` of `make bench`).
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn

from bench.common import ms, percentile
from cs_store.settings import Settings

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@contextlib.contextmanager
def serving(settings: Settings, startup_timeout: float = 60) -> Iterator[str]:
    """The API and boards (projectors in the process) on a free port; yields the base URL."""
    from api.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the board server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def signed_in(base: str, token: str) -> httpx.Client:
    """An HTTP client with a board session (signed in through the form, like a browser)."""
    client = httpx.Client(base_url=base, timeout=60.0)
    page = client.get("/app/login")
    match = CSRF.search(page.text)
    if match is None:
        raise RuntimeError("no sign-in form at /app/login")
    answer = client.post("/app/login", data={"token": token, "csrf": match.group(1)})
    if answer.status_code != 303:
        raise RuntimeError(f"board sign-in refused: {answer.status_code}")
    return client


def board_latency(base: str, token: str, paths: list[str], rounds: int = 3) -> dict[str, Any]:
    """Times each board page `rounds` times after one warm-up; p50/p99 and the largest page."""
    times: list[float] = []
    statuses: dict[str, int] = {}
    largest = 0
    client = signed_in(base, token)
    try:
        for path in paths[:3]:
            client.get(path)
        for _ in range(rounds):
            for path in paths:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
                statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
                largest = max(largest, len(response.content))
    finally:
        client.close()
    return {"board_p50_ms": ms(percentile(times, 50)), "board_p99_ms": ms(percentile(times, 99)),
            "board_statuses": statuses, "board_max_page_kb": round(largest / 1024, 1)}
