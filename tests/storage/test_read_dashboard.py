"""The dashboard's page-shaped reads: reports per period, rising categories, map points with
their deadline state, kelurahan × category × month, and the clusters' candidates."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import Engine

from core.messages import Location
from core.reports.model import Status
from core.sla.policy import PlannedDeadline, Step
from storage.read.map_points import DeadlineState, open_points
from storage.read.patterns import Recurring, cluster_candidates, recurring
from storage.read.trends import rising, volume
from storage.uow import SqlUnitOfWork
from tests.storage.helpers import NOW, make_citizen, new_report

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def add(engine: Engine, created: datetime, *, status: Status = Status.BARU,
        opd: str | None = "dpupr", category: str = "jalan", kelurahan: str | None = "Menteng",
        pin: tuple[float, float] | None = (-6.2, 106.8),
        due: tuple[Step, datetime] | None = None) -> str:
    report = replace(new_report(make_citizen(engine), created, status=status), opd=opd,
                     category=category, kelurahan=kelurahan,
                     location=Location(*pin) if pin else None)
    with SqlUnitOfWork(engine) as uow:
        report_id, number = uow.reports.add_with_id(report)
        if due is not None:
            uow.deadlines.replace(report_id, [PlannedDeadline(due[0], opd, created, due[1], None)],
                                  created)
        uow.commit()
    return number


def test_volume_counts_reports_per_period_with_half_open_bounds(engine: Engine) -> None:
    bounds = [NOW - 14 * DAY, NOW - 7 * DAY, NOW]
    add(engine, NOW - 14 * DAY)  # the first period's first instant
    add(engine, NOW - 7 * DAY - HOUR)
    add(engine, NOW - 7 * DAY)  # the second period's
    add(engine, NOW)  # past the end
    add(engine, NOW - DAY, status=Status.DIDISPOSISIKAN, opd="dinkes")
    with engine.connect() as conn:
        assert volume(conn, bounds) == (2, 2)
        assert volume(conn, bounds, officer_opd="dinkes") == (0, 1)
        assert volume(conn, bounds, officer_opd="dpupr") == (0, 0)  # its reports are `baru`
        assert volume(conn, bounds[:1]) == ()


def test_a_category_rises_against_its_own_baseline(engine: Engine) -> None:
    recent_start, baseline_start = NOW - 28 * DAY, NOW - 112 * DAY
    for n in range(6):  # banjir: 6 lately, 3 in the 84 days before (1 per 28 days): ×6
        add(engine, NOW - (n + 1) * DAY, category="banjir")
    for n in range(3):
        add(engine, recent_start - (n * 28 + 1) * DAY, category="banjir")
    for n in range(6):  # jalan: 6 lately, 15 before (5 per 28 days): not 1.5× more
        add(engine, NOW - (n + 1) * DAY)
    for n in range(15):
        add(engine, recent_start - (n * 5 + 1) * DAY)
    for n in range(4):  # sampah: new, but only 4
        add(engine, NOW - (n + 1) * DAY, category="sampah")
    for n in range(5):  # lampu: new, 5 reports
        add(engine, NOW - (n + 1) * DAY, category="lampu")
    with engine.connect() as conn:
        found = rising(conn, baseline_start, recent_start, NOW)
    assert [(r.category, r.recent, r.baseline) for r in found] == [("lampu", 5, 0),
                                                                   ("banjir", 6, 3)]
    assert found[1].expected == 1.0 and found[1].ratio == 6.0


def test_map_points_are_open_pinned_reports_coloured_by_deadline(engine: Engine) -> None:
    yellow_until = NOW + DAY
    red = add(engine, NOW - 5 * DAY, due=(Step.VERIFIKASI, NOW - HOUR))
    yellow = add(engine, NOW - 4 * DAY, status=Status.DIDISPOSISIKAN,
                 due=(Step.JAWABAN, NOW + 2 * HOUR))
    green = add(engine, NOW - 3 * DAY, status=Status.DIPROSES, opd="dinkes",
                due=(Step.SELESAI, NOW + 9 * DAY))
    none = add(engine, NOW - 2 * DAY, status=Status.DIPROSES)
    add(engine, NOW - DAY, status=Status.DIPROSES, pin=None)
    add(engine, NOW - DAY, status=Status.SELESAI, due=(Step.KONFIRMASI, NOW - HOUR))
    with engine.connect() as conn:
        everything = open_points(conn, NOW, yellow_until)
        dpupr = open_points(conn, NOW, yellow_until, officer_opd="dpupr")
    assert [(p.tracking_no, p.state) for p in everything.points] == [
        (red, DeadlineState.RED), (yellow, DeadlineState.YELLOW),
        (green, DeadlineState.GREEN), (none, DeadlineState.NONE)]
    assert everything.without_pin == 1
    assert everything.points[0].latitude == -6.2 and everything.points[0].status is Status.BARU
    assert [p.tracking_no for p in dpupr.points] == [yellow, none] and dpupr.without_pin == 1


def test_recurring_problems_by_kelurahan_category_and_month(engine: Engine) -> None:
    months = [NOW - 90 * DAY, NOW - 60 * DAY, NOW - 30 * DAY, NOW]
    for offset in (85, 80, 50, 10, 5):  # Menteng/jalan: months 0, 0, 1, 2, 2
        add(engine, NOW - offset * DAY)
    for offset in (20, 15, 12):  # Menteng/sampah: three, but all in one month
        add(engine, NOW - offset * DAY, category="sampah")
    for offset in (70, 20):  # Gambir/jalan: two months, but two reports
        add(engine, NOW - offset * DAY, kelurahan="Gambir")
    for offset in (70, 40, 20):  # Gambir/banjir: 1 + 1 + 1
        add(engine, NOW - offset * DAY, kelurahan="Gambir", category="banjir")
    add(engine, NOW - 40 * DAY, kelurahan=None)
    add(engine, NOW - 100 * DAY)  # before the first month
    with engine.connect() as conn:
        found = recurring(conn, months)
        top = recurring(conn, months, limit=1)
        officer = recurring(conn, months, officer_opd="dpupr")
    assert found == (Recurring("Menteng", "jalan", (2, 1, 2)),
                     Recurring("Gambir", "banjir", (1, 1, 1)))
    assert found[0].total == 5 and found[0].periods == 3
    assert top == found[:1] and officer == ()


def test_cluster_candidates_are_every_report_of_the_period_with_its_category(
        engine: Engine) -> None:
    old = add(engine, NOW - 40 * DAY)
    closed = add(engine, NOW - 10 * DAY, status=Status.DITUTUP, category="banjir")
    new = add(engine, NOW - DAY, status=Status.DIDISPOSISIKAN, opd="dinkes")
    with engine.connect() as conn:
        found = cluster_candidates(conn, NOW - 30 * DAY, NOW)
        dinkes = cluster_candidates(conn, NOW - 30 * DAY, NOW, officer_opd="dinkes")
        limited = cluster_candidates(conn, NOW - 90 * DAY, NOW, limit=2)
    assert [(c.tracking_no, c.category, c.status) for c in found] == [
        (new, "jalan", Status.DIDISPOSISIKAN), (closed, "banjir", Status.DITUTUP)]
    assert [c.tracking_no for c in dinkes] == [new]
    assert old not in [c.tracking_no for c in limited] and len(limited) == 2
