"""Discovery, services and service definitions, in JSON and XML, with the spec's names."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.dialog import sample_city
from tests.open311.conftest import Open311, children, parse_xml

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description",
                    "order", "description", "values"]


async def test_discovery_names_this_endpoint_in_both_formats(o311: Open311) -> None:
    body = (await o311.get("discovery.json")).json()
    assert list(body) == ["changeset", "contact", "key_service", "endpoints"]
    assert datetime.fromisoformat(body["changeset"]).tzinfo is not None
    assert body["contact"] and "aduan admin token" in body["key_service"]
    assert body["endpoints"] == [{
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://aduan.test/open311/v2", "changeset": body["changeset"],
        "type": "production", "formats": ["text/xml", "application/json"]}]
    root = parse_xml(await o311.get("discovery.xml"))
    assert root.tag == "discovery" and [c.tag for c in root] == list(body)
    [endpoint] = root.findall("endpoints/*")
    assert endpoint.tag == "endpoint"
    assert [f.text for f in endpoint.iterfind("formats/format")] == ["text/xml",
                                                                     "application/json"]
    assert children(endpoint)["url"] == "http://aduan.test/open311/v2"


async def test_every_category_is_a_service_grouped_by_its_opd(o311: Open311) -> None:
    city = sample_city()
    services = (await o311.get("services.json")).json()
    assert [s["service_code"] for s in services] == [c.code for c in city.directory.categories]
    sampah = next(s for s in services if s["service_code"] == "sampah")
    assert list(sampah) == SERVICE_FIELDS
    assert (sampah["service_name"], sampah["metadata"], sampah["type"], sampah["group"]) == (
        "Sampah", True, "realtime", "Dinas Lingkungan Hidup")
    assert "sampah menumpuk" in sampah["keywords"].split(", ")
    root = parse_xml(await o311.get("services.xml"))
    assert root.tag == "services" and {c.tag for c in root} == {"service"}
    xml_sampah = next(children(s) for s in root if children(s)["service_code"] == "sampah")
    assert list(xml_sampah) == SERVICE_FIELDS
    assert (xml_sampah["metadata"], xml_sampah["group"]) == ("true", "Dinas Lingkungan Hidup")
    english = (await o311.get("services.json", locale="en")).json()
    assert next(s for s in english if s["service_code"] == "sampah")["service_name"] == (
        "Waste & rubbish")


async def test_a_service_definition_lists_type_and_privacy_as_single_value_lists(
        o311: Open311) -> None:
    body = (await o311.get("services/jalan_rusak.json")).json()
    assert body["service_code"] == "jalan_rusak"
    attributes = {a["code"]: a for a in body["attributes"]}
    assert list(attributes) == ["report_type", "privacy", "title", "event_date"]
    assert all(list(a) == ATTRIBUTE_FIELDS for a in body["attributes"])
    assert [a["order"] for a in body["attributes"]] == [1, 2, 3, 4]
    privacy = attributes["privacy"]
    assert (privacy["datatype"], privacy["variable"], privacy["required"]) == (
        "singlevaluelist", True, False)
    assert privacy["values"] == [{"key": "rahasia", "name": "Rahasia"},
                                 {"key": "anonim", "name": "Anonim"},
                                 {"key": "publik", "name": "Publik"}]
    assert [v["key"] for v in attributes["report_type"]["values"]] == [
        "pengaduan", "aspirasi", "permintaan_informasi"]
    assert attributes["event_date"]["datatype"] == "datetime"
    assert attributes["title"]["values"] == []
    root = parse_xml(await o311.get("services/jalan_rusak.xml"))
    assert root.tag == "service_definition"
    assert [c.tag for c in root] == ["service_code", "attributes"]
    xml_attributes = root.findall("attributes/attribute")
    assert [children(a)["code"] for a in xml_attributes] == list(attributes)
    assert [c.tag for c in xml_attributes[1]] == ATTRIBUTE_FIELDS
    assert [children(v) for v in xml_attributes[1].iterfind("values/value")] == [
        {"key": "rahasia", "name": "Rahasia"}, {"key": "anonim", "name": "Anonim"},
        {"key": "publik", "name": "Publik"}]


@pytest.mark.parametrize(("path", "description"), [
    ("services/nope.json", "service_code tidak dikenal: nope"),
    ("services/nope.xml", "service_code tidak dikenal: nope"),
    ("services.html", "Format tidak dikenal: html (gunakan json atau xml)"),
    ("requests.yaml", "Format tidak dikenal: yaml (gunakan json atau xml)"),
    ("discovery.csv", "Format tidak dikenal: csv (gunakan json atau xml)"),
    ("requests/ADU-2026-000001.txt", "Format tidak dikenal: txt (gunakan json atau xml)"),
    ("services", "Tidak ada sumber daya Open311 di alamat ini"),
    ("apa/saja.xml", "Tidak ada sumber daya Open311 di alamat ini"),
])
async def test_unknown_services_formats_and_paths_are_404(o311: Open311, path: str,
                                                          description: str) -> None:
    response = await o311.get(path)
    assert response.status_code == 404
    if path.endswith(".xml"):
        [error] = parse_xml(response)
        assert error.tag == "error" and children(error) == {"code": "404",
                                                             "description": description}
    else:
        assert response.json() == [{"code": 404, "description": description}]


async def test_public_base_url_names_the_endpoint(o311: Open311) -> None:
    o311.container.settings.public_base_url = "https://aduan.kota-contoh.go.id/"
    body = (await o311.get("discovery.json")).json()
    assert body["endpoints"][0]["url"] == "https://aduan.kota-contoh.go.id/open311/v2"
