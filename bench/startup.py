"""Start-up time of `aduan serve` (Telegram in webhook mode) to its first `/healthz` 200 and its
first webhook 200, against a fake Bot API on 127.0.0.1.

    python -m bench.startup [--runs N] [--database-url URL] [--fresh] [--baseline DIR]

Starts the fake Bot API (tests/fake_platforms/telegram_api.py) in this process, migrates a
throwaway database once (`aduan db upgrade`, as an operator's deploy does), then starts
`aduan serve` N times over it. Each run measures from just before the process is spawned:
`healthz` = the first `/healthz` 200, `webhook` = the first `POST /webhook/telegram` (a citizen's
`/start`, sent right after) answered 200, `reply` = the answer's sendMessage reaching the fake,
`setWebhook` = the fake receiving the webhook registration; `CPU` = the server's CPU seconds
(all its threads) when the webhook was answered, which a loaded host inflates far less than
the wall times. `--fresh` adds one start on an
empty database (migrations included), reported apart. `--baseline DIR` (another checkout,
e.g. `git archive <commit> | tar -x -C DIR`) starts that tree's server before each of this
one's, over the same database, so both see the same load on a shared host.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.common import is_postgres, machine, throwaway_database
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-startup-secret"
POLL_SECONDS = 0.01
METRICS = ("healthz", "webhook", "reply", "setWebhook", "CPU")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, data_dir: Path, port: int, fake: FakeTelegram,
               source: Path = REPO) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
            "LOG_LEVEL": "WARNING", "PYTHONPATH": str(source), "SLA_SWEEPER": "true",
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}


def until_ok(request: httpx.Request, client: httpx.Client, proc: subprocess.Popen[bytes],
             deadline: float) -> float:
    """Send `request` until it answers 200; the perf_counter() when it did."""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if client.send(request).status_code == 200:
                return time.perf_counter()
        time.sleep(POLL_SECONDS)
    raise RuntimeError("server did not answer within the deadline")


@contextlib.contextmanager
def spawned(env: dict[str, str], port: int, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
                                env=env, cwd=log_path.parent, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def one_start(database_url: str, data_dir: Path, fake: FakeTelegram, user_id: int,
              source: Path = REPO) -> dict[str, float]:
    """Seconds from spawn to each milestone of one start of the server in `source`."""
    port = free_port()
    fake.reset()
    citizen = TgUser(user_id)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        health = client.build_request("GET", "/healthz")
        webhook = client.build_request("POST", "/webhook/telegram", json=citizen.command("/start"),
                                       headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        started = time.perf_counter()
        with spawned(server_env(database_url, data_dir, port, fake, source), port,
                     data_dir.parent / "server.log") as proc:
            deadline = time.monotonic() + 120
            healthy = until_ok(health, client, proc, deadline)
            answered = until_ok(webhook, client, proc, deadline)
            cpu = cpu_seconds(proc.pid)
            while not (fake.calls_of("sendMessage", citizen.id) and fake.calls_of("setWebhook")):
                if time.monotonic() > deadline:
                    raise RuntimeError("no reply or no setWebhook within the deadline")
                time.sleep(POLL_SECONDS)
    return {"healthz": healthy - started, "webhook": answered - started,
            "reply": fake.calls_of("sendMessage", citizen.id)[0].at - started,
            "setWebhook": fake.calls_of("setWebhook")[0].at - started, "CPU": cpu}


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def table(runs: list[dict[str, float]]) -> str:
    lines = ["| from spawn to | median s | min s | max s |", "|---|---|---|---|"]
    # CPU: seconds of the server's CPU at its first webhook's answer, not a time from spawn.
    for name in METRICS:
        values = [run[name] for run in runs]
        lines.append(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | "
                     f"{max(values):.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL URL (fresh schema, dropped after); "
                        "default: SQLite in a temp dir")
    parser.add_argument("--fresh", action="store_true",
                        help="also time one start on an empty database (migrations included)")
    parser.add_argument("--baseline", type=Path, help="another checkout to time alternately")
    args = parser.parse_args(argv)
    baseline: list[dict[str, float]] = []
    load_before = os.getloadavg()
    fake = FakeTelegram().start()
    try:
        with throwaway_database(args.database_url) as (url, data_dir):
            fresh = one_start(url, data_dir, fake, 4_000_000) if args.fresh else None
            if fresh is None:
                subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], check=True,
                               env=server_env(url, data_dir, 0, fake), cwd=data_dir.parent,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            runs = []
            for n in range(args.runs):
                if args.baseline:
                    baseline.append(one_start(url, data_dir, fake, 5_000_001 + n, args.baseline))
                runs.append(one_start(url, data_dir, fake, 4_000_001 + n))
    finally:
        fake.stop()
    load_after = os.getloadavg()
    backend = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    print(f"### {backend}, {args.runs} restarts over a migrated database\n")
    if baseline:
        print(f"Baseline ({args.baseline}):\n\n{table(baseline)}\n\nThis tree:\n")
    print(table(runs))
    if fresh is not None:
        print("\nFirst start on an empty database (migrations included): "
              + ", ".join(f"{name} {fresh[name]:.2f} s" for name in METRICS))
    print(f"\n{machine()}; PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}; "
          f"load average before {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
