// Interactive map: Leaflet over the packaged kecamatan/kelurahan boundaries, no tiles.
// The server-side SVG map stays in place when Leaflet or the data cannot load.
(function () {
  var box = document.getElementById("map");
  if (!box || typeof L === "undefined") { return; }
  var url = box.getAttribute("data-geojson");
  fetch(url, { credentials: "same-origin" })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      var fallback = box.innerHTML;
      box.innerHTML = "";
      box.classList.add("leaflet-container");
      try {
        var map = L.map(box, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return { color: "#ffffff", weight: 1, fillColor: feature.properties.fill, fillOpacity: 0.9 };
          },
          onEachFeature: function (feature, shape) {
            var p = feature.properties;
            var value = p.percent === null ? "–" : p.percent.toFixed(2).replace(".", document.documentElement.lang === "id" ? "," : ".") + "%";
            shape.bindTooltip(p.nama + ": " + value, { sticky: true });
            if (p.url) {
              shape.on("click", function () { window.location.href = p.url; });
              shape.on("mouseover", function () { shape.setStyle({ weight: 3, color: "#333333" }); });
              shape.on("mouseout", function () { layer.resetStyle(shape); });
            }
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        box.setAttribute("data-ready", "leaflet");
      } catch (error) {
        box.classList.remove("leaflet-container");
        box.innerHTML = fallback;
      }
    })
    .catch(function () { /* keep the SVG map */ });
})();
