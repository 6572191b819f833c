"""TelegramSender with the real PTB Bot against the fake Bot API: rendering, pacing, error mapping."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.client import make_bot
from bot.channels.telegram.render import button_rows, split_text, utf16_len
from bot.channels.telegram.sender import TelegramSender, outcome_of
from bot.pacing import Pacer, Pacing
from core.messages import Channel, Option, Outbound
from core.ports import OutgoingMessage, SendOutcome
from storage.chat_hints import Previous
from tests.fake_platforms.telegram_api import TOKEN, FakeTelegram, free_port
from tests.telegram.conftest import FAST

_ids = itertools.count(1)
MENU = (Option("menu:lapor", "Buat laporan"), Option("menu:status", "Cek status"),
        Option("menu:bahasa", "Bahasa / Language"), Option("menu:bantuan", "Bantuan"))


def item(message: Outbound, chat_id: str = "5501") -> OutgoingMessage:
    return OutgoingMessage(next(_ids), Channel.TELEGRAM, chat_id, message, 1, {})


class Hints:
    def __init__(self, language: str = "id", asked_location: bool = False) -> None:
        self.lang, self.asked = language, asked_location

    def language(self, channel: Channel, chat_id: str) -> str | None:
        return self.lang

    def previous_sent(self, channel: Channel, chat_id: str, before_id: int) -> Previous | None:
        return Previous(self.asked, None)


def sender(bot: Bot, pacing: Pacing = FAST, hints: Hints | None = None) -> TelegramSender:
    return TelegramSender(bot, Pacer(pacing), hints)


def keyboard_of(params: dict[str, Any]) -> list[list[tuple[str, str]]]:
    return [[(b["text"], b["callback_data"]) for b in row]
            for row in params["reply_markup"]["inline_keyboard"]]


async def test_options_become_an_inline_keyboard_that_reads_well_on_a_phone(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    result = await sender(bot).send(item(Outbound("Apa yang ingin Anda lakukan?", MENU)))
    assert result.outcome is SendOutcome.SENT
    call = fake_tg.sent("5501")[0]
    assert result.platform_message_id == str(fake_tg.messages and max(fake_tg.messages))
    assert keyboard_of(call.params) == [
        [("Buat laporan", "menu:lapor"), ("Cek status", "menu:status")],
        [("Bahasa / Language", "menu:bahasa")],
        [("Bantuan", "menu:bantuan")],
    ]


def test_navigation_buttons_share_the_last_row_and_long_labels_get_their_own() -> None:
    rows = button_rows([Option("a:1", "Pengaduan"), Option("a:2", "Permintaan informasi"),
                        Option("a:3", "Aspirasi"), Option("nav:skip", "Lewati"),
                        Option("nav:back", "Kembali")])
    assert [[o.id for o in row] for row in rows] == [["a:1"], ["a:2"], ["a:3"],
                                                     ["nav:skip", "nav:back"]]


async def test_an_option_id_over_64_bytes_is_refused_before_calling_telegram(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    long_id = "cat:" + "é" * 31  # 66 bytes, 35 characters
    result = await sender(bot).send(item(Outbound("Pilih", (Option(long_id, "x"),))))
    assert result.outcome is SendOutcome.FAILED and "64 bytes" in (result.error or "")
    assert fake_tg.calls == []


async def test_citizen_text_is_sent_verbatim_as_plain_text(bot: Bot, fake_tg: FakeTelegram) -> None:
    text = "Laporan: <script>alert('x')</script> *tebal_ [tautan](http://x) `kode` & <b>"
    result = await sender(bot).send(item(Outbound(text)))
    assert result.outcome is SendOutcome.SENT
    params = fake_tg.sent("5501")[0].params
    assert params["text"] == text
    assert "parse_mode" not in params and "entities" not in params


async def test_a_long_text_is_split_under_4096_with_the_buttons_on_the_last_part(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    paragraphs = [f"Paragraf {i}: " + "kata " * 300 for i in range(6)]  # ~9 000 chars
    text = "\n\n".join(paragraphs)
    result = await sender(bot).send(item(Outbound(text, MENU[:1])))
    assert result.outcome is SendOutcome.SENT
    calls = fake_tg.sent("5501")
    assert len(calls) == 3
    assert all(utf16_len(c.params["text"]) <= 4096 for c in calls)
    assert ["reply_markup" in c.params for c in calls] == [False, False, True]
    assert " ".join(c.params["text"] for c in calls).split() == text.split()
    assert result.platform_message_id == str(max(fake_tg.messages))


def test_splitting_counts_utf16_units_and_cuts_hard_when_there_is_no_space() -> None:
    emoji = "🚧" * 3000  # 6 000 UTF-16 units
    parts = split_text(emoji)
    assert [utf16_len(p) for p in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == emoji
    assert split_text("pendek") == ["pendek"]


async def test_asking_for_a_location_shows_a_one_time_reply_keyboard(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    out = Outbound("Di mana lokasinya?", (Option("nav:skip", "Skip"), Option("nav:back", "Back")),
                   ask_location=True)
    assert (await sender(bot, hints=Hints("en")).send(item(out))).outcome is SendOutcome.SENT
    markup = fake_tg.sent("5501")[0].params["reply_markup"]
    assert markup["one_time_keyboard"] is True and markup["resize_keyboard"] is True
    first, second = markup["keyboard"]
    assert first == [{"text": "📍 Send my location", "request_location": True}]
    assert [b["text"] for b in second] == ["Skip", "Back"]


async def test_the_message_after_a_location_question_removes_the_reply_keyboard(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    result = await sender(bot, hints=Hints(asked_location=True)).send(
        item(Outbound("Lokasi dicatat. Kirim foto?", MENU[:2])))
    assert result.outcome is SendOutcome.SENT
    sent = fake_tg.sent("5501")[0]
    assert sent.params["reply_markup"] == {"remove_keyboard": True}
    edit = fake_tg.calls_of("editMessageReplyMarkup")[0]
    assert edit.params["message_id"] == int(result.platform_message_id or 0)
    assert keyboard_of(edit.params)[0][0] == ("Buat laporan", "menu:lapor")
    # Without buttons, the removal simply rides on the message.
    plain = await sender(bot, hints=Hints(asked_location=True)).send(item(Outbound("Terima kasih")))
    assert plain.outcome is SendOutcome.SENT
    assert fake_tg.sent("5501")[-1].params["reply_markup"] == {"remove_keyboard": True}
    assert len(fake_tg.calls_of("editMessageReplyMarkup")) == 1


async def test_if_telegram_refuses_to_add_buttons_by_editing_they_come_in_a_short_message(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    fake_tg.script.refuse_markup_edits_after_remove = True
    result = await sender(bot, hints=Hints(asked_location=True)).send(
        item(Outbound("Lokasi dicatat.", MENU[:2])))
    assert result.outcome is SendOutcome.SENT
    texts = [c.params["text"] for c in fake_tg.sent("5501")]
    assert texts == ["Lokasi dicatat.", "Pilih salah satu:"]
    assert "inline_keyboard" in fake_tg.sent("5501")[1].params["reply_markup"]


async def test_429_is_retry_after_and_pauses_every_send_of_the_bot(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    fake_tg.script.flood_sends, fake_tg.script.retry_after = 1, 1
    telegram = sender(bot)
    flooded = await telegram.send(item(Outbound("satu"), "1"))
    assert flooded.outcome is SendOutcome.RETRY and flooded.retry_after == 1.0
    started = time.monotonic()
    other_chat = await telegram.send(item(Outbound("dua"), "2"))
    assert other_chat.outcome is SendOutcome.SENT
    assert time.monotonic() - started >= 0.9, "the flood wait applies to every chat"


async def test_a_wait_longer_than_max_wait_hands_the_row_back_without_calling(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    telegram = sender(bot, Pacing(chat_rate=0.01, chat_burst=1, max_wait=0.5))
    assert (await telegram.send(item(Outbound("satu")))).outcome is SendOutcome.SENT
    later = await telegram.send(item(Outbound("dua")))
    assert later.outcome is SendOutcome.RETRY and (later.retry_after or 0) > 50
    assert len(fake_tg.sent()) == 1


async def test_blocked_and_unknown_chats_are_unreachable_other_400s_fail_with_the_reason(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    fake_tg.script.blocked.add("666")
    fake_tg.script.missing.add("404")
    telegram = sender(bot)
    blocked = await telegram.send(item(Outbound("halo"), "666"))
    assert blocked.outcome is SendOutcome.UNREACHABLE and "blocked" in (blocked.error or "")
    missing = await telegram.send(item(Outbound("halo"), "404"))
    assert missing.outcome is SendOutcome.UNREACHABLE
    empty = await telegram.send(item(Outbound("   ")))
    assert empty.outcome is SendOutcome.FAILED and "text is empty" in (empty.error or "")


async def test_an_unreachable_bot_api_means_retry_later() -> None:
    offline = make_bot(TOKEN, f"http://127.0.0.1:{free_port()}")
    try:
        result = await sender(offline).send(item(Outbound("halo")))
    finally:
        await offline.shutdown()
    assert result.outcome is SendOutcome.RETRY and result.error


@pytest.mark.parametrize(("error", "outcome"), [
    (BadRequest("Message is not modified: specified new message content is the same"),
     SendOutcome.SENT),
    (BadRequest("Chat not found"), SendOutcome.UNREACHABLE),
    (BadRequest("Bad Request: can't parse entities"), SendOutcome.FAILED),
    (Forbidden("Forbidden: user is deactivated"), SendOutcome.UNREACHABLE),
    (RetryAfter(7), SendOutcome.RETRY),
    (TimedOut(), SendOutcome.RETRY),
    (NetworkError("Bad Gateway"), SendOutcome.RETRY),
    (ChatMigrated(-100200), SendOutcome.FAILED),
])
def test_error_mapping(error: Exception, outcome: SendOutcome) -> None:
    from telegram.error import TelegramError

    assert isinstance(error, TelegramError)
    result = outcome_of(error)
    assert result.outcome is outcome
    if isinstance(error, RetryAfter):
        assert result.retry_after == 7.0


async def test_sends_are_paced_overall_and_per_chat(bot: Bot, fake_tg: FakeTelegram) -> None:
    overall = sender(bot, Pacing(global_rate=20, global_burst=1, chat_rate=1000, chat_burst=100))
    started = time.monotonic()
    for n in range(6):
        await overall.send(item(Outbound(f"pesan {n}"), str(n)))
    assert time.monotonic() - started >= 5 / 20 * 0.9
    per_chat = sender(bot, Pacing(global_rate=1000, global_burst=100, chat_rate=10, chat_burst=1))
    started = time.monotonic()
    for n in range(4):
        await per_chat.send(item(Outbound(f"pesan {n}"), "777"))
    assert time.monotonic() - started >= 3 / 10 * 0.9
    times = [c.at for c in fake_tg.sent("777")]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.09


async def test_at_most_max_in_flight_sends_are_on_the_wire_at_once(
        bot: Bot, fake_tg: FakeTelegram) -> None:
    # What a kill -9 can send twice is what the platform accepted before it was recorded.
    fake_tg.script.latency = 0.2
    limited = sender(bot, Pacing(global_rate=1000, global_burst=100, chat_rate=1000,
                                 chat_burst=100, max_in_flight=3))
    results = await asyncio.gather(*(limited.send(item(Outbound(f"pesan {n}"), str(900 + n)))
                                      for n in range(12)))
    assert all(r.outcome is SendOutcome.SENT for r in results)
    assert fake_tg.most_sends_at_once == 3


def test_calls_at_once_follow_the_configured_rate_within_bounds() -> None:
    # Telegram's quota keeps the kill -9 bound of 5; a raised rate gets the calls to use it.
    assert Pacing.from_rates(30, 1).max_in_flight == 5
    assert Pacing.from_rates(15, 1).max_in_flight == 5
    assert Pacing.from_rates(120, 1).max_in_flight == 20
    assert Pacing.from_rates(100000, 100000).max_in_flight == 32


def test_the_pacer_refills_by_rate_and_caps_at_burst() -> None:
    now = [100.0]
    pacer = Pacer(Pacing(global_rate=2, global_burst=2, chat_rate=1, chat_burst=1),
                  clock=lambda: now[0])
    assert pacer.delay("a") == 0
    pacer._global.take(), pacer._chat("a", now[0]).take()
    assert pacer.delay("a") == pytest.approx(1.0)  # the chat bucket is the tighter one
    assert pacer.delay("b") == 0  # another chat only shares the global bucket (1 token left)
    pacer.pause(5)
    assert pacer.delay("b") == pytest.approx(5.0)
    now[0] += 60
    assert pacer.delay("a") == 0 and pacer._global.tokens == 2


async def test_the_bot_token_never_reaches_the_logs(bot: Bot, fake_tg: FakeTelegram,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    for name in ("httpx", "telegram.Bot", "telegram.request.BaseRequest",
                 "bot.channels.telegram.transport"):
        caplog.set_level("DEBUG", logger=name)
    await bot.get_me()
    await sender(bot).send(item(Outbound("halo")))
    assert "bot[redacted]/getMe" in caplog.text
    assert TOKEN not in caplog.text


def test_extras_only_take_spare_budget() -> None:
    now = [0.0]
    pacer = Pacer(Pacing(global_rate=1, global_burst=1), clock=lambda: now[0])
    assert pacer.try_acquire()
    assert not pacer.try_acquire()  # a reply would have to wait: the extra is skipped
    now[0] += 1
    pacer.pause(3)
    assert not pacer.try_acquire()


async def test_extras_never_take_a_slot_a_waiting_send_needs() -> None:
    import asyncio

    pacer = Pacer(Pacing(global_rate=20, global_burst=1, chat_rate=1000, chat_burst=100))
    assert await pacer.acquire("a") is None  # the burst is used up
    waiting = asyncio.create_task(pacer.acquire("b"))
    await asyncio.sleep(0.08)  # a token is back, but "b" is still asleep for it
    assert not pacer.try_acquire()
    assert await waiting is None
