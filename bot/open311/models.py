"""The spec's documents, built from the directory and the read model: fields in the spec's
order and with its names. A reporter's identity is never among them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.city import CityContext
from core.directory.model import Category
from core.i18n import format_datetime, t
from core.intake.api_report import Filed
from core.reports.model import Privacy, Status
from storage.read.open311 import ServiceRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]


def w3c(moment: datetime | None, city: CityContext) -> str | None:
    """A W3C date/time in the city's zone, with its offset (2026-03-02T10:00:00+07:00)."""
    return None if moment is None else moment.astimezone(city.tz).isoformat(timespec="seconds")


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


def service_request(row: ServiceRequest, city: CityContext, language: str,
                    media_base: str) -> dict[str, Any]:
    """One report as a service request: open for baru/didisposisikan/diproses."""
    category = city.directory.category(row.category)
    agency = opd_name(row.opd, city)
    notice = None
    if row.status.is_open and row.deadline_step is not None:
        notice = t(f"o311.step.{row.deadline_step.value}", language, opd=agency or "-")
    notes = t("o311.merged", language, ref=row.duplicate_of) if row.duplicate_of else row.note
    closed_at = row.updated_at if row.status.is_open else row.status_changed_at
    return {
        "service_request_id": row.tracking_no,
        "status": "open" if row.status.is_open else "closed",
        "status_notes": notes,
        "service_name": category.name(language) if category else row.category,
        "service_code": row.category,
        "description": row.description,
        "agency_responsible": agency,
        "service_notice": notice,
        "requested_datetime": w3c(row.created_at, city),
        "updated_datetime": w3c(closed_at, city),
        "expected_datetime": w3c(row.deadline_due, city) if row.status.is_open else None,
        "address": address(row, city),
        "lat": row.latitude,
        "long": row.longitude,
        "media_url": f"{media_base}/{row.tracking_no}/1" if row.has_photo else None,
    }


def address(row: ServiceRequest, city: CityContext) -> str | None:
    """Most specific first: the address given, its kelurahan and kecamatan, the city."""
    parts = [row.address] if row.address else []
    area = next((k for k in city.directory.kelurahan if k.name == row.kelurahan), None)
    if area is not None:
        parts += [p for p in (area.name, area.kecamatan)
                  if not any(p.lower() in given.lower() for given in parts)]
    if not parts:
        return None
    return ", ".join([*parts, city.directory.city])


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
