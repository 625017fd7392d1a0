// Tumbuh: small progressive enhancements; every page works without JavaScript.
// HTMX sends the CSRF token from the hx-headers attribute on <body>.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrf_token]");
  if (token && !event.detail.headers["X-CSRF-Token"]) {
    event.detail.headers["X-CSRF-Token"] = token.value;
  }
});
