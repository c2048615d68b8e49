import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ModelDeployment, ModelDeploymentInput } from "../../../src/api/index.ts";
import { buildPodTemplate, computeRevision } from "../../../src/controllers/modeldeployment/builders/index.ts";
import { canonicalJson, shortHash } from "../../../src/controllers/modeldeployment/builders/canonical-json.ts";
import { DEFAULT_SETTINGS, type OperatorSettings } from "../../../src/controllers/modeldeployment/settings.ts";
import { CATALOG, contextFor, exampleFiles, loadExample, modelDeployment } from "./fixtures.ts";

const revisionOf = (md: ModelDeployment, settings: OperatorSettings = DEFAULT_SETTINGS) => contextFor(md, settings).revision;

/** A deep copy with every object's keys in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)])) as T;
}

const base = modelDeployment((i) => {
  i.spec.replicas = undefined;
  i.spec.autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilization: 70 };
  i.spec.rollout = { strategy: "Canary", steps: [{ weight: 10, pause: "1m" }] };
  i.spec.monitoring = { drift: { baselineRef: { configMapName: "base" }, action: "Alert" } };
  i.spec.serving = { timeout: "5s" };
});
const variant = (mutate: (input: ModelDeploymentInput) => void) => modelDeployment((i) => {
  i.spec.replicas = undefined;
  i.spec.autoscaling = { minReplicas: 2, maxReplicas: 5, targetCPUUtilization: 70 };
  i.spec.rollout = { strategy: "Canary", steps: [{ weight: 10, pause: "1m" }] };
  i.spec.monitoring = { drift: { baselineRef: { configMapName: "base" }, action: "Alert" } };
  i.spec.serving = { timeout: "5s" };
  mutate(i);
});

describe("computeRevision", () => {
  it("is 10 lower-case base36 characters, the same for every call", () => {
    for (const file of exampleFiles()) {
      const md = loadExample(file);
      const revision = revisionOf(md);
      assert.match(revision, /^[a-z0-9]{10}$/);
      assert.equal(revisionOf(loadExample(file)), revision);
    }
  });

  it("does not depend on key order", () => {
    const runtime = CATALOG.resolve("sklearn", "v2");
    assert.equal(
      computeRevision(reverseKeys(base), reverseKeys(runtime), reverseKeys(DEFAULT_SETTINGS)),
      computeRevision(base, runtime, DEFAULT_SETTINGS),
    );
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }), '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
    assert.equal(shortHash({ a: 1, b: 2 }), shortHash({ b: 2, a: 1 }));
  });

  const unchanged: [string, (i: ModelDeploymentInput) => void][] = [
    ["replicas instead of autoscaling", (i) => { i.spec.autoscaling = undefined; i.spec.replicas = 7; }],
    ["autoscaling bounds and targets", (i) => { i.spec.autoscaling = { minReplicas: 3, maxReplicas: 30, targetRequestsPerSecond: 9 }; }],
    ["rollout steps and strategy", (i) => { i.spec.rollout = { strategy: "Canary", steps: [{ weight: 5 }, { weight: 50, pause: "2m" }], progressDeadline: "1h" }; }],
    ["drift action, threshold and cooldown", (i) => { i.spec.monitoring = { drift: { baselineRef: { configMapName: "base" }, action: "Rollback", psiThreshold: 0.5, cooldown: "3h" } }; }],
    ["network policy", (i) => { i.spec.networkPolicy = { enabled: true, allowedNamespaces: ["web"] }; }],
    ["suspend", (i) => { i.spec.suspend = true; }],
    ["the user's labels and annotations", (i) => { i.metadata.labels = { team: "x" }; i.metadata.annotations = { note: "y" }; }],
    ["an equivalent quantity", (i) => { i.spec.resources = { requests: { cpu: "0.5", memory: "1024Mi" }, limits: { memory: "2048Mi" } }; }],
    ["the version written out as the URI implies it", (i) => { i.spec.model.version = "v7"; }],
  ];
  for (const [what, mutate] of unchanged) {
    it(`ignores ${what}, and then the pod template is the same too`, () => {
      const md = variant(mutate);
      const revision = revisionOf(base);
      assert.equal(revisionOf(md), revision);
      assert.deepEqual(buildPodTemplate(contextFor(md)), buildPodTemplate(contextFor(base)));
    });
  }

  const changed: [string, (i: ModelDeploymentInput) => void][] = [
    ["model uri", (i) => { i.spec.model.uri = "s3://models/fraud/v8"; }],
    ["model version", (i) => { i.spec.model.version = "seven"; }],
    ["model format", (i) => { i.spec.model.format = "xgboost"; }],
    ["explicit runtime", (i) => { i.spec.model.runtime = "custom"; i.spec.image = "registry.example.com/x:1"; }],
    ["digest", (i) => { i.spec.model.digest = `sha256:${"c".repeat(64)}`; }],
    ["storage Secret", (i) => { i.spec.model.storageSecretRef = { name: "other" }; }],
    ["image", (i) => { i.spec.image = "registry.example.com/mlserver:2"; }],
    ["cpu request", (i) => { i.spec.resources = { requests: { cpu: "600m", memory: "1Gi" }, limits: { memory: "2Gi" } }; }],
    ["gpu", (i) => { i.spec.resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" }, gpu: 1 }; }],
    ["nodeSelector", (i) => { i.spec.nodeSelector = { pool: "ml" }; }],
    ["tolerations", (i) => { i.spec.tolerations = [{ key: "pool", operator: "Exists" }]; }],
    ["serving timeout", (i) => { i.spec.serving = { timeout: "6s" }; }],
    ["serving cache", (i) => { i.spec.serving = { timeout: "5s", cache: { maxEntries: 10, ttl: "1m" } }; }],
    ["API-key Secret", (i) => { i.spec.serving = { timeout: "5s", auth: { apiKeySecretRef: { name: "k", key: "v" } } }; }],
    ["drift baseline", (i) => { i.spec.monitoring = { drift: { baselineRef: { configMapName: "other" }, action: "Alert" } }; }],
    ["drift window", (i) => { i.spec.monitoring = { drift: { baselineRef: { configMapName: "base" }, window: 500, action: "Alert" } }; }],
    ["drift off", (i) => { i.spec.monitoring = undefined; }],
  ];
  for (const [what, mutate] of changed) {
    it(`changes with the ${what}`, () => {
      assert.notEqual(revisionOf(variant(mutate)), revisionOf(base));
    });
  }

  it("changes with the protocol", () => {
    const custom = (protocol: "v2" | "raw") => modelDeployment((i) => {
      i.spec.model = { uri: "s3://m/x/v1", format: "custom" };
      i.spec.image = "registry.example.com/x:1";
      i.spec.protocol = protocol;
    });
    assert.notEqual(revisionOf(custom("raw")), revisionOf(custom("v2")));
  });

  it("changes with the resolved runtime entry and the operator's images and ports", () => {
    const runtime = CATALOG.resolve("sklearn", "v2");
    const revision = computeRevision(base, runtime, DEFAULT_SETTINGS);
    assert.notEqual(computeRevision(base, { ...runtime, image: "docker.io/seldonio/mlserver:1.8.0" }, DEFAULT_SETTINGS), revision);
    assert.notEqual(computeRevision(base, { ...runtime, readOnlyRootFilesystem: false }, DEFAULT_SETTINGS), revision);
    for (const change of [{ agentImage: "a:2" }, { fetcherImage: "f:2" }, { agentPort: 8000 }, { agentMetricsPort: 9100 }]) {
      assert.notEqual(computeRevision(base, runtime, { ...DEFAULT_SETTINGS, ...change }), revision, JSON.stringify(change));
    }
  });
});
