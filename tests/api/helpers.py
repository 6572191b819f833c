"""What the API tests share: tokens, reports filed as a citizen would, calls with a token."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from bot.bootstrap import Container
from core.messages import Channel, Media
from core.reports import lifecycle
from core.reports.actors import Actor, Role
from core.reports.model import Privacy, ReportType
from core.reports.results import Changed, Submitted
from storage.tokens import SqlTokenStore

DESCRIPTION = "Jalan di depan SD 12 berlubang besar sejak dua minggu, motor sering jatuh."
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4


class Token:
    """A token's secret with its entry's actor."""

    def __init__(self, secret: str, actor: Actor, token_id: int) -> None:
        self.secret, self.actor, self.id = secret, actor, token_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


class Api:
    """The app behind an httpx client, and the container behind the app."""

    def __init__(self, container: Container, http: httpx.AsyncClient) -> None:
        self.container, self.http = container, http
        self._citizens = 0

    def token(self, name: str = "Kominfo", role: Role = Role.COORDINATOR,
              opd: str | None = None) -> Token:
        entry, secret = SqlTokenStore(self.container.engine).create(
            name, self.container.clock.now(), role, opd)
        return Token(secret, entry.actor, entry.id)

    def file(self, category: str = "jalan_rusak", privacy: Privacy = Privacy.RAHASIA,
             name: str = "Sari Wulandari", description: str = DESCRIPTION,
             channel: Channel = Channel.WEB, chat_id: str | None = None,
             title: str | None = None, photos: int = 0) -> str:
        """A report filed by a new citizen (as the form would submit it); its number."""
        self._citizens += 1
        chat = chat_id or f"warga-{self._citizens}"
        now, city = self.container.clock.now(), self.container.city()
        media = tuple(self.container.media.save(JPEG + bytes([i]), "image/jpeg", "jpg",
                                                f"foto{i}.jpg") for i in range(photos))
        with self.container.uow() as uow:
            citizen = uow.citizens.get_or_create(channel, chat, chat, name, "id", now)
            done = lifecycle.submit(uow, city, Actor.of_citizen(citizen.id),
                                    form(citizen.id, channel, chat, category, privacy,
                                         description, title, media), now)
            assert isinstance(done, Submitted), done
            uow.commit()
        return done.tracking_no

    def verified(self, by: Token, **report: Any) -> str:
        """A report filed and verified (disposed to its category's OPD) by `by`."""
        number, city = self.file(**report), self.container.city()
        with self.container.uow() as uow:
            done = lifecycle.verify(uow, city, by.actor, number, None,
                                    self.container.clock.now())
            assert isinstance(done, Changed), done
            uow.commit()
        return number

    async def get(self, path: str, token: Token | None, **params: Any) -> httpx.Response:
        headers = token.headers if token is not None else {}
        return await self.http.get(f"/api/v1{path}", params=params, headers=headers)

    async def post(self, path: str, token: Token | None, body: Any = None,
                   **kwargs: Any) -> httpx.Response:
        headers = token.headers if token is not None else {}
        return await self.http.post(f"/api/v1{path}", json=body, headers=headers, **kwargs)


def form(citizen_id: int, channel: Channel, chat_id: str, category: str, privacy: Privacy,
         description: str, title: str | None, photos: tuple[Media, ...]) -> lifecycle.Submission:
    return lifecycle.Submission(
        citizen_id=citizen_id, channel=channel, chat_id=chat_id, type=ReportType.PENGADUAN,
        category=category, description=description, event_date=date(2026, 11, 20), title=title,
        privacy=privacy, photos=photos)


def reason(response: httpx.Response) -> str:
    """The error body's catalog key (every /api/v1 error has one)."""
    body = response.json()
    assert set(body) == {"detail"} and set(body["detail"]) == {"reason", "message"}, body
    assert body["detail"]["message"] and "\n" not in body["detail"]["message"]
    return str(body["detail"]["reason"])
