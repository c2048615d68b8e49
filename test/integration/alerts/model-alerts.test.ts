// The chart's model alerts (group mdo-models of templates/prometheusrule.yaml, rendered by real
// `helm template` and checked by promtool) evaluated every second by a real Prometheus that
// scrapes real MDO agents in front of real MLServers serving a trained iris model:
//   iris     healthy: valid rows, cache hits, a few 401s, baseline-like inputs   → fires nothing
//   fraud    the model errors on every request (rows of 3 features: MLServer answers 500),
//            and the operator reports its rollout RolledBack     → success rate, rolled back
//            (the operator's metrics scraped with namespace mdo-system, as a ServiceMonitor does)
//   orphan   the model server is gone (connection refused: the agent answers 502) → success rate
//   slow     a model that takes 1.5 s per request (limit: the default 1 s)        → p99 latency
//   drifty   petal_length shifted by 2 standard deviations                         → data drift
//   ghost-0  an agent target that does not answer                                  → agent down
// Then every query of the Grafana dashboard runs against the same Prometheus.
// The cluster is not used.
import { strict as assert } from "node:assert";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePorts } from "../../../src/sandbox/ports.ts";
import { renderChart } from "../../support/helm.ts";
import { irisRows } from "../../support/iris-data.ts";
import { irisInferenceBody, startMlserver, type RunningMlserver } from "../../support/mlserver.ts";
import { referencedMetricNames } from "../../support/metric-names.ts";
import { startPrometheus, type RunningPrometheus } from "../../support/prometheus.ts";
import { chartRuleGroups, promtoolCheckRules, writeRuleFile, type RuleGroup } from "./support/chart-rules.ts";
import { apiKeyFile, drive, infer, startModelAgent, type RunningAgent } from "./support/fleet.ts";
import { activeAlerts, instantQuery, type ActiveAlert, type Sample } from "./support/prometheus-api.ts";
import { serveOperatorMetrics, type ServedOperatorMetrics } from "./support/operator-metrics.ts";

const NS = "ml";
const WINDOW = "15s";
const MIN_REQUEST_RATE = 0.5;
const VALUES = {
  metrics: {
    prometheusRule: {
      enabled: true,
      models: { window: WINDOW, for: "2s", minRequestRate: MIN_REQUEST_RATE, agentTargets: 'job="mdo-agents",component="agent"' },
    },
  },
};
/** The alerts that must fire, each with the label that names what it fires for. */
const EXPECTED = [
  "MDOModelSuccessRateLow model=fraud", "MDOModelSuccessRateLow model=orphan", "MDOModelLatencyP99High model=slow",
  "MDOModelDataDrift model=drifty", "MDORolloutRolledBack name=fraud", "MDOAgentDown pod=ghost-0",
].sort();
const started = Date.now();

let dir: string;
let groups: RuleGroup[];
let fast: RunningMlserver;
let slow: RunningMlserver;
const agents = new Map<string, RunningAgent>();
let operator: ServedOperatorMetrics;
let prometheus: RunningPrometheus;
const traffic = new AbortController();
let driving: Promise<Map<number, number>[]>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "mdo-alerts-"));
  groups = await chartRuleGroups(dir, VALUES);
  [fast, slow] = await Promise.all([startMlserver(), startMlserver({ latencyMs: 1500 })]);
  const [closedUpstream, deadAgent] = await freePorts(2);
  const keys = await apiKeyFile(dir);
  agents.set("iris", await startModelAgent({
    model: "iris", revision: "a1b2c3", upstreamPort: fast.port, drift: true,
    overrides: { cache: { maxEntries: 100, ttlMs: 60_000 }, auth: { apiKeyFile: keys } },
  }));
  agents.set("fraud", await startModelAgent({ model: "fraud", revision: "f4e5d6", upstreamPort: fast.port }));
  agents.set("orphan", await startModelAgent({ model: "orphan", revision: "0a0b0c", upstreamPort: closedUpstream! }));
  agents.set("slow", await startModelAgent({ model: "slow", revision: "5104e1", upstreamPort: slow.port }));
  agents.set("drifty", await startModelAgent({ model: "drifty", revision: "d41f70", upstreamPort: fast.port, drift: true }));
  operator = await serveOperatorMetrics(NS, { iris: "Stable", fraud: "RolledBack" });
  prometheus = await startPrometheus({
    ruleFiles: [await writeRuleFile(dir, groups)],
    targets: [
      ...[...agents].map(([model, agent]) => ({ address: new URL(agent.metricsUrl).host, labels: { namespace: NS, pod: `${model}-0`, component: "agent" } })),
      { address: `127.0.0.1:${deadAgent!}`, labels: { namespace: NS, pod: "ghost-0", component: "agent" } },
      // As a ServiceMonitor scrapes it: the target's namespace renames the series' own to exported_namespace.
      { address: operator.address, labels: { component: "operator", namespace: "mdo-system" } },
    ],
  });
  console.log(`Set up in ${Date.now() - started} ms`);
  const signal = traffic.signal;
  const lanes = [
    // Healthy: new rows (cache misses), a repeated row (hits), and every 10th request a wrong key (401).
    drive(async (i, s) => infer(agents.get("iris")!, irisInferenceBody(i % 3 === 0 ? [[6.1, 2.8, 4.7, 1.2]] : irisRows(20, 1000 + i)), s, i % 10 === 9 ? "wrong" : undefined), signal),
    drive(async (_i, s) => infer(agents.get("fraud")!, { inputs: [{ name: "input-0", shape: [1, 3], datatype: "FP64", data: [1, 2, 3] }] }, s), signal),
    drive(async (_i, s) => infer(agents.get("orphan")!, irisInferenceBody([[5.1, 3.5, 1.4, 0.2]]), s), signal, { pauseMs: 100 }),
    drive(async (i, s) => infer(agents.get("slow")!, irisInferenceBody(irisRows(1, 5000 + i)), s), signal, { lanes: 4, pauseMs: 0 }),
    drive(async (i, s) => infer(agents.get("drifty")!, irisInferenceBody(irisRows(50, 9000 + i, [0, 0, 2, 0])), s), signal),
  ];
  driving = Promise.all(lanes);
});

