// Kepatuhan SLA charts, drawn by the vendored Chart.js from the JSON the page carries.
"use strict";
(function () {
  var source = document.getElementById("sla-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var ink = "#111827", grid = "#e5e7eb";
  Chart.defaults.font.size = 15;
  Chart.defaults.color = ink;
  Chart.defaults.animation = false;
  var common = { responsive: true, maintainAspectRatio: false,
    plugins: { legend: { labels: { boxWidth: 16 } } } };
  var single = Object.assign({}, common, { plugins: { legend: { display: false } } });

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }
  draw("chart-weekly", { type: "bar", data: { labels: data.weekly.labels, datasets: [
      { label: data.weekly.label, data: data.weekly.values, backgroundColor: "#0b4f8a" }] },
    options: Object.assign({}, single, { scales: {
      y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: grid } },
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true } } } }) });
  draw("chart-on-time", { type: "bar", data: { labels: data.on_time.labels, datasets: [
      { label: data.on_time.verified_label, data: data.on_time.verified, backgroundColor: "#6d28d9" },
      { label: data.on_time.answered_label, data: data.on_time.answered, backgroundColor: "#15803d" }] },
    options: Object.assign({}, common, { indexAxis: "y", scales: {
      x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } }, grid: { color: grid } },
      y: { grid: { display: false } } } }) });
  draw("chart-overdue", { type: "bar", data: { labels: data.overdue.labels, datasets: [
      { label: data.overdue.label, data: data.overdue.values, backgroundColor: "#b91c1c" }] },
    options: Object.assign({}, single, { indexAxis: "y", scales: {
      x: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: grid } }, y: { grid: { display: false } } } }) });
})();
