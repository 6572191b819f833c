"""The intake conversation: `step(conversation, inbound, ctx) -> StepResult`, pure and total."""

from __future__ import annotations

from core.i18n import LANGUAGES, normalise_language, t
from core.intake.context import Context, LanguageChanged, StatusRequested, StepResult
from core.intake.render import location_allowed_to_skip, menu, step_options
from core.intake.state import FORM_STEPS, Conversation, Step
from core.intake.steps import HANDLERS, advance, ask, institution_name
from core.matching.authority import outside_authority
from core.messages import Inbound
from core.reports.model import Privacy, parse_tracking_number

COMMANDS = {
    "start": "start", "mulai": "start",
    "lapor": "lapor", "report": "lapor", "new": "lapor",
    "status": "status", "cek": "status", "check": "status",
    "batal": "batal", "cancel": "batal",
    "bahasa": "bahasa", "language": "bahasa", "lang": "bahasa",
    "bantuan": "bantuan", "help": "bantuan",
}
WORDS = {"batal": "batal", "cancel": "batal", "kembali": "back", "back": "back",
         "bantuan": "bantuan", "help": "bantuan", "lewati": "skip", "skip": "skip"}
OPTION_PREFIX = {Step.TYPE: "type:", Step.CATEGORY: "cat:", Step.DATE: "date:",
                 Step.PHOTOS: "photos:", Step.PRIVACY: "privacy:", Step.SUMMARY: "summary:",
                 Step.EDIT_CHOICE: "edit:", Step.LANGUAGE: "lang:", Step.DUPLICATES: "dup:"}
HELP_KEYS = {Step.TYPE: "type.help", Step.CATEGORY: "category.help",
             Step.DESCRIPTION: "description.help", Step.DATE: "date.help",
             Step.LOCATION: "location.help", Step.PHOTOS: "photos.help",
             Step.PRIVACY: "privacy.help", Step.SUMMARY: "summary.help"}


def step(conversation: Conversation, inbound: Inbound, ctx: Context) -> StepResult:
    """Answer one inbound message; never mutates `conversation`, never does I/O."""
    conv = conversation.copy()
    text = (inbound.text or "").strip()
    option = inbound.option_id
    if option is None and text.startswith("/"):
        name, _, arg = text[1:].partition(" ")
        return command(conv, name.split("@", 1)[0].lower(), arg.strip(), ctx)
    if option is None and (word := WORDS.get(text.lower())):
        return command(conv, word, "", ctx)
    options = step_options(conv, ctx)
    if option is None and text.isdigit() and 1 <= int(text) <= len(options):
        option, text = options[int(text) - 1].id, ""
    if option is not None:
        if option.startswith("menu:"):
            return command(conv, option.removeprefix("menu:"), "", ctx)
        if option in ("nav:back", "nav:skip"):
            return command(conv, option.removeprefix("nav:"), "", ctx)
        if not option.startswith(OPTION_PREFIX.get(conv.step, "\0")):
            return ask(conv, ctx, t("option.stale", conv.language))
    if conv.step is Step.LANGUAGE:
        return set_language(conv, (option or text).removeprefix("lang:"), ctx)
    if conv.step is Step.IDLE:
        if text and (elsewhere := outside_authority(text, ctx.city.matcher, ctx.directory)):
            institution = institution_name(elsewhere, conv.language)
            return StepResult(conv, [menu(conv.language, t("authority.idle", conv.language,
                                                           institution=institution))])
        return StepResult(conv, [menu(conv.language, t("idle.hint", conv.language))])
    if not (text or option or inbound.media or inbound.location):
        return ask(conv, ctx, t("unsupported", conv.language))
    return HANDLERS[conv.step](conv, inbound, option, text, ctx)


