/* The infrastructure map. It orients without internet: the city boundary and district outlines that the office
 * uploaded (data-boundaries) are drawn under the points, and a tile server is used only when one is configured
 * (data-tiles), since a closed government network reaches none. Points come from the GeoJSON endpoint
 * (data-geojson), one layer per asset kind, each clustered on its own (Leaflet.markercluster), so a kind with
 * few points (CCTV, Wi-Fi) stays visible beside one with many (towers). */
(function () {
  "use strict";
  var COLOURS = { cctv: "#be123c", wifi: "#1d4ed8", tower: "#b45309", fiber: "#7e22ce", command_center: "#047857", other: "#475569" };
  var OUTLINES = {
    city: { color: "#0f172a", weight: 2.5, fillColor: "#f8fafc", fillOpacity: 1 },
    district: { color: "#64748b", weight: 1.5, dashArray: "4 4", fill: false },
  };

  function text(tag, className, content) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = content;
    return element;
  }

  // Kind and state names in the page's language (the GeoJSON endpoint has no language prefix).
  var LABELS = { kinds: {}, statuses: {} };
  function kindLabel(p) { return LABELS.kinds[p.kind] || p.kind_label; }

  function popup(p) {
    var box = document.createElement("div");
    box.appendChild(text("strong", "", p.name));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(kindLabel(p) + " · " + (LABELS.statuses[p.status] || p.status_label)));
    if (p.kelurahan) box.appendChild(document.createTextNode(" · " + p.kelurahan));
    return box;
  }

  // A group of points: its count, named by kind for a screen reader ("CCTV: 12").
  function clusterIcon(kind, label) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? 32 : count < 50 ? 38 : 44;
      var html = document.createElement("span");
      html.appendChild(text("span", "visually-hidden", label + ": "));
      html.appendChild(document.createTextNode(String(count)));
      return L.divIcon({ className: "asset-cluster kind-" + kind, html: html, iconSize: [size, size] });
    };
  }

  function pointLayers(data) {
    var layers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var kind = COLOURS[p.kind] ? p.kind : "other";
      var label = kindLabel(p);
      if (!layers[label]) {
        layers[label] = L.markerClusterGroup({
          iconCreateFunction: clusterIcon(kind, label),
          showCoverageOnHover: false,
          maxClusterRadius: 45,
        });
      }
      var c = feature.geometry.coordinates;
      var icon = L.divIcon({ className: "asset-point kind-" + kind, iconSize: [16, 16] });
      L.marker([c[1], c[0]], { icon: icon, title: p.name + " (" + label + ")" })
        .bindPopup(popup(p))
        .addTo(layers[label]);
    });
    return layers;
  }

  function outlineLayers(data) {
    var layers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (!layers[p.kind_label]) layers[p.kind_label] = L.featureGroup();
      var shape = L.geoJSON(feature, { style: OUTLINES[p.kind] || OUTLINES.district, interactive: false });
      if (p.kind === "district") {
        shape.bindTooltip(p.name, { permanent: true, direction: "center", className: "district-label" });
      }
      shape.addTo(layers[p.kind_label]);
    });
    return layers;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) throw new Error(url + " answered " + response.status);
      return response.json();
    });
  }

  function draw(map, element, outlines, points) {
    var overlays = {};
    var all = Object.assign({}, outlines, points);
    Object.keys(all).forEach(function (name) {
      all[name].addTo(map);
      overlays[name] = all[name];
    });
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 640 }).addTo(map);
    var toggle = element.querySelector(".leaflet-control-layers-toggle");
    if (toggle) {  // Leaflet names its collapsed control in English only
      toggle.title = element.dataset.layersLabel;
      toggle.setAttribute("aria-label", element.dataset.layersLabel);
    }
    // Frame the points (the outlines around them give the context), or the outlines when there is no point.
    var bounds = L.featureGroup(Object.values(points)).getBounds();
    if (!bounds.isValid()) bounds = L.featureGroup(Object.values(outlines)).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16] });
  }

  // District names overlap when zoomed out: they show from zoom LABELS_FROM on.
  var LABELS_FROM = 13;
  function toggleLabels(map, element) {
    element.classList.toggle("district-labels-hidden", map.getZoom() < LABELS_FROM);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("asset-map");
    if (!element || typeof L === "undefined" || !L.markerClusterGroup) return;
    var labels = document.getElementById("map-labels");
    if (labels) LABELS = JSON.parse(labels.textContent);
    var map = L.map(element, { maxZoom: 18 }).setView([-0.9471, 100.4172], 12); // clustering needs a maxZoom
    map.on("zoomend", function () { toggleLabels(map, element); });
    toggleLabels(map, element);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    Promise.all([getJSON(element.dataset.boundaries), getJSON(element.dataset.geojson)]).then(function (answers) {
      draw(map, element, outlineLayers(answers[0]), pointLayers(answers[1]));
    });
  });
})();
