"""`/metrics`'s gauges: open reports by OPD and deadline colour, the outbox's oldest unsent."""

from __future__ import annotations

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from bot.bootstrap import Container
from core.messages import Channel, Outbound
from storage.uow import SqlUnitOfWork
from tests.fakes import FakeClock
from tests.service.work_helpers import file_report


def scrape(container: Container) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    text = generate_latest(container.metrics.registry).decode()
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_open_reports_are_counted_by_opd_and_turn_red_past_their_deadline(
        container: Container, clock: FakeClock) -> None:
    file_report(container, "web-1")
    file_report(container, "web-2", category="lampu_jalan")

    fresh = scrape(container)["aduan_open_reports"]
    clock.advance(days=30)
    late = scrape(container)["aduan_open_reports"]

    assert sum(fresh.values()) == sum(late.values()) == 2
    assert {dict(k)["colour"] for k in fresh} <= {"green", "yellow"}
    assert {dict(k)["colour"] for k in late} == {"red"}


def test_the_oldest_unsent_message_ages_until_it_is_sent(
        container: Container, clock: FakeClock) -> None:
    with SqlUnitOfWork(container.engine) as uow:
        uow.outbox.put(Channel.TELEGRAM, "t1", Outbound(text="halo"), clock.now())
        uow.commit()
    clock.advance(seconds=90)
    metrics = scrape(container)
    age = metrics["aduan_outbox_oldest_unsent_seconds"]
    assert age[(("channel", "telegram"),)] == 90.0
    assert age[(("channel", "whatsapp"),)] == 0.0
    assert metrics["aduan_outbox_depth"][(("channel", "telegram"),)] == 1.0
