// The dashboard page: #/ lists ModelDeployments, #/<namespace>/<name> shows one. Every change the
// server's watch reports re-renders what is shown, without a reload.
import * as api from "./api.js";
import { h } from "./dom.js";
import { renderDetail } from "./detail.js";
import { renderDrift } from "./drift.js";

const main = document.getElementById("main");
let settings = { writes: false, namespace: "" };
let current = { key: undefined, driftAt: undefined };
/** What the last write from this page came to, per ModelDeployment (kept across re-renders). */
const writeNotes = new Map();

function route() {
  const [, ns, name] = location.hash.split("/").map(decodeURIComponent);
  return ns && name ? { key: `${ns}/${name}`, ns, name } : { key: undefined };
}

async function showList() {
  const { items } = await api.list();
  const rows = items.map((md) => h("tr", { "data-key": `${md.namespace}/${md.name}`, "data-phase": md.phase, "data-health": md.health },
    h("td", {}, h("span", { class: `dot ${md.health}`, title: md.health })),
    h("td", {}, h("a", { href: `#/${encodeURIComponent(md.namespace)}/${encodeURIComponent(md.name)}` }, md.name)),
    h("td", {}, md.namespace),
    h("td", { class: "phase" }, h("span", { class: `badge ${md.health}` }, md.phase)),
    h("td", {}, md.stable ? `${md.stable.modelVersion ?? ""} (${md.stable.revision})` : "–"),
    h("td", {}, md.canary ? `${md.canary.modelVersion ?? md.canary.revision}: step ${md.canary.step}, ${md.canary.weight}%` : "–"),
    h("td", {}, md.traffic.map((t) => `${t.revision} ${t.desiredWeight}%`).join(" · ") || "–"),
    h("td", {}, md.replicas === undefined ? "–" : `${md.readyReplicas ?? 0}/${md.replicas}`),
    h("td", { class: "reason" }, md.reason ?? "")));
  main.replaceChildren(h("h1", {}, "ModelDeployments"),
    items.length === 0 ? h("p", { class: "empty" }, "No ModelDeployments.") :
      h("table", { class: "list" }, h("thead", {}, h("tr", {}, ["", "Name", "Namespace", "Phase", "Stable", "Canary", "Traffic", "Ready", "Reason"].map((t) => h("th", {}, t)))), h("tbody", {}, rows)));
}

async function showDetail(ns, name, withDrift) {
  const { detail, intervals } = await api.detail(ns, name);
  const driftAt = detail.status.drift?.evaluatedAt;
  const old = document.getElementById("drift");
  main.replaceChildren(renderDetail(detail, intervals, settings, onWrite, writeNotes.get(`${ns}/${name}`)), old ?? h("section", { id: "drift" }, h("h2", {}, "Drift"), h("p", {}, "Loading…")));
  if (withDrift || old === null || driftAt !== current.driftAt) {
    current.driftAt = driftAt;
    const view = await api.drift(ns, name).catch((e) => ({ error: e.message }));
    if (route().key === `${ns}/${name}`) document.getElementById("drift").replaceWith(renderDrift(view));
  }
}

async function onWrite(kind, detail) {
  if (!confirm(`${kind === "promote" ? "Promote" : "Abort"} the rollout of ${detail.namespace}/${detail.name}? This sets the annotation mdo.dev/${kind}, as mdo ${kind} does.`)) return;
  const key = `${detail.namespace}/${detail.name}`;
  try {
    await api.write(kind, detail.namespace, detail.name, settings.confirmToken);
    writeNotes.set(key, `Sent ${kind}: the operator acts on it once and acknowledges it in status.rollout.acknowledged.${kind}.`);
  } catch (e) {
    writeNotes.set(key, `Refused: ${e.message}`);
  }
  await render(false);
}

async function render(fresh) {
  const r = route();
  try {
    if (r.key === undefined) await showList();
    else await showDetail(r.ns, r.name, fresh);
  } catch (e) {
    main.replaceChildren(h("p", { class: "error" }, e.message));
  }
}

async function start() {
  settings = await api.config();
  document.getElementById("scope").textContent = settings.namespace === "all" ? "all namespaces" : `namespace ${settings.namespace}`;
  document.getElementById("mode").textContent = settings.writes ? "writes allowed" : "read-only";
  document.getElementById("mode").className = settings.writes ? "mode writes" : "mode";
  const live = document.getElementById("live");
  api.events((key) => {
    const r = route();
    if (r.key === undefined || r.key === key) void render(false);
  }, (open) => {
    live.textContent = open ? "live" : "reconnecting…";
    live.className = open ? "live on" : "live";
  });
  window.addEventListener("hashchange", () => {
    current = { key: route().key, driftAt: undefined };
    main.replaceChildren();
    void render(true);
  });
  await render(true);
}

void start();
