// The NasActors dashboard: plain browser JavaScript over the read API (/api/...), live from its
// Server-Sent Events. No build step; Chart.js (vendored UMD build) draws the charts, the parallel
// coordinates are a small SVG of our own.
"use strict";

const state = { search: null, sort: "trial", desc: false, filter: "", axis: "trial", detail: null, trials: [], source: null, pending: false, info: null, clusterPending: false };
const $ = id => document.getElementById(id);
const fmt = (v, digits = 4) => v === null || v === undefined || typeof v === "string" ? (v ?? "-") : Number(v).toFixed(digits);
const palette = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#c62828", "#00838f", "#9e9d24", "#4e342e"];

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function chart(id, config) {
  const existing = Chart.getChart(id);
  if (existing) return existing;
  config.options = Object.assign({ animation: false, maintainAspectRatio: false, responsive: true }, config.options);
  return new Chart($(id), config);
}

async function init() {
  const info = state.info = await getJson("/api/info");
  for (const id of ["pause", "resume", "cancel"]) {
    $(id).title = info.readOnly
      ? "read-only: this dashboard reads the journal (nas dashboard); pause, resume and cancel need a running `nas node`"
      : `${id} this search (the node's admin API; asks for the admin token if the node wants one)`;
    if (!info.readOnly) $(id).addEventListener("click", () => command(id));
  }
  if (info.cluster) {
    $("live-cluster-card").hidden = false;
    listenCluster();
    await refreshCluster();
  }
  document.querySelectorAll("input[name=history-axis]").forEach(r => r.addEventListener("change", e => { state.axis = e.target.value; renderHistory(); }));
  $("state-filter").addEventListener("change", e => { state.filter = e.target.value; refreshTrials(); });
  document.querySelectorAll("th[data-sort]").forEach(th => th.addEventListener("click", () => {
    state.desc = state.sort === th.dataset.sort ? !state.desc : th.dataset.sort !== "trial";
    state.sort = th.dataset.sort;
    refreshTrials();
  }));
  $("search-select").addEventListener("change", e => selectSearch(e.target.value));
  await loadSearches();
}

async function loadSearches() {
  const searches = await getJson("/api/searches");
  const select = $("search-select");
  const wanted = new URLSearchParams(location.search).get("search") ?? state.search ?? searches.at(-1)?.id;
  select.replaceChildren(...searches.map(s => new Option(`${s.name ?? ""} ${s.id}`, s.id, false, s.id === wanted)));
  if (wanted && wanted !== state.search) await selectSearch(wanted);
  if (!wanted) listen(null); // no search yet: wait for the first one
}

async function selectSearch(id) {
  state.search = id;
  listen(id);
  await refresh();
}

// Live updates: every journal change on the stream schedules one refresh (coalesced while one runs).
function listen(id) {
  state.source?.close();
  const source = new EventSource(id ? `/api/searches/${encodeURIComponent(id)}/events` : "/api/events");
  state.source = source;
  source.onopen = () => { $("live").textContent = "● live"; };
  source.onerror = () => { $("live").textContent = "○ reconnecting"; };
  const changed = () => id ? scheduleRefresh() : loadSearches();
  for (const name of ["journal", "trial-completed", "trial-failed", "trial-quarantined", "search-finished", "search-paused", "search-resumed", "search-cancelled"])
    source.addEventListener(name, changed);
}

function scheduleRefresh() {
  if (state.pending) return;
  state.pending = true;
  setTimeout(async () => { state.pending = false; await refresh(); await refreshCluster(); }, 250);
}

async function refresh() {
  if (!state.search) return;
  const id = encodeURIComponent(state.search);
  state.detail = await getJson(`/api/searches/${id}`);
  const all = await getJson(`/api/searches/${id}/trials?size=1000`);
  state.trials = all.trials;
  renderSummary();
  renderHistory();
  renderCurves();
  renderParallel();
  renderCluster();
  await renderPareto();
  await renderImportance();
  await refreshTrials();
}

