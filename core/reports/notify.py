"""Fan-out into the outbox: updates to a report's citizens, notifications to admins."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from core.city import CityContext
from core.i18n import t
from core.messages import Audience, Option, Outbound
from core.ports import UnitOfWork
from core.reports.actors import Actor, Admin, Role
from core.reports.model import Status
from core.reports.render import notification
from core.reports.views import Follower, ReportView

log = logging.getLogger(__name__)


def audience(uow: UnitOfWork, report: ReportView) -> list[tuple[Follower, bool]]:
    """The reporter's chat (True) and every follower's chat (False), each chat once. A reporter
    whose identity was removed has no chat any more."""
    who = report.reporter
    chats: list[tuple[Follower, bool]] = []
    if who.erased is None:
        chats.append((Follower(who.citizen_id, who.channel, who.chat_id, who.language), True))
    seen = {(who.channel, who.chat_id)}
    for follower in uow.work.followers(report.id):
        if (follower.channel, follower.chat_id) not in seen:
            seen.add((follower.channel, follower.chat_id))
            chats.append((follower, False))
    return chats


def update_citizens(uow: UnitOfWork, report: ReportView, status: Status,
                    body: Callable[[str], str], now: datetime, confirm_days: int | None = None,
                    reporter: bool = True, announce: bool = True) -> None:
    """Push one status change or answer to the reporter (unless `reporter` is False) and the
    report's followers. Only the reporter is asked to confirm or dispute a `selesai`.

    `announce` marks `status` as new, so that a channel which may only send a template
    (WhatsApp outside its 24-hour window) names it; False for an answer or a notice that
    leaves the status as it was."""
    for chat, is_reporter in audience(uow, report):
        if (is_reporter and not reporter) or not chat.channel.pushes:
            continue
        lang = chat.language
        parts = [t("update.header", lang, ref=report.tracking_no, title=report.title),
                 body(lang), t("update.footer", lang, status=t(f"status.{status.value}", lang))]
        options: tuple[Option, ...] = ()
        if confirm_days is not None and is_reporter:
            parts.append(t("update.ask_confirm", lang, days=confirm_days))
            ref = report.tracking_no
            options = (Option(f"fb:ok:{ref}", t("btn.confirm", lang)),
                       Option(f"fb:no:{ref}", t("btn.dispute", lang)))
        message = Outbound("\n\n".join(parts), options, report=report.tracking_no,
                           audience=Audience.CITIZEN, status=status.value if announce else None)
        uow.outbox.put(chat.channel, chat.chat_id, message, now)


def notify_admins(uow: UnitOfWork, admins: Iterable[Admin], report: ReportView,
                  head: Callable[[str], str], city: CityContext, now: datetime,
                  skip: Actor | None = None) -> int:
    """Send each admin the report's summary with buttons (not to `skip`, who acted); returns
    how many were notified."""
    count = 0
    for admin in admins:
        if skip is not None and skip.is_admin(admin):
            continue
        message = notification(head(admin.language), report, admin.role, city, admin.language)
        uow.outbox.put(admin.channel, admin.chat_id, message, now)
        count += 1
    return count


def responsible_admins(uow: UnitOfWork, status: Status, opd: str | None) -> list[Admin]:
    """Who must act next on a report in `status` with `opd`: the coordinators while it is
    unverified, else the OPD's officers."""
    if status is Status.BARU or opd is None:
        found = list(uow.admins.active(role=Role.COORDINATOR))
        if not found:
            log.warning("no coordinator enrolled; a new report waits unnotified")
        return found
    found = list(uow.admins.active(opd=opd, role=Role.OFFICER))
    if not found:  # nobody enrolled for that OPD yet: the coordinator must know
        log.warning("no officer enrolled for OPD %s; notifying coordinators", opd)
        found = list(uow.admins.active(role=Role.COORDINATOR))
    return found
