/* A program's sub-dimensions follow its pillar (smartcity/widgets.py PillarSubDimensionSelect): only the chosen
   pillar's sub-dimensions are shown, and a ticked one of another pillar is unticked when the pillar changes.
   The writer still refuses a sub-dimension of another pillar; this only saves staff the round trip. */
(function () {
  "use strict";

  function setUp(picker) {
    var form = picker.closest("form");
    var pillar = form && form.querySelector('[name="' + picker.getAttribute("data-pillar-input") + '"]');
    var data = document.getElementById(picker.getAttribute("data-map-id"));
    if (!pillar || !data) {
      return;
    }
    var map = JSON.parse(data.textContent);
    var hint = picker.querySelector(".subdimension-hint");

    function follow(untick) {
      var allowed = (map[pillar.value] || []).map(String);
      picker.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        var fits = allowed.indexOf(box.value) !== -1;
        var row = box.closest("label").parentElement;
        row.hidden = !fits;
        if (!fits && untick) {
          box.checked = false;
        }
      });
      if (hint) {
        hint.hidden = allowed.length > 0;
      }
    }

    pillar.addEventListener("change", function () {
      follow(true);
    });
    follow(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".subdimension-picker").forEach(setUp);
  });
})();
