"""How a report reads to admins wherever it appears: names, reporter as the viewer may see
them, location, action buttons, and the notification that announces it (pure)."""

from __future__ import annotations

from core.city import CityContext
from core.i18n import format_datetime, t
from core.matching.authority import topic
from core.messages import Audience, Channel, Option, Outbound
from core.reports.access import identity_visible
from core.reports.actors import Role
from core.reports.model import Status
from core.reports.views import Deadline, ReportView

CHANNEL_NAMES = {Channel.TELEGRAM: "Telegram", Channel.WHATSAPP: "WhatsApp", Channel.WEB: "Web",
                 Channel.API: "API / Open311"}


def opd_name(slug: str | None, city: CityContext, language: str) -> str:
    if slug is None:
        return t("detail.none", language)
    opd = city.directory.opd(slug)
    return opd.name if opd else slug


def category_name(report: ReportView, city: CityContext, language: str) -> str:
    category = city.directory.category(report.category)
    return category.name(language) if category else report.category


def outside_line(report: ReportView, city: CityContext, language: str) -> str:
    """The out-of-authority flag (who handles such matters), or "" for the city's own."""
    if report.out_of_authority is None:
        return ""
    found = topic(report.out_of_authority, city.directory)
    institution = (found.institution_en if language == "en" else found.institution_id) if found else "-"
    return t("detail.outside", language, topic=report.out_of_authority, institution=institution)


def reason_line(report: ReportView, language: str) -> str:
    """Why the category was proposed: the matching words, the nearest past report."""
    reason = report.category_reason
    if reason is None:
        parts = [t("reason.none", language)]
    else:
        parts = []
        if reason.words:
            parts.append(t("reason.words", language, words=", ".join(f"“{w}”" for w in reason.words)))
        if reason.example:
            parts.append(t("reason.example", language, example=reason.example))
    return t("detail.reason", language, reason="; ".join(parts))


def reporter_text(report: ReportView, role: Role | None, language: str) -> str:
    """The reporter as this viewer may see them; `core.reports.access.identity_visible` decides.
    A removed identity reads as such to everyone."""
    who = report.reporter
    if who.erased is not None:
        return t(f"reporter.erased.{who.erased}", language)
    if not identity_visible(role, report.privacy):
        key = "reporter.anonim" if report.privacy.value == "anonim" else "reporter.hidden"
        return t(key, language)
    return reporter_line(who.display_name, who.channel, who.chat_id, language)


def reporter_line(name: str | None, channel: Channel, chat_id: str, language: str) -> str:
    """"Sari (WhatsApp: +62…)": a reporter's name and contact as admins read them."""
    contact = chat_id if channel not in (Channel.WEB, Channel.API) else "-"
    if channel is Channel.WHATSAPP:
        contact = f"+{chat_id.lstrip('+')}"
    return t("reporter.line", language, name=name or t("reporter.unnamed", language),
             channel=CHANNEL_NAMES[channel], contact=contact)


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
    text = "\n\n".join(p for p in (head, outside_line(report, city, language), summary, hint) if p)
    return Outbound(text, buttons(report, role, language),
                    report=report.tracking_no, audience=Audience.ADMIN)
