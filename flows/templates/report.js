// fundscope report: filters the aggregated rows, re-sums them and draws each chart with its table.
(async function () {
  "use strict";
  const TIMES = {start: Math.round(performance.now())};  // ms since navigation, kept in data-times
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  for (const chart of DATA.charts) {  // origins and example ids travel as indexes into two lists
    const io = chart.columns.indexOf("origin"), ie = chart.columns.indexOf("examples");
    for (const row of chart.rows) { row[io] = DATA.origins[row[io]]; row[ie] = row[ie].map((i) => DATA.docs[i]); }
  }
  const MAX_TABLE_ROWS = 200;
  const MAX_CATEGORIES = 40;
  const MODE_COLOURS = {matching_fund: "#2a9d8f", direct_fund: "#e76f51", neither: "#8d99ae", unclassified: "#cccccc"};

  async function loadPlotly() {
    // plotly.js ships gzipped and base64-encoded in the page: the file stays small and nothing is fetched
    const b64 = document.getElementById("plotly-gz").textContent.trim();
    const raw = atob(b64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const source = await new Response(stream).text();
    TIMES.unpacked = Math.round(performance.now());
    (0, eval)(source);  // indirect eval: runs in global scope, where plotly.js defines window.Plotly
    TIMES.plotly = Math.round(performance.now());
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const originSelect = document.getElementById("f-origin");
  const from = document.getElementById("f-from");
  const to = document.getElementById("f-to");
  const origins = new Set();
  const months = [];
  for (const chart of DATA.charts) {
    const io = chart.columns.indexOf("origin"), im = chart.columns.indexOf("month");
    for (const row of chart.rows) { origins.add(row[io]); if (row[im]) months.push(row[im]); }
  }
  for (const o of [...origins].sort()) originSelect.appendChild(el("option", {value: o}, o));
  months.sort();
  const firstMonth = months[0] || "", lastMonth = months[months.length - 1] || "";

  function keep(chart, row) {
    const chosen = [...originSelect.selectedOptions].map((o) => o.value);
    const io = chart.columns.indexOf("origin"), im = chart.columns.indexOf("month");
    if (chosen.length && !chosen.includes(row[io])) return false;
    if (from.value && row[im] < from.value) return false;
    if (to.value && row[im] > to.value) return false;
    return true;
  }

  // drop origin (and month, except for the timeline), sum documents (and eur), merge the example documents
  function regroup(chart, keepMonth) {
    const dims = chart.columns.filter((c) => !["origin", keepMonth ? "" : "month", "documents", "eur", "examples", "funders"].includes(c));
    const idx = (c) => chart.columns.indexOf(c);
    const groups = new Map();
    for (const row of chart.rows) {
      if (!keep(chart, row)) continue;
      const key = JSON.stringify(dims.map((d) => row[idx(d)]));
      let g = groups.get(key);
      if (!g) { g = {dims: dims.map((d) => row[idx(d)]), documents: 0, eur: null, examples: new Set(), funders: new Set()}; groups.set(key, g); }
      g.documents += row[idx("documents")];
      if (idx("eur") >= 0 && row[idx("eur")] !== null) g.eur = (g.eur || 0) + row[idx("eur")];
      for (const d of row[idx("examples")] || []) g.examples.add(d);
      for (const f of (idx("funders") >= 0 ? row[idx("funders")] : []) || []) g.funders.add(f);
    }
    const rows = [...groups.values()];
    rows.sort((a, b) => (b.eur || 0) - (a.eur || 0) || b.documents - a.documents || String(a.dims).localeCompare(String(b.dims)));
    return {dims, rows, hasEur: chart.columns.includes("eur"), hasFunders: chart.columns.includes("funders")};
  }

  function docLink(docId) {
    const shown = DATA.shown[docId];
    if (!shown) {
      const c = el("code", {title: "no page written (cap " + DATA.show_cap + "): fundscope show " + docId + " --data DIR"}, docId.slice(0, 12));
      return c;
    }
    const a = el("a", {href: shown[0], title: shown[1] || docId}, (shown[1] || docId).slice(0, 40));
    return a;
  }

  const fmt = new Intl.NumberFormat("en", {maximumFractionDigits: 0});

  function drawTable(chart, g, holder) {
    holder.replaceChildren();
    const table = el("table", {class: "rows", "data-chart": chart.key});
    const head = el("tr");
    for (const d of g.dims) head.appendChild(el("th", {}, d));
    if (g.hasFunders) head.appendChild(el("th", {}, "funders"));
    head.appendChild(el("th", {}, "documents"));
    if (g.hasEur) head.appendChild(el("th", {}, "EUR"));
    head.appendChild(el("th", {}, "example documents"));
    table.appendChild(head);
    g.rows.slice(0, MAX_TABLE_ROWS).forEach((r, i) => {
      const tr = el("tr", {id: "row-" + chart.key + "-" + i});
      for (const v of r.dims) tr.appendChild(el("td", {}, v === null ? "" : String(v)));
      if (g.hasFunders) tr.appendChild(el("td", {}, [...r.funders].sort().join(", ")));
      tr.appendChild(el("td", {class: "num"}, String(r.documents)));
      if (g.hasEur) tr.appendChild(el("td", {class: "num"}, r.eur === null ? "" : fmt.format(r.eur)));
      const td = el("td");
      [...r.examples].sort().slice(0, 3).forEach((d, k) => { if (k) td.appendChild(document.createTextNode(" · ")); td.appendChild(docLink(d)); });
      tr.appendChild(td);
      table.appendChild(tr);
    });
    const wrap = el("div", {class: "tablewrap"});
    wrap.appendChild(table);
    holder.appendChild(wrap);
    if (g.rows.length > MAX_TABLE_ROWS) holder.appendChild(el("p", {class: "note"}, "showing " + MAX_TABLE_ROWS + " of " + g.rows.length + " rows"));
    if (!g.rows.length) holder.appendChild(el("p", {class: "note"}, "no rows for these filters"));
  }

  function goToRow(chart, i) {
    if (i === undefined || i === null || i >= MAX_TABLE_ROWS) return;
    document.querySelectorAll("tr.hit").forEach((t) => t.classList.remove("hit"));
    const tr = document.getElementById("row-" + chart.key + "-" + i);
    if (tr) { tr.classList.add("hit"); tr.scrollIntoView({block: "center"}); }
  }

  // bars: x = the first dimension, one trace per value of the second, y = documents or eur
  function barFigure(g, yField, stacked, xSort) {
    const totals = new Map();
    g.rows.forEach((r) => totals.set(r.dims[0], (totals.get(r.dims[0]) || 0) + (r[yField] || 0)));
    let xs = [...totals.keys()];
    xs.sort(xSort || ((a, b) => totals.get(b) - totals.get(a) || String(a).localeCompare(String(b))));
    xs = xs.slice(0, MAX_CATEGORIES);
    const traces = new Map();
    g.rows.forEach((r, i) => {
      if (!xs.includes(r.dims[0])) return;
      const name = String(r.dims[1]);
      if (!traces.has(name)) traces.set(name, {type: "bar", name, x: [], y: [], customdata: [], marker: {color: MODE_COLOURS[name]}});
      const t = traces.get(name);
      t.x.push(String(r.dims[0])); t.y.push(r[yField] || 0); t.customdata.push(i);
    });
    return {data: [...traces.values()], layout: {barmode: stacked ? "stack" : "group",
      xaxis: {type: "category", categoryorder: "array", categoryarray: xs.map(String)}}};
  }

  function sankeyFigure(g) {
    const labels = [], index = new Map();
    const node = (name) => { if (!index.has(name)) { index.set(name, labels.length); labels.push(name); } return index.get(name); };
    const link = {source: [], target: [], value: [], color: [], customdata: [], label: []};
    g.rows.forEach((r, i) => {
      const [funder, recipient, mode] = r.dims;
      link.source.push(node(funder + " pays")); link.target.push(node("→ " + (recipient === "*" ? "any country" : recipient)));
      link.value.push(r.documents); link.customdata.push(i); link.label.push(mode);
      link.color.push((MODE_COLOURS[mode] || "#999999") + "99");
    });
    return {data: [{type: "sankey", arrangement: "snap", node: {label: labels, pad: 12}, link}], layout: {}};
  }

  function timelineFigure(g) {
    const rows = g.rows.map((r, i) => ({month: r.dims[0], series: r.dims[1], r, i})).sort((a, b) => a.month < b.month ? -1 : 1);
    const dl = rows.filter((x) => x.series === "deadline"), bu = rows.filter((x) => x.series === "budget");
    return {data: [
      {type: "bar", name: "deadlines (documents)", x: dl.map((x) => x.month), y: dl.map((x) => x.r.documents), customdata: dl.map((x) => x.i), marker: {color: "#457b9d"}},
      {type: "scatter", mode: "lines+markers", name: "budgets (EUR)", yaxis: "y2", x: bu.map((x) => x.month), y: bu.map((x) => x.r.eur), customdata: bu.map((x) => x.i), marker: {color: "#e9c46a"}},
    ], layout: {xaxis: {type: "category"}, yaxis: {title: {text: "documents"}}, yaxis2: {title: {text: "EUR"}, overlaying: "y", side: "right"}}};
  }

  function figure(chart, g) {
    const byLevel = (a, b) => a - b;
    switch (chart.key) {
      case "modes": return barFigure(g, "documents", true);
      case "flows": return sankeyFigure(g);
      case "trl_mode": case "trl_party": return barFigure(g, "documents", false, byLevel);
      case "timeline": return timelineFigure(g);  // regrouped keeping its month: the x axis
      case "budgets": return barFigure(g, "eur", true);
      default: return {data: [], layout: {}};
    }
  }

  const main = document.getElementById("charts");
  const views = DATA.charts.map((chart) => {
    const section = el("section", {id: "chart-" + chart.key});
    section.appendChild(el("h2", {}, chart.title));
    if (chart.note) section.appendChild(el("p", {class: "note"}, chart.note));
    const div = el("div", {class: "chart", id: "plot-" + chart.key});
    const holder = el("div", {class: "table"});
    section.append(div, holder);
    main.appendChild(section);
    return {chart, div, holder, g: null};
  });

  function draw() {
    for (const v of views) {
      const g = regroup(v.chart, v.chart.key === "timeline");
      v.g = g;
      const fig = figure(v.chart, g);
      const empty = !g.rows.length;
      const layout = Object.assign({margin: {t: 20, r: 60, b: 60, l: 60}, legend: {orientation: "h"}}, fig.layout);
      if (empty) layout.annotations = [{text: v.chart.rows.length ? "no rows for these filters" : "no data: " + (v.chart.note || ""),
        showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5}];
      Plotly.react(v.div, empty ? [] : fig.data, layout, {displaylogo: false, responsive: true});
      drawTable(v.chart, g, v.holder);
    }
    const chosen = [...originSelect.selectedOptions].length;
    document.getElementById("f-status").textContent = (chosen ? chosen + " source(s)" : "all sources") + ", " +
      (from.value || firstMonth) + " to " + (to.value || lastMonth);
  }

  try {
    await loadPlotly();
    draw();
    for (const v of views) {
      v.div.on("plotly_click", (ev) => { const p = ev.points && ev.points[0]; if (p) goToRow(v.chart, p.customdata); });
    }
    for (const input of [originSelect, from, to]) input.addEventListener("change", draw);
    document.getElementById("f-reset").addEventListener("click", () => {
      originSelect.selectedIndex = -1; from.value = ""; to.value = ""; draw();
    });
    TIMES.drawn = Math.round(performance.now());
    document.body.dataset.times = JSON.stringify(TIMES);
    document.body.dataset.readyMs = String(TIMES.drawn);  // since navigation started
    document.body.dataset.ready = "1";
  } catch (err) {
    document.body.dataset.ready = "error";
    console.error("fundscope report: " + err);
    throw err;
  }
})();
