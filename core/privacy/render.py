"""`/data_saya` as the citizen reads it, and the one-line notice (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from core.i18n import format_date, t
from core.messages import Channel, Outbound
from core.privacy.model import KeptChat, KeptData
from core.privacy.policy import Retention
from core.reports.model import ReportSummary
from core.reports.render import CHANNEL_NAMES

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def notice(retention: Retention, language: str) -> str:
    return t("privacy.notice", language, messages_days=retention.messages_days,
             identity_days=retention.identity_days)


def kept_text(kept: KeptData | None, retention: Retention, language: str) -> Outbound:
    """What is kept: name, contact as the platform gave it, language, reports, followed ones."""
    if kept is None:
        return Outbound(t("kept.nothing", language))
    none = t("detail.none", language)
    lines = [t("kept.header", language), t("kept.name", language, name=kept.display_name or none)]
    lines += [t("kept.chat", language, channel=CHANNEL_NAMES[c.channel],
                contact=contact(c, language)) for c in kept.chats]
    lines += [t("kept.language", language, name=LANGUAGE_NAMES.get(kept.language, kept.language)),
              t("kept.since", language, date=format_date(kept.created_at.date(), language)),
              "", t("kept.reports", language, count=len(kept.reports)),
              *_report_lines(kept.reports, language),
              t("kept.followed", language, count=len(kept.followed)),
              *_report_lines(kept.followed, language), "",
              t("kept.messages", language, count=kept.messages, days=retention.messages_days),
              t("kept.purpose", language, days=retention.identity_days)]
    return Outbound("\n".join(lines))


def contact(chat: KeptChat, language: str) -> str:
    """A chat as the platform gave it: a WhatsApp number, a Telegram id, a web session."""
    if chat.channel is Channel.WHATSAPP:
        return f"+{chat.chat_id.lstrip('+')}"
    if chat.channel is Channel.TELEGRAM:
        return t("kept.telegram", language, chat_id=chat.chat_id)
    return t("kept.web", language)


def _report_lines(reports: Sequence[ReportSummary], language: str) -> list[str]:
    if not reports:
        return [t("kept.none", language)]
    return [t("kept.report_line", language, ref=r.tracking_no, title=r.title[:60],
              status=t(f"status.{r.status.value}", language)) for r in reports]
