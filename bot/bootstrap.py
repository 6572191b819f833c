"""The composition root: settings → engine → stores → services → dispatcher → the registry's
channels (tests build the same)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.api.auth import TokenAuth
from bot.channels.base import ChannelAdapter, ChannelPieces
from bot.channels.registry import CHANNELS
from bot.channels.telegram import TelegramChannel
from bot.channels.web import WebChat, WebChatChannel
from bot.channels.web.hub import WebChatHub
from bot.channels.whatsapp import WhatsAppChannel
from bot.db_calls import DatabaseCalls
from bot.dispatch_policy import DispatchPolicy
from bot.dispatcher import Dispatcher
from bot.inbox import InboxWorker
from bot.media import MediaStore
from bot.media_backends import media_files
from bot.ngram_child import fit_in_child
from bot.observability import Metrics
from bot.retention import RetentionJob
from bot.scheduler import SlaScheduler
from bot.settings import Settings
from core.city import CityContext, IntakeConfig
from core.directory.loader import bundled_directory_path, parse_directory
from core.directory.model import Directory, Example
from core.intake.service import IntakeService
from core.matching.learning import learned_examples
from core.messages import Channel
from core.ports import Clock, MessageSender
from core.sla.sweep import SlaSweeper
from storage.dashboard import SqlDashboardAuth
from storage.directory_store import SqlDirectoryStore
from storage.engine import make_engine
from storage.inbox_store import SqlInbox
from storage.learned_examples import SqlLearnedExamples
from storage.outbox_leases import SqlOutboxLeases
from storage.outbox_store import SqlOutboxStore
from storage.tokens import SqlTokenStore
from storage.uow import SqlUnitOfWorkFactory
from storage.wal_checkpoint import WalCheckpointer

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class CityHolder:
    """The current directory and what is derived from it; swapped whole when a new one lands."""

    def __init__(self, store: SqlDirectoryStore, config: IntakeConfig, settings: Settings,
                 learned: SqlLearnedExamples | None = None) -> None:
        """`learned`: confirmed reports to learn examples from (None: the directory's only)."""
        self._store, self._config, self._settings = store, config, settings
        self._learned = learned if settings.learn_from_coordinator else None
        self._lock = threading.Lock()
        self._version: tuple[int | None, object] | None = None
        self._city: CityContext | None = None

    def __call__(self) -> CityContext:
        city = self._city
        if city is None:
            self.refresh()
            city = self._city
        assert city is not None
        return city

    def refresh(self, fit: bool = True) -> bool:
        """Load the newest stored directory, with what the coordinators confirmed since, if
        either changed; True when it did. `fit`: start fitting its n-gram model in the
        background now (else `fit_in_background` later; a typed text fits it on demand)."""
        learned = self._learned.watermark() if self._learned else None
        latest = self._store.latest_version_id()
        if latest is not None and (latest, learned) == self._version:
            return False
        with self._lock:
            stored = self._store.latest()
            if stored is None:
                raise RuntimeError("no directory stored; run `aduan db upgrade` first")
            version, source, content = stored
            directory = parse_directory(content, source, accepted=True)
            examples = self._learned_examples(directory)
            # The matcher, built on first use, fits in a child process whoever uses it first:
            # scikit-learn never loads into the server.
            city = CityContext.build(directory, self._config, self._settings.tz, examples,
                                     fit=fit_in_child)
            self._city, self._version = city, (version, learned)
        if fit:
            self.fit_in_background()
        log.info("directory version %s loaded (%s OPDs, %s categories, %s learned examples)",
                 version, len(directory.opds), len(directory.categories), len(examples))
        return True

    def fit_in_background(self) -> None:
        """Fit the current n-gram model beside serving (in a child process, bot/ngram_child.py:
        a second or two), not at a citizen's turn nor before the server answers; a typed text
        meanwhile waits for it."""
        city = self._city
        if city is not None:
            threading.Thread(target=city.matcher.ngrams.prepare, name="ngram-fit",
                             daemon=True).start()

    def _learned_examples(self, directory: Directory) -> tuple[Example, ...]:
        if self._learned is None:
            return ()
        per_category = self._settings.learned_examples_per_category
        known = {c.code for c in directory.categories}
        # Repeats and dropped categories are skipped: read a few times the cap's worth.
        rows = self._learned.confirmed(limit=4 * per_category * max(len(known), 1))
        return learned_examples(rows, per_category, known, directory.examples)


def seed_directory(settings: Settings, store: SqlDirectoryStore, clock: Clock) -> Directory | None:
    """Store DIRECTORY_FILE (or the bundled sample when nothing is stored yet) if it is new."""
    explicit = settings.directory_file
    path = Path(explicit) if explicit else bundled_directory_path()
    stored = store.latest()
    if explicit is None and stored is not None:
        return None
    content = path.read_text(encoding="utf-8")
    if stored is not None and stored[2] == content:
        return None
    directory = parse_directory(content, str(path))
    store.save(directory, str(path), content, clock.now())
    return directory


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: Engine
    uow: SqlUnitOfWorkFactory
    outbox: SqlOutboxStore
    directories: SqlDirectoryStore
    city: CityHolder
    intake: IntakeService
    dispatcher: Dispatcher
    metrics: Metrics
    media: MediaStore
    token_auth: TokenAuth  # API and Open311 callers (and the dashboard's token login)
    dashboard_auth: SqlDashboardAuth  # the dashboard's login links and sessions
    inbox: InboxWorker  # webhook updates stored before acknowledged, shared by the channels
    channels: dict[Channel, ChannelAdapter] = field(default_factory=dict)  # registry order
    senders: dict[Channel, MessageSender] = field(default_factory=dict)
    sla: SlaScheduler | None = None  # None when SLA_SWEEPER is off for this worker
    checkpointer: WalCheckpointer | None = None  # SQLite's WAL, moved outside the commits

    # Typed views of the registry's instances for tests and tools; wiring loops over `channels`.
    @property
    def webchat(self) -> WebChat:
        web = self.channels[Channel.WEB]
        assert isinstance(web, WebChatChannel)
        return web.chat

    @property
    def hub(self) -> WebChatHub:
        return self.webchat.hub

    @property
    def whatsapp(self) -> WhatsAppChannel | None:
        found = self.channels.get(Channel.WHATSAPP)
        return found if isinstance(found, WhatsAppChannel) else None

    @property
    def telegram(self) -> TelegramChannel | None:
        found = self.channels.get(Channel.TELEGRAM)
        return found if isinstance(found, TelegramChannel) else None


def intake_config(settings: Settings) -> IntakeConfig:
    return IntakeConfig(daily_report_limit=settings.daily_report_limit,
                        duplicate_radius_m=settings.duplicate_radius_meters,
                        duplicate_window_days=settings.duplicate_window_days,
                        retention=settings.retention)


def build_channels(pieces: ChannelPieces, dispatcher: Dispatcher,
                   push: dict[Channel, MessageSender]) -> dict[Channel, ChannelAdapter]:
    """Every channel of the registry that the settings enable (raising ChannelConfigError for
    one enabled but unsafe); a push channel's sender goes to the dispatcher unless `push`
    already has one for it (a test's fake)."""
    channels: dict[Channel, ChannelAdapter] = {}
    for spec in CHANNELS:
        if not spec.check(pieces.settings):
            continue
        adapter = channels[spec.channel] = spec.build(pieces)
        if adapter.sender is not None and spec.channel not in push:
            dispatcher.add_sender(adapter.sender)
            push[spec.channel] = adapter.sender
    return channels


def open_media(settings: Settings, engine: Engine) -> MediaStore:
    """The media store MEDIA_STORE names (every worker of every machine reads the same)."""
    return MediaStore(media_files(settings.media_store, engine, settings.media_dir,
                                  settings.s3_endpoint_url))


def build_container(settings: Settings, clock: Clock | None = None,
                    senders: Mapping[Channel, MessageSender] | None = None,
                    policy: DispatchPolicy | None = None) -> Container:
    """Wire the whole service; `senders` replace the push channels' own (tests' fakes)."""
    clock = clock or SystemClock()
    engine = make_engine(settings.resolved_database_url, checkpoint_in_background=True)
    calls = DatabaseCalls.for_dialect(engine.dialect.name, settings.database_calls)
    outbox = SqlOutboxStore(engine)
    directories = SqlDirectoryStore(engine)
    city = CityHolder(directories, intake_config(settings), settings, SqlLearnedExamples(engine))
    metrics = Metrics(outbox, engine, clock, lambda now: city().sla.yellow_until(now))
    push = dict(senders or {})
    dispatcher = Dispatcher(
        outbox, push, clock,
        policy or DispatchPolicy(max_attempts=settings.outbox_max_attempts),
        on_result=metrics.send_result, leases=SqlOutboxLeases(engine),
        journal_dir=settings.data_dir / "outbox-journal", calls=calls,
    )
    uow = SqlUnitOfWorkFactory(engine, on_commit=dispatcher.wake, tz=settings.tz,
                               handoff=dispatcher)
    media = open_media(settings, engine)
    intake = IntakeService(uow, city, clock, settings.default_language,
                           settings.dashboard_base, photos=media)
    inbox = InboxWorker(SqlInbox(engine), now=clock.now, calls=calls)
    pieces = ChannelPieces(settings, engine, clock, intake, uow, outbox, media, city,
                           wake=dispatcher.wake, calls=calls, on_handled=metrics.handled,
                           inbox=inbox)
    channels = build_channels(pieces, dispatcher, push)
    sla = None
    if settings.sla_sweeper:
        sla = SlaScheduler(SlaSweeper(uow, city), clock, settings.sla_sweep_seconds, settings.tz,
                           RetentionJob(engine, settings.retention, clock))
    token_auth = TokenAuth(SqlTokenStore(engine), clock, settings.api_requests_per_minute)
    dashboard_auth = SqlDashboardAuth(engine, timedelta(hours=settings.dashboard_session_hours))
    return Container(settings, clock, engine, uow, outbox, directories, city, intake,
                     dispatcher, metrics, media, token_auth, dashboard_auth, inbox, channels,
                     push, sla, WalCheckpointer(engine))