function renderSummary() {
  const s = state.detail.summary;
  $("phase").textContent = s.phase;
  $("phase").className = `badge ${s.phase}`;
  $("completed-count").textContent = s.completed;
  $("budget").textContent = s.budget;
  $("failed-count").textContent = s.failed;
  $("inflight-count").textContent = s.queued + s.leased;
  $("best-objective").textContent = s.bestTrialId ? `${fmt(s.bestObjective)} (trial ${s.bestTrialId})` : "-";
  if (!state.info.readOnly) {
    $("pause").disabled = s.phase !== "Running";
    $("resume").disabled = s.phase !== "Paused";
    $("cancel").disabled = !["Running", "Paused"].includes(s.phase);
  }
}

// Pause, resume, cancel: the node's admin API. Off loopback the node wants a bearer token: asked once, kept for the tab.
async function command(verb) {
  if (verb === "cancel" && !confirm(`Cancel search ${state.search}? It cannot be resumed.`)) return;
  const url = `/api/searches/${encodeURIComponent(state.search)}/${verb}`;
  const send = () => fetch(url, { method: "POST", headers: sessionStorage.token ? { Authorization: `Bearer ${sessionStorage.token}` } : {} });
  let response = await send();
  if (response.status === 401) {
    const token = prompt("This node wants its admin token:");
    if (!token) return;
    sessionStorage.token = token;
    response = await send();
  }
  const body = await response.json().catch(() => ({}));
  $("command-result").textContent = response.ok ? `${verb}: ${body.phase}` : `${verb} refused (${response.status}): ${body.error ?? ""}`;
  scheduleRefresh();
}

function renderHistory() {
  const history = state.detail?.history ?? [];
  const started = Date.parse(state.detail?.summary.startedAt ?? 0);
  const x = p => state.axis === "time" && p.at ? (Date.parse(p.at) - started) / 1000 : p.n;
  const c = chart("history", {
    type: "scatter",
    data: { datasets: [
      { label: "objective", data: [], backgroundColor: "#90a4ae", pointRadius: 3 },
      { label: "best so far", data: [], type: "line", borderColor: "#1565c0", stepped: true, pointRadius: 0, borderWidth: 2 }] },
    options: { scales: { x: { title: { display: true, text: "completed trials" } }, y: { title: { display: true, text: "objective" } } },
      plugins: { tooltip: { callbacks: { label: item => `trial ${history[item.dataIndex]?.trialId}: ${fmt(item.parsed.y)}` } } } }
  });
  c.data.datasets[0].data = history.map(p => ({ x: x(p), y: p.objective }));
  c.data.datasets[1].data = history.map(p => ({ x: x(p), y: p.bestSoFar }));
  c.options.scales.x.title.text = state.axis === "time" ? "seconds since the search started" : "completed trials";
  c.options.scales.x.ticks = state.axis === "time" ? {} : { precision: 0 };
  c.update("none");
}

function renderCurves() {
  const withCurves = state.trials.filter(t => t.curve).slice(-12);
  const c = chart("curves", { type: "line", data: { labels: [], datasets: [] },
    options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: "epoch" } }, y: { title: { display: true, text: "val accuracy" } } } } });
  const epochs = Math.max(0, ...withCurves.map(t => t.curve.length));
  c.data.labels = Array.from({ length: epochs }, (_, i) => i + 1);
  c.data.datasets = withCurves.map((t, i) => ({ label: `trial ${t.trialId}`, data: t.curve, borderColor: palette[i % palette.length], pointRadius: 0, borderWidth: 1.5 }));
  c.update("none");
}

