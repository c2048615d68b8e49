// The detail page's sections: header (and write buttons when allowed), revision tree, rollout
// timeline with the analysis of each interval, history and conditions.
import { analysisChart } from "./charts.js";
import { h, num } from "./dom.js";

export function renderDetail(d, intervals, settings, onWrite, writeNote) {
  const st = d.status;
  const header = h("div", { class: "title" },
    h("h1", {}, h("span", { class: `dot ${d.health}` }), ` ${d.namespace}/${d.name} `, h("span", { class: `badge ${d.health}`, id: "phase" }, d.phase)),
    settings.writes ? h("div", { class: "writes" },
      h("button", { id: "promote", onclick: () => onWrite("promote", d) }, "Promote"),
      h("button", { id: "abort", class: "danger", onclick: () => onWrite("abort", d) }, "Abort"),
      h("span", { id: "write-result" }, writeNote ?? "")) : null);
  const failure = st.lastFailure ? h("p", { class: "failure" }, `${st.lastFailure.reason}: ${st.lastFailure.message}`) : null;
  return h("div", { id: "detail", "data-key": `${d.namespace}/${d.name}` }, header, d.message ? h("p", { class: "message" }, d.message) : null, failure,
    revisions(d), rollout(d, intervals), history(st), conditions(st));
}

function traffic(d, revision) {
  const t = d.traffic.find((x) => x.revision === revision);
  return t === undefined ? "no traffic" : `${t.desiredWeight}% of traffic${t.measuredWeight === undefined ? "" : ` (${t.measuredWeight}% of ready pods)`}`;
}

function revisions(d) {
  const st = d.status;
  const r = st.rollout ?? {};
  const node = (role, rev, version, extra) => h("li", { class: `rev ${role}`, "data-revision": rev, "data-role": role },
    h("span", { class: "role" }, role), " ", h("code", {}, rev), version ? ` · model ${version}` : "", extra ? ` · ${extra}` : "", " · ", traffic(d, rev));
  const items = [];
  if (st.stable) items.push(node("stable", st.stable.revision, st.stable.modelVersion, `${st.stable.readyReplicas} ready`));
  if (st.canary) items.push(node("canary", st.canary.revision, st.canary.modelVersion, `step ${st.canary.step}, ${st.canary.weight}%`));
  else if (r.canary && r.phase === "RolledBack") items.push(node("rolled back", r.canary.revision, r.canary.modelVersion));
  if (r.previous) items.push(node("previous", r.previous.revision, r.previous.modelVersion, "kept at 0 replicas"));
  if (r.retiring) items.push(node("retiring", r.retiring.revision, undefined, `until ${r.retiring.at}`));
  return h("section", { id: "revisions" }, h("h2", {}, "Revisions"),
    h("ul", { class: "tree" }, h("li", {}, h("strong", {}, d.name), st.replicas === undefined ? "" : ` · ${st.readyReplicas ?? 0}/${st.replicas} ready`,
      items.length ? h("ul", {}, items) : h("p", { class: "empty" }, "No revision yet."))));
}

function rollout(d, intervals) {
  const st = d.status;
  const r = st.rollout;
  const canary = st.canary;
  const step = canary?.step ?? r?.step;
  const weight = canary?.weight ?? r?.weight;
  const steps = h("ol", { class: "steps" }, d.steps.map((w, i) => h("li", {
    "data-step": i, class: r?.phase === "Progressing" && i === step ? "current" : step !== undefined && i < step && r?.phase === "Progressing" ? "done" : "",
  }, `${w}%`)));
  const state = r === undefined ? "No rollout state yet." : r.phase === "Progressing"
    ? `Step ${step + 1} of ${d.steps.length || "?"} · ${weight}% to the canary${r.pausedByPerson ? " · paused by a person" : ""}`
    : `${r.phase}`;
  const checks = canary?.analysis?.checks ?? [];
  const last = checks.length === 0 ? null : h("table", { class: "checks" },
    h("thead", {}, h("tr", {}, ["Check", "Verdict", "Value", "Threshold", "Why"].map((t) => h("th", {}, t)))),
    h("tbody", {}, checks.map((c) => h("tr", { "data-check": c.name, class: c.status },
      h("td", {}, c.name), h("td", {}, c.status), h("td", {}, num(c.value)), h("td", {}, bound(d.thresholds[c.name])), h("td", {}, c.message)))));
  const names = [...new Set(intervals.flatMap((iv) => iv.checks.map((c) => c.name)))];
  const charts = names.map((n) => h("figure", { class: "chart" }, h("figcaption", {}, `${n} per interval`, d.thresholds[n] ? ` (${bound(d.thresholds[n])})` : ""),
    analysisChart(n, intervals, d.thresholds[n])));
  return h("section", { id: "rollout" }, h("h2", {}, `Rollout${d.strategy ? ` (${d.strategy})` : ""}`),
    h("p", { id: "rollout-step", "data-step": step ?? "", "data-weight": weight ?? "", "data-phase": r?.phase ?? "" }, state),
    d.steps.length ? steps : null,
    r?.message ? h("p", { class: "message" }, `${r.reason}: ${r.message}`) : null,
    canary?.analysis ? h("p", {}, `Last interval ${canary.analysis.evaluatedAt ?? "–"} · failed intervals so far: ${canary.analysis.failedChecks}`) : null,
    last,
    intervals.length ? h("div", { class: "charts", id: "analysis-charts", "data-intervals": intervals.length }, charts)
      : h("p", { class: "empty" }, "No analysis interval seen since the dashboard started."));
}

function bound(t) {
  if (!t) return "";
  return [t.min !== undefined ? `≥ ${num(t.min)}` : "", t.max !== undefined ? `≤ ${num(t.max)}` : ""].filter(Boolean).join(", ");
}

function history(st) {
  const rows = (st.history ?? []).slice().reverse();
  if (rows.length === 0) return null;
  return h("section", { id: "history" }, h("h2", {}, "Finished rollouts"), h("table", {},
    h("tbody", {}, rows.map((e) => h("tr", {}, h("td", {}, e.time), h("td", {}, h("code", {}, e.revision)), h("td", {}, e.modelVersion ?? ""), h("td", {}, e.outcome))))));
}

function conditions(st) {
  const rows = st.conditions ?? [];
  return h("section", { id: "conditions" }, h("h2", {}, "Conditions"), h("table", {},
    h("tbody", {}, rows.map((c) => h("tr", { "data-type": c.type, class: `cond ${c.status}` },
      h("td", {}, c.type), h("td", {}, c.status), h("td", {}, c.reason ?? ""), h("td", {}, c.message ?? ""))))));
}
