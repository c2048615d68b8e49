import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentConfigError, parseAgentConfig, validateAgentConfig } from "../../../src/agent/config.ts";
import { buildAgentConfig, buildConfigMap } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { contextFor, loadExample, modelDeployment } from "./fixtures.ts";

describe("agent config", () => {
  it("round-trips through the ConfigMap text and parseAgentConfig", () => {
    for (const file of ["custom-auth-cache.yaml", "onnx-canary.yaml", "sklearn-autoscaling.yaml"]) {
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

  it("rejects unknown fields, invalid values and invalid JSON", () => {
    const valid = buildAgentConfig(contextFor(modelDeployment()));
    assert.throws(() => validateAgentConfig({ ...valid, apiKey: "inline" }), AgentConfigError);
    assert.throws(() => validateAgentConfig({ ...valid, listen: { port: 8080, metricsPort: 8080 } }), /metricsPort must differ/);
    assert.throws(() => validateAgentConfig({ ...valid, auth: { apiKeyFile: "relative" } }), AgentConfigError);
    assert.throws(() => parseAgentConfig("{"), (e: unknown) => e instanceof AgentConfigError && /not valid JSON/.test(e.message));
  });
});
