"""Real `cs-ledger` processes for the scale-out test: API servers and a projector."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

import api
from cs_store.settings import Settings

SRC = str(Path(api.__file__).resolve().parents[1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def spawn(name: str, settings: Settings, workdir: Path, *args: str) -> Child:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CS_LEDGER_")}
    env["PYTHONPATH"] = os.pathsep.join([SRC, env.get("PYTHONPATH", "")])
    env["CS_LEDGER_DATA_DIR"] = str(settings.data_dir)
    env["CS_LEDGER_POLL_INTERVAL"] = "0.2"
    if settings.admin_token:
        env["CS_LEDGER_ADMIN_TOKEN"] = settings.admin_token
    if settings.is_postgres:
        env["CS_LEDGER_DATABASE_URL"] = str(settings.database_url)
        env["CS_LEDGER_DATABASE_SCHEMA"] = settings.database_schema
    log = workdir / f"{name}.log"
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", *args],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    return Child(name, process, log)


def serve(name: str, settings: Settings, workdir: Path) -> tuple[Child, str]:
    port = free_port()
    child = spawn(name, settings, workdir, "serve", "--no-projectors", "--port", str(port))
    return child, f"http://127.0.0.1:{port}"


def wait_until_up(child: Child, base: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.process.poll() is None, f"{child.name} exited:\n{child.output()}"
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{child.name} did not come up:\n{child.output()}")
