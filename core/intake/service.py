"""Use case: one inbound citizen message in, one transaction, replies into the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time

from core.city import CityContext
from core.i18n import format_datetime, normalise_language, t
from core.intake.context import (
    Context,
    FollowRequested,
    LanguageChanged,
    StatusRequested,
    SubmitRequested,
    needs_reports_today,
)
from core.intake.form import step
from core.intake.render import menu, step_options
from core.intake.state import Conversation, Step
from core.matching.duplicate_finder import DuplicateFinder, render_duplicate
from core.matching.patience import NotReady, impatient
from core.messages import Channel, Inbound, Outbound
from core.ports import Citizen, Clock, UnitOfWork, UnitOfWorkFactory
from core.privacy.chat import PrivacyChat
from core.privacy.ports import PhotoFiles
from core.privacy.render import notice
from core.reports import lifecycle
from core.reports.actors import Actor
from core.reports.model import Draft, Privacy, ReportSummary
from core.reports.results import Refused, Submitted
from core.reports.submit import Submission
from core.reports.views import Follower
from core.work.service import DEFAULT_DASHBOARD_BASE, WorkService
from core.work.turn import Turn

log = logging.getLogger(__name__)
STATUS_LIST_LIMIT = 10


@dataclass(slots=True)
class HandleOutcome:
    replayed: bool = False
    created: list[str] = field(default_factory=list)  # tracking numbers of new reports
    replies: int = 0


class IntakeService:
    """Answers every chat message: the intake form, or the work side (`core.work_service`)."""

    def __init__(self, uow: UnitOfWorkFactory, city: Callable[[], CityContext], clock: Clock,
                 default_language: str = "id", dashboard_base: str = DEFAULT_DASHBOARD_BASE,
                 photos: PhotoFiles | None = None) -> None:
        self._uow, self._city, self._clock = uow, city, clock
        self._default_language = default_language
        self._privacy = PrivacyChat(photos)
        self._work = WorkService(dashboard_base)
        self._duplicate_finder = DuplicateFinder()

    def handle(self, inbound: Inbound) -> HandleOutcome:  # a replayed platform id changes nothing
        return self.handle_together([inbound])[0]

    def handle_together(self, inbounds: Sequence[Inbound]) -> list[HandleOutcome]:
        """`handle_ready`, then the messages that waited for the category model once it is."""
        outcomes = self.handle_ready(inbounds)
        late = [i for i, outcome in enumerate(outcomes) if outcome is None]
        if late:
            self.wait_for_model()
            for i, outcome in zip(late, self._in_one([inbounds[i] for i in late]), strict=True):
                outcomes[i] = outcome
        return [outcome or HandleOutcome() for outcome in outcomes]  # none is None here

    def handle_ready(self, inbounds: Sequence[Inbound]) -> list[HandleOutcome | None]:
        """Answer several chats' messages in one transaction (issue 19's group commit);
        outcomes in the given order. Anything raised rolls all of them back.

        While the category model is being fitted (a second or more after a directory load),
        each message has a transaction of its own, and one whose step needs the model is rolled
        back at once instead of waiting inside it (on SQLite, holding the write lock): its
        outcome is None, as are the later ones of its chat (and, should a message fail then,
        it and those after it); run them again after `wait_for_model`."""
        if not self._city().fitting:
            try:
                with impatient():
                    return list(self._in_one(inbounds))
            except NotReady:  # a fit began meanwhile
                pass
        outcomes: list[HandleOutcome | None] = []
        late: set[tuple[Channel, str]] = set()
        for inbound in inbounds:
            chat = (inbound.channel, inbound.chat_id)
            outcome = None
            if chat not in late:
                try:
                    with impatient():
                        outcome = self._in_one([inbound])[0]
                except NotReady:
                    late.add(chat)
                except Exception:
                    if not outcomes:  # its own failure; the others were not tried
                        raise
                    return outcomes + [None] * (len(inbounds) - len(outcomes))  # tried again
            outcomes.append(outcome)
        return outcomes

    def model_ready(self) -> bool:  # no step waits for the category model, builds or fits it
        return self._city().ready

    def wait_for_model(self) -> None:  # until its build or fit under way is done (no transaction)
        self._city().settle()

    def _in_one(self, inbounds: Sequence[Inbound]) -> list[HandleOutcome]:
        """The messages' turns in one transaction, chats in a fixed order (a chat's messages in
        theirs): PostgreSQL transactions lock the conversations they share in one order."""
        city = self._city()
        now = self._clock.now()
        order = sorted(range(len(inbounds)),
                       key=lambda i: (inbounds[i].channel.value, inbounds[i].chat_id))
        outcomes = [HandleOutcome() for _ in inbounds]
        after_commit: list[Callable[[], None]] = []
        with self._uow() as uow:
            for i in order:
                after_commit += self._turn(uow, inbounds[i], now, city, outcomes[i])
            uow.commit()
        for job in after_commit:
            job()
        for inbound, outcome in zip(inbounds, outcomes, strict=True):
            if outcome.created:
                log.info("report created channel=%s numbers=%s", inbound.channel,
                         outcome.created)
        return outcomes

    def _turn(self, uow: UnitOfWork, inbound: Inbound, now: datetime, city: CityContext,
              outcome: HandleOutcome) -> list[Callable[[], None]]:
        """One message's changes and replies, in the caller's transaction; returns what must
        run once it is committed."""
        if uow.inbound.seen(inbound.channel, inbound.external_id, now):
            outcome.replayed = True
            return []
        language = normalise_language(inbound.language_hint, self._default_language)
        citizen = uow.citizens.get_or_create(
            inbound.channel, inbound.chat_id, inbound.user_id, inbound.display_name,
            language, now,
        )
        conversation = uow.conversations.load_for_update(inbound.channel, inbound.chat_id)
        if conversation is None:
            conversation = Conversation(language=citizen.language)
        since = start_of_local_day(now, city)
        today = (uow.reports.count_created_since(citizen.id, since)
                 if needs_reports_today(conversation) else 0)
        ctx = Context(city, now, today)
        turn = Turn(uow, inbound, citizen, conversation, ctx)
        answered = self._privacy.handle(turn) or self._work.handle(turn)
        if answered is not None and answered.erased:  # nothing of the chat is kept
            return turn.after_commit  # its farewell is queued already
        if answered is not None:
            saved, replies = answered.conversation, answered.replies
        else:
            saved, replies = self._intake(uow, inbound, citizen, conversation, ctx, outcome)
        if not citizen.noticed:  # the first message: what is kept, why, how long
            replies = with_footer(replies, notice(ctx.config.retention, saved.language))
            uow.privacy.mark_noticed(citizen.id, now)
        uow.conversations.save(inbound.channel, inbound.chat_id, citizen.id, saved, now)
        if inbound.pressed is not None and replies:  # the answer becomes the question
            replies = [replace(replies[0], replaces=inbound.pressed), *replies[1:]]
        for reply in replies:
            uow.outbox.put(inbound.channel, inbound.chat_id, reply, now)
        outcome.replies = len(replies)
        return turn.after_commit

    def _intake(self, uow: UnitOfWork, inbound: Inbound, citizen: Citizen,
                conversation: Conversation, ctx: Context,
                outcome: HandleOutcome) -> tuple[Conversation, list[Outbound]]:
        """The intake form's turn; a pending button action is dropped by any other message."""
        conversation.pending = None
        result = step(conversation, inbound, ctx)
        result.conversation.enrol_failures = conversation.enrol_failures  # survive a new form
        saved, lang = result.conversation, result.conversation.language
        lead: list[str] = []
        after: list[Outbound] = []
        for event in result.events:
            match event:
                case SubmitRequested(draft=draft) if not draft.duplicates_seen and (
                        offer := self._duplicates(uow, citizen, draft, ctx)) is not None:
                    saved, message = offer
                    after.append(message)
                case FollowRequested(tracking_no=ref):
                    lead.append(self._follow_instead(uow, citizen, inbound, ref, lang))
                    after.append(menu(lang))
                case SubmitRequested(draft=draft):
                    done = self._submit(uow, citizen, inbound, draft, ctx)
                    outcome.created.append(done.tracking_no)
                    text = t("submitted", lang, tracking_no=done.tracking_no,
                             status=t(f"status.{done.status.value}", lang))
                    after.append(replace(menu(lang, text), report=done.tracking_no))
                case StatusRequested(tracking_no=number):
                    lead.append(self._status_text(uow, citizen, number, lang, ctx.city))
                case LanguageChanged(language=new_language):
                    uow.citizens.set_language(citizen.id, new_language)
        return saved, prefix(lead, result.replies) + after

    def _duplicates(self, uow: UnitOfWork, citizen: Citizen, draft: Draft,
                    ctx: Context) -> tuple[Conversation, Outbound] | None:
        """Similar open reports to offer before storing this one, as the next step."""
        found = self._duplicate_finder.find(uow, citizen, draft, ctx)
        if not found:
            return None
        lang = normalise_language(citizen.language)
        draft.duplicates_seen = True
        offer = Conversation(step=Step.DUPLICATES, draft=draft, language=lang,
                             candidates=[d.candidate.tracking_no for d in found])
        lines = [render_duplicate(d, citizen.id, lang, ctx.city) for d in found]
        text = "\n".join([t("dup.header", lang), *lines, "", t("dup.prompt", lang)])
        return offer, Outbound(text, step_options(offer, ctx))

    def _follow_instead(self, uow: UnitOfWork, citizen: Citizen, inbound: Inbound, ref: str,
                        lang: str) -> str:
        report = uow.work.get(ref)
        if report is None or not report.status.is_open:
            return t("follow.not_found", lang, ref=ref)
        if report.reporter.citizen_id == citizen.id:
            return t("follow.own", lang, ref=ref)
        uow.work.follow(report.id, Follower(citizen.id, inbound.channel, inbound.chat_id, lang),
                        self._clock.now())
        return t("dup.followed", lang, ref=ref)

    def _submit(self, uow: UnitOfWork, citizen: Citizen, inbound: Inbound, draft: Draft,
                ctx: Context) -> Submitted:
        if draft.type is None or draft.category is None or draft.description is None:
            raise ValueError("submitted draft is incomplete")  # the step function prevents this
        done = lifecycle.submit(uow, ctx.city, Actor.of_citizen(citizen.id), Submission(
            citizen_id=citizen.id, channel=inbound.channel, chat_id=inbound.chat_id,
            type=draft.type, category=draft.category, description=draft.description,
            event_date=draft.event_date or ctx.today, title=draft.title,
            location=draft.location, address=draft.address, kelurahan=draft.kelurahan,
            privacy=draft.privacy or Privacy.RAHASIA, photos=tuple(draft.photos),
            category_text=draft.category_text, outside_authority=draft.outside_authority,
        ), ctx.now)
        if isinstance(done, Refused):  # the form validated the same rules; a bug if reached
            raise ValueError(f"submitted draft refused: {done.reason}")
        return done

    def _status_text(self, uow: UnitOfWork, citizen: Citizen, number: str | None, lang: str,
                     city: CityContext) -> str:
        if number is not None:
            found = uow.reports.get_for_citizen(citizen.id, number)
            if found is None:
                return t("status.not_found", lang, ref=number)
            return render_status_detail(found, lang, city)
        reports = uow.reports.list_for_citizen(citizen.id, STATUS_LIST_LIMIT)
        if not reports:
            return t("status.none", lang)
        return render_status_list(reports, lang, city)


