"""Is a new report already known? Open reports of the same category nearby (by distance) or,
without a pin, in the same kelurahan with a similar text (pure; candidates come from SQL)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from core.matching.words import normalise
from core.reports.model import Draft, Privacy, Status

EARTH_RADIUS_M = 6_371_000.0
MAX_OFFERED = 3


@dataclass(frozen=True, slots=True)
class DuplicateRules:
    radius_m: float = 200.0
    window_days: int = 30
    text_cutoff: float = 70.0  # rapidfuzz token_set_ratio, 0-100
    min_words: int = 5  # shorter texts match almost anything by token set: never compared


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A square around a pin, so SQL narrows the candidates before distances are computed."""

    south: float
    north: float
    west: float
    east: float

    @classmethod
    def around(cls, latitude: float, longitude: float, radius_m: float) -> BoundingBox:
        dlat = math.degrees(radius_m / EARTH_RADIUS_M)
        dlon = dlat / max(math.cos(math.radians(latitude)), 1e-6)
        return cls(latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An open report that might be the same problem."""

    tracking_no: str
    citizen_id: int
    status: Status
    privacy: Privacy
    title: str
    description: str
    latitude: float | None
    longitude: float | None
    kelurahan: str | None
    created_at: datetime
    opd: str | None = None
    category: str | None = None  # known when candidates of every category are compared


@dataclass(frozen=True, slots=True)
class Duplicate:
    candidate: Candidate
    distance_m: float | None  # None when matched by kelurahan and text
    score: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def find_duplicates(draft: Draft, candidates: Sequence[Candidate], rules: DuplicateRules,
                    limit: int = MAX_OFFERED) -> list[Duplicate]:
    """Up to `limit` likely duplicates, nearest (or most similar) first."""
    if draft.location is not None:
        lat, lon = draft.location.latitude, draft.location.longitude
        near = [
            Duplicate(c, d, 100.0) for c in candidates
            if c.latitude is not None and c.longitude is not None
            and (d := distance_m(lat, lon, c.latitude, c.longitude)) <= rules.radius_m
        ]
        return sorted(near, key=lambda dup: (dup.distance_m or 0.0))[:limit]
    query = normalise(draft.description or "")
    if len(query.split()) < rules.min_words:
        return []
    pool = [(c, text) for c in candidates
            if len((text := normalise(c.description)).split()) >= rules.min_words]
    ranked = process.extract(query, [text for _, text in pool], scorer=fuzz.token_set_ratio,
                             score_cutoff=rules.text_cutoff, limit=limit)
    return [Duplicate(pool[index][0], None, score) for _, score, index in ranked]
