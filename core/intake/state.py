"""The persisted state of one chat's conversation with the bot."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.reports.model import Draft


class Step(StrEnum):
    IDLE = "idle"
    TYPE = "type"
    CATEGORY = "category"
    DESCRIPTION = "description"
    DATE = "date"
    LOCATION = "location"
    PHOTOS = "photos"
    PRIVACY = "privacy"
    SUMMARY = "summary"
    EDIT_CHOICE = "edit_choice"
    TITLE = "title"  # only when editing: the title is derived from the description
    LANGUAGE = "language"
    DUPLICATES = "duplicates"  # after confirming: similar open reports offered to follow


# The order of the form; "kembali" (back) walks it backwards.
FORM_STEPS: tuple[Step, ...] = (
    Step.TYPE,
    Step.CATEGORY,
    Step.DESCRIPTION,
    Step.DATE,
    Step.LOCATION,
    Step.PHOTOS,
    Step.PRIVACY,
    Step.SUMMARY,
)


@dataclass(frozen=True, slots=True)
class Pending:
    """A button was pressed and the next text completes it, e.g. [Balas] then the answer."""

    action: str  # balas | selesai | alihkan | tolak (admins); dispute | comment (citizens)
    tracking_no: str
    since: datetime

    def to_dict(self) -> dict[str, str]:
        return {"action": self.action, "report": self.tracking_no, "since": self.since.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Pending | None:
        if not data:
            return None
        return cls(str(data["action"]), str(data["report"]), datetime.fromisoformat(data["since"]))


@dataclass(slots=True)
class Conversation:
    step: Step = Step.IDLE
    draft: Draft = field(default_factory=Draft)
    language: str = "id"
    editing: bool = False  # a field is being edited from the summary: return there after it
    resume: Step | None = None  # where to go back to after /bahasa mid-form
    candidates: list[str] = field(default_factory=list)  # fuzzy-matched codes awaiting a pick
    pending: Pending | None = None
    enrol_failures: list[datetime] = field(default_factory=list)  # recent wrong /daftar codes
    version: int = 0

    def copy(self) -> Conversation:
        """An equal conversation that shares nothing mutable with this one."""
        return replace(self, draft=self.draft.copy(), candidates=list(self.candidates),
                       enrol_failures=list(self.enrol_failures))

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step.value,
            "draft": self.draft.to_dict(),
            "language": self.language,
            "editing": self.editing,
            "resume": self.resume.value if self.resume else None,
            "candidates": list(self.candidates),
            "pending": self.pending.to_dict() if self.pending else None,
            "enrol_failures": [at.isoformat() for at in self.enrol_failures],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], version: int = 0) -> Conversation:
        return cls(
            step=Step(data.get("step", Step.IDLE.value)),
            draft=Draft.from_dict(data.get("draft", {})),
            language=str(data.get("language", "id")),
            editing=bool(data.get("editing", False)),
            resume=Step(data["resume"]) if data.get("resume") else None,
            candidates=[str(c) for c in data.get("candidates", [])],
            pending=Pending.from_dict(data.get("pending")),
            enrol_failures=[datetime.fromisoformat(a) for a in data.get("enrol_failures", [])],
            version=version,
        )
