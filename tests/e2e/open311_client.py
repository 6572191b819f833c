"""A GeoReport v2 client written from the spec alone (wiki.open311.org/GeoReport_v2): httpx
and the standard library, nothing of the server's. It reads both formats into the same
plain dicts and lists, as the spec maps XML to JSON."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx

# In XML a list is an element holding one element per item (the spec's examples).
LISTS = {"services": "service", "service_requests": "request", "errors": "error",
         "attributes": "attribute", "values": "value", "endpoints": "endpoint",
         "formats": "format"}


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"HTTP {status}: {errors}")
        self.status, self.errors = status, errors


def from_xml(element: ET.Element) -> Any:
    if element.tag in LISTS:
        return [from_xml(child) for child in element]
    if len(element) == 0:
        return element.text
    return {child.tag: from_xml(child) for child in element}


class GeoReportClient:
    """GET services, a service definition, requests and one request; POST a request; GET a
    token — in `fmt` (json or xml), with an optional api_key."""

    def __init__(self, endpoint: str, api_key: str | None = None, fmt: str = "json") -> None:
        self.endpoint, self.api_key, self.fmt = endpoint.rstrip("/"), api_key, fmt
        self.http = httpx.Client(timeout=15)

    def close(self) -> None:
        self.http.close()

    def _answer(self, response: httpx.Response) -> Any:
        if self.fmt == "xml":
            assert response.headers["content-type"].startswith("text/xml")
            body = from_xml(ET.fromstring(response.content))
        else:
            assert response.headers["content-type"].startswith("application/json")
            body = response.json()
        if response.status_code >= 400:
            raise GeoReportError(response.status_code, body)
        return body

    def _get(self, resource: str, **params: str) -> Any:
        if self.api_key:
            params["api_key"] = self.api_key
        return self._answer(self.http.get(f"{self.endpoint}/{resource}.{self.fmt}",
                                          params=params))

    def discovery(self) -> dict[str, Any]:
        body: dict[str, Any] = self._get("discovery")
        return body

    def services(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._get("services")
        return found

    def service_definition(self, code: str) -> dict[str, Any]:
        found: dict[str, Any] = self._get(f"services/{code}")
        return found

    def create(self, service_code: str, description: str, *, attributes: dict[str, str],
               **fields: str) -> dict[str, Any]:
        """POST Service Request, form-encoded as the spec says; the one answer."""
        form = {"service_code": service_code, "description": description, **fields,
                **{f"attribute[{code}]": value for code, value in attributes.items()}}
        if self.api_key:
            form["api_key"] = self.api_key
        [answer] = self._answer(self.http.post(f"{self.endpoint}/requests.{self.fmt}",
                                               data=form))
        return dict(answer)

    def requests(self, **filters: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._get("requests", **filters)
        return found

    def request(self, service_request_id: str) -> dict[str, Any]:
        [found] = self._get(f"requests/{service_request_id}")
        return dict(found)

    def token(self, token: str) -> dict[str, Any]:
        [found] = self._get(f"tokens/{token}")
        return dict(found)
