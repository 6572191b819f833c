"""The real `aduan serve` in a subprocess, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """Starts, kills and restarts one server process over the same database."""

    def __init__(self, db_url: str, data_dir: Path, workers: int = 1, **env: str) -> None:
        self.port, self.workers = free_port(), workers
        self.url = f"http://127.0.0.1:{self.port}"
        repo = str(Path(__file__).resolve().parents[2])
        # No SLA sweeper: its digests go out on working days from 08:00 WIB, so a test that
        # counts an admin's replies would depend on the wall clock (the ladder is tested with
        # a fake one in tests/service/test_sla_*.py and over processes in test_sla_processes).
        self.env = {**os.environ, "DATABASE_URL": db_url, "DATA_DIR": str(data_dir),
                    "LOG_LEVEL": "WARNING", "PYTHONPATH": repo, "SLA_SWEEPER": "false", **env}
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"server-{self.port}.log"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.log.parent,
            )
        # Each worker is a fresh interpreter importing everything: give a loaded host time.
        deadline = time.monotonic() + 60 + 30 * (self.workers - 1)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not become healthy: {self.log.read_text()[-2000:]}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(10)
        self.process = None


@pytest.fixture
def server_factory(db_url: str, tmp_path: Path) -> Iterator[type[Server] | object]:
    started: list[Server] = []

    def make(**env: str) -> Server:
        server = Server(db_url, tmp_path / "data", **env)
        server.start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.kill(signal.SIGTERM)


@pytest.fixture
def server(server_factory: object) -> Server:
    assert callable(server_factory)
    made = server_factory()
    assert isinstance(made, Server)
    return made
