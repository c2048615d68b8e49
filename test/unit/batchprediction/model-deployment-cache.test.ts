// What the BatchPrediction controller keeps of a ModelDeployment, and which references it reads.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { modelDeploymentForCache, referencedModelDeployment } from "../../../src/controllers/batchprediction/model-deployment-cache.ts";
import type { KubeObject } from "../../../src/runtime/client/kube-client.ts";

test("a cached ModelDeployment keeps identity, protocol, drift settings and the stable revision only", () => {
  const md = {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: "ml", uid: "u1", resourceVersion: "7", generation: 3, labels: { a: "b" }, managedFields: [{}] },
    spec: { model: { uri: "s3://m/v2/", format: "sklearn" }, protocol: "v2", monitoring: { drift: { baselineRef: { name: "b" }, falseAlarmRate: 0.01 } }, rollout: { strategy: "Canary" } },
    status: { phase: "Ready", stable: { revision: "abc", modelVersion: "v2" }, drift: { features: [] }, history: [{}] },
  } as unknown as KubeObject;
  assert.deepEqual(modelDeploymentForCache(md), {
    apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment",
    metadata: { name: "fraud", namespace: "ml", uid: "u1", resourceVersion: "7", generation: 3 },
    spec: { protocol: "v2", monitoring: { drift: { baselineRef: { name: "b" }, falseAlarmRate: 0.01 } } },
    status: { stable: { revision: "abc", modelVersion: "v2" } },
  });
  const fresh = modelDeploymentForCache({ apiVersion: "mdo.dev/v1alpha1", kind: "ModelDeployment", metadata: { name: "new", namespace: "ml" }, spec: { model: {} } } as unknown as KubeObject);
  assert.deepEqual([(fresh as { spec?: unknown }).spec, (fresh as { status?: unknown }).status], [{}, undefined], "no stable revision yet: no status");
});

test("the referenced name is read from a stored BatchPrediction, whatever else its spec holds", () => {
  const bp = (spec: unknown): KubeObject => ({ apiVersion: "mdo.dev/v1alpha1", kind: "BatchPrediction", metadata: { name: "x" }, spec } as unknown as KubeObject);
  assert.equal(referencedModelDeployment(bp({ modelDeploymentRef: { name: "fraud" } })), "fraud");
  assert.equal(referencedModelDeployment(bp({ model: { uri: "s3://m/" } })), undefined);
  assert.equal(referencedModelDeployment(bp({ modelDeploymentRef: { name: 7 } })), undefined);
  assert.equal(referencedModelDeployment(bp(undefined)), undefined);
});
