"""Where the hot path's database calls run (bot/db_calls.py): the event loop's own thread on
SQLite, worker threads on PostgreSQL; and the intake keeps a step that may wait for the
category model out of the loop's thread, and lets the loop turn between its transactions."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import cast

import pytest

from bot.bootstrap import build_container
from bot.channels.intake import MAX_TOGETHER_INLINE, ChannelIntake
from bot.db_calls import THREADS, DatabaseCalls
from bot.settings import Settings
from core.intake.service import HandleOutcome, IntakeService
from core.messages import Channel, Inbound
from core.ports import Clock, UnitOfWorkFactory


@pytest.mark.parametrize(("dialect", "mode", "inline"), [
    ("sqlite", "auto", True), ("postgresql", "auto", False), ("sqlite", "threads", False),
    ("postgresql", "inline", True), ("sqlite", "inline", True),
    ("postgresql", "threads", False)])
def test_the_choice_follows_the_dialect_unless_forced(dialect: str, mode: str,
                                                      inline: bool) -> None:
    calls = DatabaseCalls.for_dialect(dialect, mode)  # type: ignore[arg-type]
    assert calls.inline is inline
    assert calls.with_executor(ThreadPoolExecutor(1)).inline is inline


async def test_inline_calls_run_in_the_loops_thread_and_threaded_ones_do_not() -> None:
    here = threading.get_ident()
    assert await DatabaseCalls(inline=True)(threading.get_ident) == here
    assert await THREADS(threading.get_ident) != here
    own = ThreadPoolExecutor(1, thread_name_prefix="own")
    name = await DatabaseCalls(executor=own)(lambda: threading.current_thread().name)
    assert name.startswith("own")
    assert await DatabaseCalls(inline=True).with_executor(own)(threading.get_ident) == here


@pytest.mark.parametrize("inline", [True, False])
async def test_errors_reach_the_caller_either_way(inline: bool) -> None:
    def fails(word: str) -> None:
        raise ValueError(word)

    with pytest.raises(ValueError, match="rusak"):
        await DatabaseCalls(inline=inline)(fails, "rusak")


class FakeIntake:
    """The parts of IntakeService the channel's door uses; records where each batch ran."""

    def __init__(self, ready: bool) -> None:
        self.ready = ready
        self.batches: list[tuple[int, int]] = []  # (size, thread id)

    def model_ready(self) -> bool:
        return self.ready

    def wait_for_model(self) -> None:
        pass

    def handle_ready(self, inbounds: Sequence[Inbound]) -> list[HandleOutcome]:
        self.batches.append((len(inbounds), threading.get_ident()))
        return [HandleOutcome(replies=1) for _ in inbounds]


def door(intake: FakeIntake, calls: DatabaseCalls) -> ChannelIntake:
    return ChannelIntake(cast(IntakeService, intake), cast(UnitOfWorkFactory, None),
                         cast(Clock, None), calls=calls)


def message(n: int) -> Inbound:
    return Inbound(Channel.TELEGRAM, str(n), f"u{n}", text="halo")


async def test_a_ready_model_runs_the_steps_in_the_loops_thread_in_short_batches() -> None:
    intake = FakeIntake(ready=True)
    outcomes = await asyncio.gather(*(door(intake, DatabaseCalls(inline=True)).handle(m)
                                      for m in map(message, range(40))))
    assert all(o.replies == 1 for o in outcomes)
    assert {thread for _, thread in intake.batches} == {threading.get_ident()}
    assert max(size for size, _ in intake.batches) <= MAX_TOGETHER_INLINE
    assert sum(size for size, _ in intake.batches) == 40


async def test_a_model_not_there_yet_keeps_the_steps_out_of_the_loops_thread() -> None:
    intake = FakeIntake(ready=False)
    await door(intake, DatabaseCalls(inline=True)).handle(message(1))
    assert intake.batches and intake.batches[0][1] != threading.get_ident()


async def test_the_loop_turns_between_inline_transactions() -> None:
    """A webhook's acknowledgement queued while steps wait is not held behind all of them."""
    intake = FakeIntake(ready=True)
    subject = door(intake, DatabaseCalls(inline=True))
    seen_at: list[int] = []

    async def acknowledgement() -> None:
        seen_at.append(len(intake.batches))

    waiting = [asyncio.ensure_future(subject.handle(m)) for m in map(message, range(3 * 16))]
    await asyncio.sleep(0)  # the writer starts and yields before its first transaction
    ack = asyncio.ensure_future(acknowledgement())
    await asyncio.gather(*waiting, ack)
    assert len(intake.batches) >= 3
    assert seen_at and seen_at[0] < len(intake.batches)  # it ran before the last batch


@pytest.mark.parametrize(("mode", "inline"), [("auto", True), ("threads", False)])
def test_every_channel_gets_the_one_choice_the_composition_root_made(
        tmp_path: Path, mode: str, inline: bool) -> None:
    """DATABASE_CALLS is read once (bot/bootstrap.py) and the same `DatabaseCalls` reaches the
    web chat, Telegram and WhatsApp intakes, the inbox and the dispatcher."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{tmp_path}/aduan.db", data_dir=tmp_path,
        sla_sweeper=False, database_calls=mode,
        telegram_bot_token="123:abc", telegram_api_base_url="http://127.0.0.1:9",
        telegram_mode="webhook", telegram_webhook_secret="s3cret-token",
        whatsapp_access_token="wa-token", whatsapp_phone_number_id="1",
        whatsapp_app_secret="wa-secret", whatsapp_verify_token="wa-verify",
        whatsapp_api_base_url="http://127.0.0.1:9")
    container = build_container(settings)
    try:
        telegram, whatsapp = container.telegram, container.whatsapp
        assert telegram is not None and whatsapp is not None
        telegram_intake = telegram._handler._intake  # type: ignore[union-attr]
        intakes = {id(c.calls) for c in (container.webchat.intake, whatsapp.webhook.intake,
                                         telegram_intake)}
        assert len(intakes) == 1
        assert container.webchat.intake.calls.inline is inline
        assert container.inbox._writes.inline is inline
        assert container.dispatcher._calls.inline is inline
    finally:
        container.engine.dispose()
