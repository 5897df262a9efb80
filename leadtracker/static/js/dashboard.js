// Dashboard charts: the figures come from the page (json_script "dashboard-data"), the same
// tables the CSV links download. Redrawn after htmx swaps the figures for a new range or team.
(function () {
  "use strict";
  var COLOURS = {
    connected: "#1a7f37", answered: "#2da44e", not_connected: "#bf8700", missed: "#cf222e",
    rejected: "#8250df", blocked: "#57606a", voicemail: "#0969da", answered_elsewhere: "#8c959f",
    calls: "#0969da", talk_minutes: "#bf8700", leads: "#0969da", won: "#1a7f37", conversion_percent: "#8250df"
  };
  var FALLBACK = ["#0969da", "#1a7f37", "#bf8700", "#cf222e", "#8250df", "#57606a", "#d1242f", "#116329"];
  var COUNTS = { precision: 0 };  // counts of calls and leads: no half calls on an axis
  // Numbers grouped the Indian way (1,00,000) in both languages, as every page writes them.
  var locale = "en-IN";

  // The words, in the reader's language: each series' name and the tooltip (reports/views.py
  // chart_words, #dashboard-words, which htmx swaps in with the figures); else the English here.
  var T = {};
  function t(key, english, values) {
    var text = T[key] || english;
    Object.keys(values || {}).forEach(function (name) { text = text.replace("%(" + name + ")s", values[name]); });
    return text;
  }

  // Days and hours as every page writes them (lib/formats.py): "6 Dec", "2 pm". The tables
  // keep ISO days and 24-hour clocks for the CSV downloads; only the drawn labels change.
  // The figures are already the organisation's days and hours: read them in UTC, unmoved.
  var DAY = new Intl.DateTimeFormat("en-IN", { day: "numeric", month: "short", timeZone: "UTC" });
  var HOUR = new Intl.DateTimeFormat("en-IN", { hour: "numeric", hour12: true, timeZone: "UTC" });
  function dayLabel(iso) {
    var p = String(iso).split("-");
    return p.length === 3 ? DAY.format(Date.UTC(+p[0], +p[1] - 1, +p[2])) : iso;
  }
  function hourLabel(clock) {
    var h = parseInt(clock, 10);
    return isNaN(h) ? clock : HOUR.format(Date.UTC(2000, 0, 1, h)).toLowerCase();
  }

  function label(key) {
    return T["series_" + key] || key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ");
  }
  function colour(key, i) { return COLOURS[key] || FALLBACK[i % FALLBACK.length]; }
  function column(table, i) { return table.rows.map(function (r) { return r[i]; }); }

  // Statuses and sources in the colours their chips wear (leads/colours.py, sent by the
  // server beside each row). The bar's outline is the chip's dark text colour, so even the
  // palest fill stands out from the page; the axis labels name every bar.
  var NEUTRAL = { fill: "#e2e8f0", edge: "#1e293b" };
  function paletteBars(list, part) {
    return { backgroundColor: list.map(function (c) { return c[part]; }),
      borderColor: list.map(function (c) { return c.edge; }), borderWidth: 1.5 };
  }

  // Series are every column after the first (the label column).
  function datasets(table, options) {
    return table.columns.slice(1).map(function (key, i) {
      var ds = { label: label(key), data: column(table, i + 1), backgroundColor: colour(key, i), borderColor: colour(key, i) };
      return Object.assign(ds, options ? options(key, i) : {});
    });
  }

  var BUILDERS = {
    hours: function (t) {
      return { type: "bar", data: { labels: column(t, 0).map(hourLabel), datasets: datasets(t) },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: COUNTS } } } };
    },
    agents: function (t) {
      return { type: "bar", data: { labels: column(t, 0), datasets: datasets(t) },
        options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: COUNTS }, y: { stacked: true } } } };
    },
    daily: function (t) {
      return { type: "line", data: { labels: column(t, 0).map(dayLabel), datasets: datasets(t, function (key) {
        return { yAxisID: key === "talk_minutes" ? "y1" : "y", tension: 0.2, fill: false };
      }) }, options: { scales: { y: { beginAtZero: true, ticks: COUNTS }, y1: { beginAtZero: true, ticks: COUNTS, position: "right", grid: { drawOnChartArea: false } } } } };
    },
    funnel: function (t) {
      var ds = datasets(t);
      if (t.colours) { Object.assign(ds[0], paletteBars(t.colours, "fill")); }
      return { type: "bar", data: { labels: column(t, 0), datasets: ds },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: COUNTS } } } };
    },
    sources: function (t) {
      var onlyCounts = { columns: t.columns.slice(0, 3), rows: t.rows.map(function (r) { return r.slice(0, 3); }) };
      var ds = datasets(onlyCounts), legend = {};
      if (t.colours) {
        // Each source in its own colour: leads light with a dark edge, won solid dark. The
        // legend says which is which by lightness and by name, never by hue.
        Object.assign(ds[0], paletteBars(t.colours, "fill"));
        Object.assign(ds[1], paletteBars(t.colours, "edge"));
        legend = { labels: { generateLabels: function (chart) {
          return chart.data.datasets.map(function (d, i) {
            return { text: d.label, datasetIndex: i, hidden: !chart.isDatasetVisible(i), lineWidth: 1.5,
              fillStyle: i === 0 ? NEUTRAL.fill : NEUTRAL.edge, strokeStyle: NEUTRAL.edge };
          });
        } } };
      }
      return { type: "bar", data: { labels: column(t, 0), datasets: ds },
        // Bars along the names, as in the funnel: a source's name reads whole on a phone.
        options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: COUNTS } }, plugins: { legend: legend, tooltip: { callbacks: {
          footer: function (items) { var row = t.rows[items[0].dataIndex]; return t("conversion", "Conversion %(percent)s", { percent: row[3] + "%" }); }
        } } } } };
    }
  };

  function draw(root) {
    var source = root.querySelector("#dashboard-data");
    if (!source || !window.Chart) { return; }
    var words = document.getElementById("dashboard-words");
    T = words ? JSON.parse(words.textContent) : {};
    var tables = JSON.parse(source.textContent);
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var key = canvas.getAttribute("data-chart");
      var existing = window.Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      if (!tables[key] || !BUILDERS[key]) { return; }
      var config = BUILDERS[key](tables[key]);
      config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        locale: locale }, config.options);
      new window.Chart(canvas, config);
    });
  }

  // Custom dates only matter when "Custom dates" is the range.
  function toggleDates(form) {
    var custom = form.elements.range && form.elements.range.value === "custom";
    form.querySelectorAll(".custom-dates").forEach(function (p) { p.hidden = !custom; });
    return custom;
  }

  // A new range or team shows at once (htmx swaps the figures in); custom dates wait until
  // both are filled in. Without htmx the Show button submits the same GET form: submitting on
  // each change would reload the page under a person still choosing the team.
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (!form || !form.classList.contains("dash-filter")) { return; }
    var custom = toggleDates(form);
    if (!window.htmx) { return; }
    if (!custom || (form.elements.start.value && form.elements.end.value)) { form.requestSubmit(); }
  });

  function ready() {
    var form = document.querySelector("form.dash-filter");
    if (form) { toggleDates(form); }
    draw(document);
  }
  document.addEventListener("DOMContentLoaded", ready);
  document.body.addEventListener("htmx:afterSettle", function (e) {
    if (e.target.id === "dash" || e.target.querySelector("#dash") || (e.target.closest && e.target.closest("#dash"))) { ready(); }
  });
})();
