"""Clusters of reports about the same problem in one place, for the Patterns page.

"The same" is the duplicate finder's notion (`core.matching.duplicates`), applied to every
pair of reports instead of one draft against open reports: the same category, filed within
the window of each other, and either both pinned within the radius, or in the same kelurahan
with similar texts. Pairs join transitively (union-find), so a street that floods every week
is one cluster even when its first and last reports are far apart in time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from core.matching.duplicates import EARTH_RADIUS_M, Candidate, DuplicateRules, distance_m
from core.matching.words import normalise
from core.reports.access import OPEN


@dataclass(frozen=True, slots=True)
class Cluster:
    category: str
    reports: tuple[Candidate, ...]  # oldest first

    @property
    def kelurahan(self) -> str | None:
        """The kelurahan most of its reports name."""
        named = Counter(r.kelurahan for r in self.reports if r.kelurahan)
        return named.most_common(1)[0][0] if named else None

    @property
    def centre(self) -> tuple[float, float] | None:
        pins = [(r.latitude, r.longitude) for r in self.reports
                if r.latitude is not None and r.longitude is not None]
        if not pins:
            return None
        return (sum(p[0] for p in pins) / len(pins), sum(p[1] for p in pins) / len(pins))

    @property
    def open(self) -> int:
        return sum(1 for r in self.reports if r.status in OPEN)

    @property
    def first(self) -> datetime:
        return self.reports[0].created_at

    @property
    def last(self) -> datetime:
        return self.reports[-1].created_at


class _Sets:
    """Union-find over report indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def find_clusters(reports: Sequence[Candidate], rules: DuplicateRules, min_size: int = 3,
                  limit: int = 20) -> list[Cluster]:
    """Groups of at least `min_size` reports about the same problem, the largest first (then
    the most recently reported)."""
    sets = _Sets(len(reports))
    window = timedelta(days=rules.window_days)
    by_category: dict[str | None, list[int]] = defaultdict(list)
    for index, report in enumerate(reports):
        by_category[report.category].append(index)
    for members in by_category.values():
        for a, b in _near_pairs(reports, members, rules.radius_m):
            if abs(reports[a].created_at - reports[b].created_at) <= window:
                sets.join(a, b)
        for a, b in _similar_pairs(reports, members, rules):
            if abs(reports[a].created_at - reports[b].created_at) <= window:
                sets.join(a, b)
    groups: dict[int, list[Candidate]] = defaultdict(list)
    for index, report in enumerate(reports):
        groups[sets.find(index)].append(report)
    found = [Cluster(members[0].category or "", tuple(sorted(members, key=lambda r: r.created_at)))
             for members in groups.values() if len(members) >= min_size]
    found.sort(key=lambda c: (-len(c.reports), -c.last.timestamp()))
    return found[:limit]


def _near_pairs(reports: Sequence[Candidate], members: Iterable[int],
                radius_m: float) -> Iterable[tuple[int, int]]:
    """Pinned reports within `radius_m` of each other: a grid of radius-sized cells, so each
    report is measured only against those in its own and the neighbouring cells."""
    cell = math.degrees(radius_m / EARTH_RADIUS_M)
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in members:
        lat, lon = reports[i].latitude, reports[i].longitude
        if lat is None or lon is None:
            continue
        # Longitude cells shrink towards the poles; near the equator (Indonesia) barely.
        wide = cell / max(math.cos(math.radians(lat)), 1e-6)
        grid[(math.floor(lat / cell), math.floor(lon / wide))].append(i)
    for (row, col), here in grid.items():
        for drow in (-1, 0, 1):
            for dcol in (-1, 0, 1):
                for i in here:
                    for j in grid.get((row + drow, col + dcol), ()):
                        if i < j and _distance(reports[i], reports[j]) <= radius_m:
                            yield i, j


def _distance(a: Candidate, b: Candidate) -> float:
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return distance_m(a.latitude, a.longitude, b.latitude, b.longitude)


def _similar_pairs(reports: Sequence[Candidate], members: Iterable[int],
                   rules: DuplicateRules) -> Iterable[tuple[int, int]]:
    """Reports of one kelurahan, at least one of the two without a pin, with similar texts
    (as the finder compares a draft that has no pin)."""
    by_kelurahan: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for i in members:
        kelurahan = reports[i].kelurahan
        text = normalise(reports[i].description)
        if kelurahan and len(text.split()) >= rules.min_words:
            by_kelurahan[kelurahan].append((i, text))
    for texts in by_kelurahan.values():
        if len(texts) < 2 or all(reports[i].latitude is not None for i, _ in texts):
            continue
        choices = [text for _, text in texts]
        for position, (i, text) in enumerate(texts):
            unpinned = reports[i].latitude is None
            for _, _score, other in process.extract(
                    text, choices, scorer=fuzz.token_set_ratio, score_cutoff=rules.text_cutoff,
                    limit=None):
                j = texts[other][0]
                if other > position and (unpinned or reports[j].latitude is None):
                    yield i, j