def prefix(lead: Sequence[str], replies: Sequence[Outbound]) -> list[Outbound]:
    """Put `lead` texts in front of the first reply, so one turn is one message."""
    if not lead:
        return list(replies)
    if not replies:
        return [Outbound("\n\n".join(lead))]
    first = replies[0]
    return [replace(first, text="\n\n".join([*lead, first.text])), *replies[1:]]


def with_footer(replies: Sequence[Outbound], footer: str) -> list[Outbound]:
    """`footer` under the last reply's text (its buttons stay below it)."""
    if not replies:
        return [Outbound(footer)]
    last = replies[-1]
    return [*replies[:-1], replace(last, text=f"{last.text}\n\n{footer}")]


def start_of_local_day(now: datetime, city: CityContext) -> datetime:
    local = now.astimezone(city.tz)
    return datetime.combine(local.date(), time(0), tzinfo=city.tz)


def render_status_list(reports: Sequence[ReportSummary], lang: str, city: CityContext) -> str:
    lines = [t("status.list_header", lang)]
    for report in reports:
        lines.append(t(
            "status.line", lang, tracking_no=report.tracking_no, title=report.title,
            status=t(f"status.{report.status.value}", lang),
            updated=format_datetime(report.updated_at, lang, city.tz),
        ))
    return "\n".join(lines)


def render_status_detail(report: ReportSummary, lang: str, city: CityContext) -> str:
    category = city.directory.category(report.category)
    return t(
        "status.detail", lang, tracking_no=report.tracking_no, title=report.title,
        category=category.name(lang) if category else report.category,
        status=t(f"status.{report.status.value}", lang),
        created=format_datetime(report.created_at, lang, city.tz),
        updated=format_datetime(report.updated_at, lang, city.tz),
    )
