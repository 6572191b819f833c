"""Images in web chat messages: shown by URL, and only to the session whose chat holds them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.bootstrap import Container, build_container, seed_directory
from bot.channels.web.chat import chat_id_for
from bot.settings import Settings
from core.messages import Channel, Media, Outbound
from storage.uow import SqlUnitOfWork
from tests.dialog import NOW
from tests.fakes import FakeClock

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(200))


@dataclass
class Web:
    container: Container
    http: httpx.AsyncClient

    async def session(self) -> dict[str, Any]:
        response = await self.http.post("/chat/session", json={"lang": "id"})
        body: dict[str, Any] = response.raise_for_status().json()
        return body

    def queue(self, session: str, message: Outbound) -> int:
        """A bot message for this session's chat, as a use case would queue it."""
        with SqlUnitOfWork(self.container.engine) as uow:
            row_id = uow.outbox.put(Channel.WEB, chat_id_for(session), message, NOW)
            uow.commit()
        return row_id

    def save(self, data: bytes, content_type: str = "image/jpeg") -> Media:
        extension = {"image/jpeg": "jpg", "image/png": "png"}[content_type]
        return self.container.webchat.media.save(data, content_type, extension, "foto")

    async def messages(self, session: str, after: int) -> list[dict[str, Any]]:
        response = await self.http.get("/chat/messages", params={"session": session,
                                                                 "after": after})
        found: list[dict[str, Any]] = response.raise_for_status().json()["messages"]
        return found


@pytest.fixture
async def web(db_url: str, tmp_path: Path) -> AsyncIterator[Web]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db_url, data_dir=tmp_path / "data")
    clock = FakeClock(NOW)
    container = build_container(settings, clock=clock)
    seed_directory(settings, container.directories, clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(container)),
                                 base_url="http://aduan.test") as http:
        yield Web(container, http)
    container.engine.dispose()


async def test_a_session_sees_the_images_of_its_own_message_in_order(web: Web) -> None:
    started = await web.session()
    photos = (web.save(JPEG), web.save(PNG, "image/png"))
    row_id = web.queue(started["session"], Outbound("Laporan ADU-2026-000001", media=photos))
    (message,) = await web.messages(started["session"], started["cursor"])
    assert message["id"] == row_id and message["text"] == "Laporan ADU-2026-000001"
    assert [m["content_type"] for m in message["media"]] == ["image/jpeg", "image/png"]
    shown = [await web.http.get(m["url"]) for m in message["media"]]
    assert [r.status_code for r in shown] == [200, 200]
    assert [r.content for r in shown] == [JPEG, PNG]
    assert shown[0].headers["content-type"] == "image/jpeg"
    assert shown[0].headers["x-content-type-options"] == "nosniff"
    # Without the message id the server looks through the chat's messages itself.
    plain = await web.http.get(f"/chat/media/{photos[1].storage_key}",
                               params={"session": started["session"]})
    assert plain.status_code == 200 and plain.content == PNG


async def test_messages_without_images_have_an_empty_media_list(web: Web) -> None:
    started = await web.session()
    assert all(m["media"] == [] for m in started["messages"])


async def test_another_session_gets_404_for_the_same_image(web: Web) -> None:
    owner, other = await web.session(), await web.session()
    photo = web.save(JPEG)
    row_id = web.queue(owner["session"], Outbound("Foto", media=(photo,)))
    web.queue(other["session"], Outbound("Tanpa foto"))
    for params in ({"session": other["session"]},
                   {"session": other["session"], "message": row_id},
                   {"session": "x" * 43}):  # a session that does not exist
        response = await web.http.get(f"/chat/media/{photo.storage_key}", params=params)
        assert response.status_code == 404, params
    # The owner naming a wrong message id does not get it either.
    wrong = await web.http.get(f"/chat/media/{photo.storage_key}",
                               params={"session": owner["session"], "message": row_id + 1})
    assert wrong.status_code == 404


async def test_a_stored_file_no_message_of_the_chat_names_is_not_served(web: Web) -> None:
    started = await web.session()
    stray = web.save(PNG, "image/png")  # on disk (another chat's upload), in no message
    response = await web.http.get(f"/chat/media/{stray.storage_key}",
                                  params={"session": started["session"]})
    assert response.status_code == 404


@pytest.mark.parametrize("key", [
    "..%2F..%2Fdata%2Faduan.db", "../../etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "A" * 64 + ".jpg", "0" * 64 + ".svg", "0" * 64 + ".jpg%00.png", "0" * 63 + ".jpg",
    "x" * 200,
])
async def test_keys_that_are_not_content_hashes_are_refused(web: Web, key: str) -> None:
    started = await web.session()
    response = await web.http.get(f"/chat/media/{key}", params={"session": started["session"]})
    assert response.status_code in (404, 422), key


async def test_an_image_gone_from_disk_is_404_not_500(web: Web) -> None:
    started = await web.session()
    photo = web.save(JPEG)
    web.queue(started["session"], Outbound("Foto", media=(photo,)))
    (message,) = await web.messages(started["session"], started["cursor"])
    web.container.webchat.media.discard(photo.storage_key)
    assert (await web.http.get(message["media"][0]["url"])).status_code == 404
