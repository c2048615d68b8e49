import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DriftHook, DriftReport } from "../../../src/agent/drift-hook.ts";
import { AgentMetrics } from "../../../src/agent/metrics.ts";
import { sampleValue } from "../../integration/agent/support/agent-fixture.ts";

const identity = { model: "iris", version: "v1", revision: "abc123", processMetrics: false };

describe("AgentMetrics", () => {
  it("labels every series with model, version and revision", async () => {
    const metrics = new AgentMetrics(identity);
    metrics.requests.inc({ route: "infer", code: "200" });
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, "mdo_agent_requests_total", { route: "infer", code: "200", model: "iris", version: "v1", revision: "abc123" }), 1);
  });

  it("exports the drift hook's report at scrape time, dropping features that left it", async () => {
    let report: DriftReport | undefined = { windowSamples: 500, features: [{ name: "age", psi: 0.05, pValue: 0.4 }, { name: "income", psi: 0.31, pValue: 1e-9 }] };
    const hook: DriftHook = { enabled: true, observesPredictions: false, observe: () => undefined, observePredictions: () => undefined, report: () => report };
    const metrics = new AgentMetrics(identity);
    metrics.observeDrift(hook);
    let text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, "mdo_agent_drift_available"), 1);
    assert.equal(sampleValue(text, "mdo_agent_drift_psi", { feature: "income" }), 0.31);
    assert.equal(sampleValue(text, "mdo_agent_drift_max_psi"), 0.31);
    assert.equal(sampleValue(text, "mdo_agent_drift_p_value", { feature: "income" }), 1e-9);
    assert.equal(sampleValue(text, "mdo_agent_drift_window_samples"), 500);
    report = { windowSamples: 10, features: [{ name: "age", psi: 0.01 }] };
    text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, "mdo_agent_drift_psi", { feature: "income" }), undefined);
    assert.equal(sampleValue(text, "mdo_agent_drift_p_value", { feature: "income" }), undefined, "a feature that left the report loses its p-value too");
    assert.equal(sampleValue(text, "mdo_agent_drift_max_psi"), 0.01);
    report = undefined;
    text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, "mdo_agent_drift_available"), 0);
    assert.equal(sampleValue(text, "mdo_agent_drift_psi", { feature: "age" }), undefined);
  });

  it("reports the cache's size at scrape time", async () => {
    const metrics = new AgentMetrics(identity);
    metrics.observeCache(() => ({ entries: 3, bytes: 1234 }));
    const text = await metrics.registry.metrics();
    assert.equal(sampleValue(text, "mdo_agent_cache_entries"), 3);
    assert.equal(sampleValue(text, "mdo_agent_cache_size_bytes"), 1234);
  });

  it("exports the load meter's integral as a counter at scrape time", async () => {
    let ms = 0;
    const metrics = new AgentMetrics({ ...identity, now: () => ms });
    assert.equal(sampleValue(await metrics.registry.metrics(), "mdo_agent_concurrency_seconds_total"), 0);
    metrics.load.start();
    metrics.load.start();
    ms = 1500;
    assert.equal(sampleValue(await metrics.registry.metrics(), "mdo_agent_concurrency_seconds_total"), 3, "read up to the scrape, with both still in flight");
    metrics.load.end();
    metrics.load.end();
    ms = 9000;
    const text = await metrics.registry.metrics();
    assert.match(text, /# TYPE mdo_agent_concurrency_seconds_total counter/);
    assert.equal(sampleValue(text, "mdo_agent_concurrency_seconds_total", { model: "iris", revision: "abc123" }), 3);
  });
});
