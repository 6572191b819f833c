"""One handler per form step: validate the answer, fill the draft, move on or explain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from core.directory.model import OutOfAuthority
from core.i18n import t
from core.intake.context import Context, FollowRequested, StepResult, SubmitRequested
from core.intake.parsing import match_kelurahan, nearest_kelurahan, parse_event_date, title_for
from core.intake.render import menu, place_text, prompt
from core.intake.state import FORM_STEPS, Conversation, Step
from core.matching.authority import outside_authority, topic
from core.matching.categories import ChoiceMatcher, propose
from core.messages import Inbound, Location, Outbound
from core.reports.model import Privacy, ReportType

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
YES_WORDS = frozenset({"ya", "iya", "y", "yes", "ok", "oke", "betul", "benar", "kirim", "send"})
DONE_WORDS = frozenset({"lanjut", "selesai", "sudah", "cukup", "tidak ada", "gak ada", "tidak",
                        "done", "next", "continue", "no", "none"})
EDIT_STEPS = {"type": Step.TYPE, "category": Step.CATEGORY, "title": Step.TITLE,
              "description": Step.DESCRIPTION, "date": Step.DATE, "location": Step.LOCATION,
              "photos": Step.PHOTOS, "privacy": Step.PRIVACY}
_TYPE_MATCHER = ChoiceMatcher([
    *((rt.value, t(f"type.{rt.value}", lang)) for rt in ReportType for lang in ("id", "en")),
    ("pengaduan", "keluhan"), ("pengaduan", "komplain"), ("aspirasi", "saran"),
    ("aspirasi", "usul"), ("aspirasi", "usulan"), ("permintaan_informasi", "informasi"),
    ("permintaan_informasi", "info"), ("permintaan_informasi", "tanya"),
])
_PRIVACY_MATCHER = ChoiceMatcher([
    *((p.value, t(f"privacy.{p.value}", lang)) for p in Privacy for lang in ("id", "en")),
    ("rahasia", "private"), ("anonim", "anonymous"), ("publik", "public"), ("publik", "umum"),
])

CATEGORY_TEXT_MAX = 500  # kept with the draft to explain the category proposed for it
Handler = Callable[[Conversation, Inbound, str | None, str, Context], StepResult]


def ask(conv: Conversation, ctx: Context, *lead: str) -> StepResult:
    """Ask the current step's question, prefixed by `lead` lines, as one message."""
    question = prompt(conv, ctx)
    text = "\n\n".join([*lead, question.text]) if lead else question.text
    return StepResult(conv, [replace(question, text=text)])


def not_understood(conv: Conversation, text: str, ctx: Context) -> StepResult:
    shown = text if len(text) <= 40 else text[:40] + "…"
    return ask(conv, ctx, t("option.not_understood", conv.language, text=shown))


def advance(conv: Conversation, ctx: Context, *lead: str) -> StepResult:
    """Move to the next step of the form (or back to the summary after an edit)."""
    conv.candidates = []
    draft, category = conv.draft, ctx.directory.category(conv.draft.category or "")
    needs_place = (category is not None and category.location_required
                   and draft.location is None and draft.address is None)
    if conv.editing:
        conv.step = Step.LOCATION if needs_place else Step.SUMMARY
    else:
        conv.step = FORM_STEPS[FORM_STEPS.index(conv.step) + 1]
        if conv.step is Step.LOCATION and (draft.location or draft.address):
            conv.step = Step.PHOTOS
    if conv.step is Step.SUMMARY:
        conv.editing = False
    return ask(conv, ctx, *lead)


def stash_extras(conv: Conversation, inbound: Inbound, ctx: Context) -> list[str]:
    """Keep photos or a pin sent ahead of their step; return what to tell the citizen."""
    notes = add_photos(conv, inbound, ctx)
    if inbound.location and inbound.location.is_valid():
        notes.append(set_pin(conv, inbound.location, ctx))
    return notes


