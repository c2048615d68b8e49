import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentConfigError, parseAgentConfig, validateAgentConfig } from "../../../src/agent/config.ts";
import { buildAgentConfig, buildConfigMap } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { SINK_URLS } from "../../fixtures/sink-urls.ts";
import { contextFor, loadExample, modelDeployment } from "./fixtures.ts";

describe("agent config", () => {
  it("round-trips through the ConfigMap text and parseAgentConfig", () => {
    for (const file of ["custom-auth-cache.yaml", "onnx-canary.yaml", "sklearn-autoscaling.yaml", "xgboost-drift-retrain.yaml"]) {
      const ctx = contextFor(loadExample(file));
      const text = buildConfigMap(ctx).data?.["config.json"] ?? "";
      assert.deepEqual(parseAgentConfig(text), buildAgentConfig(ctx));
    }
  });

  it("converts spec.serving into bytes and milliseconds, with the documented defaults", () => {
    const ctx = contextFor(loadExample("custom-auth-cache.yaml"));
    const config = buildAgentConfig(ctx);
    assert.equal(config.revision, ctx.revision);
    assert.deepEqual(config.model, { name: "sentiment", version: "1.4.0" });
    assert.deepEqual(config.limits, { maxRequestBytes: 262_144, timeoutMs: 5000, maxConcurrency: 64 });
    assert.deepEqual(config.cache, { maxEntries: 50_000, ttlMs: 600_000 });
    assert.deepEqual(config.auth, { apiKeyFile: "/etc/mdo/auth/api-key" });
    assert.equal(config.logPayloads, false);

    const plain = buildAgentConfig(contextFor(modelDeployment()));
    assert.deepEqual(plain.limits, { maxRequestBytes: 10 * 1024 * 1024, timeoutMs: 60_000 });
    assert.equal(plain.cache, undefined);
    assert.equal(plain.auth, undefined);
    assert.equal(plain.drift, undefined);
    assert.deepEqual(plain.upstream, { host: "127.0.0.1", port: 8081, readinessPath: "/v2/models/fraud/ready", livenessPath: "/v2/health/live" });
    assert.deepEqual(plain.listen, { port: 8080, metricsPort: 9090 });
  });

  it("describes drift by the mounted baseline file and window", () => {
    const config = buildAgentConfig(contextFor(loadExample("onnx-canary.yaml")));
    assert.deepEqual(config.drift, { baselineFile: "/etc/mdo/baseline/baseline.json", window: 5000 });
  });

  it("rounds durations to the whole milliseconds the agent takes (fractional ones are valid API and failed the build)", () => {
    const config = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.serving = { timeout: "100.5ms", cache: { maxEntries: 10, ttl: "1.0005s" } };
    })));
    assert.equal(config.limits.timeoutMs, 101);
    assert.equal(config.cache?.ttlMs, 1001);
  });

  it("maps spec.monitoring.groundTruth onto the agent's feedback store, and leaves it off without", () => {
    const config = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.monitoring = { groundTruth: { kind: "Regression", ttl: "30m", maxPredictions: 5000, minLabels: 100 } };
    })));
    assert.deepEqual(config.feedback, { kind: "regression", maxPredictions: 5000, ttlMs: 1_800_000 });
    assert.equal(buildAgentConfig(contextFor(modelDeployment())).feedback, undefined);
  });

  it("maps spec.serving.payloadLogging onto logPayloads, payloadSink and payloadSampleRate", () => {
    const url = "https://events.example.com/ingest?topic=fraud";
    const full = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.serving = { payloadLogging: { url, sampleRate: 0.25, batchSize: 500, flushInterval: "1m" } };
    })));
    assert.equal(full.logPayloads, true);
    assert.deepEqual(full.payloadSink, { url, batchSize: 500, flushIntervalMs: 60_000 });
    assert.equal(full.payloadSampleRate, 0.25);

    const minimal = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.serving = { payloadLogging: { url: "http://sink.ml.svc/" } };
    })));
    assert.equal(minimal.logPayloads, true);
    assert.deepEqual(minimal.payloadSink, { url: "http://sink.ml.svc/", batchSize: 100, flushIntervalMs: 1000 });
    assert.equal(minimal.payloadSampleRate, 1);

    const fractional = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.serving = { payloadLogging: { url: "http://sink.ml.svc/", flushInterval: "10.4ms" } };
    })));
    assert.equal(fractional.payloadSink?.flushIntervalMs, 10, "the agent counts whole milliseconds");
  });

  it("turns payload logging off, with no sink or rate, when spec.serving.payloadLogging is absent", () => {
    const plain = buildAgentConfig(contextFor(modelDeployment((md) => {
      md.spec.serving = { maxConcurrency: 8 };
    })));
    assert.equal(plain.logPayloads, false);
    assert.ok(!("payloadSink" in plain) && !("payloadSampleRate" in plain), JSON.stringify(plain));
  });

  it("gives the agent every sink URL the API accepts, and starts a new revision when it changes", () => {
    const revisions = new Set<string>();
    for (const { url } of SINK_URLS.filter((c) => c.rejectedBy === undefined)) {
      const ctx = contextFor(modelDeployment((md) => {
        md.spec.serving = { payloadLogging: { url } };
      }));
      assert.equal(buildAgentConfig(ctx).payloadSink?.url, url);
      revisions.add(ctx.revision);
    }
    revisions.add(contextFor(modelDeployment()).revision);
    assert.equal(revisions.size, SINK_URLS.filter((c) => c.rejectedBy === undefined).length + 1);
  });

  it("rejects unknown fields, invalid values and invalid JSON", () => {
    const valid = buildAgentConfig(contextFor(modelDeployment()));
    assert.throws(() => validateAgentConfig({ ...valid, apiKey: "inline" }), AgentConfigError);
    assert.throws(() => validateAgentConfig({ ...valid, listen: { port: 8080, metricsPort: 8080 } }), /metricsPort must differ/);
    assert.throws(() => validateAgentConfig({ ...valid, auth: { apiKeyFile: "relative" } }), AgentConfigError);
    assert.throws(() => parseAgentConfig("{"), (e: unknown) => e instanceof AgentConfigError && /not valid JSON/.test(e.message));
  });
});
