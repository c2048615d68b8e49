import { strict as assert } from "node:assert";
import { test } from "node:test";
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { AGENT_METRICS, SHADOW_CANDIDATE_LABEL, SHADOW_RESULTS } from "../../../src/analysis/metric-names.ts";
import { AGENT_LABELS } from "../../../src/analysis/prometheus/labels.ts";

test("the metrics and labels the analysis reads are the agent's", async () => {
  const metrics = new AgentMetrics({ model: "fraud", version: "v1", revision: "abc", processMetrics: true });
  const text = await metrics.registry.metrics();
  for (const name of Object.values(AGENT_METRICS)) assert.match(text, new RegExp(`^# TYPE ${name} `, "m"), name);
  metrics.requests.inc({ route: "infer", code: "200" });
  const line = (await metrics.registry.metrics()).split("\n").find((l) => l.startsWith(`${AGENT_METRICS.requests}{`)) ?? "";
  for (const label of [...Object.values(AGENT_LABELS), "route", "code"]) assert.match(line, new RegExp(`[{,]${label}="`), label);
  assert.match(line, /model="fraud"/);
});

test("the shadow series carry the candidate label the agreement check selects by", async () => {
  const metrics = new AgentMetrics({ model: "fraud", version: "v1", revision: "abc", processMetrics: false });
  const candidate = { [SHADOW_CANDIDATE_LABEL]: "def" };
  for (const result of Object.values(SHADOW_RESULTS)) metrics.shadowRequests.inc({ ...candidate, result });
  metrics.shadowRows.inc(candidate, 3);
  metrics.shadowAgreeingRows.inc(candidate, 2);
  const lines = (await metrics.registry.metrics()).split("\n");
  for (const name of [AGENT_METRICS.shadowRows, AGENT_METRICS.shadowAgreeingRows, AGENT_METRICS.shadowRequests]) {
    const line = lines.find((l) => l.startsWith(`${name}{`)) ?? "";
    assert.match(line, new RegExp(`[{,]${SHADOW_CANDIDATE_LABEL}="def"`), name);
    assert.match(line, /revision="abc"/, `${name}: the stable revision's own label too`);
  }
});
