"""Submitting a report: route it, store it, plan its deadlines, tell whoever acts next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.city import CityContext
from core.i18n import t
from core.matching.authority import topic
from core.matching.explain import explain
from core.messages import Channel, Location, Media
from core.ports import UnitOfWork
from core.reports.actors import Actor, ActorKind
from core.reports.model import NewReport, Privacy, ReportType, Status
from core.reports.notify import notify_admins, responsible_admins
from core.reports.render import opd_name
from core.reports.results import RefusalKind, Refused, Submitted
from core.reports.titles import title_for


@dataclass(frozen=True, slots=True)
class Submission:
    """LAPOR's field set as a front-end collected it, with the reporter's chat."""

    citizen_id: int
    channel: Channel
    chat_id: str
    type: ReportType
    category: str
    description: str
    event_date: date
    title: str | None = None  # derived from the description when None
    location: Location | None = None
    address: str | None = None
    kelurahan: str | None = None
    privacy: Privacy = Privacy.RAHASIA
    photos: tuple[Media, ...] = ()
    category_text: str | None = None  # what the citizen typed when the category was proposed
    outside_authority: str | None = None  # a topic the city does not handle, as intake found it


def initial_status(city: CityContext, category_code: str) -> Status:
    """`didisposisikan` straight away where the directory auto-disposes the category."""
    category = city.directory.category(category_code)
    return Status.DIDISPOSISIKAN if category and category.auto_dispose else Status.BARU


def submit(uow: UnitOfWork, city: CityContext, actor: Actor, form: Submission,
           now: datetime) -> Submitted | Refused:
    """Store the report (first timeline event by `actor`), plan its deadlines and notify the
    coordinators — or, when auto-disposed, the OPD's officers."""
    category = city.directory.category(form.category)
    if category is None:
        return Refused("submit.bad_category", RefusalKind.INVALID, category=form.category[:40])
    config = city.config
    description = form.description
    if not config.description_min <= len(description.strip()) <= config.description_max:
        return Refused("submit.bad_description", RefusalKind.INVALID,
                       min=config.description_min, max=config.description_max)
    status = initial_status(city, category.code)
    report_id, number = uow.reports.add_with_id(NewReport(
        citizen_id=form.citizen_id, channel=form.channel, chat_id=form.chat_id, type=form.type,
        category=category.code, opd=category.opd, status=status,
        title=form.title or title_for(description, category.code, city), description=description,
        event_date=form.event_date, location=form.location, address=form.address,
        kelurahan=form.kelurahan, privacy=form.privacy, photos=form.photos, created_at=now,
        submitted_by=None if actor.kind is ActorKind.CITIZEN else actor,
        out_of_authority=form.outside_authority if topic(form.outside_authority, city.directory) else None,
        category_reason=(explain(city.matcher, form.category_text, category.code)
                         if form.category_text else None),
    ))
    uow.deadlines.replace(report_id, city.sla.plan_for(
        category.code, status, category.opd, now, now), now)
    admins = responsible_admins(uow, status, category.opd)
    if admins:  # the full view (reporter, photos) is read only when someone is told
        report = uow.work.get(number)
        assert report is not None
        head = "notify.new" if status is Status.BARU else "notify.assigned"
        opd = opd_name(category.opd, city, "id")
        notify_admins(uow, admins, report, lambda lang: t(head, lang, ref=number, opd=opd),
                      city, now)
    return Submitted(report_id, number, status, category.opd, len(admins))
