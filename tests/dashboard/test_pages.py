"""The pages' content: the queue's filters in the URL, counts and colours; `Kepatuhan SLA`
with its chart data and CSV; `Peta`; `Pola`; and what every page sends (no CDN, CSP)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import timedelta

from bot.bootstrap import Container
from core.messages import Location
from core.reports.model import Status
from storage.uow import SqlUnitOfWork
from tests.dashboard.conftest import Browser, Dash
from tests.service.work_helpers import file_report
from tests.storage.helpers import make_citizen, new_report

DAY = timedelta(days=1)


def seed(container: Container, days_ago: float, *, category: str = "drainase_banjir",
         kelurahan: str = "Lapai Baru", status: Status = Status.DIPROSES, opd: str = "pupr",
         pin: tuple[float, float] | None = (-0.8880, 100.3640)) -> str:
    """A report stored directly (no chat), `days_ago` before the clock's now."""
    created = container.clock.now() - days_ago * DAY
    report = replace(new_report(make_citizen(container.engine), created, status=status),
                     category=category, kelurahan=kelurahan, opd=opd,
                     location=Location(*pin) if pin else None,
                     description="Jalan depan pasar banjir setinggi lutut setiap hujan deras "
                                 "turun sore hari")
    with SqlUnitOfWork(container.engine) as uow:
        number = uow.reports.add(report)
        uow.commit()
    return number


async def verify(browser: Browser, number: str) -> None:
    page = f"/dashboard/laporan/{number}"
    assert (await browser.post(f"{page}/verifikasi", {}, form_page=page)).status_code == 303


async def test_the_queue_puts_the_filters_in_the_url_and_counts_each_status(dash: Dash) -> None:
    _, first = file_report(dash.container, "sari")
    _, second = file_report(dash.container, "joko", category="pencemaran", name="Joko")
    coordinator = await dash.signed_in()
    await verify(coordinator, second)
    page = await coordinator.page("/dashboard")
    assert first in page and second in page
    assert re.search(r'>baru <b>1</b>', page) and re.search(r'>didisposisikan <b>1</b>', page)
    assert "🟢" in page or "🟡" in page  # each row carries its deadline colour
    only_new = await coordinator.page("/dashboard?status=baru")
    assert first in only_new and second not in only_new
    by_category = await coordinator.page("/dashboard?status=semua&category=pencemaran")
    assert second in by_category and first not in by_category
    by_text = await coordinator.page("/dashboard?q=berlubang")
    assert first in by_text
    none_overdue = await coordinator.page("/dashboard?overdue=1")
    assert first not in none_overdue and "Tidak ada laporan" in none_overdue
    dash.clock.advance(days=10)  # the verification deadline passes for the first
    coordinator = await dash.signed_in()  # (and the idle session ended)
    overdue = await coordinator.page("/dashboard?overdue=1")
    assert first in overdue and "🔴" in overdue
    future = await coordinator.page("/dashboard?since=2030-01-01")
    assert first not in future
    assert "Halaman daftar tidak sah" in await coordinator.page("/dashboard?cursor=abc", 400)


async def test_the_queue_pages_with_a_cursor(dash: Dash) -> None:
    numbers = [seed(dash.container, n / 10) for n in range(55)]
    coordinator = await dash.signed_in()
    page = await coordinator.page("/dashboard?sort=newest")
    assert numbers[0] in page and numbers[54] not in page
    following = re.search(r'href="([^"]*cursor=[^"]*)"', page)
    assert following
    rest = await coordinator.page(following.group(1).replace("&amp;", "&"))
    assert numbers[54] in rest and numbers[0] not in rest


async def test_the_sla_page_has_its_figures_charts_and_downloads(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari")
    coordinator = await dash.signed_in()
    await verify(coordinator, number)
    page = await coordinator.page("/dashboard/sla")
    assert "Kepatuhan SLA" in page and "PUPR" in page
    data = json.loads(re.search(r'id="sla-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert sum(data["weekly"]["values"]) == 1 and data["on_time"]["labels"] == ["PUPR"]
    assert data["on_time"]["verified"] == [100.0]
    for canvas in ("chart-weekly", "chart-on-time", "chart-overdue"):
        assert f'id="{canvas}"' in page
    assert "/dashboard/rakor.csv?since=" in page and "/dashboard/rakor.xlsx?since=" in page
    sorted_page = await coordinator.page("/dashboard/sla?sort=received&order=asc")
    assert 'aria-sort="ascending"' in sorted_page
    response = await coordinator.http.get("/dashboard/sla.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["opd", "nama", "diterima"]
    assert rows[1][0] == "pupr" and rows[1][3] == "1" and rows[-1][0] == ""


async def test_the_map_carries_open_reports_with_their_colour(dash: Dash) -> None:
    open_ = seed(dash.container, 1)
    closed = seed(dash.container, 1, status=Status.DITUTUP)
    unpinned = seed(dash.container, 1, pin=None)
    coordinator = await dash.signed_in()
    page = await coordinator.page("/dashboard/peta")
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert [p["no"] for p in data["points"]] == [open_] and data["tiles"] is None
    assert data["points"][0]["state"] == "none" and data["kelurahan"]
    assert closed not in page and unpinned not in page
    assert "1 laporan terbuka tanpa titik lokasi" in page


async def test_patterns_show_recurring_rising_and_clusters_linking_to_reports(dash: Dash) -> None:
    for days_ago in (100, 70, 40, 10, 5, 3, 2, 1):
        seed(dash.container, days_ago)
    coordinator = await dash.signed_in()
    page = await coordinator.page("/dashboard/pola")
    assert "Masalah berulang" in page and "Lapai Baru" in page
    assert "kelurahan=Lapai+Baru&amp;" in page and "category=drainase_banjir" in page
    rising = page[page.index("Kategori yang naik"):page.index("Satu masalah")]
    assert "Drainase" in rising or "banjir" in rising.lower()
    clusters = page[page.index("Satu masalah"):]
    assert clusters.count("/dashboard/laporan/ADU-") >= 3


async def test_pages_load_nothing_from_elsewhere_and_send_a_strict_policy(dash: Dash) -> None:
    _, number = file_report(dash.container, "sari")
    coordinator = await dash.signed_in()
    for path in ("/dashboard", f"/dashboard/laporan/{number}", "/dashboard/sla",
                 "/dashboard/peta", "/dashboard/pola", "/dashboard/masuk"):
        response = await coordinator.http.get(path)
        assert response.status_code in (200, 303), path
        if response.status_code != 200:
            continue
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert all(s.startswith(("/", "#")) for s in sources), (path, sources)
        assert "<script>" not in response.text  # no inline script: the policy forbids it
    for asset in ("/dashboard/static/vendor/leaflet/leaflet.js",
                  "/dashboard/static/vendor/leaflet/LICENSE",
                  "/dashboard/static/vendor/chartjs/chart.umd.js",
                  "/dashboard/static/vendor/chartjs/LICENSE.md", "/dashboard/static/dashboard.css"):
        assert (await coordinator.http.get(asset)).status_code == 200, asset
