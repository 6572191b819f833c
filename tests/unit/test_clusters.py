"""Clusters for the Patterns page: the duplicate finder's "same problem in one place",
applied to every pair of reports and joined transitively."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.matching.clusters import Cluster, find_clusters
from core.matching.duplicates import Candidate, DuplicateRules
from core.reports.model import Privacy, Status

START = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
RULES = DuplicateRules(radius_m=200, window_days=30)
FLOOD = "Jalan depan pasar banjir setinggi lutut setiap hujan deras turun sore hari"


def report(n: int, *, days: float = 0, pin: tuple[float, float] | None = (-0.9140, 100.3490),
           category: str = "drainase_banjir", kelurahan: str | None = "Lapai",
           text: str = FLOOD, status: Status = Status.DIPROSES) -> Candidate:
    lat, lon = pin if pin else (None, None)
    return Candidate(tracking_no=f"ADU-2026-{n:06d}", citizen_id=n, status=status,
                     privacy=Privacy.RAHASIA, title=text[:30], description=text, latitude=lat,
                     longitude=lon, kelurahan=kelurahan, created_at=START + timedelta(days=days),
                     category=category)


def numbers(found: list[Cluster]) -> list[list[int]]:
    return [[int(r.tracking_no[-6:]) for r in c.reports] for c in found]


def test_pins_within_the_radius_make_one_cluster_and_far_ones_do_not() -> None:
    near = [report(1), report(2, days=1, pin=(-0.9150, 100.3490)),  # ~111 m
            report(3, days=2, pin=(-0.9140, 100.3500), status=Status.DITUTUP)]
    far = [report(4, pin=(-0.9300, 100.3490)), report(5, pin=(-0.9300, 100.3700))]
    found = find_clusters([*near, *far], RULES)
    assert numbers(found) == [[1, 2, 3]]
    assert found[0].open == 2 and found[0].kelurahan == "Lapai"
    assert found[0].centre is not None and abs(found[0].centre[0] + 0.91433) < 1e-4


def test_same_place_other_category_or_too_far_apart_in_time_is_not_the_same() -> None:
    reports = [report(1), report(2, category="jalan_rusak"), report(3, days=31),
               report(4, days=45)]
    assert numbers(find_clusters(reports, RULES, min_size=2)) == [[3, 4]]


def test_pairs_chain_through_time_into_one_cluster() -> None:
    weekly = [report(n, days=20 * n) for n in range(1, 5)]  # each within 30 days of the next
    assert numbers(find_clusters(weekly, RULES)) == [[1, 2, 3, 4]]


def test_without_pins_same_kelurahan_and_similar_text_is_the_same() -> None:
    reports = [report(1, pin=None), report(2, pin=None, text=FLOOD + " lagi"),
               report(3, text="Jalan depan pasar banjir setinggi lutut tiap hujan deras sore"),
               report(4, pin=None, kelurahan="Ulak Karang"),
               report(5, pin=None, text="Lampu jalan mati di gang tiga sejak minggu lalu gelap")]
    assert numbers(find_clusters(reports, RULES)) == [[1, 2, 3]]


def test_the_largest_cluster_comes_first_and_small_ones_are_left_out() -> None:
    big = [report(n, days=n) for n in range(1, 5)]
    small = [report(n, days=n, pin=(-0.95, 100.40)) for n in range(5, 8)]
    pair = [report(n, pin=(-0.97, 100.42)) for n in range(8, 10)]
    found = find_clusters([*small, *pair, *big], RULES)
    assert numbers(found) == [[1, 2, 3, 4], [5, 6, 7]]
    assert numbers(find_clusters([*small, *big], RULES, limit=1)) == [[1, 2, 3, 4]]
