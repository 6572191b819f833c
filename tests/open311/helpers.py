"""Helpers of the Open311 HTTP tests: lifecycle actions, photo reports, identity checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from core.messages import Channel, Location
from core.reports import lifecycle
from core.reports.actors import Actor
from core.reports.model import Privacy, ReportType
from core.reports.results import Changed, Submitted
from storage.tokens import SqlTokenStore
from tests.open311.conftest import TEXT, WHO, Open311

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
SECRETS = (*WHO.values(), "Wiraatmadja", "open311:", "web-foto")


def no_identity(*responses: httpx.Response) -> None:
    for response in responses:
        for secret in SECRETS:
            assert secret.lower() not in response.text.lower(), (secret, response.text[:200])


def numbers(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["service_request_id"] for item in response.json()]


def act(o311: Open311, use_case: Callable[..., Any], *args: object) -> None:
    """A lifecycle action by the coordinator's token (key 1)."""
    entry = SqlTokenStore(o311.container.engine).get(1)
    assert entry is not None
    city = o311.container.city()
    with o311.container.uow() as uow:
        done = use_case(uow, city, entry.actor, *args, o311.clock.now())
        assert isinstance(done, Changed), done
        uow.commit()


def with_photo(o311: Open311, privacy: Privacy) -> str:
    """A web chat report with a real photo on disk, submitted as the chat submits."""
    container, now = o311.container, o311.clock.now()
    city = container.city()  # loaded before the transaction, as the app's start-up does
    media = container.media.save(JPEG, "image/jpeg", "jpg", "foto.jpg")
    with container.uow() as uow:
        citizen = uow.citizens.get_or_create(Channel.WEB, "web-foto", None,
                                             "Sulastri Wiraatmadja", "id", now)
        done = lifecycle.submit(uow, city, Actor.of_citizen(citizen.id),
                                lifecycle.Submission(
            citizen.id, Channel.WEB, "web-foto", ReportType.PENGADUAN, "sampah", TEXT,
            date(2026, 11, 21), location=Location(-0.914, 100.349), privacy=privacy,
            photos=(media,)), now)
        assert isinstance(done, Submitted)
        uow.commit()
    return done.tracking_no
