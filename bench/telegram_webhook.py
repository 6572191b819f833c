"""N Telegram citizens complete the report form through the webhook, against a fake Bot API.

    python -m bench.telegram_webhook [--citizens N] [--concurrency C] [--database-url URL]
        [--rate R] [--chat-rate R] [--api-latency-ms MS] [--workers N]

Starts the fake Bot API (tests/fake_platforms/telegram_api.py) in this process and one server
`aduan serve` process with the Telegram channel, each on a free port of 127.0.0.1. Every citizen posts
updates as Telegram would (text, button presses on the message the fake last received, a
location), and waits for the bot's reply to reach the fake before its next step.

Measured per step: `reply` = from the webhook POST to the fake receiving the reply's
sendMessage (webhook handling + outbox + dispatcher + pacing + the Bot API call); `webhook` =
the POST's round trip. Pacing is passed to the server as TELEGRAM_MESSAGES_PER_SECOND and
TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND (Telegram's real limits: 30 and 1).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.common import Samples, citizen_script, is_postgres, throwaway_database
from bench.webchat_intake import Run, cpu_seconds, drive_citizens, free_port, wait_healthy
from tests.fake_platforms.telegram_api import TOKEN, Call, FakeTelegram
from tests.fake_platforms.telegram_updates import TgUser

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-webhook-secret"


def serve_command(port: int, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "serve", "--port", str(port),
            "--workers", str(workers)]


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set so far (`VmHWM`), in MiB; 0 when unreadable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tree_cpu_seconds(pid: int) -> float:
    """CPU of the server and its worker processes (`--workers N`: uvicorn's children)."""
    total = cpu_seconds(pid)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                total += cpu_seconds(int(stat.parent.name))
    return total


@contextlib.contextmanager
def server(database_url: str, data_dir: Path, port: int, fake: FakeTelegram,
           args: argparse.Namespace) -> Iterator[int]:
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "LOG_LEVEL": args.server_log_level, "PYTHONPATH": str(REPO),
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.url,
           "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_MODE": "webhook",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "TELEGRAM_MESSAGES_PER_SECOND": str(args.rate),
           "TELEGRAM_MESSAGES_PER_CHAT_PER_SECOND": str(args.chat_rate)}
    log_path = data_dir.parent / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(serve_command(port, args.workers), env=env, cwd=data_dir.parent, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_healthy(proc, port, log_path, timeout=60.0 * args.workers)
            time.sleep(10.0 * (args.workers - 1))  # the other workers finish starting too
            yield proc.pid
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class Inboxes:
    """Replies per chat, delivered from the fake's thread into this event loop."""

    def __init__(self, fake: FakeTelegram, loop: asyncio.AbstractEventLoop) -> None:
        self.calls: dict[str, list[Call]] = defaultdict(list)
        self._events: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._loop = loop
        fake.on_send = self._on_send

    def _on_send(self, call: Call) -> None:
        self._loop.call_soon_threadsafe(self._arrived, str(call.params["chat_id"]), call)

    def _arrived(self, chat_id: str, call: Call) -> None:
        self.calls[chat_id].append(call)
        self._events[chat_id].set()

    async def wait(self, chat_id: str, count: int, timeout: float) -> Call:
        deadline = time.monotonic() + timeout
        while len(self.calls[chat_id]) < count:
            event = self._events[chat_id]
            event.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply #{count} within {timeout:.0f} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        return self.calls[chat_id][count - 1]


class TelegramCitizen:
    def __init__(self, user_id: int, client: httpx.AsyncClient, fake: FakeTelegram,
                 inboxes: Inboxes, run: Run | None) -> None:
        self.user, self.client, self.fake = TgUser(user_id), client, fake
        self.inboxes, self.run = inboxes, run
        self.chat_id, self.received = str(user_id), 0

    async def step(self, kind: str, update: dict[str, Any]) -> Call:
        started = time.perf_counter()
        response = await self.client.post("/webhook/telegram", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        posted = time.perf_counter()
        if response.status_code != 200:
            raise RuntimeError(f"{kind}: HTTP {response.status_code} {response.text[:200]}")
        self.received += 1
        reply = await self.inboxes.wait(self.chat_id, self.received, timeout=120)
        if self.run is not None:
            self.run.requests += 1
            self.run.metrics["reply"].add(kind, (reply.at - started) * 1000)
            self.run.metrics["webhook"].add(kind, (posted - started) * 1000)
        return reply

    async def complete_form(self, n: int) -> None:
        reply = await self.step("session", self.user.text("/start"))
        for turn in citizen_script(n):
            payload = turn.payload
            if "option" in payload:
                shown = self.fake.message(reply.result["message_id"])
                update = self.user.press(shown, payload["option"])
            elif "location" in payload:
                update = self.user.location(payload["location"]["latitude"],
                                            payload["location"]["longitude"])
            else:
                update = self.user.text(payload["text"])
            reply = await self.step(turn.kind, update)
        if "ADU-" not in str(reply.params["text"]):
            raise RuntimeError(f"no tracking number in the last reply: {reply.params['text']!r}")


async def run_citizens(port: int, fake: FakeTelegram, args: argparse.Namespace, run: Run) -> None:
    inboxes = Inboxes(fake, asyncio.get_running_loop())
    limits = httpx.Limits(max_connections=args.concurrency,
                          max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=60) as client:
        for n in range(args.warmup):
            await TelegramCitizen(8_000_000 + n, client, fake, inboxes, None).complete_form(n)
        await drive_citizens(
            run, args.citizens, args.concurrency,
            lambda n: TelegramCitizen(1_000_000 + n, client, fake, inboxes, run).complete_form(n))


def telegram_mode(args: argparse.Namespace) -> Run:
    run = Run({"reply": Samples(), "webhook": Samples()})
    port = args.port or free_port()
    fake = FakeTelegram().start()
    fake.script.latency = args.api_latency_ms / 1000
    try:
        with throwaway_database(args.database_url) as (url, data_dir), \
                server(url, data_dir, port, fake, args) as pid:
            cpu_before, client_before = tree_cpu_seconds(pid), time.process_time()
            asyncio.run(run_citizens(port, fake, args, run))
            server_cpu = tree_cpu_seconds(pid) - cpu_before
            client_cpu = time.process_time() - client_before
            peak_rss = peak_rss_mib(pid)  # issue 19's "peak RSS", before SIGTERM ends it
    finally:
        fake.stop()
    steps = max(run.requests, 1)
    calls = len(fake.calls)
    run.cpu_ms_per_update = server_cpu / steps * 1000
    run.notes += [
        f"CPU per update: {run.cpu_ms_per_update:.2f} ms (the regression guard of `make bench`; "
        f"{calls / max(run.completed, 1):.1f} Bot API calls per report)",
        f"server CPU {server_cpu:.2f} s = {server_cpu / steps * 1000:.2f} ms/step "
        f"({server_cpu / run.wall * 100:.0f}% of one core); bench + fake Bot API CPU "
        f"{client_cpu:.2f} s",
        f"database {'PostgreSQL' if is_postgres(url) else 'SQLite'}; pacing {args.rate}/s "
        f"overall, {args.chat_rate}/s per chat; fake Bot API latency {args.api_latency_ms} ms; "
        f"{calls} Bot API calls (sendMessage, answerCallbackQuery, editMessageText, …)",
        f"sendMessage {len(fake.sent()) / run.wall:.1f}/s over the run",
        f"server peak RSS (VmHWM of the serving process): {peak_rss:.0f} MiB",
    ]
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.telegram_webhook", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", help="a PostgreSQL URL (fresh schema, dropped after); "
                        "default: SQLite in a temp dir")
    parser.add_argument("--rate", type=float, default=30.0, help="messages/s overall")
    parser.add_argument("--chat-rate", type=float, default=1.0, help="messages/s per chat")
    parser.add_argument("--api-latency-ms", type=float, default=0.0,
                        help="added to every fake Bot API response")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--server-log-level", default="WARNING")
    parser.add_argument("--workers", type=int, default=1, help="aduan serve --workers N")
    parser.add_argument("--max-cpu-ms", type=float, default=None,
                        help="fail (exit 2) when the server's CPU per update is above this")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.command_line = " ".join(["python -m bench.telegram_webhook", *argv])
    if args.citizens < 1 or args.concurrency < 1 or args.rate <= 0 or args.chat_rate <= 0:
        parser.error("--citizens, --concurrency ≥ 1; --rate, --chat-rate > 0")
    run = telegram_mode(args)
    backend = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    title = (f"Telegram webhook, {backend}, concurrency {args.concurrency}, pacing "
             f"{args.rate:g}/s + {args.chat_rate:g}/s per chat, API latency "
             f"{args.api_latency_ms:g} ms, {args.workers} worker(s)")
    print(run.report(title, args))
    if run.failures:
        return 1
    cpu = getattr(run, "cpu_ms_per_update", 0.0)
    if args.max_cpu_ms is not None and cpu > args.max_cpu_ms:
        print(f"CPU per update {cpu:.2f} ms is over --max-cpu-ms {args.max_cpu_ms:g}",
              file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
