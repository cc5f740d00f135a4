/* Start Swagger UI (from drf-spectacular-sidecar) on the schema named in #swagger-ui's data-schema: a file of our
 * own, since the portal's CSP allows no inline script. Writes tried from the page carry the CSRF token that a
 * logged-in member of staff needs; a partner system's key goes in through "Authorize". */
(function () {
  "use strict";
  function csrfToken() {  // from the cookie the admin's login set: the page itself stays cacheable, cookie-free
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Swagger UI leaves the request body's text box of "Try it out" and the servers' list (the schema names its
  // servers) without a name: give them one as they appear.
  function labelBodyFields(element) {
    new MutationObserver(function () {
      element.querySelectorAll("textarea.body-param__text:not([aria-label])").forEach(function (field) {
        field.setAttribute("aria-label", element.dataset.bodyLabel);
      });
      element.querySelectorAll("select#servers:not([aria-label])").forEach(function (field) {
        field.setAttribute("aria-label", element.dataset.serversLabel);
      });
    }).observe(element, { childList: true, subtree: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("swagger-ui");
    if (!element || typeof SwaggerUIBundle === "undefined") return;
    labelBodyFields(element);
    SwaggerUIBundle({
      url: element.dataset.schema,
      domNode: element,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      validatorUrl: null, // Swagger UI would ask an outside validator about our schema
      deepLinking: false, // a deep link inside each operation's toggle button is a control within a control
      docExpansion: "list",
      defaultModelsExpandDepth: 0,
      syntaxHighlight: false, // its colour themes fall below 4.5:1 contrast; plain white on dark reads well
      requestInterceptor: function (request) {
        if (request.method && request.method !== "GET" && request.credentials === "same-origin") {
          request.headers["X-CSRFToken"] = csrfToken();
        }
        return request;
      },
    });
  });
})();