after(async () => {
  traffic.abort();
  await driving?.catch(() => undefined);
  await prometheus?.stop();
  await operator?.close();
  for (const agent of agents.values()) await agent.stop();
  await Promise.all([fast?.stop(), slow?.stop()]);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  console.log(`Alert tests took ${Date.now() - started} ms in all`);
});

const named = (a: ActiveAlert): string => {
  const key = ["model", "name", "pod"].find((k) => a.labels[k] !== undefined) ?? "";
  return `${a.labels.alertname} ${key}=${a.labels[key] ?? ""}`;
};
const aboutHealthy = (a: ActiveAlert): boolean => a.labels.model === "iris" || a.labels.name === "iris" || a.labels.pod === "iris-0";

test("promtool accepts the rule file rendered from the chart, and the mdo-models group holds the five model alerts", async () => {
  const out = await promtoolCheckRules(join(dir, "mdo-rules.yml"));
  assert.match(out, /SUCCESS/);
  const models = groups.find((g) => g.name === "mdo-models");
  assert.ok(models !== undefined, "the chart renders the mdo-models group");
  assert.deepEqual(models.rules.map((r) => r.alert), ["MDOModelSuccessRateLow", "MDOModelLatencyP99High", "MDOModelDataDrift", "MDORolloutRolledBack", "MDOAgentDown"]);
  const doc = await readFile(join(import.meta.dirname, "..", "..", "..", "docs", "alerts.md"), "utf8");
  for (const rule of models.rules) {
    const anchor = rule.annotations?.runbook_url?.split("#")[1];
    assert.equal(anchor, rule.alert!.toLowerCase(), `${rule.alert} links its runbook section`);
    assert.match(doc, new RegExp(`^### ${rule.alert}$`, "m"), `docs/alerts.md has a section ${rule.alert}`);
  }
});

test("the failing models fire their alerts; the healthy model fires nothing while it serves traffic", async () => {
  const t0 = Date.now();
  const sawHealthy: string[] = [];
  let firing: string[] = [];
  let rolledBackNamespace: string | undefined;
  const deadline = Date.now() + 75_000;
  let allFiringSince: number | undefined;
  // Until every expected alert fires, then 5 s (5 evaluations) more for a late one.
  while (Date.now() < deadline && (allFiringSince === undefined || Date.now() - allFiringSince < 5_000)) {
    const alerts = await activeAlerts(prometheus.url);
    for (const a of alerts.filter(aboutHealthy)) sawHealthy.push(`${named(a)} (${a.state})`);
    firing = [...new Set(alerts.filter((a) => a.state === "firing").map(named))].sort();
    rolledBackNamespace ??= alerts.find((a) => a.labels.alertname === "MDORolloutRolledBack")?.labels.namespace;
    if (allFiringSince === undefined && EXPECTED.every((e) => firing.includes(e))) allFiringSince = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`All expected alerts fired ${allFiringSince === undefined ? "never" : `after ${allFiringSince - t0} ms`}; firing: ${firing.join(", ")}`);
  assert.deepEqual(firing, EXPECTED);
  assert.deepEqual(sawHealthy, [], "the healthy model had no pending or firing alert");
  assert.equal(rolledBackNamespace, NS, "the rollback alert names the ModelDeployment's namespace, not the operator's");
  // Prometheus expanded every description: it names what fired, with no template error.
  for (const alert of (await activeAlerts(prometheus.url)).filter((a) => a.state === "firing")) {
    const what = alert.labels.model ?? alert.labels.name ?? alert.labels.pod ?? "";
    assert.ok(alert.annotations.description?.includes(`${NS}/${what}`), `${named(alert)}: ${alert.annotations.description}`);
    assert.doesNotMatch(alert.annotations.description ?? "", /error|<no value>/, named(alert));
  }

  // The healthy model was judged: it served above minRequestRate, 401s included, with a drift report.
  const rate = await scalar(`sum(rate(mdo_agent_requests_total{model="iris",route!~"health|metadata"}[${WINDOW}]))`);
  assert.ok(rate >= MIN_REQUEST_RATE, `iris served ${rate} requests/s`);
  assert.ok(await scalar(`sum(mdo_agent_requests_total{model="iris",code="401"})`) > 0);
  assert.equal(await scalar(`max(mdo_agent_drift_available{model="iris"})`), 1);
  const psi = await scalar(`max(mdo_agent_drift_max_psi{model="iris"})`);
  assert.ok(psi < 0.25, `iris's PSI ${psi} is under the limit`);
});

