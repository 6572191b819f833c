"""The answers of `/api/v1` (pydantic, so OpenAPI describes them). Times are UTC ISO 8601;
`status` is a lifecycle word (`baru`, `didisposisikan`, `diproses`, `selesai`, `ditutup`,
`ditolak`)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.messages import Channel
from core.reports.actors import ActorKind
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Step

NUMBER = "ADU-2026-000042"


class DeadlineOut(BaseModel):
    step: Step = Field(description="What is awaited: verifikasi (coordinator), jawaban (the "
                                   "OPD's first answer), selesai (completion), konfirmasi "
                                   "(the citizen), ombudsman.")
    due_at: datetime
    snoozed_until: datetime | None = Field(
        None, description="Reminders held back until then (in a report's detail).")


class ReportItem(BaseModel):
    """One report in a list."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "tracking_no": NUMBER, "url": f"/api/v1/reports/{NUMBER}", "type": "pengaduan",
        "category": "jalan_rusak", "opd": "pupr", "status": "didisposisikan",
        "title": "Jalan berlubang di depan SD 12", "privacy": "rahasia",
        "kelurahan": "Air Tawar Barat", "address": None, "latitude": -0.914,
        "longitude": 100.349, "created_at": "2026-11-20T02:15:00Z",
        "updated_at": "2026-11-21T01:00:00Z", "lapor_id": None, "duplicate_of": None,
        "deadline": {"step": "jawaban", "due_at": "2026-11-28T09:00:00Z",
                     "snoozed_until": None},
        "overdue": False}]})

    tracking_no: str
    url: str = Field(description="This report's detail.")
    type: ReportType
    category: str = Field(description="A category code of /api/v1/categories.")
    opd: str | None = Field(description="The OPD's slug (none while `baru` and unrouted).")
    status: Status
    title: str
    privacy: Privacy
    kelurahan: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    created_at: datetime
    updated_at: datetime
    lapor_id: str | None = Field(description="SP4N-LAPOR!'s tracking id, once recorded.")
    duplicate_of: str | None = Field(description="The report this one was merged into.")
    deadline: DeadlineOut | None = Field(
        description="The open deadline of the admin step the report is in (verifikasi, "
                    "jawaban or selesai); none when no admin is awaited.")
    overdue: bool = Field(description="That deadline is past.")


class ReportPageOut(BaseModel):
    items: list[ReportItem]
    next_cursor: str | None = Field(description="Pass as `cursor` (same filters and sort) for "
                                                "the next page; null on the last page.")


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "at": "2026-11-21T01:00:00Z", "kind": "verified", "actor": "Sistem LAPOR Kominfo",
        "actor_kind": "token", "actor_opd": None, "status_from": "baru",
        "status_to": "didisposisikan", "note": "Dinas Pekerjaan Umum dan Penataan Ruang"}]})

    at: datetime
    kind: str = Field(description="created, verified, disposed, handed_back, answer, resolved, "
                                  "rejected, merged, merged_in, lapor_id, snoozed, confirmed, "
                                  "disputed, closed, viewed, …")
    actor: str = Field(description="Who: the admin's or token's name; `citizen` (never a "
                                   "citizen's name) or `system` otherwise.")
    actor_kind: ActorKind = Field(description="citizen, admin (an enrolled admin), token (an "
                                              "API token) or system.")
    actor_opd: str | None = Field(description="An admin's OPD.")
    status_from: Status | None
    status_to: Status | None
    note: str | None = Field(description="The answer's text, the reason, the OPD, …")


class AttachmentOut(BaseModel):
    n: int = Field(description="1, 2, … in the order the citizen sent them.")
    url: str = Field(description="The file (same token, same visibility as the report).")
    content_type: str
    size: int
    filename: str | None


class ReporterOut(BaseModel):
    """Who filed the report: shown to coordinator tokens for `rahasia` and `publik` reports,
    to officer tokens for `publik` ones only, and to nobody for `anonim` ones."""

    name: str | None
    channel: Channel
    chat_id: str = Field(description="The chat to reach them (a WhatsApp number, a Telegram "
                                     "chat id, a web chat session).")
    language: str


class ReportOut(ReportItem):
    """One report with everything the token may see."""

    description: str
    event_date: date
    rating: int | None = Field(description="The citizen's rating of the answer (1–5).")
    status_changed_at: datetime
    merged: list[str] = Field(description="Reports merged into this one, oldest first.")
    deadlines: list[DeadlineOut] = Field(description="Every open deadline, soonest first.")
    reporter: ReporterOut | None = Field(description="Null when the token's role may not see "
                                                     "the reporter (see `privacy`).")
    attachments: list[AttachmentOut]
    timeline: list[TimelineEntryOut] = Field(description="Oldest first, each with its actor.")


class OpdOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "slug": "pupr", "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "aliases": ["PU", "Dinas PU"]}]})

    slug: str
    name: str
    aliases: list[str]


class CategoryOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "code": "jalan_rusak", "name_id": "Jalan rusak", "name_en": "Damaged road",
        "opd": "pupr", "sla_tier": "pengaduan", "location_required": True,
        "auto_dispose": False}]})

    code: str
    name_id: str
    name_en: str
    opd: str = Field(description="The OPD it routes to.")
    sla_tier: str
    location_required: bool
    auto_dispose: bool = Field(description="Disposed to its OPD at once, without verification.")


class OpdListOut(BaseModel):
    items: list[OpdOut]
    next_cursor: None = Field(None, description="Always null: the whole list is one page.")


class CategoryListOut(BaseModel):
    items: list[CategoryOut]
    next_cursor: None = Field(None, description="Always null: the whole list is one page.")


class SlaRowOut(BaseModel):
    opd: str | None = Field(description="The OPD's slug; null in the whole city's row.")
    name: str
    received: int = Field(description="Disposed to the OPD in the period.")
    verified: int = Field(description="Verified by the coordinator and disposed to the OPD.")
    verified_on_time: int
    answered: int = Field(description="First answers given in the period.")
    answered_on_time: int
    overdue_now: int = Field(description="The OPD's open work past its deadline now.")
    median_hours_to_first_answer: float | None


class SlaOut(BaseModel):
    """Officer tokens get their own OPD's row only and no city row."""

    start: datetime = Field(serialization_alias="from", description="The period's start.")
    end: datetime = Field(serialization_alias="to", description="The period's end (excluded).")
    opds: list[SlaRowOut]
    city: SlaRowOut | None = Field(description="Sums over every OPD (coordinator tokens).")
