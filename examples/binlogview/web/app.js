// binlogview page script: no dependencies, no network access beyond this
// server. Every value from the binlog is inserted with textContent or as an
// attribute value through the DOM API, never as HTML.
"use strict";

const FILTERS = ["from", "to", "file", "pos_from", "pos_to", "db", "table", "op", "gtid", "q"];
const OPS = ["insert", "update", "delete", "statement"];
const SVGNS = "http://www.w3.org/2000/svg";

const state = { page: 1, size: 50, total: 0, pages: 0, selected: null, filter: {}, seq: 0, zone: "UTC" };

function $(id) { return document.getElementById(id); }

// el builds an element: attrs are set as attributes (or properties for
// "class"), children are nodes or strings (strings become text nodes).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function fmtInt(n) { return Number(n).toLocaleString("en-US"); }
function fmtBytes(n) {
  if (n < 1024) return n + " B";
  if (n < 1 << 20) return (n / 1024).toFixed(1) + " KB";
  if (n < 1 << 30) return (n / (1 << 20)).toFixed(1) + " MB";
  return (n / (1 << 30)).toFixed(2) + " GB";
}

function showError(msg) {
  const e = $("error");
  if (!msg) { e.hidden = true; e.textContent = ""; return; }
  e.hidden = false;
  e.textContent = msg;
}

async function api(path, params) {
  const qs = new URLSearchParams(params || {}).toString();
  const res = await fetch(path + (qs ? "?" + qs : ""), { credentials: "same-origin", headers: { Accept: "application/json" } });
  let body;
  try { body = await res.json(); } catch (_) { body = null; }
  if (!res.ok) throw new Error((body && body.error) || (res.status + " " + res.statusText));
  return body;
}

// --- filter state, kept in the address's hash so a reload keeps it ---

function readForm() {
  const f = {};
  for (const name of FILTERS) {
    const v = $("filters").elements[name].value.trim();
    if (v) f[name] = v;
  }
  return f;
}

function writeForm(f) {
  for (const name of FILTERS) $("filters").elements[name].value = f[name] || "";
}

function hashState() {
  const p = new URLSearchParams(location.hash.slice(1));
  const f = {};
  for (const name of FILTERS) if (p.get(name)) f[name] = p.get(name);
  return { filter: f, page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1), tx: p.get("tx") };
}

function saveHash() {
  const p = new URLSearchParams(state.filter);
  if (state.page > 1) p.set("page", state.page);
  if (state.selected !== null) p.set("tx", state.selected);
  const h = p.toString();
  history.replaceState(null, "", h ? "#" + h : location.pathname);
}

function updateExports() {
  for (const fmt of ["csv", "jsonl", "sql", "rollback"]) {
    const p = new URLSearchParams(state.filter);
    p.set("format", fmt);
    const a = $("export-" + fmt);
    a.href = "api/export?" + p.toString();
    a.setAttribute("download", "");
  }
}

// --- summary ---

async function loadSummary() {
  const s = await api("api/summary");
  // Times are in the viewer's zone (--tz, else the server's local zone).
  state.zone = s.time_zone || "UTC";
  for (const z of document.querySelectorAll(".tz")) z.textContent = state.zone;
  const box = $("summary");
  box.textContent = "";
  const item = (label, value) => el("span", {}, label + " ", el("b", {}, value));
  const files = s.files.length === 1 ? s.files[0].name : s.files.length + " files";
  box.append(
    item("Input", files),
    item("Transactions", fmtInt(s.transactions)),
    item("Rows", fmtInt(s.rows[0] + s.rows[1] + s.rows[2])),
    item("Span", s.first_time ? s.first_time + " → " + s.last_time + " " + state.zone : "—"),
    item("Index", fmtBytes(s.index_bytes) + " in " + s.index_ms + " ms"),
  );
  if (s.masked) box.append(el("span", { class: "tag" }, "masked"));
  const sel = $("f-file");
  for (const f of s.files) sel.append(el("option", { value: f.name }, f.name + " (" + fmtInt(f.transactions) + ")"));
  const tl = $("tables");
  for (const t of s.tables) tl.append(el("option", { value: t }));
  const dl = $("dbs");
  for (const d of s.databases) dl.append(el("option", { value: d }));
  const warnings = s.files.flatMap((f) => f.warnings || []);
  if (warnings.length) showError("Warnings: " + warnings.join("; "));
}

