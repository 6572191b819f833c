"""Several chats' messages in one transaction (issue 19), and a failing one failing alone."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import event, text

from bot.bootstrap import Container
from bot.channels.intake import ChannelIntake
from core.city import CityContext
from core.intake.service import HandleOutcome, IntakeService
from core.matching.ngram_fit import Docs
from core.matching.ngrams import FittedNgrams, fit_here
from core.messages import Channel, Inbound


def _inbound(chat: str, text_: str, external_id: str) -> Inbound:
    return Inbound(channel=Channel.WEB, chat_id=chat, user_id=chat, external_id=external_id,
                   text=text_)


def test_messages_waiting_together_share_one_commit(container: Container) -> None:
    commits: list[int] = []
    event.listen(container.engine, "commit", lambda _conn: commits.append(1))
    door = ChannelIntake(container.intake, container.uow, container.clock)
    container.intake.wait_for_model()  # a fit under way after the load: one transaction each

    async def run() -> list[HandleOutcome]:
        return list(await asyncio.gather(*(door.handle(_inbound(f"c{i}", "/lapor", f"u{i}"))
                                           for i in range(6))))

    before = len(commits)
    outcomes = asyncio.run(run())
    assert [o.replies for o in outcomes] == [1] * 6
    # All six were waiting before the writer ran: one transaction, one commit.
    assert len(commits) - before == 1
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM conversations")).scalar_one() == 6


def test_a_failing_message_fails_alone(container: Container, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    door = ChannelIntake(container.intake, container.uow, container.clock)
    real_turn = container.intake._turn

    def turn(uow, inbound, now, city, outcome):  # type: ignore[no-untyped-def]
        if inbound.chat_id == "bad":
            raise RuntimeError("a bug in one step")
        return real_turn(uow, inbound, now, city, outcome)

    monkeypatch.setattr(container.intake, "_turn", turn)

    async def run() -> list[HandleOutcome | BaseException]:
        messages = [_inbound("c0", "/lapor", "u0"), _inbound("c1", "/lapor", "u1"),
                    _inbound("bad", "/lapor", "u2"), _inbound("c3", "/lapor", "u3")]
        return list(await asyncio.gather(*(door.handle(m) for m in messages),
                                         return_exceptions=True))

    results = asyncio.run(run())
    assert isinstance(results[2], RuntimeError)
    assert [r.replies for i, r in enumerate(results) if i != 2] == [1, 1, 1]  # type: ignore[union-attr]
    with container.engine.connect() as conn:
        chats = conn.execute(text("SELECT chat_id FROM conversations ORDER BY chat_id")).scalars()
        assert list(chats) == ["c0", "c1", "c3"]


def _fit_on_hold(container: Container
                 ) -> tuple[CityContext, IntakeService, threading.Event, threading.Event]:
    """The container's city with a real fit that starts, then waits for `release`."""
    base = container.city()
    started, release = threading.Event(), threading.Event()

    def gated_fit(docs: Docs) -> FittedNgrams:
        started.set()
        release.wait(30)
        return fit_here(docs)

    city = CityContext.build(base.directory, base.config, base.tz, fit=gated_fit)
    return city, IntakeService(container.uow, lambda: city, container.clock), started, release


def test_a_step_needing_the_model_being_fitted_waits_outside_any_transaction(
        container: Container) -> None:
    """A fit under way (a second or more after a load) holds back only the chats whose step
    needs it: the others are answered meanwhile, and the held one once the fit is done."""
    city, intake, started, release = _fit_on_hold(container)
    for i, said in enumerate(("/lapor", "Jalan rusak berlubang besar di depan pasar", "1")):
        intake.handle(_inbound("typing", said, f"t{i}"))  # up to the category question
    fitter = threading.Thread(target=city.matcher.ngrams.prepare, daemon=True)
    fitter.start()
    assert started.wait(10) and city.fitting
    door = ChannelIntake(intake, container.uow, container.clock)

    async def run() -> tuple[bool, HandleOutcome, HandleOutcome]:
        typed = asyncio.ensure_future(door.handle(_inbound("typing", "Jalan rusak", "t3")))
        other = await asyncio.wait_for(door.handle(_inbound("other", "/lapor", "o0")), 10)
        held = not typed.done()
        release.set()
        return held, other, await asyncio.wait_for(typed, 30)

    held, other, typed = asyncio.run(run())
    assert held and other.replies == 1  # answered while the fit was under way
    assert not typed.replayed and typed.replies >= 1  # its rolled-back try left no replay mark
    with container.engine.connect() as conn:
        sent = conn.execute(text("SELECT count(*) FROM outbox WHERE chat_id = 'typing'"))
        assert sent.scalar_one() == 3 + typed.replies  # each answer queued once
    fitter.join(10)


def test_a_failing_message_during_a_fit_fails_alone_and_the_rest_are_answered_once(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    city, intake, started, release = _fit_on_hold(container)
    real_turn = intake._turn

    def turn(uow, inbound, now, city, outcome):  # type: ignore[no-untyped-def]
        if inbound.chat_id == "bad":
            raise RuntimeError("a bug in one step")
        return real_turn(uow, inbound, now, city, outcome)

    monkeypatch.setattr(intake, "_turn", turn)
    threading.Thread(target=city.matcher.ngrams.prepare, daemon=True).start()
    assert started.wait(10) and city.fitting
    door = ChannelIntake(intake, container.uow, container.clock)
    threading.Timer(1.0, release.set).start()

    async def run() -> list[HandleOutcome | BaseException]:
        messages = [_inbound("c0", "/lapor", "f0"), _inbound("bad", "/lapor", "f1"),
                    _inbound("c2", "/lapor", "f2")]
        return list(await asyncio.wait_for(asyncio.gather(
            *(door.handle(m) for m in messages), return_exceptions=True), 30))

    results = asyncio.run(run())
    assert isinstance(results[1], RuntimeError)
    answered = [r for i, r in enumerate(results) if i != 1]
    assert [(r.replayed, r.replies) for r in answered] == [(False, 1), (False, 1)]  # type: ignore[union-attr]
