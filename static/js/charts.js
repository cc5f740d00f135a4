/* Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
 * (written by Django's json_script filter): {"type": "line", "labels": [...], "datasets": [...],
 * "options": {...}, "format": {"locale", "unit", "prefix", "decimals", "compact"}, "horizontal_on_phone"}.
 * No inline script, so the pages satisfy a strict Content-Security-Policy.
 *
 * Numbers: each dataset may carry `formatted`, its values as the server writes them (smartcity.numbers),
 * which the tooltips show as they are; the axis ticks use the page's locale (Intl.NumberFormat) and unit,
 * so /en/ reads "1,250" and "91.4 %", / reads "1.250" and "91,4 %", and money axes "Rp1,3 M".
 * Each canvas should sit next to a table or text with the same figures, for screen readers and for
 * when scripts do not run. */
(function () {
  "use strict";
  var NBSP = "\u00a0";

  function tickFormatter(format) {
    var numbers = new Intl.NumberFormat(format.locale, {
      maximumFractionDigits: format.decimals,
      notation: format.compact ? "compact" : "standard",
    });
    return function (value) {
      var text = numbers.format(value);
      if (!format.unit) return text;
      return format.prefix ? format.unit + text : text + NBSP + format.unit;
    };
  }

  function tooltipLabel(context) {
    var shown = context.dataset.formatted ? context.dataset.formatted[context.dataIndex] : context.formattedValue;
    return context.dataset.label ? context.dataset.label + ": " + shown : shown;
  }

  function numberOptions(spec, narrow) {
    var format = spec.format || { locale: document.documentElement.lang || "id", unit: "", decimals: 2 };
    var options = spec.options || {};
    var scales = options.scales || {};
    // Bars with long names (pillars) lie down on a phone, so their names read without tilting the head.
    var sideways = narrow && spec.horizontal_on_phone;
    var value = sideways ? "x" : "y";
    scales[value] = Object.assign({}, scales.y || {});
    if (sideways) {
      delete scales.y;
      options.indexAxis = "y";
    }
    scales[value].ticks = Object.assign({ callback: tickFormatter(format) }, scales[value].ticks || {});
    var plugins = options.plugins || {};
    plugins.tooltip = Object.assign({ callbacks: { label: tooltipLabel } }, plugins.tooltip || {});
    plugins.legend = Object.assign({ position: narrow ? "bottom" : "top" }, plugins.legend || {});
    return Object.assign({}, options, { locale: format.locale, scales: scales, plugins: plugins });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var narrow = window.matchMedia("(max-width: 639px)").matches;
    if (narrow) Chart.defaults.font.size = 13;
    new Chart(canvas, {
      type: spec.type || "line",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: Object.assign(
        { responsive: true, maintainAspectRatio: false, animation: false },
        numberOptions(spec, narrow)
      ),
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
