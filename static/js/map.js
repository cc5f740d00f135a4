/* The infrastructure map: one Leaflet layer per asset kind, from the GeoJSON endpoint named in the
 * map element's data-geojson. Tiles only when a tile server is configured (data-tiles), since a closed
 * government network reaches none; the markers and the list below work either way. */
(function () {
  "use strict";
  var COLOURS = { cctv: "#be123c", wifi: "#1d4ed8", tower: "#b45309", fiber: "#7e22ce", command_center: "#047857", other: "#475569" };

  function popup(p) {
    var text = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name;
    text.appendChild(title);
    text.appendChild(document.createElement("br"));
    text.appendChild(document.createTextNode(p.kind_label + " · " + p.status_label));
    if (p.kelurahan) text.appendChild(document.createTextNode(" · " + p.kelurahan));
    return text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("asset-map");
    if (!element || typeof L === "undefined") return;
    var map = L.map(element).setView([-0.9471, 100.4172], 12);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layers = {};
        data.features.forEach(function (feature) {
          var p = feature.properties;
          if (!layers[p.kind_label]) layers[p.kind_label] = L.layerGroup().addTo(map);
          var c = feature.geometry.coordinates;
          L.circleMarker([c[1], c[0]], { radius: 7, weight: 2, color: "#fff", fillColor: COLOURS[p.kind] || COLOURS.other, fillOpacity: 0.9 })
            .bindPopup(popup(p))
            .addTo(layers[p.kind_label]);
        });
        L.control.layers(null, layers, { collapsed: false }).addTo(map);
        var all = Object.keys(layers).map(function (k) { return layers[k]; });
        if (all.length) {
          var bounds = L.featureGroup(all.reduce(function (acc, g) { return acc.concat(g.getLayers()); }, [])).getBounds();
          if (bounds.isValid()) map.fitBounds(bounds.pad(0.1));
        }
      });
  });
})();
