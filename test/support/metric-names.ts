// The metric names the code exports, for tests that check dashboards and alert rules against them.
import { AgentMetrics } from "../../src/agent/metrics.ts";
import { OperatorMetrics } from "../../src/runtime/metrics.ts";

/** Every metric family name the operator and the agent register. */
export function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const registries = [
    new OperatorMetrics({ processMetrics: false }).registry,
    new AgentMetrics({ model: "m", version: "v", revision: "r", processMetrics: false }).registry,
  ];
  for (const registry of registries) for (const metric of registry.getMetricsAsArray()) names.add(metric.name);
  return names;
}

/** `mdo_*` names used in PromQL, with histogram suffixes folded into their family. */
export function referencedMetricNames(promql: string): string[] {
  return [...promql.matchAll(/\bmdo_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ""));
}
