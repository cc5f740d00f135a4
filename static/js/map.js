/* The infrastructure map. It orients without internet: the city boundary and district outlines that the office
 * uploaded (data-boundaries) are drawn under the points, and a tile server is used only when one is configured
 * (data-tiles), since a closed government network reaches none. Points come from the GeoJSON endpoint
 * (data-geojson) one view at a time: the map asks for its box and zoom, and the server answers with the assets
 * there, nearby ones already grouped per kind (pillars/geojson.py), so a view stays small at any number of
 * assets. One layer per asset kind, grouped on its own, so a kind with few points (CCTV, Wi-Fi) stays visible
 * beside one with many (towers); selecting a group zooms in on it. Every point and group is at least 24 px, a
 * finger's target (WCAG 2.5.8). Beside the map (below it on a phone) a list names what the view shows, and follows
 * each pan and zoom: a point opens its popup, a group zooms in. The office may upload a base map (data-basemap): a
 * PMTiles file of raster tiles served by the portal itself, which the pmtiles package reads a byte range at a time
 * and draws under the outlines. */
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
  var LABELS = { kinds: {}, statuses: {}, in_view: {} };
  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function kindLabel(p) { return LABELS.kinds[p.kind] || p.kind_label; }

  function popup(p) {
    var box = document.createElement("div");
    box.appendChild(text("strong", "", p.name));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(kindLabel(p) + " · " + (LABELS.statuses[p.status] || p.status_label)));
    if (p.kelurahan) box.appendChild(document.createTextNode(" · " + p.kelurahan));
    return box;
  }

  // A group of points, drawn with its count and named by kind for a screen reader ("CCTV: 12"). The groups of
  // one grid cell sit around its centre, one corner per kind, so that they never cover each other.
  var CORNERS = { wifi: [-1, -1], cctv: [1, -1], tower: [-1, 1], fiber: [1, 1], command_center: [0, -1], other: [0, 1] };
  function clusterIcon(kind, label, count) {
    var size = count < 10 ? 28 : count < 100 ? 32 : 38;
    var corner = CORNERS[kind] || [0, 0];
    var html = document.createElement("span");
    html.appendChild(text("span", "visually-hidden", label + ": "));
    html.appendChild(document.createTextNode(String(count)));
    return L.divIcon({
      className: "asset-cluster kind-" + kind,
      html: html,
      iconSize: [size, size],
      iconAnchor: [size / 2 - corner[0] * 18, size / 2 - corner[1] * 18],
    });
  }

  // One layer per kind, refilled with each view's answer, so the layer control keeps what the reader chose.
  function kindLayers() {
    var layers = {};
    Object.keys(COLOURS).forEach(function (kind) {
      layers[kind] = L.featureGroup();
    });
    return layers;
  }

  function fill(map, layers, data) {
    Object.keys(layers).forEach(function (kind) { layers[kind].clearLayers(); });
    var entries = [];
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var kind = COLOURS[p.kind] ? p.kind : "other";
      var label = kindLabel(p);
      var c = feature.geometry.coordinates;
      var at = [c[1], c[0]];
      var marker;
      if (p.cluster) {
        marker = L.marker(at, { icon: clusterIcon(kind, label, p.count), title: label + ": " + p.count })
          .on("click", function () { zoomIn(map, at); })
          .addTo(layers[kind]);
      } else {
        var icon = L.divIcon({ className: "asset-point kind-" + kind, iconSize: [POINT_SIZE, POINT_SIZE] });
        marker = L.marker(at, { icon: icon, title: p.name + " (" + label + ")" }).bindPopup(popup(p)).addTo(layers[kind]);
      }
      entries.push({ kind: kind, label: label, p: p, at: at, marker: marker });
    });
    map.inView = entries;
    listInView(map, layers);
  }

  var POINT_SIZE = 24;  // px: the smallest target a finger hits reliably
  var LISTED = 40;  // rows in the list of what the view shows; past that, the reader zooms in

  function zoomIn(map, at) {
    map.setView(at, Math.min(map.getZoom() + 2, map.getMaxZoom()));
  }

  // The list beside the map: what the view shows (the answer covers a box snapped outward, so it is cut to the
  // view) of the layers the reader keeps on, points by name and groups by kind.
  function listInView(map, layers) {
    var list = document.getElementById("in-view-list");
    var summary = document.getElementById("in-view-summary");
    if (!list || !summary) return;
    var bounds = map.getBounds();
    var shown = (map.inView || []).filter(function (e) {
      return bounds.contains(e.at) && map.hasLayer(layers[e.kind]);
    });
    shown.sort(function (a, b) {
      return a.label.localeCompare(b.label) || (a.p.name || "").localeCompare(b.p.name || "");
    });
    var total = shown.reduce(function (sum, e) { return sum + (e.p.cluster ? e.p.count : 1); }, 0);
    var words = LABELS.in_view;
    var count = total.toLocaleString(document.documentElement.lang);
    summary.textContent = total ? say(words.summary, { count: count }) : words.none;
    list.replaceChildren();
    shown.slice(0, LISTED).forEach(function (e) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "in-view-item";
      button.appendChild(kindDot(e.kind));
      if (e.p.cluster) {
        button.appendChild(document.createTextNode(say(words.group, { kind: e.label, count: e.p.count })));
        button.addEventListener("click", function () { zoomIn(map, e.at); });
      } else {
        button.appendChild(document.createTextNode(e.p.name + " · " + e.label + (e.p.kelurahan ? " · " + e.p.kelurahan : "")));
        button.addEventListener("click", function () { e.marker.openPopup(); });
      }
      item.appendChild(button);
      list.appendChild(item);
    });
    if (shown.length > LISTED) {
      list.appendChild(text("li", "in-view-more", say(words.more, { count: shown.length - LISTED })));
    }
  }

  function kindDot(kind) {
    var dot = text("span", "kind-dot kind-" + kind, "");
    dot.setAttribute("aria-hidden", "true");
    return dot;
  }

  // The box asked for is snapped outward to the server's grouping grid (pillars/geojson.py, its cell size in
  // pixels in data-grid-pixels), so nearby views ask the same URL and share the public cache's answer.
  function viewURL(element, map) {
    var base = element.dataset.geojson.replace(/\?$/, "");
    var zoom = Math.round(map.getZoom());
    var step = 360 / (Math.pow(2, zoom) * 256 / Number(element.dataset.gridPixels || 64));
    var b = map.getBounds();
    function down(v, low) { return Math.max(low, Math.floor(v / step) * step); }
    function up(v, high) { return Math.min(high, Math.ceil(v / step) * step); }
    var west = down(b.getWest(), -180), south = down(b.getSouth(), -90);
    var east = up(b.getEast(), 180), north = up(b.getNorth(), 90);
    if (east <= west) east = Math.min(180, west + step);
    if (north <= south) north = Math.min(90, south + step);
    var box = [west, south, east, north].map(function (v) { return v.toFixed(6); }).join(",");
    return base + (base.indexOf("?") < 0 ? "?" : "&") + "bbox=" + box + "&zoom=" + zoom;
  }

  // An area's page (data-focus-code, data-focus-name) frames its district's outline: by code, or by name when the
  // outline was uploaded without one.
  function isFocus(element, p) {
    var code = element.dataset.focusCode, name = (element.dataset.focusName || "").toLowerCase();
    if (p.kind !== "district" || (!code && !name)) return false;
    return p.code ? p.code === code : (p.name || "").toLowerCase() === name;
  }

  function outlineLayers(data, element, background) {
    var layers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (!layers[p.kind_label]) layers[p.kind_label] = L.featureGroup();
      var style = OUTLINES[p.kind] || OUTLINES.district;
      if (background) style = L.extend({}, style, { fill: false });  // the city's fill would hide the background
      var shape = L.geoJSON(feature, { style: style, interactive: false });
      if (isFocus(element, p)) element.focusBounds = shape.getBounds();
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
    Object.keys(outlines).forEach(function (name) {
      outlines[name].addTo(map);
      overlays[name] = outlines[name];
    });
    Object.keys(points).forEach(function (kind) {
      points[kind].addTo(map);
      overlays[LABELS.kinds[kind] || kind] = points[kind];
    });
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 640 }).addTo(map);
    map.on("overlayadd overlayremove", function () { listInView(map, points); });
    var toggle = element.querySelector(".leaflet-control-layers-toggle");
    if (toggle) {  // Leaflet names its collapsed control in English only
      toggle.title = element.dataset.layersLabel;
      toggle.setAttribute("aria-label", element.dataset.layersLabel);
    }
    // Frame the city by its outlines (an area's page: its district); the points of the framed view come next.
    var bounds = element.focusBounds || L.featureGroup(Object.values(outlines)).getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], animate: false });
  }

  // Each view asks only for its own box (a latest-wins refresh after the map stops moving).
  function follow(map, element, points) {
    var asked = 0, timer = null;
    function refresh() {
      var ask = ++asked;
      getJSON(viewURL(element, map)).then(function (data) {
        if (ask === asked) fill(map, points, data);
      });
    }
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    refresh();
  }

  // District names overlap when zoomed out: they show from zoom LABELS_FROM on.
  var LABELS_FROM = 13;
  function toggleLabels(map, element) {
    element.classList.toggle("district-labels-hidden", map.getZoom() < LABELS_FROM);
  }

  // The office's text, shown as text: Leaflet writes an attribution as HTML.
  function escaped(value) {
    var box = document.createElement("span");
    box.textContent = value;
    return box.innerHTML;
  }

  // The base map (data-basemap, data-basemap-zoom "min,max", data-basemap-bounds "west,south,east,north"): tiles of
  // its own zoom levels, enlarged past the highest, none outside its box or below its lowest zoom.
  function addBaseMap(map, element) {
    if (!element.dataset.basemap || typeof pmtiles === "undefined") return false;
    var zoom = element.dataset.basemapZoom.split(",").map(Number);
    var box = element.dataset.basemapBounds.split(",").map(Number);
    var layer = pmtiles.leafletRasterLayer(new pmtiles.PMTiles(element.dataset.basemap), {
      attribution: escaped(element.dataset.basemapAttribution || ""),
      minZoom: zoom[0],
      maxNativeZoom: zoom[1],
      maxZoom: map.getMaxZoom(),
      bounds: L.latLngBounds([box[1], box[0]], [box[3], box[2]]),
    });
    // A tile is a picture of the background, nothing for a screen reader (as Leaflet's own tile layer marks it).
    layer.on("tileloadstart", function (event) {
      event.tile.alt = "";
      event.tile.setAttribute("role", "presentation");
    });
    layer.addTo(map);
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("asset-map");
    if (!element || typeof L === "undefined") return;
    var labels = document.getElementById("map-labels");
    if (labels) LABELS = JSON.parse(labels.textContent);
    var map = L.map(element, { maxZoom: 18 }).setView([-0.9471, 100.4172], 12);
    map.on("zoomend", function () { toggleLabels(map, element); });
    toggleLabels(map, element);
    var background = addBaseMap(map, element);
    if (element.dataset.tiles && !background) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution || "" }).addTo(map);
      background = true;
    }
    var points = kindLayers();
    getJSON(element.dataset.boundaries)
      .then(function (outlines) { draw(map, element, outlineLayers(outlines, element, background), points); })
      .catch(function () { draw(map, element, {}, points); })
      .then(function () { follow(map, element, points); });
  });
})();