// --- transaction list ---

function countCell(n, cls) {
  return el("td", { class: "num " + (n ? cls : "zero") }, n ? fmtInt(n) : "0");
}

async function loadList() {
  const seq = ++state.seq;
  const params = Object.assign({}, state.filter, { page: state.page, size: state.size });
  const card = document.querySelector(".list");
  card.classList.add("loading");
  let data;
  try {
    data = await api("api/transactions", params);
  } catch (e) {
    if (seq === state.seq) card.classList.remove("loading");
    showError(e.message);
    return;
  }
  if (seq !== state.seq) return;
  card.classList.remove("loading");
  showError("");
  state.total = data.total;
  state.pages = data.pages;
  $("total").textContent = fmtInt(data.total);
  const body = $("tx-body");
  body.textContent = "";
  if (data.items.length === 0) {
    body.append(el("tr", { class: "empty-row" }, el("td", { colspan: 10 }, "No transaction matches the filter.")));
  }
  for (const t of data.items) {
    const tables = el("td", { class: "tables" });
    for (const name of t.tables) tables.append(el("span", { class: "tag" + (t.ddl && !name.includes(".") ? " ddl" : "") }, name), " ");
    if (t.ddl) tables.append(el("span", { class: "tag ddl" }, "DDL"));
    const tr = el("tr", { "data-testid": "tx-row", "data-id": t.id, "data-tables": JSON.stringify(t.tables), "data-updates": t.updates, class: t.id === state.selected ? "selected" : "" },
      el("td", { class: "num muted" }, t.id),
      el("td", { class: "mono" }, t.time),
      el("td", { class: "mono" }, t.file + " : " + t.pos),
      el("td", { class: "mono" }, t.gtid || "—"),
      tables,
      countCell(t.inserts, "n-ins"), countCell(t.updates, "n-upd"), countCell(t.deletes, "n-del"), countCell(t.statements, "n-stmt"),
      el("td", { class: "num muted opt" }, fmtBytes(t.bytes)),
    );
    tr.tabIndex = 0;
    tr.addEventListener("click", () => openTx(t.id));
    tr.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openTx(t.id); }
      else if (e.key === "ArrowDown" && tr.nextElementSibling) { e.preventDefault(); tr.nextElementSibling.focus(); }
      else if (e.key === "ArrowUp" && tr.previousElementSibling) { e.preventDefault(); tr.previousElementSibling.focus(); }
    });
    body.append(tr);
  }
  $("page-info").textContent = data.total ? "Page " + fmtInt(state.page) + " of " + fmtInt(Math.max(1, data.pages)) : "—";
  $("prev").disabled = $("first").disabled = state.page <= 1;
  $("next").disabled = $("last").disabled = state.page >= data.pages;
  document.body.dataset.listLoaded = String(seq);
}

// --- charts ---

function emptyChart(box, msg) {
  const s = svg("svg", { viewBox: "0 0 600 190" });
  s.append(svg("text", { x: 300, y: 95, "text-anchor": "middle", class: "empty" }, msg));
  box.append(s);
}

function legend(s, x, y) {
  OPS.forEach((op, i) => {
    s.append(svg("rect", { x: x + i * 84, y: y - 9, width: 10, height: 10, rx: 2, class: "s-" + op }));
    s.append(svg("text", { x: x + i * 84 + 14, y: y, class: "legend" }, op));
  });
}

// niceScale picks an axis maximum and a step of 1, 2 or 5 times a power of
// ten, with at most 5 steps.
function niceScale(top) {
  top = Math.max(1, top);
  let step = 1;
  for (let p = 1; ; p *= 10) {
    const s = [p, 2 * p, 5 * p].find((c) => Math.ceil(top / c) <= 5);
    if (s) { step = s; break; }
  }
  return { max: step * Math.ceil(top / step), step };
}

