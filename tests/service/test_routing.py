"""Issue 21 end to end through the service: out-of-authority at the category question, the
flag and the reason on the report, /kategori, and examples learned from the coordinator."""

from __future__ import annotations

import re

from bot.bootstrap import Container
from tests.service.chat import DESCRIPTION, PIN, Chat
from tests.service.work_helpers import enrol, file_report, report_row, texts


def _file_typed(citizen: Chat, typed: str, pick: str, description: str = DESCRIPTION) -> str:
    citizen.say("/lapor")
    citizen.say(option="type:pengaduan")
    offer = citizen.say(typed)
    citizen.say(option=f"cat:{pick}")
    citizen.say(description)
    citizen.say(option="date:today")
    citizen.say(pin=PIN)
    citizen.say(option="photos:done")
    citizen.say(option="privacy:rahasia")
    [done] = citizen.say(option="summary:confirm")
    if "dup:file" in [o.id for o in done.options]:
        [done] = citizen.say(option="dup:file")
    found = re.search(r"ADU-\d{4}-\d{6}", done.text)
    assert found, (texts(offer), done.text)
    return found.group(0)


def test_power_cut_at_home_names_pln_and_the_coordinator_sees_the_flag(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    citizen = Chat(container, "sari")
    citizen.say("/lapor")
    citizen.say(option="type:pengaduan")
    [offer] = citizen.say("listrik di rumah padam terus sejak kemarin malam")
    assert "PLN" in offer.text and "123" in offer.text and "tetap boleh" in offer.text
    assert "cat:*" in [o.id for o in offer.options]  # every category stays one press away
    citizen.say("/batal")
    number = _file_typed(citizen, "listrik di rumah padam terus sejak kemarin malam", "lainnya")
    assert report_row(container, number)["out_of_authority"] == "pln"
    [note] = coordinator.replies()
    assert "Di luar kewenangan kota" in note.text and "PLN" in note.text
    [view] = coordinator.say(f"/lihat {number}")
    assert "Di luar kewenangan kota" in view.text


def test_street_lights_stay_the_citys_and_the_reason_is_kept(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    citizen = Chat(container, "sari")
    number = _file_typed(citizen, "lampu jalan di gang kami mati semua", "lampu_jalan")
    row = report_row(container, number)
    assert row["out_of_authority"] is None
    assert '"lampu"' in str(row["category_reason"])
    coordinator.replies()
    [view] = coordinator.say(f"/lihat {number}")
    assert "Mengapa kategori ini diusulkan" in view.text and "“lampu”" in view.text
    assert "Di luar kewenangan" not in view.text


def test_a_message_outside_the_form_about_a_stolen_motorbike_names_the_police(
        container: Container) -> None:
    [reply] = Chat(container, "sari").say("motor saya dicuri di depan warung tadi malam")
    assert "Kepolisian" in reply.text and "110" in reply.text
    assert "menu:lapor" in [o.id for o in reply.options]  # still free to file


def test_kategori_recategorises_and_learns_from_the_text(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, number = file_report(container, "sari", category="jalan_rusak")
    coordinator.replies()
    [done] = coordinator.say(f"/kategori {number} drainase")
    assert "Drainase & banjir" in done.text, done.text
    row = report_row(container, number)
    assert (row["category"], row["opd"]) == ("drainase_banjir", "pupr")
    assert row["category_verified_at"] is not None
    assert "sudah berkategori" in texts(coordinator.say(f"/kategori {number} drainase_banjir"))
    assert "tidak dikenal" in texts(coordinator.say(f"/kategori {number} zzzz qqqq"))
    before = len(container.city().matcher.examples)
    assert container.city.refresh()  # a confirmation since the last load: reload
    assert len(container.city().matcher.examples) == before + 1
    assert not container.city.refresh()


def test_verifying_to_the_categorys_own_opd_confirms_the_category(container: Container) -> None:
    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, kept = file_report(container, "sari")
    _, moved = file_report(container, "budi")
    coordinator.say(f"/verifikasi {kept}")
    coordinator.say(f"/verifikasi {moved} dlh")
    assert report_row(container, kept)["category_verified_at"] is not None
    assert report_row(container, moved)["category_verified_at"] is None  # its category is doubtful


def test_learning_can_be_switched_off(container: Container) -> None:
    from bot.bootstrap import CityHolder, intake_config
    from storage.learned_examples import SqlLearnedExamples

    coordinator = enrol(container, "kominfo", "diskominfo", "coordinator")
    _, number = file_report(container, "sari")
    coordinator.say(f"/verifikasi {number}")
    off = container.settings.model_copy(update={"learn_from_coordinator": False})
    on = CityHolder(container.directories, intake_config(off), container.settings,
                    SqlLearnedExamples(container.engine))
    holder = CityHolder(container.directories, intake_config(off), off,
                        SqlLearnedExamples(container.engine))
    assert len(on().matcher.examples) == len(holder().matcher.examples) + 1
