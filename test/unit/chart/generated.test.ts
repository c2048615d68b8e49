// The chart's copies of other sources of truth stay equal to them, and its alert rules use only
// metrics the operator or the agent exports.
import { strict as assert } from "node:assert";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { BATCH_CHART_HEALTH, BATCH_HEALTH_SOURCE, CHART_CRDS, CHART_DASHBOARD, CHART_HEALTH, DASHBOARD_SOURCE, HEALTH_SOURCE, chartCrdTemplate } from "../../../scripts/render-deploy.ts";
import { exportedMetricNames, referencedMetricNames } from "../../support/metric-names.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");

for (const { source: CRD_SOURCE, chart: CHART_CRD } of CHART_CRDS) {
  const name = CHART_CRD.slice(ROOT.length + 1);

  test(`${name} is what scripts/render-deploy.ts generates from crds/`, async () => {
    const source = await readFile(CRD_SOURCE, "utf8");
    assert.equal(await readFile(CHART_CRD, "utf8"), chartCrdTemplate(source, CRD_SOURCE), "run `npx node scripts/render-deploy.ts`");
  });

  test(`${name}, without its template lines and escapes, is crds/ byte for byte`, async () => {
    const source = (await readFile(CRD_SOURCE, "utf8")).split("\n").filter((l) => !l.startsWith("#")).join("\n");
    const template = await readFile(CHART_CRD, "utf8");
    const lines = template.split("\n");
    // The keep annotation block is the only addition inside the CRD.
    const start = lines.indexOf("  {{- if .Values.crds.keep }}");
    assert.deepEqual(lines.slice(start, start + 4), ["  {{- if .Values.crds.keep }}", "  annotations:", "    helm.sh/resource-policy: keep", "  {{- end }}"]);
    lines.splice(start, 4);
    const body = lines.filter((l) => !/^\{\{-.*\}\}$/.test(l)).join("\n").replace(/\{\{ "(\{\{|\}\})" \}\}/g, "$1");
    assert.equal(body.trimEnd(), source.trimEnd());
    assert.match(template, /^\{\{- if \.Values\.crds\.install \}\}$/m);
  });
}

test("charts/mdo/files/argocd-health.lua equals deploy/argocd/health.lua", async () => {
  assert.equal(await readFile(CHART_HEALTH, "utf8"), await readFile(HEALTH_SOURCE, "utf8"));
});

test("charts/mdo/files/argocd-batch-health.lua equals deploy/argocd/batch-health.lua", async () => {
  assert.equal(await readFile(BATCH_CHART_HEALTH, "utf8"), await readFile(BATCH_HEALTH_SOURCE, "utf8"));
});

test("charts/mdo/files/grafana-mdo-dashboard.json equals deploy/grafana/mdo-dashboard.json", async () => {
  assert.equal(await readFile(CHART_DASHBOARD, "utf8"), await readFile(DASHBOARD_SOURCE, "utf8"));
});

test("the PrometheusRule uses only metric names the operator or the agent exports and docs/metrics.md lists", async () => {
  const rule = await readFile(join(ROOT, "charts", "mdo", "templates", "prometheusrule.yaml"), "utf8");
  const exported = exportedMetricNames();
  const documented = await readFile(join(ROOT, "docs", "metrics.md"), "utf8");
  const used = new Set(referencedMetricNames(rule));
  assert.deepEqual([...used].sort(), [
    "mdo_agent_drift_max_psi", "mdo_agent_request_duration_seconds", "mdo_agent_requests_total",
    "mdo_reconcile_terminal_errors_total", "mdo_reconcile_total", "mdo_rollout_phase", "mdo_workqueue_longest_running_processor_seconds",
  ]);
  for (const name of used) {
    assert.ok(exported.has(name), `${name} is registered in src/runtime/metrics.ts or src/agent/metrics.ts`);
    assert.ok(documented.includes(`\`${name}\``), `${name} is documented in docs/metrics.md`);
  }
  assert.ok(documented.includes("`retry`"), "result=\"retry\" is a documented label value");
});
