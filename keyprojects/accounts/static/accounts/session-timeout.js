// A notice shortly before an idle session ends, with a button that keeps it (a request renews it).
(function () {
  const box = document.getElementById("kp-session-timeout");
  if (!box) return;
  const idle = Number(box.dataset.idle) * 1000;
  const warnBefore = Number(box.dataset.warnBefore) * 1000;
  const countdown = box.querySelector("[data-countdown]");
  let endsAt = Date.now() + Number(box.dataset.secondsLeft) * 1000;

  function csrf() {
    const body = document.body.getAttribute("hx-headers");
    try { return JSON.parse(body)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function tick() {
    const left = endsAt - Date.now();
    if (left <= 0) {
      window.location.href = box.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
      return;
    }
    if (left <= warnBefore) {
      const seconds = Math.ceil(left / 1000);
      countdown.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  function renewed() {
    endsAt = Date.now() + idle;
    tick();
  }

  box.querySelector("[data-keep]").addEventListener("click", function () {
    fetch(box.dataset.keepUrl, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function (response) { if (response.ok) renewed(); else tick(); });
  });
  document.body.addEventListener("htmx:afterRequest", renewed);
  setInterval(tick, 1000);
  tick();
})();
