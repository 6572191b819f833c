"""The spec's documents, built from the directory and the read model: fields in the spec's
order and with its names. A reporter's identity is never among them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.open311 import times
from core.city import CityContext
from core.directory.model import Category
from core.i18n import format_datetime, t
from core.intake.api_report import Filed
from core.reports.model import Privacy, Status
from storage.read.open311 import ServiceRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "lat", "long", "media_url")
OPEN = frozenset(s for s in Status if s.is_open)


def w3c(moment: datetime | None, city: CityContext) -> str | None:
    """A W3C date/time in the city's zone, with its offset (2026-03-02T10:00:00+07:00)."""
    return None if moment is None else times.w3c(moment, city.tz)


def opd_name(slug: str | None, city: CityContext) -> str | None:
    opd = city.directory.opd(slug) if slug else None
    return opd.name if opd else slug


def discovery(base_url: str, changed: datetime, city: CityContext,
              language: str) -> dict[str, Any]:
    changeset = w3c(changed, city)
    return {"changeset": changeset,
            "contact": t("o311.contact", language, city=city.directory.city),
            "key_service": t("o311.key_service", language),
            "endpoints": [{"specification": SPECIFICATION, "url": f"{base_url}/open311/v2",
                           "changeset": changeset, "type": "production",
                           "formats": FORMATS}]}


def service(category: Category, city: CityContext, language: str) -> dict[str, Any]:
    """A category as a service; its group is the OPD that handles it."""
    name, group = category.name(language), opd_name(category.opd, city)
    return {"service_code": category.code, "service_name": name,
            "description": t("o311.service_description", language, name=name, opd=group),
            "metadata": True, "type": "realtime", "keywords": ", ".join(category.synonyms),
            "group": group}


class RequestRenderer:
    """Service requests for one answer: names and texts looked up once per answer, not per
    report (a page holds up to 1000)."""

    def __init__(self, city: CityContext, language: str, media_base: str) -> None:
        directory = city.directory
        self.city, self.language, self.media_base = city, language, media_base
        self.services = {c.code: c.name(language) for c in directory.categories}
        self.agencies = {o.slug: o.name for o in directory.opds}
        self.areas = {k.name: k.kecamatan for k in directory.kelurahan}
        self.notices: dict[tuple[str, str | None], str] = {}
        self.w3c = times.LocalTimes(city.tz)

    def __call__(self, row: ServiceRequest) -> dict[str, Any]:
        """One report as a service request: open for baru/didisposisikan/diproses."""
        return dict(zip(REQUEST_FIELDS, self.values(row), strict=True))

    def values(self, row: ServiceRequest) -> tuple[Any, ...]:
        """The request's values in the order of `REQUEST_FIELDS` (JSON is written from
        these without the dict: `render.json_records`)."""
        is_open = row.status in OPEN
        agency = self.agencies.get(row.opd, row.opd) if row.opd else None
        notice = None
        if is_open and row.deadline_step is not None:
            notice = self._notice(row.deadline_step.value, agency)
        notes = (t("o311.merged", self.language, ref=row.duplicate_of) if row.duplicate_of
                 else row.note)
        w3c = self.w3c
        return (
            row.tracking_no,  # service_request_id
            "open" if is_open else "closed",  # status
            notes,  # status_notes
            self.services.get(row.category, row.category),  # service_name
            row.category,  # service_code
            row.description,  # description
            agency,  # agency_responsible
            notice,  # service_notice
            w3c(row.created_at),  # requested_datetime
            w3c(row.updated_at),  # updated_datetime
            w3c(row.deadline_due) if is_open else None,  # expected_datetime
            self._address(row),  # address
            row.latitude,  # lat
            row.longitude,  # long
            f"{self.media_base}/{row.tracking_no}/1" if row.has_photo else None,  # media_url
        )

    def _notice(self, step: str, agency: str | None) -> str:
        key = (step, agency)
        if key not in self.notices:
            self.notices[key] = t(f"o311.step.{step}", self.language, opd=agency or "-")
        return self.notices[key]

    def _address(self, row: ServiceRequest) -> str | None:
        """Most specific first: the address given, its kelurahan and kecamatan, the city."""
        parts = [row.address] if row.address else []
        if row.kelurahan in self.areas:
            given = row.address.lower() if row.address else ""
            parts += [p for p in (row.kelurahan, self.areas[row.kelurahan])
                      if p.lower() not in given]
        return ", ".join([*parts, self.city.directory.city]) if parts else None


def filed(done: Filed, city: CityContext, privacy: Privacy, language: str) -> dict[str, Any]:
    """The answer to a POST: the number (its token too: the service is realtime) and what
    happens next."""
    ref, report = done.submitted.tracking_no, done.submitted
    due = format_datetime(done.due_at, language, city.tz) if done.due_at else "-"
    lines = [t("o311.notice.received", language, ref=ref)]
    if report.status is Status.BARU:
        lines.append(t("o311.notice.verify", language, due=due))
    else:
        lines.append(t("o311.notice.assigned", language, opd=opd_name(report.opd, city),
                       due=due))
    if privacy is not Privacy.PUBLIK:
        lines.append(t("o311.notice.private", language))
    if done.similar:
        lines.append(t("o311.notice.similar", language, refs=", ".join(done.similar)))
    if done.elsewhere is not None:
        institution = (done.elsewhere.institution_en if language == "en"
                       else done.elsewhere.institution_id)
        lines.append(t("authority.elsewhere", language, institution=institution))
    return {"token": ref, "service_request_id": ref, "service_notice": " ".join(lines),
            "account_id": None}