test("every query of the Grafana dashboard runs without error; every agent panel has data and its series exist", async () => {
  const dashboard = JSON.parse(await readFile(join(import.meta.dirname, "..", "..", "..", "deploy", "grafana", "mdo-dashboard.json"), "utf8")) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  let queries = 0;
  for (const panel of dashboard.panels) {
    const targets = panel.targets ?? [];
    if (targets.length === 0) continue;
    const results: Sample[] = [];
    for (const { expr } of targets) {
      // Grafana's substitutions: the "All" value of both variables, and ranges.
      const query = expr.replaceAll("$namespace", ".*").replaceAll("$model", ".*").replaceAll("$__rate_interval", WINDOW).replaceAll("$__range", "5m");
      const answer = await instantQuery(prometheus.url, query);
      assert.equal(answer.resultType, "vector", `${panel.title}: ${query}`);
      results.push(...(answer.result as Sample[]));
      queries++;
    }
    const names = targets.flatMap((t) => referencedMetricNames(t.expr));
    if (names.every((n) => n.startsWith("mdo_agent_"))) {
      assert.ok(results.length > 0, `panel "${panel.title}" shows data from the agents`);
    }
    // The agents' series, and the operator's that the served registry holds (the others need a running operator).
    for (const name of names.filter((n) => n.startsWith("mdo_agent_") || n === "mdo_rollout_phase" || n === "mdo_rollout_canary_weight")) {
      const series = await instantQuery(prometheus.url, `count({__name__=~"${name}(_bucket)?"})`);
      assert.equal((series.result as Sample[]).length, 1, `panel "${panel.title}": Prometheus has ${name}`);
    }
  }
  assert.ok(queries >= 20, `${queries} queries ran`);
});

test("the Grafana dashboard ConfigMap: none by default; when enabled, labelled for the sidecar and holding the dashboard byte for byte", async () => {
  const dashboard = await readFile(join(import.meta.dirname, "..", "..", "..", "deploy", "grafana", "mdo-dashboard.json"), "utf8");
  type ConfigMap = { kind: string; metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> }; data: Record<string, string> };
  const dashboards = (objects: Record<string, unknown>[]): ConfigMap[] =>
    (objects as ConfigMap[]).filter((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-grafana-dashboard"));
  assert.deepEqual(dashboards(await renderChart("dash", "ops")), []);
  const [plain] = dashboards(await renderChart("dash", "ops", ["metrics.grafanaDashboard.enabled=true"]));
  assert.equal(plain?.metadata.name, "dash-mdo-grafana-dashboard");
  assert.equal(plain.metadata.namespace, "ops");
  assert.equal(plain.metadata.labels.grafana_dashboard, "1");
  assert.equal(plain.data["mdo-dashboard.json"], dashboard);
  const [custom] = dashboards(await renderChart("dash", "ops", [
    "metrics.grafanaDashboard.enabled=true", "metrics.grafanaDashboard.label=example.com/dashboard", "metrics.grafanaDashboard.labelValue=mdo",
    "metrics.grafanaDashboard.namespace=monitoring", "metrics.grafanaDashboard.annotations.grafana_folder=MDO",
  ]));
  assert.equal(custom?.metadata.namespace, "monitoring");
  assert.equal(custom.metadata.labels["example.com/dashboard"], "mdo");
  assert.equal(custom.metadata.labels.grafana_dashboard, undefined);
  assert.deepEqual(custom.metadata.annotations, { grafana_folder: "MDO" });
});

async function scalar(expr: string): Promise<number> {
  const answer = await instantQuery(prometheus.url, expr);
  const sample = (answer.result as Sample[])[0];
  assert.ok(sample !== undefined, `${expr} returned no sample`);
  return Number(sample.value[1]);
}
