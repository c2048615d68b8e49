// The Grafana dashboard may only query metrics the code exports.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { exportedMetricNames, referencedMetricNames } from "../../support/metric-names.ts";

test("every metric the dashboard queries is exported by the operator or the agent", () => {
  const dashboard = JSON.parse(readFileSync("deploy/grafana/mdo-dashboard.json", "utf8")) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  const exported = exportedMetricNames();
  const used = new Set<string>();
  for (const panel of dashboard.panels) {
    for (const target of panel.targets ?? []) {
      for (const name of referencedMetricNames(target.expr)) {
        used.add(name);
        assert.ok(exported.has(name), `panel "${panel.title}" queries ${name}, which nothing exports`);
      }
    }
  }
  assert.ok(used.size >= 10, `the dashboard covers the main metrics (${used.size} used)`);
  assert.ok(used.has("mdo_agent_drift_psi") && used.has("mdo_reconcile_total"));
});
