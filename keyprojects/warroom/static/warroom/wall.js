/* The wall screen refreshes itself: every few minutes it asks the API for the dashboard again and
   redraws the same charts and figures in place (no new charts, no page reload, no growing lists). Each
   request also keeps the session alive (it is renewed by any request within its 30 idle minutes). */
(function () {
  "use strict";
  var script = document.getElementById("wr-wall-script");
  var api = script.dataset.api;
  var seconds = Number(script.dataset.seconds) || 300;
  var labels = JSON.parse(document.getElementById("wr-labels").textContent);

  function percent(rate) {
    return rate.value === null ? "—" : (Number(rate.value) * 100).toFixed(1) + "%";
  }
  function money(v) {
    var n = Number(v);
    var digits = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    return n >= 10000 ? (n / 10000).toLocaleString("zh-CN", digits) + labels.yi
      : n.toLocaleString("zh-CN", digits) + labels.wan;
  }
  function set(selector, text) {
    var el = document.querySelector(selector);
    if (el) el.textContent = text;
  }
  function list(id, rows, render) {
    var ul = document.getElementById(id);
    if (!ul) return;
    ul.replaceChildren.apply(ul, rows.map(function (row) {
      var li = document.createElement("li");
      render(li, row);
      return li;
    }));
  }
  function refresh(data) {
    set("[data-total=projects]", data.projects);
    set("[data-total=total_investment]", money(data.total_investment));
    set("[data-total=completed]", money(data.completed));
    set("[data-total=start_rate]", percent(data.rates.start_rate));
    set("[data-total=statistics_rate]", percent(data.rates.statistics_rate));
    set("[data-total=investment_rate]", percent(data.rates.investment_rate));
    set("#wr-as-of", data.as_of);
    set("#wr-warning-counts", data.warnings.red + "/" + data.warnings.yellow);
    set("#wr-blocker-counts", data.blockers.open + "/" + data.blockers.overdue);
    list("wr-warnings", data.warnings.rows, function (li, w) {
      var dot = document.createElement("span");
      dot.className = "wr-dot wr-" + w.color;
      li.append(dot, w.project_name + " ");
      var sub = document.createElement("span");
      sub.className = "kp-sub";
      sub.textContent = w.region_name + " · " + w.rule_label;
      li.append(sub);
    });
    list("wr-blockers", data.blockers.rows, function (li, x) {
      li.textContent = (x.overdue ? "[" + labels.overdue + "] " : "") + x.project_name + " · " + x.status;
    });
    window.warroom.draw(data);
  }
  function tick() {
    fetch(api, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        // signed out (the session ended elsewhere): show the sign-in page rather than old figures
        if (r.status === 401 || r.status === 403) window.location.reload();
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(refresh)
      .catch(function () { /* keep the last figures on screen; try again at the next tick */ });
  }
  window.setInterval(tick, seconds * 1000);
  window.warroomWall = { tick: tick };
})();
