"""A thin async client of the WhatsApp Cloud API (Graph API) on httpx."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)


class GraphError(Exception):
    """An error answer of the Graph API, with Meta's numeric code (131047, 130429, 190 …)."""

    def __init__(self, code: int, message: str, *, subcode: int | None = None,
                 http_status: int = 400, retry_after: float | None = None,
                 details: str | None = None) -> None:
        super().__init__(f"({code}) {message}")
        self.code, self.subcode, self.message = code, subcode, message
        self.http_status, self.retry_after, self.details = http_status, retry_after, details


class GraphUnavailable(Exception):
    """No usable answer: network failure, timeout, or a 5xx without a Graph error body."""


class MediaTooLarge(Exception):
    """The download went past the size limit."""


@dataclass(frozen=True, slots=True)
class MediaInfo:
    url: str
    mime_type: str | None
    file_size: int | None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def raise_for_graph_error(response: httpx.Response) -> None:
    """Turn a non-2xx answer into `GraphError` (or `GraphUnavailable` when it is not Graph's)."""
    if response.is_success:
        return
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    if not isinstance(error, dict) or not isinstance(error.get("code"), int):
        raise GraphUnavailable(f"HTTP {response.status_code} without a Graph error body")
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    subcode = error.get("error_subcode")
    raise GraphError(
        error["code"], str(error.get("message", "")), subcode=subcode if isinstance(subcode, int) else None,
        http_status=response.status_code, retry_after=_retry_after(response),
        details=str(details) if details else None,
    )


class WhatsAppClient:
    """Sends messages from one business phone number and fetches media sent to it."""

    def __init__(self, base_url: str, version: str, phone_number_id: str, access_token: str,
                 timeout: httpx.Timeout = DEFAULT_TIMEOUT,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._phone_number_id = phone_number_id
        self._auth = {"Authorization": f"Bearer {access_token}"}
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/{version.strip('/')}/", headers=self._auth,
            timeout=timeout, transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(self, to: str, kind: str, content: dict[str, Any]) -> str:
        """POST one message of type `kind`; returns its WhatsApp message id (wamid)."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                "type": kind, kind: content}
        try:
            response = await self._http.post(f"{self._phone_number_id}/messages", json=body)
        except httpx.HTTPError as exc:
            raise GraphUnavailable(type(exc).__name__) from exc
        raise_for_graph_error(response)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GraphUnavailable("send answer without a message id") from exc

    async def send_text(self, to: str, body: str) -> str:
        return await self.send(to, "text", {"body": body, "preview_url": False})

    async def send_buttons(self, to: str, body: str, buttons: Sequence[tuple[str, str]]) -> str:
        """Reply buttons: (id, title) pairs, at most 3, titles at most 20 characters."""
        return await self.send(to, "interactive", {
            "type": "button", "body": {"text": body},
            "action": {"buttons": [{"type": "reply", "reply": {"id": button_id, "title": title}}
                                   for button_id, title in buttons]},
        })

    async def send_list(self, to: str, body: str, button: str,
                        rows: Sequence[tuple[str, str, str | None]]) -> str:
        """A list message with one section: (id, title, description) rows, at most 10."""
        return await self.send(to, "interactive", {
            "type": "list", "body": {"text": body},
            "action": {"button": button, "sections": [{"rows": [
                {"id": row_id, "title": title, **({"description": text} if text else {})}
                for row_id, title, text in rows
            ]}]},
        })

    async def send_location_request(self, to: str, body: str) -> str:
        return await self.send(to, "interactive", {
            "type": "location_request_message", "body": {"text": body},
            "action": {"name": "send_location"},
        })

    async def send_template(self, to: str, name: str, language: str,
                            parameters: Sequence[str]) -> str:
        return await self.send(to, "template", {
            "name": name, "language": {"code": language},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": value} for value in parameters
            ]}],
        })

    async def send_image(self, to: str, media_id: str) -> str:
        """An image message showing a file uploaded with `upload_media`."""
        return await self.send(to, "image", {"id": media_id})

    async def upload_media(self, data: bytes, content_type: str, filename: str) -> str:
        """POST a file to `{phone_number_id}/media`; returns the media id to send it by."""
        try:
            response = await self._http.post(
                f"{self._phone_number_id}/media",
                data={"messaging_product": "whatsapp", "type": content_type},
                files={"file": (filename, data, content_type)}, timeout=UPLOAD_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise GraphUnavailable(type(exc).__name__) from exc
        raise_for_graph_error(response)
        try:
            return str(response.json()["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise GraphUnavailable("upload answer without a media id") from exc

    async def get_media(self, media_id: str) -> MediaInfo:
        """Where to download a media id from (the URL is valid for a few minutes)."""
        try:
            response = await self._http.get(media_id, params={
                "phone_number_id": self._phone_number_id})
        except httpx.HTTPError as exc:
            raise GraphUnavailable(type(exc).__name__) from exc
        raise_for_graph_error(response)
        try:
            data = response.json()
            size = data.get("file_size")
            return MediaInfo(str(data["url"]), data.get("mime_type"),
                             int(size) if size is not None else None)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise GraphUnavailable("media answer without a url") from exc

    async def download(self, url: str, max_bytes: int) -> bytes:
        """GET a media URL with the bearer token, refusing to read past `max_bytes`."""
        if not url.startswith(("https://", "http://")):
            raise GraphUnavailable("media url is not http(s)")
        chunks: list[bytes] = []
        received = 0
        try:
            async with self._http.stream("GET", url, headers=self._auth) as response:
                if not response.is_success:
                    await response.aread()
                    raise_for_graph_error(response)
                async for chunk in response.aiter_bytes():
                    received += len(chunk)
                    if received > max_bytes:
                        raise MediaTooLarge(f"more than {max_bytes} bytes")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise GraphUnavailable(type(exc).__name__) from exc
        return b"".join(chunks)
