/* The cockpit: fetch every panel's data as JSON and draw it (ECharts served locally).
   Text from the server is set with textContent, never as HTML; an ECharts tooltip
   formatter returns HTML, so whatever it takes from the data goes through escapeHtml. */
(function () {
  "use strict";

  var root = document.querySelector("[data-dashboard]");
  if (!root || !window.echarts) { return; }
  var theme = root.dataset.theme || null;
  var refresh = parseInt(root.dataset.refresh || "0", 10);
  var charts = {};
  var maps = {};  // map name -> promise of its registration

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value === undefined || value === null ? "" : value).replace(/[&<>"']/g, function (c) {
      return HTML_ESCAPES[c];
    });
  }

  function bodyOf(key) {
    return root.querySelector('[data-panel="' + key + '"] .dash-body');
  }

  function dispose(key) {
    if (charts[key]) { charts[key].dispose(); delete charts[key]; }
  }

  function replace(body, node) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(node);
  }

  function chartIn(key, body) {
    var box = body.querySelector(".dash-chart");
    if (!box || !charts[key]) {
      dispose(key);
      box = el("div", "dash-chart");
      replace(body, box);
      charts[key] = echarts.init(box, theme, { renderer: "canvas" });
    }
    return charts[key];
  }

  function draw(key, body, option) {
    var chart = chartIn(key, body);
    if (theme === "dark") { option.backgroundColor = "transparent"; }
    chart.setOption(option, true);
  }

  function registerMap(name, url) {
    if (!maps[name]) {
      maps[name] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error("网格边界加载失败（" + r.status + "）"); }
          return r.json();
        })
        .then(function (geo) {
          echarts.registerMap(name, geo);
          return geo.features.length;
        });
    }
    return maps[name];
  }

  function drawMap(key, body, data) {
    return registerMap(data.map, data.geo_url).then(function (count) {
      if (!count) {
        dispose(key);
        replace(body, el("div", "dash-empty", "本区域的网格尚未绘制边界"));
        return;
      }
      var option = data.option;
      option.tooltip.formatter = function (p) {
        var title = (p.data && p.data.title) || p.name;
        var value = p.data ? p.data.value : 0;
        return escapeHtml(title) + "：" + escapeHtml(value) + " 件";
      };
      draw(key, body, option);
    });
  }

  function drawTable(key, body, data) {
    dispose(key);
    var wrap = el("div", "dash-table-wrap");
    var t = el("table", "table table-sm dash-table mb-0");
    var head = t.createTHead().insertRow();
    data.columns.forEach(function (c) { head.appendChild(el("th", null, c)); });
    var tbody = t.createTBody();
    data.rows.forEach(function (row) {
      var tr = tbody.insertRow();
      row.forEach(function (cell) { tr.appendChild(el("td", null, cell)); });
    });
    wrap.appendChild(t);
    if (data.note) { wrap.appendChild(el("div", "dash-note", data.note)); }
    replace(body, wrap);
  }

  function drawFigures(key, body, data) {
    dispose(key);
    var list = el("div", "dash-figures");
    data.items.forEach(function (item) {
      var fig = el("div", "dash-figure");
      var value = el("div", "dash-figure-value", item.value);
      if (item.unit && item.value !== "—") { value.appendChild(el("small", null, item.unit)); }
      fig.appendChild(value);
      fig.appendChild(el("div", "dash-figure-label", item.label));
      list.appendChild(fig);
    });
    replace(body, list);
  }

  function render(panel) {
    var body = bodyOf(panel.key);
    if (!body) { return Promise.resolve(); }
    var data = panel.data;
    body.parentNode.hidden = data.kind === "none";
    switch (data.kind) {
      case "none": dispose(panel.key); break;
      case "chart": draw(panel.key, body, data.option); break;
      case "map": return drawMap(panel.key, body, data);
      case "table": drawTable(panel.key, body, data); break;
      case "figures": drawFigures(panel.key, body, data); break;
      default:
        dispose(panel.key);
        replace(body, el("div", "dash-empty", data.message || "暂无数据"));
    }
    return Promise.resolve();
  }

  function showError(message) {
    var box = root.querySelector("[data-error]");
    if (!box) { return; }
    box.textContent = message || "";
    box.hidden = !message;
  }

  function load() {
    return fetch(root.dataset.dataUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (json) {
          if (!r.ok) { throw new Error(json.error || "数据加载失败（" + r.status + "）"); }
          return json;
        });
      })
      .then(function (json) {
        showError("");
        document.querySelectorAll("[data-updated]").forEach(function (node) {
          node.textContent = "数据更新于 " + json.updated_at;
        });
        return Promise.all(json.panels.map(render));
      })
      .then(function () { root.dataset.drawn = "true"; })
      .catch(function (err) { showError(err.message); });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    }, 150);
  });

  load();
  if (refresh > 0) { setInterval(load, refresh * 1000); }
})();