// Parallel coordinates: one vertical axis per decision plus the objective; one polyline per completed trial,
// coloured from worst (light) to best (dark) objective.
function renderParallel() {
  const decisions = state.detail.decisions;
  const done = state.trials.filter(t => t.state === "completed" && typeof t.objective === "number");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const width = $("parallel").clientWidth || 500, height = $("parallel").clientHeight || 260, top = 28, bottom = 16;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const axes = decisions.length + 1, step = (width - 90) / Math.max(1, axes - 1), xOf = i => 30 + i * step;
  const objectives = done.map(t => t.objective), lo = Math.min(...objectives), hi = Math.max(...objectives);
  const yOf = unit => top + (1 - unit) * (height - top - bottom);
  const unitOfObjective = v => hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const add = (name, attrs, text) => { const e = document.createElementNS(svg.namespaceURI, name); for (const k in attrs) e.setAttribute(k, attrs[k]); if (text !== undefined) e.textContent = text; svg.appendChild(e); return e; };
  for (const t of done) {
    const points = t.decisions.map((d, i) => `${xOf(i)},${yOf(d.unit)}`).concat(`${xOf(decisions.length)},${yOf(unitOfObjective(t.objective))}`);
    const shade = Math.round(200 - 170 * unitOfObjective(t.objective));
    add("polyline", { points: points.join(" "), fill: "none", stroke: `rgb(${shade},${shade + 20 > 255 ? 255 : shade + 20},230)`, "stroke-width": 1.5, opacity: 0.8 })
      .appendChild(Object.assign(document.createElementNS(svg.namespaceURI, "title"), { textContent: `trial ${t.trialId}: ${fmt(t.objective)}` }));
  }
  decisions.concat([{ name: "objective" }]).forEach((d, i) => {
    add("line", { x1: xOf(i), x2: xOf(i), y1: top, y2: height - bottom, stroke: "#3a4254" });
    add("text", { x: xOf(i), y: 14, "text-anchor": "middle" }, d.name);
    if (d.options) d.options.forEach((o, k) => add("text", { x: xOf(i) + 4, y: yOf((k + 0.5) / d.options.length) + 4 }, o));
  });
  if (done.length) { add("text", { x: xOf(decisions.length) + 4, y: yOf(1) + 4 }, fmt(hi, 3)); add("text", { x: xOf(decisions.length) + 4, y: yOf(0) }, fmt(lo, 3)); }
  $("parallel").replaceChildren(svg);
}

function renderCluster() {
  const s = state.detail.summary;
  $("queued-count").textContent = s.queued;
  $("leased-count").textContent = s.leased;
  $("preempted-count").textContent = s.preempted;
  $("expiry-count").textContent = s.leaseExpiries;
  $("quarantined-count").textContent = s.quarantined;
  $("trainers").tBodies[0].replaceChildren(...state.detail.trainers.map(t =>
    row([t.trainer, t.completed, t.failed, t.quarantined, t.currentTrial ?? "-"])));
}

async function renderPareto() {
  const objectives = state.detail.objectives;
  $("pareto-card").hidden = objectives.length < 2;
  $("cluster-card").classList.toggle("wide", objectives.length >= 2); // the Pareto front pairs with the importance card
  if (objectives.length < 2) return;
  const pareto = await getJson(`/api/searches/${encodeURIComponent(state.search)}/pareto`);
  $("hypervolume").textContent = pareto.hypervolume !== null
    ? `hypervolume ${fmt(pareto.hypervolume)} (reference point: ${pareto.reference.map(r => `${r.metric} ${Number(r.value).toPrecision(4)}`).join(", ")})` : "";
  const c = chart("pareto", { type: "scatter", data: { datasets: [
    { label: "trials", data: [], backgroundColor: "#b0bec5" },
    { label: "non-dominated", data: [], backgroundColor: "#c62828", pointRadius: 5 }] },
    options: { scales: { x: { title: { display: true } }, y: { title: { display: true } } } } });
  const xy = p => ({ x: p.values[0], y: p.values[1] });
  c.data.datasets[0].data = pareto.all.map(xy);
  c.data.datasets[1].data = pareto.front.map(xy);
  c.options.scales.x.title.text = `${objectives[0].metric} (${objectives[0].maximise ? "max" : "min"})`;
  c.options.scales.y.title.text = `${objectives[1].metric} (${objectives[1].maximise ? "max" : "min"})`;
  c.update("none");
}