function drawTime(st) {
  const box = $("chart-time");
  box.textContent = "";
  const secs = st.bucket_seconds;
  $("bucket-label").textContent = secs ? "(per " + (secs >= 86400 ? secs / 86400 + " d" : secs >= 3600 ? secs / 3600 + " h" : secs >= 60 ? secs / 60 + " min" : secs + " s") + ")" : "";
  if (!st.buckets.length) { emptyChart(box, "No changes match the filter."); return; }
  const totals = st.buckets.map((b) => b.ops.reduce((a, c) => a + c, 0));
  const { max, step } = niceScale(Math.max(...totals));
  const W = Math.max(300, box.clientWidth || 600), H = 190, R = 8, T = 24, B = 24;
  const L = 14 + 6.5 * fmtInt(max).length;
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "changes over time" });
  const n = st.buckets.length;
  const bw = Math.min(64, (W - L - R) / n);
  for (let v = 0; v <= max; v += step) {
    const y = T + (H - T - B) * (1 - v / max);
    s.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "gridline" }));
    s.append(svg("text", { x: L - 6, y: y + 3, "text-anchor": "end", class: "axis" }, fmtInt(v)));
  }
  st.buckets.forEach((b, i) => {
    let y = H - B;
    const gap = bw > 4 ? Math.max(1, bw * 0.18) : 0;
    const x = L + i * bw + gap / 2;
    const w = Math.max(1, bw - gap);
    OPS.forEach((op, k) => {
      const h = (H - T - B) * b.ops[k] / max;
      if (h <= 0) return;
      y -= h;
      const r = svg("rect", { x, y, width: w, height: h, class: "s-" + op });
      r.append(svg("title", {}, b.time + " " + state.zone + ": " + fmtInt(b.ops[k]) + " " + op));
      s.append(r);
    });
    const hit = svg("rect", { x: L + i * bw, y: T, width: bw, height: H - T - B, fill: "transparent", class: "bar-hit" });
    hit.append(svg("title", {}, b.time + " " + state.zone + ": " + fmtInt(totals[i]) + " changes in " + fmtInt(b.transactions) + " transactions (click to filter)"));
    hit.addEventListener("click", () => {
      const end = new Date((b.start + secs - 1) * 1000).toISOString().replace("T", " ").slice(0, 19);
      $("f-from").value = b.time;
      $("f-to").value = end;
      applyFilter();
    });
    s.append(hit);
  });
  const oneDay = st.buckets[0].time.slice(0, 10) === st.buckets[n - 1].time.slice(0, 10);
  if (oneDay) $("bucket-label").textContent += " · " + st.buckets[0].time.slice(0, 10);
  const labelW = oneDay ? 64 : 120;
  const ticks = Math.max(1, Math.min(n, 8, Math.floor(n * bw / labelW)));
  for (let i = 0; i < ticks; i++) {
    const idx = ticks === 1 ? 0 : Math.round(i * (n - 1) / (ticks - 1));
    const label = oneDay ? st.buckets[idx].time.slice(11, 19) : secs >= 86400 ? st.buckets[idx].time.slice(0, 10) : st.buckets[idx].time.slice(0, 16);
    const x = L + idx * bw + bw / 2;
    const anchor = x - labelW / 2 < L - 30 ? "start" : x + labelW / 2 > W ? "end" : "middle";
    s.append(svg("text", { x: anchor === "start" ? L + idx * bw : anchor === "end" ? L + (idx + 1) * bw : x, y: H - 8, "text-anchor": anchor, class: "axis" }, label));
  }
  legend(s, L, 12);
  box.append(s);
}

