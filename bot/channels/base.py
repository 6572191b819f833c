"""The contract every chat channel keeps, and the shared pieces it is built from.

A channel is a folder under `bot/channels/` that exports a `ChannelSpec`; `registry.CHANNELS`
lists them. The composition root builds each enabled one from `ChannelPieces`, registers its
sender with the dispatcher, includes its router, and starts it after the dispatcher (stopping
it after the dispatcher stops).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from fastapi import APIRouter
from sqlalchemy import Engine

from bot.channels.intake import ChannelIntake, OnHandled, writers_for
from bot.db_calls import DatabaseCalls
from bot.edge.fast_posts import FastPostOrPass
from bot.inbox import InboxWorker
from bot.media import MediaStore
from bot.settings import Settings
from core.city import CityContext
from core.intake.service import IntakeService
from core.messages import Channel
from core.ports import Clock, MessageSender, UnitOfWorkFactory
from storage.outbox_store import SqlOutboxStore


class ChannelConfigError(ValueError):
    """A channel is enabled but cannot run safely; the message is one line for the CLI."""


@dataclass(frozen=True, slots=True)
class ChannelPieces:
    """What the composition root shares with every channel."""

    settings: Settings
    engine: Engine
    clock: Clock
    intake: IntakeService
    uow: UnitOfWorkFactory
    outbox: SqlOutboxStore
    media: MediaStore
    city: Callable[[], CityContext]
    wake: Callable[[], None]  # the dispatcher, when rows became due outside a unit of work
    calls: DatabaseCalls  # where the hot path's database calls run (DATABASE_CALLS)
    on_handled: OnHandled | None = None  # metrics
    # Webhook updates stored before they are acknowledged, handled after (one per process).
    inbox: InboxWorker | None = None

    def channel_intake(self) -> ChannelIntake:
        return ChannelIntake(self.intake, self.uow, self.clock, self.settings.default_language,
                             self.on_handled, writers=writers_for(self.engine.dialect.name),
                             calls=self.calls)


class ChannelAdapter(Protocol):
    """A built channel: its routes, its sender for the outbox, and what runs in the background."""

    @property
    def channel(self) -> Channel: ...

    @property
    def router(self) -> APIRouter: ...

    @property
    def deferred_prefix(self) -> str | None:
        """The path prefix of `router` when the app may build it on its first request
        (bot/deferred_routes.py) rather than at start-up; None: a platform's webhook, which
        must answer at once."""
        ...

    @property
    def sender(self) -> MessageSender | None:
        """The push side for the dispatcher; None for a channel the client pulls from."""
        ...

    @property
    def body_limits(self) -> Mapping[str, int]:
        """Request paths allowed a body over the 1 MiB default, with their limit in bytes."""
        ...

    @property
    def fast_posts(self) -> Mapping[str, FastPostOrPass]:
        """POST paths answered ahead of the app's routing (a platform's webhook, the web chat's
        messages: the hot paths, bot/edge/fast_posts.py), with their handler; `router` serves
        the same paths too."""
        ...

    async def start(self) -> None:
        """Called after the dispatcher started; must not block start-up on the platform."""
        ...

    async def stop(self) -> None:
        """Called after the dispatcher stopped."""
        ...


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    """One registry line: whether the settings enable a channel, and how to build it."""

    channel: Channel
    # True when enabled; raises ChannelConfigError with a one-line reason when enabled but unsafe.
    check: Callable[[Settings], bool]
    build: Callable[[ChannelPieces], ChannelAdapter]
