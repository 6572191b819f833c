"""What admins read: notifications, report details, the queue (pure; no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.city import CityContext
from core.i18n import format_date, format_datetime, t
from core.matching.duplicates import Duplicate
from core.messages import Audience, Channel, Option, Outbound
from core.reports.access import identity_visible
from core.reports.actors import Role
from core.reports.model import Status
from core.reports.views import Deadline, ReportView, TimelineEntry

CHANNEL_NAMES = {Channel.TELEGRAM: "Telegram", Channel.WHATSAPP: "WhatsApp", Channel.WEB: "Web"}
NOTE_PREVIEW = 300


def opd_name(slug: str | None, city: CityContext, language: str) -> str:
    if slug is None:
        return t("detail.none", language)
    opd = city.directory.opd(slug)
    return opd.name if opd else slug


def category_name(report: ReportView, city: CityContext, language: str) -> str:
    category = city.directory.category(report.category)
    return category.name(language) if category else report.category


def reporter_text(report: ReportView, role: Role | None, language: str) -> str:
    """The reporter as this viewer may see them; `core.work_auth.identity_visible` decides."""
    if not identity_visible(role, report.privacy):
        key = "reporter.anonim" if report.privacy.value == "anonim" else "reporter.hidden"
        return t(key, language)
    who = report.reporter
    contact = who.chat_id if who.channel is not Channel.WEB else "-"
    if who.channel is Channel.WHATSAPP:
        contact = f"+{who.chat_id.lstrip('+')}"
    return t("reporter.line", language, name=who.display_name or t("reporter.unnamed", language),
             channel=CHANNEL_NAMES[who.channel], contact=contact)


def location_text(report: ReportView, language: str) -> str:
    parts = [p for p in (report.address, report.kelurahan) if p]
    if report.location is not None:
        lat, lon = report.location.latitude, report.location.longitude
        url = f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"
        parts.append(t("detail.map", language, url=url))
    return ", ".join(parts) or t("detail.no_location", language)


def buttons(report: ReportView, role: Role, language: str) -> tuple[Option, ...]:
    """The actions that make sense now, as buttons leading into the same commands."""
    ref = report.tracking_no
    names: list[str] = []
    if report.status is Status.BARU and role is Role.COORDINATOR:
        names = ["verifikasi", "alihkan", "tolak"]
    elif report.status in (Status.DIDISPOSISIKAN, Status.DIPROSES):
        names = ["balas", "selesai", "alihkan"]
    names.append("lihat")
    return tuple(Option(f"adm:{name}:{ref}", t(f"btn.{name}", language)) for name in names)


def deadline_line(deadline: Deadline | None, city: CityContext, language: str) -> str:
    if deadline is None:
        return ""
    return t("notify.deadline", language, what=t(f"deadline.{deadline.what}", language),
             due=format_datetime(deadline.due, language, city.tz))


def notification(head: str, report: ReportView, role: Role, city: CityContext,
                 language: str) -> Outbound:
    """A report's summary under `head`, with action buttons; replying to it answers."""
    deadline = city.sla.current_deadline(report)
    summary = t(
        "notify.summary", language, category=category_name(report, city, language),
        type=t(f"type.{report.type.value}", language), title=report.title,
        location=location_text(report, language), reporter=reporter_text(report, role, language),
        deadline=deadline_line(deadline, city, language),
    ).rstrip()
    hint = t("notify.reply_hint", language) if report.status is not Status.BARU else ""
    text = "\n\n".join(p for p in (head, summary, hint) if p)
    return Outbound(text, buttons(report, role, language),
                    report=report.tracking_no, audience=Audience.ADMIN)


def detail(report: ReportView, role: Role, timeline: Sequence[TimelineEntry],
           similar: Sequence[Duplicate], city: CityContext, language: str) -> Outbound:
    """`/lihat`: everything about the report the viewer may see, its photos re-sent."""
    none = t("detail.none", language)
    body = t(
        "detail.body", language, ref=report.tracking_no,
        status=t(f"status.{report.status.value}", language),
        type=t(f"type.{report.type.value}", language),
        category=category_name(report, city, language), opd=opd_name(report.opd, city, language),
        title=report.title, event_date=format_date(report.event_date, language),
        location=location_text(report, language),
        reporter=reporter_text(report, role, language),
        privacy=t(f"privacy.{report.privacy.value}", language),
        lapor_id=report.lapor_id or none, photos=len(report.photos),
        description=report.description,
    )
    sections = [body]
    if (deadline := city.sla.current_deadline(report)) is not None:
        sections.append(deadline_line(deadline, city, language))
    if report.duplicate_of:
        sections.append(t("detail.duplicate_of", language, target=report.duplicate_of))
    if report.rating is not None:
        sections.append(t("detail.rating", language, rating=report.rating))
    if timeline:
        lines = [timeline_line(entry, city, language) for entry in timeline]
        sections.append("\n".join([t("detail.timeline", language), *lines]))
    if similar:
        lines = [similar_line(found, language) for found in similar]
        sections.append("\n".join([t("detail.duplicates", language), *lines]))
    return Outbound("\n\n".join(sections), buttons(report, role, language)[:-1],
                    media=report.photos,
                    report=report.tracking_no, audience=Audience.ADMIN)


def similar_line(found: Duplicate, language: str) -> str:
    """A possible duplicate in `/lihat`: number, title, status, and how close it is."""
    report = found.candidate
    if found.distance_m is not None:
        where = t("detail.dup_near", language, meters=round(found.distance_m))
    else:
        where = t("dup.same_kelurahan", language)
    return (f"• {report.tracking_no} · {report.title[:80]} · "
            f"{t(f'status.{report.status.value}', language)} · {where}")


def timeline_line(entry: TimelineEntry, city: CityContext, language: str) -> str:
    key = f"event.{entry.kind}"
    note = (entry.note or "")[:NOTE_PREVIEW]
    try:
        what = t(key, language, note=note)
    except KeyError:
        what = t("event.other", language, kind=entry.kind)
    if entry.actor_name:
        what = t("timeline.by", language, what=what, actor=entry.actor_name)
    return t("timeline.line", language, at=format_datetime(entry.at, language, city.tz), what=what)


def queue(items: Sequence[ReportView], total: int, scope: str, now: datetime,
          city: CityContext, language: str, show: int = 15) -> Outbound:
    """`/tugas`: the `show` most urgent, coloured by deadline, with [Lihat] for the first five."""
    if not items:
        return Outbound(t("queue.empty", language, scope=scope))
    dated = [(city.sla.current_deadline(r), r) for r in items]
    dated.sort(key=lambda pair: (pair[0].due if pair[0] else now, pair[1].id))
    dated = dated[:show]
    lines = [t("queue.header", language, scope=scope, total=total)]
    for deadline, report in dated:
        lines.append(t(
            "queue.line", language,
            colour=city.sla.colour(deadline, now).value if deadline else "⚪",
            ref=report.tracking_no, category=category_name(report, city, language),
            status=t(f"status.{report.status.value}", language),
            age=max(0, (now - report.created_at).days),
            due=format_date(deadline.due.astimezone(city.tz).date(), language) if deadline else "-",
        ))
    if total > len(dated):
        lines.append(t("queue.more", language, count=total - len(dated)))
    lines.append(t("queue.legend", language))
    options = tuple(Option(f"adm:lihat:{r.tracking_no}", r.tracking_no) for _, r in dated[:5])
    return Outbound("\n".join(lines), options)
