// The live total of a monthly report: the sum of the four parts, in cents to avoid float drift.
// The total stays editable; the server recomputes it and refuses a total that is not the sum.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var parts = form.querySelectorAll("[data-report-part]");
  var total = form.querySelector("[data-report-total]");
  var warning = document.getElementById("total-mismatch");
  // The server's refusal beside the total, when the page comes back with one: it says the same as the live
  // warning, which stays hidden until the figures are edited and the refusal no longer holds.
  var refusal = document.getElementById(total.id + "-errors");

  function cents(value) {
    var n = Number(String(value).trim() || "0");
    return isFinite(n) ? Math.round(n * 100) : NaN;
  }
  function sum() {
    var s = 0;
    parts.forEach(function (input) { s += cents(input.value); });
    return s;
  }
  function check() {
    if (!warning) { return; }
    warning.hidden = refusal !== null || total.value === "" || cents(total.value) === sum();
  }
  function edited() {
    if (refusal !== null) {
      refusal.remove();
      total.classList.remove("is-invalid");
      refusal = null;
    }
  }
  function recompute() {
    edited();
    var s = sum();
    if (!isNaN(s)) { total.value = (s / 100).toFixed(2); }
    check();
  }
  parts.forEach(function (input) { input.addEventListener("input", recompute); });
  total.addEventListener("input", function () { edited(); check(); });
  check();
})();