def command(conv: Conversation, name: str, arg: str, ctx: Context) -> StepResult:
    """Commands and navigation words, valid at every step."""
    lang, in_form = conv.language, conv.step not in (Step.IDLE, Step.LANGUAGE)
    match COMMANDS.get(name, name):
        case "start":
            if arg.lower().startswith("status_"):
                return status(conv, arg[7:], ctx)
            lead = t("welcome", lang, city=ctx.directory.city)
            if in_form:
                return ask(conv, ctx, lead, t("form.in_progress", lang))
            return StepResult(conv, [menu(lang, lead)])
        case "lapor":
            if in_form:
                return ask(conv, ctx, t("form.in_progress", lang))
            if ctx.reports_today >= ctx.config.daily_report_limit:
                limit = ctx.config.daily_report_limit
                return StepResult(conv, [menu(lang, t("rate_limited", lang, limit=limit))])
            return ask(Conversation(step=Step.TYPE, language=lang, version=conv.version), ctx)
        case "status":
            return status(conv, arg, ctx)
        case "batal":
            if not in_form:
                return StepResult(conv, [menu(lang, t("nothing_to_cancel", lang))])
            fresh = Conversation(language=lang, version=conv.version)
            return StepResult(fresh, [menu(lang, t("cancelled", lang))])
        case "bahasa":
            if arg:
                return set_language(conv, arg, ctx)
            if conv.step is not Step.LANGUAGE:
                conv.resume, conv.step = conv.step, Step.LANGUAGE
            return ask(conv, ctx)
        case "bantuan":
            if not in_form:
                return StepResult(conv, [menu(lang, t("help.general", lang))])
            return ask(conv, ctx, t(HELP_KEYS.get(conv.step, "help.general"), lang))
        case "back":
            return back(conv, ctx)
        case "skip":
            return skip(conv, ctx)
        case _:
            return ask(conv, ctx, t("command.unknown", lang, command=name[:32]))


def status(conv: Conversation, reference: str, ctx: Context) -> StepResult:
    """Ask the service for the citizen's reports; re-ask the current question after."""
    tracking_no = None
    if reference:
        tracking_no = parse_tracking_number(reference, ctx.today.year)
        if tracking_no is None:
            return ask(conv, ctx, t("status.bad_ref", conv.language, ref=reference[:40]))
    result = ask(conv, ctx)
    result.events.append(StatusRequested(tracking_no))
    return result


def set_language(conv: Conversation, code: str, ctx: Context) -> StepResult:
    wanted = normalise_language(code, default="")
    if wanted not in LANGUAGES:
        conv.resume = conv.resume if conv.step is Step.LANGUAGE else conv.step
        conv.step = Step.LANGUAGE
        return ask(conv, ctx, t("language.unknown", conv.language))
    conv.language = wanted
    if conv.step is Step.LANGUAGE:
        conv.step, conv.resume = conv.resume or Step.IDLE, None
    result = ask(conv, ctx, t("language.set", wanted))
    result.events.append(LanguageChanged(wanted))
    return result


def back(conv: Conversation, ctx: Context) -> StepResult:
    conv.candidates = []
    if conv.step is Step.LANGUAGE:
        conv.step, conv.resume = conv.resume or Step.IDLE, None
    elif conv.editing or conv.step in (Step.EDIT_CHOICE, Step.TITLE, Step.DUPLICATES):
        conv.editing, conv.step = False, Step.SUMMARY
    elif conv.step is Step.TYPE:
        return ask(conv, ctx, t("form.first_step", conv.language))
    elif conv.step in FORM_STEPS:
        conv.step = FORM_STEPS[FORM_STEPS.index(conv.step) - 1]
    return ask(conv, ctx)


def skip(conv: Conversation, ctx: Context) -> StepResult:
    draft = conv.draft
    if conv.step is Step.LOCATION and location_allowed_to_skip(conv, ctx):
        draft.location, draft.address, draft.kelurahan = None, None, None
        draft.location_skipped = True
        return advance(conv, ctx)
    if conv.step is Step.PHOTOS:
        return advance(conv, ctx)
    if conv.step is Step.PRIVACY:
        draft.privacy = Privacy.RAHASIA  # the safe default
        return advance(conv, ctx)
    if conv.step is Step.LOCATION:
        return ask(conv, ctx, t("location.required", conv.language))
    return ask(conv, ctx, t("nav.cannot_skip", conv.language))

