// Tumbuh: small progressive enhancements; every page works without JavaScript.
// HTMX sends the CSRF token from the hx-headers attribute on <body>.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrf_token]");
  if (token && !event.detail.headers["X-CSRF-Token"]) {
    event.detail.headers["X-CSRF-Token"] = token.value;
  }
});
// Forms that take a while (checking or importing a file) say so and cannot be sent twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var busy = form.getAttribute && form.getAttribute("data-busy");
  if (!busy) { return; }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    button.textContent = busy;
  });
});
// The print button of a printable list (inline scripts are not allowed).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
// A filter that applies as soon as it is chosen (the tick list's posyandu).
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