function drawTables(st) {
  const box = $("chart-tables");
  box.textContent = "";
  if (!st.tables.length) { emptyChart(box, "No changes match the filter."); return; }
  const rows = st.tables.slice(0, 8);
  const W = Math.max(300, box.clientWidth || 400), rowH = 19, T = 24, L = Math.min(190, W * 0.38), R = 46;
  const H = Math.max(190, T + rows.length * rowH + 6);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "changes per table" });
  const totals = rows.map((t) => t.ops.reduce((a, c) => a + c, 0));
  const max = Math.max(1, ...totals);
  rows.forEach((t, i) => {
    const y = T + i * rowH;
    const room = Math.floor(L / 6.5);
    const name = t.table.length > room ? t.table.slice(0, room - 1) + "…" : t.table;
    const label = svg("text", { x: L - 6, y: y + 12, "text-anchor": "end", class: "axis" }, name);
    label.append(svg("title", {}, t.table));
    s.append(label);
    let x = L;
    OPS.forEach((op, k) => {
      const w = (W - L - R) * t.ops[k] / max;
      if (w <= 0) return;
      const r = svg("rect", { x, y: y + 2, width: w, height: rowH - 6, class: "s-" + op });
      r.append(svg("title", {}, t.table + ": " + fmtInt(t.ops[k]) + " " + op));
      s.append(r);
      x += w;
    });
    s.append(svg("text", { x: x + 4, y: y + 12, class: "axis" }, fmtInt(totals[i])));
    if (t.table.includes(".")) {
      const hit = svg("rect", { x: 0, y, width: W, height: rowH, fill: "transparent", class: "bar-hit" });
      hit.append(svg("title", {}, "show only " + t.table));
      hit.addEventListener("click", () => { $("f-table").value = t.table; applyFilter(); });
      s.append(hit);
    }
  });
  if (st.other_tables) s.append(svg("text", { x: L, y: T + rows.length * rowH + 12, class: "axis" }, "+ " + st.other_tables + " more tables"));
  legend(s, 4, 12);
  box.append(s);
}

async function loadStats() {
  try {
    const st = await api("api/stats", Object.assign({}, state.filter, { buckets: 60 }));
    state.stats = st;
    drawTime(st);
    drawTables(st);
  } catch (e) {
    showError(e.message);
  }
}

// --- transaction detail ---

function valueNode(v) {
  if (v === null) return el("span", { class: "null" }, "NULL");
  if (typeof v === "object" && v.absent) return el("span", { class: "absent" }, "(not logged)");
  return document.createTextNode(v);
}

function rowBlock(r, i, events) {
  const changed = new Set(r.changed || []);
  const head = el("summary", {},
    el("span", { class: "op op-" + r.op }, r.op),
    el("span", { class: "mono" }, r.table),
    el("span", { class: "muted" }, "row " + (i + 1) + (r.op === "update" ? " · " + changed.size + " changed" : "") + " · event at " + events[r.event].pos));
  const table = el("table", { class: "compare", "data-testid": "row-compare" },
    el("thead", {}, el("tr", {}, el("th", {}, "Column"), el("th", {}, "Before"), el("th", {}, "After"))));
  const tbody = el("tbody");
  r.columns.forEach((name, c) => {
    const isChanged = changed.has(c);
    tbody.append(el("tr", { class: isChanged ? "changed" : "", "data-col": name, "data-testid": isChanged ? "changed-col" : "col" },
      el("td", { class: "col" }, name),
      el("td", { class: "before", "data-testid": "before" }, r.before ? valueNode(r.before[c]) : el("span", { class: "absent" }, "—")),
      el("td", { class: "after", "data-testid": "after" }, r.after ? valueNode(r.after[c]) : el("span", { class: "absent" }, "—"))));
  });
  table.append(tbody);
  return el("details", { class: "row-change", "data-testid": "row", "data-op": r.op, "data-table": r.table, "data-index": i }, head, table);
}