def add_photos(conv: Conversation, inbound: Inbound, ctx: Context) -> list[str]:
    lang, cfg, notes = conv.language, ctx.config, []
    for media in inbound.media:
        if media.content_type not in IMAGE_TYPES:
            notes.append(t("photos.not_image", lang))
        elif media.size > cfg.max_photo_bytes:
            notes.append(t("photos.too_large", lang, max_mb=cfg.max_photo_bytes // 2**20))
        elif len(conv.draft.photos) >= cfg.max_photos:
            notes.append(t("photos.full", lang, max=cfg.max_photos))
            break
        elif all(p.storage_key != media.storage_key for p in conv.draft.photos):
            conv.draft.photos.append(media)
    return notes


def set_pin(conv: Conversation, pin: Location, ctx: Context) -> str:
    draft = conv.draft
    draft.location, draft.location_skipped, draft.address = pin, False, pin.address
    area = nearest_kelurahan(pin.latitude, pin.longitude, ctx.directory.kelurahan)
    draft.kelurahan = area.name if area else None
    return t("location.saved", conv.language, place=place_text(draft, conv.language))


def on_type(conv: Conversation, inbound: Inbound, option: str | None, text: str,
            ctx: Context) -> StepResult:
    value = option.removeprefix("type:") if option else _TYPE_MATCHER.pick(text)
    if value is None or value not in ReportType.__members__.values():
        return not_understood(conv, text, ctx)
    conv.draft.type = ReportType(value)
    return advance(conv, ctx)


def on_category(conv: Conversation, inbound: Inbound, option: str | None, text: str,
                ctx: Context) -> StepResult:
    if option == "cat:*":
        conv.candidates = []
        return ask(conv, ctx)
    code = option.removeprefix("cat:") if option else None
    if code is None and len(conv.candidates) == 1 and text.lower() in YES_WORDS:
        code = conv.candidates[0]
    if code is not None:
        if ctx.directory.category(code) is None:
            return not_understood(conv, text or code, ctx)
        conv.draft.category = code
        return advance(conv, ctx)
    if not text:
        return ask(conv, ctx, *stash_extras(conv, inbound, ctx))
    proposal = propose(ctx.city.matcher, text)
    elsewhere = topic(proposal.outside, ctx.directory)
    conv.candidates = proposal.ranked if elsewhere else proposal.offered
    if not conv.candidates and elsewhere is None:
        return ask(conv, ctx, t("category.no_match", conv.language, text=text[:60]))
    conv.draft.category_text = text[:CATEGORY_TEXT_MAX]  # what the proposal is explained by
    conv.draft.outside_authority = proposal.outside
    if elsewhere is not None:
        # Not the city's matter: say who handles it; the citizen may still file a category.
        return ask(conv, ctx, t("authority.category", conv.language,
                                institution=institution_name(elsewhere, conv.language)))
    return ask(conv, ctx)


def institution_name(elsewhere: OutOfAuthority, language: str) -> str:
    return elsewhere.institution_en if language == "en" else elsewhere.institution_id


def on_description(conv: Conversation, inbound: Inbound, option: str | None, text: str,
                   ctx: Context) -> StepResult:
    lang, cfg = conv.language, ctx.config
    if not text:
        return ask(conv, ctx, *(stash_extras(conv, inbound, ctx) or [t("description.need_text", lang)]))
    if len(text) < cfg.description_min:
        return ask(conv, ctx, t("description.too_short", lang, length=len(text), min=cfg.description_min))
    if len(text) > cfg.description_max:
        return ask(conv, ctx, t("description.too_long", lang, length=len(text), max=cfg.description_max))
    draft = conv.draft
    # Keep a title the citizen wrote; re-derive one we derived ourselves.
    if draft.title is None or draft.title == title_for(draft.description or "", draft.category, ctx):
        draft.title = title_for(text, draft.category, ctx)
    draft.description = text
    stash_extras(conv, inbound, ctx)
    lead: list[str] = []
    if (elsewhere := outside_authority(text, ctx.city.matcher, ctx.directory)) is not None:
        draft.outside_authority = elsewhere.code
        lead.append(t("authority.elsewhere", lang, institution=institution_name(elsewhere, lang)))
    return advance(conv, ctx, *lead)


def on_title(conv: Conversation, inbound: Inbound, option: str | None, text: str,
             ctx: Context) -> StepResult:
    cfg = ctx.config
    if not cfg.title_min <= len(text) <= cfg.title_max:
        return ask(conv, ctx, t("title.invalid", conv.language, min=cfg.title_min, max=cfg.title_max))
    conv.draft.title = text
    return advance(conv, ctx)


def on_date(conv: Conversation, inbound: Inbound, option: str | None, text: str,
            ctx: Context) -> StepResult:
    lang, today = conv.language, ctx.today
    if option:
        day = today if option == "date:today" else today - timedelta(days=1)
    elif text:
        parsed = parse_event_date(text, today)
        if parsed is None:
            return ask(conv, ctx, t("date.invalid", lang, text=text[:40]))
        day = parsed
    else:
        return ask(conv, ctx, *stash_extras(conv, inbound, ctx))
    if day > today:
        return ask(conv, ctx, t("date.future", lang))
    if (today - day).days > ctx.config.max_event_age_days:
        return ask(conv, ctx, t("date.too_old", lang, days=ctx.config.max_event_age_days))
    conv.draft.event_date = day
    return advance(conv, ctx)


def on_location(conv: Conversation, inbound: Inbound, option: str | None, text: str,
                ctx: Context) -> StepResult:
    lang = conv.language
    if inbound.location is not None:
        if not inbound.location.is_valid():
            return ask(conv, ctx, t("location.invalid_pin", lang))
        return advance(conv, ctx, *add_photos(conv, inbound, ctx), set_pin(conv, inbound.location, ctx))
    if not text:
        return ask(conv, ctx, *add_photos(conv, inbound, ctx))
    if len(text) < 8:
        return ask(conv, ctx, t("location.address_too_short", lang))
    draft = conv.draft
    area = match_kelurahan(text, ctx.directory.kelurahan)
    draft.address, draft.location, draft.location_skipped = text[:300], None, False
    draft.kelurahan = area.name if area else None
    return advance(conv, ctx, t("location.saved", lang, place=place_text(draft, lang)))


def on_photos(conv: Conversation, inbound: Inbound, option: str | None, text: str,
              ctx: Context) -> StepResult:
    lang, cfg = conv.language, ctx.config
    if option == "photos:clear":
        conv.draft.photos.clear()
        return ask(conv, ctx, t("photos.cleared", lang))
    if option == "photos:done" or text.lower() in DONE_WORDS:
        return advance(conv, ctx)
    if inbound.media:
        notes = add_photos(conv, inbound, ctx)
        count = len(conv.draft.photos)
        if count >= cfg.max_photos:
            return advance(conv, ctx, *notes, t("photos.full", lang, max=cfg.max_photos))
        received = t("photos.received", lang, count=count, max=cfg.max_photos)
        return StepResult(conv, [Outbound("\n".join([*notes, received]), prompt(conv, ctx).options)])
    if inbound.location is not None and inbound.location.is_valid():
        return ask(conv, ctx, set_pin(conv, inbound.location, ctx))
    return not_understood(conv, text, ctx)


def on_privacy(conv: Conversation, inbound: Inbound, option: str | None, text: str,
               ctx: Context) -> StepResult:
    value = option.removeprefix("privacy:") if option else _PRIVACY_MATCHER.pick(text)
    if value is None or value not in Privacy.__members__.values():
        return not_understood(conv, text, ctx)
    conv.draft.privacy = Privacy(value)
    return advance(conv, ctx)


def on_summary(conv: Conversation, inbound: Inbound, option: str | None, text: str,
               ctx: Context) -> StepResult:
    lang, word = conv.language, text.lower()
    if option == "summary:edit" or word in ("ubah", "edit"):
        conv.step = Step.EDIT_CHOICE
        return ask(conv, ctx)
    if option == "summary:cancel":
        return StepResult(Conversation(language=lang), [menu(lang, t("cancelled", lang))])
    if option != "summary:confirm" and word not in YES_WORDS:
        return not_understood(conv, text, ctx)
    if ctx.reports_today >= ctx.config.daily_report_limit:
        return ask(conv, ctx, t("rate_limited", lang, limit=ctx.config.daily_report_limit))
    return StepResult(Conversation(language=lang), [], [SubmitRequested(conv.draft)])


def on_duplicates(conv: Conversation, inbound: Inbound, option: str | None, text: str,
                  ctx: Context) -> StepResult:
    """Follow one of the similar open reports, or file this one anyway."""
    lang = conv.language
    if option is not None and option.removeprefix("dup:follow:") in conv.candidates:
        ref = option.removeprefix("dup:follow:")
        return StepResult(Conversation(language=lang), [], [FollowRequested(ref)])
    if option == "dup:file" or text.lower() in YES_WORDS:
        if ctx.reports_today >= ctx.config.daily_report_limit:
            return ask(conv, ctx, t("rate_limited", lang, limit=ctx.config.daily_report_limit))
        return StepResult(Conversation(language=lang), [], [SubmitRequested(conv.draft)])
    return not_understood(conv, text, ctx)


def on_edit_choice(conv: Conversation, inbound: Inbound, option: str | None, text: str,
                   ctx: Context) -> StepResult:
    field_name = option.removeprefix("edit:") if option else None
    if field_name is None:
        options = prompt(conv, ctx).options
        labels = ChoiceMatcher((o.id.removeprefix("edit:"), o.label) for o in options)
        field_name = labels.pick(text)
    if field_name not in EDIT_STEPS:
        return not_understood(conv, text, ctx)
    conv.editing, conv.step = True, EDIT_STEPS[field_name]
    return ask(conv, ctx)


HANDLERS: dict[Step, Handler] = {
    Step.TYPE: on_type, Step.CATEGORY: on_category, Step.DESCRIPTION: on_description,
    Step.TITLE: on_title, Step.DATE: on_date, Step.LOCATION: on_location,
    Step.PHOTOS: on_photos, Step.PRIVACY: on_privacy, Step.SUMMARY: on_summary,
    Step.EDIT_CHOICE: on_edit_choice, Step.DUPLICATES: on_duplicates,
}
