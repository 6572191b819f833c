"""On submit, similar open reports nearby are offered: follow one instead, or file anyway."""

from __future__ import annotations

import re

from sqlalchemy import text

from bot.bootstrap import Container
from tests.service.chat import Chat
from tests.service.work_helpers import enrol, texts

NEAR = (-0.9141, 100.3491)  # ~16 m from the first report's pin
FAR = (-0.9300, 100.3490)  # ~1.8 km


def count_reports(container: Container) -> int:
    with container.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM reports")).scalar_one())


def confirm(chat: Chat, **fill: object) -> str:
    chat.fill_to_summary(**fill)  # type: ignore[arg-type]
    return texts(chat.say(option="summary:confirm"))


def test_a_nearby_public_report_is_offered_and_following_it_files_nothing(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    original = Chat(container, "sari").file_report(privacy="publik")
    neighbour = Chat(container, "joko")
    offer = confirm(neighbour, privacy="publik", pin=NEAR)
    assert "laporan serupa" in offer and original in offer and "± 16 m" in offer
    assert "Anda mengikuti laporan" in texts(neighbour.say(option=f"dup:follow:{original}"))
    assert count_reports(container) == 1
    coordinator.say(f"/verifikasi {original}")
    assert "diteruskan" in texts(neighbour.replies())


def test_filing_anyway_stores_the_new_report(container: Container) -> None:
    Chat(container, "sari").file_report(privacy="publik")
    neighbour = Chat(container, "joko")
    confirm(neighbour, pin=NEAR)
    assert "ADU-2026-000002" in texts(neighbour.say(option="dup:file"))
    assert count_reports(container) == 2


def test_back_from_the_offer_returns_to_the_summary(container: Container) -> None:
    Chat(container, "sari").file_report(privacy="publik")
    neighbour = Chat(container, "joko")
    confirm(neighbour, pin=NEAR)
    assert "Periksa laporan" in texts(neighbour.say("kembali"))
    assert "ADU-2026-000002" in texts(neighbour.say(option="summary:confirm"))  # not re-offered


def test_no_offer_for_other_categories_far_places_old_or_confidential_reports(
        container: Container) -> None:
    Chat(container, "sari").file_report(privacy="publik")
    Chat(container, "rina").file_report(privacy="rahasia", category="drainase_banjir")
    assert "ADU-" in confirm(Chat(container, "a"), category="sampah", pin=NEAR)
    assert "laporan serupa" not in confirm(Chat(container, "b"), pin=FAR)
    assert "laporan serupa" not in confirm(Chat(container, "c"), category="drainase_banjir", pin=NEAR)
    container.clock.advance(days=31)
    assert "laporan serupa" not in confirm(Chat(container, "d"), pin=NEAR)


def test_a_citizens_own_open_report_is_offered_as_theirs(container: Container) -> None:
    chat = Chat(container, "sari")
    first = chat.file_report()  # rahasia, but it is their own
    offer = confirm(chat, pin=NEAR)
    assert first in offer and "laporan Anda sendiri" in offer
    assert "laporan Anda" in texts(chat.say(option=f"dup:follow:{first}"))
    assert count_reports(container) == 1


def test_lihat_lists_possible_duplicates_by_the_same_rules_for_whoever_may_see_them(
        container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    officer = enrol(container, "budi", "pupr")
    first = Chat(container, "sari").file_report()  # rahasia: never offered to other citizens
    second = number(confirm(Chat(container, "joko"), pin=NEAR))
    far_away = number(confirm(Chat(container, "rina"), pin=FAR))
    coordinator.replies()  # the three new-report notifications
    view = texts(coordinator.say(f"/lihat {first}"))
    assert "Mungkin laporan yang sama" in view and second in view
    assert "± 16 m dari lokasi laporan ini" in view and far_away not in view
    # An officer sees it only once both are disposed to their OPD.
    coordinator.say(f"/verifikasi {first}")
    officer.replies()
    assert "Mungkin laporan yang sama" not in texts(officer.say(f"/lihat {first}"))
    coordinator.say(f"/verifikasi {second}")
    officer.replies()
    assert second in texts(officer.say(f"/lihat {first}"))


def number(text: str) -> str:
    found = re.search(r"ADU-\d{4}-\d{6}", text)
    assert found, text
    return found.group(0)