async function openTx(id) {
  state.selected = id;
  saveHash();
  for (const tr of $("tx-body").children) tr.classList.toggle("selected", tr.dataset.id === String(id));
  let d;
  try {
    d = await api("api/transactions/" + encodeURIComponent(id));
  } catch (e) {
    showError(e.message);
    return;
  }
  if (state.selected !== id) return;
  $("detail").hidden = false;
  document.querySelector(".layout").classList.add("with-detail");
  $("detail-title").textContent = "Transaction #" + d.id + (d.gtid ? " · GTID " + d.gtid : "");
  for (const fmt of ["csv", "sql", "rollback"]) {
    const p = new URLSearchParams({ format: fmt, file: d.file, pos_from: d.pos, pos_to: d.pos });
    const a = $("tx-export-" + fmt);
    a.href = "api/export?" + p.toString();
    a.setAttribute("download", "");
  }
  const meta = $("detail-meta");
  meta.textContent = "";
  const add = (k, v) => meta.append(el("dt", {}, k), el("dd", {}, v));
  add("Position", d.file + " : " + d.pos + " – " + d.end + " (" + fmtBytes(d.bytes) + ")");
  add("Time", d.time + (d.last_time !== d.time ? " → " + d.last_time : "") + " " + state.zone);
  add("Changes", d.inserts + " inserted, " + d.updates + " updated, " + d.deletes + " deleted, " + d.statements + " statements");
  add("Tables", d.tables.join(", ") || "—");
  add("End", d.complete ? (d.rollback ? "ROLLBACK" : "committed" + (d.xid ? " (xid " + d.xid + ")" : "")) : "incomplete");

  const rows = $("pane-rows");
  rows.textContent = "";
  if (!d.rows.length) rows.append(el("p", { class: "note" }, "This transaction changes no rows (see its events and SQL)."));
  d.rows.forEach((r, i) => rows.append(rowBlock(r, i, d.event_list)));
  if (d.truncated) rows.append(el("p", { class: "note" }, "Only the first " + d.rows.length + " rows are shown; export the transaction for all of them."));
  if (d.rows.length === 1) rows.querySelector("details").open = true;

  const evs = $("pane-events");
  evs.textContent = "";
  const et = el("table", { class: "grid events", "data-testid": "events" },
    el("thead", {}, el("tr", {}, el("th", { class: "num" }, "Pos"), el("th", { class: "num" }, "End"), el("th", {}, "Type"), el("th", {}, "Time"), el("th", {}, "Info"))));
  const eb = el("tbody");
  for (const e of d.event_list) {
    eb.append(el("tr", {}, el("td", { class: "num mono" }, e.pos), el("td", { class: "num mono" }, e.next_pos), el("td", { class: "mono" }, e.type), el("td", { class: "mono" }, e.time), el("td", { class: "info" }, e.info || "")));
  }
  et.append(eb);
  evs.append(et);
  if (d.events_truncated) evs.append(el("p", { class: "note" }, "Only the first " + d.event_list.length + " events are listed."));
  $("detail-sql").textContent = (d.sql || "-- no SQL for this transaction\n") + (d.sql_error ? "\n-- " + d.sql_error : "");
  document.body.dataset.detailLoaded = String(d.id);
}

function closeDetail() {
  state.selected = null;
  $("detail").hidden = true;
  document.querySelector(".layout").classList.remove("with-detail");
  for (const tr of $("tx-body").children) tr.classList.remove("selected");
  saveHash();
}

function showTab(name) {
  for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.tab === name);
  for (const p of ["rows", "events", "sql"]) $("pane-" + p).hidden = p !== name;
}

// --- wiring ---

async function refresh() {
  updateExports();
  saveHash();
  await Promise.all([loadList(), loadStats()]);
}

function applyFilter() {
  state.filter = readForm();
  state.page = 1;
  return refresh();
}

function goPage(p) {
  state.page = Math.min(Math.max(1, p), Math.max(1, state.pages));
  saveHash();
  return loadList();
}

async function init() {
  const h = hashState();
  state.filter = h.filter;
  state.page = h.page;
  writeForm(state.filter);
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilter(); });
  $("reset").addEventListener("click", () => { writeForm({}); applyFilter(); });
  $("f-op").addEventListener("change", applyFilter);
  $("f-file").addEventListener("change", applyFilter);
  $("prev").addEventListener("click", () => goPage(state.page - 1));
  $("next").addEventListener("click", () => goPage(state.page + 1));
  $("first").addEventListener("click", () => goPage(1));
  $("last").addEventListener("click", () => goPage(state.pages));
  $("page-size").addEventListener("change", (e) => { state.size = parseInt(e.target.value, 10); state.page = 1; loadList(); });
  $("close-detail").addEventListener("click", closeDetail);
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (state.stats) { drawTime(state.stats); drawTables(state.stats); } }, 150);
  });
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => showTab(b.dataset.tab));
  try {
    await loadSummary();
  } catch (e) {
    showError(e.message);
  }
  writeForm(state.filter);
  await refresh();
  if (h.tx !== null && h.tx !== "") openTx(parseInt(h.tx, 10));
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", init);
