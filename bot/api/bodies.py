"""The bodies of `POST /api/v1/reports/{tracking}/{action}`: the chat command's arguments,
named as in DESIGN.md. Unknown fields, wrong types and over-long texts are 422; the lifecycle
checks the rest (too short, unknown OPD, …) and refuses with 422 or 409 in the same shape."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.reports.lifecycle import ANSWER_MAX, REASON_MAX

SLUG_MAX, REF_MAX = 120, 40


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*")
    @classmethod
    def _storable(cls, value: object) -> object:
        """Text a database can keep: PostgreSQL refuses NUL, and UTF-8 an unpaired surrogate
        (which JSON's \\u escapes can carry)."""
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError("must not contain NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("must be valid Unicode (no unpaired surrogates)") from None
        return value


class VerifyBody(Body):
    """`verifikasi`: verify a `baru` report and dispose it (coordinator)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{}, {"opd": "dlh"}]})

    opd: str | None = Field(None, max_length=SLUG_MAX,
                            description="An OPD slug, name or alias; default: the category's.")


class ForwardBody(Body):
    """`alihkan`: a coordinator forwards to `opd`; an officer hands back with `alasan`."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"opd": "perkim"}, {"alasan": "Jalan provinsi, bukan kewenangan kota."}]})

    opd: str | None = Field(None, max_length=SLUG_MAX)
    alasan: str | None = Field(None, max_length=REASON_MAX)


class AnswerBody(Body):
    """`balas` (an answer to the citizen) and `selesai` (the final answer)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"teks": "Tim kami meninjau lokasi besok pagi."}]})

    teks: str = Field(max_length=ANSWER_MAX, description="5–4000 characters.")


class RejectBody(Body):
    """`tolak`: reject a `baru` report (coordinator); the reason goes to the citizen."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"alasan": "Laporan tidak lengkap: lokasi tidak jelas."}]})

    alasan: str = Field(max_length=REASON_MAX, description="5–1000 characters.")


class MergeBody(Body):
    """`gabung`: close this report as a duplicate of `ke`."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"ke": "ADU-2026-000017"}]})

    ke: str = Field(max_length=REF_MAX, description="The original report's tracking number.")


class LaporIdBody(Body):
    """`lapor_id`: record SP4N-LAPOR!'s tracking id."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"nomor": "LAPOR-8812345"}]})

    nomor: str = Field(max_length=REF_MAX, description="3–40 letters, digits or / _ . -")


class SnoozeBody(Body):
    """`tunda`: hold back the reminders for one working day (an empty object, or no body)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{}]})