async function renderImportance() {
  const importance = await getJson(`/api/searches/${encodeURIComponent(state.search)}/importance`);
  const c = chart("importance", { type: "bar", data: { labels: [], datasets: [{ label: "importance", data: [], backgroundColor: "#1565c0" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 1, title: { display: true, text: "share of variance" } } } } });
  c.data.labels = importance.map(d => d.decision);
  c.data.datasets[0].data = importance.map(d => d.importance);
  c.update("none");
}

// The live cluster (served by a node): members, trainers, utilisation; its own event stream for membership and trainer events.
function listenCluster() {
  const source = new EventSource("/api/cluster/events");
  source.onopen = () => { $("cluster-live").textContent = "● live"; };
  source.onerror = () => { $("cluster-live").textContent = "○ reconnecting"; };
  for (const name of ["membership", "trainer"]) source.addEventListener(name, scheduleCluster);
}

function scheduleCluster() {
  if (state.clusterPending) return;
  state.clusterPending = true;
  setTimeout(async () => { state.clusterPending = false; await refreshCluster(); }, 250);
}

async function refreshCluster() {
  if (!state.info?.cluster) return;
  const c = await getJson("/api/cluster");
  $("cluster-self").textContent = `served by ${c.self}${c.leader ? `, leader ${c.leader}` : ""}`;
  $("members").tBodies[0].replaceChildren(...c.members.map(m => {
    const tr = row([m.address, m.roles.join(","), m.status, m.reachable ? "yes" : "no"]);
    if (!m.reachable) tr.className = "unreachable";
    return tr;
  }));
  $("nodes").tBodies[0].replaceChildren(...c.nodes.map(n => row([n.node, n.trainers ?? "?", n.busy,
    n.utilisation === null ? "-" : `${Math.round(100 * n.utilisation)}%`, n.outOfRotation])));
  $("live-trainers").tBodies[0].replaceChildren(...c.trainers.map(t => {
    const tr = row([t.trainer, t.node, t.device ?? "?", t.state, t.search ?? "-", t.currentTrial ?? "-",
      [t.until ? `until ${new Date(t.until).toLocaleTimeString()}` : "", t.reason ?? ""].filter(x => x).join(": ") || "-"]);
    tr.className = t.state;
    return tr;
  }));
  $("cluster-events").replaceChildren(...c.recent.map(e => Object.assign(document.createElement("li"),
    { textContent: `${new Date(e.at).toLocaleTimeString()} ${e.kind} ${e.subject}${e.detail ? ` (${e.detail})` : ""}` })));
}

async function refreshTrials() {
  if (!state.search) return;
  const query = new URLSearchParams({ sort: state.sort, desc: state.desc, size: 1000 });
  if (state.filter) query.set("state", state.filter);
  const page = await getJson(`/api/searches/${encodeURIComponent(state.search)}/trials?${query}`);
  document.querySelectorAll("th[data-sort]").forEach(th => th.className = th.dataset.sort === state.sort ? (state.desc ? "desc" : "asc") : "");
  $("trial-total").textContent = `${page.total} shown`;
  $("trials").tBodies[0].replaceChildren(...page.trials.map(t => {
    const tr = row([t.trialId, t.state, fmt(t.objective), fmt(t.valAccuracy), t.parameters ?? "-", fmt(t.seconds, 2), t.trainer ?? "-", t.architecture]);
    tr.className = t.state;
    tr.lastChild.className = "arch";
    if (t.failureReason) tr.title = t.failureReason;
    return tr;
  }));
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.appendChild(td); }
  return tr;
}

init().catch(e => { $("live").textContent = `error: ${e.message}`; });
