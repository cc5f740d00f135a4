/* Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
 * (written by Django's json_script filter): {"type": "line", "labels": [...], "datasets": [...],
 * "options": {...}}. No inline script, so the pages satisfy a strict Content-Security-Policy.
 * Each canvas should sit next to a table or text with the same figures, for screen readers and
 * for when scripts do not run. */
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, spec.options || {}),
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
