"""What the bot says at each step: prompts, their options, the summary."""

from __future__ import annotations

from core.i18n import format_date, t
from core.intake.context import Context
from core.intake.state import Conversation, Step
from core.messages import Option, Outbound
from core.reports.model import Draft, Privacy, ReportType

SUMMARY_DESCRIPTION_CHARS = 300


def menu(language: str, lead: str | None = None) -> Outbound:
    text = t("menu.prompt", language) if lead is None else f"{lead}\n\n{t('menu.prompt', language)}"
    return Outbound(text, options=menu_options(language))


def menu_options(language: str) -> tuple[Option, ...]:
    return tuple(
        Option(f"menu:{key}", t(f"menu.{key}", language))
        for key in ("lapor", "status", "bahasa", "bantuan")
    )


def location_allowed_to_skip(conv: Conversation, ctx: Context) -> bool:
    category = ctx.directory.category(conv.draft.category or "")
    return category is not None and not category.location_required


def step_options(conv: Conversation, ctx: Context) -> tuple[Option, ...]:
    """The buttons of the current step; a typed number picks from these."""
    lang = conv.language
    back = Option("nav:back", t("nav.back", lang))
    match conv.step:
        case Step.IDLE:
            return menu_options(lang)
        case Step.LANGUAGE:
            return (Option("lang:id", "Bahasa Indonesia"), Option("lang:en", "English"))
        case Step.TYPE:
            return tuple(Option(f"type:{rt.value}", t(f"type.{rt.value}", lang)) for rt in ReportType)
        case Step.CATEGORY:
            if conv.candidates:
                picks = [ctx.directory.category(code) for code in conv.candidates]
                return (
                    *(Option(f"cat:{c.code}", c.name(lang)) for c in picks if c),
                    Option("cat:*", t("category.show_all", lang)),
                )
            return (*(Option(f"cat:{c.code}", c.name(lang)) for c in ctx.directory.categories), back)
        case Step.DATE:
            return (
                Option("date:today", t("date.today", lang)),
                Option("date:yesterday", t("date.yesterday", lang)),
                back,
            )
        case Step.LOCATION:
            skip = (Option("nav:skip", t("nav.skip", lang)),)
            return (*(skip if location_allowed_to_skip(conv, ctx) else ()), back)
        case Step.PHOTOS:
            clear = (Option("photos:clear", t("photos.clear", lang)),)
            return (
                Option("photos:done", t("photos.done", lang)),
                *(clear if conv.draft.photos else ()),
                back,
            )
        case Step.PRIVACY:
            return (*(Option(f"privacy:{p.value}", t(f"privacy.{p.value}", lang)) for p in Privacy), back)
        case Step.SUMMARY:
            return tuple(
                Option(f"summary:{key}", t(f"summary.{key}", lang))
                for key in ("confirm", "edit", "cancel")
            )
        case Step.EDIT_CHOICE:
            fields = ("type", "category", "title", "description", "date", "location", "photos",
                      "privacy")
            return (*(Option(f"edit:{f}", t(f"edit.{f}", lang)) for f in fields), back)
        case Step.DUPLICATES:
            return (
                *(Option(f"dup:follow:{ref}", t("dup.follow", lang, ref=ref))
                  for ref in conv.candidates),
                Option("dup:file", t("dup.file", lang)),
                back,
            )
        case Step.DESCRIPTION | Step.TITLE:
            return (back,)


def prompt(conv: Conversation, ctx: Context) -> Outbound:
    """The question for the current step, with its buttons."""
    lang, cfg = conv.language, ctx.config
    match conv.step:
        case Step.IDLE:
            return menu(lang)
        case Step.LANGUAGE:
            text = t("language.prompt", lang)
        case Step.TYPE:
            text = t("type.prompt", lang)
        case Step.CATEGORY:
            if len(conv.candidates) == 1:
                category = ctx.directory.category(conv.candidates[0])
                text = t("category.confirm", lang, name=category.name(lang) if category else "?")
            elif conv.candidates:
                text = t("category.choose_close", lang)
            else:
                text = t("category.prompt", lang)
        case Step.DESCRIPTION:
            text = t("description.prompt", lang, min=cfg.description_min)
        case Step.TITLE:
            text = t("title.prompt", lang, min=cfg.title_min, max=cfg.title_max)
        case Step.DATE:
            text = t("date.prompt", lang)
        case Step.LOCATION:
            key = "location.prompt_optional" if location_allowed_to_skip(conv, ctx) else "location.prompt"
            return Outbound(t(key, lang), options=step_options(conv, ctx), ask_location=True)
        case Step.PHOTOS:
            text = t("photos.prompt", lang, max=cfg.max_photos)
        case Step.PRIVACY:
            text = t("privacy.prompt", lang)
        case Step.SUMMARY:
            text = f"{t('summary.header', lang)}\n\n{summary_body(conv.draft, ctx, lang)}"
        case Step.EDIT_CHOICE:
            text = t("edit.prompt", lang)
        case Step.DUPLICATES:
            text = t("dup.prompt", lang)
    return Outbound(text, options=step_options(conv, ctx))


def place_text(draft: Draft, lang: str) -> str:
    parts: list[str] = []
    if draft.address:
        parts.append(draft.address)
    if draft.location:
        parts.append(f"{draft.location.latitude:.5f}, {draft.location.longitude:.5f}")
    if draft.kelurahan:
        parts.append(f"Kel. {draft.kelurahan}")
    return " · ".join(parts) if parts else t("summary.no_location", lang)


def summary_body(draft: Draft, ctx: Context, lang: str) -> str:
    category = ctx.directory.category(draft.category or "")
    description = draft.description or ""
    if len(description) > SUMMARY_DESCRIPTION_CHARS:
        description = description[:SUMMARY_DESCRIPTION_CHARS].rstrip() + "…"
    return t(
        "summary.body", lang,
        type=t(f"type.{draft.type.value}", lang) if draft.type else "-",
        category=category.name(lang) if category else "-",
        title=draft.title or "-",
        description=description,
        date=format_date(draft.event_date, lang) if draft.event_date else "-",
        location=place_text(draft, lang),
        photos=len(draft.photos),
        privacy=t(f"privacy.{draft.privacy.value}", lang) if draft.privacy else "-",
    )
