"""A whole report in one request (Open311's POST): the chat form's rules, then `submit`.

The chat asks one question at a time; an API client sends every answer at once. Both end in
the same `core.reports.submit` (routing, first timeline event, deadlines, admin
notifications) after the same checks (`IntakeConfig`, the kelurahan matching of
`core.intake.parsing`), and both look for similar open reports first. A chat offers those to
follow instead; an API client is told about them and its report is stored anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from core.city import CityContext
from core.directory.model import Category, OutOfAuthority
from core.intake.context import Context
from core.intake.parsing import match_kelurahan, nearest_kelurahan
from core.intake.service import start_of_local_day
from core.matching.authority import outside_authority
from core.matching.duplicate_finder import DuplicateFinder
from core.messages import Channel, Location
from core.ports import UnitOfWork
from core.reports.actors import Actor
from core.reports.model import Draft, Privacy, ReportType
from core.reports.results import Refused, Submitted
from core.reports.submit import Submission, submit
from core.reports.titles import title_for

ADDRESS_MIN, ADDRESS_MAX = 8, 300  # the chat's location step: shorter is refused, longer cut
CHAT_PREFIX = "open311"


@dataclass(frozen=True, slots=True)
class Contact:
    """Who files, as the client says: kept only as the reporter's identity, never shown."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    device_id: str | None = None

    @property
    def name(self) -> str | None:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None

    @property
    def key(self) -> str | None:
        """What tells one reporter from another: the e-mail address, else the device."""
        return self.email.lower() if self.email else self.device_id


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """The form's fields, typed at the edge; the rules on their values are checked here."""

    category: str
    description: str
    type: ReportType = ReportType.PENGADUAN
    privacy: Privacy = Privacy.RAHASIA  # confidential unless the client asks otherwise
    title: str | None = None  # derived from the description when None
    event_date: date | None = None  # today (the city's) when None
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    contact: Contact = field(default_factory=Contact)
    language: str = "id"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a request: a catalog key and what fills it."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Invalid:
    """Nothing was stored. `unknown_service`: the category does not exist (Open311's 404)."""

    problems: tuple[Problem, ...]
    unknown_service: bool = False


@dataclass(frozen=True, slots=True)
class Filed:
    """The stored report, the open public reports that look the same, and what to tell."""

    submitted: Submitted
    similar: tuple[str, ...]  # tracking numbers of open `publik` reports, most similar first
    elsewhere: OutOfAuthority | None  # the problem is usually another institution's
    due_at: datetime | None  # the deadline of the step the report is in


def reporter_chat(actor: Actor, contact: Contact) -> str:
    """The reporter's "chat": one per token and e-mail address (or device), else one shared
    by the token's anonymous reports."""
    return f"{CHAT_PREFIX}:{actor.id}:{contact.key or 'anonim'}"


def check(request: ReportRequest, ctx: Context) -> Draft | Invalid:
    """The draft the chat form would have built from the same answers, or every problem."""
    category = ctx.directory.category(request.category)
    if category is None:
        return Invalid((Problem("o311.unknown_service", {"code": request.category[:60]}),),
                       unknown_service=True)
    config, problems = ctx.config, []
    description = request.description.strip()
    if not config.description_min <= len(description) <= config.description_max:
        problems.append(Problem("o311.description_length", {
            "length": len(description), "min": config.description_min,
            "max": config.description_max}))
    title = request.title.strip() if request.title is not None else None
    if title is not None and not config.title_min <= len(title) <= config.title_max:
        problems.append(Problem("o311.title_length",
                                {"min": config.title_min, "max": config.title_max}))
    day = request.event_date or ctx.today
    if day > ctx.today:
        problems.append(Problem("o311.date_future"))
    elif (ctx.today - day).days > config.max_event_age_days:
        problems.append(Problem("o311.date_too_old", {"days": config.max_event_age_days}))
    draft = Draft(type=request.type, category=category.code, description=description,
                  title=title or title_for(description, category.code, ctx.city), event_date=day,
                  privacy=request.privacy)
    problems += _place(draft, request, category, ctx)
    return Invalid(tuple(problems)) if problems else draft


def _place(draft: Draft, request: ReportRequest, category: Category,
           ctx: Context) -> list[Problem]:
    """Fill the draft's location as the chat's location step does; the problems, if any."""
    address = request.address.strip() if request.address else None
    if address is not None and len(address) > ADDRESS_MAX:
        return [Problem("o311.address_long", {"max": ADDRESS_MAX})]
    areas = ctx.directory.kelurahan
    if request.latitude is not None or request.longitude is not None:
        if request.latitude is None or request.longitude is None:
            return [Problem("o311.lat_long_pair")]
        pin = Location(request.latitude, request.longitude, address)
        if not pin.is_valid():
            return [Problem("o311.lat_long_range")]
        area = nearest_kelurahan(pin.latitude, pin.longitude, areas)
        draft.location, draft.address = pin, address
        draft.kelurahan = area.name if area else None
        return []
    if address is not None:
        if len(address) < ADDRESS_MIN:
            return [Problem("o311.address_short", {"min": ADDRESS_MIN})]
        area = match_kelurahan(address, areas)
        if area is None and areas:  # without a kelurahan no one can place it, nor find twins
            examples = ", ".join(k.name for k in areas[:3])
            return [Problem("o311.address_unmatched",
                            {"city": ctx.directory.city, "examples": examples})]
        draft.address, draft.kelurahan = address, area.name if area else None
        return []
    if category.location_required:
        return [Problem("o311.location_required", {"code": category.code})]
    return []


def file_report(uow: UnitOfWork, city: CityContext, actor: Actor, request: ReportRequest,
                now: datetime) -> Filed | Invalid:
    """Check, then store the report by `actor` for the request's reporter, exactly as a chat
    submits one; nothing is written when the answer is `Invalid` (the caller rolls back)."""
    ctx = Context(city, now)
    draft = check(request, ctx)
    if isinstance(draft, Invalid):
        return draft
    contact = request.contact
    chat_id = reporter_chat(actor, contact)
    citizen = uow.citizens.get_or_create(Channel.API, chat_id, contact.phone, contact.name,
                                         request.language, now)
    limit = city.config.daily_report_limit
    # The chat's daily limit is per person; the reports a token files without saying for
    # whom are bounded by the token's request rate instead.
    if contact.key is not None and uow.reports.count_created_since(
            citizen.id, start_of_local_day(now, city)) >= limit:
        return Invalid((Problem("o311.daily_limit", {"limit": limit}),))
    found = DuplicateFinder().find(uow, citizen, draft, ctx)
    similar = tuple(d.candidate.tracking_no for d in found
                    if d.candidate.privacy is Privacy.PUBLIK)
    assert draft.type and draft.category and draft.description and draft.event_date
    outside = outside_authority(draft.description, city.matcher, city.directory)
    done = submit(uow, city, actor, Submission(
        citizen_id=citizen.id, channel=Channel.API, chat_id=chat_id, type=draft.type,
        category=draft.category, description=draft.description, event_date=draft.event_date,
        title=draft.title, location=draft.location, address=draft.address,
        kelurahan=draft.kelurahan, privacy=draft.privacy or Privacy.RAHASIA,
        outside_authority=outside.code if outside else None), now)
    if isinstance(done, Refused):  # `check` applied the same rules; a bug if reached
        return Invalid((Problem(done.reason, done.params),))
    due = [d.due_at for d in uow.deadlines.active(done.id) if d.step.nudges_admins]
    return Filed(done, similar, outside, min(due, default=None))

