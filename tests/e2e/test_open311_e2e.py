"""An Open311 client written apart from the server round-trips a report against the real
`aduan serve` process: POST with a key, then GET it by id and in the list, JSON and XML."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.conftest import Server
from tests.e2e.open311_client import GeoReportClient, GeoReportError

DESCRIPTION = "Got di depan SD 12 tersumbat sampah, air meluap ke jalan setiap hujan turun."


def new_key(server: Server) -> str:
    """A key as the operator makes one: `aduan admin token --name N`."""
    done = subprocess.run([sys.executable, "-m", "bot.cli", "admin", "token", "--name", "e2e"],
                          env=server.env, capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.strip()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_posts_a_report_and_finds_it_again(server: Server, fmt: str) -> None:
    endpoint = f"{server.url}/open311/v2"
    key = new_key(server)
    public, keyed = GeoReportClient(endpoint, fmt=fmt), GeoReportClient(endpoint, key, fmt)
    try:
        [found] = public.discovery()["endpoints"]
        assert found["url"] == endpoint
        codes = {s["service_code"] for s in public.services()}
        assert "drainase_banjir" in codes
        definition = public.service_definition("drainase_banjir")
        privacy = next(a for a in definition["attributes"] if a["code"] == "privacy")
        assert "rahasia" in [v["key"] for v in privacy["values"]]

        answer = keyed.create("drainase_banjir", DESCRIPTION, lat="-0.9140", long="100.3490",
                              email="warga@contoh.id", first_name="Warga",
                              attributes={"report_type": "pengaduan"})
        number = answer["service_request_id"]
        assert number.startswith("ADU-") and answer["service_notice"]
        assert keyed.token(answer["token"])["service_request_id"] == number

        mine = keyed.request(number)
        assert (mine["status"], mine["service_code"], mine["description"]) == (
            "open", "drainase_banjir", DESCRIPTION)
        assert float(mine["lat"]) == pytest.approx(-0.914)
        assert number in [r["service_request_id"] for r in keyed.requests(status="open")]
        assert "warga@contoh.id" not in str(keyed.requests())
        # Confidential unless asked otherwise: not for anyone without a key.
        assert number not in [r["service_request_id"] for r in public.requests()]
        with pytest.raises(GeoReportError) as hidden:
            public.request(number)
        assert hidden.value.status == 404
        with pytest.raises(GeoReportError) as refused:
            public.create("drainase_banjir", DESCRIPTION, attributes={})
        assert refused.value.status == 403 and refused.value.errors[0]["description"]
    finally:
        public.close()
        keyed.close()
