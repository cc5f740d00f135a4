/* The main menu folds behind a "Menu" button on narrow screens (CSS decides when, see site.css). The fold is
 * drawn before the first paint: an inline script in <head> (settings.HEAD_SCRIPT) puts the `js` class on <html>,
 * which folds the menu in CSS, so nothing moves once this runs. Without scripts the class never comes, the menu
 * stays open and wraps, and every link is still reachable. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        toggle.setAttribute("aria-expanded", "false");
        nav.classList.remove("open");
        toggle.focus();
      }
    });
  });
})();
