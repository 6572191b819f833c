"""N simulated citizens complete the report form through the web chat, on one server process.

    python -m bench.webchat_intake [--citizens N] [--concurrency C] [--database-url URL] [--port P]
    python -m bench.webchat_intake --in-process ...   # IntakeService.handle() from C threads

HTTP mode starts the real `aduan serve` on 127.0.0.1 (fresh DATA_DIR; a fresh schema on
PostgreSQL), and measures per request the client round trip and the server's Server-Timing.
In-process mode skips HTTP and measures `handle()` alone and the route's whole database work.
Everything is bounded: a fixed number of citizens, local only, the server is always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event

from bench.common import (
    Samples,
    citizen_script,
    is_postgres,
    latency_table,
    machine,
    throwaway_database,
)

REPO = Path(__file__).resolve().parent.parent
ADUAN = REPO / ".venv" / "bin" / "aduan"
LIMITS_ENV = {"WEB_MESSAGES_PER_MINUTE": "1000000", "WEB_SESSIONS_PER_HOUR_PER_IP": "1000000"}


@dataclass
class Run:
    """What one benchmark run measured."""

    metrics: dict[str, Samples]
    extra: dict[str, Samples] = field(default_factory=dict)  # a second table (--trace-sql)
    completed: int = 0
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    wall: float = 0.0
    notes: list[str] = field(default_factory=list)
    load_before: float = field(default_factory=lambda: os.getloadavg()[0])

    def report(self, title: str, args: argparse.Namespace) -> str:
        wall = self.wall or float("nan")
        lines = [
            f"### {title}",
            "",
            f"`{args.command_line}`",
            "",
            f"- {machine()}; load average before the run {self.load_before:.2f}, "
            f"after {os.getloadavg()[0]:.2f} (other processes share these CPUs)",
            f"- citizens {args.citizens} (+{args.warmup} warm-up, not counted), "
            f"concurrency {args.concurrency}",
            f"- completed reports {self.completed}, **failed citizens {len(self.failures)}**",
            f"- wall {self.wall:.2f} s → **{self.completed / wall:.1f} reports/s**, "
            f"{self.requests / wall:.1f} requests/s",
            *(f"- {note}" for note in self.notes),
            "",
            "Latency in ms:",
            "",
            latency_table(self.metrics),
        ]
        if self.extra:
            lines += ["", "Inside `route`, time in the database driver's cursor.execute (ms):", "",
                      latency_table(self.extra)]
        if self.failures:
            lines += ["", "Failures (first 5):", *(f"- {f}" for f in self.failures[:5])]
        return "\n".join(lines)


# ---------------------------------------------------------------- HTTP mode


async def drive_citizens(run: Run, count: int, concurrency: int,
                         complete: Callable[[int], Awaitable[None]]) -> None:
    """Citizens 0..count-1 through `complete`, `concurrency` at a time; failures are counted."""
    numbers = iter(range(count))

    async def worker() -> None:
        for n in numbers:
            try:
                await complete(n)
                run.completed += 1
            except Exception as exc:
                run.failures.append(f"citizen {n}: {type(exc).__name__}: {exc}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    run.wall = time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def server(database_url: str, data_dir: Path, port: int, log_level: str) -> Iterator[int]:
    """Run `aduan serve` until the block ends; yields its pid. SIGTERM, then kill."""
    env = {**os.environ, **LIMITS_ENV, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir),
           "LOG_LEVEL": log_level}
    log_path = data_dir.parent / "server.log"
    with log_path.open("wb") as log:
        # cwd is the temp dir so a developer's .env cannot leak into the run.
        proc = subprocess.Popen([str(ADUAN), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, cwd=data_dir.parent, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            wait_healthy(proc, port, log_path)
            yield proc.pid
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(proc: subprocess.Popen[bytes], port: int, log_path: Path,
                 timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server not healthy after {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


def server_ms(response: httpx.Response) -> float:
    """The `app;dur=` value of the Server-Timing header, in ms."""
    header = response.headers.get("server-timing", "")
    for part in header.split(";"):
        if part.startswith("dur="):
            return float(part[4:])
    raise ValueError(f"no Server-Timing dur in {header!r}")


class HttpCitizen:
    def __init__(self, client: httpx.AsyncClient, run: Run | None) -> None:
        self.client, self.run = client, run

    async def post(self, kind: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        response = await self.client.post(path, json=body)
        rtt = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{kind}: HTTP {response.status_code} {response.text[:200]}")
        if self.run is not None:
            self.run.requests += 1
            self.run.metrics["rtt"].add(kind, rtt)
            self.run.metrics["server"].add(kind, server_ms(response))
        data: dict[str, Any] = response.json()
        return data

    async def complete_form(self, n: int) -> None:
        data = await self.post("session", "/chat/session", {"lang": "id"})
        session, cursor = data["session"], data["cursor"]
        for turn in citizen_script(n):
            # Like app.js: a fresh uuid per message.
            body = {"session": session, "client_id": uuid.uuid4().hex, "after": cursor,
                    **turn.payload}
            data = await self.post(turn.kind, "/chat/send", body)
            if not data["messages"]:
                raise RuntimeError(f"{turn.kind}: no reply")
            cursor = data["cursor"]
        last = data["messages"][-1]["text"]
        if "ADU-" not in last:
            raise RuntimeError(f"no tracking number in the last reply: {last[:120]!r}")


async def run_citizens_http(port: int, args: argparse.Namespace, run: Run) -> None:
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=60) as client:
        for n in range(args.warmup):  # imports, caches, pool connections: not measured
            await HttpCitizen(client, None).complete_form(1_000_000 + n)
        await drive_citizens(run, args.citizens, args.concurrency,
                             lambda n: HttpCitizen(client, run).complete_form(n))


def http_mode(args: argparse.Namespace) -> Run:
    run = Run({"rtt": Samples(), "server": Samples()})
    port = args.port or free_port()
    with throwaway_database(args.database_url) as (url, data_dir), \
            server(url, data_dir, port, args.server_log_level) as pid:
        cpu_before, client_before = cpu_seconds(pid), time.process_time()
        asyncio.run(run_citizens_http(port, args, run))
        server_cpu, client_cpu = cpu_seconds(pid) - cpu_before, time.process_time() - client_before
    requests = max(run.requests, 1)
    run.notes += [
        f"server CPU {server_cpu:.2f} s = {server_cpu / requests * 1000:.2f} ms/request "
        f"({server_cpu / run.wall * 100:.0f}% of one core); "
        f"client CPU {client_cpu:.2f} s = {client_cpu / requests * 1000:.2f} ms/request",
        f"database {'PostgreSQL' if is_postgres(url) else 'SQLite'}, "
        f"server LOG_LEVEL={args.server_log_level}",
    ]
    return run


# ---------------------------------------------------------------- in-process mode


class SqlTrace:
    """Per-thread time inside cursor.execute, split into BEGIN (SQLite's write-lock wait with
    BEGIN IMMEDIATE) and every other statement; attached with engine events."""

    def __init__(self, engine: Engine) -> None:
        self._local = threading.local()
        self.statements = 0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self._local.begin, self._local.other, self._local.count = 0.0, 0.0, 0

    def read(self) -> tuple[float, float, int]:
        """(ms in BEGIN, ms in other statements, statements) since reset()."""
        local = self._local
        return local.begin * 1000, local.other * 1000, local.count

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self._local.started = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        local = self._local
        if not hasattr(local, "count"):
            return  # outside a measured step
        elapsed = time.perf_counter() - local.started
        if statement.startswith("BEGIN"):
            local.begin += elapsed
        else:
            local.other += elapsed
        local.count += 1


def in_process_mode(args: argparse.Namespace) -> Run:
    from bot.bootstrap import build_container
    from bot.channels.web.chat import FETCH_LIMIT, chat_id_for, web_message_id
    from bot.cli.commands import prepared_engine
    from bot.settings import Settings
    from core.messages import Channel, Inbound, Location

    run = Run({"handle": Samples(), "route": Samples()})
    lock = threading.Lock()
    with throwaway_database(args.database_url) as (url, data_dir):
        settings = Settings(database_url=url, data_dir=data_dir)
        prepared_engine(settings).dispose()
        container = build_container(settings)
        container.city.refresh()
        intake, chats, outbox = container.intake, container.webchat.chats, container.outbox
        trace = SqlTrace(container.engine) if args.trace_sql else None
        if trace is not None:
            run.extra = {"BEGIN": Samples(), "other SQL": Samples()}

        def step(kind: str, chat_id: str, inbound: Inbound, after: int, record: bool) -> tuple[
                int, str]:
            """What POST /chat/send does to the database: exists, handle, fetch (timed)."""
            if trace is not None:
                trace.reset()
            started = time.perf_counter()
            if kind != "session" and not chats.exists(Channel.WEB, chat_id):
                raise RuntimeError(f"{kind}: unknown chat")
            handle_started = time.perf_counter()
            intake.handle(inbound)
            handled = time.perf_counter()
            rows = outbox.fetch_for_chat(Channel.WEB, chat_id, after, FETCH_LIMIT)
            done = time.perf_counter()
            if not rows:
                raise RuntimeError(f"{kind}: no reply")
            if record:
                with lock:
                    run.requests += 1
                    run.metrics["handle"].add(kind, (handled - handle_started) * 1000)
                    run.metrics["route"].add(kind, (done - started) * 1000)
                    if trace is not None:
                        begin, other, count = trace.read()
                        run.extra["BEGIN"].add(kind, begin)
                        run.extra["other SQL"].add(kind, other)
                        trace.statements += count
            return rows[-1][0], rows[-1][1].text

        def citizen(n: int, record: bool = True) -> None:
            chat_id = chat_id_for(f"bench-session-{n:08d}-{os.getpid()}")
            cursor, last = step("session", chat_id, Inbound(
                Channel.WEB, chat_id, web_message_id(chat_id, "start"), user_id=chat_id,
                text="/start", language_hint="id",
            ), 0, record)
            for turn in citizen_script(n):
                pin = turn.payload.get("location")
                cursor, last = step(turn.kind, chat_id, Inbound(
                    Channel.WEB, chat_id, web_message_id(chat_id, uuid.uuid4().hex), user_id=chat_id,
                    text=turn.payload.get("text"), option_id=turn.payload.get("option"),
                    location=Location(pin["latitude"], pin["longitude"]) if pin else None,
                ), cursor, record)
            if "ADU-" not in last:
                raise RuntimeError(f"no tracking number in the last reply: {last[:120]!r}")

        for n in range(args.warmup):
            citizen(1_000_000 + n, record=False)
        numbers = iter(range(args.citizens))
        numbers_lock = threading.Lock()

        def worker() -> None:
            while True:
                with numbers_lock:
                    n = next(numbers, None)
                if n is None:
                    return
                try:
                    citizen(n)
                    with lock:
                        run.completed += 1
                except Exception as exc:
                    with lock:
                        run.failures.append(f"citizen {n}: {type(exc).__name__}: {exc}")

        cpu_before = time.process_time()
        started = time.perf_counter()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(worker)  # one thread, so the profile sees everything
            run.wall = time.perf_counter() - started
            profiler.dump_stats(args.profile)
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(40)
        else:
            with ThreadPoolExecutor(args.concurrency) as pool:
                for future in [pool.submit(worker) for _ in range(args.concurrency)]:
                    future.result()
            run.wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        container.engine.dispose()
    run.notes += [
        f"process CPU {cpu:.2f} s = {cpu / max(run.requests, 1) * 1000:.2f} ms/step "
        f"({cpu / run.wall * 100:.0f}% of one core)",
        f"database {'PostgreSQL' if is_postgres(url) else 'SQLite'}; "
        "handle = IntakeService.handle(); route = chats.exists + handle + outbox.fetch_for_chat",
        *([f"{trace.statements / max(run.requests, 1):.1f} SQL statements per step (BEGIN "
           "included; --trace-sql adds a little overhead)"] if trace is not None else []),
    ]
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webchat_intake", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", help="default: SQLite in a temp dir; a PostgreSQL URL "
                        "gets a fresh schema that is dropped afterwards")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--warmup", type=int, default=5, help="citizens run first, not measured")
    parser.add_argument("--server-log-level", default="WARNING",
                        help="LOG_LEVEL of the server (INFO adds one access-log line per request)")
    parser.add_argument("--in-process", action="store_true",
                        help="call IntakeService.handle() from threads instead of HTTP")
    parser.add_argument("--trace-sql", action="store_true",
                        help="in-process only: also time cursor.execute (BEGIN vs the rest)")
    parser.add_argument("--profile", metavar="PATH",
                        help="in-process only: run in one thread under cProfile, dump stats to PATH")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.command_line = " ".join(["python -m bench.webchat_intake", *argv])
    if args.citizens < 1 or args.concurrency < 1 or args.warmup < 0:
        parser.error("--citizens and --concurrency must be ≥ 1, --warmup ≥ 0")
    if args.database_url and not is_postgres(args.database_url):
        parser.error("--database-url takes a PostgreSQL URL; SQLite is always a fresh temp file")
    if (args.profile or args.trace_sql) and not args.in_process:
        parser.error("--profile and --trace-sql need --in-process")
    if args.profile:
        args.concurrency = 1
    run = in_process_mode(args) if args.in_process else http_mode(args)
    backend = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    mode = "in-process handle()" if args.in_process else "HTTP web chat"
    print(run.report(f"{mode}, {backend}, concurrency {args.concurrency}", args))
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
