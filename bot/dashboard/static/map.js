// Maps with the vendored Leaflet: `Peta` (#map) and a report's pin (#pin-map).
// Without a tile URL nothing is fetched: kelurahan dots give the bearings. Popups are built
// from DOM nodes with textContent, never HTML strings (titles come from citizens).
"use strict";
(function () {
  if (typeof L === "undefined") { return; }
  var COLOURS = { red: "#b91c1c", yellow: "#eab308", green: "#15803d", none: "#ffffff" };

  function base(element, tiles) {
    var map = L.map(element, { zoomControl: true, attributionControl: Boolean(tiles) });
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    }
    return map;
  }

  function kelurahan(map, places) {
    (places || []).forEach(function (k) {
      var label = document.createElement("span");
      label.textContent = k.name;
      L.circleMarker([k.lat, k.lon], { radius: 3, color: "#9ca3af", weight: 1, fillOpacity: 0.8 })
        .bindTooltip(label, { permanent: true, direction: "right", className: "kel-label" })
        .addTo(map);
    });
  }

  function popup(point) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.no;
    var title = document.createElement("div");
    title.textContent = point.title;
    var meta = document.createElement("div");
    meta.textContent = point.status + " · " + point.category;
    box.appendChild(link); box.appendChild(title); box.appendChild(meta);
    return box;
  }

  var overview = document.getElementById("map");
  var overviewData = document.getElementById("map-data");
  if (overview && overviewData) {
    var data = JSON.parse(overviewData.textContent);
    var map = base(overview, data.tiles);
    kelurahan(map, data.kelurahan);
    var bounds = [];
    data.points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 8, color: "#111827", weight: 1,
        fillColor: COLOURS[p.state] || COLOURS.none, fillOpacity: 0.9, className: "report-pin" })
        .bindPopup(popup(p)).addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (!bounds.length) { data.kelurahan.forEach(function (k) { bounds.push([k.lat, k.lon]); }); }
    if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); }
    else { map.setView([-2.5, 118], 5); }
  }

  var pin = document.getElementById("pin-map");
  var pinData = document.getElementById("pin-data");
  if (pin && pinData) {
    var at = JSON.parse(pinData.textContent);
    var small = base(pin, null);
    kelurahan(small, at.kelurahan);
    L.circleMarker([at.lat, at.lon], { radius: 10, color: "#111827", weight: 2,
      fillColor: "#0b4f8a", fillOpacity: 0.9, className: "report-pin" }).addTo(small);
    small.setView([at.lat, at.lon], 15);
  }
})();
