"""What admins read in chat: `/lihat` details and the `/tugas` queue (pure; no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.city import CityContext
from core.i18n import format_date, format_datetime, t
from core.matching.duplicates import Duplicate
from core.messages import Audience, Option, Outbound
from core.reports.actors import Role
from core.reports.render import (
    buttons,
    category_name,
    deadline_line,
    location_text,
    opd_name,
    outside_line,
    reason_line,
    reporter_text,
)
from core.reports.views import ReportView, TimelineEntry

NOTE_PREVIEW = 300


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
    sections = [p for p in (outside_line(report, city, language), body) if p]
    sections.append(reason_line(report, language))
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
