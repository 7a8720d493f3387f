/* The war room's charts (Apache ECharts, served locally): the county map coloured by a chosen figure with
   the projects as points, the ranking, and the monthly trend. Data: the JSON of GET /api/v1/dashboard,
   embedded in the page (#wr-data) and, on the wall screen, fetched again on a timer. Charts are made once
   and updated with setOption, so a screen left running for days does not grow. */
(function () {
  "use strict";
  var script = document.getElementById("wr-script");
  var mapName = script.dataset.map;
  var projectUrl = script.dataset.projectUrl;
  var dark = document.body.classList.contains("wr-wall");
  var labels = JSON.parse(document.getElementById("wr-labels").textContent);
  var data = JSON.parse(document.getElementById("wr-data").textContent);
  var charts = {};
  var COLORS = { red: "#d9363e", yellow: "#f0a020", green: "#2e9d5b" };
  // The platform's own CJK font (app.css), for the charts' text as for the page's.
  var FONT = '"KP Noto Sans SC", sans-serif';
  var TEXT = { fontFamily: FONT };

  function chart(id) {
    var el = document.getElementById(id);
    if (!el || el.hidden) return null;
    if (!charts[id]) {
      charts[id] = echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    }
    return charts[id];
  }

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function figure(region, key) {
    if (key === "total_investment") return num(region.total_investment) / 10000;
    if (key === "warnings") return region.red;
    var rates = region.rates;
    var value = rates ? num(rates[key].value) : null;
    return value === null ? null : Math.round(value * 1000) / 10;
  }

  function unit(key) {
    return key === "total_investment" ? labels.yi : key === "warnings" ? labels.count : "%";
  }

  function stem(name) { return name.replace(/(县|区|市)$/, ""); }

  /* The polygons carry the names the package had; each is matched to one of our regions (today's name,
     a former name, or the same name without its 县/区/市) and shown under today's name. */
  function nameMap(regions) {
    var map = echarts.getMap(mapName);
    var names = {};
    if (!map) return names;
    map.geoJSON.features.forEach(function (feature) {
      var old = feature.properties.name;
      var match = regions.find(function (r) { return r.name === old; }) ||
        regions.find(function (r) { return (r.former_names || []).indexOf(old) >= 0; }) ||
        regions.find(function (r) { return !r.is_zone && stem(r.name) === stem(old); });
      if (match) names[old] = match.name;
    });
    return names;
  }

  function openRegion(code) {
    if (!code || data.scope.level === "county") return;
    var params = new URLSearchParams(window.location.search);
    params.set(data.scope.level === "province" ? "city" : "region", code);
    window.location.href = "/dashboard/?" + params.toString();
  }

  function openProject(id) { window.location.href = projectUrl + id + "/"; }

  function drawMap(key) {
    var c = chart("wr-map");
    if (!c || !mapName || !echarts.getMap(mapName)) return;
    var names = nameMap(data.regions);
    var drawn = {};
    Object.keys(names).forEach(function (old) { drawn[names[old]] = true; });
    var values = data.regions.map(function (r) { return figure(r, key); }).filter(function (v) { return v !== null; });
    var max = values.length ? Math.max.apply(null, values) : 1;
    var min = values.length ? Math.min.apply(null, values) : 0;
    var isRate = key.indexOf("rate") >= 0;
    var narrow = c.getWidth() < 576;
    var focus = data.scope.level === "county" ? data.scope.code : null;
    var zones = data.regions.filter(function (r) { return !drawn[r.name] && r.latitude !== null; });
    c.setOption({
      textStyle: TEXT,
      backgroundColor: "transparent",
      tooltip: { trigger: "item" },
      visualMap: {
        min: isRate ? Math.floor(Math.min(min, 100) / 10) * 10 : 0,
        max: isRate ? Math.max(Math.ceil(max / 10) * 10, 10) : Math.max(max, 1), calculable: true, bottom: 8,
        left: narrow ? "center" : 8, orient: narrow ? "horizontal" : "vertical", itemHeight: narrow ? 100 : 140,
        seriesIndex: 0, text: [labels.high, labels.low], textStyle: { color: dark ? "#cfe3ff" : "#333" },
        inRange: { color: key === "warnings" ? ["#fff1e6", "#d9363e"] : ["#fde2e1", "#fff2c2", "#bfe3c8", "#2e9d5b"] }
      },
      geo: {
        map: mapName, nameMap: names, roam: false, selectedMode: false, top: 8, bottom: narrow ? 56 : 8,
        label: {
          show: true, color: dark ? "#e8f1ff" : "#1d2a3b", fontSize: dark ? 15 : 11,
          textBorderColor: dark ? "#050d1f" : "#fff", textBorderWidth: 2
        },
        itemStyle: { areaColor: dark ? "#16294d" : "#eef2f7", borderColor: dark ? "#7fb2ff" : "#fff", borderWidth: 1 },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#ffd666" } }
      },
      series: [
        {
          type: "map", geoIndex: 0, name: labels[key],
          data: data.regions.map(function (r) {
            return { name: r.name, value: figure(r, key), code: r.code,
              itemStyle: focus && r.code === focus ? { borderColor: "#ff4d4f", borderWidth: 3 } : undefined };
          })
        },
        {
          type: "scatter", coordinateSystem: "geo", name: labels.projects, symbolSize: function (v) {
            return Math.max(5, Math.min(18, Math.sqrt(v[2] / 2000)));
          },
          data: data.points.map(function (p) {
            return { name: p.name, id: p.project, value: [num(p.longitude), num(p.latitude), num(p.total_investment)],
              itemStyle: { color: COLORS[p.color], borderColor: "#fff", borderWidth: 0.5 } };
          }),
          tooltip: { formatter: function (p) { return p.name + "<br>" + (p.value[2] / 10000).toFixed(2) + labels.yi; } }
        },
        {
          type: "effectScatter", coordinateSystem: "geo", name: labels.zones, symbolSize: 12,
          label: { show: true, position: "right", formatter: "{b}", color: dark ? "#ffd666" : "#8a5a00" },
          itemStyle: { color: "#faad14" },
          data: zones.map(function (r) {
            return { name: r.name, code: r.code, value: [num(r.longitude), num(r.latitude), figure(r, key)] };
          })
        }
      ]
    });
    c.off("click");
    c.on("click", function (e) {
      if (e.seriesType === "scatter") openProject(e.data.id);
      else if (e.data && e.data.code) openRegion(e.data.code);
    });
  }

  function drawRanking(key) {
    var c = chart("wr-ranking");
    if (!c) return;
    var rows = data.regions.map(function (r) { return { name: r.name, code: r.code, value: figure(r, key) }; })
      .filter(function (r) { return r.value !== null; })
      .sort(function (a, b) { return a.value - b.value; });
    c.setOption({
      textStyle: TEXT,
      backgroundColor: "transparent",
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", axisLabel: { formatter: "{value}" + unit(key) } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [{
        type: "bar", name: labels[key], barMaxWidth: 22, data: rows.map(function (r) { return { value: r.value, code: r.code }; }),
        label: { show: true, position: "right", formatter: function (p) { return p.value + unit(key); } },
        itemStyle: { color: key === "warnings" ? "#d9363e" : "#1f6fd1", borderRadius: [0, 3, 3, 0] }
      }]
    }, true);
    c.off("click");
    c.on("click", function (e) { openRegion(e.data && e.data.code); });
  }

  function drawTrend() {
    var c = chart("wr-trend");
    if (!c) return;
    var months = data.trend.map(function (m) { return labels.month.replace("%(m)s", m.month); });
    var yi = function (v) { return Math.round(num(v) / 100) / 100; };
    c.setOption({
      textStyle: TEXT,
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: dark ? "#cfe3ff" : "#333" } },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months },
      yAxis: [
        { type: "value", name: labels.yi, splitLine: { lineStyle: { opacity: 0.3 } } },
        { type: "value", name: labels.count, splitLine: { show: false } }
      ],
      series: [
        { type: "bar", name: labels.completed_month, data: data.trend.map(function (m) { return yi(m.completed); }), itemStyle: { color: "#7fb2ff" } },
        { type: "line", name: labels.cumulative, data: data.trend.map(function (m) { return yi(m.cumulative); }), itemStyle: { color: "#1f6fd1" }, lineStyle: { width: 3 } },
        { type: "line", name: labels.plan, data: data.trend.map(function (m) { return yi(m.plan_cumulative); }), itemStyle: { color: "#f0a020" }, lineStyle: { type: "dashed" } },
        { type: "bar", name: labels.started, yAxisIndex: 1, data: data.trend.map(function (m) { return m.started; }), itemStyle: { color: "#2e9d5b" }, barMaxWidth: 10 }
      ]
    }, true);
  }

  function draw(next) {
    if (next) data = next;
    var key = document.getElementById("wr-figure").value;
    drawMap(key);
    drawRanking(key);
    drawTrend();
  }

  document.getElementById("wr-figure").addEventListener("change", function () { draw(); });
  var resizing = null;
  function resize() {
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
    draw();  // the map's legend lies along the bottom on a phone
  }
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(resize, 100);
  });
  // A printed page is narrower than the screen: the charts are drawn again to its width, and back after.
  window.matchMedia("print").addEventListener("change", resize);
  window.warroom = { draw: draw, data: function () { return data; } };
  // Drawn once the web font is there: a canvas's text is not drawn again when it arrives.
  if (document.fonts) document.fonts.load("12px " + FONT).then(function () { draw(); }, function () { draw(); });
  else draw();
})();
