"""The conversation's stored form and the copy a form step works on (issue 19: both were
`dataclasses.asdict` deep copies, now written out; these pin them to what asdict gave)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import UTC, date, datetime

from core.intake.state import Conversation, Pending, Step
from core.messages import Location, Media
from core.reports.model import Draft, Privacy, ReportType


def full_draft() -> Draft:
    return Draft(
        type=ReportType.PENGADUAN, category="jalan_rusak", description="Jalan berlubang besar",
        title="Jalan berlubang", event_date=date(2026, 12, 1),
        location=Location(-0.95, 100.35, "Jl. Sudirman"), location_skipped=True,
        address="Jl. Sudirman 1", kelurahan="Padang Pasir",
        photos=[Media("ab/cd.jpg", "image/jpeg", 1234, "a.jpg"), Media("ef.png", "image/png", 9)],
        privacy=Privacy.ANONIM, duplicates_seen=True, category_text="jalan",
        outside_authority="pln")


def test_every_field_is_set_away_from_its_default() -> None:
    """Guards the other tests: a field left at its default would hide a missed field."""
    draft, empty = full_draft(), Draft()
    assert [f.name for f in fields(Draft) if getattr(draft, f.name) == getattr(empty, f.name)] == []


def test_draft_to_dict_is_what_asdict_gave() -> None:
    draft = full_draft()
    expected = asdict(draft)
    expected["event_date"] = "2026-12-01"
    assert draft.to_dict() == expected
    assert set(draft.to_dict()) == {f.name for f in fields(Draft)}
    assert json.loads(json.dumps(draft.to_dict()))["type"] == "pengaduan"
    assert Draft().to_dict() == {**asdict(Draft()), "event_date": None}


def test_draft_round_trips_through_its_dict() -> None:
    draft = full_draft()
    assert Draft.from_dict(json.loads(json.dumps(draft.to_dict()))) == draft


def test_draft_copy_is_equal_and_shares_no_list() -> None:
    draft = full_draft()
    copy = draft.copy()
    assert copy == draft and copy is not draft
    copy.photos.append(Media("x", "image/jpeg", 1))
    copy.description = "changed"
    assert len(draft.photos) == 2 and draft.description == "Jalan berlubang besar"


def test_conversation_copy_is_equal_and_independent() -> None:
    at = datetime(2026, 12, 3, 1, 2, tzinfo=UTC)
    conv = Conversation(step=Step.PRIVACY, draft=full_draft(), language="en", editing=True,
                        resume=Step.DATE, candidates=["a", "b"],
                        pending=Pending("balas", "ADU-2026-000001", at), enrol_failures=[at],
                        version=7)
    copy = conv.copy()
    assert copy == conv and copy.to_dict() == conv.to_dict() and copy.version == 7
    copy.candidates.append("c")
    copy.enrol_failures.clear()
    copy.draft.photos.clear()
    copy.step = Step.SUMMARY
    assert conv.candidates == ["a", "b"] and conv.enrol_failures == [at]
    assert len(conv.draft.photos) == 2 and conv.step is Step.PRIVACY
    assert Conversation.from_dict(conv.to_dict(), conv.version) == conv
