"""The use case around `core.duplicates`: narrow candidates in SQL, score them, show them."""

from __future__ import annotations

from datetime import timedelta

from core.city import CityContext, IntakeConfig
from core.i18n import format_date, t
from core.intake.context import Context
from core.matching.duplicates import BoundingBox, Duplicate, DuplicateRules, find_duplicates
from core.ports import Citizen, UnitOfWork
from core.reports.model import Draft
from core.reports.views import ReportView

CANDIDATE_LIMIT = 500  # the SQL filters leave few; this only bounds a pathological hotspot


class DuplicateFinder:
    """Finds open reports a draft probably duplicates (same category, near or same kelurahan)."""

    def find(self, uow: UnitOfWork, citizen: Citizen, draft: Draft,
             ctx: Context) -> list[Duplicate]:
        config = ctx.config
        if draft.category is None:
            return []
        rules = DuplicateRules(radius_m=config.duplicate_radius_m,
                               window_days=config.duplicate_window_days)
        since = ctx.now - timedelta(days=rules.window_days)
        box = None
        if draft.location is not None:
            box = BoundingBox.around(draft.location.latitude, draft.location.longitude,
                                     rules.radius_m)
        elif draft.kelurahan is None:
            return []
        candidates = uow.reports.duplicate_candidates(
            draft.category, since, citizen.id, box, draft.kelurahan, CANDIDATE_LIMIT)
        return find_duplicates(draft, candidates, rules)

    def for_report(self, uow: UnitOfWork, report: ReportView, config: IntakeConfig,
                   limit: int) -> list[Duplicate]:
        """`/lihat`'s possible duplicates: other open reports by the submit-time rules (same
        category, within the radius or same kelurahan with a similar text, filed within the
        window before it or since), whatever their privacy — the caller filters by role."""
        rules = DuplicateRules(radius_m=config.duplicate_radius_m,
                               window_days=config.duplicate_window_days)
        draft = Draft(category=report.category, description=report.description,
                      location=report.location, kelurahan=report.kelurahan)
        box = None
        if report.location is not None:
            box = BoundingBox.around(report.location.latitude, report.location.longitude,
                                     rules.radius_m)
        since = report.created_at - timedelta(days=rules.window_days)
        candidates = [c for c in uow.reports.duplicate_candidates(
            report.category, since, None, box, report.kelurahan, CANDIDATE_LIMIT)
            if c.tracking_no != report.tracking_no]
        return find_duplicates(draft, candidates, rules, limit)


def render_duplicate(found: Duplicate, citizen_id: int, lang: str, city: CityContext) -> str:
    report = found.candidate
    if report.citizen_id == citizen_id:
        where = t("dup.yours", lang)
    elif found.distance_m is not None:
        where = t("dup.near", lang, meters=round(found.distance_m))
    else:
        where = t("dup.same_kelurahan", lang)
    created = report.created_at.astimezone(city.tz).date()
    return t("dup.line", lang, ref=report.tracking_no, title=report.title[:80],
             status=t(f"status.{report.status.value}", lang), where=where,
             date=format_date(created, lang))
