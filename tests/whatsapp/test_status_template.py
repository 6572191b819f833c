"""A status change made without a chat reaches a WhatsApp citizen outside the 24-hour window as
the approved template naming the new status; an answer that keeps the status says so."""

from __future__ import annotations

from collections.abc import Callable

from bot.bootstrap import Container
from core.messages import Channel
from core.reports import lifecycle
from core.reports.actors import Actor, Role
from core.reports.results import Changed, Result
from tests.service.chat import Chat
from tests.whatsapp.conftest import WaService
from tests.whatsapp.test_webhook import close_window

CITIZEN = "6281300000077"
KOMINFO = Actor.of_token(1, "Sistem LAPOR Kominfo", Role.COORDINATOR, None)
PUPR = Actor.of_token(2, "Aplikasi PUPR", Role.OFFICER, "pupr")


def act(container: Container, call: Callable[..., Result], *args: object) -> None:
    with container.uow() as uow:
        assert isinstance(call(uow, container.city(), *args, container.clock.now()), Changed)
        uow.commit()


async def test_the_template_names_each_new_status_or_a_new_answer(wa: WaService) -> None:
    number = Chat(wa.container, CITIZEN, Channel.WHATSAPP).file_report()
    await wa.deliver()
    close_window(wa, CITIZEN)
    act(wa.container, lifecycle.verify, KOMINFO, number, None)
    act(wa.container, lifecycle.answer, PUPR, number, "Petugas meninjau lokasi besok.")
    act(wa.container, lifecycle.answer, PUPR, number, "Penambalan dijadwalkan Jumat.")
    await wa.deliver()
    templates = [s.template_parameters for s in wa.graph.to(CITIZEN) if s.type == "template"]
    assert templates == [[number, "Diteruskan ke dinas"], [number, "Sedang ditindaklanjuti"],
                         [number, "ada tanggapan baru"]]
    held = [row for row in wa.rows(CITIZEN) if row.status == "held"]
    assert len(held) == 3  # the full texts wait for the citizen's next message
